"""Sector law on the exact boundary of every population and area threshold, and the honest
unknowns: a synthetic registry gives the members exactly the threshold, or one less."""
from __future__ import annotations

import datetime as dt

import pytest

import advisor.models as models
from advisor import advise
from advisor.municipalities import Municipality, Registry
from advisor.rulebase import default_rulebase
from advisor.scenarios import shown_rules

RB = default_rulebase()


def _registry(populations, areas, region_extra_km2=0.0):
    """Members Alfa, Beta, Gamma ... in one region, all bordering each other, plus a non-member
    that only adds area to the region."""
    names = ["Alfa", "Beta", "Gamma", "Delta"][: len(populations)]
    entries = [Municipality(n, f"9900{i}", "Testprovincie", "Testregio", (), p, a)
               for i, (n, p, a) in enumerate(zip(names, populations, areas))]
    entries.append(Municipality("Omega", "99099", "Testprovincie", "Testregio", (), 1, region_extra_km2 or 0.001))
    nis = [e.nis for e in entries[:-1]]
    neighbours = {n: frozenset(set(nis) - {n}) for n in nis}
    neighbours["99099"] = frozenset()
    return Registry(entries, neighbours), names


def _advise(monkeypatch, role, populations, areas, day, region_extra_km2=0.0, kind="project"):
    reg, names = _registry(populations, areas, region_extra_km2)
    monkeypatch.setattr(models, "registry", lambda: reg)
    intent = {"name": "Grensgeval", "purpose": {"kind": kind, "sector_roles": [role]},
              "partners": [{"name": n, "kind": "gemeente"} for n in names],
              "needs": {"own_staff": True}, "duration_years": 6, "founding_year": day.year}
    return advise(intent, reference_date=day, open_questions=False)


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


POPULATION_THRESHOLDS = [
    # role, parameter, date, rule when below, rule at the threshold
    ("wijkwerkorganisator", "sector.wijkwerken.min_inwoners", dt.date(2026, 6, 1),
     "wijkwerken-14-minder-dan-60000-inwoners", "wijkwerken-14-drempel-gehaald"),
    ("regie_sociale_economie", "sector.regie.min_inwoners", dt.date(2026, 6, 1),
     "regiebesluit-minder-dan-60000-inwoners", "regiebesluit-60000-inwoners-gehaald"),
    ("erfgoedcel", "sector.erfgoedcel.min_inwoners", dt.date(2026, 6, 1),
     "ced-57-minder-dan-85000-inwoners", "ced-57-85000-inwoners-gehaald"),
    ("cultuur_igs_subsidie", "sector.cultuur.min_inwoners", dt.date(2033, 1, 1),
     "cultuur2024-na-overgang-minder-dan-85000-inwoners", "cultuur2024-85000-inwoners-gehaald"),
    ("ioed", "sector.ioed.min_inwoners", dt.date(2026, 6, 1),
     "oedbesluit-werkingsgebied-te-klein", "oedbesluit-werkingsgebied-gehaald"),
]


@pytest.mark.parametrize("role, param, day, below, met", POPULATION_THRESHOLDS,
                         ids=[t[0] for t in POPULATION_THRESHOLDS])
def test_population_threshold_boundary_pair(monkeypatch, role, param, day, below, met):
    threshold = RB.at(day).params[param]
    n = 4  # four small, adjoining municipalities: every count and contiguity condition holds
    small_area = [10.0] * n
    under = _advise(monkeypatch, role, _split(threshold - 1, n), small_area, day, region_extra_km2=5000)
    at = _advise(monkeypatch, role, _split(threshold, n), small_area, day, region_extra_km2=5000)
    assert under.facts.population_total == threshold - 1 and at.facts.population_total == threshold
    assert below in shown_rules(under) and met not in shown_rules(under)
    assert met in shown_rules(at) and below not in shown_rules(at)


def test_the_largest_member_alone_on_the_wijkwerken_boundary(monkeypatch):
    day = dt.date(2026, 6, 1)
    threshold = RB.at(day).params["sector.wijkwerken.min_inwoners"]
    under = _advise(monkeypatch, "wijkwerkorganisator", [threshold - 1, 5000], [10.0, 10.0], day)
    at = _advise(monkeypatch, "wijkwerkorganisator", [threshold, 5000], [10.0, 10.0], day)
    assert "wijkwerken-14-gemeente-alleen" not in shown_rules(under)
    assert "wijkwerken-14-gemeente-alleen" in shown_rules(at)


def test_ioed_area_boundary_pair(monkeypatch):
    day = dt.date(2026, 6, 1)
    params = RB.at(day).params
    km2, people = params["sector.ioed.min_oppervlakte_km2"], params["sector.ioed.min_inwoners"] - 3000
    under = _advise(monkeypatch, "ioed", [1000, 1000, 1000], [km2 / 3 - 0.01] * 3, day, region_extra_km2=5000)
    at = _advise(monkeypatch, "ioed", [1000, 1000, 1000], [km2 / 3 + 0.01] * 3, day, region_extra_km2=5000)
    assert people > 0
    assert under.recommended_form is None and "oedbesluit-werkingsgebied-te-klein" in shown_rules(under)
    assert at.recommended_form is not None and "oedbesluit-werkingsgebied-gehaald" in shown_rules(at)


def test_ioed_half_of_a_small_region_boundary_pair(monkeypatch):
    """A region under the size limit: the members' share decides (half of it is enough)."""
    day = dt.date(2026, 6, 1)
    params = RB.at(day).params
    share = params["sector.ioed.min_aandeel_regio_pct"] / 100
    region = params["sector.ioed.kleine_regio_km2"] - 100  # a small region
    members = region * share
    under = _advise(monkeypatch, "ioed", [1000] * 3, [members / 3 - 0.5] * 3, day, region - members + 1.5)
    at = _advise(monkeypatch, "ioed", [1000] * 3, [members / 3 + 0.5] * 3, day, region - members - 1.5)
    assert under.facts.region_area_share_pct < 100 * share <= at.facts.region_area_share_pct
    assert "oedbesluit-werkingsgebied-te-klein-kleine-regio" in shown_rules(under)
    assert "oedbesluit-werkingsgebied-gehaald" in shown_rules(at)


@pytest.mark.parametrize("count, excluded", [(3, True), (4, False)])
def test_cultuur_four_municipalities_boundary_pair(monkeypatch, count, excluded):
    day = dt.date(2026, 6, 1)
    advice = _advise(monkeypatch, "cultuur_igs_subsidie", [30000] * count, [10.0] * count, day)
    fired = "cultuur2018-minder-dan-vier-aangrenzende-gemeenten" in shown_rules(advice)
    assert fired is excluded and (advice.recommended_form is None) is excluded


@pytest.mark.parametrize("count, excluded", [(2, True), (3, False)])
def test_ioed_three_municipalities_boundary_pair(monkeypatch, count, excluded):
    day = dt.date(2026, 6, 1)
    advice = _advise(monkeypatch, "ioed", [40000] * count, [100.0] * count, day)
    assert ("oedbesluit-minder-dan-drie-gemeenten" in shown_rules(advice)) is excluded


def test_a_threshold_is_never_met_when_a_member_is_unknown(monkeypatch):
    day = dt.date(2026, 6, 1)
    reg, names = _registry([70000, 70000], [10.0, 10.0])
    monkeypatch.setattr(models, "registry", lambda: reg)
    intent = {"name": "Met een onbekende", "purpose": {"kind": "project", "sector_roles": ["wijkwerkorganisator"]},
              "partners": [{"name": n, "kind": "gemeente"} for n in names] + [{"name": "Atlantis", "kind": "gemeente"}],
              "needs": {"own_staff": True}}
    advice = advise(intent, reference_date=day, open_questions=False)
    assert advice.facts.population_total is None and advice.facts.contiguous is None
    shown = shown_rules(advice)
    assert "beleid-sector-drempel-onbekend" in shown
    assert "wijkwerken-14-drempel-gehaald" not in shown and "wijkwerken-14-minder-dan-60000-inwoners" not in shown


def test_merged_municipalities_count_once_in_the_figures():
    """Kortessem is part of Hasselt since 2025: naming both counts Hasselt's population once."""
    base = {"name": "Fusie", "purpose": {"kind": "project"}, "partners": [
        {"name": "Hasselt", "kind": "gemeente"}, {"name": "Kortessem", "kind": "gemeente"},
        {"name": "Genk", "kind": "gemeente"}]}
    both = advise(base, open_questions=False).facts
    alone = advise({**base, "partners": [base["partners"][0], base["partners"][2]]}, open_questions=False).facts
    assert both.n_gemeenten == alone.n_gemeenten == 2
    assert both.population_total == alone.population_total
    assert both.area_km2_total == alone.area_km2_total


def test_no_sector_threshold_or_role_code_in_python():
    """The role codes and thresholds live in rules/: the advisor's code names none of them."""
    from advisor.lexicon import lexicon
    from advisor.paths import ROOT
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "advisor").rglob("*.py"))
    for role in lexicon().roles:
        assert f'"{role}"' not in code and f"'{role}'" not in code, role
    for name, p in RB.params.items():
        if name.startswith("sector."):
            for v in p.values:
                if isinstance(v.value, int) and v.value >= 1000:
                    assert str(v.value) not in code, (name, v.value)
