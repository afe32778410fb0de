"""Every scenario in tests/scenarios/ gives its expected advice."""
import pytest

from advisor import advise
from advisor.errors import InputError
from advisor.scenarios import Scenario, load_scenarios, shown_rules

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(sc: Scenario) -> None:
    exp = sc.expect
    if "error" in exp:
        with pytest.raises(InputError) as info:
            advise(sc.intent, reference_date=sc.date, forms=sc.forms)
        assert exp["error"] in str(info.value)
        return
    advice = advise(sc.intent, reference_date=sc.date, forms=sc.forms)
    status = {fa.form.value: fa.status for fa in advice.forms}
    if "recommended_form" in exp:
        assert advice.recommended_form == exp["recommended_form"], status
    for form, st in (exp.get("status") or {}).items():
        assert status[form] == st, f"{form}: {status[form]} != {st}"
    for form in exp.get("excluded") or []:
        assert status[form] == "excluded", f"{form} is {status[form]}"
    for form in exp.get("possible") or []:
        assert status[form] == "possible", f"{form} is {status[form]}"
    shown = shown_rules(advice)
    for rule in exp.get("fired") or []:
        assert rule in shown, f"{rule} not shown; shown: {sorted(shown)}"
    for rule in exp.get("not_fired") or []:
        assert rule not in shown, f"{rule} shown but should not be"
    cited = [a for fa in advice.forms for r in fa.reasons for a in r.articles]
    cited += [a for f in advice.findings for a in f.articles]
    for needle in exp.get("cites") or []:
        assert any(needle in a for a in cited), f"no citation contains {needle!r}"
    kinds = {f.kind for f in advice.findings}
    for kind in exp.get("finding_kinds") or []:
        assert kind in kinds
    messages = " ".join([f.message for f in advice.findings]
                        + [r.message for fa in advice.forms for r in fa.reasons])
    for needle in exp.get("message_contains") or []:
        assert needle in messages, f"no message contains {needle!r}"
