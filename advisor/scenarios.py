"""Scenario files: intent -> expected advice, in YAML (tests/scenarios/, mirroring rules/).

The scenarios are the specification: the tests run them, and `igs-advisor articles` counts the
scenarios that exercise each article.

A file is a list of scenarios, or a mapping with `bases:` (named intents) and `scenarios:`.
tests/scenarios/_bases.yaml holds bases every file may use. A scenario gives its intent as
`intent:` (complete), `intent_file:` (relative to the repository) or `base:` plus `set:`, where
`set` maps dotted paths to values, a key ending in `+` appends to a list and the value
`<delete>` removes the key.
"""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.paths import EXAMPLES_DIR, SCENARIOS_DIR as SCENARIO_DIR
from advisor.yamlio import load_yaml_text
DEFAULT_DATE = dt.date.fromisoformat("2026-06-01")  # scenarios are pinned: the law moves, tests must not
EXPECT_KEYS = {"recommended_form", "status", "excluded", "possible", "fired", "not_fired", "cites",
               "error", "finding_kinds", "message_contains"}


@dataclass
class Scenario:
    name: str
    file: str
    intent: dict[str, Any]
    expect: dict[str, Any]
    date: dt.date | None = None
    forms: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.file}: {self.name}"


def _load(path: Path) -> Any:
    return load_yaml_text(path.read_text(encoding="utf-8"), str(path))


def _apply(intent: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    intent = copy.deepcopy(intent)
    for path, value in changes.items():
        append = path.endswith("+")
        keys = path.rstrip("+").split(".")
        node = intent
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        if append:
            node[keys[-1]] = list(node.get(keys[-1], [])) + list(value)
        elif value == "<delete>":
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = copy.deepcopy(value)
    return intent


def load_scenarios() -> list[Scenario]:
    global_bases = _load(SCENARIO_DIR / "_bases.yaml")
    out: list[Scenario] = []
    for path in sorted(SCENARIO_DIR.rglob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = _load(path)
        bases = dict(global_bases)
        if isinstance(data, dict):
            bases.update(data.get("bases") or {})
            data = data["scenarios"]
        rel = path.relative_to(SCENARIO_DIR).as_posix()
        for item in data:
            unknown = set(item["expect"]) - EXPECT_KEYS
            assert not unknown, f"{rel}: {item['name']}: unknown expect keys {unknown}"
            if "intent" in item:
                intent = item["intent"]
            elif "intent_file" in item:
                intent = yaml.safe_load((EXAMPLES_DIR / Path(item["intent_file"]).name).read_text(encoding="utf-8"))
            else:
                intent = bases[item["base"]]
            intent = _apply(intent, item.get("set") or {})
            date = item.get("date")
            out.append(Scenario(
                name=item["name"], file=rel, intent=intent, expect=item["expect"],
                date=dt.date.fromisoformat(str(date)) if date else DEFAULT_DATE,
                forms=list(item.get("forms") or []),
            ))
    return out


def shown_rules(advice) -> set[str]:
    """The rules whose output the user sees: a reason of some form or a finding."""
    return {r.rule for fa in advice.forms for r in fa.reasons} | {f.rule for f in advice.findings}


def exercised(scenarios: list[Scenario] | None = None) -> list[set[str]]:
    """For every scenario that gives an advice, the rules it shows."""
    from advisor.advise import advise

    out = []
    for sc in scenarios if scenarios is not None else load_scenarios():
        if "error" not in sc.expect:
            out.append(shown_rules(advise(sc.intent, reference_date=sc.date, forms=sc.forms,
                                              open_questions=False)))
    return out
