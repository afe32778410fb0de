"""`law fetch --api` against a local server that speaks the Codex schema, then `law check`: every
planted defect (tests/data/codex/build.py) is found, the right article is suggested, and nothing
is confirmed that the text does not carry."""
import json
import shutil

import pytest
from codex_server import codex_server

from advisor.cli import main
from advisor.law.check import cited
from advisor.paths import RULES_DIR
from advisor.rulebase import RuleBase
from advisor.yamlio import load_yaml_text

DAY = "2026-06-01"
RB = RuleBase()
UNNUMBERED = {owner for owner, _, c, _ in cited(RB) if c.law in ("dlb", "vcro", "regio") and c.article is None}
# (rule, article) -> (status, first suggested article or None)
PLANTED = {
    ("dlb-416-oprichting-termijn", "416"): ("termen_ontbreken", "417"),
    ("parameter:dlb.dvov.oprichting_maanden", "416"): ("termen_ontbreken", "417"),
    ("dlb-395-iv-beheerscomite", "395"): ("niet_in_werking", None),
    ("dlb-466-lijst-besluiten", "466"): ("niet_in_werking", None),
    ("dlb-441-verslag-aan-gemeenteraad", "441"): ("niet_gevonden", None),
    ("dlb-458-personeel", "458"): ("niet_gevonden", None),
}


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def codex():
    with codex_server() as srv:
        yield srv


@pytest.fixture
def store(tmp_path, codex, capsys):
    code, out, err = run(capsys, "law", "fetch", "--api", codex.url, "--store", tmp_path / "wet")
    assert code == 0, err
    return tmp_path / "wet"


def check_json(capsys, store, *extra):
    code, out, err = run(capsys, "law", "check", "--store", store, "--format", "json", *extra)
    return code, json.loads(out), err


def test_fetch_stores_every_cited_law_with_dates_text_and_hash(store, codex):
    assert {"dlb.json", "regio.json", "vcro.json"} <= {p.name for p in store.iterdir()}
    assert {r.split("?")[0] for r in codex.requests} >= {
        "/api/v2/WetgevingDocument/1029017/VolledigDocument", "/api/v2/WetgevingDocument/1018245/VolledigDocument",
        "/api/v2/WetgevingDocument/1038101/VolledigDocument"}
    dlb = json.loads((store / "dlb.json").read_text(encoding="utf-8"))
    assert dlb["document_id"] == 1029017 and dlb["origin"] == "codex" and dlb["source"].startswith(codex.url)
    assert dlb["retrieved"][:4] >= "2026"
    art = {a["number"]: a for a in dlb["articles"]}
    v401 = art["401"]["versions"][0]
    # HTML reduced to plain text: <br> as line breaks, &nbsp; as a space, numbering kept, no tags
    assert "ten hoogste zes jaar" in v401["text"] and "<" not in v401["text"] and "&nbsp;" not in v401["text"]
    assert "\n1° " in v401["text"]
    assert v401["start"] == "2019-01-01" and v401["end"] is None and len(v401["hash"]) == 16
    assert art["395"]["versions"][0]["end"] == "2023-12-31"
    assert [v["start"] for v in art["393"]["versions"]] == ["2019-01-01", "2027-01-01"]
    assert art["458"]["versions"][0]["text"] is None  # in the table of contents, no text: reported
    assert any("458" in w for w in dlb["warnings"])
    assert "441" not in art


def test_check_finds_every_planted_defect_and_suggests_the_right_article(store, capsys):
    code, report, _ = check_json(capsys, store, "--date", DAY)
    assert code == 3
    found = {}
    for c in report["citations"]:
        if c["status"] != "bevestigd" and c["law"] in ("dlb", "vcro", "regio"):
            found[(c["rule"], c["article"])] = (c["status"], (c["suggested_articles"] or [None])[0])
    planted = {k: v for k, v in found.items() if k[1] is not None}
    assert planted == PLANTED
    # a provision the rule base could not number: the text shows where its terms are
    unnumbered = {k[0]: v for k, v in found.items() if k[1] is None}
    assert set(unnumbered) == UNNUMBERED
    assert unnumbered["dlb-pv-bestuurders-raadgevende-stem"] == ("niet_gevonden", "407")
    assert unnumbered["regio-termijn-bestaande-verbanden"] == ("niet_gevonden", "19")
    moved = next(c for c in report["citations"] if c["rule"] == "dlb-416-oprichting-termijn")
    assert moved["missing_terms"] == ["drie maanden"]
    repealed = next(c for c in report["citations"] if c["rule"] == "dlb-395-iv-beheerscomite")
    assert "niet meer van kracht sinds 2024-01-01" in repealed["note"]
    s = report["summary"]
    assert s["total"] == len(report["citations"]) == sum(s["statuses"].values())
    assert s["statuses"]["bevestigd"] == sum(c["law"] in ("dlb", "vcro", "regio") for c in report["citations"]) - len(found)
    assert {"beleid", "ovd", "rapport"} <= set(s["unchecked_laws"])


def test_a_rule_of_another_time_is_checked_against_the_text_of_its_time(store, capsys):
    _, report, _ = check_json(capsys, store, "--date", DAY)
    by_rule = {c["rule"]: c for c in report["citations"] if c["role"] == "source"}
    # art. 397 changed in 2021 and art. 471 in 2024: both rules confirmed against their own version
    assert by_rule["dlb-397-cvba-tot-2021"]["status"] == "bevestigd"
    assert by_rule["dlb-397-cvba-tot-2021"]["date"] == "2021-08-13"
    assert by_rule["dlb-471-goedkeuringstoezicht-tot-2024"]["date"] == "2023-12-31"
    assert by_rule["dlb-471-goedkeuringstoezicht-tot-2024"]["status"] == "bevestigd"
    assert by_rule["dlb-397-cooperatieve-vennootschap"]["status"] == "bevestigd"


def test_a_future_version_is_announced_and_checked_on_its_date(store, capsys):
    _, now, _ = check_json(capsys, store, "--date", DAY)
    opzeg = next(c for c in now["citations"] if c["rule"] == "dlb-393-iv-opzegging")
    assert opzeg["status"] == "bevestigd"
    assert opzeg["later_from"] == "2027-01-01" and opzeg["later_missing_terms"] == ["opzegmogelijkheid"]
    _, later, _ = check_json(capsys, store, "--date", "2027-06-01")
    opzeg = next(c for c in later["citations"] if c["rule"] == "dlb-393-iv-opzegging")
    assert opzeg["status"] == "termen_ontbreken" and opzeg["missing_terms"] == ["opzegmogelijkheid"]
    duur = next(c for c in later["citations"] if c["rule"] == "dlb-393-iv-duur-en-verlenging")
    assert duur["status"] == "bevestigd"


def test_text_report_names_the_defects_in_dutch(store, capsys):
    code, out, err = run(capsys, "law", "check", "--store", store, "--date", DAY)
    assert code == 3
    assert "verwijzingen niet bevestigd door de officiële tekst" in err
    assert "- DLB art. 416 (dlb-416-oprichting-termijn)" in out
    assert 'ontbreekt: "drie maanden"' in out and "de termen staan in art. 417" in out
    assert "art. 466 treedt pas in werking op een nog te bepalen datum" in out
    assert "art. 441 staat niet in de tekst" in out
    assert "daarin ontbreekt: 'opzegmogelijkheid'" in out
    assert "Traceback" not in out + err


def test_only_one_law(store, capsys):
    code, report, _ = check_json(capsys, store, "--date", DAY, "--law", "vcro")
    assert code == 0
    assert {c["law"] for c in report["citations"]} == {"vcro"}
    assert all(c["status"] == "bevestigd" for c in report["citations"])


def test_record_marks_only_confirmed_citations_and_hashes_articles(store, tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    code, report, _ = check_json(capsys, store, "--date", DAY, "--rules", rules, "--record")
    assert code == 3
    rb = RuleBase(rules)  # the edited rule base still loads and validates
    status = {(c["rule"], c["role"], c["article"]): c for c in report["citations"]}
    for owner, role, c, _ in cited(rb):
        if c.law not in ("dlb", "vcro", "regio"):
            continue
        result = status[(owner, role, c.article)]
        if result["status"] == "bevestigd":
            assert c.verified and c.verified_by == f"codex, {report['summary']['laws'][c.law]['retrieved'][:10]}, {result['hash']}"
        else:
            before = next(x for o, r, x, _ in cited(RB) if (o, r, x.article) == (owner, role, c.article))
            assert c.verified == before.verified and c.verified_by is None
    hashed = {(a.law, a.article): a for a in rb.articles if a.hash}
    assert ("dlb", "401") in hashed and hashed[("dlb", "401")].codex_id
    assert ("dlb", "441") not in hashed
    # nothing but the citations and the hashes changed
    for path in sorted(RULES_DIR.rglob("*.yaml")):
        rel = path.relative_to(RULES_DIR)
        old, new = path.read_text(encoding="utf-8"), (rules / rel).read_text(encoding="utf-8")
        changed = [(a, b) for a, b in zip(old.splitlines(), new.splitlines()) if a != b]
        assert all("verified_by" in b for a, b in changed if "{law:" in a), rel
        assert len(old.splitlines()) == len(new.splitlines()) or rel.name == "articles.yaml"
    # a second check sees no change; a changed text on the Codex is then reported as changed
    code, again, _ = check_json(capsys, store, "--date", DAY, "--rules", rules)
    assert again["summary"]["changed"] == 0
    assert again["summary"]["statuses"]["bevestigd"] == report["summary"]["statuses"]["bevestigd"]


def test_nothing_is_confirmed_when_the_texts_lack_the_terms(tmp_path, capsys):
    with codex_server() as srv:
        for doc in srv.documents.values():
            for wrapper in doc["Inhoud"]["ArtikelVersies"]:
                wrapper["ArtikelVersie"]["Tekst"] = "Dit artikel regelt iets anders.<br>\nNiets meer."
        code, _, err = run(capsys, "law", "fetch", "--api", srv.url, "--store", tmp_path / "wet")
        assert code == 0, err
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    code, report, _ = check_json(capsys, tmp_path / "wet", "--date", DAY, "--rules", rules, "--record")
    assert code == 3
    assert report["summary"]["statuses"]["bevestigd"] == 0
    assert all(not c.verified_by for _, _, c, _ in cited(RuleBase(rules)))
    assert [c for _, _, c, _ in cited(RuleBase(rules))] == [c for _, _, c, _ in cited(RB)]


def test_without_a_store_check_says_how_to_get_the_text(tmp_path, capsys):
    code, out, err = run(capsys, "law", "check", "--store", tmp_path / "leeg")
    assert code == 2 and out == ""
    assert "igs-advisor law fetch" in err and "niets bevestigd" in err


def test_the_articles_file_keeps_its_form_after_recording(store, tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    run(capsys, "law", "check", "--store", store, "--date", DAY, "--rules", rules, "--record")
    entries = load_yaml_text((rules / "articles.yaml").read_text(encoding="utf-8"), "articles.yaml")
    original = load_yaml_text((RULES_DIR / "articles.yaml").read_text(encoding="utf-8"), "articles.yaml")
    assert [{k: v for k, v in e.items() if k not in ("hash", "codex_id")} for e in entries] == original
