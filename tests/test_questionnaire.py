"""The questionnaire's logic without a terminal or browser: which question comes next, and how a
ticked list of domains is read."""
import pytest

from advisor.errors import InputError
from advisor.questionnaire import (
    check_partial, drop, following, next_question, options, previous, progress, put, put_answer, questions, shown,
    validate_answer, validate_partners, why,
)

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


def test_an_unknown_domain_is_a_dutch_error_that_names_the_question():
    with pytest.raises(InputError) as exc:
        validate_answer(DOMAINS, ["zwemmen"])
    assert str(exc.value).startswith("Op welke beleidsdomeinen werkt de samenwerking? 'zwemmen' is geen keuze")
    assert "purpose.domains" not in str(exc.value) and "Sport (bv. een zwembad)" in str(exc.value)


DURATION = next(q for q in questions() if q.id == "duur")
START = {"name": "Archeologie Zuiderkempen", "purpose": {"kind": "dienstverlening", "domains": ["erfgoed"],
                                                          "description": "Een archeologische dienst", "exclusive": False,
                                                          "sector_roles": []},
         "partners": [{"name": "Geel", "kind": "gemeente"}, {"name": "Laakdal", "kind": "gemeente"}]}


def test_a_wrong_number_names_the_question_and_a_blank_is_not_weet_niet_unless_told():
    with pytest.raises(InputError) as exc:
        validate_answer(DURATION, "zes")
    assert str(exc.value) == "Voor hoeveel jaar wordt de samenwerking opgezet? 'zes' is geen geheel getal."
    assert validate_answer(DURATION, "") is None  # the terminal says: leeg = weet niet
    with pytest.raises(InputError, match="Vul een antwoord in of kies 'Weet niet'"):
        validate_answer(DURATION, "", blank_is_unknown=False)  # the web has a button for it
    assert validate_answer(DURATION, "weet niet", blank_is_unknown=False) is None


def spatial_asked(answers):
    asked = []
    while (q := next_question(answers)) is not None:
        asked.append(q.id)
        value = {"partners": answers.get("partners"), "tags": []}.get(q.type) if q.type in ("partners", "tags") else (
            None if q.unknown else next(iter(q.choices)) if q.type == "choice" else "x")
        answers = put(answers, q.field, value)
    return {"beleidsplan", "igecoro", "ambtenaar"} & set(asked), asked


def test_spatial_planning_questions_only_for_a_spatial_domain():
    none, asked = spatial_asked(START)
    assert none == set() and "domeinen" not in asked  # answered at the start
    spatial, _ = spatial_asked(put(START, "purpose.domains", ["ruimtelijke_ordening"]))
    assert spatial == {"beleidsplan", "igecoro", "ambtenaar"}


def test_the_domains_come_right_after_the_purpose():
    assert next_question({"name": "X", "purpose": {"kind": "project"}}).id == "domeinen"


def test_progress_counts_down_the_questions_that_can_no_longer_be_asked():
    start = drop(START, "purpose.description")
    q = next_question(start)
    n, most = progress(start, q)
    assert (q.id, n) == ("omschrijving", 4)  # after naam, doel, domeinen
    with_spatial = progress(put(start, "purpose.domains", ["ruimtelijke_ordening"]), q)
    assert with_spatial == (n, most + 3)


def test_going_back_and_forth_keeps_every_answer():
    answers = put(START, "needs.legal_personality", True)
    here = next_question(answers)
    back = previous(answers, here.id)
    assert back.id == "rechtspersoonlijkheid"
    assert previous(answers, back.id).id == "exclusief"
    assert following(answers, "exclusief").id == "rechtspersoonlijkheid"  # the kept answer is shown again
    assert following(answers, "rechtspersoonlijkheid") is here


@pytest.mark.parametrize("bad, field", [({"name": "X", "partners": [{"name": "A", "kind": "gemeent"}]}, "partners[0].kind"),
                                        ({"titel": "geen intentie"}, "titel"), (["a"], "antwoorden")])
def test_partial_answers_are_checked_like_the_api(bad, field):
    with pytest.raises(InputError) as exc:
        check_partial(bad)
    assert exc.value.problems[0].startswith(field)
    assert check_partial(START) == START  # what is missing is not an error


def test_the_sector_roles_of_the_ticked_domains_come_first():
    roles = next(q for q in questions() if q.id == "sectorrol")
    assert list(options(roles, {"purpose": {"domains": ["erfgoed"]}}))[:2] == ["ioed", "erfgoedcel"]
    assert list(options(roles, {"purpose": {"domains": []}})) == list(roles.choices)
    assert next_question({"name": "X", "purpose": {"kind": "project", "domains": ["erfgoed"]}}).id == "omschrijving"


def test_unticking_the_spatial_domain_drops_the_spatial_answers_it_ruled_out():
    spatial = put(START, "purpose.domains", ["ruimte"])  # a synonym of ruimtelijke_ordening counts
    assert next_question(put(spatial, "needs", {"legal_personality": True, "own_staff": True, "own_assets": True})
                         | {"duration_years": 4, "founding_year": 2027}).id == "beleidsplan"
    spatial = put(spatial, "spatial_planning", {"policy_plan": "geen", "igecoro": True})
    domains = next(q for q in questions() if q.id == "domeinen")
    assert "spatial_planning" not in put_answer(spatial, domains, ["erfgoed"])
    assert put_answer(spatial, domains, ["erfgoed", "ruimtelijke_ordening"])["spatial_planning"]["igecoro"] is True
    # answers the interview did not rule out (a file written by hand) are kept and shown
    by_hand = put(START, "spatial_planning", {"igecoro": True})
    assert put_answer(by_hand, DURATION, 4)["spatial_planning"] == {"igecoro": True}


def test_a_wrong_partner_is_named_by_the_question_and_its_number():
    partners_q = next(q for q in questions() if q.id == "partners")
    with pytest.raises(InputError) as exc:
        validate_partners(partners_q, [{"name": "Geel", "kind": "gemeente"}, {"name": "", "kind": "gemeente"}])
    assert exc.value.problems == ["Wie neemt deel? Deelnemer 2, naam: mag niet leeg zijn"]
