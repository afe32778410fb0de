"""check-statutes on the advisor's own drafts: every form and example passes clean in every format
(md, html, docx, txt, pdf); drafts with a clause removed, a majority or a term weakened, or an
outdated reference inserted are caught clause by clause.

`python tests/test_statutes_drafts.py` prints the detection rate on these altered drafts.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.advise import advise  # noqa: E402
from advisor import documents  # noqa: E402
from advisor.drafts import draft  # noqa: E402
from advisor.intake import load_intent  # noqa: E402
from advisor.paths import ROOT  # noqa: E402
from advisor.statutes import check_file  # noqa: E402
from advisor.statutes.check import draft_sections  # noqa: E402

DAY = dt.date(2026, 6, 1)
EXAMPLES = ROOT / "examples"
PER_FORM = {  # one example per form for the altered drafts
    "interlokale_vereniging": "sportregio.yaml",
    "projectvereniging": "wijkwerken.yaml",
    "dienstverlenende_vereniging": "streekintercommunale.yaml",
    "opdrachthoudende_vereniging": "afvalintercommunale.yaml",
    "opdrachthoudende_vereniging_met_private_deelname": "afval-private.yaml",
}
DVOV = ["dienstverlenende_vereniging", "opdrachthoudende_vereniging",
        "opdrachthoudende_vereniging_met_private_deelname"]


def every_draft() -> list[tuple[str, str]]:
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        if path.name == "expected.yaml":
            continue
        advice = advise(load_intent(path), DAY, open_questions=False)
        out += [(path.name, fa.form.value) for fa in advice.forms if fa.status != "excluded"]
    return out


@cache
def own(example: str, form: str):
    return draft(load_intent(EXAMPLES / example), form, "md", DAY)


# ---------------------------------------------------------------- alterations of a Markdown draft

_ANCHOR = re.compile(r"^\{#([a-z0-9-]+)\}\s*$")


def _span(markdown: str, clause: str) -> tuple[int, int]:
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "{#" + clause + "}")
    end = next((j for j in range(start + 1, len(lines))
                if _ANCHOR.match(lines[j]) or lines[j].startswith("## ")), len(lines))
    return start, end


def remove(markdown: str, clause: str) -> str:
    lines = markdown.splitlines()
    start, end = _span(markdown, clause)
    return "\n".join(lines[:start] + lines[end:]) + "\n"


def replace(markdown: str, clause: str | None, old: str, new: str) -> str:
    """Replace `old` (whitespace-insensitive) inside the clause's article, or anywhere (None)."""
    lines = markdown.splitlines()
    start, end = _span(markdown, clause) if clause else (0, len(lines))
    part = "\n".join(lines[start:end])
    changed = re.sub(r"\s+".join(map(re.escape, old.split())), new, part, count=1)
    assert changed != part, f"{old!r} not in {clause}"
    return "\n".join(lines[:start] + changed.splitlines() + lines[end:]) + "\n"


# (forms, clause, old, new): a majority or a term weakened, or a required element taken out
WEAKENINGS = [
    (DVOV, "duur", "opgericht voor 18 jaar", "opgericht voor 30 jaar"),
    (DVOV, "verlenging", "drie vierde van de stemmen", "twee derde van de stemmen"),
    (DVOV, "verlenging", "ten hoogste 18 jaar", "ten hoogste 24 jaar"),
    (DVOV, "verlenging", "90 kalenderdagen", "30 kalenderdagen"),
    (DVOV, "statutenwijziging", "met drie vierde van de geldig uitgebrachte stemmen en drie vierde",
     "met een gewone meerderheid van de geldig uitgebrachte stemmen en een gewone meerderheid"),
    (DVOV, "statutenwijziging", "90 kalenderdagen", "45 kalenderdagen"),
    (DVOV, "algemene-vergadering", "30 kalenderdagen vooraf", "15 kalenderdagen vooraf"),
    (DVOV, "algemene-vergadering", "De vergaderingen zijn openbaar;", "De vergaderingen zijn besloten;"),
    (DVOV, "raad-van-bestuur", "ten hoogste 15,", "ten hoogste 25,"),
    (DVOV, "raad-van-bestuur", "twee derde van hetzelfde geslacht", "drie vierde van hetzelfde geslacht"),
    (DVOV, "informatie", "minstens tweemaal per jaar", "minstens eenmaal per jaar"),
    (DVOV, "oprichting", "uiterlijk 3 maanden", "uiterlijk 6 maanden"),
    (DVOV, "openbaarheid", "op de website van de vereniging", "in het secretariaat van de vereniging"),
    (["opdrachthoudende_vereniging_met_private_deelname"], "ovp-private-deelname",
     "ten hoogste 49%", "ten hoogste 60%"),
    (["dienstverlenende_vereniging", "opdrachthoudende_vereniging_met_private_deelname"], "stemrecht",
     "De gemeenten beschikken steeds over de meerderheid van de stemmen.", "Elke deelnemer heeft één stem."),
    (["projectvereniging"], "duur", "opgericht voor 6 jaar", "opgericht voor 9 jaar"),
    (["projectvereniging"], "statutenwijziging", "vergt de instemming van de gemeenteraden van de deelnemende gemeenten",
     "vergt een beslissing van de raad van bestuur"),
    (["projectvereniging"], "uittreding", "enkel uittreden met instemming van de andere deelnemers",
     "uittreden na een opzegging van zes maanden"),
    (["interlokale_vereniging"], "naam", 'steeds gevolgd of voorafgegaan door de woorden "interlokale vereniging"',
     "zonder toevoeging"),
    (["interlokale_vereniging"], "iv-beheerscomite", "minstens één afgevaardigde per deelnemer",
     "de afgevaardigden die het college aanwijst"),
    (["interlokale_vereniging"], "informatie", "evalueert de samenwerking jaarlijks", "bespreekt de samenwerking"),
]

# (forms, clause or None, old, new, outdated ids expected)
OUTDATINGS = [
    (DVOV + ["projectvereniging"], "naam", "Decreet over het lokaal bestuur van 22 december 2017",
     "decreet van 6 juli 2001 houdende de intergemeentelijke samenwerking", {"decreet-2001"}),
    (DVOV, "rechtsvorm", "het Wetboek van vennootschappen en verenigingen voor de coöperatieve vennootschap",
     "het Wetboek van vennootschappen voor de coöperatieve vennootschap met beperkte aansprakelijkheid",
     {"cvba", "wetboek-vennootschappen-1999"}),
    (DVOV, "algemene-vergadering", "Elke gemeenteraad wijst",
     "Overeenkomstig het Gemeentedecreet wijst elke gemeenteraad", {"gemeentedecreet"}),
    (["interlokale_vereniging"], "iv-financiele-controle", "financieel directeur",
     "financieel beheerder", {"financieel-beheerder"}),
    (["interlokale_vereniging"], "oprichting", "De partijen richten",
     "Overeenkomstig de artikelen 6 tot 9 van het decreet van 6 juli 2001 houdende de intergemeentelijke "
     "samenwerking richten de partijen", {"decreet-2001"}),
]


@dataclass
class Variant:
    name: str
    kind: str  # own | removed | weakened | outdated
    form: str
    markdown: str
    clause: str | None = None
    expect: str = "aanwezig"  # the status the altered clause must get
    outdated: set[str] = field(default_factory=set)


@cache
def variants() -> tuple[Variant, ...]:
    out: list[Variant] = []
    for form, example in PER_FORM.items():
        d = own(example, form)
        md = d.content.decode("utf-8")
        stem = f"{Path(example).stem}-{form}"
        out.append(Variant(f"{stem}-eigen", "own", form, md))
        for clause in d.required:
            out.append(Variant(f"{stem}-zonder-{clause}", "removed", form, remove(md, clause), clause, "ontbreekt"))
        for forms, clause, old, new in WEAKENINGS:
            if form in forms and clause in d.required:
                out.append(Variant(f"{stem}-zwakker-{clause}-{len(out)}", "weakened", form,
                                   replace(md, clause, old, new), clause, "twijfel"))
        for forms, clause, old, new, ids in OUTDATINGS:
            if form in forms:
                out.append(Variant(f"{stem}-verouderd-{len(out)}", "outdated", form,
                                   replace(md, clause, old, new), clause, outdated=ids))
        if "bestuurdersaansprakelijkheid" in d.required:  # the 2023 amendment: missing after its date
            out.append(Variant(f"{stem}-van-voor-2023", "outdated", form,
                               remove(md, "bestuurdersaansprakelijkheid"), "bestuurdersaansprakelijkheid",
                               "ontbreekt", {"dlb-bestuurdersaansprakelijkheid"}))
    return tuple(out)


# ---------------------------------------------------------------- the formats a user uploads

def as_format(markdown: str, fmt: str) -> bytes:
    """The draft in a format a user uploads: the advisor's own converters (md, html, docx, and pdf as
    `draft --format pdf` writes it), and the Word text saved as plain text (a line per paragraph)."""
    if fmt == "md":
        return markdown.encode("utf-8")
    if fmt != "txt":
        return documents.convert(markdown, fmt, DAY)
    import docx
    word = documents.convert(markdown, "docx", DAY)
    return "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs).encode("utf-8")


def verdict(v: Variant, content: bytes, fmt: str) -> list[str]:
    """What is wrong with the check's answer on this variant (empty: caught as it should be)."""
    report = check_file(content, f"{v.name}.{fmt}", None, DAY)
    status = {c.clause: c.status for c in report.clauses}
    problems = []
    if report.form.value != v.form:
        problems.append(f"vorm {report.form.value}")
    if v.kind == "own":
        problems += [f"{c}: {s}" for c, s in status.items() if s != "aanwezig"]
        problems += [f"verouderd: {o.id}" for o in report.outdated]
    else:
        if v.clause and v.kind != "outdated" and status.get(v.clause) != v.expect:
            problems.append(f"{v.clause}: {status.get(v.clause)} (verwacht {v.expect})")
        others = {c: s for c, s in status.items() if c != v.clause and s != "aanwezig"}
        if v.kind != "outdated" and others:  # the other clauses are untouched
            problems.append(f"ook gemeld: {others}")
        missing_ids = v.outdated - {o.id for o in report.outdated}
        if missing_ids:
            problems.append(f"verouderd niet gemeld: {sorted(missing_ids)}")
    return problems


# ---------------------------------------------------------------- tests

@pytest.mark.parametrize("example, form", every_draft())
@pytest.mark.parametrize("fmt", ["md", "html", "docx", "txt"])
def test_the_advisors_own_drafts_pass_clean(example, form, fmt):
    d = own(example, form)
    report = check_file(as_format(d.content.decode("utf-8"), fmt), f"ontwerp.{fmt}", None, DAY)
    assert report.form.value == form
    assert [c.clause for c in report.clauses if c.status != "aanwezig"] == []
    assert report.outdated == [] and report.ok
    assert set(d.required) <= {c.clause for c in report.clauses}


@pytest.mark.parametrize("v", [v for v in variants()], ids=lambda v: v.name)
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_altered_drafts_are_caught_clause_by_clause(v, fmt):
    assert verdict(v, as_format(v.markdown, fmt), fmt) == []


def _pdf(markdown: str) -> bytes:
    return as_format(markdown, "pdf")


def test_altered_drafts_are_caught_in_pdf():
    """PDF as `draft --format pdf` writes it, read back from its text layer. Every variant: the PDFs
    are laid out on every core (about a second each)."""
    from concurrent.futures import ProcessPoolExecutor
    vs = variants()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        pdfs = list(pool.map(_pdf, [v.markdown for v in vs], chunksize=4))
    failures = {v.name: p for v, pdf in zip(vs, pdfs) if (p := verdict(v, pdf, "pdf"))}
    assert failures == {}


@pytest.mark.parametrize("v", [v for v in variants() if v.kind != "removed"][:12], ids=lambda v: v.name)
@pytest.mark.parametrize("fmt", ["html", "txt"])
def test_altered_drafts_are_caught_in_html_and_text(v, fmt):
    assert verdict(v, as_format(v.markdown, fmt), fmt) == []


def test_every_weakening_and_outdating_applies_to_some_form():
    names = {v.name for v in variants()}
    assert sum(v.kind == "weakened" for v in variants()) >= len(WEAKENINGS)
    assert sum(v.kind == "outdated" for v in variants()) >= len(OUTDATINGS)
    assert len(names) == len(variants())


def test_a_missing_clause_gets_the_text_of_the_advisors_own_draft():
    v = next(v for v in variants() if v.name.endswith("zonder-verlenging"))
    report = check_file(as_format(v.markdown, "md"), "s.md", None, DAY)
    clause = next(c for c in report.clauses if c.clause == "verlenging")
    expected = draft_sections(own(PER_FORM[v.form], v.form).content.decode("utf-8"))["verlenging"]
    assert clause.status == "ontbreekt" and clause.proposal == expected
    assert "drie vierde van de stemmen" in clause.proposal and clause.articles


def measure(formats=("md", "docx", "html", "txt", "pdf")) -> dict:
    """Detection per kind of alteration and format: caught / total, and what was missed."""
    rows: dict = {}
    for fmt in formats:
        for v in variants():
            problems = verdict(v, as_format(v.markdown, fmt), fmt)
            caught, total, missed = rows.get((v.kind, fmt), (0, 0, []))
            rows[(v.kind, fmt)] = (caught + (not problems), total + 1, missed + ([f"{v.name}: {problems}"] if problems else []))
    return rows


if __name__ == "__main__":
    for (kind, fmt), (caught, total, missed) in sorted(measure().items()):
        print(f"{kind:9} {fmt:5} {caught:3}/{total:<3}")
        for line in missed:
            print("   ", line)
