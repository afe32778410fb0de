"""The Flemish municipalities (rules/data): current names, former names, reference regions."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from advisor.paths import RULES_DIR
from advisor.yamlio import load_yaml_text

DATA_FILE = RULES_DIR / "data" / "gemeenten-2025.yaml"
_PREFIX = re.compile(r"^(stad|gemeente|stadsbestuur|gemeentebestuur)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Municipality:
    name: str
    nis: str
    province: str
    region: str
    former: tuple[str, ...]


def name_key(name: str) -> str:
    """Compare names without case, accents, spaces, hyphens or a 'Stad'/'Gemeente' prefix."""
    name = _PREFIX.sub("", name.strip())
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


@dataclass(frozen=True)
class Match:
    municipality: Municipality | None  # None: the name is not in the list
    former_name: bool  # the name is a municipality merged on 1 January 2025


class Registry:
    def __init__(self, entries: list[Municipality]):
        self.entries = entries
        self._current = {name_key(m.name): m for m in entries}
        self._former: dict[str, Municipality] = {}
        for m in entries:
            for old in m.former:
                self._former.setdefault(name_key(old), m)

    def lookup(self, name: str) -> Match:
        key = name_key(name)
        if key in self._current:
            return Match(self._current[key], former_name=False)
        if key in self._former:
            return Match(self._former[key], former_name=True)
        return Match(None, former_name=False)


@cache
def registry() -> Registry:
    from advisor.cache import cached
    return cached("gemeenten", [DATA_FILE], _load_registry, Registry)


def _load_registry() -> Registry:
    raw = load_yaml_text(DATA_FILE.read_text(encoding="utf-8"), str(DATA_FILE))
    return Registry(
        [
            Municipality(e["name"], e["nis"], e["province"], e["region"], tuple(e["former"]))
            for e in raw
        ]
    )
