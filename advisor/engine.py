"""The only module that imports durable_rules: compile a rule-base snapshot, run it, trace it.

Workarounds for the engine's known defects (see shared/engine/durable-rules-notes.md):
P1 no background threads (QuietHost); P2 no `not` at all: a rule tests one stage fact, and the
stages are asserted one after the other by the caller (rules without a condition are folded at
compile time: they hold for every fact of their stage); P3 a catch-all rule; P4 every action is
wrapped and an error in it fails the advice; P6/P7 fresh session ids and a bounded number of live
sessions; P8 a falsy state is an error; P9 facts are pydantic-normalised JSON; P10 a native
refusal to create a valid rule set is retried (see `Engine._create`).

Sessions are pooled for the engine's life and never deleted: `delete_state` corrupts durable's
native memory now and then (seen as `Could not create ruleset, error code: 102` or a crash much
later in the same process). After an advice its stage facts are retracted, which empties the
session, and the session id goes back to the pool of its ruleset.
"""
from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

from durable import engine as durable_engine

from advisor.errors import EngineError, RuleBaseError
from advisor.rulebase import All, AnyOf, Condition, Leaf, Rule, Snapshot, resolve, rule_stage

MAX_LIVE_SESSIONS = 32
COLLECT_PRIORITY = 65000  # above every rule: the catch-all runs last
STAGE_KIND = {1: "$case", 2: "$decision"}
CREATE_ATTEMPTS = 4  # P10 below


class QuietHost(durable_engine.Host):
    """durable's Host without its timer threads, which segfault after delete_state (P1)."""

    def _run(self) -> None:
        pass


class _Trace:
    __slots__ = ("fired", "constant")

    def __init__(self) -> None:
        self.fired: list[str] = []
        self.constant: dict[int, list[str]] = {}


class Engine:
    def __init__(self) -> None:
        self._host = QuietHost()
        self._compiled: set[str] = set()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_LIVE_SESSIONS)
        self._traces: dict[str, _Trace] = {}
        self._idle: dict[str, list[str]] = {}  # ruleset -> session ids with no facts, ready for reuse
        self._constant_cache: dict[str, dict[int, list[str]]] = {}

    def _ruleset(self, snap: Snapshot) -> str:
        name = f"igs_{snap.key}"
        if name not in self._compiled:
            with self._lock:
                if name not in self._compiled:
                    self._create(name, snap)
                    self._compiled.add(name)
        return name

    def _create(self, name: str, snap: Snapshot) -> None:
        """P10: durable's native `create_ruleset` refuses a valid definition now and then (`Could
        not create ruleset, error code: 102`, about once in a full test run, never twice in a row):
        it reads memory it did not initialise. The same definition is offered again, freshly
        compiled (durable consumes the one it is given); a definition refused every time is an error."""
        for attempt in range(CREATE_ATTEMPTS):
            try:
                self._host.set_rulesets({name: self._compile(snap)})
                return
            except Exception as exc:  # durable_rules_engine.error: the native refusal
                if attempt == CREATE_ATTEMPTS - 1:
                    raise EngineError(f"de regelmotor weigerde de regelbank ({exc})") from exc

    @staticmethod
    def constant_rules(snap: Snapshot) -> dict[int, list[str]]:
        """Rules without a condition hold for every fact of their stage: folded at compile time
        rather than costing a durable action callback (and its JSON round trip) per advice."""
        out: dict[int, list[str]] = {1: [], 2: []}
        for rule in snap.rules:
            if rule.when is None:
                out[rule_stage(rule)].append(rule.id)
        return out

    def _compile(self, snap: Snapshot) -> dict[str, Any]:
        rules: dict[str, Any] = {}
        for rule in snap.rules:
            if rule.when is None:
                continue
            expr = {"$and": [{"kind": STAGE_KIND[rule_stage(rule)]},
                             compile_condition(rule.when, snap.params, rule)]}
            rules[rule.id] = {"all": [{"m": expr}], "run": self._action(rule.id)}
        rules["$collect"] = {"all": [{"m": {"$ex": {"kind": 1}}}], "pri": COLLECT_PRIORITY,
                             "cap": 1000, "run": _noop}
        return rules

    def _action(self, rule_id: str):
        traces = self._traces

        def action(c: Any) -> None:  # P4: a failure here surfaces as state['exception'] in run_stage
            trace = traces.get(c.s.sid)
            if trace is not None:
                trace.fired.append(rule_id)

        return action

    @contextmanager
    def session(self, snap: Snapshot) -> Iterator["Session"]:
        ruleset = self._ruleset(snap)
        with self._slots:
            sid = self._checkout(ruleset)
            trace = self._traces[sid] = _Trace()
            trace.constant = self._constants(snap)
            session = Session(self._host, ruleset, sid, trace)
            try:
                yield session
            finally:
                self._traces.pop(sid, None)
                if session.empty():
                    self._idle[ruleset].append(sid)
                # else: a session that would not empty is left alone (never deleted, never reused)

    def _checkout(self, ruleset: str) -> str:
        with self._lock:
            idle = self._idle.setdefault(ruleset, [])
            if idle:
                return idle.pop()
            sid = self._fresh_sid(ruleset)
            self._traces[sid] = _Trace()  # reserved until the caller replaces it
            return sid

    def _constants(self, snap: Snapshot) -> dict[int, list[str]]:
        found = self._constant_cache.get(snap.key)
        if found is None:
            found = self._constant_cache[snap.key] = self.constant_rules(snap)
        return found

    def _fresh_sid(self, ruleset: str) -> str:
        while True:  # P6: session ids are found by a 32-bit hash; never share one
            sid = uuid.uuid4().hex
            try:
                self._host.get_state(ruleset, sid)
            except Exception:
                if sid not in self._traces:
                    return sid


class Session:
    def __init__(self, host: QuietHost, ruleset: str, sid: str, trace: _Trace):
        self._host, self._ruleset, self._sid, self._trace = host, ruleset, sid, trace
        self._asserted: list[dict[str, Any]] = []
        self._unsure = False  # an assertion failed: what the session holds is unknown

    def empty(self) -> bool:
        """Retract every fact this advice asserted, so that the session can serve the next one.
        False when the engine refused: the session is then never used again."""
        if self._unsure:
            return False
        try:
            while self._asserted:
                self._host.retract_fact(self._ruleset, self._asserted[-1])
                self._asserted.pop()
        except Exception:
            return False
        return True

    def run_stage(self, stage: int, facts: dict[str, Any]) -> list[str]:
        """Assert one stage fact and return the ids of the rules it fired (in firing order)."""
        start = len(self._trace.fired)
        fact = {**facts, "sid": self._sid, "kind": STAGE_KIND[stage]}
        self._unsure = True
        try:
            state = self._host.assert_fact(self._ruleset, fact)
        except durable_engine.MessageObservedException:
            # P6: fact identity is a 32-bit hash; a distinct fact can collide with an earlier
            # one of this session. A salt gives it another identity (rules never test `_salt`).
            fact = {**fact, "_salt": uuid.uuid4().hex}
            try:
                state = self._host.assert_fact(self._ruleset, fact)
            except Exception as exc:
                raise EngineError(f"de regelmotor weigerde de feiten: {exc}") from exc
        except Exception as exc:
            raise EngineError(f"de regelmotor weigerde de feiten: {exc}") from exc
        self._asserted.append(fact)
        self._unsure = False
        if not state:
            raise EngineError("de regelmotor werd niet volledig uitgevoerd (time-out in een actie)")
        if isinstance(state, dict) and "exception" in state:
            raise EngineError(f"de regelmotor meldde een fout: {state['exception']}")
        return self._trace.constant[stage] + self._trace.fired[start:]


def _noop(c: Any) -> None:
    pass


def compile_condition(cond: Condition, params: dict[str, Any], rule: Rule) -> dict[str, Any]:
    """Our closed operator set -> durable's JSON expressions."""
    if isinstance(cond, All):
        return {"$and": [compile_condition(c, params, rule) for c in cond.all]}
    if isinstance(cond, AnyOf):
        return {"$or": [compile_condition(c, params, rule) for c in cond.any]}
    assert isinstance(cond, Leaf)
    op, operand = cond.op
    try:
        value = resolve(operand, params)
    except KeyError:
        raise RuleBaseError(f"{rule.id}: parameter zonder waarde op deze datum") from None
    f = cond.fact
    if op == "equals":
        return {f: value}
    if op == "not_equals":  # durable's $neq never matches a null value; unknown is 'not X'
        return {"$neq": {f: value}} if value is None else {"$or": [{"$neq": {f: value}}, {f: None}]}
    if op in ("gt", "gte", "lt", "lte"):
        return {f"${op}": {f: value}}
    if op == "in":
        return {"$or": [{f: v} for v in value]}
    if op == "not_in":
        outside = {"$and": [{"$neq": {f: v}} for v in value]}
        return outside if None in value else {"$or": [outside, {f: None}]}
    if op == "contains":
        return {"$iany": {f: {"$i": value}}}
    if op == "intersects":
        return {"$iany": {f: {"$or": [{"$i": v} for v in value]}}}
    if op == "only_in":  # non-empty and every item in the list (durable's $iall is false on [])
        return {"$iall": {f: {"$or": [{"$i": v} for v in value]}}}
    if op == "any_not_in":
        return {"$iany": {f: {"$and": [{"$neq": {"$i": v}} for v in value]}}}
    raise RuleBaseError(f"{rule.id}: operator '{op}' heeft geen vertaling voor de regelmotor")
