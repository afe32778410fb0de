"""Generated rules for the bench and the profile: a temporary copy of rules/ plus N extra rules.

Never committed and never in rules/: the law lives there. The extra rules have the shapes of the
real ones (thresholds, enum tests, list tests, conjunctions, second-stage tests of the chosen form)
and a small share of them fires for an ordinary intent, so an advice shows a little more while
the engine checks a lot more.
"""
from __future__ import annotations

import random
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import yaml

ROOT = Path(__file__).resolve().parent.parent
FORMS = ["interlokale_vereniging", "projectvereniging", "dienstverlenende_vereniging",
         "opdrachthoudende_vereniging", "opdrachthoudende_vereniging_met_private_deelname"]
KINDS = ["project", "dienstverlening", "beheersoverdracht"]


def _condition(rng: random.Random, i: int) -> dict:
    pick = rng.randrange(8)
    if pick == 0:
        return {"fact": "duration_years", "gt": rng.randint(10, 99)}
    if pick == 1:
        return {"fact": "n_partners", "gte": rng.randint(3, 40)}
    if pick == 2:
        return {"fact": "population_total", "gt": rng.randint(10_000, 2_000_000)}
    if pick == 3:
        return {"fact": "private_sectors", "contains": f"sector{i}"}
    if pick == 4:
        return {"all": [{"fact": "purpose_kind", "equals": rng.choice(KINDS)},
                        {"fact": "founding_year", "equals": rng.randint(2019, 2040)}]}
    if pick == 5:
        return {"any": [{"fact": "duration_years", "equals": rng.randint(1, 99)},
                        {"fact": "n_gemeenten", "gt": rng.randint(5, 60)}]}
    if pick == 6:
        return {"fact": "recommended_form", "equals": rng.choice(FORMS)}  # second stage
    return {"fact": "domains", "contains": f"domein{i}"}


def rules(n: int, seed: int = 17) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        outcome = rng.choice(["information", "warning", "obligation", "constraint"])
        cond = _condition(rng, i)
        out.append({
            "id": f"dlb-392-synthetisch-{i}",
            "title": f"Gegenereerde regel {i}",
            "source": {"law": "dlb", "article": "392", "verified": False, "confidence": "low"},
            "valid_from": "2019-01-01",
            "forms": rng.sample(FORMS, rng.randint(0, 2)),
            "when": cond,
            "then": {"outcome": outcome,
                     "message": f"Gegenereerde regel {i}: {{n_gemeenten}} gemeenten, "
                                "{num:population_total} inwoners, vorm {label:recommended_form}."},
        })
    return out


@contextmanager
def rules_dir(extra: int) -> Iterator[Path]:
    """A temporary copy of rules/ with `extra` generated rules (rules/synthetisch/regels.yaml)."""
    with tempfile.TemporaryDirectory(prefix="igs-bench-rules-") as tmp:
        target = Path(tmp) / "rules"
        shutil.copytree(ROOT / "rules", target)
        if extra:
            (target / "synthetisch").mkdir()
            (target / "synthetisch" / "regels.yaml").write_text(
                yaml.safe_dump(rules(extra), allow_unicode=True, sort_keys=False), encoding="utf-8")
        yield target
