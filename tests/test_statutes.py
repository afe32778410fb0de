"""check-statutes on texts written by others: statutes in the style of real intercommunales (under
the DLB and under the 2001 decree), an agreement as a municipality publishes it, the readers of each
format, the article structure of the usual styles, the command line and the web upload."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import docx
import pytest

from advisor.cli import main
from advisor.errors import InputError
from advisor.rulebase import default_rulebase
from advisor.statutes import check_file
from advisor.statutes.data import StatutesData, statutes_data, validate
from advisor.statutes.reading import read_document
from advisor.statutes.structure import units

DATA = Path(__file__).parent / "data" / "statutes"
DAY = dt.date(2026, 6, 1)


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def check(content: str | bytes, name: str = "statuten.txt", form=None, day=DAY):
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return check_file(raw, name, form, day)


def statuses(report) -> dict[str, str]:
    return {c.clause: c.status for c in report.clauses}


def not_present(report) -> dict[str, str]:
    return {c: s for c, s in statuses(report).items() if s != "aanwezig"}


# ---------------------------------------------------------------- texts in the style of real ones

def test_statutes_written_under_the_2001_decree_are_recognised_as_such():
    r = check(text("dv-2001-stijl.txt"))
    assert r.form.value == "dienstverlenende_vereniging" and r.form_source == "tekst"
    assert r.basis is not None and r.basis.id == "dis2001" and r.basis.outdated
    assert {o.id for o in r.outdated} >= {"decreet-2001", "cvba", "wetboek-vennootschappen-1999",
                                          "gemeentesecretaris", "dlb-bestuurdersaansprakelijkheid"}
    assert not_present(r) == {"rechtsvorm": "twijfel", "bestuurdersaansprakelijkheid": "ontbreekt",
                              "openbaarheid": "ontbreekt"}
    cvba = next(o for o in r.outdated if o.id == "cvba")
    assert cvba.found_in == "Artikel 1" and "c.v.b.a." in cvba.passage and cvba.verified
    assert r.regiovorming.reference_regions == ["Kempen"] and len(r.regiovorming.members) == 6


def test_the_same_text_before_the_amendments_lacks_nothing_of_their_date():
    """On 1 June 2020 the cvba was still the reference and the insurance not yet required."""
    r = check(text("dv-2001-stijl.txt"), day=dt.date(2020, 6, 1))
    assert "bestuurdersaansprakelijkheid" not in statuses(r)
    assert statuses(r)["rechtsvorm"] == "aanwezig"
    assert {o.id for o in r.outdated} == {"decreet-2001", "gemeentesecretaris"}


def test_real_style_statutes_under_the_dlb_have_every_clause():
    r = check(text("ov-dlb-stijl.txt"))
    assert r.form.value == "opdrachthoudende_vereniging"
    assert not_present(r) == {} and r.outdated == [] and r.ok
    found = {c.clause: c.found_in for c in r.clauses}
    assert found["duur"] == "Artikel 6" and found["bestuurdersaansprakelijkheid"] == "Artikel 17"
    assert found["stemrecht"] == "Artikel 14" and found["openbaarheid"] == "Artikel 21"


# (old, new, clause, status): real-style wording changed the way a lawyer would
REAL_ALTERATIONS = [
    ("met een meerderheid van drie vierde van de stemmen", "met een meerderheid van twee derde van de stemmen",
     "statutenwijziging", "twijfel"),
    ("ten minste drie maanden vóór", "ten minste een maand vóór", "statutenwijziging", "twijfel"),
    ("ten minste dertig dagen vóór", "ten minste veertien dagen vóór", "algemene-vergadering", "twijfel"),
    ("De raad van bestuur telt negen bestuurders", "De raad van bestuur telt eenentwintig bestuurders",
     "raad-van-bestuur", "twijfel"),
    ("brengen halfjaarlijks in de gemeenteraad verslag uit", "brengen jaarlijks in de gemeenteraad verslag uit",
     "informatie", "twijfel"),
    ("voor een periode van achttien jaar, die verstrijkt op 30 juni 2037",
     "voor een periode van vijfentwintig jaar", "duur", "twijfel"),
    ("voor een periode van achttien jaar, die verstrijkt op 30 juni 2037", "voor onbepaalde duur",
     "duur", "twijfel"),
    ("met drie vierde van de stemmen. De agenda", "bij gewone meerderheid. De agenda", "verlenging", "twijfel"),
    ("De vereniging verzekert de burgerlijke aansprakelijkheid van haar bestuurders bij een erkende verzekeraar.",
     "De bestuurders zijn niet persoonlijk aansprakelijk voor de verbintenissen van de vereniging.",
     "bestuurdersaansprakelijkheid", "twijfel"),
    ("op de webstek van de vereniging", "in het jaarverslag", "openbaarheid", "twijfel"),
]


@pytest.mark.parametrize("old, new, clause, status", REAL_ALTERATIONS)
def test_real_style_statutes_altered_are_caught(old, new, clause, status):
    source = text("ov-dlb-stijl.txt")
    assert old in source
    r = check(source.replace(old, new))
    assert not_present(r) == {clause: status}
    doubt = next(c for c in r.clauses if c.clause == clause).doubts[0]
    assert doubt.articles and doubt.message


ARTICLE = re.compile(r"\nARTIKEL (\d+)\n([^\n]+)\n(.*?)(?=\nARTIKEL |\nHOOFDSTUK |\Z)", re.S)


@pytest.mark.parametrize("number, clause", [("6", "duur"), ("9", "toetreding"), ("11", "uitsluiting"),
                                            ("13", "algemene-vergadering"), ("17", "bestuurdersaansprakelijkheid"),
                                            ("21", "openbaarheid"), ("22", "statutenwijziging"), ("23", "verlenging")])
def test_real_style_statutes_without_an_article_miss_that_clause(number, clause):
    source = text("ov-dlb-stijl.txt")
    article = next(m.group(0) for m in ARTICLE.finditer(source) if m.group(1) == number)
    r = check(source.replace(article, "\n"))
    assert statuses(r)[clause] == "ontbreekt"
    assert next(c for c in r.clauses if c.clause == clause).proposal  # the advisor's own wording


def test_an_agreement_published_as_a_web_page_is_read_as_an_interlokale_vereniging():
    r = check((DATA / "iv-overeenkomst.html").read_bytes(), "overeenkomst.html")
    assert r.form.value == "interlokale_vereniging" and r.document == "oprichtingsovereenkomst"
    assert not_present(r) == {} and r.ok
    assert [m.municipality for m in r.regiovorming.members] == ["Stekene", "Sint-Gillis-Waas",
                                                               "Beveren-Kruibeke-Zwijndrecht"]
    # the interlokale vereniging is outside the regiovorming: no finding says it must be regioconform
    assert all("regioconform" not in f.rule for f in r.regiovorming.findings)


def test_members_in_two_regions_get_the_advices_regiovorming_findings():
    source = text("ov-dlb-stijl.txt").replace("Sint-Laureins en Zelzate", "Sint-Laureins, Zelzate en Brugge")
    r = check(source)
    assert set(r.regiovorming.reference_regions) >= {"Regio Brugge"} and len(r.regiovorming.reference_regions) == 2
    assert "regio-3-niet-regioconform" in {f.rule for f in r.regiovorming.findings}
    assert all(f.articles for f in r.regiovorming.findings)


def test_a_former_municipality_name_is_reported_with_its_current_municipality():
    source = text("ov-dlb-stijl.txt").replace("Sint-Laureins en Zelzate", "Sint-Laureins, Zelzate en Kruibeke")
    member = next(m for m in check(source).regiovorming.members if m.name == "Kruibeke")
    assert member.former_name and member.municipality == "Beveren-Kruibeke-Zwijndrecht"


def test_when_the_text_and_form_disagree_the_report_says_so():
    r = check(text("ov-dlb-stijl.txt"), form="dienstverlenende_vereniging")
    assert r.form.value == "dienstverlenende_vereniging" and r.form_in_text.value == "opdrachthoudende_vereniging"
    assert any("getoetst als dienstverlenende vereniging" in n for n in r.notes)


def test_a_text_that_names_no_form_needs_form():
    with pytest.raises(InputError, match="--form"):
        check("Artikel 1. Naam\nDe vereniging draagt de naam X.\nArtikel 2. Zetel\nDe zetel is gevestigd te Gent."
              "\nArtikel 3. Duur\nDe vereniging wordt opgericht voor zes jaar.")


# ---------------------------------------------------------------- formats and structure

def test_docx_headings_and_tables_are_read():
    d = docx.Document()
    d.add_heading("Statuten van de projectvereniging Speelpleinwerking", 0)
    d.add_heading("Artikel 1. Naam", 2)
    d.add_paragraph('De projectvereniging draagt de naam "Speelpleinwerking".')
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Gemeente Lede"
    table.rows[0].cells[1].text = "Gemeente Erpe-Mere"
    out = io.BytesIO()
    d.save(out)
    document = read_document(out.getvalue(), "s.docx")
    assert document.blocks[0].level == 1 and document.blocks[1].level == 3
    assert "Gemeente Erpe-Mere" in document.text


def test_text_in_a_windows_code_page_is_read():
    raw = "Artikel 1. Beheerscomité\nHet beheerscomité vergadert.".encode("cp1252")
    assert "beheerscomité" in read_document(raw, "s.txt").text


@pytest.mark.parametrize("raw, name, message", [
    (b"", "s.txt", "leeg"), (b"abc", "s.doc", "onbekend bestandstype"), (b"no pdf", "s.pdf", "geen geldige PDF"),
    (b"not a zip", "s.docx", "geen geldig Word-bestand"), (b"<html><script>x</script></html>", "s.html", "geen leesbare tekst"),
])
def test_unreadable_files_give_a_dutch_error(raw, name, message):
    with pytest.raises(InputError, match=message):
        read_document(raw, name)


@pytest.mark.parametrize("source, label, heading, first", [
    ("Art. 3 – Zetel – De zetel is gevestigd te Gent.", "Artikel 3", "Zetel", "De zetel is gevestigd te Gent."),
    ("ARTIKEL 1\nBenaming\nDe vereniging heet X.", "Artikel 1", "Benaming", "De vereniging heet X."),
    ("NAAM\nARTIKEL 1\nDe vereniging heet X.", "Artikel 1", "NAAM", "De vereniging heet X."),
    ("Artikel 12bis. Vergoedingen\nBestuurders krijgen presentiegeld.", "Artikel 12bis", "Vergoedingen",
     "Bestuurders krijgen presentiegeld."),
    ("Art. 4. De vereniging wordt opgericht voor achttien jaar.", "Artikel 4", "",
     "De vereniging wordt opgericht voor achttien jaar."),
])
def test_the_usual_article_styles_are_split_into_heading_and_text(source, label, heading, first):
    filler = "\nArtikel 90. Slot\nSlot.\nArtikel 91. Slot\nSlot.\nArtikel 92. Slot\nSlot."
    found = units(read_document((source + filler).encode(), "s.txt"))
    unit = next(u for u in found if u.label == label)
    assert (unit.heading, unit.sentences[0]) == (heading, first)


def test_a_reference_to_an_article_inside_a_sentence_is_no_article():
    source = ("Artikel 1. Naam\nDe vereniging heet X.\nArtikel 2. Zetel\nDe zetel is gevestigd te Gent.\n"
              "Artikel 5 is van toepassing op de zetel.\nArtikel 3. Duur\nDe duur is zes jaar.")
    labels = [u.label for u in units(read_document(source.encode(), "s.txt"))]
    assert labels == ["Artikel 1", "Artikel 2", "Artikel 3"]


# ---------------------------------------------------------------- the detection data

def test_every_clause_a_form_requires_has_detection_data():
    rb = default_rulebase()
    data = statutes_data()
    forms = {f.code.value for f in rb.forms}
    required = {r.then.clause for r in rb.rules if r.then.clause and set(f.value for f in r.forms) & forms}
    assert required - set(data.clauses) == set()


def test_the_detection_data_is_validated_against_the_rule_base():
    data = statutes_data()
    raw = data.model_dump(by_alias=True)
    raw["clauses"]["naam"]["elements"] = [{"rule": "dlb-bestaat-niet", "label": "x", "present": "x"}]
    raw["clauses"]["duur"]["elements"][0]["quantity"]["at_most"] = {"param": "dlb.onbekend"}
    raw["clauses"]["verzonnen"] = {"headings": ["(ongesloten"]}
    raw["outdated"][0]["source"]["article"] = "999"
    problems = "\n".join(validate(StatutesData.model_validate(raw), default_rulebase()))
    for expected in ("onbekende regel 'dlb-bestaat-niet'", "onbekende parameter 'dlb.onbekend'",
                     "verzonnen: geen clausule", "ongeldig patroon", "art. 999 staat niet in articles.yaml"):
        assert expected in problems


# ---------------------------------------------------------------- command line and web

def test_cli_check_statutes_reports_and_exits_3_when_something_is_missing(tmp_path, capsys):
    source = tmp_path / "statuten.txt"
    source.write_text(text("dv-2001-stijl.txt"), encoding="utf-8")
    code = main(["check-statutes", str(source), "--date", "2026-06-01", "--format", "json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 3 and payload["form"] == "dienstverlenende_vereniging" and payload["date"] == "2026-06-01"
    assert payload["document"] == "statuten" and payload["ok"] is False
    clause = next(c for c in payload["clauses"] if c["clause"] == "openbaarheid")
    assert clause["status"] == "ontbreekt" and clause["articles"] == ["DLB art. 466"]
    assert {"passage", "reason", "articles"} <= set(payload["outdated"][0])
    assert payload["regiovorming"]["reference_regions"] == ["Kempen"]


def test_cli_check_statutes_exits_0_on_complete_statutes_and_writes_the_report(tmp_path, capsys):
    source = tmp_path / "statuten.txt"
    source.write_text(text("ov-dlb-stijl.txt"), encoding="utf-8")
    for fmt in ("text", "md"):
        out = tmp_path / f"toets.{fmt}"
        assert main(["check-statutes", str(source), "--date", "2026-06-01", "--format", fmt, "-o", str(out)]) == 0
        report = out.read_text(encoding="utf-8")
        assert "23 van 23 verplichte clausules aanwezig" in report
    assert max(len(line) for line in (tmp_path / "toets.text").read_text().splitlines()) <= 80


@pytest.mark.parametrize("args, message", [
    (["check-statutes", "bestaat-niet.docx"], "bestand niet gevonden"),
    (["check-statutes", str(DATA / "dv-2001-stijl.txt"), "--date", "2018-06-01"], "2019-01-01"),
    (["check-statutes", str(DATA / "dv-2001-stijl.txt"), "--form", "vzw"], "ongeldige keuze"),
])
def test_cli_check_statutes_refuses_bad_input_with_exit_2(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_web_start_page_offers_the_statutes_check(server):
    import httpx
    page = httpx.get(server + "/", timeout=30).text
    assert "Bestaande statuten toetsen" in page and 'action="/statuten"' in page


def test_web_statutes_upload_shows_the_report(server):
    import httpx
    files = {"file": ("statuten.txt", (DATA / "dv-2001-stijl.txt").read_bytes(), "text/plain")}
    r = httpx.post(server + "/statuten", files=files, data={"form": "", "date": "2026-06-01"}, timeout=60)
    assert r.status_code == 200
    assert "Openbaarheid van de besluiten" in r.text and "ontbreekt" in r.text
    assert "decreet van 6 juli 2001" in r.text and "Kempen" in r.text


@pytest.mark.parametrize("files, data, message", [
    ({"file": ("s.exe", b"MZ", "application/octet-stream")}, {}, "onbekend bestandstype"),
    (None, {"form": ""}, "kies statuten"),
    ({"file": ("s.txt", b"Artikel 1. Naam", "text/plain")}, {"date": "2026-13-40"}, "geen datum"),
    ({"file": ("s.txt", b"Artikel 1. Naam", "text/plain")}, {"form": "vzw"}, "geen rechtsvorm"),
])
def test_web_statutes_upload_refuses_bad_input_with_422(server, files, data, message):
    import httpx
    r = httpx.post(server + "/statuten", files=files, data=data, timeout=30)
    assert r.status_code == 422 and message in r.text


def test_the_sector_regime_of_the_purpose_reaches_the_regiovorming_report():
    """A waste intercommunale over two reference regions gets the waste deadline of the sector rules."""
    source = text("ov-dlb-stijl.txt").replace("Sint-Laureins en Zelzate", "Sint-Laureins, Zelzate en Brugge")
    rules = {f.rule for f in check(source).regiovorming.findings}
    assert "regio-termijn-afval" in rules and "regio-termijn-bestaande-verbanden" not in rules
