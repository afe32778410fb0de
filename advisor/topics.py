"""The subjects (rules/topics.yaml) under which an advice groups its findings."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cache

from advisor.errors import RuleBaseError
from advisor.paths import RULES_DIR
from advisor.yamlio import load_yaml_text

TOPICS_FILE = RULES_DIR / "topics.yaml"


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    rules: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()


@cache
def topics() -> tuple[Topic, ...]:
    raw = load_yaml_text(TOPICS_FILE.read_text(encoding="utf-8"), str(TOPICS_FILE))
    try:
        out = tuple(Topic(t["code"], t["label"], tuple(t.get("rules") or ()), tuple(t.get("clauses") or ()),
                          tuple(t.get("laws") or ())) for t in raw)
    except (KeyError, TypeError) as exc:
        raise RuleBaseError(f"topics.yaml: onvolledig ({exc})") from None
    if not out:
        raise RuleBaseError("topics.yaml: geen onderwerpen")
    return out


@cache
def topic_of(rule: str, clause: str | None, law: str | None) -> Topic:
    """The first topic naming the rule, else its clause, else its law; else the last topic."""
    all_topics = topics()
    for t in all_topics:
        if any(fnmatch.fnmatchcase(rule, pattern) for pattern in t.rules):
            return t
    for t in all_topics:
        if clause and clause in t.clauses:
            return t
    for t in all_topics:
        if law and law in t.laws:
            return t
    return all_topics[-1]
