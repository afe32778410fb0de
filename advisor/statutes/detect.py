"""Recognition and detection over the units of a statutes text, driven by rules/statutes/:
the form, the document type and the decree a text was written under; where each clause is
(headings and key phrases); whether it holds its required elements; outdated references; the
participants and the purpose."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from advisor.statutes.data import Element, Scaled, StatutesData, pattern
from advisor.statutes.structure import Unit
from advisor.statutes.text import normalise, with_digits
from advisor.rulebase import ParamRef
from advisor.vocabulary import Form, PartnerKind

_PLACEHOLDER = re.compile(r"\[in te vullen:\s*([^\]]*)\]", re.IGNORECASE)
PASSAGE_CHARS = 320
WINDOW_WORDS = 12  # how far after a majority ("drievierde meerderheid, zowel voor ... stemmen") its object may stand


def passage(sentences: list[str]) -> str:
    text = " ".join(dict.fromkeys(s.strip() for s in sentences if s.strip())).replace("\\", "")
    return text if len(text) <= PASSAGE_CHARS else text[: PASSAGE_CHARS - 1].rstrip() + "…"


def _count(patterns: list[str], text: str) -> int:
    return sum(len(pattern(p).findall(text)) for p in patterns)


# ---------------------------------------------------------------- what kind of text

def title_text(units: list[Unit]) -> str:
    first = [u for u in units[:3]]
    return normalise(" ".join([u.heading for u in first] + [l for u in first[:1] for l in u.lines[:2]]))


def recognise_form(data: StatutesData, units: list[Unit]) -> Form | None:
    whole = normalise(" ".join(u.heading + " " + u.text for u in units))
    title = title_text(units)
    scores = {form: _count(spec.patterns, whole) + 5 * _count(spec.patterns, title)
              for form, spec in data.recognition.forms.items()}
    refined = {spec.refines: form for form, spec in data.recognition.forms.items() if spec.refines}
    base = {form: score for form, score in scores.items() if form not in refined.values()}
    best = max(base, key=lambda f: (base[f], -list(base).index(f)))
    if base[best] == 0:
        return None
    if best in refined and scores[refined[best]] > 0:
        return refined[best]
    return best


def recognise_document(data: StatutesData, units: list[Unit]) -> str | None:
    whole = normalise(" ".join(u.heading + " " + u.text for u in units))
    title = title_text(units)
    docs = data.recognition.documents
    for text in (title, whole):
        scores = {code: _count(kind.patterns, text) for code, kind in docs.items()}
        best = max(scores, key=lambda c: scores[c])
        if scores[best]:
            return best
    return None


def recognise_basis(data: StatutesData, units: list[Unit]):
    """The decree the text names most (None: it names none)."""
    whole = normalise(" ".join(u.heading + " " + u.text for u in units))
    scores = [(_count(b.patterns, whole), -i, b) for i, b in enumerate(data.recognition.bases)]
    count, _, basis = max(scores, key=lambda t: t[:2])
    return basis if count else None


# ---------------------------------------------------------------- clauses

@dataclass
class Hit:
    unit: Unit
    order: int
    heading: bool
    sentences: list[str] = field(default_factory=list)  # the sentences a key phrase matched

    @property
    def strength(self) -> tuple[int, int, int]:
        return (1 if self.heading else 0, len(self.sentences), -self.order)


def _heading_hits(data: StatutesData, unit: Unit) -> set[str]:
    """The clauses a heading names. In "Stemrecht in de algemene vergadering" the head noun is
    stemrecht: a clause named after a preposition counts only when no clause is the head."""
    key = unit.heading_key
    if not key:
        return set()
    modifier = pattern(data.words.modifiers)
    heads: set[str] = set()
    modifiers: set[str] = set()
    for cid, spec in data.clauses.items():
        for source in spec.headings:
            for m in pattern(source).finditer(key):
                before = key[: m.start()].split()[-3:]
                (modifiers if any(modifier.fullmatch(w) for w in before) else heads).add(cid)
    return heads or modifiers


def find_clauses(data: StatutesData, units: list[Unit], wanted: list[str]) -> dict[str, list[Hit]]:
    """Per clause, the units that hold it, strongest first."""
    out: dict[str, list[Hit]] = {cid: [] for cid in wanted}
    for order, unit in enumerate(units):
        named = _heading_hits(data, unit)
        sentences = [(s, normalise(s)) for s in unit.sentences]
        # what precedes the first article counts by its sentences ("Verschenen voor ..."), an
        # annex or chapter text only by its heading ("Bijlage 1. Deelnemerslijst")
        by_heading = unit.kind != "preamble"
        by_phrase = unit.kind != "section"
        for cid in wanted:
            spec = data.clauses.get(cid)
            if spec is None:
                continue
            matched: list[str] = []
            phrases: set[str] = set()
            for s, key in (sentences if by_phrase else []):
                found = [p for p in spec.phrases if pattern(p).search(key)]
                if found:
                    matched.append(s)
                    phrases.update(found)
            if (by_heading and cid in named) or len(phrases) >= spec.min_phrases:
                out[cid].append(Hit(unit, order, by_heading and cid in named, matched))
    for hits in out.values():
        hits.sort(key=lambda h: h.strength, reverse=True)
    return out


def scope(hits: list[Hit]) -> list[Hit]:
    """The units whose content counts for a clause's elements: those whose heading names it, or
    else the strongest."""
    named = [h for h in hits if h.heading]
    return named or hits[:1]


@dataclass
class ElementResult:
    element: Element
    state: str  # ok | open | doubt
    message: str = ""
    sentences: list[str] = field(default_factory=list)


def _bound(value: Any, params: dict[str, Any]) -> float:
    return float(params[value.param]) if isinstance(value, ParamRef) else float(value)


def _show(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:.2f}".replace(".", ",")


def check_element(data: StatutesData, el: Element, hits: list[Hit], params: dict[str, Any]) -> ElementResult:
    sentences = [s for h in scope(hits) for s in h.unit.sentences]  # the body: a heading states no content
    whole = list(sentences)
    if el.near:
        sentences = [s for s in sentences if pattern(el.near).search(normalise(s))]
    keys = [normalise(s) for s in sentences]
    placeholder = el.placeholder and any(
        pattern(el.placeholder).search(normalise(label)) for s in sentences for label in _PLACEHOLDER.findall(s))
    if el.refuse:
        refused = [s for s, k in zip(sentences, keys) if pattern(el.refuse).search(k)]
        if refused:
            return ElementResult(el, "doubt", f"vereist: {el.label}; de tekst zegt: "
                                 f"{pattern(el.refuse).search(normalise(refused[0])).group(0)}", refused)
    if el.present:
        found = [s for s, k in zip(sentences, keys) if pattern(el.present).search(k)]
        if found:
            return ElementResult(el, "ok", sentences=found)
        return ElementResult(el, "open" if placeholder else "doubt",
                             f"niet gevonden: {el.label}", [])
    spec = el.quantity or el.majority
    low = _bound(spec.at_least, params) if spec.at_least is not None else None
    high = _bound(spec.at_most, params) if spec.at_most is not None else None
    values: list[tuple[float, str, str]] = []  # value, as written, sentence
    if el.quantity:
        spelled = tuple(data.words.spelled.items())
        for s in sentences:
            digits = with_digits(s, spelled)
            for v in el.quantity.values:
                source, scale = (v.re, v.scale) if isinstance(v, Scaled) else (v, 1.0)
                for m in pattern(source).finditer(digits):
                    number = next((g for g in m.groups() if g and g.isdigit()), None)
                    if number is not None:
                        values.append((int(number) * scale, m.group(0), s))
    else:
        for s, k in zip(sentences, keys):
            values += [(value, text, s) for value, text in _majorities(data, k, el.majority.of)]
    if not values:
        accepted = [s for s in whole if el.accept and pattern(el.accept).search(with_digits(s))]
        if accepted:
            return ElementResult(el, "ok", sentences=accepted[:1])
        return ElementResult(el, "open" if placeholder else "doubt", f"niet gevonden: {el.label}", [])
    wrong = [(v, text, s) for v, text, s in values
             if (low is not None and v < low) or (high is not None and v > high)]
    if wrong:
        v, text, s = wrong[0]
        limit = f"ten minste {_show(low)}" if low is not None else f"ten hoogste {_show(high)}"
        if el.majority:
            limit = f"ten minste {_majority_words(data, low)}" if low is not None else \
                f"ten hoogste {_majority_words(data, high)}"
        return ElementResult(el, "doubt", f"vereist: {el.label} ({limit}); de tekst zegt: {text}", [s])
    return ElementResult(el, "ok", sentences=[s for _, _, s in values])


def _majorities(data: StatutesData, key: str, of: str) -> list[tuple[float, str]]:
    """Majorities in a sentence, non-overlapping, that qualify `of` within a few words."""
    found: list[tuple[int, int, float]] = []
    for m in data.words.majorities:
        found += [(x.start(), x.end(), m.value) for x in pattern(m.re).finditer(key)]
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    chosen: list[tuple[int, int, float]] = []
    for start, end, value in found:
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end, value))
    out = []
    for i, (start, end, value) in enumerate(chosen):
        stop = chosen[i + 1][0] if i + 1 < len(chosen) else len(key)
        window = " ".join(key[end:stop].split()[:WINDOW_WORDS])
        matched = key[start:end]
        if re.match(rf"^\W*(?:\w+\W+){{0,{WINDOW_WORDS - 2}}}?(?:{of})", window) or pattern(of).search(matched):
            out.append((value, matched))
    return out


def _majority_words(data: StatutesData, value: float | None) -> str:
    for m in data.words.majorities:
        if abs(m.value - (value or 0)) < 0.01:
            return m.label
    return _show(value or 0)


# ---------------------------------------------------------------- outdated references

@dataclass
class OutdatedHit:
    item: Any  # data.Outdated
    unit: Unit
    sentence: str


def find_outdated(data: StatutesData, units: list[Unit], day, form: Form) -> list[OutdatedHit]:
    out: list[OutdatedHit] = []
    for item in data.outdated:
        if day < item.outdated_from or (item.forms and form not in item.forms):
            continue
        for unit in units:
            for s in ([unit.heading] if unit.heading else []) + unit.sentences:
                key = normalise(s)
                if any(pattern(p).search(key) for p in item.patterns) and not (
                        item.except_ and pattern(item.except_).search(key)):
                    out.append(OutdatedHit(item, unit, s))
                    break  # once per unit
    return out


# ---------------------------------------------------------------- participants and purpose

@cache
def _names_regex():
    from advisor.municipalities import registry
    names = {n for m in registry().entries for n in (m.name, *m.former)}
    names |= {n.upper() for n in names}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def participant_units(data: StatutesData, units: list[Unit], hits: dict[str, list[Hit]]) -> list[Unit]:
    spec = data.recognition.participants
    chosen = {id(h.unit): h.unit for cid in spec.clauses for h in hits.get(cid, [])}
    for unit in units:
        if unit.kind != "article" and pattern(spec.sections).search(normalise(unit.heading or unit.label)):
            chosen[id(unit)] = unit
        elif unit.kind == "preamble":
            chosen[id(unit)] = unit
    return [u for u in units if id(u) in chosen]


def find_members(data: StatutesData, units: list[Unit], scoped: list[Unit]) -> list[str]:
    """Municipality names (as written) in the participant units, or after 'gemeente'/'stad'."""
    regex = _names_regex()
    prefix = re.compile(rf"\b(?:{data.recognition.participants.prefix})\s+$", re.IGNORECASE)
    found: list[str] = []
    for unit in units:
        text = unit.text
        for m in regex.finditer(text):
            if unit in scoped or prefix.search(text[max(0, m.start() - 40): m.start()]):
                if m.group(1) not in found:
                    found.append(m.group(1))
    return found


def find_partner_kinds(data: StatutesData, scoped: list[Unit]) -> list[PartnerKind]:
    key = normalise(" ".join(u.heading + " " + u.text for u in scoped))
    return [kind for kind, sources in data.recognition.participants.kinds.items()
            if any(pattern(s).search(key) for s in sources)]


def find_purpose(data: StatutesData, hits: dict[str, list[Hit]]) -> tuple[str | None, list[str], list[str]]:
    """(description, sector roles, domains) from the purpose clause."""
    from advisor.lexicon import lexicon

    spec = data.recognition.purpose
    chosen = hits.get(spec.clause) or []
    if not chosen:
        return None, [], []
    unit = chosen[0].unit
    key = normalise(unit.text)
    roles = [r for r, sources in spec.sector_roles.items() if any(pattern(s).search(key) for s in sources)]
    lex = lexicon()
    domains = {code for word, code in lex.synonyms.items()
               if pattern(re.escape(word).replace("_", "[ -]")).search(key)}
    domains |= {code for code, sources in data.recognition.domain_stems.items()
                if any(pattern(s).search(key) for s in sources)}
    domains = sorted(domains)
    description = passage(unit.sentences[:2]) or None
    return description, roles, domains


def find_name(data: StatutesData, hits: dict[str, list[Hit]], units: list[Unit]) -> str | None:
    spec = data.recognition.name
    for hit in hits.get(spec.clause, []):
        m = re.search(spec.pattern, hit.unit.text, re.IGNORECASE)
        if m:
            return m.group(1).strip()
    return None
