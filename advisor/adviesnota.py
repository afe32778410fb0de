"""The advice as a document (an "adviesnota" to attach to a council file): the question, the
recommended form and why, the five forms side by side, the findings grouped by subject
(rules/topics.yaml), the open questions, every citation with its verification status, and the
reference date and rule-base version. One Markdown source, rendered like the drafts.
"""
from __future__ import annotations

import re
from typing import Any

from advisor import documents
from advisor.advise import render_message
from advisor.drafts import parties
from advisor.models import Advice, CitationOut, CooperationIntent
from advisor.render import render
from advisor.rulebase import RuleBase, default_rulebase
from advisor.topics import topics

FORMATS = ("md", "html", "docx", "pdf")
SHOWN_KINDS = ("recommendation", "warning", "constraint", "obligation", "information")


def adviesnota(advice: Advice, fmt: str, rb: RuleBase | None = None,
               intent: CooperationIntent | None = None) -> bytes:
    rb = rb or default_rulebase()
    source = render("adviesnota.md.j2", **_context(rb, advice, intent))
    return documents.convert(source, fmt, advice.reference_date)


def _context(rb: RuleBase, advice: Advice, intent: CooperationIntent | None) -> dict[str, Any]:
    params = rb.at(advice.reference_date).params
    fiches = {spec.code: {k: render_message(rb, v, {}, params) for k, v in spec.fiche.model_dump().items()}
              | {"legal_personality": spec.legal_personality, "management_transfer": spec.management_transfer}
              for spec in rb.forms}
    shown = {r.rule for fa in advice.forms if fa.status == "recommended" for r in fa.reasons}  # in section 2
    groups = []
    for topic in topics():
        items = [f for f in advice.findings
                 if f.topic == topic.code and f.kind in SHOWN_KINDS and f.rule not in shown]
        if items:
            groups.append((topic.label, sorted(items, key=lambda f: SHOWN_KINDS.index(f.kind))))
    sources: dict[str, CitationOut] = {}
    for item in [r for fa in advice.forms for r in fa.reasons] + list(advice.findings):
        for c in item.citations:
            sources.setdefault(c.cite, c)
    return {"advice": advice, "intent": intent, "fiches": fiches, "groups": groups,
            "sources": sorted(sources.values(), key=lambda c: _natural(c.cite)),
            "partners": parties(intent) if intent is not None else [], "labels": rb.form_labels}


def _natural(text: str) -> list[Any]:
    """Numbers in a citation sort as numbers: 40 before 392."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]
