"""A pure-Python evaluator of the rule files, used only as an oracle in tests.

It is a drop-in for advisor.engine.Engine (same `session(snap).run_stage(stage, facts)`), so
the whole orchestration can run on it and its advice compared with durable-rules' advice.
Operator semantics here are the specification the durable compiler must meet.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from advisor.rulebase import All, AnyOf, Condition, Leaf, Snapshot, resolve, rule_stage


def holds(cond: Condition | None, facts: dict[str, Any], params: dict[str, Any]) -> bool:
    if cond is None:
        return True
    if isinstance(cond, All):
        return all(holds(c, facts, params) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, facts, params) for c in cond.any)
    assert isinstance(cond, Leaf)
    op, operand = cond.op
    v = resolve(operand, params)
    x = facts[cond.fact]
    if op == "equals":
        return x == v
    if op == "not_equals":
        return x != v
    if op == "in":
        return x in v
    if op == "not_in":
        return x not in v
    if op in ("gt", "gte", "lt", "lte"):
        if x is None:
            return False
        return {"gt": x > v, "gte": x >= v, "lt": x < v, "lte": x <= v}[op]
    if op == "contains":
        return v in x
    if op == "intersects":
        return any(item in v for item in x)
    if op == "only_in":
        return bool(x) and all(item in v for item in x)
    if op == "any_not_in":
        return any(item not in v for item in x)
    raise AssertionError(op)


class OracleSession:
    def __init__(self, snap: Snapshot):
        self.snap = snap

    def run_stage(self, stage: int, facts: dict[str, Any]) -> list[str]:
        return [r.id for r in self.snap.rules
                if rule_stage(r) == stage and holds(r.when, facts, self.snap.params)]


class OracleEngine:
    @contextmanager
    def session(self, snap: Snapshot) -> Iterator[OracleSession]:
        yield OracleSession(snap)
