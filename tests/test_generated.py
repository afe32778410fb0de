"""Generated input (hypothesis): every valid intent gets a sound advice; every invalid one a
Dutch error naming a field, never a crash."""
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import advise
from advisor.errors import InputError
from advisor.intake import parse_intent
from advisor.municipalities import registry
from advisor.rulebase import default_rulebase
from advisor.vocabulary import CostKey, PartnerKind, PolicyPlan, PurposeKind, Verevening

RB = default_rulebase()
NAMES = [m.name for m in registry().entries] + [old for m in registry().entries for old in m.former]
TRI = st.sampled_from([True, False, None])
FORMS = {f.code for f in RB.forms}

partner = st.one_of(
    st.builds(lambda n: {"name": n, "kind": "gemeente"}, st.sampled_from(NAMES) | st.text(min_size=1, max_size=30).filter(str.strip)),
    st.builds(lambda n, k, s: {"name": n, "kind": k.value, **({"sector": s} if s else {})},
              st.text(min_size=1, max_size=30).filter(str.strip), st.sampled_from(list(PartnerKind)),
              st.none() | st.sampled_from(["energie", "afval", "telecom", "Energie", "sport"])),
)
valid_intent = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=80).filter(str.strip),
     "purpose": st.fixed_dictionaries({"kind": st.sampled_from([p.value for p in PurposeKind])},
                                      optional={"description": st.text(max_size=200),
                                                "domains": st.lists(st.text(min_size=1, max_size=20).filter(str.strip), max_size=4)}),
     "partners": st.lists(partner, min_size=1, max_size=8)},
    optional={
        "needs": st.fixed_dictionaries({}, optional={"legal_personality": TRI, "own_staff": TRI, "own_assets": TRI}),
        "duration_years": st.none() | st.integers(1, 99),
        "founding_year": st.none() | st.integers(1900, 2200),
        "reference_date": st.dates(dt.date(2019, 1, 1), dt.date(2040, 12, 31)).map(dt.date.isoformat),
        "spatial_planning": st.fixed_dictionaries({}, optional={
            "policy_plan": st.sampled_from([p.value for p in PolicyPlan]), "igecoro": TRI, "shared_official": TRI}),
        "finance": st.fixed_dictionaries({}, optional={
            "verevening": st.sampled_from([v.value for v in Verevening]),
            "cost_sharing_key": st.sampled_from([k.value for k in CostKey])}),
        "seat": st.text(min_size=1, max_size=40).filter(str.strip),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_intent)
def test_any_valid_intent_gets_a_sound_advice(intent):
    advice = advise(intent)
    assert [f.form for f in advice.forms] == [f.code for f in RB.forms]
    statuses = [f.status for f in advice.forms]
    assert statuses.count("recommended") == (advice.recommended_form is not None)
    excluded = {f.form for f in advice.forms if f.status == "excluded"}
    assert advice.recommended_form not in excluded
    for fa in advice.forms:
        if fa.status == "excluded":
            assert fa.reasons and any(r.rule in {x.id for x in RB.rules if x.then.outcome == "exclusion"} for r in fa.reasons)
    if advice.recommended_form is None:
        assert any(f.kind == "recommendation" for f in advice.findings)


junk = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(valid_intent, st.sampled_from(["name", "purpose", "partners", "needs", "duration_years", "founding_year",
                                      "reference_date", "spatial_planning", "finance", "extra_veld", "seat"]), junk)
def test_any_invalid_intent_is_a_dutch_error_naming_a_field(intent, key, value):
    broken = dict(intent, **{key: value})
    try:
        parse_intent(broken)
    except InputError as exc:
        assert exc.problems and all(":" in p for p in exc.problems)
        assert "Traceback" not in str(exc)
        return
    # the junk happened to be valid for that field: then it must advise
    advise(broken)


@settings(max_examples=100, deadline=None)
@given(junk)
def test_anything_at_all_is_refused_cleanly(value):
    try:
        parse_intent(value)
    except InputError:
        return
    raise AssertionError("junk accepted as an intent")
