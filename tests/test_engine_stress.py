"""Stress on durable's native memory: many rule sets and many sessions in one process.

`delete_state` (above all on sessions whose fact matched no rule) corrupted durable's native memory
now and then; it showed much later, as `Could not create ruleset, error code: 102` when the next
rule set was compiled (about once per full test run). The engine now pools its sessions and
never deletes one. The workload runs in a child process, so that a native crash is a failing test
with its output rather than the end of the test run. Seeded: the same workload every run.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from advisor.paths import ROOT

WORKLOAD = textwrap.dedent("""
    import datetime as dt, random, sys
    sys.path.insert(0, "tests")
    import yaml
    from advisor import advise
    from advisor.engine import Engine
    from advisor.rulebase import Rule, Snapshot
    from oracle import holds

    DAY = dt.date(2026, 6, 1)
    CONDS = [{"fact": "duration_years", "gt": 6}, {"fact": "duration_years", "equals": 6},
             {"fact": "private_sectors", "contains": "afval"},
             {"any": [{"fact": "founding_year", "equals": 2030}, {"fact": "needs_own_staff", "equals": True}]}]
    FACTS = [  # the first matches nothing: the sessions that used to corrupt memory when deleted
        {"duration_years": 1, "private_sectors": [], "founding_year": None, "needs_own_staff": None},
        {"duration_years": 7, "private_sectors": ["afval"], "founding_year": 2030, "needs_own_staff": True},
        {"duration_years": 6, "private_sectors": ["telecom"], "founding_year": 2024, "needs_own_staff": False},
    ]
    rng = random.Random(17)
    examples = [yaml.safe_load(open(f"examples/{f}", encoding="utf-8")) for f in
                ("sportregio.yaml", "afval-private.yaml", "telecom-private.yaml", "wijkwerken.yaml")]
    expected = [advise(i, reference_date=DAY, open_questions=False).model_dump_json() for i in examples]
    engine = Engine()
    for k in range(RULESETS):
        rules = tuple(Rule.model_validate({
            "id": f"dlb-392-stress-{k}-{i}", "title": "t", "valid_from": "2019-01-01",
            "when": rng.choice(CONDS), "then": {"outcome": "information", "message": "m"},
            "source": {"law": "dlb", "article": "392", "verified": False, "confidence": "low"}})
            for i in range(rng.randint(1, 40)))
        snap = Snapshot(DAY, rules, {}, key=f"stress{k}")
        for j in range(SESSIONS):
            facts = FACTS[0] if j % 2 else rng.choice(FACTS)
            with engine.session(snap) as session:
                fired = set(session.run_stage(1, facts))
            want = {r.id for r in rules if holds(r.when, facts, {})}
            assert fired == want, (k, j, sorted(fired ^ want))
        i = k % len(examples)  # and the real rule base, in the default engine, in between
        assert advise(examples[i], reference_date=DAY, open_questions=False).model_dump_json() == expected[i]
    pooled = {name: len(sids) for name, sids in engine._idle.items()}
    assert set(pooled.values()) == {1}, pooled  # one session per rule set, reused for every advice
    print("ok", RULESETS * SESSIONS)
""")


def test_many_rule_sets_and_sessions_in_one_process_neither_crash_nor_mix():
    script = f"RULESETS, SESSIONS = 150, 200\n{WORKLOAD}"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["ok", "30000"]


def test_a_pooled_session_is_empty_when_it_is_reused():
    import datetime as dt

    import yaml

    from advisor import advise
    from advisor.engine import Engine
    engine = Engine()
    intents = [yaml.safe_load((ROOT / "examples" / f).read_text(encoding="utf-8"))
               for f in ("sportregio.yaml", "afval-private.yaml")]
    for i in range(20):
        advise(intents[i % 2], reference_date=dt.date(2026, 6, 1), engine=engine, open_questions=False)
    (ruleset, sids), = engine._idle.items()
    assert len(sids) == 1
    assert engine._host.get_facts(ruleset, sids[0]) == []
