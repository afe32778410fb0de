"""Documents a lawyer can put on the council's agenda: signable drafts in every format, a model
council decision per form and situation, the adviesnota, PDF, and Word files LibreOffice opens."""
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from advisor.adviesnota import adviesnota
from advisor.advise import advise
from advisor.cli import main
from advisor.documents import PdfUnavailable, anchors, pdf_text, placeholders
from advisor.drafts import SITUATIONS, check_all_formats, draft, parties
from advisor.intake import parse_intent
from advisor.paths import ROOT
from advisor.rulebase import default_rulebase
from advisor.scenarios import SCENARIO_DIR

DAY = dt.date(2026, 6, 1)
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden"
BASES = yaml.safe_load((SCENARIO_DIR / "_bases.yaml").read_text(encoding="utf-8"))
# one example per form (the form it recommends)
BY_FORM = {
    "interlokale_vereniging": "sportregio.yaml",
    "projectvereniging": "wijkwerken.yaml",
    "dienstverlenende_vereniging": "streekintercommunale.yaml",
    "opdrachthoudende_vereniging": "afvalintercommunale.yaml",
    "opdrachthoudende_vereniging_met_private_deelname": "afval-private.yaml",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def md(intent, form=None, document="statuten", situation=None) -> str:
    return draft(intent, form, "md", DAY, document, situation=situation).content.decode("utf-8")


def without_hash(text: str) -> str:
    """Golden files do not depend on the rule-base hash, which every rule change moves."""
    return re.sub(r"regelbank(\s+)[0-9a-f]{16}", r"regelbank\1<hash>", text)


def body_and_annex(text: str) -> tuple[str, str]:
    body, _, annex = text.partition("## Toelichting bij de artikelen")
    return body, annex


# ---------------------------------------------------------------- signable drafts

@pytest.mark.parametrize("form", sorted(BY_FORM))
def test_every_party_is_represented_and_signs_and_the_draft_closes(form):
    intent = example(BY_FORM[form])
    text = md(intent)
    body, annex = body_and_annex(text)
    people = parties(parse_intent(intent))
    assert body.count("vertegenwoordigd door [in te vullen: naam") == len(people)
    assert body.count("handelend in uitvoering van") == len(people)
    assert re.search(r"(Aldus opgemaakt|Waarvan akte, verleden) te \[in te vullen: plaats\], op \[in te vullen: "
                     rf"datum\], in {len(people)} exemplaren", text)
    for p in people:
        assert f"| Voor {'de gemeente ' if p['is_gemeente'] else ''}{p['name']} | |" in body
    assert "Grondslag" not in body, "grounds live in the annex, not in the clauses"
    assert annex.count("Grondslag: ") >= 5


@pytest.mark.parametrize("form", sorted(BY_FORM))
def test_the_annex_grounds_each_clause_on_the_law_and_never_on_the_report_or_the_policy(form):
    rb = default_rulebase()
    not_law = [law.cite.split("{")[0] for law in rb.laws.laws.values() if not law.ground]
    intent = dict(example(BY_FORM[form]), finance={"verevening": "kostenverdeling"})
    if form == "projectvereniging":
        intent["finance"] = {"verevening": "fonds"}
    _, annex = body_and_annex(md(intent, form))
    grounds = re.findall(r"Grondslag: (.*?)\.\n", annex)
    assert grounds and not any(src in g for g in grounds for src in not_law)
    assert "[na te kijken" not in annex
    cost = next(line for line in annex.splitlines() if "Kostenverdeling en verevening.**" in line)
    expected = {"interlokale_vereniging": "DLB art. 393", "projectvereniging": "DLB art. 402"}.get(form, "DLB art. 426, 5°")
    assert f"Grondslag: {expected} (te verifiëren)." in cost
    assert "Zie ook: Onderzoeksrapport Regionaal ruimtelijk beleid (2022)" in annex


def test_merged_municipalities_are_one_party_and_an_unknown_one_is_marked():
    intent = example("sportregio.yaml")  # Galmaarden, Gooik and Herne: Pajottegem since 2025
    text = md(intent)
    body, annex = body_and_annex(text)
    assert len(parties(parse_intent(intent))) == advise(intent, DAY).facts.n_gemeenten == 8
    assert body.count("de gemeente Pajottegem (ontstaan op 1 januari 2025 uit de samenvoeging van "
                      "Galmaarden, Gooik en Herne)") == 1
    assert body.count("Gooik") == 1 and "in 8 exemplaren" in body
    assert "(8 deelnemers)" in annex  # the obligation counts the same parties
    odd = dict(intent, partners=intent["partners"] + [{"name": "Atlantis", "kind": "gemeente"}])
    text = md(odd)
    assert "de gemeente Atlantis [na te kijken: geen gekende Vlaamse gemeente]," in text
    assert "[na te kijken: geen gekende Vlaamse gemeente]" in placeholders(text)


def test_placeholders_are_marked_in_html_and_highlighted_in_word_but_typed_brackets_are_not():
    intent = dict(BASES["project_met_personeel"], name="Samen [in te vullen: niets] sterk")
    text = md(intent)
    wanted = placeholders(text)
    assert wanted and "[in te vullen: niets]" not in wanted
    html = draft(intent, None, "html", DAY).content.decode("utf-8")
    assert len(re.findall(r'<mark class="in-te-vullen">', html)) == len(wanted)
    word = docx.Document(io.BytesIO(draft(intent, None, "docx", DAY).content))
    runs = [r for p in word.paragraphs for r in p.runs if r.font.highlight_color is not None]
    runs += [r for t in word.tables for c in t._cells for p in c.paragraphs for r in p.runs
             if r.font.highlight_color is not None]
    assert sorted(r.text for r in runs) == sorted(wanted)


def _lists(content: bytes) -> tuple[list[list[str]], dict[str, str]]:
    """Per numbered list in document order, the numIds of its paragraphs; and numId -> start."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        body = z.read("word/document.xml").decode()
        numbering = z.read("word/numbering.xml").decode()
    ids = re.findall(r'<w:pStyle w:val="ListNumber"/>.*?<w:numId w:val="(\d+)"/>', body)
    starts = {}
    for num, inner in re.findall(r'<w:num w:numId="(\d+)">(.*?)</w:num>', numbering, re.S):
        override = re.search(r'<w:startOverride w:val="(\d+)"/>', inner)
        starts[num] = override.group(1) if override else None
    return ids, starts


@pytest.mark.parametrize("form", sorted(BY_FORM))
def test_word_lists_restart_and_pages_carry_the_title_and_their_number(form):
    content = draft(example(BY_FORM[form]), None, "docx", DAY).content
    ids, starts = _lists(content)
    assert len(set(ids)) >= 2 and all(starts[i] == "1" for i in ids)  # parties and annexes: two lists
    word = docx.Document(io.BytesIO(content))
    title = word.core_properties.title
    section = word.sections[0]
    assert section.header.paragraphs[0].text == title and title.startswith(("Statuten", "Oprichtingsovereenkomst"))
    footer = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


@pytest.mark.parametrize("form", ["interlokale_vereniging", "opdrachthoudende_vereniging_met_private_deelname"])
def test_pdf_has_every_clause_a_header_and_page_numbers(form):
    d = check_all_formats(example(BY_FORM[form]), reference_date=DAY)
    assert d.missing["pdf"] == [] and d.required
    pdf = draft(example(BY_FORM[form]), None, "pdf", DAY).content
    pages = pdf_text(pdf)
    title = md(example(BY_FORM[form])).splitlines()[0][2:]
    assert len(pages) >= 4
    for i, page in enumerate(pages, start=1):
        assert f"pagina {i} van {len(pages)}" in page
        assert " ".join(title.split()[:4]) in " ".join(page.split())
    text = " ".join(" ".join(pages).split())
    assert "Toelichting bij de artikelen" in text and "vertegenwoordigd door" in text
    assert pdf == draft(example(BY_FORM[form]), None, "pdf", DAY).content, "PDF is byte-deterministic"


def test_the_pdf_check_notices_a_missing_clause():
    from advisor.documents import to_html, to_pdf
    text = md(example("wijkwerken.yaml"))
    assert "uittreding" in anchors(to_pdf(to_html(text)), "pdf")
    assert "uittreding" not in anchors(to_pdf(to_html(text.replace("{#uittreding}\n", ""))), "pdf")


def test_a_missing_pdf_library_is_a_dutch_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without pango
    with pytest.raises(PdfUnavailable, match="systeembibliotheken"):
        draft(example("sportregio.yaml"), None, "pdf", DAY)
    code = main(["draft", str(EXAMPLES / "sportregio.yaml"), "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and "PDF kan niet gemaakt worden" in err and "--format html of docx" in err
    assert "Traceback" not in err and not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- council decisions

COUNCIL_ARTICLES = {  # form -> situation -> articles the decision must cite
    "interlokale_vereniging": {"oprichting": ["DLB art. 392", "DLB art. 393"], "toetreding": ["DLB art. 393"]},
    "projectvereniging": {"oprichting": ["DLB art. 398 §2, 1°", "DLB art. 401", "DLB art. 402"],
                          "toetreding": ["DLB art. 403"]},
    "dienstverlenende_vereniging": {"oprichting": ["DLB art. 413", "DLB art. 415", "DLB art. 416", "DLB art. 418"],
                                    "toetreding": ["DLB art. 426, 8°", "DLB art. 427"]},
    "opdrachthoudende_vereniging": {"oprichting": ["DLB art. 398 §2, 3°", "DLB art. 413", "DLB art. 418"],
                                    "toetreding": ["DLB art. 426, 8°", "DLB art. 427"]},
    "opdrachthoudende_vereniging_met_private_deelname": {"oprichting": ["DLB art. 398 §2, 4°", "DLB art. 413"],
                                                         "toetreding": ["DLB art. 426, 8°"]},
}


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("form", sorted(BY_FORM))
def test_a_council_decision_per_form_and_situation_cites_the_right_articles(form, situation):
    text = md(example(BY_FORM[form]), form, "raadsbesluit", situation)
    parts = [h for h in re.findall(r"^## (.+)$", text, re.M)]
    assert parts == ["Bevoegdheid", "Juridische grond", "Context en argumentatie", "Besluit", "Bijlagen"]
    ground = text.split("## Juridische grond")[1].split("## Context")[0]
    for article in COUNCIL_ARTICLES[form][situation]:
        assert re.search(rf"^- (.*; )?{re.escape(article)}[ ;:(]", ground, re.M), article
    assert "Onderzoeksrapport" not in ground and "Beslissingsbeleid" not in ground
    assert "DLB art. 40 (te verifiëren)" in text and "DLB art. 41 (te verifiëren)" in text
    decision = text.split("## Besluit")[1].split("## Bijlagen")[0]
    numbers = [int(n) for n in re.findall(r"^\*\*Artikel (\d+)\.\*\*", decision, re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 4
    annexes = text.split("## Bijlagen")[1]
    charter = "oprichtingsovereenkomst" if form == "interlokale_vereniging" else "statuten"
    assert re.search(rf"^1\. Ontwerp van de {charter}", annexes, re.M)
    assert ("oprichting van de" if situation == "oprichting" else "toetreding tot de") in text.splitlines()[0]


def test_the_council_decision_passes_the_check_in_every_format():
    d = check_all_formats(example("wijkwerken.yaml"), document="raadsbesluit", situation="toetreding",
                          reference_date=DAY)
    assert d.required == ["bevoegdheid", "juridische-grond", "context-argumentatie", "besluit"]
    assert d.missing == {fmt: [] for fmt in ("md", "html", "docx", "pdf")}


@pytest.mark.parametrize("name, form, situation", [
    ("raadsbesluit_interlokale_vereniging_oprichting", "interlokale_vereniging", "oprichting"),
    ("raadsbesluit_opdrachthoudende_vereniging_toetreding", "opdrachthoudende_vereniging", "toetreding"),
])
def test_golden_council_decisions(name, form, situation):
    text = without_hash(md(example(BY_FORM[form]), form, "raadsbesluit", situation))
    golden = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "run with UPDATE_GOLDEN=1 after a deliberate change"


# ---------------------------------------------------------------- the adviesnota

def nota(name: str, fmt: str, **changes) -> bytes:
    intent = parse_intent(dict(example(name), **changes))
    return adviesnota(advise(intent, DAY), fmt, intent=intent)


def test_the_adviesnota_has_every_part():
    text = nota("sportregio.yaml", "md").decode("utf-8")
    heads = re.findall(r"^## (.+)$", text, re.M)
    assert heads == ["1. De vraag", "2. Aanbeveling", "3. De vijf vormen naast elkaar",
                     "4. Beperkingen, verplichtingen en aandachtspunten per onderwerp", "5. Bronnen en hun verificatie"]
    assert "**Aanbevolen rechtsvorm: interlokale vereniging.**" in text
    assert "Pajottegem (uit Galmaarden, Gooik, Herne)" in text and "8 gemeente(n)" in text
    subjects = re.findall(r"^### (.+)$", text, re.M)
    assert subjects[:4] == ["Oprichting en toetreding", "Organen en werking", "Duur, verlenging en uittreding",
                            "Financiën en verevening"]
    assert "peildatum\n2026-06-01" in text and re.search(r"regelbank [0-9a-f]{16}", text)
    advice = advise(example("sportregio.yaml"), DAY)
    cites = {c.cite for f in advice.findings for c in f.citations} | {
        c.cite for fa in advice.forms for r in fa.reasons for c in r.citations}
    sources = text.split("## 5.")[1]
    for cite in cites:
        assert re.search(rf"^\| {re.escape(cite)} \| (geverifieerd|te verifiëren) \|", sources, re.M), cite


def test_the_adviesnota_shows_the_open_questions():
    intent = dict(BASES["project_met_personeel"])
    intent["needs"] = {}
    advice = advise(intent, DAY)
    assert advice.open_questions, "this intent leaves a question open"
    text = adviesnota(advice, "md", intent=parse_intent(intent)).decode("utf-8")
    assert "**Dit advies is voorlopig.**" in text
    for oq in advice.open_questions:
        assert f"({oq.field})" in text


def test_the_adviesnota_compares_the_five_forms_in_a_real_table():
    html = nota("afvalintercommunale.yaml", "html").decode("utf-8")
    table = html.split('<table class="vormen breed">')[1].split("</table>")[0]
    assert table.count("<th>") == 6 and "Opdrachthoudende vereniging met private deelname" in table
    word = docx.Document(io.BytesIO(nota("afvalintercommunale.yaml", "docx")))
    comparison = word.tables[0]
    assert len(comparison.columns) == 6 and comparison.cell(1, 0).text == "Status"
    assert [comparison.cell(1, j).text for j in range(1, 6)].count("aanbevolen") == 1
    pages = pdf_text(nota("afvalintercommunale.yaml", "pdf"))
    assert len(pages) >= 3 and all(f"pagina {i} van {len(pages)}" in p for i, p in enumerate(pages, 1))


def test_golden_adviesnota():
    text = without_hash(nota("wijkwerken.yaml", "md").decode("utf-8"))
    golden = GOLDEN / "adviesnota_wijkwerken.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "run with UPDATE_GOLDEN=1 after a deliberate change"


# ---------------------------------------------------------------- command line and web

def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_advise_writes_the_adviesnota_and_its_receipt_verifies(tmp_path, capsys):
    target, receipt = tmp_path / "nota.pdf", tmp_path / "bewijs.json"
    code, _, err = run(["advise", EXAMPLES / "wijkwerken.yaml", "--format", "pdf", "-o", target,
                        "--receipt", receipt, "--date", "2026-06-01"], capsys)
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF") and "Adviesnota" in pdf_text(target.read_bytes())[0]
    code, out, _ = run(["verify", receipt], capsys)
    assert code == 0 and "zelfde uitvoer vandaag:   ja" in out


def test_cli_council_decision_in_pdf_with_check(tmp_path, capsys):
    target = tmp_path / "besluit.pdf"
    code, out, err = run(["draft", EXAMPLES / "afvalintercommunale.yaml", "--document", "raadsbesluit",
                          "--situation", "toetreding", "--format", "pdf", "-o", target, "--check"], capsys)
    assert code == 0, err
    assert "pdf:ok" in out and "Resultaat: geslaagd" in out
    assert "toetreding tot de opdrachthoudende vereniging" in " ".join(pdf_text(target.read_bytes())[0].split())


@pytest.mark.parametrize("args, message", [
    (["advise", "--format", "pdf"], "standaarduitvoer"),
    (["draft", "--format", "pdf"], "standaarduitvoer"),
    (["draft", "--situation", "toetreding"], "enkel voor --document raadsbesluit"),
    (["draft", "--document", "raadsbesluit", "--situation", "fusie"], "ongeldige keuze"),
])
def test_cli_document_errors(capsys, args, message):
    code, out, err = run([args[0], EXAMPLES / "sportregio.yaml", *args[1:]], capsys)
    assert code == 2 and message in err and out == ""


def test_web_downloads_a_pdf_draft_and_the_adviesnota(server):
    import json

    import httpx
    answers = json.dumps(example("wijkwerken.yaml"))
    page = httpx.post(f"{server}/advies", data={"answers": answers}, timeout=60)
    assert 'action="/adviesnota"' in page.text and 'value="pdf"' in page.text
    draft_pdf = httpx.post(f"{server}/ontwerp", data={"answers": answers, "format": "pdf"}, timeout=60)
    assert draft_pdf.status_code == 200 and draft_pdf.headers["content-type"] == "application/pdf"
    assert draft_pdf.content.startswith(b"%PDF")
    note = httpx.post(f"{server}/adviesnota", data={"answers": answers, "format": "docx"}, timeout=60)
    assert note.status_code == 200 and "adviesnota.docx" in note.headers["content-disposition"]
    assert docx.Document(io.BytesIO(note.content)).core_properties.title.startswith("Adviesnota")
    assert httpx.post(f"{server}/adviesnota", data={"answers": answers, "format": "odt"}, timeout=60).status_code == 422


# ---------------------------------------------------------------- LibreOffice

@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_converts_every_word_document_and_keeps_lists_and_page_numbers(tmp_path):
    """Every Word draft (each form, the plan agreement, both council decisions) and the adviesnota,
    converted by LibreOffice: the page count it reports in the footer, the lists starting at 1,
    the text and the signatures."""
    files = {}
    for form, name in BY_FORM.items():
        files[form] = draft(example(name), None, "docx", DAY).content
    files["beleidsplan_ruimte"] = draft(example("beleidsplan-ruimte.yaml"), None, "docx", DAY, "beleidsplan").content
    for situation in SITUATIONS:
        files[f"raadsbesluit_{situation}"] = draft(example("streekintercommunale.yaml"), None, "docx", DAY,
                                                   "raadsbesluit", situation=situation).content
    files["adviesnota"] = nota("sportregio.yaml", "docx")
    for name, content in files.items():
        (tmp_path / f"{name}.docx").write_bytes(content)
    proc = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path),
                           *[str(tmp_path / f"{n}.docx") for n in files]],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for name in files:
        pages = pdf_text((tmp_path / f"{name}.pdf").read_bytes())
        text = " ".join(" ".join(pages).split())
        expected_pages = {"raadsbesluit_oprichting": (2, 5), "raadsbesluit_toetreding": (2, 5)}.get(name, (3, 14))
        assert expected_pages[0] <= len(pages) <= expected_pages[1], (name, len(pages))
        assert all(f"pagina {i} van {len(pages)}" in p for i, p in enumerate(pages, 1)), name
        assert name == "adviesnota" or "[in te vullen:" in text, name
        if name in BY_FORM or name == "beleidsplan_ruimte":
            assert "1. de gemeente" in text and "vertegenwoordigd door" in text and "Voor de gemeente" in text
            assert "Toelichting bij de artikelen" in text
        if name in BY_FORM:
            assert re.search(r"Bijlagen 1\. [A-Z]", text), name  # the annexes restart at 1
        if name.startswith("raadsbesluit"):
            assert "Bevoegdheid" in text and "Juridische grond" in text and "Namens de gemeenteraad" in text
            assert re.search(r"Bijlagen 1\. Ontwerp van de statuten", text), name
