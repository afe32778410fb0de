"""The durable-rules adapter: operator semantics against the oracle, isolation, failures."""
import datetime as dt
import random
import threading

import pytest
import yaml

from advisor import advise
from advisor.engine import Engine
from advisor.errors import EngineError
from advisor.rulebase import Rule, Snapshot, default_rulebase
from intent_generator import random_intent
from oracle import OracleEngine, holds
from advisor.paths import ROOT
from advisor.scenarios import load_scenarios

RB = default_rulebase()
DAY = dt.date(2026, 6, 1)

# One synthetic rule per operator and value shape, including null and empty lists.
OPERATOR_CASES = [
    {"fact": "duration_years", "equals": 6}, {"fact": "duration_years", "not_equals": 6},
    {"fact": "needs_own_staff", "not_equals": True}, {"fact": "needs_own_staff", "not_equals": None},
    {"fact": "needs_own_staff", "equals": None}, {"fact": "founding_year", "in": [2024, 2030]},
    {"fact": "founding_year", "not_in": [2024, 2030]}, {"fact": "founding_year", "not_in": [2024, None]},
    {"fact": "duration_years", "gt": 6}, {"fact": "duration_years", "gte": 6},
    {"fact": "duration_years", "lt": 6}, {"fact": "duration_years", "lte": 6},
    {"fact": "private_sectors", "contains": "afval"},
    {"fact": "private_sectors", "intersects": ["energie", "afval"]},
    {"fact": "private_sectors", "only_in": ["energie", "afval"]},
    {"fact": "private_sectors", "any_not_in": ["energie", "afval"]},
    {"any": [{"fact": "duration_years", "gt": 18}, {"fact": "founding_year", "equals": 2030}]},
    {"all": [{"fact": "has_private_partners", "equals": True}, {"fact": "purpose_kind", "equals": "project"}]},
]
FACT_CASES = [
    {"duration_years": 6, "needs_own_staff": True, "founding_year": 2030, "private_sectors": ["afval"],
     "has_private_partners": True, "purpose_kind": "project"},
    {"duration_years": 7, "needs_own_staff": False, "founding_year": 2029,
     "private_sectors": ["afval", "telecom"], "has_private_partners": True, "purpose_kind": "dienstverlening"},
    {"duration_years": None, "needs_own_staff": None, "founding_year": None, "private_sectors": [],
     "has_private_partners": False, "purpose_kind": "project"},
    {"duration_years": 19, "needs_own_staff": None, "founding_year": 2024,
     "private_sectors": ["energie", "afval"], "has_private_partners": True, "purpose_kind": "beheersoverdracht"},
]


def _synthetic_snapshot() -> Snapshot:
    rules = tuple(
        Rule.model_validate({
            "id": f"dlb-392-op-{i}", "title": "t", "valid_from": "2019-01-01", "when": cond,
            "source": {"law": "dlb", "article": "392", "verified": False, "confidence": "low"},
            "then": {"outcome": "information", "message": "m"},
        })
        for i, cond in enumerate(OPERATOR_CASES)
    )
    return Snapshot(DAY, rules, {}, key=f"synthetic{random.randint(0, 10**9)}")


@pytest.mark.parametrize("facts", FACT_CASES)
def test_every_operator_means_in_durable_what_the_oracle_says(facts):
    snap = _synthetic_snapshot()
    with Engine().session(snap) as session:
        fired = set(session.run_stage(1, facts))
    expected = {r.id for r in snap.rules if holds(r.when, facts, {})}
    assert fired == expected


def test_durable_and_the_oracle_give_the_same_advice_on_every_scenario():
    oracle = OracleEngine()
    for sc in load_scenarios():
        if "error" in sc.expect:
            continue
        a = advise(sc.intent, reference_date=sc.date, forms=sc.forms)
        b = advise(sc.intent, reference_date=sc.date, forms=sc.forms, engine=oracle)
        assert a.model_dump() == b.model_dump(), sc.id


@pytest.mark.parametrize("seed", range(8))
def test_durable_and_the_oracle_agree_on_generated_intents(seed):
    """8 x 1,250 = 10,000 generated intents, on dates across the rule base's history."""
    rng = random.Random(seed)
    oracle = OracleEngine()
    for _ in range(1250):
        intent = random_intent(rng)
        day = rng.choice([dt.date(2020, 5, 1), dt.date(2021, 8, 14), dt.date(2023, 6, 1), dt.date(2024, 1, 1), DAY])
        a = advise(intent, reference_date=day, open_questions=False)
        b = advise(intent, reference_date=day, engine=oracle, open_questions=False)
        assert a.model_dump() == b.model_dump(), intent
        assert sum(f.status == "recommended" for f in a.forms) == (a.recommended_form is not None)
        assert all(f.reasons for f in a.forms if f.status == "excluded")


def test_no_session_trace_outlives_its_advice():
    engine = Engine()
    intent = yaml.safe_load((ROOT / "examples" / "sportregio.yaml").read_text(encoding="utf-8"))
    for _ in range(50):
        advise(intent, reference_date=DAY, engine=engine, open_questions=False)
    assert engine._traces == {}


def test_concurrent_advices_are_isolated():
    examples = yaml.safe_load((ROOT / "examples" / "expected.yaml").read_text(encoding="utf-8"))
    intents = {f: yaml.safe_load((ROOT / "examples" / f).read_text(encoding="utf-8")) for f in examples}
    expected = {f: advise(i, reference_date=DAY, open_questions=False).model_dump() for f, i in intents.items()}
    errors: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(2000):
            f = rng.choice(list(intents))
            if advise(intents[f], reference_date=DAY, open_questions=False).model_dump() != expected[f]:
                errors.append(f)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


class _FailingEngine(Engine):
    def _action(self, rule_id):
        def action(c):
            raise RuntimeError("kapot")
        return action


def test_a_failing_rule_action_is_an_error_never_a_partial_advice():
    intent = yaml.safe_load((ROOT / "examples" / "sportregio.yaml").read_text(encoding="utf-8"))
    with pytest.raises(EngineError):
        advise(intent, reference_date=DAY, engine=_FailingEngine())


def test_a_spurious_identity_collision_is_retried_with_a_salt(monkeypatch):
    """P6: durable identifies facts by a 32-bit hash; a collision must not drop the stage."""
    from durable import engine as durable_engine
    engine = Engine()
    real = durable_engine.Host.assert_fact
    calls = []

    def colliding(self, ruleset, fact):
        calls.append(fact)
        if len(calls) == 1:
            raise durable_engine.MessageObservedException(fact)
        return real(self, ruleset, fact)

    monkeypatch.setattr(durable_engine.Host, "assert_fact", colliding)
    intent = yaml.safe_load((ROOT / "examples" / "wijkwerken.yaml").read_text(encoding="utf-8"))
    salted = advise(intent, reference_date=DAY, engine=engine)
    monkeypatch.undo()
    assert "_salt" in calls[1] and "_salt" not in calls[0]
    assert salted.model_dump() == advise(intent, reference_date=DAY).model_dump()


def test_memory_does_not_grow_over_many_advices():
    """The full 100,000-advice figure is in `make bench`; here 10,000 after a warm-up."""
    def rss_mb() -> float:
        with open("/proc/self/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024
    intents = [yaml.safe_load((ROOT / "examples" / f).read_text(encoding="utf-8"))
               for f in ("sportregio.yaml", "afval-private.yaml", "telecom-private.yaml")]
    for i in range(1000):
        advise(intents[i % 3], reference_date=DAY, open_questions=False)
    before = rss_mb()
    for i in range(10_000):
        advise(intents[i % 3], reference_date=DAY, open_questions=False)
    assert rss_mb() - before < 20


def test_the_compiled_cache_is_used_and_keyed_by_content(tmp_path, monkeypatch):
    from advisor import cache
    monkeypatch.setenv("IGS_ADVISOR_CACHE_DIR", str(tmp_path))
    calls = []
    source = tmp_path / "bron.yaml"
    source.write_text("a: 1\n", encoding="utf-8")

    def build():
        calls.append(1)
        return {"waarde": len(calls)}

    assert cache.cached("proef", [source], build, dict) == {"waarde": 1}
    assert cache.cached("proef", [source], build, dict) == {"waarde": 1} and len(calls) == 1
    source.write_text("a: 2\n", encoding="utf-8")
    assert cache.cached("proef", [source], build, dict) == {"waarde": 2}
    monkeypatch.setenv("IGS_ADVISOR_CACHE", "0")
    assert cache.cached("proef", [source], build, dict) == {"waarde": 3}


def test_a_native_refusal_to_create_the_rule_set_is_retried(monkeypatch):
    """P10: durable's create_ruleset sometimes refuses a valid definition (error code 102)."""
    import durable_rules_engine
    from durable import engine as durable_engine
    real = durable_rules_engine.create_ruleset
    calls = []

    def flaky(name, text):
        calls.append(name)
        if len(calls) == 1:
            raise durable_rules_engine.error("Could not create ruleset, error code: 102")
        return real(name, text)

    monkeypatch.setattr(durable_engine.durable_rules_engine, "create_ruleset", flaky)
    intent = yaml.safe_load((ROOT / "examples" / "wijkwerken.yaml").read_text(encoding="utf-8"))
    retried = advise(intent, reference_date=DAY, engine=Engine(), open_questions=False)
    monkeypatch.undo()
    assert len(calls) == 2 and calls[0] == calls[1]
    assert retried.model_dump() == advise(intent, reference_date=DAY, open_questions=False).model_dump()


def test_a_rule_set_refused_every_time_is_an_engine_error(monkeypatch):
    import durable_rules_engine
    from durable import engine as durable_engine

    def refuse(name, text):
        raise durable_rules_engine.error("Could not create ruleset, error code: 102")

    monkeypatch.setattr(durable_engine.durable_rules_engine, "create_ruleset", refuse)
    intent = yaml.safe_load((ROOT / "examples" / "wijkwerken.yaml").read_text(encoding="utf-8"))
    with pytest.raises(EngineError, match="weigerde de regelbank"):
        advise(intent, reference_date=DAY, engine=Engine(), open_questions=False)
