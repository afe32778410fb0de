"""`law fetch`: a second fetch records what changed; offline, an HTTP error or a strange answer give
a Dutch message and exit status 2 and leave the old store untouched; a changed article is flagged
by `law check`. Nothing here reaches the internet (httpx.MockTransport or a loopback server)."""
import datetime as dt
import json
import shutil
import socket

import httpx
import pytest
from codex_server import codex_server, load

from advisor.cli import main
from advisor.errors import InputError, LawError
from advisor.law.fetch import fetch
from advisor.law.store import Store
from advisor.paths import RULES_DIR
from advisor.rulebase import RuleBase, default_rulebase


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def edit_401(document, text):
    for wrapper in document["Inhoud"]["ArtikelVersies"]:
        if wrapper["ArtikelVersie"]["ArtikelNummer"] == "401.":
            wrapper["ArtikelVersie"]["Tekst"] = text


def test_second_fetch_records_what_changed_and_check_flags_the_article(tmp_path, capsys):
    store, rules = tmp_path / "wet", tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    with codex_server() as srv:
        code, out, err = run(capsys, "law", "fetch", "--api", srv.url, "--store", store)
        assert code == 0 and "eerste kopie van deze wet" in out
        assert "DLB: " in err and "kB ontvangen" in err  # progress, on stderr
        run(capsys, "law", "check", "--store", store, "--rules", rules, "--record", "--date", "2026-06-01")
        edit_401(srv.documents[1029017], "§1. Ten hoogste zes jaar; kan meermaals verlengd worden "
                                         "(kalenderjaar, volledige vernieuwing van de gemeenteraden, twee maanden, "
                                         "uittreding, projectvereniging) - gewijzigd.")
        code, out, err = run(capsys, "law", "fetch", "--api", srv.url, "--store", store)
        assert code == 0, err
    assert "sinds de vorige kopie" in out and "1 gewijzigd (401)" in out and "0 nieuw" in out
    changes = json.loads((store / "dlb.json").read_text(encoding="utf-8"))["changes"]
    assert len(changes) == 1 and changes[0]["changed"] == ["401"]
    code, out, _ = run(capsys, "law", "check", "--store", store, "--rules", rules, "--format", "json",
                       "--date", "2026-06-01")
    report = json.loads(out)
    changed = {(c["rule"], c["article"]) for c in report["citations"] if c["changed"]}
    assert changed and {a for _, a in changed} == {"401"}
    assert ("dlb-401-pv-duur", "401") in changed
    # the terms are still there: still confirmed, but the lawyer sees that the text moved on
    assert all(c["status"] == "bevestigd" for c in report["citations"] if (c["rule"], c["article"]) in changed)


def test_offline_gives_a_dutch_message_and_leaves_the_store_untouched(tmp_path, capsys):
    store = tmp_path / "wet"
    with codex_server() as srv:
        assert run(capsys, "law", "fetch", "--api", srv.url, "--store", store)[0] == 0
    before = snapshot(store)
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out, err = run(capsys, "law", "fetch", "--api", f"http://127.0.0.1:{port}", "--store", store)
    assert code == 2 and out == ""
    assert "geen verbinding met" in err and "de lokale kopie is niet gewijzigd" in err
    assert "igs-advisor law import" in err and "Traceback" not in err
    assert snapshot(store) == before


@pytest.mark.parametrize("status", [500, 404, 503])
def test_http_error_leaves_the_old_store_untouched(tmp_path, capsys, status):
    store = tmp_path / "wet"
    with codex_server() as srv:
        assert run(capsys, "law", "fetch", "--api", srv.url, "--store", store)[0] == 0
        before = snapshot(store)
        srv.status[1018245] = status  # the VCRO fails after the DLB came in: nothing is written
        code, _, err = run(capsys, "law", "fetch", "--api", srv.url, "--store", store)
    assert code == 2 and f"HTTP {status}" in err and "niet gewijzigd" in err
    assert snapshot(store) == before


def mock_client(handler):
    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize("body, message", [
    (b"<html>proxy login</html>", "geen JSON"),
    (b'{"Document": {}}', "'Inhoud' ontbreekt"),
    (b'{"Inhoud": {"ArtikelVersies": []}}', "geen enkele artikeltekst"),
    (b'{"Inhoud": {"ArtikelVersies": [{"ArtikelVersie": {"ArtikelNummer": "1.", "Tekst": "x", '
     b'"StartDatum": "gisteren"}}]}}', "geen datum"),
])
def test_an_answer_that_is_not_a_codex_document_is_refused(tmp_path, body, message):
    client = mock_client(lambda request: httpx.Response(200, content=body))
    with pytest.raises(LawError, match=message):
        fetch(default_rulebase(), Store(tmp_path / "wet"), ["dlb"], "https://codex.test", client=client)
    assert not (tmp_path / "wet").exists()


def test_fetch_asks_the_documented_endpoint_per_law(tmp_path):
    seen = []

    def handler(request):
        seen.append(str(request.url))
        return httpx.Response(200, json=load("vcro"))
    done = fetch(default_rulebase(), Store(tmp_path / "wet"), ["vcro"], "https://codex.test/", client=mock_client(handler))
    assert seen == ["https://codex.test/api/v2/WetgevingDocument/1018245/VolledigDocument"]
    assert done[0].text.law == "vcro" and done[0].change is None
    assert done[0].text.article("2.1.1").at(dt.date(2026, 1, 1)).text


def test_api_base_from_the_environment(tmp_path, monkeypatch, capsys):
    with codex_server() as srv:
        monkeypatch.setenv("IGS_ADVISOR_CODEX_API", srv.url)
        monkeypatch.setenv("IGS_ADVISOR_LAW_DIR", str(tmp_path / "wet"))
        code, out, _ = run(capsys, "law", "fetch", "--law", "regio")
    assert code == 0 and "Regiodecreet: " in out
    assert sorted(p.name for p in (tmp_path / "wet").iterdir()) == ["regio.json"]


def test_unknown_law_names_the_known_ones(tmp_path, capsys):
    code, _, err = run(capsys, "law", "fetch", "--law", "rapport", "--store", tmp_path / "wet")
    assert code == 2 and "--law: rapport" in err and "dlb" in err and "vcro" in err


def test_only_laws_with_a_codex_id_are_fetched():
    rb = RuleBase()
    from advisor.law.fetch import fetchable
    laws = fetchable(rb)
    assert laws[:3] == ["dlb", "vcro", "regio"]
    assert all(rb.laws.laws[code].codex for code in laws)
    with pytest.raises(InputError):
        from advisor.law.fetch import choose
        choose(rb, ["beleid"])
