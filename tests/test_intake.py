"""Intent normalisation: municipalities of 2025, former names, duplicates; the need for legal personality."""
import pytest

from advisor.intake import parse_intent
from advisor.municipalities import registry
from advisor.vocabulary import Need

BASE = {"name": "X", "purpose": {"kind": "project"}}


def facts(partners, needs=None):
    intent = dict(BASE, partners=partners)
    if needs is not None:
        intent["needs"] = needs
    return parse_intent(intent)


def test_the_registry_has_the_285_municipalities_of_2025():
    assert len(registry().entries) == 285


@pytest.mark.parametrize("name, current, former", [
    ("Gent", "Gent", False), ("stad Gent", "Gent", False), ("sint truiden", "Sint-Truiden", False),
    ("Borsbeek", "Antwerpen", True), ("Kruibeke", "Beveren-Kruibeke-Zwijndrecht", True),
    ("Antwerpen", "Antwerpen", False), ("Spiere-Helkijn", "Spiere-Helkijn", False),
])
def test_names_are_matched_to_the_current_municipality(name, current, former):
    match = registry().lookup(name)
    assert match.municipality.name == current and match.former_name is former


def test_former_and_duplicate_names_count_once_with_warnings():
    i = facts([{"name": "Borsbeek", "kind": "gemeente"}, {"name": "Antwerpen", "kind": "gemeente"},
               {"name": "Mortsel", "kind": "gemeente"}])
    assert i.facts.n_gemeenten == 2
    assert [n.rule for n in i.notices] == ["invoer-vroegere-gemeentenaam", "invoer-dubbele-gemeente"]
    assert i.facts.reference_regions == ["Regio Antwerpen"]


def test_an_unknown_name_is_a_municipality_with_a_warning_never_an_error():
    i = facts([{"name": "Maastricht", "kind": "gemeente"}, {"name": "Gent", "kind": "gemeente"}])
    assert i.facts.n_gemeenten == 2 and i.facts.n_unknown_gemeenten == 1
    assert i.notices[0].rule == "invoer-onbekende-gemeente"


def test_non_municipal_partners_are_not_looked_up():
    i = facts([{"name": "Gent", "kind": "gemeente"}, {"name": "OCMW Gent", "kind": "ocmw"},
               {"name": "Partner NV", "kind": "privaatrechtelijke_rechtspersoon", "sector": " Energie "}])
    assert i.facts.n_gemeenten == 1 and i.notices == ()
    assert i.facts.private_sectors == ["energie"] and i.facts.partner_kinds == ["gemeente", "ocmw", "privaatrechtelijke_rechtspersoon"]


@pytest.mark.parametrize("needs, expected", [
    (None, Need.unknown), ({}, Need.unknown),
    ({"legal_personality": False, "own_staff": False, "own_assets": False}, Need.not_needed),
    ({"legal_personality": False, "own_staff": False}, Need.unknown),
    ({"legal_personality": None, "own_staff": True}, Need.needed),
    ({"legal_personality": False, "own_staff": False, "own_assets": True}, Need.needed),
])
def test_need_for_legal_personality(needs, expected):
    assert facts([{"name": "Gent", "kind": "gemeente"}], needs).facts.legal_personality is expected
