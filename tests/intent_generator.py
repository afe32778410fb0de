"""Random valid intents for cross-checks (seeded, so a failure is reproducible)."""
import random

from advisor.municipalities import registry
from advisor.vocabulary import PartnerKind, PolicyPlan, PurposeKind, Verevening

SECTORS = ["energie", "afval", "telecom", "sport", "bouw", None]
TRI = [True, False, None]


def random_intent(rng: random.Random) -> dict:
    names = [m.name for m in registry().entries]
    former = [old for m in registry().entries for old in m.former if old != m.name]
    partners = []
    for _ in range(rng.randint(1, 6)):
        pick = rng.random()
        name = rng.choice(former) if pick < 0.15 else "Onbestaande Gemeente" if pick < 0.2 else rng.choice(names)
        partners.append({"name": name, "kind": "gemeente"})
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        kind = rng.choice(list(PartnerKind))
        partner = {"name": f"Partner {rng.randint(1, 99)}", "kind": kind.value}
        if kind is PartnerKind.privaatrechtelijke_rechtspersoon:
            sector = rng.choice(SECTORS)
            if sector:
                partner["sector"] = sector
        partners.append(partner)
    intent = {
        "name": "Gegenereerde samenwerking",
        "purpose": {"kind": rng.choice(list(PurposeKind)).value},
        "partners": partners,
    }
    if rng.random() < 0.8:
        intent["needs"] = {k: rng.choice(TRI) for k in ("legal_personality", "own_staff", "own_assets")}
    if rng.random() < 0.8:
        intent["duration_years"] = rng.choice([1, 5, 6, 7, 12, 18, 19, 30])
    if rng.random() < 0.7:
        intent["founding_year"] = rng.choice([2019, 2023, 2024, 2025, 2029, 2030, 2031])
    if rng.random() < 0.5:
        intent["spatial_planning"] = {"policy_plan": rng.choice(list(PolicyPlan)).value,
                                      "igecoro": rng.choice(TRI)}
    if rng.random() < 0.5:
        intent["finance"] = {"verevening": rng.choice(list(Verevening)).value}
    return intent
