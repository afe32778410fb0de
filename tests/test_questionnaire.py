"""The questionnaire's logic without a terminal or browser: which question comes next, and how a
ticked list of domains is read."""
import pytest

from advisor.errors import InputError
from advisor.questionnaire import next_question, questions, shown, validate_answer, why

DOMAINS = next(q for q in questions() if q.id == "domeinen")


def answers(*towns, kind="beheersoverdracht", legal_personality=True):
    return {"name": "Test", "purpose": {"kind": kind, "description": "Test"},
            "partners": [{"name": town, "kind": "gemeente"} for town in towns],
            "needs": {"legal_personality": legal_personality, "own_staff": None, "own_assets": None},
            "duration_years": None, "founding_year": None,
            "spatial_planning": {"policy_plan": "geen", "igecoro": False, "shared_official": False},
            "finance": {"verevening": "geen"}, "seat": "Leuven"}


def test_domains_are_asked_when_they_can_bring_a_regiodecreet_exemption():
    reason = why(DOMAINS, answers("Leuven", "Mechelen"))
    assert reason is not None and "Regiodecreet art. 4" in reason.articles
    assert next_question(answers("Leuven", "Mechelen")).id == "domeinen"


@pytest.mark.parametrize("case", [answers("Leuven", "Herent"),  # one reference region
                                  answers("Leuven", "Mechelen", kind="project", legal_personality=False)])  # IV
def test_domains_in_one_region_or_for_an_iv_bring_no_regiodecreet_exemption(case):
    reason = why(DOMAINS, case)  # a domain can still bring sector law (waste: Materialendecreet)
    assert reason is None or "Regiodecreet art. 4" not in reason.articles


def test_ticked_domains_keep_the_order_of_the_list_and_drop_doubles():
    assert validate_answer(DOMAINS, ["toerisme", "sport", "toerisme"]) == ["sport", "toerisme"]
    assert validate_answer(DOMAINS, "ict, water") == ["water", "ict"]
    assert validate_answer(DOMAINS, []) == [] and validate_answer(DOMAINS, None) == []
    assert shown(DOMAINS, ["sport", "toerisme"]) == "Sport (bv. een zwembad), Toerisme"
    assert shown(DOMAINS, []) == "geen"


def test_an_unknown_domain_is_a_dutch_error_that_names_the_field():
    with pytest.raises(InputError) as exc:
        validate_answer(DOMAINS, ["zwemmen"])
    assert "purpose.domains: 'zwemmen' is geen keuze" in str(exc.value)
