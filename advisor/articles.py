"""The article index (rules/articles.yaml) joined with the rules that cite each article and the
scenarios that exercise those rules."""
from __future__ import annotations

from pydantic import BaseModel

from advisor.errors import InputError, excerpt
from advisor.rulebase import RuleBase, default_rulebase


class ArticleView(BaseModel):
    law: str
    article: str
    status: str
    subject: str
    rules: list[str]
    scenarios: int
    verified: bool
    confidence: str
    sources: list[str]
    reason: str | None = None
    note: str | None = None


def article_index(law: str | None = None, rb: RuleBase | None = None,
                  with_scenarios: bool = True) -> list[ArticleView]:
    rb = rb or default_rulebase()
    indexed = sorted({a.law for a in rb.articles})
    if law is not None and law not in indexed:
        raise InputError(f"law: {excerpt(law)} is geen wet in de artikelindex; kies uit: {', '.join(indexed)}")
    citing: dict[tuple[str, str], list[str]] = {}
    for rule in rb.rules:
        for c in rule.citations:
            if c.article is not None:
                ids = citing.setdefault((c.law, c.article), [])
                if rule.id not in ids:
                    ids.append(rule.id)
    shown: list[set[str]] = []
    if with_scenarios:
        from advisor.scenarios import exercised
        shown = exercised()
    out = []
    for a in rb.articles:
        if law and a.law != law:
            continue
        rules = citing.get((a.law, a.article), [])
        out.append(ArticleView(
            law=rb.laws.laws[a.law].label, article=a.article, status=a.status, subject=a.subject,
            rules=rules, scenarios=sum(1 for s in shown if s & set(rules)),
            verified=a.verified, confidence=a.confidence, sources=a.sources, reason=a.reason, note=a.note,
        ))
    return out
