"""Orchestration: intent -> facts -> engine (two stages) -> statuses, reasons and findings."""
from __future__ import annotations

import datetime as dt
import re
import weakref
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Iterable

from advisor import __version__
from advisor.engine import Engine
from advisor.errors import InputError
from advisor.intake import parse_intent
from advisor.law.store import Store, current as law_store
from advisor.models import (
    Advice, CitationOut, CooperationIntent, Finding, FormAdvice, Reason, trusted,
)
from advisor.rulebase import Rule, RuleBase, Snapshot, default_rulebase, rule_stage
from advisor.lexicon import lexicon
from advisor.topics import topic_of
from advisor.vocabulary import FINDING_KIND, PARTNER_KIND_LABELS, REASON_OUTCOMES, Form, Outcome, Scope

_PLACEHOLDER = re.compile(r"\{([a-z_]+:)?([a-z0-9_.]+)\}")


@cache
def default_engine() -> Engine:
    return Engine()


def reference_day(intent: CooperationIntent, reference_date: dt.date | None, rb: RuleBase) -> dt.date:
    day = reference_date or intent.reference_date or dt.date.today()
    if day < rb.earliest_date:
        field = "--date" if reference_date else "reference_date"
        raise InputError(f"{field}: {day.isoformat()} ligt vóór {rb.earliest_date.isoformat()}; "
                         f"{rb.laws.advisor_scope.message}")
    return day


def advise(
    intent: dict | CooperationIntent,
    reference_date: dt.date | None = None,
    forms: Iterable[Form | str] = (),
    *,
    rulebase: RuleBase | None = None,
    engine: Engine | None = None,
    open_questions: bool = True,
) -> Advice:
    """Advise on one intent. `forms`: also list the obligations of these forms. `open_questions`:
    also run the advisor on each answer to the open questions (contract 1b)."""
    rb = rulebase or default_rulebase()
    intent = parse_intent(intent)
    day = reference_day(intent, reference_date, rb)
    snap = rb.at(day)
    plan = _plan(rb, snap)
    with (engine or default_engine()).session(snap) as session:
        fired = session.run_stage(1, intent.fact_dict)
        excluded, demoted = _effects(rb, fired)
        recommended = _choose(rb, excluded, demoted)
        decision = {  # DecisionFacts, as JSON: what the second stage tests and messages show
            **intent.fact_dict, "recommended_form": recommended.value if recommended else None,
            "excluded_forms": [f.code.value for f in rb.forms if f.code in excluded],
            "possible_forms": [f.code.value for f in rb.forms if f.code not in excluded and f.code != recommended],
        }
        if plan.has_stage2:
            fired = fired + session.run_stage(2, decision)
    advice = _build(rb, snap, plan, intent, decision, recommended, fired, {Form(f) for f in forms})
    if open_questions:
        from advisor.questionnaire import open_questions as find_open
        advice.open_questions = find_open(intent, day, recommended, rb, engine)
    return advice


def recommend(intent: dict | CooperationIntent, reference_date: dt.date | None = None, *,
              rulebase: RuleBase | None = None, engine: Engine | None = None) -> Form | None:
    """Only the recommended form (the first stage of `advise`): for exploring answers."""
    rb = rulebase or default_rulebase()
    intent = parse_intent(intent)
    snap = rb.at(reference_day(intent, reference_date, rb))
    with (engine or default_engine()).session(snap) as session:
        fired = session.run_stage(1, intent.fact_dict)
    return _choose(rb, *_effects(rb, fired))


def _choose(rb: RuleBase, excluded: set[Form], demoted: set[Form]) -> Form | None:
    """The lightest form (forms.yaml order) that no rule excludes and none marks not recommended."""
    return next((f.code for f in rb.forms if f.code not in excluded and f.code not in demoted), None)


def _effects(rb: RuleBase, fired: list[str]) -> tuple[set[Form], set[Form]]:
    excluded: set[Form] = set()
    demoted: set[Form] = set()
    for rule in _effective(rb, fired):
        if rule.then.outcome is Outcome.exclusion:
            excluded.update(rule.forms)
        elif rule.then.outcome is Outcome.not_recommended:
            demoted.update(rule.forms)
    return excluded, demoted


def _effective(rb: RuleBase, fired: list[str]) -> list[Rule]:
    """Fired rules, minus those a fired rule overrides, in rule-base order (never firing order)."""
    ids = set(fired)
    overridden = {o for rid in ids for o in rb.by_id[rid].overrides}
    order = _order(rb)
    return [rb.by_id[rid] for rid in sorted(ids - overridden, key=order.__getitem__)]


@cache
def _order(rb: RuleBase) -> dict[str, int]:
    return {r.id: i for i, r in enumerate(rb.rules)}


def render_message(rb: RuleBase, template: str, facts: dict[str, Any], params: dict[str, Any]) -> str:
    return _render(rb, _parts(template), facts, params)


@lru_cache(maxsize=None)
def _parts(template: str) -> tuple[tuple[str, str, str], ...]:
    """A message template cut once into (text before, placeholder kind, name); a last part with
    an empty name holds the text after the last placeholder."""
    parts, at = [], 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append((template[at:match.start()], match.group(1) or "", match.group(2)))
        at = match.end()
    parts.append((template[at:], "", ""))
    return tuple(parts)


def _render(rb: RuleBase, parts: tuple[tuple[str, str, str], ...], facts: dict[str, Any],
            params: dict[str, Any]) -> str:
    out = []
    for text, kind, name in parts:
        out.append(text)
        if not name:
            continue
        if kind == "param:":
            out.append(_show(params[name]))
        elif kind == "label:":  # codes as the words a reader knows (forms, partner kinds, roles, domains)
            v = facts[name]
            out.append(_show([_label(rb, x) for x in v] if isinstance(v, list) else _label(rb, v)))
        elif kind == "num:":  # a number as a Dutch reader writes it: 52.310 and 12,5
            out.append(dutch_number(facts[name] if name in facts else params[name]))
        else:
            out.append(_show(facts[name]))
    return "".join(out)


def _label(rb: RuleBase, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    form = rb.form_labels.get(value)
    if form:
        return form[0].lower() + form[1:]
    if value in PARTNER_KIND_LABELS:
        return PARTNER_KIND_LABELS[value]
    return lexicon().label(value) or value


def dutch_number(v: Any) -> str:
    if v is None or isinstance(v, bool) or not isinstance(v, (int, float)):
        return _show(v)
    text = f"{v:,.1f}" if isinstance(v, float) and v != int(v) else f"{int(v):,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _show(v: Any) -> str:
    if v is None:
        return "niet opgegeven"
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, (list, tuple)):
        return ", ".join(_show(x) for x in v) if v else "geen"
    return str(v)


@dataclass(frozen=True, slots=True)
class _RulePlan:
    """What an advice needs of one rule, worked out once per rule-base snapshot."""

    rule: Rule
    outcome: Outcome
    forms: tuple[Form, ...]
    form_values: tuple[str, ...]
    kind: str
    topic: str
    verified: bool
    parts: tuple[tuple[str, str, str], ...]
    message: str | None  # the message when it has no placeholder: the same for every case
    always_visible: bool  # shown whatever the forms excluded or shown
    scope_recommended: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    has_stage2: bool
    rules: dict[str, _RulePlan]


_PLANS: "weakref.WeakKeyDictionary[RuleBase, dict[str, _Plan]]" = weakref.WeakKeyDictionary()


def _plan(rb: RuleBase, snap: Snapshot) -> _Plan:
    plans = _PLANS.get(rb)
    if plans is None:
        plans = _PLANS.setdefault(rb, {})
    found = plans.get(snap.key)
    if found is None:
        found = plans[snap.key] = _make_plan(snap)
    return found


def _make_plan(snap: Snapshot) -> _Plan:
    rules = {}
    for rule in snap.rules:
        outcome, parts = rule.then.outcome, _parts(rule.then.message)
        rules[rule.id] = _RulePlan(
            rule=rule, outcome=outcome, forms=tuple(rule.forms), form_values=tuple(f.value for f in rule.forms),
            kind=rule.then.report_as or FINDING_KIND.get(outcome, ""),  # no finding for an explanation
            topic=topic_of(rule.id, rule.then.clause, rule.source.law).code, verified=rule.verified,
            parts=parts, message=parts[0][0] if len(parts) == 1 else None,
            always_visible=not rule.forms or rule.effective_scope is Scope.always or outcome is Outcome.exclusion,
            scope_recommended=rule.effective_scope is Scope.recommended,
        )
    return _Plan(has_stage2=any(rule_stage(r) == 2 for r in snap.rules), rules=rules)


def _build(rb: RuleBase, snap: Snapshot, plan: _Plan, intent: CooperationIntent, facts: dict[str, Any],
           recommended: Form | None, fired: list[str], asked: set[Form]) -> Advice:
    """The advice, from objects the advisor made itself: built without validating them again."""
    excluded = set(facts["excluded_forms"])
    shown = asked | ({recommended} if recommended else set())
    reasons: dict[Form, list[Reason]] = {f.code: [] for f in rb.forms}
    findings: list[Finding] = []
    effective = _effective(rb, fired)
    table = _citation_table(rb, snap.day)
    for rule in effective:
        rp = plan.rules[rule.id]
        message = rp.message if rp.message is not None else _render(rb, rp.parts, facts, snap.params)
        cited, articles = table[rule.id]
        outcome = rp.outcome
        if outcome in REASON_OUTCOMES:
            for form in rp.forms:
                if form.value in excluded and outcome is not Outcome.exclusion:
                    continue  # an excluded form is explained by its exclusions only
                if outcome is Outcome.explanation and (form == recommended or form.value in excluded):
                    continue  # an explanation says why a possible form is not the recommended one
                reasons[form].append(trusted(Reason, rule=rule.id, articles=list(articles), message=message,
                                             verified=rp.verified, citations=list(cited)))
        if outcome is Outcome.explanation or not _visible(rp, excluded, shown):
            continue
        findings.append(trusted(Finding, rule=rule.id, kind=rp.kind, articles=list(articles), forms=list(rp.forms),
                                message=message, verified=rp.verified, citations=list(cited),
                                clause=rule.then.clause, topic=rp.topic))
    for notice in intent.notices:
        findings.append(trusted(Finding, rule=notice.rule, kind="warning", articles=[], forms=[],
                                message=notice.message, verified=True))
    form_advice = [
        trusted(
            FormAdvice,
            form=f.code, label=f.label, reasons=reasons[f.code],
            status="excluded" if f.code.value in excluded
            else "recommended" if f.code == recommended else "possible",
        )
        for f in rb.forms
    ]
    unverified = sum(not r.verified for fa in form_advice for r in fa.reasons)
    unverified += sum(not f.verified for f in findings)
    return trusted(
        Advice, recommended_form=recommended, forms=form_advice, findings=findings,
        reference_date=snap.day, name=intent.name, facts=intent.facts,
        fired_rules=[r.id for r in effective],
        unverified_citations=unverified, rulebase=rb.digest[:16], version=__version__,
    )


@cache
def _cited(rb: RuleBase) -> dict[str, tuple[list[CitationOut], list[str]]]:
    """The citations of every rule without the official text (no store: the advice as before)."""
    from advisor.law.text import official
    out = {}
    for rule in rb.rules:
        cites = [CitationOut(cite=rb.cite(c), verified=c.verified, url=official(rb, c, rb.earliest_date, None).url)
                 for c in rule.citations]
        out[rule.id] = (cites, [c.cite for c in cites])
    return out


@lru_cache(maxsize=32)
def _cited_with_text(rb: RuleBase, day: dt.date, store: Store) -> dict[str, tuple[list[CitationOut], list[str]]]:
    """With a local copy of the law: each citation's official text in force on `day` and its codex link."""
    from advisor.law.text import official
    out = {}
    for rule in rb.rules:
        cites = []
        for c in rule.citations:
            found = official(rb, c, day, store)
            cites.append(CitationOut(cite=rb.cite(c), verified=c.verified, url=found.url, text=found.text))
        out[rule.id] = (cites, [c.cite for c in cites])
    return out


def _citation_table(rb: RuleBase, day: dt.date) -> dict[str, tuple[list[CitationOut], list[str]]]:
    store = law_store()
    return _cited(rb) if store is None else _cited_with_text(rb, day, store)


def _visible(rp: _RulePlan, excluded: set[str], shown: set[Form]) -> bool:
    if rp.always_visible:
        return True
    if rp.scope_recommended:
        return any(f in shown for f in rp.forms)
    return any(f not in excluded for f in rp.form_values)
