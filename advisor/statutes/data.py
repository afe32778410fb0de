"""The detection data in rules/statutes/ (clauses.yaml, words.yaml, recognition.yaml,
outdated.yaml): loaded, validated against the rule base (clause ids, rule ids, parameters,
citations) and compiled once. Python holds no clause names or phrases."""
from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from advisor.errors import RuleBaseError
from advisor.paths import RULES_DIR
from advisor.rulebase import Citation, ParamRef, RuleBase, default_rulebase
from advisor.vocabulary import Form, PartnerKind
from advisor.yamlio import load_yaml_text

STATUTES_DIR = RULES_DIR / "statutes"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Bound = Union[float, ParamRef]


class Scaled(_Strict):
    re: str
    scale: float = 1


class Quantity(_Strict):
    values: Annotated[list[Union[str, Scaled]], Field(min_length=1)]
    at_least: Bound | None = None
    at_most: Bound | None = None


class Majority(_Strict):
    of: str
    at_least: Bound | None = None
    at_most: Bound | None = None


class Element(_Strict):
    rule: str
    label: str
    near: str | None = None
    present: str | None = None
    quantity: Quantity | None = None
    majority: Majority | None = None
    accept: str | None = None
    refuse: str | None = None
    placeholder: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Element":
        kinds = [k for k in ("present", "quantity", "majority") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"een element heeft precies één van present, quantity, majority, niet {kinds}")
        for bound in (self.quantity, self.majority):
            if bound is not None and (bound.at_least is None) == (bound.at_most is None):
                raise ValueError("geef at_least of at_most")
        return self


class ClauseDetection(_Strict):
    headings: list[str] = []
    phrases: list[str] = []
    min_phrases: int = 1
    elements: list[Element] = []


class MajorityWord(_Strict):
    re: str
    value: float
    label: str


class Words(_Strict):
    spelled: dict[str, str] = {}
    modifiers: str
    majorities: list[MajorityWord]


class FormPatterns(_Strict):
    patterns: Annotated[list[str], Field(min_length=1)]
    refines: Form | None = None


class DocumentKind(_Strict):
    label: str
    patterns: list[str]


class Basis(_Strict):
    id: str
    label: str
    patterns: list[str]
    outdated: str | None = None


class Participants(_Strict):
    clauses: list[str]
    sections: str
    prefix: str
    kinds: dict[PartnerKind, list[str]]


class PurposeSpec(_Strict):
    clause: str
    sector_roles: dict[str, list[str]]


class NameSpec(_Strict):
    clause: str
    pattern: str  # over the text as written (any case), group 1 = the name


class Recognition(_Strict):
    forms: dict[Form, FormPatterns]
    documents: dict[str, DocumentKind]
    document_of_form: dict[Form, str]
    bases: list[Basis]
    participants: Participants
    purpose: PurposeSpec
    name: NameSpec
    domain_stems: dict[str, list[str]] = {}
    commentary: str | None = None


class Outdated(_Strict):
    id: str
    patterns: Annotated[list[str], Field(min_length=1)]
    outdated_from: dt.date
    reason: str
    source: Citation
    forms: list[Form] = []
    except_: str | None = Field(None, alias="except")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class StatutesData(_Strict):
    clauses: dict[str, ClauseDetection]
    words: Words
    recognition: Recognition
    outdated: list[Outdated]


# ---------------------------------------------------------------- compiled patterns

@cache
def pattern(source: str) -> re.Pattern[str]:
    """A pattern of the data as a whole-word regex over normalised text."""
    return re.compile(rf"(?<![a-z0-9])(?:{source})(?![a-z0-9])")


def _load(name: str) -> Any:
    path = STATUTES_DIR / name
    try:
        return load_yaml_text(path.read_text(encoding="utf-8"), str(path))
    except Exception as exc:  # noqa: BLE001 - a defect of the rule base, not of the user
        raise RuleBaseError(f"rules/statutes/{name}: {exc}") from None


@cache
def statutes_data() -> StatutesData:
    clauses = {k: v for k, v in (_load("clauses.yaml") or {}).items() if not k.startswith("_")}  # _: anchors
    raw = {"clauses": clauses, "words": _load("words.yaml"),
           "recognition": _load("recognition.yaml"), "outdated": _load("outdated.yaml")}
    try:
        data = StatutesData.model_validate(raw)
    except ValidationError as exc:
        lines = [f"rules/statutes/{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise RuleBaseError("De detectiegegevens zijn ongeldig:\n  " + "\n  ".join(lines)) from None
    problems = validate(data, default_rulebase())
    if problems:
        raise RuleBaseError("De detectiegegevens zijn ongeldig:\n  " + "\n  ".join(problems))
    return data


def validate(data: StatutesData, rb: RuleBase) -> list[str]:
    """Cross-checks with the rule base: every id, parameter, citation and pattern exists or compiles."""
    from advisor.lexicon import lexicon

    problems: list[str] = []
    index = {(a.law, a.article) for a in rb.articles}

    def regex(where: str, source: str | None) -> None:
        if source is None:
            return
        try:
            pattern(source)
        except re.error as exc:
            problems.append(f"{where}: ongeldig patroon {source!r} ({exc})")

    def bound(where: str, value: Bound | None) -> None:
        if isinstance(value, ParamRef) and value.param not in rb.params:
            problems.append(f"{where}: onbekende parameter '{value.param}'")

    for cid, spec in data.clauses.items():
        where = f"clauses.yaml: {cid}"
        if cid not in rb.clauses:
            problems.append(f"{where}: geen clausule van rules/clauses.yaml")
        if not spec.headings and not spec.phrases:
            problems.append(f"{where}: geen koppen en geen zinsdelen")
        for source in spec.headings + spec.phrases:
            regex(where, source)
        for el in spec.elements:
            rule = rb.by_id.get(el.rule)
            if rule is None:
                problems.append(f"{where}: onbekende regel '{el.rule}'")
            elif rule.then.clause != cid:
                problems.append(f"{where}: regel '{el.rule}' vraagt clausule '{rule.then.clause}', niet '{cid}'")
            for source in (el.near, el.present, el.accept, el.refuse, el.placeholder):
                regex(where, source)
            if el.quantity:
                for v in el.quantity.values:
                    regex(where, v.re if isinstance(v, Scaled) else v)
                bound(where, el.quantity.at_least)
                bound(where, el.quantity.at_most)
            if el.majority:
                regex(where, el.majority.of)
                bound(where, el.majority.at_least)
                bound(where, el.majority.at_most)
    for m in data.words.majorities:
        regex("words.yaml", m.re)
    regex("words.yaml: modifiers", data.words.modifiers)
    rec = data.recognition
    for form, spec in rec.forms.items():
        for source in spec.patterns:
            regex(f"recognition.yaml: forms.{form.value}", source)
    for kind in rec.documents.values():
        for source in kind.patterns:
            regex("recognition.yaml: documents", source)
    for form, doc in rec.document_of_form.items():
        if doc not in rec.documents:
            problems.append(f"recognition.yaml: document_of_form.{form.value}: onbekend document '{doc}'")
    outdated_ids = {o.id for o in data.outdated}
    for basis in rec.bases:
        for source in basis.patterns:
            regex(f"recognition.yaml: bases.{basis.id}", source)
        if basis.outdated and basis.outdated not in outdated_ids:
            problems.append(f"recognition.yaml: bases.{basis.id}: onbekend item '{basis.outdated}' van outdated.yaml")
    part = rec.participants
    regex("recognition.yaml: commentary", rec.commentary)
    regex("recognition.yaml: participants", part.sections)
    regex("recognition.yaml: participants", part.prefix)
    for source in (s for kind in part.kinds.values() for s in kind):
        regex("recognition.yaml: participants.kinds", source)
    try:
        re.compile(rec.name.pattern)
    except re.error as exc:
        problems.append(f"recognition.yaml: name.pattern: ongeldig patroon ({exc})")
    for cid in part.clauses + [rec.purpose.clause, rec.name.clause]:
        if cid not in rb.clauses:
            problems.append(f"recognition.yaml: onbekende clausule '{cid}'")
    for code, sources in rec.domain_stems.items():
        if code not in lexicon().domain_labels:
            problems.append(f"recognition.yaml: domain_stems: onbekend domein '{code}'")
        for source in sources:
            regex(f"recognition.yaml: domain_stems.{code}", source)
    for role, sources in rec.purpose.sector_roles.items():
        if role not in lexicon().roles:
            problems.append(f"recognition.yaml: purpose.sector_roles: onbekende sectorrol '{role}'")
        for source in sources:
            regex(f"recognition.yaml: purpose.sector_roles.{role}", source)
    seen: set[str] = set()
    for item in data.outdated:
        where = f"outdated.yaml: {item.id}"
        if item.id in seen:
            problems.append(f"{where}: id komt twee keer voor")
        seen.add(item.id)
        for source in item.patterns + [item.except_ or None]:
            regex(where, source)
        c = item.source
        if c.law not in rb.laws.laws:
            problems.append(f"{where}: onbekende wet '{c.law}'")
        elif rb.laws.laws[c.law].indexed and c.article is not None and (c.law, c.article) not in index:
            problems.append(f"{where}: {c.law} art. {c.article} staat niet in articles.yaml")
        if c.verified and not (c.url and c.url.startswith("https://")):
            problems.append(f"{where}: verified: true vereist een https-url naar de bron")
    return problems
