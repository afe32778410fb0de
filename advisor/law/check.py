"""Check every citation in rules/ (sources, see_also, parameter sources, form definitions) against
the stored official text in force on a date: does the article exist and is it in force, does it
contain the citation's `terms`, which other articles do (a suggested renumbering), and did its text
change since the rule base was last checked (the hash recorded in rules/articles.yaml)."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterator, Literal

from pydantic import BaseModel

from advisor.law.store import Article, LawText, Store
from advisor.rulebase import Citation, RuleBase

Status = Literal["bevestigd", "termen_ontbreken", "niet_gevonden", "niet_in_werking", "geen_termen", "geen_tekst"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
STATUS_LABELS = {
    "bevestigd": "bevestigd",
    "termen_ontbreken": "termen ontbreken",
    "niet_gevonden": "artikel niet gevonden",
    "niet_in_werking": "niet in werking",
    "geen_termen": "geen termen om te controleren",
    "geen_tekst": "wet niet in de lokale kopie",
}
MAX_SUGGESTIONS = 5
OPEN_DATE_YEAR = 2100  # the Codex dates a version that waits for an external event on 2100-01-01


class CitationCheck(BaseModel):
    rule: str  # the rule id; "parameter:<name>" or "vorm:<code>" for the other places that cite
    role: Literal["source", "see_also", "parameter", "definition"]
    index: int = 0  # 0: the source (or definition); 1, 2, ...: the see_also in order
    law: str
    article: str | None
    paragraph: str | None = None
    cite: str
    date: dt.date  # the text compared is the one in force on this date (the rule's own time)
    terms: list[str]
    status: Status
    missing_terms: list[str] = []
    suggested_articles: list[str] = []
    changed: bool = False
    hash: str | None = None  # of the text in force on the date
    codex_id: int | None = None
    verified: bool  # as the rule base says now
    note: str | None = None
    later_from: dt.date | None = None  # a version that takes effect after the date (within the rule's time)
    later_missing_terms: list[str] = []  # terms that version no longer contains


class Summary(BaseModel):
    date: dt.date
    total: int
    statuses: dict[str, int]
    changed: int
    laws: dict[str, dict]
    unchecked_laws: list[str]  # cited, without a Codex id: no official text to check against


class CheckReport(BaseModel):
    citations: list[CitationCheck]
    summary: Summary

    @property
    def ok(self) -> bool:
        return all(c.status == "bevestigd" for c in self.citations)


Window = tuple[dt.date, dt.date | None] | None  # when the citing rule is valid


def cited(rb: RuleBase) -> Iterator[tuple[str, str, Citation, Window]]:
    """(owner, role, citation, validity) for every citation in the rule base, in rule-base order."""
    for rule in rb.rules:
        window = (rule.valid_from, rule.valid_until)
        yield rule.id, "source", rule.source, window
        for c in rule.see_also:
            yield rule.id, "see_also", c, window
    for name, p in rb.params.items():
        yield f"parameter:{name}", "parameter", p.source, None
    for f in rb.forms:
        yield f"vorm:{f.code.value}", "definition", f.definition, None


def day_for(day: dt.date, window: Window) -> dt.date:
    """A rule that no longer (or not yet) applies on `day` is checked against the text of its own time."""
    if window is None:
        return day
    start, end = window
    return min(max(day, start), end) if end else max(day, start)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """As compared: lower case, one space, typographic quotes and '§ 2' / '49 %' written one way."""
    text = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"§\s+", "§", text)
    text = re.sub(r"(\d)\s+%", r"\1%", text)
    return " ".join(text.split())


def check(rb: RuleBase, store: Store, day: dt.date, laws: list[str] = ()) -> CheckReport:
    recorded = {(a.law, a.article): a.hash for a in rb.articles if a.hash}
    texts: dict[str, LawText | None] = {}
    out: list[CitationCheck] = []
    unchecked: set[str] = set()
    position: dict[str, int] = {}
    for owner, role, c, window in cited(rb):
        index = position[owner] = position.get(owner, -1) + 1
        law = rb.laws.laws[c.law]
        if not law.codex:
            unchecked.add(c.law)
            continue
        if laws and c.law not in laws:
            continue
        if c.law not in texts:
            texts[c.law] = store.get(c.law)
        own_day = day_for(day, window)  # the article hash in articles.yaml is that of the text on `day`
        out.append(_check_one(rb, owner, role, c, texts[c.law], own_day, window[1] if window else None,
                              recorded if own_day == day else {}).model_copy(update={"index": index}))
    counts = {s: sum(1 for c in out if c.status == s) for s in STATUSES}
    summary = Summary(
        date=day, total=len(out), statuses=counts, changed=sum(c.changed for c in out),
        laws={code: {"source": t.source, "origin": t.origin, "retrieved": t.retrieved.isoformat(),
                     "articles": len(t.articles), "warnings": t.warnings}
              for code, t in texts.items() if t is not None},
        unchecked_laws=sorted(unchecked))
    return CheckReport(citations=out, summary=summary)


def _check_one(rb: RuleBase, owner: str, role: str, c: Citation, text: LawText | None, day: dt.date,
               until: dt.date | None, recorded: dict) -> CitationCheck:
    base = dict(rule=owner, role=role, law=c.law, article=c.article, paragraph=c.paragraph, cite=rb.cite(c),
                terms=c.terms, verified=c.verified, date=day)
    if text is None:
        return CitationCheck(**base, status="geen_tekst",
                             note=f"{rb.laws.laws[c.law].label} staat niet in de lokale kopie: igs-advisor law fetch")
    article = text.article(c.article)
    if article is None:
        note = None if c.article is None else f"art. {c.article} staat niet in de tekst ({_origin(text)})"
        return CitationCheck(**base, status="niet_gevonden", note=note,
                             suggested_articles=suggest(text, day, c.terms, c.terms, None))
    version = article.at(day)
    base["codex_id"] = article.codex_id
    if version is None:
        return CitationCheck(**base, status="niet_in_werking", note=_not_in_force(article, day),
                             suggested_articles=suggest(text, day, c.terms, c.terms, article.number))
    if version.text is None:
        return CitationCheck(**base, status="niet_gevonden",
                             note=f"art. {c.article} staat in de inhoudstafel, maar zonder tekst in de kopie",
                             suggested_articles=suggest(text, day, c.terms, c.terms, article.number))
    old = recorded.get((c.law, article.number))
    confirmed_hash = c.verified_by.rsplit(", ", 1)[1] if c.verified_by else None
    base.update(hash=version.hash, changed=any(h and h != version.hash for h in (old, confirmed_hash)))
    later = [v for v in article.later(day) if v.text is not None and (until is None or v.start <= until)]
    note = None
    if later:
        base["later_from"] = later[0].start
        base["later_missing_terms"] = missing_terms(later[0].text, c.terms) if c.terms else []
        note = f"een nieuwe versie geldt vanaf {_show_date(later[0].start)}"
        if base["later_missing_terms"]:
            note += "; daarin ontbreekt: " + ", ".join(f"'{t}'" for t in base["later_missing_terms"])
    if not c.terms:
        return CitationCheck(**base, status="geen_termen", note=note)
    missing = missing_terms(version.text, c.terms)
    if missing:
        return CitationCheck(**base, status="termen_ontbreken", missing_terms=missing, note=note,
                             suggested_articles=suggest(text, day, c.terms, missing, article.number))
    return CitationCheck(**base, status="bevestigd", note=note)


def missing_terms(text: str, terms: list[str]) -> list[str]:
    haystack = normalize(text)
    return [t for t in terms if normalize(t) not in haystack]


def suggest(text: LawText, day: dt.date, terms: list[str], missing: list[str], cited: str | None) -> list[str]:
    """Other articles in force that contain every term (else every missing term), nearest first."""
    if not terms:
        return []
    order = {a.number: i for i, a in enumerate(text.articles)}
    here = order.get(cited) if cited else None
    for wanted in (terms, missing):
        hits = [a.number for a in text.articles if a.number != cited
                and (v := a.at(day)) is not None and v.text is not None and not missing_terms(v.text, wanted)]
        if hits:
            if here is not None:
                hits.sort(key=lambda n: (abs(order[n] - here), order[n]))
            return hits[:MAX_SUGGESTIONS]
    return []


def _show_date(day: dt.date) -> str:
    return "een nog te bepalen datum" if day.year >= OPEN_DATE_YEAR else day.isoformat()


def _not_in_force(article: Article, day: dt.date) -> str:
    later = article.later(day)
    if later:
        return f"art. {article.number} treedt pas in werking op {_show_date(later[0].start)}"
    earlier = article.earlier(day)
    if earlier:
        return f"art. {article.number} is niet meer van kracht sinds {(earlier[-1].end + dt.timedelta(days=1)).isoformat()}"
    return f"art. {article.number} heeft geen versie die op {day.isoformat()} geldt"


def _origin(text: LawText) -> str:
    return f"{'opgehaald' if text.origin == 'codex' else 'ingelezen'} op {text.retrieved.date().isoformat()}"
