"""igs-advisor benchmark: `make bench`. Prints a table and writes bench/results.json.

In one run: warm advice latency (p50, p99) through the Python API on the contract examples, with
the real rule base and with 1,000 and 5,000 generated rules added to a temporary copy of rules/
(bench/synthetic.py; never committed); the questionnaire's next-question time along full
interviews; batch throughput with 1 and 2 worker processes; draft rendering per format; cold
`igs-advisor advise` next to the floor of importing durable-rules, jinja2 and pydantic in a fresh
Python; resident memory growth over many sequential advices. Each figure against its target
(issue 17), MET or MISSED and by how much. The machine is shared: ratios are steadier than times.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
EXAMPLES = ["sportregio.yaml", "wijkwerken.yaml", "streekintercommunale.yaml", "afvalintercommunale.yaml",
            "afval-private.yaml", "beleidsplan-ruimte.yaml", "telecom-private.yaml"]
DAY = dt.date(2026, 6, 1)
# name -> (target, 'max' or 'min')
TARGETS = {
    "advice_p99_ms": (10.0, "max"),  # the real rule base
    "advice_p99_ms_plus1000": (10.0, "max"),
    "questionnaire_p95_ms": (50.0, "max"),
    "batch_speedup_2_jobs": (1.7, "min"),
    "cold_ratio": (1.5, "max"),
    "memory_growth_mb": (20.0, "max"),
}


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def advice_latency(intents: list[dict], n: int, extra: int, open_questions: bool = True) -> dict:
    """p50/p99 of `advise`: with its open questions, as the CLI and web call it (every possible answer
    of every open question is advised too), or the advice proper without them (`open_questions=False`)."""
    from advisor import advise
    from advisor.rulebase import RuleBase, default_rulebase
    from synthetic import rules_dir

    def measure(rb) -> dict:
        for intent in intents:
            advise(intent, reference_date=DAY, rulebase=rb, open_questions=open_questions)
        times = []
        for i in range(n):
            start = time.perf_counter()
            advise(intents[i % len(intents)], reference_date=DAY, rulebase=rb, open_questions=open_questions)
            times.append(time.perf_counter() - start)
        return {"rules": len(rb.rules), "p50_ms": pct(times, 0.5) * 1000, "p99_ms": pct(times, 0.99) * 1000,
                "per_s": len(times) / sum(times)}

    if not extra:
        return measure(default_rulebase())
    with rules_dir(extra) as folder:
        return measure(RuleBase(folder))


def interview_steps(intents: list[dict]) -> list[float]:
    """The time of each next-question step along a full interview towards each example intent."""
    from advisor.questionnaire import MISSING, get, next_question, put
    times = []
    for target in intents:
        answers: dict = {}
        for _ in range(60):
            start = time.perf_counter()
            q = next_question(answers, DAY)
            times.append(time.perf_counter() - start)
            if q is None:
                break
            value = get(target, q.field)
            if value is MISSING:
                value = None if (q.unknown or q.optional) else (
                    next(iter(q.choices)) if q.choices else q.min if q.type == "int" else [] if q.type == "tags"
                    else target["name"])
            answers = put(answers, q.field, value)
    return times


def batch_seconds(rows: list, jobs: int) -> float:
    from advisor import batch
    start = time.perf_counter()
    for _ in batch.run(rows, jobs, DAY):
        pass
    return time.perf_counter() - start


def verdict(name: str, value: float) -> str:
    target, kind = TARGETS[name]
    ok = value <= target if kind == "max" else value >= target
    if ok:
        return "MET"
    return f"MISSED by {abs(value - target) / target * 100:.0f} %"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--advices", type=int, default=3000, help="warm advices for the real rule base")
    parser.add_argument("--soak", type=int, default=100_000, help="sequential advices for the memory figure")
    parser.add_argument("--batch", type=int, default=2000, help="generated intents for the batch figures")
    parser.add_argument("--cold-runs", type=int, default=7)
    args = parser.parse_args()

    from advisor import advise, batch
    from advisor.drafts import draft
    from intent_generator import random_intent

    intents = [yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8")) for name in EXAMPLES]
    latency = {0: advice_latency(intents, args.advices, 0),
               1000: advice_latency(intents, max(200, args.advices // 3), 1000),
               5000: advice_latency(intents, max(100, args.advices // 10), 5000)}
    proper = {0: advice_latency(intents, args.advices, 0, open_questions=False),
              1000: advice_latency(intents, max(200, args.advices // 3), 1000, open_questions=False),
              5000: advice_latency(intents, max(100, args.advices // 10), 5000, open_questions=False)}

    advise(intents[0], reference_date=DAY)
    steps = interview_steps(intents)

    rng = random.Random(17)
    rows = [batch.Row(f"gen{i}", i, random_intent(rng)) for i in range(args.batch)]
    one, two = batch_seconds(rows, 1), batch_seconds(rows, 2)

    drafts = {}
    for fmt in ("md", "html", "docx"):
        draft(intents[2], fmt=fmt, reference_date=DAY)
        runs = []
        for _ in range(10):
            start = time.perf_counter()
            draft(intents[2], fmt=fmt, reference_date=DAY)
            runs.append(time.perf_counter() - start)
        drafts[fmt] = statistics.median(runs) * 1000

    python = sys.executable
    exe = str(Path(python).with_name("igs-advisor"))
    floor = wall([python, "-c", "import durable.engine, jinja2; from pydantic import BaseModel"], args.cold_runs)
    subprocess.run([exe, "advise", "examples/sportregio.yaml"], check=True, capture_output=True, cwd=ROOT)
    cold = wall([exe, "advise", "examples/sportregio.yaml"], args.cold_runs)

    before = rss_mb()
    for i in range(args.soak):  # the advice proper: 100,000 with open questions would take an hour
        advise(intents[i % len(intents)], reference_date=DAY, open_questions=False)
        if i == 999:
            before = rss_mb()  # after warm-up: allocator pools and caches are in place
    growth = rss_mb() - before

    figures = {
        "advice_p99_ms": latency[0]["p99_ms"], "advice_p99_ms_plus1000": latency[1000]["p99_ms"],
        "questionnaire_p95_ms": pct(steps, 0.95) * 1000, "batch_speedup_2_jobs": one / two,
        "cold_ratio": cold / floor, "memory_growth_mb": growth,
    }
    results = {
        "date": dt.datetime.now().isoformat(timespec="seconds"), "python": sys.version.split()[0],
        "cores": os.cpu_count(), "load_average": os.getloadavg()[0],
        "advice": {str(k): {m: round(v, 3) for m, v in d.items()} for k, d in latency.items()},
        "advice_without_open_questions": {str(k): {m: round(v, 3) for m, v in d.items()} for k, d in proper.items()},
        "questionnaire_ms": {"steps": len(steps), "p50": round(pct(steps, 0.5) * 1000, 2),
                             "p95": round(pct(steps, 0.95) * 1000, 2)},
        "batch": {"intents": len(rows), "one_job_s": round(one, 2), "two_jobs_s": round(two, 2),
                  "speedup": round(one / two, 2), "per_s_two_jobs": round(len(rows) / two)},
        "draft_ms": {k: round(v, 1) for k, v in drafts.items()},
        "cold_advise_s": round(cold, 3), "import_floor_s": round(floor, 3), "cold_ratio": round(cold / floor, 2),
        "memory_growth_mb": round(growth, 1), "soak_advices": args.soak,
        "targets": {k: {"target": t, "kind": kind, "value": round(figures[k], 3), "verdict": verdict(k, figures[k])}
                    for k, (t, kind) in TARGETS.items()},
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    v = {k: verdict(k, figures[k]) for k in TARGETS}
    print(f"belasting van de machine bij de start (1 min): {results['load_average']:.2f} op {os.cpu_count()} kernen")
    print("| meting | waarde | doel | oordeel |\n|---|---|---|---|")
    for extra, label in ((0, "echte regelbank"), (1000, "+1.000 regels"), (5000, "+5.000 regels")):
        d = latency[extra]
        target = {0: "p99 <= 10 ms", 1000: "p99 <= 10 ms", 5000: "-"}[extra]
        mark = {0: v["advice_p99_ms"], 1000: v["advice_p99_ms_plus1000"], 5000: "-"}[extra]
        print(f"| advies p50 / p99, {label} ({d['rules']} regels) | {d['p50_ms']:.2f} / {d['p99_ms']:.2f} ms "
              f"| {target} | {mark} |")
        d = proper[extra]
        print(f"| advies zonder open vragen p50 / p99, {label} | {d['p50_ms']:.2f} / {d['p99_ms']:.2f} ms "
              f"| {target} | {'-' if extra == 5000 else verdict('advice_p99_ms', d['p99_ms'])} |")
    q = results["questionnaire_ms"]
    print(f"| vragenlijst volgende vraag p50 / p95 ({q['steps']} stappen) | {q['p50']:.1f} / {q['p95']:.1f} ms "
          f"| p95 <= 50 ms | {v['questionnaire_p95_ms']} |")
    b = results["batch"]
    print(f"| batch {b['intents']} intenties, 1 / 2 processen | {b['one_job_s']:.2f} / {b['two_jobs_s']:.2f} s "
          f"(x{b['speedup']:.2f}) | >= x1,7 | {v['batch_speedup_2_jobs']} |")
    print(f"| ontwerp md / html / docx | {drafts['md']:.1f} / {drafts['html']:.1f} / {drafts['docx']:.1f} ms | - | - |")
    print(f"| koude start `igs-advisor advise` | {cold:.3f} s (importvloer {floor:.3f} s, x{cold / floor:.2f}) "
          f"| <= x1,5 | {v['cold_ratio']} |")
    print(f"| geheugengroei over {args.soak} adviezen | {growth:.1f} MB | <= 20 MB | {v['memory_growth_mb']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
