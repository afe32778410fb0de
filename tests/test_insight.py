"""Training and insight: compare, whatif, the casebook, the quiz and the rule book."""
import datetime as dt
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from advisor import advise
from advisor.casebook import answer_code, load_cases
from advisor.cli import main
from advisor.insight import apply_change, whatif
from advisor.rulebase import default_rulebase
from advisor.paths import ROOT

DAY = dt.date(2026, 6, 1)
EXAMPLES = ROOT / "examples"
RB = default_rulebase()


def example(name):
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_compare_lists_five_forms_with_their_card_and_the_case_statuses(capsys):
    code, out, _ = run(["compare", EXAMPLES / "wijkwerken.yaml", "--format", "json", "--date", "2026-06-01"], capsys)
    forms = json.loads(out)["forms"]
    advice = advise(example("wijkwerken.yaml"), DAY)
    assert [f["form"] for f in forms] == [f.form.value for f in advice.forms]
    assert [f["status"] for f in forms] == [f.status for f in advice.forms]
    for f in forms:
        assert {"reasons", "legal_personality", "management_transfer", "participants", "duration", "organs",
                "founding", "obligations"} <= set(f)
        assert "{param:" not in json.dumps(f)
    pv = forms[1]
    assert "6 jaar" in pv["duration"] and any("raad van bestuur" in o["message"] for o in pv["obligations"])


def test_compare_as_a_table_as_wide_as_allowed_with_every_obligation_and_its_mark(capsys):
    intent = EXAMPLES / "wijkwerken.yaml"
    forms = json.loads(run(["compare", intent, "--format", "json", "--date", "2026-06-01"], capsys)[1])["forms"]
    narrow = run(["compare", intent, "--width", "80", "--date", "2026-06-01"], capsys)[1]
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "(vormen 1-2 van 5)" in narrow and "(vormen 5-5 van 5)" in narrow  # a page per two forms
    wide = run(["compare", intent, "--width", "200", "--date", "2026-06-01"], capsys)[1]
    assert max(len(line) for line in wide.splitlines()) <= 200 and "(vormen" not in wide
    header = next(line for line in wide.splitlines() if "1. Interlokale vereniging" in line)
    assert all(f"{i}. {f['label'].split()[0]}" in header for i, f in enumerate(forms, start=1))  # side by side
    flat = " ".join(" ".join(line.replace("│", " ").split()) for line in wide.splitlines())
    assert "..." not in wide and "(te verifiëren)" in wide
    last = forms[1]["obligations"][-1]["message"].split()[-1]
    assert last in flat
    html = run(["compare", intent, "--format", "html", "--date", "2026-06-01"], capsys)[1]
    assert html.count("<th scope=\"col\"") == 6 and "te verifiëren" in html


def test_whatif_and_the_rule_book_show_labels_not_codes(tmp_path, capsys):
    out = run(["whatif", EXAMPLES / "beleidsplan-ruimte.yaml", "--date", "2026-06-01"], capsys)[1]
    assert "met verevening: een vereveningsfonds" in out and "'fonds'" not in out
    assert "met als doel: het beheer van een taak overdragen" in out
    run(["rulebook", "-o", tmp_path / "boek"], capsys)
    pages = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "boek").rglob("*.html"))
    assert "‹" not in pages and "[het oprichtingsjaar]" in pages


def test_whatif_for_the_telecom_example_finds_the_ways_out():
    changes = whatif(example("telecom-private.yaml"), DAY)
    found = {json.dumps(c.change, sort_keys=True): c.recommended_form for c in changes}
    assert found['{"partners[3]": null}'] == "opdrachthoudende_vereniging"
    assert found['{"partners[3].sector": "afval"}'] == "opdrachthoudende_vereniging_met_private_deelname"
    assert found['{"purpose.kind": "project"}'] == "interlokale_vereniging"


@pytest.mark.parametrize("name", ["sportregio.yaml", "wijkwerken.yaml", "telecom-private.yaml"])
def test_every_whatif_change_is_confirmed_by_the_advisor_and_pairs_are_minimal(name):
    intent = example(name)
    base = advise(intent, DAY).recommended_form
    normalized = __import__("advisor.intake", fromlist=["parse_intent"]).parse_intent(intent).model_dump(mode="json", exclude_none=True)
    singles = set()
    for c in whatif(intent, DAY):
        assert advise(apply_change(normalized, c.change), DAY).recommended_form == c.recommended_form != base
        items = {(k, json.dumps(v)) for k, v in c.change.items()}
        if len(c.change) == 1:
            singles |= items
        else:
            assert not (items & singles), "a pair contains a change that works on its own"
    assert singles


def test_whatif_names_the_duration_boundary_of_the_projectvereniging():
    changes = whatif(example("wijkwerken.yaml"), DAY)
    durations = {c.change.get("duration_years") for c in changes if "duration_years" in c.change}
    assert 7 in durations and 6 not in durations  # 6 keeps the projectvereniging, 7 does not


CASEBOOK = load_cases()


def test_the_casebook_has_the_cases_of_the_seed_report_and_the_edge_cases():
    ids = {c.id for c in CASEBOOK}
    assert len(CASEBOOK) >= 12
    for needed in ("sportregio", "wijk-werken", "interleuven", "fluvius", "leiedal", "binnenkamer", "kustkamer",
                   "getestreek", "omgevingsambtenaar", "private", "verkiezingsjaar", "een-gemeente"):
        assert any(needed in i for i in ids), needed


@pytest.mark.parametrize("case", CASEBOOK, ids=[c.id for c in CASEBOOK])
def test_every_case_gives_its_learning_outcome(case):
    advice = advise(case.intent, DAY)
    assert advice.recommended_form == case.expected["recommended_form"]
    shown = {f.rule for f in advice.findings} | {r.rule for fa in advice.forms for r in fa.reasons}
    assert set(case.expected.get("fired", [])) <= shown


def test_quiz_unattended_scores_one_trainee_and_a_group(tmp_path, capsys):
    right = {c.id: (c.expected["recommended_form"] or "geen") for c in CASEBOOK}
    sheet = tmp_path / "antwoorden.yaml"
    sheet.write_text(yaml.safe_dump(right), encoding="utf-8")
    code, out, _ = run(["train", "--answers", sheet, "--date", "2026-06-01"], capsys)
    assert code == 0 and f"{len(CASEBOOK)}/{len(CASEBOOK)} juist" in out
    wrong = dict(right, **{"wijk-werken-haspengouw": "1"})  # number 1 = interlokale vereniging
    sheet.write_text(yaml.safe_dump({"An": right, "Bram": wrong}), encoding="utf-8")
    code, out, _ = run(["train", "--answers", sheet, "--date", "2026-06-01", "--format", "json"], capsys)
    results = json.loads(out)["results"]
    assert sum(r["correct"] for r in results["An"]) == len(CASEBOOK)
    bram = {r["case"]: r for r in results["Bram"]}
    assert not bram["wijk-werken-haspengouw"]["correct"] and bram["wijk-werken-haspengouw"]["articles"]


ALL_GEEN = {c.id: "geen" for c in CASEBOOK}


@pytest.mark.parametrize("sheet, message", [
    ({"bestaat-niet": "geen"}, "onbekende casus"),
    (dict(ALL_GEEN, **{"sportregio-pajottenland": "vzw"}), "kies een nummer"),
])
def test_quiz_refuses_a_bad_answers_sheet(tmp_path, capsys, sheet, message):
    path = tmp_path / "antwoorden.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    code, _, err = run(["train", "--answers", path], capsys)
    assert code == 2 and message in err


def test_a_partial_sheet_is_graded_with_what_is_missing(tmp_path, capsys):
    path = tmp_path / "antwoorden.yaml"
    right = next(c for c in CASEBOOK if c.id == "sportregio-pajottenland").expected["recommended_form"]
    path.write_text(yaml.safe_dump({"sportregio-pajottenland": right, "glasvezel-met-telecompartner": None}),
                    encoding="utf-8")
    code, out, _ = run(["train", "--answers", path, "--date", "2026-06-01"], capsys)
    assert code == 0 and f"deelnemer: 1/{len(CASEBOOK)} juist ({len(CASEBOOK) - 1} niet beantwoord)" in out
    assert "open   glasvezel-met-telecompartner: niet beantwoord" in out
    code, out, _ = run(["train", "--answers", path, "--date", "2026-06-01", "--format", "json"], capsys)
    assert "glasvezel-met-telecompartner" in json.loads(out)["missing"]["deelnemer"]


def test_quiz_interactive_in_a_real_terminal_session(tmp_path):
    cases = tmp_path / "casussen"
    cases.mkdir()
    for c in CASEBOOK[:2]:
        (cases / f"{c.id}.yaml").write_text(yaml.safe_dump(c.model_dump(), allow_unicode=True), encoding="utf-8")
    answers = [(c.expected["recommended_form"] or "geen") for c in CASEBOOK[:2]]
    numbers = [str([f.code.value for f in RB.forms].index(a) + 1) if a != "geen" else "6" for a in answers]
    exe = Path(sys.executable).with_name("igs-advisor")
    proc = subprocess.run([str(exe), "train", "--cases", str(cases), "--date", "2026-06-01"],
                          input="zeven\n" + "\n".join(numbers) + "\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "kies een nummer" in proc.stdout and "Juist!" in proc.stdout and "Score: 2/2" in proc.stdout
    assert "=== Casus 1/2 ===" in proc.stdout and "=== Casus 2/2 ===" in proc.stdout
    heading = proc.stdout.split("=== Casus 1/2 ===")[1].split("Uw keuze")[0]
    assert CASEBOOK[0].title not in heading  # the title, which may give the answer away, comes after
    assert f"(casus: {CASEBOOK[0].title})" in proc.stdout
    assert "(te verifiëren)" in proc.stdout  # the feedback keeps the verification marks
    stopped = subprocess.run([str(exe), "train", "--cases", str(cases), "--date", "2026-06-01"],
                             input=numbers[0] + "\n", capture_output=True, text=True, timeout=60)
    assert stopped.returncode == 0 and "Score: " in stopped.stdout and "gestopt na 1 van 2 casussen" in stopped.stdout


def test_answer_codes():
    assert answer_code("2") == "projectvereniging" and answer_code("geen") == "geen" and answer_code("6") == "geen"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])


def test_the_rule_book_is_a_complete_offline_site_with_working_links(tmp_path, capsys):
    code, out, _ = run(["rulebook", "-o", tmp_path / "site"], capsys)
    site = tmp_path / "site"
    pages = sorted(site.glob("*.html"))
    assert code == 0 and len(pages) == len(RB.articles) + len(RB.forms) + len(CASEBOOK) + 1
    assert (site / "stijl.css").exists() and "@media print" in (site / "stijl.css").read_text(encoding="utf-8")
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.links:
            if re.match(r"https?://", href):
                continue
            target = href.split("#")[0]
            assert (site / target).exists(), f"{page.name}: broken link {href}"
    article = (site / "artikel-dlb-401.html").read_text(encoding="utf-8")
    assert "dlb-401-pv-verkiezingsjaar" in article and "Scenario" in article and "te verifiëren" in article
    assert "Wanneer deze vorm is uitgesloten" in (site / "vorm-projectvereniging.html").read_text(encoding="utf-8")
