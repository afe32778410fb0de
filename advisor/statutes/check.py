"""Checking an uploaded statutes text against the law of a date: which clauses the form requires
(the obligations of the rule base, as for a draft), where the text has them, what they lack, which
references are outdated, and the reference regions of the members named.

The required clauses, the elements' rules and the regiovorming findings all come from one advice on
an intent read from the text (its form, members, partner kinds and purpose); the text a missing
clause should get comes from the advisor's own draft for that intent.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, Field

from advisor.errors import InputError
from advisor.models import Advice, CitationOut, Finding
from advisor.rulebase import RuleBase, default_rulebase
from advisor.statutes import detect
from advisor.statutes.data import statutes_data
from advisor.statutes.reading import Document, read_document
from advisor.statutes.structure import Unit, units as split_units
from advisor.vocabulary import Form, PartnerKind, PurposeKind

Status = Literal["aanwezig", "ontbreekt", "twijfel"]


class Doubt(BaseModel):
    label: str
    message: str
    passage: str | None = None
    articles: list[str]
    citations: list[CitationOut]
    verified: bool


class ClauseResult(BaseModel):
    clause: str = Field(description="clause id of rules/clauses.yaml")
    title: str
    status: Status
    found_in: str | None = Field(None, description="the article of the uploaded text ('Artikel N')")
    heading: str | None = None
    passage: str | None = None
    articles: list[str] = Field(description="the articles the requirement rests on, as printed")
    citations: list[CitationOut]
    verified: bool
    doubts: list[Doubt] = []
    to_fill_in: list[str] = Field([], description="required elements still '[in te vullen: ...]'")
    proposal: str | None = Field(None, description="the clause as the advisor's own draft words it")


class OutdatedResult(BaseModel):
    id: str
    found_in: str | None
    passage: str | None
    reason: str
    since: dt.date
    articles: list[str]
    citations: list[CitationOut]
    verified: bool


class Member(BaseModel):
    name: str = Field(description="as written in the text")
    municipality: str
    former_name: bool
    region: str


class RegioFinding(BaseModel):
    rule: str
    kind: str
    message: str
    articles: list[str]
    citations: list[CitationOut]
    verified: bool


class Regiovorming(BaseModel):
    members: list[Member]
    reference_regions: list[str]
    findings: list[RegioFinding]


class Basis(BaseModel):
    id: str
    label: str
    outdated: bool


class StatutesReport(BaseModel):
    file: str
    format: str
    form: Form
    form_label: str
    form_in_text: Form | None = Field(description="the form the text names itself (None: not recognised)")
    form_source: Literal["tekst", "--form"]
    document: str = Field(description="statuten | oprichtingsovereenkomst, as recognised")
    document_expected: str
    basis: Basis | None = Field(None, description="the decree the text was written under")
    date: dt.date
    clauses: list[ClauseResult]
    outdated: list[OutdatedResult]
    regiovorming: Regiovorming
    notes: list[str] = []
    articles_found: int = Field(description="articles read in the text")

    @property
    def ok(self) -> bool:
        return all(c.status == "aanwezig" for c in self.clauses) and not self.outdated

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.clauses)


def check_file(raw: bytes, filename: str, form: Form | str | None = None,
               day: dt.date | None = None) -> StatutesReport:
    return check_document(read_document(raw, filename), form, day)


def check_document(document: Document, form: Form | str | None = None, day: dt.date | None = None,
                   *, rulebase: RuleBase | None = None) -> StatutesReport:
    from advisor.advise import advise
    from advisor.drafts import required_clauses

    rb = rulebase or default_rulebase()
    data = statutes_data()
    commentary = data.recognition.commentary
    units = split_units(document, re.compile(commentary) if commentary else None)
    notes: list[str] = []
    in_text = detect.recognise_form(data, units)
    asked = Form(form) if form else None
    if asked is None and in_text is None:
        raise InputError("--form: de rechtsvorm is niet te herkennen in de tekst; geef --form met een van: "
                         + ", ".join(f.value for f in Form))
    chosen = asked or in_text
    labels = rb.form_labels
    if asked and in_text and asked != in_text:
        notes.append(f"De tekst noemt zich {_lower(labels[in_text])}; getoetst als {_lower(labels[asked])} (--form).")
    elif asked and in_text is None:
        notes.append(f"De tekst noemt geen rechtsvorm; getoetst als {_lower(labels[asked])} (--form).")
    expected = data.recognition.document_of_form[chosen]
    doc = detect.recognise_document(data, units) or expected
    if doc != expected:
        notes.append(f"De tekst noemt zich {data.recognition.documents[doc].label}; voor een "
                     f"{_lower(labels[chosen])} verwacht het decreet een "
                     f"{data.recognition.documents[expected].label}.")

    every = list(data.clauses)
    hits = detect.find_clauses(data, units, every)
    day = day or dt.date.today()
    if day < rb.earliest_date:
        raise InputError(f"--date: {day.isoformat()} ligt vóór {rb.earliest_date.isoformat()}; "
                         f"{rb.laws.advisor_scope.message}")
    params = rb.at(day).params
    intent, members = _intent(data, document, units, hits, chosen)
    advice = advise(intent, day, forms=[chosen], rulebase=rb, open_questions=False)
    order = list(rb.clauses)
    required = sorted(required_clauses(rb, advice, chosen, chosen.value), key=order.index)
    own = [f for f in advice.findings if not f.forms or chosen in f.forms]
    applicable = {f.rule for f in own}
    by_rule = {f.rule: f for f in own}

    results: list[ClauseResult] = []
    for cid in required:
        findings = [f for f in own if f.clause == cid and f.kind == "obligation"]
        cites = _merge([c for f in findings for c in f.citations])
        result = ClauseResult(clause=cid, title=rb.clauses[cid].title, status="ontbreekt",
                              articles=[c.cite for c in cites], citations=cites,
                              verified=all(c.verified for c in cites))
        clause_hits = hits.get(cid) or []
        if clause_hits:
            best = clause_hits[0]
            result.status = "aanwezig"
            result.found_in = best.unit.label
            result.heading = best.unit.heading or None
            result.passage = detect.passage(best.sentences or best.unit.sentences[:2]) or best.unit.heading
            spec = data.clauses.get(cid)
            for el in (spec.elements if spec else []):
                if el.rule not in applicable:
                    continue
                outcome = detect.check_element(data, el, clause_hits, params)
                if outcome.state == "open":
                    result.to_fill_in.append(el.label)
                elif outcome.state == "doubt":
                    f = by_rule[el.rule]
                    result.doubts.append(Doubt(label=el.label, message=outcome.message,
                                               passage=detect.passage(outcome.sentences) or None,
                                               articles=f.articles, citations=f.citations, verified=f.verified))
            if result.doubts:
                result.status = "twijfel"
        results.append(result)

    outdated = [OutdatedResult(id=h.item.id, found_in=h.unit.label, passage=detect.passage([h.sentence]),
                               reason=h.item.reason.strip(), since=h.item.outdated_from,
                               articles=[rb.cite(h.item.source)],
                               citations=[CitationOut(cite=rb.cite(h.item.source), verified=h.item.source.verified,
                                                      url=h.item.source.url)],
                               verified=h.item.source.verified)
                for h in detect.find_outdated(data, units, day, chosen)]
    seen = {o.found_in for o in outdated}  # an outdated reference already explains that article
    outdated += [o for o in _amendments(rb, results, advice, chosen) if o.found_in is None or o.found_in not in seen]
    basis = detect.recognise_basis(data, units)
    basis_out = None
    if basis is not None:
        basis_out = Basis(id=basis.id, label=basis.label,
                          outdated=any(o.id == basis.outdated for o in outdated))
    _propose(results, intent, chosen, day, notes)
    regio = Regiovorming(
        members=members, reference_regions=sorted({m.region for m in members}),
        findings=[RegioFinding(rule=f.rule, kind=f.kind, message=f.message, articles=f.articles,
                               citations=f.citations, verified=f.verified)
                  for f in advice.findings if f.topic == "regiovorming"] if members else [])
    if not members:
        notes.append("De tekst noemt geen herkende Vlaamse gemeenten als deelnemers: de referentieregio's "
                     "zijn niet bepaald.")
    return StatutesReport(
        file=document.name, format=document.format, form=chosen, form_label=labels[chosen],
        form_in_text=in_text, form_source="--form" if asked else "tekst", document=doc,
        document_expected=expected, basis=basis_out, date=day, clauses=results, outdated=outdated,
        regiovorming=regio, notes=notes, articles_found=sum(u.kind == "article" for u in units))


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def _merge(citations: list[CitationOut]) -> list[CitationOut]:
    out: dict[str, CitationOut] = {}
    for c in citations:
        out.setdefault(c.cite, c)
    return list(out.values())


_PURPOSE = {Form.interlokale_vereniging: PurposeKind.project, Form.projectvereniging: PurposeKind.project,
            Form.dienstverlenende_vereniging: PurposeKind.dienstverlening,
            Form.opdrachthoudende_vereniging: PurposeKind.beheersoverdracht,
            Form.opdrachthoudende_vereniging_met_private_deelname: PurposeKind.beheersoverdracht}


def _intent(data, document: Document, units: list[Unit], hits, form: Form):
    """The intent the text describes: its name, form, members, partner kinds and purpose."""
    from advisor.municipalities import registry
    from advisor.render import PARTNER_KIND_LABELS

    scoped = detect.participant_units(data, units, hits)
    names = detect.find_members(data, units, scoped)
    reg = registry()
    members: list[Member] = []
    partners: list[dict] = []
    seen: set[str] = set()
    for name in names:
        match = reg.lookup(name)
        if match.municipality is None or match.municipality.nis in seen:
            continue
        seen.add(match.municipality.nis)
        members.append(Member(name=name, municipality=match.municipality.name,
                              former_name=match.former_name, region=match.municipality.region))
        partners.append({"name": name, "kind": PartnerKind.gemeente.value})
    while sum(p["kind"] == PartnerKind.gemeente.value for p in partners) < 2:
        partners.append({"name": f"[in te vullen: deelnemende gemeente {len(partners) + 1}]",
                         "kind": PartnerKind.gemeente.value})
    kinds = detect.find_partner_kinds(data, scoped)
    if form is Form.opdrachthoudende_vereniging_met_private_deelname and \
            PartnerKind.privaatrechtelijke_rechtspersoon not in kinds:
        kinds.append(PartnerKind.privaatrechtelijke_rechtspersoon)
    for kind in kinds:
        if kind is PartnerKind.gemeente:
            continue
        partner = {"name": f"[in te vullen: {PARTNER_KIND_LABELS[kind]}]", "kind": kind.value}
        partners.append(partner)
    description, roles, domains = detect.find_purpose(data, hits)
    name = detect.find_name(data, hits, units) or re.sub(r"\.\w+$", "", document.name) or "Samenwerkingsverband"
    purpose: dict = {"kind": _PURPOSE[form].value, "domains": domains, "sector_roles": roles}
    if description:
        purpose["description"] = description[:5000]
    intent = {
        "name": name[:300], "purpose": purpose, "partners": partners,
        "needs": {"legal_personality": form is not Form.interlokale_vereniging},
    }
    if form is Form.opdrachthoudende_vereniging_met_private_deelname:
        for p in partners:
            if p["kind"] == PartnerKind.privaatrechtelijke_rechtspersoon.value:
                p["sector"] = domains[0] if domains else None  # the purpose's domain
    return intent, members


def _amendments(rb: RuleBase, results: list[ClauseResult], advice: Advice, form: Form) -> list[OutdatedResult]:
    """A clause (or element) the law added after the start of the DLB that the text lacks: the
    text predates that amendment."""
    out: list[OutdatedResult] = []
    start = rb.earliest_date
    for r in results:
        if r.status == "aanwezig":
            continue
        rules: list[Finding] = []
        if r.status == "ontbreekt":
            rules = [f for f in advice.findings if f.clause == r.clause and f.kind == "obligation"
                     and (not f.forms or form in f.forms)]
            if not rules or any(rb.by_id[f.rule].valid_from <= start for f in rules):
                continue
        else:
            doubted = {d.label for d in r.doubts}
            spec = statutes_data().clauses.get(r.clause)
            names = {el.rule for el in (spec.elements if spec else []) if el.label in doubted}
            rules = [f for f in advice.findings if f.rule in names and rb.by_id[f.rule].valid_from > start]
        for f in rules:
            rule = rb.by_id[f.rule]
            out.append(OutdatedResult(
                id=f.rule, found_in=r.found_in, passage=r.passage if r.status == "twijfel" else None,
                reason=f"Verplicht sinds {rule.valid_from.isoformat()}: {rule.title} De tekst "
                       f"{'mist dit' if r.status == 'ontbreekt' else 'voldoet hier niet aan'} en dateert "
                       "wellicht van vóór die wijziging.",
                since=rule.valid_from, articles=f.articles, citations=f.citations, verified=f.verified))
    return out


def _propose(results: list[ClauseResult], intent: dict, form: Form, day: dt.date, notes: list[str]) -> None:
    """The text the advisor's own draft gives each missing or doubtful clause (one set of templates)."""
    wanted = [r for r in results if r.status != "aanwezig"]
    if not wanted:
        return
    from advisor.drafts import DraftError, draft
    try:
        markdown = draft(intent, form, "md", day).content.decode("utf-8")
    except DraftError as exc:
        notes.append(f"Geen voorstel van clausules: het ontwerp kan niet worden gemaakt ({exc}).")
        return
    sections = draft_sections(markdown)
    for r in wanted:
        r.proposal = sections.get(r.clause)


_ANCHOR = re.compile(r"^\{#([a-z0-9-]+)\}\s*$")


def draft_sections(markdown: str) -> dict[str, str]:
    """Clause id -> the article that follows its anchor in a Markdown draft, as plain text."""
    out: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            out[current] = _plain("\n".join(lines))

    for line in markdown.splitlines():
        anchor = _ANCHOR.match(line)
        if anchor or line.startswith("## ") or line.startswith("# "):
            close()
            current, lines = (anchor.group(1) if anchor else None), []
            continue
        if current is not None and not line.startswith("{."):
            lines.append(line)
    close()
    return out


def _plain(markdown: str) -> str:
    text = re.sub(r"^#+\s*", "", markdown.strip(), flags=re.MULTILINE)
    text = re.sub(r"(?<!\\)\*", "", text).replace("\\", "")
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if lines and all(re.match(r"^(\d+\.|-)\s", line) for line in lines):
            out.extend(lines)  # a list keeps its items
        elif lines:
            out.append(" ".join(lines))
    return "\n".join(out)
