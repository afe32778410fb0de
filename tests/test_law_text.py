"""The article beside the advice: with a store every citation carries the official text in force
on the reference date and the link to the article on codex.vlaanderen.be; the text advice prints it
with --with-text; the rule book shows it beside the rules. Without a store: as before, with a link
and the hint how to get the text. `law import` reads the same store from a file saved by hand."""
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from codex_server import DATA

from advisor.advise import advise
from advisor.cli import main
from advisor.law.importer import read
from advisor.law.store import Store, current
from advisor.paths import ROOT

EXAMPLE = ROOT / "examples" / "sportregio.yaml"
INTENT = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def citations(advice):
    for fa in advice.forms:
        for r in fa.reasons:
            yield from r.citations
    for f in advice.findings:
        yield from f.citations


@pytest.fixture
def store(tmp_path, monkeypatch, capsys):
    """The test DLB imported from its Codex JSON (the same store as a fetch), used by the advice."""
    directory = tmp_path / "wet"
    monkeypatch.setenv("IGS_ADVISOR_LAW_DIR", str(directory))
    for law in ("dlb", "vcro", "regio"):
        code, out, err = run(capsys, "law", "import", DATA / f"{law}.json", "--law", law)
        assert code == 0, err
    return directory


def test_advice_json_carries_the_text_in_force_and_the_article_link(store, capsys):
    code, out, _ = run(capsys, "advise", EXAMPLE, "--format", "json", "--date", "2026-06-01")
    data = json.loads(out)
    cites = [c for fa in data["forms"] for r in fa["reasons"] for c in r["citations"]]
    cites += [c for f in data["findings"] for c in f["citations"]]
    dlb = [c for c in cites if c["cite"].startswith("DLB art. 392")]
    assert dlb and all("zonder rechtspersoonlijkheid" in c["text"] for c in dlb)
    assert all(c["url"].startswith("https://codex.vlaanderen.be/Zoeken/Document.aspx?DID=1029017")
               and "&AID=" in c["url"] for c in dlb)
    policy = [c for c in cites if c["cite"].startswith("Beslissingsbeleid")]
    assert policy and all(c["text"] is None for c in policy)  # no official text for the policy


def test_the_text_is_the_version_in_force_on_the_reference_date(store):
    forms = ["interlokale_vereniging"]
    now = {c.cite: c.text for c in citations(advise(INTENT, dt.date(2026, 6, 1), forms, open_questions=False))}
    later = {c.cite: c.text for c in citations(advise(INTENT, dt.date(2027, 6, 1), forms, open_questions=False))}
    assert "opzegmogelijkheid" in now["DLB art. 393"]
    assert "opzegmogelijkheid" not in later["DLB art. 393"] and "opzegging" in later["DLB art. 393"]


def test_text_advice_with_text_prints_each_article_once(store, capsys):
    code, out, _ = run(capsys, "advise", EXAMPLE, "--with-text", "--date", "2026-06-01")
    assert code == 0
    assert out.count("| DLB art. 392, officiële tekst:") == 1
    assert "| 1° zonder rechtspersoonlijkheid;" in out
    assert "niet lokaal beschikbaar" not in out
    assert max(len(line) for line in out.splitlines()) <= 100
    code, plain, _ = run(capsys, "advise", EXAMPLE, "--date", "2026-06-01")
    assert "officiële tekst:" not in plain  # only on request


def test_without_a_store_the_advice_is_as_before_and_says_how_to_get_the_text(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IGS_ADVISOR_LAW_DIR", str(tmp_path / "geen"))
    assert current() is None
    advice = advise(INTENT, open_questions=False)
    assert all(c.text is None for c in citations(advice))
    code, out, _ = run(capsys, "advise", EXAMPLE, "--with-text")
    assert "Officiële tekst niet lokaal beschikbaar: `igs-advisor law fetch`." in out
    code, plain, _ = run(capsys, "advise", EXAMPLE)
    assert "law fetch" not in plain and "officiële tekst:" not in plain


def test_rulebook_shows_the_official_text_beside_the_rules(store, tmp_path, capsys):
    code, out, _ = run(capsys, "rulebook", "-o", tmp_path / "site")
    assert code == 0
    page = (tmp_path / "site" / "artikel-dlb-401.html").read_text(encoding="utf-8")
    assert 'class="beside"' in page and 'class="wettekst"' in page and "ten hoogste zes jaar" in page
    assert "&amp;AID=" in page
    repealed = (tmp_path / "site" / "artikel-dlb-395.html").read_text(encoding="utf-8")
    assert "geen versie van dit artikel die op" in repealed


def test_rulebook_without_a_store_gives_the_hint_and_the_codex_link(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IGS_ADVISOR_LAW_DIR", str(tmp_path / "geen"))
    run(capsys, "rulebook", "-o", tmp_path / "site")
    page = (tmp_path / "site" / "artikel-dlb-401.html").read_text(encoding="utf-8")
    assert "<code>igs-advisor law fetch</code>" in page and "DID=1029017" in page
    assert 'class="beside"' not in page


@pytest.mark.parametrize("name", ["dlb-uittreksel.txt", "dlb-uittreksel.pdf"])
def test_import_plain_text_and_pdf_split_on_the_article_headings(name):
    text = read(DATA / name, "dlb", 1029017)
    assert [a.number for a in text.articles] == ["400", "401", "402"]
    v401 = text.by_number["401"].versions[0]
    assert v401.start is None and v401.end is None  # the dates are not in the file: taken as in force
    assert "ten hoogste zes jaar" in " ".join(v401.text.split())
    # "Artikel 4 en artikel 30 treden ..." inside a text is no heading
    assert "Artikel 4 en artikel 30" in text.by_number["402"].versions[0].text


def test_import_the_codex_print_page_keeps_the_version_dates():
    text = read(DATA / "dlb-afdrukpagina.html", "dlb", 1029017)
    assert [a.number for a in text.articles] == ["392", "393", "395"]
    assert str(text.by_number["395"].versions[0].end) == "2023-12-31"
    assert "1° de duur;\n2° de opzegmogelijkheid;" in text.by_number["393"].versions[0].text
    assert text.origin == "import" and text.source == "dlb-afdrukpagina.html"


def test_import_then_check(tmp_path, capsys):
    store = tmp_path / "wet"
    code, out, _ = run(capsys, "law", "import", DATA / "dlb-afdrukpagina.html", "--law", "dlb", "--store", store)
    assert code == 0 and "3 artikels" in out and "ingelezen" in out
    code, out, _ = run(capsys, "law", "check", "--store", store, "--law", "dlb", "--format", "json", "--date", "2026-06-01")
    report = json.loads(out)
    by_rule = {c["rule"]: c for c in report["citations"] if c["role"] == "source"}
    assert by_rule["dlb-393-iv-opzegging"]["status"] == "bevestigd"
    assert by_rule["dlb-395-iv-beheerscomite"]["status"] == "niet_in_werking"
    assert by_rule["dlb-401-pv-duur"]["status"] == "niet_gevonden"


@pytest.mark.parametrize("content, message", [
    (b"Een tekst zonder enige artikelkop.\n", "geen artikelkoppen gevonden"),
    (b"{ dit is geen json", "ongeldige JSON"),
    (b'{"iets": "anders"}', "geen VolledigDocument"),
    (b"%PDF-1.4 kapot", "onleesbare PDF"),
])
def test_import_refuses_what_is_not_a_law_text(tmp_path, capsys, content, message):
    path = tmp_path / "bestand"
    path.write_bytes(content)
    code, out, err = run(capsys, "law", "import", path, "--law", "dlb", "--store", tmp_path / "wet")
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "wet").exists()


def test_import_names_a_missing_file_and_an_unknown_law(tmp_path, capsys):
    code, _, err = run(capsys, "law", "import", tmp_path / "weg.json", "--law", "dlb", "--store", tmp_path / "wet")
    assert code == 2 and "weg.json" in err
    code, _, err = run(capsys, "law", "import", DATA / "dlb.json", "--law", "dlbx", "--store", tmp_path / "wet")
    assert code == 2 and "'dlbx'" in err


def test_store_save_is_atomic_and_keeps_history(tmp_path):
    s = Store(tmp_path / "wet")
    first = read(DATA / "dlb.json", "dlb", 1029017)
    assert s.save(first) is None
    second = read(DATA / "dlb-afdrukpagina.html", "dlb", 1029017)
    change = Store(tmp_path / "wet").save(second)
    assert change is not None and "401" in change.removed and "393" in change.changed
    assert [p.name for p in (tmp_path / "wet").iterdir()] == ["dlb.json"]  # no temporary file left
    shutil.rmtree(tmp_path / "wet")
    assert not Path(tmp_path / "wet").exists()


def test_print_page_headings_with_their_dates_as_the_codex_writes_them():
    """The codex print page writes 'Artikel 1. (01/01/2023- ...)' (a stored page shows that form)."""
    from advisor.law.importer import split_articles
    articles, warnings = split_articles(
        "Inhoud\n\n(... - ...)\n\nArtikel 1. (01/01/2023- ...)\n\nIn artikel 3, tweede lid, 14°, van het besluit.\n\n"
        "Art. 2.1.1. (01/09/2009 - 31/12/2018)\nOude tekst.\nArt. 2.1.1. (01/01/2019 - ...)\nNieuwe tekst.\n")
    assert [a.number for a in articles] == ["1", "2.1.1"] and warnings == []
    assert [(str(v.start), str(v.end), v.text) for v in articles[1].versions] == [
        ("2009-09-01", "2018-12-31", "Oude tekst."), ("2019-01-01", "None", "Nieuwe tekst.")]
    assert articles[0].versions[0].text.startswith("In artikel 3, tweede lid")


def test_the_web_advice_page_opens_the_article_on_demand(store, server):
    import httpx
    page = httpx.post(f"{server}/advies", data={"answers": json.dumps(INTENT)}, timeout=30).text
    assert '<details class="artikel"><summary>DLB art. 392' in page  # closed: the text on demand
    assert "zonder rechtspersoonlijkheid" in page and "(te verifiëren)" in page
