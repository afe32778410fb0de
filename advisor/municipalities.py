"""The Flemish municipalities (rules/data): current names, former names, reference regions,
population and area (Statbel, 1 January 2026) and which municipalities border each other.

The population and adjacency files are optional: without them the figures and the contiguity of
the members are unknown, never assumed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from advisor.paths import RULES_DIR
from advisor.yamlio import load_yaml_text

DATA_DIR = RULES_DIR / "data"
DATA_FILE = DATA_DIR / "gemeenten-2025.yaml"
POPULATION_FILE = DATA_DIR / "bevolking-2026.yaml"
ADJACENCY_FILE = DATA_DIR / "aangrenzing-2025.yaml"
_PREFIX = re.compile(r"^(stad|gemeente|stadsbestuur|gemeentebestuur)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Municipality:
    name: str
    nis: str
    province: str
    region: str
    former: tuple[str, ...]
    population: int | None = None
    area_km2: float | None = None


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
    def __init__(self, entries: list[Municipality], neighbours: dict[str, frozenset[str]] | None = None):
        self.entries = entries
        self.neighbours = neighbours  # None: no adjacency data
        self.by_nis = {m.nis: m for m in entries}
        self._current = {name_key(m.name): m for m in entries}
        self._former: dict[str, Municipality] = {}
        for m in entries:
            for old in m.former:
                self._former.setdefault(name_key(old), m)
        self.region_area: dict[str, float] = {}
        if all(m.area_km2 is not None for m in entries):
            for m in entries:
                self.region_area[m.region] = self.region_area.get(m.region, 0.0) + (m.area_km2 or 0.0)

    def lookup(self, name: str) -> Match:
        key = name_key(name)
        if key in self._current:
            return Match(self._current[key], former_name=False)
        if key in self._former:
            return Match(self._former[key], former_name=True)
        return Match(None, former_name=False)

    def contiguous(self, nis_codes: set[str]) -> bool | None:
        """Do these municipalities form one connected area (sharing boundaries)? None: no data."""
        if self.neighbours is None or not nis_codes:
            return None
        start = next(iter(sorted(nis_codes)))
        seen, todo = {start}, [start]
        while todo:
            for other in self.neighbours.get(todo.pop(), frozenset()) & nis_codes:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen == nis_codes


@cache
def registry() -> Registry:
    from advisor.cache import cached
    sources = [p for p in (DATA_FILE, POPULATION_FILE, ADJACENCY_FILE) if p.exists()]
    return cached("gemeenten", sources, _load_registry, Registry)


def _read(path):
    return load_yaml_text(path.read_text(encoding="utf-8"), str(path))


def _load_registry() -> Registry:
    figures = {e["nis"]: e for e in _read(POPULATION_FILE)} if POPULATION_FILE.exists() else {}
    neighbours = ({e["nis"]: frozenset(e["neighbours"]) for e in _read(ADJACENCY_FILE)}
                  if ADJACENCY_FILE.exists() else None)
    entries = []
    for e in _read(DATA_FILE):
        fig = figures.get(e["nis"], {})
        entries.append(Municipality(e["name"], e["nis"], e["province"], e["region"], tuple(e["former"]),
                                    fig.get("population"), fig.get("area_km2")))
    return Registry(entries, neighbours)
