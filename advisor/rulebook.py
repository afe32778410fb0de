"""The rule book: a static HTML site (works offline, prints well) with a page per article of the
article index, per form (its card: conditions and obligations) and per case, and an index."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from advisor.casebook import load_cases
from advisor.render import KIND_LABELS, STATUS_LABELS, render
from advisor.rulebase import Rule, default_rulebase
from advisor.scenarios import exercised, load_scenarios
from advisor.vocabulary import FINDING_KIND, Outcome
from advisor.writer import make_directory, write_file

_PLACEHOLDER = re.compile(r"\{([a-z_]+:)?([a-z0-9_.]+)\}")
OUTCOME_LABELS = {o.value: KIND_LABELS.get(FINDING_KIND.get(o, ""), "uitleg") for o in Outcome}
OUTCOME_LABELS["not_recommended"] = "niet aanbevolen"
ARTICLE_STATUS = {"encoded": "gecodeerd", "informative": "informatief",
                  "not_decision_relevant": "niet beslissingsrelevant"}


def article_page(law: str, article: str | None) -> str | None:
    return f"artikel-{law}-{article.replace('.', '-')}.html" if article else None


def build(target: Path, day: dt.date | None = None) -> int:
    rb = default_rulebase()
    day = day or dt.date.today()
    params = rb.at(max(day, rb.earliest_date)).params
    indexed = {(a.law, a.article) for a in rb.articles}

    def show(rule: Rule) -> str:
        def value(m: re.Match) -> str:
            kind, name = m.group(1), m.group(2)
            if kind == "param:":
                v = params.get(name, name)
                return ", ".join(map(str, v)) if isinstance(v, list) else str(v)
            from advisor.lexicon import lexicon
            return f"[{lexicon().fact_labels.get(name, name.replace('_', ' '))}]"
        return _PLACEHOLDER.sub(value, rule.then.message)

    def cites(rule: Rule) -> list[dict]:
        return [{"text": rb.cite(c), "verified": c.verified,
                 "href": article_page(c.law, c.article) if (c.law, c.article) in indexed else None}
                for c in rule.citations]

    def rule_view(rule: Rule) -> dict:
        return {"id": rule.id, "title": rule.title, "message": show(rule), "outcome": OUTCOME_LABELS[rule.then.outcome],
                "forms": [(f.value, rb.form_labels[f.value]) for f in rule.forms], "cites": cites(rule),
                "valid": f"{rule.valid_from.isoformat()} tot {rule.valid_until.isoformat() if rule.valid_until else 'heden'}"}

    scenarios = [s for s in load_scenarios() if "error" not in s.expect]
    shown = exercised(scenarios)
    cases = load_cases()
    from advisor.advise import advise
    case_advice = {c.id: advise(c.intent, day) for c in cases}
    make_directory(target)
    pages = 0

    def write(name: str, template: str, **context) -> None:
        nonlocal pages
        write_file(target / name, render(f"rulebook/{template}", **context))
        pages += 1

    from advisor.law.store import FETCH_HINT, current
    from advisor.law.text import article_text
    store = current()
    articles = []
    for a in rb.articles:
        rules = [r for r in rb.rules if any((c.law, c.article) == (a.law, a.article) for c in r.citations)]
        ids = {r.id for r in rules}
        names = [s.name for s, seen in zip(scenarios, shown, strict=True) if seen & ids]
        view = {"law": rb.laws.laws[a.law].label, "article": a.article, "subject": a.subject,
                "status": ARTICLE_STATUS[a.status], "confidence": a.confidence, "verified": a.verified,
                "sources": a.sources, "reason": a.reason, "note": a.note,
                "href": article_page(a.law, a.article), "rules": [rule_view(r) for r in rules], "scenarios": names,
                "official": article_text(rb, a.law, a.article, day, store), "fetch_hint": FETCH_HINT}
        articles.append(view)
        write(view["href"], "article.html.j2", a=view, day=day.isoformat(), title=f"{view['law']} art. {a.article}")
    forms = []
    for spec in rb.forms:
        mine = [r for r in rb.rules if spec.code in r.forms]
        groups = {label: [rule_view(r) for r in mine if r.then.outcome in outcomes] for label, outcomes in (
            ("Waarom deze vorm wordt aanbevolen", {Outcome.recommendation}),
            ("Wanneer deze vorm is uitgesloten", {Outcome.exclusion}),
            ("Wanneer deze vorm mogelijk is maar niet aanbevolen", {Outcome.not_recommended, Outcome.explanation}),
            ("Verplichtingen", {Outcome.obligation}),
            ("Beperkingen, waarschuwingen en informatie", {Outcome.constraint, Outcome.warning, Outcome.information}))}
        fiche = {k: _PLACEHOLDER.sub(lambda m: ", ".join(map(str, params[m.group(2)])) if isinstance(params[m.group(2)], list)
                                     else str(params[m.group(2)]), v) for k, v in spec.fiche.model_dump().items()}
        view = {"code": spec.code.value, "label": spec.label, "short": spec.short, "fiche": fiche,
                "definition": {"text": rb.cite(spec.definition), "href": article_page(spec.definition.law, spec.definition.article)},
                "groups": groups, "href": f"vorm-{spec.code.value}.html",
                "cases": [(c.id, c.title) for c in cases if case_advice[c.id].recommended_form == spec.code]}
        forms.append(view)
        write(view["href"], "form.html.j2", f=view, title=spec.label)
    case_views = []
    for c in cases:
        adv = case_advice[c.id]
        rec = adv.recommended_form.value if adv.recommended_form else None
        view = {"id": c.id, "title": c.title, "narrative": c.narrative, "learning_point": c.learning_point,
                "source": c.source, "href": f"casus-{c.id}.html",
                "recommended": (rec, rb.form_labels[rec]) if rec else None,
                "forms": [{"code": fa.form.value, "label": fa.label, "status": STATUS_LABELS[fa.status],
                           "reasons": [{"message": r.message, "articles": r.articles} for r in fa.reasons]}
                          for fa in adv.forms]}
        case_views.append(view)
        write(view["href"], "case.html.j2", c=view, title=c.title)
    laws = {}
    for a in articles:
        laws.setdefault(a["law"], []).append(a)
    write("index.html", "index.html.j2", laws=laws, forms=forms, cases=case_views, title="Regelboek",
          rules=len(rb.rules), day=day.isoformat())
    write_file(target / "stijl.css", render("rulebook/stijl.css"))
    return pages
