"""Meta-tests over rules/: the rule base is consistent, complete and honest about its sources."""
import io
import re
import tokenize
from pathlib import Path

import pytest

from advisor.errors import RuleBaseError
from advisor.engine import Engine
from advisor.rulebase import RuleBase, default_rulebase, rule_stage
from advisor.vocabulary import Outcome
from advisor.paths import ROOT
from advisor.scenarios import exercised, load_scenarios

RB = default_rulebase()
SCENARIOS = load_scenarios()


@pytest.fixture(scope="module")
def shown_per_scenario():
    return exercised(SCENARIOS)


def test_rule_ids_are_unique_and_follow_the_naming_scheme():
    ids = [r.id for r in RB.rules]
    assert len(ids) == len(set(ids))
    for rule in RB.rules:
        prefix = rule.id.split("-")[0]
        assert prefix in RB.laws.laws or prefix == "beleid", rule.id
        if prefix == rule.source.law and rule.source.article and prefix != "beleid":
            # <law>-<article>: the article in the id is the one cited (dots become dashes)
            assert rule.id.startswith(f"{prefix}-{rule.source.article.replace('.', '-')}-"), rule.id


def test_every_rule_fires_in_some_scenario_and_stays_silent_in_another(shown_per_scenario):
    never_shown = [r.id for r in RB.rules if not any(r.id in s for s in shown_per_scenario)]
    always_shown = [r.id for r in RB.rules if all(r.id in s for s in shown_per_scenario)]
    assert never_shown == [], "rules without a scenario in which they fire"
    assert always_shown == [], "rules without a scenario in which they stay silent"


def test_every_rule_id_named_in_a_scenario_exists():
    named = set()
    for sc in SCENARIOS:
        named |= set(sc.expect.get("fired") or []) | set(sc.expect.get("not_fired") or [])
    assert named - set(RB.by_id) == set()


def test_every_parameter_has_a_value_on_every_scenario_date_and_every_ruleset_compiles():
    engine = Engine()
    for day in {sc.date for sc in SCENARIOS} | {RB.earliest_date}:
        snap = RB.at(day)
        used = {leaf_param for r in snap.rules for leaf_param in _params_of(r)}
        assert used <= set(snap.params), f"{day}: {used - set(snap.params)}"
        engine._compile(snap)  # raises on a missing parameter


def _params_of(rule):
    from advisor.rulebase import ParamRef, leaves
    for leaf in leaves(rule.when):
        operand = leaf.op[1]
        if isinstance(operand, ParamRef):
            yield operand.param
    yield from re.findall(r"\{param:([a-z0-9_.]+)\}", rule.then.message)


def test_verified_citations_point_to_a_real_https_source():
    for rule in RB.rules:
        for c in rule.citations:
            if c.verified and RB.laws.laws[c.law].indexed:
                assert c.url and c.url.startswith("https://") and "example" not in c.url, rule.id
            if c.article is None:
                assert not c.verified, rule.id


def test_a_rule_that_excludes_every_form_overrides_every_other_exclusion():
    effects = (Outcome.exclusion, Outcome.not_recommended)
    for rule in RB.rules:
        # a sector role that no form can carry keeps the DLB reasons beside its own: they still
        # say why each form would not work without the role
        if RB.file_of(rule.id).startswith("sector/"):
            continue
        if rule.then.outcome is Outcome.exclusion and len(rule.forms) == len(RB.forms):
            others = {r.id for r in RB.rules if r.then.outcome in effects and r.id != rule.id}
            assert others <= set(rule.overrides), others - set(rule.overrides)


def test_exclusions_never_depend_on_the_choice_of_form():
    for rule in RB.rules:
        if rule.then.outcome in (Outcome.exclusion, Outcome.not_recommended):
            assert rule_stage(rule) == 1, rule.id


def test_article_index_lists_every_dlb_article_of_title_3_and_matches_the_rules():
    dlb = {a.article for a in RB.articles if a.law == "dlb"}
    assert dlb == {str(n) for n in range(387, 474)}
    cited = {(c.law, c.article) for r in RB.rules for c in r.citations if c.article}
    for a in RB.articles:
        if a.status == "encoded":
            assert (a.law, a.article) in cited, f"{a.law} {a.article} encoded but no rule cites it"
        else:
            assert (a.law, a.article) not in cited, f"{a.law} {a.article} cited but marked {a.status}"
        if a.status == "not_decision_relevant":
            assert a.reason, a.article
    assert ("vcro", "2.1.1") in cited and ("vcro", "1.3.3") in cited


def _write_rules(tmp_path: Path, extra: str) -> Path:
    root = tmp_path / "rules"
    for path in (ROOT / "rules").rglob("*.yaml"):
        target = root / path.relative_to(ROOT / "rules")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "dlb" / "zz-test.yaml").write_text(extra, encoding="utf-8")
    return root


GOOD = """
- id: dlb-392-test
  title: t
  source: {law: dlb, article: "392", verified: false, confidence: low}
  valid_from: 2019-01-01
  forms: [interlokale_vereniging]
  when: {fact: n_gemeenten, gte: 2}
  then: {outcome: warning, message: "m {n_gemeenten}"}
"""


def test_a_well_formed_extra_rule_loads(tmp_path):
    assert "dlb-392-test" in RuleBase(_write_rules(tmp_path, GOOD)).by_id


@pytest.mark.parametrize("broken, complaint", [
    (GOOD.replace('article: "392"', 'article: "999"'), "articles.yaml"),
    (GOOD.replace("n_gemeenten, gte", "n_municipalities, gte"), "onbekend feit"),
    (GOOD.replace("gte: 2", "contains: 2"), "past niet"),
    (GOOD.replace("gte: 2", "gte: 'twee'"), "verwacht een getal"),
    (GOOD.replace("m {n_gemeenten}", "m {n_gemeentes}"), "onbekend feit"),
    (GOOD.replace("m {n_gemeenten}", "m {param:dlb.bestaat_niet}"), "onbekende parameter"),
    (GOOD.replace("{fact: n_gemeenten, gte: 2}", "{fact: purpose_kind, equals: projekt}"), "niet aannemen"),
    (GOOD.replace("verified: false, confidence: low", "verified: true, confidence: low"), "https"),
    (GOOD.replace("outcome: warning", "outcome: exclusion").replace("  forms: [interlokale_vereniging]\n", ""), "vereist 'forms'"),
    (GOOD.replace("{fact: n_gemeenten, gte: 2}", "{fact: recommended_form, equals: null}").replace("outcome: warning", "outcome: exclusion"), "keuze van vorm"),
    (GOOD + GOOD, "twee keer"),
    (GOOD.replace("  title: t\n", "  title: t\n  title: u\n"), "dubbele sleutel"),
    (GOOD.replace("gte: 2}", "gte: 2, lt: 9}"), "precies één operator"),
])
def test_the_loader_rejects_a_malformed_rule(tmp_path, broken, complaint):
    with pytest.raises(RuleBaseError) as info:
        RuleBase(_write_rules(tmp_path, broken))
    assert complaint in str(info.value)


FORBIDDEN_NUMBERS = {"6", "18", "49", "15", "14", "30", "90", "2019", "2023", "2024", "2030", "2031", "2037"}
FORBIDDEN_WORDS = re.compile(r"\b(energie|afval|zes jaar|achttien)\b|\bart(\.|ikel)\s*\d", re.IGNORECASE)


def test_no_legal_constants_in_python():
    """The law lives in rules/: no legal thresholds, sectors or article numbers in advisor/."""
    for path in sorted((ROOT / "advisor").rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for tok in tokens:
            if tok.type == tokenize.NUMBER:
                assert tok.string not in FORBIDDEN_NUMBERS, f"{path.name}:{tok.start[0]}: {tok.string}"
            if tok.type == tokenize.STRING:
                assert not FORBIDDEN_WORDS.search(tok.string), f"{path.name}:{tok.start[0]}: {tok.string}"


def test_every_encoded_article_is_shown_in_one_scenario_and_absent_in_another(shown_per_scenario):
    """An article 'applies' in a scenario when a rule with that article as its main source is shown."""
    for a in RB.articles:
        if a.status != "encoded":
            continue
        rules = {r.id for r in RB.rules if (r.source.law, r.source.article) == (a.law, a.article)}
        if not rules:  # encoded only as a secondary citation: covered by its rules' own scenarios
            continue
        assert any(s & rules for s in shown_per_scenario), f"{a.law} {a.article}: never shown"
        assert any(not (s & rules) for s in shown_per_scenario), f"{a.law} {a.article}: always shown"
