"""Drafts: the founding agreement or statutes of a form (and the agreement for an intermunicipal
beleidsplan ruimte), rendered from one Jinja template per document to Markdown, then to HTML and
DOCX from the same Markdown, and checked for every clause the law requires.

Clause anchors are Markdown block attributes (`{#clause-id}` on the line before an article); they
become `id` attributes in HTML and bookmarks in Word, so the check reads each format itself.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Iterable

from advisor.advise import advise
from advisor.errors import InputError
from advisor.intake import parse_intent
from advisor.models import Advice, CitationOut, CooperationIntent
from advisor.render import PARTNER_KIND_LABELS, render
from advisor.rulebase import RuleBase, default_rulebase
from advisor.vocabulary import Form, PartnerKind, PolicyPlan

FORMATS = ("md", "html", "docx")
PLAN_DOCUMENT = "beleidsplan_ruimte"
_ANCHOR = re.compile(r"^\{#([a-z0-9-]+)\}$", re.MULTILINE)


class DraftError(InputError):
    """The draft asked for cannot be made for this intent (an excluded form, no plan): exit 2."""


@dataclass
class Draft:
    document: str  # a form code or PLAN_DOCUMENT
    form: Form | None
    format: str
    content: bytes
    required: list[str]  # clause ids the law requires in this document
    missing: dict[str, list[str]] = field(default_factory=dict)  # format -> required clauses absent
    titles: dict[str, str] = field(default_factory=dict)
    advice: Advice | None = None  # the advice the draft was made from (with the form's obligations)

    @property
    def ok(self) -> bool:
        return not any(self.missing.values())


def choose_form(advice: Advice, asked: Form | None) -> Form:
    status = {fa.form: fa for fa in advice.forms}
    if asked is not None:
        fa = status[asked]
        if fa.status == "excluded":
            why = "; ".join(r.message for r in fa.reasons)
            raise DraftError(f"--form: de {fa.label.lower()} is uitgesloten voor deze intentie: {why}")
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
    rulebase: RuleBase | None = None,
) -> Draft:
    if fmt not in FORMATS:
        raise InputError(f"--format: '{fmt}' is geen ontwerpformaat; kies uit: {', '.join(FORMATS)}")
    rb = rulebase or default_rulebase()
    intent = parse_intent(intent)
    asked = Form(form) if form else None
    chosen = choose_form(advise(intent, reference_date, rulebase=rb, open_questions=False), asked)
    advice = advise(intent, reference_date, forms=[chosen], rulebase=rb, open_questions=False)
    doc = chosen.value
    if document == "beleidsplan":
        if intent.facts.policy_plan in (None, PolicyPlan.geen):
            raise DraftError("--document beleidsplan: de intentie vraagt geen intergemeentelijk "
                             "beleidsplan ruimte (spatial_planning.policy_plan)")
        doc = PLAN_DOCUMENT
    markdown = render(f"drafts/{doc}.md.j2", **_context(rb, intent, advice, chosen, doc))
    required = required_clauses(rb, advice, chosen, doc)
    content = {"md": lambda: markdown.encode("utf-8"),
               "html": lambda: to_html(markdown, _title(markdown)).encode("utf-8"),
               "docx": lambda: to_docx(markdown, advice.reference_date)}[fmt]()
    result = Draft(document=doc, form=chosen, format=fmt, content=content, required=required,
                   titles={c: rb.clauses[c].title for c in required}, advice=advice)
    result.missing[fmt] = sorted(set(required) - clause_anchors(content, fmt))
    return result


def required_clauses(rb: RuleBase, advice: Advice, form: Form, document: str) -> list[str]:
    out: list[str] = []
    for f in advice.findings:
        if f.kind != "obligation" or not f.clause or document not in rb.clauses[f.clause].documents:
            continue
        if document == PLAN_DOCUMENT or not f.forms or form in f.forms:
            if f.clause not in out:
                out.append(f.clause)
    return out


def _title(markdown: str) -> str:
    first = next((line for line in markdown.splitlines() if line.startswith("# ")), "# Ontwerp")
    return first[2:].replace("\\", "")


def _context(rb: RuleBase, intent: CooperationIntent, advice: Advice, form: Form,
             document: str) -> dict[str, Any]:
    citations: dict[str, list[CitationOut]] = {}
    for f in advice.findings:
        if f.clause and (not f.forms or form in f.forms or document == PLAN_DOCUMENT):
            known = citations.setdefault(f.clause, [])
            known.extend(c for c in f.citations if c.cite not in {k.cite for k in known})
    partners = []
    from advisor.municipalities import registry
    for p in intent.partners:
        current = None
        if p.kind is PartnerKind.gemeente:
            match = registry().lookup(p.name)
            if match.municipality and match.former_name:
                current = match.municipality.name
        partners.append({"name": p.name, "kind": PARTNER_KIND_LABELS[p.kind], "sector": p.sector,
                         "current": current, "is_gemeente": p.kind is PartnerKind.gemeente,
                         "is_private": p.kind is PartnerKind.privaatrechtelijke_rechtspersoon})
    spec = next(f for f in rb.forms if f.code == form)
    return {
        "intent": intent, "facts": intent.facts, "advice": advice, "form": spec, "partners": partners,
        "params": rb.at(advice.reference_date).params, "clauses": citations,
        "today": advice.reference_date, "labels": rb.form_labels,
        "finance": intent.finance, "plan": intent.spatial_planning,
    }


# ---------------------------------------------------------------- formats

def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    return MarkdownIt("commonmark", {"html": False}).use(attrs_block_plugin)


def to_html(markdown: str, title: str) -> str:
    body = _markdown().render(markdown)
    return render("drafts/document.html.j2", title=title, body=body)


def to_docx(markdown: str, day: dt.date) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    props = document.core_properties
    props.title = _title(markdown)
    stamp = dt.datetime(day.year, day.month, day.day)  # deterministic: the same draft, the same bytes
    props.created = props.modified = props.last_printed = stamp
    props.author = props.last_modified_by = "igs-advisor"
    props.revision = 1
    tokens = _markdown().parse(markdown)
    lists: list[str] = []
    bookmark = 0
    pending_id: str | None = None
    style = None
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Number" if tok.type == "ordered_list_open" else "List Bullet")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "heading_open":
            style, pending_id = ("Title" if tok.tag == "h1" else f"Heading {int(tok.tag[1]) - 1}"), tok.attrs.get("id")
        elif tok.type == "paragraph_open":
            cls = tok.attrs.get("class")
            style = lists[-1] if lists else ("Quote" if cls == "grondslag" else None)
        elif tok.type == "inline":
            para = document.add_paragraph(style=style)
            if pending_id:  # a clause anchor becomes a Word bookmark around the heading
                bookmark += 1
                start = OxmlElement("w:bookmarkStart")
                start.set(qn("w:id"), str(bookmark))
                start.set(qn("w:name"), pending_id)
                end = OxmlElement("w:bookmarkEnd")
                end.set(qn("w:id"), str(bookmark))
                para._p.append(start)
            _inline_runs(para, tok.children or [], WD_BREAK)
            if pending_id:
                para._p.append(end)
                pending_id = None
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip_times(out.getvalue(), stamp)


def _fixed_zip_times(content: bytes, stamp: dt.datetime) -> bytes:
    """Word files are zip archives whose entries carry the time of writing: pin them."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _inline_runs(para: Any, children: Iterable[Any], wd_break: Any) -> None:
    bold = italic = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type == "hardbreak":
            para.add_run().add_break(wd_break.LINE)
        elif child.type == "softbreak":
            para.add_run(" ")
        elif child.type in ("text", "code_inline"):
            run = para.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None


# ---------------------------------------------------------------- the clause check

class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k == "id" and v)


def clause_anchors(content: bytes, fmt: str) -> set[str]:
    """The clause ids a rendered draft contains, read from the format itself."""
    if fmt == "md":
        return set(_ANCHOR.findall(content.decode("utf-8")))
    if fmt == "html":
        parser = _Ids()
        parser.feed(content.decode("utf-8"))
        return parser.ids
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', xml))


def check_all_formats(intent: dict | CooperationIntent, form: Form | str | None = None,
                      reference_date: dt.date | None = None, document: str = "statuten") -> Draft:
    """Render every format and record, per format, the required clauses it lacks."""
    result = None
    for fmt in FORMATS:
        d = draft(intent, form, fmt, reference_date, document)
        if result is None:
            result = d
        result.missing[fmt] = d.missing[fmt]
    assert result is not None
    return result
