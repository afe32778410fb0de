"""igs-advisor benchmark: `make bench`. Prints a table and writes bench/results.json.

Figures: warm advice latency (p50, p99) and throughput on one core through the Python API, for
the contract examples; draft rendering time per format; cold `igs-advisor advise` wall time next
to the floor of importing durable-rules, pydantic (BaseModel) and jinja2 in a fresh Python; and
resident memory growth over many sequential advices.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["sportregio.yaml", "wijkwerken.yaml", "streekintercommunale.yaml", "afvalintercommunale.yaml",
            "afval-private.yaml", "beleidsplan-ruimte.yaml", "telecom-private.yaml"]
DAY = dt.date(2026, 6, 1)
TARGETS = {"throughput_per_core": 500, "p99_ms": 10, "cold_ratio": 1.5, "memory_growth_mb": 20}


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--advices", type=int, default=5000, help="warm advices for the latency figures")
    parser.add_argument("--soak", type=int, default=100_000, help="sequential advices for the memory figure")
    parser.add_argument("--cold-runs", type=int, default=7)
    args = parser.parse_args()

    from advisor import advise
    from advisor.drafts import draft

    intents = [yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8")) for name in EXAMPLES]
    for intent in intents:
        advise(intent, reference_date=DAY)
    latencies = []
    for i in range(args.advices):
        start = time.perf_counter()
        advise(intents[i % len(intents)], reference_date=DAY)
        latencies.append(time.perf_counter() - start)
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    throughput = len(latencies) / sum(latencies)

    drafts = {}
    for fmt in ("md", "html", "docx", "pdf"):
        draft(intents[2], fmt=fmt, reference_date=DAY)
        runs = []
        for _ in range(5 if fmt == "pdf" else 20):  # a PDF takes about a second
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
    for i in range(args.soak):
        advise(intents[i % len(intents)], reference_date=DAY)
        if i == 999:
            before = rss_mb()  # after warm-up: allocator pools and caches are in place
    growth = rss_mb() - before

    results = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "python": sys.version.split()[0], "cores": os.cpu_count(),
        "advice_p50_ms": round(p50, 3), "advice_p99_ms": round(p99, 3),
        "throughput_per_core": round(throughput), "draft_ms": {k: round(v, 1) for k, v in drafts.items()},
        "cold_advise_s": round(cold, 3), "import_floor_s": round(floor, 3), "cold_ratio": round(cold / floor, 2),
        "memory_growth_mb": round(growth, 1), "soak_advices": args.soak, "targets": TARGETS,
    }
    ok = {
        "throughput_per_core": throughput >= TARGETS["throughput_per_core"],
        "p99_ms": p99 <= TARGETS["p99_ms"],
        "cold_ratio": cold / floor <= TARGETS["cold_ratio"],
        "memory_growth_mb": growth <= TARGETS["memory_growth_mb"],
    }
    results["met"] = ok
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    mark = {True: "gehaald", False: "NIET gehaald"}
    print("| meting | waarde | doel |\n|---|---|---|")
    print(f"| advies p50 / p99 (warm) | {p50:.2f} ms / {p99:.2f} ms | p99 <= {TARGETS['p99_ms']} ms: {mark[ok['p99_ms']]} |")
    print(f"| doorvoer per kern | {throughput:.0f} adviezen/s | >= {TARGETS['throughput_per_core']}: {mark[ok['throughput_per_core']]} |")
    print(f"| ontwerp md / html / docx | {drafts['md']:.1f} / {drafts['html']:.1f} / {drafts['docx']:.1f} ms | - |")
    print(f"| koude start `igs-advisor advise` | {cold:.3f} s (importvloer {floor:.3f} s, x{cold / floor:.2f}) | <= x{TARGETS['cold_ratio']}: {mark[ok['cold_ratio']]} |")
    print(f"| geheugengroei over {args.soak} adviezen | {growth:.1f} MB | <= {TARGETS['memory_growth_mb']} MB: {mark[ok['memory_growth_mb']]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
