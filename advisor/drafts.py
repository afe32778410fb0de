"""Drafts: the founding agreement or statutes of a form, the agreement for an intermunicipal
beleidsplan ruimte, and a model council decision (founding or joining), rendered from one Jinja
template per document to Markdown, then to HTML, Word and PDF (advisor/documents.py), and checked
for every clause the law requires.

Clause anchors are Markdown block attributes (`{#clause-id}` on the line before an article); they
become `id` attributes in HTML, bookmarks in Word and named destinations in PDF, so the check reads
each format itself. The grounds of each article are not in its text: an annex "Toelichting" gives,
per article, the law it rests on (laws with `ground: true` in rules/laws.yaml), what the rule base
asks of it, and the sources that are only mentioned (the research report, the product's policy).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from advisor import documents
from advisor.advise import advise
from advisor.errors import InputError, excerpt
from advisor.intake import parse_intent
from advisor.models import Advice, CooperationIntent, Finding
from advisor.render import PARTNER_KIND_LABELS, render
from advisor.rulebase import Citation, RuleBase, default_rulebase
from advisor.vocabulary import Form, PartnerKind, PolicyPlan

FORMATS = ("md", "html", "docx", "pdf")
DOCUMENTS = ("statuten", "beleidsplan", "raadsbesluit")
SITUATIONS = ("oprichting", "toetreding")
PLAN_DOCUMENT = "beleidsplan_ruimte"
COUNCIL_DOCUMENT = "raadsbesluit"
FOUNDING_TOPICS = ("oprichting", "regiovorming", "sector")  # rules/topics.yaml: what a founding rests on
JOINING_CLAUSES = ("toetreding", "statutenwijziging")  # rules/clauses.yaml: what joining changes
CHARTER_CLAUSE = "oprichting"  # rules/clauses.yaml: the founding agreement or act


class DraftError(InputError):
    """The draft asked for cannot be made for this intent (an excluded form, no plan): exit 2."""


@dataclass
class Draft:
    document: str  # a form code, PLAN_DOCUMENT or COUNCIL_DOCUMENT
    form: Form | None
    format: str
    content: bytes
    required: list[str]  # clause ids the law requires in this document
    missing: dict[str, list[str]] = field(default_factory=dict)  # format -> required clauses absent
    titles: dict[str, str] = field(default_factory=dict)
    advice: Advice | None = None  # the advice the draft was made from (with the form's obligations)
    situation: str | None = None  # a council decision: oprichting or toetreding

    @property
    def ok(self) -> bool:
        return not any(self.missing.values())


@dataclass(frozen=True)
class Cite:
    """A citation as a draft prints it: the law it rests on, or a source only mentioned."""

    cite: str
    verified: bool
    ground: bool

    def __str__(self) -> str:
        return self.cite if self.verified else f"{self.cite} (te verifiëren)"


@dataclass
class ClauseNote:
    """What the annex "Toelichting" says of one clause."""

    grounds: list[Cite] = field(default_factory=list)
    mentions: list[Cite] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def choose_form(advice: Advice, asked: Form | None) -> Form:
    status = {fa.form: fa for fa in advice.forms}
    if asked is not None:
        fa = status[asked]
        if fa.status == "excluded":
            why = "; ".join(r.message for r in fa.reasons)
            raise DraftError(f"form: de {fa.label.lower()} is uitgesloten voor deze intentie: {why}")
        return asked
    if advice.recommended_form is None:
        raise DraftError("geen enkele rechtsvorm past bij deze intentie, dus er is geen ontwerp; "
                         "zie het advies voor de uitwegen, of kies een vorm met --form")
    return advice.recommended_form


def draft(
    intent: dict | CooperationIntent,
    form: Form | str | None = None,
    fmt: str = "md",
    reference_date: dt.date | None = None,
    document: str = "statuten",
    *,
    situation: str | None = None,
    rulebase: RuleBase | None = None,
) -> Draft:
    if fmt not in FORMATS:
        raise InputError(f"format: {excerpt(fmt)} is geen ontwerpformaat; kies uit: {', '.join(FORMATS)}")
    if document not in DOCUMENTS:
        raise InputError(f"document: {excerpt(document)} is geen document; kies uit: {', '.join(DOCUMENTS)}")
    if situation is not None and document != "raadsbesluit":
        raise InputError("situation: enkel voor --document raadsbesluit")
    if situation is None and document == "raadsbesluit":
        situation = SITUATIONS[0]
    if situation is not None and situation not in SITUATIONS:
        raise InputError(f"situation: {excerpt(situation)} is geen situatie; kies uit: {', '.join(SITUATIONS)}")
    rb = rulebase or default_rulebase()
    intent = parse_intent(intent)
    try:
        asked = Form(form) if form else None
    except ValueError:
        raise InputError(f"form: {excerpt(form)} is geen rechtsvorm; kies uit: {', '.join(f.value for f in Form)}") from None
    chosen = choose_form(advise(intent, reference_date, rulebase=rb, open_questions=False), asked)
    advice = advise(intent, reference_date, forms=[chosen], rulebase=rb, open_questions=False)
    doc = {"statuten": chosen.value, "beleidsplan": PLAN_DOCUMENT, "raadsbesluit": COUNCIL_DOCUMENT}[document]
    if doc == PLAN_DOCUMENT and intent.facts.policy_plan in (None, PolicyPlan.geen):
        raise DraftError("document: beleidsplan: de intentie vraagt geen intergemeentelijk "
                         "beleidsplan ruimte (spatial_planning.policy_plan)")
    context = _context(rb, intent, advice, chosen, doc)
    if doc == COUNCIL_DOCUMENT:
        context.update(_council_context(rb, advice, chosen, situation or SITUATIONS[0]))
    markdown = render(f"drafts/{doc}.md.j2", **context)
    required = required_clauses(rb, advice, chosen, doc)
    content = documents.convert(markdown, fmt, advice.reference_date)
    result = Draft(document=doc, form=chosen, format=fmt, content=content, required=required,
                   titles={c: rb.clauses[c].title for c in required}, advice=advice, situation=situation)
    result.missing[fmt] = sorted(set(required) - documents.anchors(content, fmt))
    return result


def required_clauses(rb: RuleBase, advice: Advice, form: Form, document: str) -> list[str]:
    if document == COUNCIL_DOCUMENT:  # the parts every council decision has
        return [c for c, spec in rb.clauses.items() if document in spec.documents]
    out: list[str] = []
    for f in advice.findings:
        if f.kind != "obligation" or not f.clause or document not in rb.clauses[f.clause].documents:
            continue
        if document == PLAN_DOCUMENT or not f.forms or form in f.forms:
            if f.clause not in out:
                out.append(f.clause)
    return out


def clause_anchors(content: bytes, fmt: str) -> set[str]:
    return documents.anchors(content, fmt)


# ---------------------------------------------------------------- what a draft says

def _cites(rb: RuleBase, citations: list[Citation], form: Form) -> list[Cite]:
    """The citations of a rule that concern this form, each marked as ground or mention."""
    return [Cite(rb.cite(c), c.verified, rb.laws.laws[c.law].ground)
            for c in citations if not c.forms or form in c.forms]


def _spec(rb: RuleBase, form: Form) -> Any:
    return next(f for f in rb.forms if f.code == form)


def _applies(f: Finding, form: Form, document: str) -> bool:
    return not f.forms or form in f.forms or document == PLAN_DOCUMENT


def clause_notes(rb: RuleBase, advice: Advice, form: Form, document: str) -> dict[str, ClauseNote]:
    """Per clause: the law it rests on, the sources only mentioned, and what the rules ask of it."""
    out: dict[str, ClauseNote] = {}
    for f in advice.findings:
        if not f.clause or f.rule not in rb.by_id or not _applies(f, form, document):
            continue
        note = out.setdefault(f.clause, ClauseNote())
        for c in _cites(rb, rb.by_id[f.rule].citations, form):
            target = note.grounds if c.ground else note.mentions
            if c not in target:
                target.append(c)
        if f.message not in note.notes:
            note.notes.append(f.message)
    return out


def parties(intent: CooperationIntent) -> list[dict[str, Any]]:
    """One party per current municipality (former names of merged ones mentioned once), an unknown
    municipality marked, and the other partners as given."""
    from advisor.municipalities import registry
    reg = registry()
    out: list[dict[str, Any]] = []
    by_nis: dict[str, dict[str, Any]] = {}
    for p in intent.partners:
        party = {"name": p.name, "kind": PARTNER_KIND_LABELS[p.kind], "kind_code": p.kind.value,
                 "sector": p.sector, "former": [], "unknown": False,
                 "is_gemeente": p.kind is PartnerKind.gemeente,
                 "is_private": p.kind is PartnerKind.privaatrechtelijke_rechtspersoon}
        if p.kind is PartnerKind.gemeente:
            match = reg.lookup(p.name)
            m = match.municipality
            if m is None:
                party["unknown"] = True
            elif m.nis in by_nis:
                if match.former_name:
                    by_nis[m.nis]["former"] = list(m.former)
                continue
            else:
                party["name"] = m.name
                party["former"] = list(m.former) if match.former_name else []
                by_nis[m.nis] = party
        out.append(party)
    return out


def _context(rb: RuleBase, intent: CooperationIntent, advice: Advice, form: Form,
             document: str) -> dict[str, Any]:
    spec = _spec(rb, form)
    return {
        "intent": intent, "facts": intent.facts, "advice": advice, "form": spec, "partners": parties(intent),
        "params": rb.at(advice.reference_date).params, "clauses": clause_notes(rb, advice, form, document),
        "today": advice.reference_date, "labels": rb.form_labels,
        "finance": intent.finance, "plan": intent.spatial_planning,
        "competence": [(Cite(rb.cite(c), c.verified, True), c.note) for c in rb.laws.council_competence],
    }


def _decision_findings(rb: RuleBase, advice: Advice, form: Form, situation: str) -> list[Finding]:
    """The findings a council decision rests on: founding (and regiovorming) for a founding, the
    clauses that joining changes for a joining. Without legal personality the founding agreement
    is the charter each member approves, so joining means approving it too."""
    charter = not _spec(rb, form).legal_personality
    out = []
    for f in advice.findings:
        changed = f.clause in JOINING_CLAUSES
        if situation == "toetreding":
            wanted = changed or (charter and f.clause == CHARTER_CLAUSE)
        else:
            wanted = f.topic in FOUNDING_TOPICS and not changed
        if wanted and f.kind != "exclusion" and _applies(f, form, form.value):
            out.append(f)
    return out


def _council_context(rb: RuleBase, advice: Advice, form: Form, situation: str) -> dict[str, Any]:
    """The legal ground of a council decision (the form's definition and the rules it rests on,
    grouped by the law they cite), the council's competence, and the points to argue."""
    spec = _spec(rb, form)
    grounds: dict[tuple[Cite, ...], list[str]] = {}  # the citations of a rule -> the rules' titles
    definition = tuple(c for c in _cites(rb, [spec.definition], form) if c.ground)
    if definition:
        grounds[definition] = [f"{spec.label}: begrip"]
    findings = _decision_findings(rb, advice, form, situation)
    for f in findings:
        rule = rb.by_id.get(f.rule)
        if rule is None:  # a remark about the input, not a rule
            continue
        cites = tuple(c for c in _cites(rb, rule.citations, form) if c.ground)
        title = rule.title.rstrip(".")
        if cites and title not in grounds.setdefault(cites, []):
            grounds[cites].append(title)
    reasons = next(fa.reasons for fa in advice.forms if fa.form == form)
    return {
        "situation": situation,
        "grounds": [(list(cites), titles) for cites, titles in grounds.items()],
        "reasons": reasons,
        "points": [f.message for f in findings if f.kind in ("obligation", "warning")
                   and (situation == "toetreding" or not f.clause)],
    }


def check_all_formats(intent: dict | CooperationIntent, form: Form | str | None = None,
                      reference_date: dt.date | None = None, document: str = "statuten",
                      situation: str | None = None) -> Draft:
    """Render every format and record, per format, the required clauses it lacks."""
    result = None
    for fmt in FORMATS:
        d = draft(intent, form, fmt, reference_date, document, situation=situation)
        if result is None:
            result = d
        result.missing[fmt] = d.missing[fmt]
    assert result is not None
    return result
