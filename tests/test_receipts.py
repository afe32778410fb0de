"""Decision receipts: reproduce an advice or draft, and name the rules that changed."""
import datetime as dt
import json

import pytest
import yaml

from advisor.cli import main
from advisor.intake import parse_intent
from advisor.receipts import make_receipt, verify
from advisor.rulebase import RuleBase
from advisor.paths import ROOT

EXAMPLES = ROOT / "examples"


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command, extra", [
    ("advise", ["--format", "json"]), ("advise", ["--format", "text"]),
    ("draft", ["--format", "md"]), ("draft", ["--format", "docx"]),
])
def test_a_receipt_reproduces_today(tmp_path, capsys, command, extra):
    receipt = tmp_path / "bewijs.json"
    code, _, _ = run([command, EXAMPLES / "afval-private.yaml", "--date", "2026-06-01", *extra,
                      "-o", tmp_path / "uit", "--receipt", receipt], capsys)
    assert code == 0
    data = json.loads(receipt.read_text(encoding="utf-8"))
    assert data["reference_date"] == "2026-06-01" and data["fired"] and len(data["rulebase_hash"]) == 64
    assert any(f["rule"] == "dlb-396-2-ovp-voorwaarden" and f["articles"] for f in data["fired"])
    assert data["output_sha256"]
    code, out, _ = run(["verify", receipt], capsys)
    assert code == 0 and "zelfde uitvoer vandaag:   ja" in out


def test_verify_names_the_rule_that_changed(tmp_path):
    intent = parse_intent(yaml.safe_load((EXAMPLES / "wijkwerken.yaml").read_text(encoding="utf-8")))
    from advisor import advise
    from advisor.receipts import render_advice
    from advisor.rulebase import default_rulebase
    rb = default_rulebase()
    advice = advise(intent, dt.date(2026, 6, 1))
    receipt = make_receipt("advice", intent, advice, {"format": "json", "forms": []},
                           render_advice(advice, "json", rb))
    assert verify(receipt).same_output
    copy = tmp_path / "rules"
    for path in (ROOT / "rules").rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(ROOT / "rules")
            target.parent.mkdir(parents=True, exist_ok=True)
            text = path.read_text(encoding="utf-8")
            if path.name == "projectvereniging.yaml":
                text = text.replace("met instemming van de andere deelnemers", "met instemming van alle deelnemers")
            target.write_text(text, encoding="utf-8")
    changed = verify(receipt, RuleBase(copy))
    assert not changed.same_output and not changed.same_rulebase
    assert changed.changed_rules == ["dlb-401-pv-uittreding"]


def test_a_tampered_receipt_fails_and_a_broken_one_is_refused(tmp_path, capsys):
    receipt = tmp_path / "bewijs.json"
    run(["advise", EXAMPLES / "sportregio.yaml", "--date", "2026-06-01", "--receipt", receipt], capsys)
    data = json.loads(receipt.read_text(encoding="utf-8"))
    data["output_sha256"] = "0" * 64
    receipt.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(["verify", receipt], capsys)
    assert code == 3 and "zelfde uitvoer vandaag:   nee" in out and "anders" in err
    receipt.write_text('{"kind": "advice"}', encoding="utf-8")
    code, _, err = run(["verify", receipt], capsys)
    assert code == 2 and "geen geldig beslissingsbewijs" in err
