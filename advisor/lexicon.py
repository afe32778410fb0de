"""The open vocabularies kept in rules/vocabulary.yaml: sector roles and domain tags.

Sector roles are a closed list (an unknown code is an input error); domain tags are free, but a
recognised tag or one of its synonyms is normalised to its code, and a role adds its domains.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from advisor.errors import RuleBaseError
from advisor.paths import RULES_DIR
from advisor.yamlio import load_yaml_text

VOCABULARY_FILE = RULES_DIR / "vocabulary.yaml"


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    law: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    roles: dict[str, Role]
    domain_labels: dict[str, str]
    synonyms: dict[str, str]  # normalised tag -> domain code
    fact_labels: dict[str, str]  # a fact as the rule book names it where no case fills it in

    def domain(self, tag: str) -> str:
        key = tag_key(tag)
        return self.synonyms.get(key, key)

    def domains(self, tags: list[str], roles: list[str]) -> list[str]:
        found = {self.domain(t) for t in tags} - {""}
        for role in roles:
            found.update(self.roles[role].domains)
        return sorted(found)

    def label(self, code: str) -> str | None:
        if code in self.roles:
            return self.roles[code].label
        return self.domain_labels.get(code)


def tag_key(tag: str) -> str:
    decomposed = unicodedata.normalize("NFKD", tag.strip())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


@cache
def lexicon() -> Lexicon:
    raw = load_yaml_text(VOCABULARY_FILE.read_text(encoding="utf-8"), str(VOCABULARY_FILE))
    try:
        roles = {code: Role(code, spec["label"], spec["law"], tuple(spec.get("domains") or []))
                 for code, spec in raw["sector_roles"].items()}
        labels = {code: spec["label"] for code, spec in raw["domains"].items()}
        synonyms: dict[str, str] = {}
        for code, spec in raw["domains"].items():
            for word in [code, *(spec.get("synonyms") or [])]:
                key = tag_key(word)
                if synonyms.get(key, code) != code:
                    raise RuleBaseError(f"vocabulary.yaml: '{word}' hoort bij twee domeinen")
                synonyms[key] = code
    except (KeyError, TypeError, AttributeError) as exc:
        raise RuleBaseError(f"vocabulary.yaml: onvolledig ({exc})") from None
    unknown = {d for r in roles.values() for d in r.domains} - set(labels)
    if unknown:
        raise RuleBaseError(f"vocabulary.yaml: rollen noemen onbekende domeinen: {sorted(unknown)}")
    return Lexicon(roles, labels, synonyms, dict(raw.get("facts") or {}))
