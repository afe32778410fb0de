"""Insight for lawyers and trainers: the five forms side by side for a case (compare), and the
smallest changes to the answers that change the recommendation (whatif).

`whatif` runs the real advisor on varied intents; it holds no legal logic of its own. The numbers
it tries come from the rule base (every threshold a rule tests on that fact, and the one after it).
"""
from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

from pydantic import BaseModel

from advisor.advise import advise, recommend, reference_day, render_message
from advisor.errors import InputError
from advisor.intake import parse_intent
from advisor.models import CooperationIntent, Reason
from advisor.rulebase import ParamRef, RuleBase, leaves, default_rulebase
from advisor.vocabulary import Form, PartnerKind, PurposeKind, Verevening


class Obligation(BaseModel):
    rule: str
    message: str
    articles: list[str]
    verified: bool


class FormComparison(BaseModel):
    form: Form
    label: str
    status: str
    reasons: list[Reason]
    legal_personality: bool
    management_transfer: bool
    participants: str
    duration: str
    organs: str
    founding: str
    obligations: list[Obligation]


def compare(intent: dict | CooperationIntent, reference_date: dt.date | None = None,
            rb: RuleBase | None = None) -> list[FormComparison]:
    rb = rb or default_rulebase()
    intent = parse_intent(intent)
    advice = advise(intent, reference_date, forms=list(Form), rulebase=rb, open_questions=False)
    params = rb.at(advice.reference_date).params
    out = []
    for spec, fa in zip(rb.forms, advice.forms, strict=True):
        fiche = {k: render_message(rb, v, {}, params) for k, v in spec.fiche.model_dump().items()}
        obligations = [Obligation(rule=f.rule, message=f.message, articles=f.articles, verified=f.verified)
                       for f in advice.findings if f.kind == "obligation" and spec.code in f.forms]
        out.append(FormComparison(
            form=spec.code, label=spec.label, status=fa.status, reasons=fa.reasons,
            legal_personality=spec.legal_personality, management_transfer=spec.management_transfer,
            obligations=obligations, **fiche))
    return out


def _cited(articles: list[str], verified: bool) -> str:
    return "[" + "; ".join(articles) + ("" if verified else " (te verifiëren)") + "]"


def comparison_rows(forms: list[FormComparison], status_labels: dict[str, str]) -> list[tuple[str, list[str]]]:
    """The comparison as (row label, one cell per form), in full: every reason and obligation with
    its articles and verification mark (the text table; the HTML table has its own template)."""
    yes = {True: "ja", False: "nee"}
    return [
        ("Status", [status_labels[f.status] for f in forms]),
        ("Rechtspersoon", [yes[f.legal_personality] for f in forms]),
        ("Beheersover-dracht", [yes[f.management_transfer] for f in forms]),
        ("Wie mag deelnemen", [f.participants for f in forms]),
        ("Duur", [f.duration for f in forms]),
        ("Organen", [f.organs for f in forms]),
        ("Oprichting", [f.founding for f in forms]),
        ("Waarom (niet)", ["\n".join(f"- {r.message} {_cited(r.articles, r.verified)}" for r in f.reasons) or "-"
                           for f in forms]),
        ("Verplichtingen", ["\n".join(f"- {o.message} {_cited(o.articles, o.verified)}" for o in f.obligations) or "geen"
                            for f in forms]),
    ]


MIN_COLUMN = 20  # narrower, and a form's column would be a column of single words


def comparison_text(forms: list[FormComparison], name: str, width: int, status_labels: dict[str, str]) -> str:
    """The forms side by side in a table as wide as `width`; when not all fit, as many per page as do."""
    import textwrap

    from tabulate import tabulate
    rows = comparison_rows(forms, status_labels)
    label = max(len(word) for row_label, _ in rows for word in row_label.replace("-", "- ").split())
    per_page = max(1, min(len(forms), (width - 4 - label) // (MIN_COLUMN + 3)))
    column = max(MIN_COLUMN, (width - 1 - 3 * (per_page + 1) - label) // per_page)
    title = f"DE VIJF VORMEN NAAST ELKAAR: {name}"
    out = [title, "=" * len(title)]
    for start in range(0, len(forms), per_page):
        page = slice(start, start + per_page)
        if per_page < len(forms):
            shown = f"vormen {start + 1}-{min(start + per_page, len(forms))} van {len(forms)}"
            out += ["", f"({shown})"]
        table = [[row_label] + cells[page] for row_label, cells in rows]
        headers = [""] + ["\n".join(textwrap.wrap(f"{i}. {f.label}", column))
                          for i, f in enumerate(forms[page], start=start + 1)]
        out += ["", tabulate(table, headers=headers, tablefmt="simple_grid",
                             maxcolwidths=[label] + [column] * len(forms[page]), disable_numparse=True)]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- whatif

class Change(BaseModel):
    change: dict[str, Any]
    recommended_form: Form | None
    description: str


NEED_WORDS = {"legal_personality": "rechtspersoonlijkheid", "own_staff": "eigen personeel",
              "own_assets": "eigen vermogen"}


def _operands(rb: RuleBase, fact: str, day: dt.date) -> list[Any]:
    """Every value a rule compares this fact with on that date (parameters resolved)."""
    params = rb.at(day).params
    found: list[Any] = []
    for rule in rb.rules:
        for leaf in leaves(rule.when):
            if leaf.fact == fact:
                operand = leaf.op[1]
                value = params.get(operand.param) if isinstance(operand, ParamRef) else operand
                for v in value if isinstance(value, list) else [value]:
                    if v not in found:
                        found.append(v)
    return found


def thresholds(rb: RuleBase, fact: str, day: dt.date) -> set[int]:
    """Every number a rule compares this fact with, and the number after it (boundary pairs)."""
    return {n for v in _operands(rb, fact, day) if isinstance(v, int) and not isinstance(v, bool)
            for n in (v, v + 1)}


def _variations(intent: CooperationIntent, rb: RuleBase, day: dt.date) -> list[dict[str, Any]]:
    base = intent.model_dump(mode="json", exclude_none=True)
    out: list[dict[str, Any]] = []
    for kind in PurposeKind:
        if kind is not intent.purpose.kind:
            out.append({"purpose.kind": kind.value})
    for key in NEED_WORDS:
        current = getattr(intent.needs, key)
        out += [{f"needs.{key}": v} for v in (True, False, None) if v is not current]
    for key in ("duration_years", "founding_year"):
        current = getattr(intent, key)
        candidates = sorted(thresholds(rb, key, day) - {current}, key=lambda n: abs(n - (current or n)))
        out += [{key: n} for n in candidates[:8]]
        if current is not None:
            out.append({key: None})
    for verevening in Verevening:
        if intent.finance is None or intent.finance.verevening is not verevening:
            out.append({"finance.verevening": verevening.value})
    sectors = [v for v in _operands(rb, "private_sectors", day) if isinstance(v, str)]
    for i, partner in enumerate(base["partners"]):
        if partner["kind"] == PartnerKind.privaatrechtelijke_rechtspersoon.value:
            out.append({f"partners[{i}]": None})
            out += [{f"partners[{i}].sector": s} for s in sectors if s != partner.get("sector")]
    out.append({"partners+": {"name": "Bijkomende gemeente", "kind": PartnerKind.gemeente.value}})
    return out


def apply_change(intent: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(intent)
    removed: list[int] = []
    for path, value in change.items():
        if path == "partners+":
            result["partners"].append(value)
        elif path.startswith("partners["):
            index = int(path[len("partners["):path.index("]")])
            if path.endswith("]"):
                removed.append(index)
            else:
                result["partners"][index][path.rsplit(".", 1)[1]] = value
        else:
            *parents, leaf = path.split(".")
            node = result
            for key in parents:
                node = node.setdefault(key, {})
            if value is None:
                node.pop(leaf, None)
            else:
                node[leaf] = value
    result["partners"] = [p for i, p in enumerate(result["partners"]) if i not in removed]
    return result


def _answer_label(field: str, value: Any) -> str:
    """A coded answer as the questionnaire shows it ('fonds' -> 'een vereveningsfonds')."""
    from advisor.questionnaire import questions, shown
    q = next((q for q in questions() if q.field == field), None)
    text = shown(q, value) if q is not None else str(value)
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def describe(intent: dict[str, Any], change: dict[str, Any]) -> str:
    words = []
    for path, value in change.items():
        if path == "purpose.kind":
            words.append(f"met als doel: {_answer_label(path, value)}")
        elif path.startswith("needs."):
            what = NEED_WORDS[path.split(".")[1]]
            words.append(f"met nood aan {what}" if value is True else f"zonder nood aan {what}"
                         if value is False else f"{what}: weet niet")
        elif path == "duration_years":
            words.append(f"met een duur van {value} jaar" if value is not None else "zonder opgegeven duur")
        elif path == "founding_year":
            words.append(f"opgericht in {value}" if value is not None else "zonder opgegeven oprichtingsjaar")
        elif path == "finance.verevening":
            words.append(f"met verevening: {_answer_label(path, value)}")
        elif path == "partners+":
            words.append("met een bijkomende gemeente als deelnemer")
        elif path.startswith("partners["):
            name = intent["partners"][int(path[len("partners["):path.index("]")])]["name"]
            words.append(f"zonder {name} als deelnemer" if path.endswith("]") else f"met {name} uit de sector {value}")
    return " en ".join(words)


def whatif(intent: dict | CooperationIntent, reference_date: dt.date | None = None,
           rb: RuleBase | None = None) -> list[Change]:
    rb = rb or default_rulebase()
    intent = parse_intent(intent)
    day = reference_day(intent, reference_date, rb)
    base = intent.model_dump(mode="json", exclude_none=True)
    original = recommend(intent, day, rulebase=rb)

    def outcome(change: dict[str, Any]) -> Form | None:
        try:
            return recommend(apply_change(base, change), day, rulebase=rb)
        except InputError:  # not a possible intent (e.g. a 501st partner): it changes nothing
            return original

    singles = _variations(intent, rb, day)
    results: list[Change] = []
    quiet: list[dict[str, Any]] = []
    for change in singles:
        form = outcome(change)
        if form != original:
            results.append(Change(change=change, recommended_form=form, description=describe(base, change)))
        else:
            quiet.append(change)
    for a, b in itertools.combinations(quiet, 2):
        if set(a) & set(b):
            continue
        change = {**a, **b}
        form = outcome(change)
        if form != original:
            results.append(Change(change=change, recommended_form=form, description=describe(base, change)))
    return results
