"""Command line: Dutch errors naming the field, exit status 2, no traceback, nothing written."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.paths import ROOT

EXAMPLE = ROOT / "examples" / "sportregio.yaml"
VALID = EXAMPLE.read_text(encoding="utf-8")


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("content, field", [
    ("name: [unclosed", "ongeldige YAML"),
    ("", "leeg"),
    ("   \n", "leeg"),
    ("- name: lijst\n", "structuur met velden"),
    (VALID + "extra_veld: 1\n", "extra_veld: onbekend veld"),
    (VALID.replace("name: Sportregio Pajottenland", "name: Sportregio\nname: Dubbel"), "dubbele sleutel"),
    (VALID + "duration_years: zes\n", "duration_years: moet een geheel getal zijn"),
    (VALID + "duration_years: -3\n", "duration_years: moet minstens 1 zijn"),
    (VALID + "duration_years: 6.5\n", "duration_years: moet een geheel getal zijn"),
    (VALID.replace("kind: project", "kind: samenwerking"), "purpose.kind: 'samenwerking' is geen gekende soort doel"),
    (VALID.replace("- name: Liedekerke\n  kind: gemeente", "- name: Liedekerke\n  kind: gemeentebedrijf"),
     "partners[1].kind: 'gemeentebedrijf' is geen gekende soort partner"),
    (VALID.replace("  legal_personality: false", "  legal_personality: misschien"), "needs.legal_personality: moet true of false zijn"),
    (VALID + "reference_date: 2018-12-31\n", "reference_date: 2018-12-31 ligt vóór 2019-01-01"),
    (VALID + "reference_date: gisteren\n", "reference_date: 'gisteren' is geen datum in de vorm JJJJ-MM-DD"),
    (VALID.replace("name: Sportregio Pajottenland", "name: ''"), "name: mag niet leeg zijn"),
    (VALID + "spatial_planning: {policy_plan: alles}\n", "spatial_planning.policy_plan: 'alles' is geen gekende soort beleidsplan"),
    (VALID + "finance: {verevening: belasting}\n", "finance.verevening: 'belasting' is geen gekende vorm van verevening"),
    ("name: X\npurpose: {kind: project}\npartners: []\n", "partners: moet minstens 1 element"),
    ("name: X\npurpose: {kind: project}\n", "partners: verplicht veld ontbreekt"),
    # issue 18: a number is never a date, text never a number, a boolean never a number
    (VALID + "reference_date: 0\n", "reference_date: 0 is geen datum in de vorm JJJJ-MM-DD"),
    (VALID + "reference_date: 20261128\n", "reference_date: 20261128 is geen datum in de vorm JJJJ-MM-DD"),
    (VALID + "reference_date: 2026-11-28 10:00:00\n", "reference_date: 2026-11-28 10:00:00 is geen datum"),
    (VALID + "founding_year: '2027'\n", "founding_year: moet een geheel getal zijn, niet '2027'"),
    (VALID + "founding_year: 2027.0\n", "founding_year: moet een geheel getal zijn, niet 2027.0"),
    (VALID + "duration_years: true\n", "duration_years: moet een geheel getal zijn, niet true"),
    (VALID + "duration_years: '6'\n", "duration_years: moet een geheel getal zijn, niet '6'"),
    (VALID.replace("  own_staff: false", "  own_staff: 0"), "needs.own_staff: moet true of false zijn (ja of nee), niet 0"),
])
def test_bad_input_is_a_dutch_error_naming_the_field(tmp_path, capsys, content, field):
    intent = tmp_path / "intentie.yaml"
    intent.write_text(content, encoding="utf-8")
    out_file = tmp_path / "advies.json"
    code, out, err = run(["advise", intent, "-o", out_file], capsys)
    assert code == 2
    assert field in err
    assert "Traceback" not in err and out == ""
    assert not out_file.exists()


def test_json_intent_with_duplicate_keys_is_refused(tmp_path, capsys):
    intent = tmp_path / "intentie.json"
    intent.write_text('{"name": "a", "name": "b"}', encoding="utf-8")
    code, _, err = run(["advise", intent], capsys)
    assert code == 2 and "dubbele sleutel" in err


def test_json_intent_is_accepted(tmp_path, capsys):
    import yaml
    intent = tmp_path / "intentie.json"
    intent.write_text(json.dumps(yaml.safe_load(VALID)), encoding="utf-8")
    code, out, _ = run(["advise", intent, "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["recommended_form"] == "interlokale_vereniging"


@pytest.mark.parametrize("args, message", [
    (["advise", EXAMPLE, "--date", "2018-12-31"], "--date: 2018-12-31 ligt vóór 2019-01-01"),
    (["advise", EXAMPLE, "--date", "morgen"], "geen datum"),
    (["advise", EXAMPLE, "--format", "odt"], "ongeldige keuze"),
    (["advise", EXAMPLE, "--form", "vzw"], "ongeldige keuze"),
    (["advise", "bestaat-niet.yaml"], "bestand niet gevonden"),
    (["advise"], "verplicht argument ontbreekt"),
    (["adviseer", EXAMPLE], "ongeldige keuze"),
])
def test_bad_options_are_dutch_errors(capsys, args, message):
    code, _, err = run(args, capsys)
    assert code == 2 and message in err


def test_first_day_of_the_dlb_is_accepted(capsys):
    code, out, _ = run(["advise", EXAMPLE, "--date", "2019-01-01", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["reference_date"] == "2019-01-01"


def test_output_file_is_written_atomically_and_unwritable_path_is_refused(tmp_path, capsys):
    target = tmp_path / "advies.txt"
    assert run(["advise", EXAMPLE, "-o", target], capsys)[0] == 0
    assert "AANBEVOLEN RECHTSVORM" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["advies.txt"]  # no temporary file left
    code, _, err = run(["advise", EXAMPLE, "-o", tmp_path / "geen-map" / "advies.txt"], capsys)
    assert code == 2 and "kan niet geschreven worden" in err


def test_the_installed_command_reports_errors_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\npurpose: {kind: project}\npartners: [{name: A, kind: gemeentebedrijf}]\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("igs-advisor")
    env = {k: v for k, v in os.environ.items() if k != "IGS_DEBUG"}
    proc = subprocess.run([str(exe), "advise", str(bad)], capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert "partners[0].kind: 'gemeentebedrijf' is geen gekende soort partner" in proc.stderr
    assert "Traceback" not in proc.stderr
    ok = subprocess.run([sys.executable, "-m", "advisor", "advise", str(EXAMPLE)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "INTERLOKALE VERENIGING" in ok.stdout


def test_an_internal_engine_failure_exits_1_with_a_message(monkeypatch, capsys):
    import importlib

    from advisor import engine as engine_module
    advise_module = importlib.import_module("advisor.advise")  # the module, not the function

    class Broken(engine_module.Engine):
        def _action(self, rule_id):
            def action(c):
                raise RuntimeError("kapot")
            return action

    monkeypatch.setattr(advise_module, "default_engine", lambda: Broken())
    code, out, err = run(["advise", EXAMPLE], capsys)
    assert code == 1 and out == "" and "regelmotor" in err and "Traceback" not in err


def test_articles_command_lists_the_whole_index(capsys):
    code, out, _ = run(["articles", "--format", "json"], capsys)
    articles = json.loads(out)["articles"]
    dlb = [a for a in articles if a["law"] == "DLB"]
    assert [a["article"] for a in dlb] == [str(n) for n in range(387, 474)]
    by_number = {(a["law"], a["article"]): a for a in articles}
    assert by_number[("VCRO", "2.1.1")]["status"] == "encoded" and by_number[("VCRO", "1.3.3")]["status"] == "encoded"
    assert by_number[("DLB", "401")]["scenarios"] > 0 and "dlb-401-pv-verkiezingsjaar" in by_number[("DLB", "401")]["rules"]
    assert {"law", "article", "status", "subject", "rules", "scenarios", "verified"} <= set(dlb[0])
    code, out, _ = run(["articles", "--law", "vcro"], capsys)
    assert code == 0 and "VCRO" in out and "DLB" not in out


def test_serve_says_where_it_runs_and_how_to_stop(tmp_path):
    import signal
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("igs-advisor")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "IGS_ADVISOR_CACHE_DIR": str(tmp_path)})
    try:
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first and "Stoppen: Ctrl-C" in first
        import httpx
        for _ in range(100):  # the address works (and the server handles Ctrl-C from now on)
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            __import__("time").sleep(0.1)
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "gestopt" in rest
