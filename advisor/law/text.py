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
    found = article_text(rb, c.law, c.article, day, store)
    if found.text is None and found.source is None and c.url and not _recorded_ids(rb).get((c.law, c.article)):
        return Official(c.url, None)  # the source the rule was written from
    return found


def article_text(rb: RuleBase, law_code: str, number: str | None, day: dt.date, store: Store | None) -> Official:
    """The article in force on `day` from the store, or the best link to it without one."""
    law = rb.laws.laws[law_code]
    if store is not None and law.codex and number:
        copy = store.get(law_code)
        article = copy.article(number) if copy else None
        if article is not None:
            version = article.at(day)
            how = "opgehaald" if copy.origin == "codex" else "ingelezen"
            return Official(article_url(copy.document_id or law.codex, article.codex_id),
                            version.text if version else None,
                            f"Vlaamse Codex, {how} op {copy.retrieved.date().isoformat()}")
    recorded = _recorded_ids(rb).get((law_code, number)) if number else None
    if law.codex:
        return Official(article_url(law.codex, recorded), None)
    return Official(None, None)
