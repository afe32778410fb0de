"""The official text and the codex link of one citation, for the advice and the rule book.

With a store: the article text in force on the date and the link to the article on
codex.vlaanderen.be. Without one: the link where the article's Codex id is recorded in
rules/articles.yaml (else the citation's own source, else the law on codex.vlaanderen.be), no text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from advisor.law.codex import article_url, document_url
from advisor.law.store import Store
from advisor.rulebase import Citation, RuleBase


@dataclass(frozen=True)
class Official:
    url: str | None
    text: str | None
    source: str | None = None  # where the text comes from: "Codex, opgehaald 2026-11-30"


@cache
def _recorded_ids(rb: RuleBase) -> dict[tuple[str, str], int]:
    return {(a.law, a.article): a.codex_id for a in rb.articles if a.codex_id}


def official(rb: RuleBase, c: Citation, day: dt.date, store: Store | None) -> Official:
    law = rb.laws.laws[c.law]
    if store is not None and law.codex and c.article:
        copy = store.get(c.law)
        article = copy.article(c.article) if copy else None
        if article is not None:
            version = article.at(day)
            doc = copy.document_id or law.codex
            how = "opgehaald" if copy.origin == "codex" else "ingelezen"
            return Official(article_url(doc, article.codex_id),
                            version.text if version else None,
                            f"Vlaamse Codex, {how} op {copy.retrieved.date().isoformat()}")
    recorded = _recorded_ids(rb).get((c.law, c.article)) if c.article else None
    if law.codex and recorded:
        return Official(article_url(law.codex, recorded), None)
    if c.url:
        return Official(c.url, None)
    return Official(document_url(law.codex) if law.codex else None, None)
