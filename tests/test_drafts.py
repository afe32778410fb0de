"""Drafts: every form in every format, the clause check, escaping, golden files, errors."""
import datetime as dt
import io
import os
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
import yaml

from advisor.cli import main
from advisor.drafts import FORMATS, check_all_formats, clause_anchors, draft
from advisor.paths import ROOT
from advisor.scenarios import SCENARIO_DIR

DAY = dt.date(2026, 6, 1)
EXAMPLES = ROOT / "examples"
EXPECTED = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))
BASES = yaml.safe_load((SCENARIO_DIR / "_bases.yaml").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).parent / "golden"

# one intent per document, pinned, for the golden files
GOLDEN_CASES = {
    "interlokale_vereniging": ("sportregio.yaml", None, "statuten"),
    "projectvereniging": ("wijkwerken.yaml", None, "statuten"),
    "dienstverlenende_vereniging": ("streekintercommunale.yaml", None, "statuten"),
    "opdrachthoudende_vereniging": ("afvalintercommunale.yaml", None, "statuten"),
    "opdrachthoudende_vereniging_met_private_deelname": ("afval-private.yaml", None, "statuten"),
    "beleidsplan_ruimte": ("beleidsplan-ruimte.yaml", None, "beleidsplan"),
}


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [n for n, e in EXPECTED.items() if e["recommended_form"]])
def test_every_example_drafts_in_every_format_with_every_required_clause(name):
    result = check_all_formats(example(name), reference_date=DAY)
    assert result.form.value == EXPECTED[name]["recommended_form"]
    assert result.required, "a form without required clauses is a defect"
    assert result.missing == {fmt: [] for fmt in FORMATS}


@pytest.mark.parametrize("document", sorted(GOLDEN_CASES))
def test_golden_markdown(document):
    name, form, kind = GOLDEN_CASES[document]
    text = draft(example(name), form, "md", DAY, kind).content.decode("utf-8")
    golden = GOLDEN / f"{document}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "run with UPDATE_GOLDEN=1 after a deliberate change"


def test_the_check_notices_a_missing_clause():
    md = draft(example("wijkwerken.yaml"), None, "md", DAY).content.decode("utf-8")
    assert "uittreding" in clause_anchors(md.encode(), "md")
    stripped = md.replace("{#uittreding}\n", "")
    assert "uittreding" not in clause_anchors(stripped.encode(), "md")


def test_a_possible_but_not_recommended_form_can_be_drafted():
    d = draft(example("sportregio.yaml"), "projectvereniging", "md", DAY)
    assert d.form.value == "projectvereniging" and not d.missing["md"]
    assert d.content.decode().startswith("# Statuten van de projectvereniging")


def test_missing_information_is_a_visible_placeholder_and_given_information_is_used():
    intent = dict(BASES["dienstverlening_met_rp"], seat="Leuven, Professor Van Overstraetenplein 1")
    text = draft(intent, None, "md", DAY).content.decode("utf-8")
    assert "Leuven, Professor Van Overstraetenplein 1" in text
    assert "[in te vullen: afkorting]" in text
    without = draft(BASES["dienstverlening_met_rp"], None, "md", DAY).content.decode("utf-8")
    assert "[in te vullen: gemeente en adres]" in without


@pytest.mark.parametrize("finance, expected", [
    ({"verevening": "kostenverdeling", "cost_sharing_key": "inwoners"}, "naar verhouding van het aantal inwoners"),
    ({"verevening": "kostenverdeling", "cost_sharing_key": "gebruik"}, "werkelijke gebruik"),
    ({"verevening": "kostenverdeling", "cost_sharing_key": "gelijke_delen"}, "in gelijke delen"),
    ({"verevening": "kostenverdeling"}, "[in te vullen: verdeelsleutel"),
    ({"verevening": "fonds"}, "subregionaal vereveningsfonds"),
    ({"verevening": "geen"}, "geen verevening"),
])
def test_the_cost_sharing_clause_follows_the_intent(finance, expected):
    intent = dict(BASES["project_met_personeel"], finance=finance)
    d = draft(intent, None, "md", DAY)
    assert expected in d.content.decode("utf-8") and not d.missing["md"]


NASTY = 'Samen & Sterk "De <Kempen>"\nregio \\ *vzw* [x]'


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_user_text_is_escaped_and_intact_in_all_three_formats():
    intent = dict(BASES["project_met_personeel"], name=NASTY)
    intent["partners"] = intent["partners"] + [{"name": "OCMW <b>Leuven</b> & co", "kind": "ocmw"}]
    md = draft(intent, None, "md", DAY).content.decode("utf-8")
    assert "\\<Kempen\\>" in md and "\\&" in md and "\\*vzw\\*" in md
    html = draft(intent, None, "html", DAY).content.decode("utf-8")
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.text)
    assert 'Samen & Sterk "De <Kempen>"' in text and "*vzw* [x]" in text and "OCMW <b>Leuven</b> & co" in text
    assert "b" not in parser.tags and "<Kempen>" not in html  # escaped, not markup
    word = docx.Document(io.BytesIO(draft(intent, None, "docx", DAY).content))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert 'Samen & Sterk "De <Kempen>" regio \\ *vzw* [x]' in paragraphs  # one line, in the heading
    assert 'Samen & Sterk "De <Kempen>"\nregio' not in paragraphs  # and in the body: a line break in
    # user text would end a table row (the signature blocks) or start a list item


def test_word_document_has_word_headings_numbered_lists_and_bookmarks():
    content = draft(example("streekintercommunale.yaml"), None, "docx", DAY).content
    word = docx.Document(io.BytesIO(content))
    styles = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Number"} <= styles
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert headings[0] == "Artikel 1. Oprichting" and all(h.startswith("Artikel ") for h in headings)
    assert "raad-van-bestuur" in clause_anchors(content, "docx")
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert "word/document.xml" in z.namelist()


def test_html_has_a_print_stylesheet_and_anchors():
    html = draft(example("afvalintercommunale.yaml"), None, "html", DAY).content.decode("utf-8")
    assert "@media print" in html and 'id="ov-beheersoverdracht"' in html and '<html lang="nl">' in html


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_draft_check_prints_pass_list(tmp_path, capsys):
    code, out, _ = run(["draft", EXAMPLES / "afval-private.yaml", "--check", "--date", "2026-06-01",
                        "-o", tmp_path / "statuten.md"], capsys)
    assert code == 0 and "ovp-private-deelname" in out and "Resultaat: geslaagd" in out
    assert (tmp_path / "statuten.md").read_text(encoding="utf-8").startswith("# Statuten")


@pytest.mark.parametrize("args, message", [
    (["--form", "opdrachthoudende_vereniging"], "uitgesloten"),
    (["--format", "docx"], "standaarduitvoer"),
    (["--document", "beleidsplan"], "geen intergemeentelijk beleidsplan"),
])
def test_cli_draft_errors(capsys, args, message):
    code, out, err = run(["draft", EXAMPLES / "sportregio.yaml", *args], capsys)
    assert code == 2 and message in err and out == ""


def test_cli_draft_refuses_an_unwritable_path_and_leaves_nothing(tmp_path, capsys):
    target = tmp_path / "geen-map" / "ontwerp.docx"
    code, _, err = run(["draft", EXAMPLES / "sportregio.yaml", "--format", "docx", "-o", target], capsys)
    assert code == 2 and "kan niet geschreven worden" in err and not target.parent.exists()


def test_no_form_fits_means_no_draft(capsys):
    code, _, err = run(["draft", EXAMPLES / "telecom-private.yaml"], capsys)
    assert code == 2 and "geen enkele rechtsvorm past" in err


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_word_draft(tmp_path):
    import subprocess
    source = tmp_path / "statuten.docx"
    source.write_bytes(draft(example("afval-private.yaml"), None, "docx", DAY).content)
    proc = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "statuten.pdf"
    assert proc.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000, proc.stderr


@pytest.mark.parametrize("day, present", [(dt.date(2023, 4, 7), False), (dt.date(2023, 4, 8), True)])
def test_the_insurance_clause_and_the_chairs_replacement_follow_the_law_of_the_day(day, present):
    """The 2023 amending decree (assumed in force 8 April 2023): directors' liability insurance and a
    double presence fee for the chair's replacement appear in the statutes from that day on."""
    d = draft(BASES["dienstverlening_met_rp"], None, "md", day)
    text = d.content.decode("utf-8")
    assert ("{#bestuurdersaansprakelijkheid}" in text) is present
    assert ("de voorzitter van de raad van bestuur of zijn vervanger ten hoogste" in text.replace("\n", " ")) is present
    assert ("bestuurdersaansprakelijkheid" in d.required) is present and not any(d.missing.values())
