"""The public contract (shared/contract/README.md): examples, expected outcomes, JSON shape."""
import json

import pytest
import yaml

from advisor import advise
from advisor.cli import main
from advisor.vocabulary import Form
from advisor.paths import ROOT

EXAMPLES = ROOT / "examples"
EXPECTED = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))
SHARED = ROOT.parent / "shared" / "contract" / "examples"
FINDING_KINDS = {"exclusion", "constraint", "obligation", "warning", "recommendation", "information"}


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ is not beside this checkout")
def test_bundled_examples_are_the_contract_examples():
    for path in SHARED.iterdir():
        assert (EXAMPLES / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gives_its_expected_outcome(name, tmp_path, capsys):
    exp = EXPECTED[name]
    assert main(["advise", str(EXAMPLES / name), "--format", "json", "--date", "2026-06-01"]) == 0
    advice = json.loads(capsys.readouterr().out)
    assert advice["recommended_form"] == exp["recommended_form"]
    status = {f["form"]: f["status"] for f in advice["forms"]}
    for form, st in (exp.get("status") or {}).items():
        assert status[form] == st
    cited = [a for f in advice["findings"] for a in f["articles"]]
    cited += [a for f in advice["forms"] for r in f["reasons"] for a in r["articles"]]
    for needle in exp.get("cites") or []:
        assert any(needle in a for a in cited), needle
    _check_shape(advice)


def _check_shape(advice: dict) -> None:
    assert {"recommended_form", "forms", "findings", "reference_date"} <= set(advice)
    assert [f["form"] for f in advice["forms"]] == [f.value for f in Form]
    statuses = [f["status"] for f in advice["forms"]]
    assert set(statuses) <= {"recommended", "possible", "excluded"}
    assert statuses.count("recommended") == (0 if advice["recommended_form"] is None else 1)
    for f in advice["forms"]:
        if f["status"] == "recommended":
            assert f["form"] == advice["recommended_form"]
        if f["status"] == "excluded":
            assert f["reasons"], f["form"]
        for r in f["reasons"]:
            assert {"rule", "articles", "message"} <= set(r)
            assert all(isinstance(a, str) for a in r["articles"])
    for finding in advice["findings"]:
        assert {"rule", "kind", "articles", "message"} <= set(finding)
        assert finding["kind"] in FINDING_KINDS
    if advice["recommended_form"] is None:
        assert any(f["kind"] == "recommendation" for f in advice["findings"]), "no way out is named"


def test_json_output_is_the_api_advice():
    intent = yaml.safe_load((EXAMPLES / "afval-private.yaml").read_text(encoding="utf-8"))
    import datetime as dt
    via_api = advise(intent, reference_date=dt.date(2026, 6, 1)).model_dump(mode="json")
    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main(["advise", str(EXAMPLES / "afval-private.yaml"), "--format", "json", "--date", "2026-06-01"])
    assert json.loads(buf.getvalue()) == via_api


def test_unverified_citations_are_flagged_in_json_and_text(capsys):
    main(["advise", str(EXAMPLES / "wijkwerken.yaml"), "--format", "json", "--date", "2026-06-01"])
    advice = json.loads(capsys.readouterr().out)
    flags = [r["verified"] for f in advice["forms"] for r in f["reasons"]] + [f["verified"] for f in advice["findings"]]
    assert advice["unverified_citations"] == flags.count(False) > 0
    main(["advise", str(EXAMPLES / "wijkwerken.yaml"), "--date", "2026-06-01"])
    assert "te verifiëren" in capsys.readouterr().out
