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


# Strict types (issue 18): what a user could mean otherwise is refused, naming the field, never coerced.
VALID = dict(BASE, partners=[{"name": "Ternat", "kind": "gemeente"}, {"name": "Affligem", "kind": "gemeente"}])


@pytest.mark.parametrize("path, value, message", [
    (("reference_date",), 0, "reference_date: 0 is geen datum in de vorm JJJJ-MM-DD"),
    (("reference_date",), 20261128, "reference_date: 20261128 is geen datum in de vorm JJJJ-MM-DD"),
    (("reference_date",), "20261128", "reference_date: '20261128' is geen datum in de vorm JJJJ-MM-DD"),
    (("reference_date",), True, "reference_date: true is geen datum in de vorm JJJJ-MM-DD"),
    (("reference_date",), 1.5, "reference_date: 1.5 is geen datum"),
    (("reference_date",), "28/11/2026", "reference_date: '28/11/2026' is geen datum"),
    (("reference_date",), "2026-11-28T10:00", "reference_date: '2026-11-28T10:00' is geen datum"),
    (("reference_date",), "2026-02-30", "reference_date: '2026-02-30' is geen bestaande datum"),
    (("founding_year",), "2027", "founding_year: moet een geheel getal zijn, niet '2027'"),
    (("founding_year",), 2027.0, "founding_year: moet een geheel getal zijn, niet 2027.0"),
    (("founding_year",), True, "founding_year: moet een geheel getal zijn, niet true"),
    (("duration_years",), True, "duration_years: moet een geheel getal zijn, niet true"),
    (("duration_years",), False, "duration_years: moet een geheel getal zijn, niet false"),
    (("duration_years",), "6", "duration_years: moet een geheel getal zijn, niet '6'"),
    (("duration_years",), 6.5, "duration_years: moet een geheel getal zijn, niet 6.5"),
    pytest.param(("duration_years",), 10 ** 5000,
                 "duration_years: mag hoogstens 99 zijn, niet een getal van ongeveer 5001 cijfers", id="5001-digits"),
    (("needs", "legal_personality"), 1, "needs.legal_personality: moet true of false zijn (ja of nee), niet 1"),
    (("needs", "own_staff"), "ja", "needs.own_staff: moet true of false zijn (ja of nee), niet 'ja'"),
    (("purpose", "exclusive"), 0, "purpose.exclusive: moet true of false zijn (ja of nee), niet 0"),
    (("name",), 123, "name: moet tekst zijn, niet 123"),
    (("seat",), True, "seat: moet tekst zijn, niet true"),
])
def test_a_value_a_user_could_mean_otherwise_is_refused_naming_the_field(path, value, message):
    import copy

    from advisor.errors import InputError
    intent = copy.deepcopy(VALID)
    target = intent
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    with pytest.raises(InputError) as exc:
        parse_intent(intent)
    assert any(p.startswith(message) for p in exc.value.problems), exc.value.problems
    assert all(len(p) < 200 for p in exc.value.problems)


@pytest.mark.parametrize("value", ["2026-11-28", "2019-01-01"])
def test_an_iso_date_as_text_or_yaml_date_is_a_date(value):
    import datetime as dt
    assert parse_intent(dict(VALID, reference_date=value)).reference_date == dt.date.fromisoformat(value)
    assert parse_intent(dict(VALID, reference_date=dt.date.fromisoformat(value))).reference_date.isoformat() == value
