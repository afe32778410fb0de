"""Load and validate the rule base in rules/ (the law as data) and select it at a date.

Layout: rules/laws.yaml (the sources cited), rules/forms.yaml (the five forms, lightest first),
rules/articles.yaml (the article index), rules/<folder>/parameters.yaml (dated numbers and
lists), every other rules/<folder>/*.yaml a list of rules. See rules/README.md.
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
import typing
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from advisor.errors import RuleBaseError
from advisor.models import DECISION_FACTS, DecisionFacts
from advisor.paths import RULES_DIR
from advisor.vocabulary import DEFAULT_SCOPE, REASON_OUTCOMES, Form, Outcome, Scope
from advisor.yamlio import load_yaml_text

Scalar = Union[bool, int, str, None]


class _Strict(BaseModel):
    # defer_build: with the compiled cache the rule models are unpickled, never validated
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Citation(_Strict):
    law: str
    article: str | None  # None: the provision is known, its article number is not
    paragraph: str | None = None
    url: str | None = None
    verified: bool
    confidence: Literal["high", "medium", "low"]
    note: str | None = None
    forms: list[Form] = []  # the citation concerns only these forms (a draft grounds their clauses on it)
    # a few Dutch key phrases, as the decree words them, that the article must contain for the
    # rule to rest on it: `igs-advisor law check` looks for them in the official text
    terms: list[Annotated[str, Field(min_length=2)]] = []
    # who confirmed the number: "codex, <date of the text>, <its hash>" (igs-advisor law check --record;
    # "import" for a text the user imported from a file)
    verified_by: Annotated[str, Field(pattern=r"^(codex|import), \d{4}-\d{2}-\d{2}, [0-9a-f]{8,64}$")] | None = None

    @model_validator(mode="after")
    def _verified_needs_article(self) -> "Citation":
        if self.article is None and self.verified:
            raise ValueError("een bepaling zonder artikelnummer kan niet geverifieerd zijn")
        if self.verified_by and not self.verified:
            raise ValueError("verified_by zonder verified: true")
        return self


class ParamRef(_Strict):
    param: str


Operand = Union[ParamRef, Scalar, list[Scalar]]
OPERATORS = (
    "equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte",
    "contains", "intersects", "only_in", "any_not_in",
)
LIST_OPERATORS = {"contains", "intersects", "only_in", "any_not_in"}
NUMBER_OPERATORS = {"gt", "gte", "lt", "lte"}
SET_OPERANDS = {"in", "not_in", "intersects", "only_in", "any_not_in"}


class Leaf(_Strict):
    """One test on one fact; exactly one operator."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
    fact: str
    equals: Operand = None
    not_equals: Operand = None
    in_: Operand = Field(None, alias="in")
    not_in: Operand = None
    gt: Operand = None
    gte: Operand = None
    lt: Operand = None
    lte: Operand = None
    contains: Operand = None
    intersects: Operand = None
    only_in: Operand = None
    any_not_in: Operand = None

    @model_validator(mode="before")
    @classmethod
    def _one_operator(cls, data: Any) -> Any:
        if isinstance(data, dict):
            ops = [k for k in data if k != "fact"]
            if len(ops) != 1:
                raise ValueError(f"een voorwaarde heeft precies één operator, niet {ops}")
            if ops[0] not in OPERATORS:
                raise ValueError(f"onbekende operator '{ops[0]}' (kies uit {', '.join(OPERATORS)})")
        return data

    @property
    def op(self) -> tuple[str, Operand]:
        for name in OPERATORS:
            if name in self.model_fields_set or (name == "in" and "in_" in self.model_fields_set):
                return name, getattr(self, "in_" if name == "in" else name)
        raise AssertionError("unreachable: validated to have one operator")


class All(_Strict):
    all: Annotated[list["Condition"], Field(min_length=1)]


class AnyOf(_Strict):
    any: Annotated[list["Condition"], Field(min_length=1)]


Condition = Union[All, AnyOf, Leaf]


class Then(_Strict):
    outcome: Outcome
    message: Annotated[str, Field(min_length=1)]
    clause: str | None = None  # clause id a draft must contain (for obligations)
    # an exclusion because a threshold or condition is not met is reported as a constraint
    report_as: Literal["constraint"] | None = None

    @model_validator(mode="after")
    def _report_as_exclusion(self) -> "Then":
        if self.report_as and self.outcome is not Outcome.exclusion:
            raise ValueError("report_as geldt enkel voor een uitsluiting")
        return self


class Rule(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")]
    title: str
    source: Citation
    see_also: list[Citation] = []
    valid_from: dt.date
    valid_until: dt.date | None = None
    forms: list[Form] = []
    scope: Scope | None = None
    overrides: list[str] = []
    when: Condition | None = None  # absent: applies whenever its forms are in play
    then: Then

    @property
    def citations(self) -> list[Citation]:
        return [self.source, *self.see_also]

    @property
    def verified(self) -> bool:
        return all(c.verified for c in self.citations)

    @property
    def effective_scope(self) -> Scope:
        return self.scope or DEFAULT_SCOPE.get(self.then.outcome, Scope.open)

    def active(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class ParamValue(_Strict):
    valid_from: dt.date
    valid_until: dt.date | None = None
    value: Any


class Parameter(_Strict):
    description: str
    source: Citation
    values: Annotated[list[ParamValue], Field(min_length=1)]

    def at(self, day: dt.date) -> Any:
        hits = [v.value for v in self.values
                if v.valid_from <= day and (v.valid_until is None or day <= v.valid_until)]
        if len(hits) != 1:
            raise RuleBaseError(f"parameter heeft {len(hits)} waarden op {day}")
        return hits[0]


class Law(_Strict):
    label: str
    title: str
    cite: str  # format of a printed citation, with {article}
    indexed: bool  # every cited article must be in articles.yaml
    ground: bool = True  # can be the legal ground of a clause; false: a source mentioned, never the ground
    codex: int | None = None  # document id in the Vlaamse Codex (igs-advisor law fetch)


class Scope_(_Strict):
    law: str
    valid_from: dt.date
    message: str


class Laws(_Strict):
    advisor_scope: Scope_
    laws: dict[str, Law]
    council_competence: list[Citation] = []  # "Bevoegdheid" of a model council decision


class Fiche(_Strict):
    """A form's card: who may join, duration, organs, founding. Text may use {param:...}."""

    participants: str
    duration: str
    organs: str
    founding: str


class FormSpec(_Strict):
    code: Form
    label: str
    short: str
    legal_personality: bool
    management_transfer: bool
    definition: Citation
    fiche: Fiche


DOCUMENTS = tuple(f.value for f in Form) + ("beleidsplan_ruimte", "raadsbesluit")


class ClauseSpec(_Strict):
    title: str
    documents: Annotated[list[Literal[DOCUMENTS]], Field(min_length=1)]  # type: ignore[valid-type]


class ArticleEntry(_Strict):
    law: str
    article: str
    subject: str
    status: Literal["encoded", "informative", "not_decision_relevant"]
    reason: str | None = None
    confidence: Literal["high", "medium", "low", "none"]
    verified: bool
    sources: list[str] = []
    note: str | None = None
    # recorded by `igs-advisor law check --record`: the Codex article id and the hash of the
    # text in force when the rule base was last checked against it
    codex_id: int | None = None
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{8,64}$")] | None = None


_PLACEHOLDER = re.compile(r"\{([a-z_]+:)?([a-z0-9_.]+)\}")


@dataclass(frozen=True)
class Snapshot:
    """The rule base as in force on one date: active rules and resolved parameters."""

    day: dt.date
    rules: tuple[Rule, ...]
    params: dict[str, Any]
    key: str  # identifies the compiled ruleset: same rules and values, same key


class RuleBase:
    def __init__(self, root: Path = RULES_DIR):
        self.root = root
        everything = sorted(root.rglob("*.yaml"))
        files = [p for p in everything if not {"data", "statutes"} & set(p.relative_to(root).parts)]
        digest = hashlib.sha256()
        for path in everything:  # the data (municipalities, regions) is part of the rule base's identity
            if path not in files:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
        self._files: dict[str, str] = {}
        self._snapshots: dict[dt.date, Snapshot] = {}
        self.rules: list[Rule] = []
        self.params: dict[str, Parameter] = {}
        raw_laws = raw_forms = raw_articles = raw_clauses = None
        for path in files:
            text = path.read_text(encoding="utf-8")
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + text.encode())
            data = _load(path, text)
            rel = path.relative_to(root).as_posix()
            if rel == "laws.yaml":
                raw_laws = data
            elif rel == "forms.yaml":
                raw_forms = data
            elif rel == "articles.yaml":
                raw_articles = data
            elif rel == "clauses.yaml":
                raw_clauses = data
            elif rel in ("questions.yaml", "vocabulary.yaml", "topics.yaml"):
                continue  # read by the questionnaire and advisor/lexicon.py
            elif path.name == "parameters.yaml":
                for name, spec in (data or {}).items():
                    if name in self.params:
                        raise RuleBaseError(f"{rel}: parameter '{name}' bestaat al")
                    self.params[name] = _parse(Parameter, spec, f"{rel}: {name}")
            else:
                if not isinstance(data, list):
                    raise RuleBaseError(f"{rel}: een regelbestand is een lijst van regels")
                for i, spec in enumerate(data):
                    rule = _parse(Rule, spec, f"{rel}[{i}]")
                    self.rules.append(rule)
                    self._files[rule.id] = rel
        self.digest = digest.hexdigest()
        self.laws = _parse(Laws, raw_laws, "laws.yaml")
        forms = [_parse(FormSpec, f, f"forms.yaml[{i}]") for i, f in enumerate(raw_forms or [])]
        if sorted(f.code for f in forms) != sorted(Form):
            raise RuleBaseError("forms.yaml: moet elk van de vijf vormen precies één keer noemen")
        self.forms = forms  # lightest first
        self.articles = [_parse(ArticleEntry, a, f"articles.yaml[{i}]")
                         for i, a in enumerate(raw_articles or [])]
        self.clauses: dict[str, ClauseSpec] = {
            cid: _parse(ClauseSpec, spec, f"clauses.yaml: {cid}") for cid, spec in (raw_clauses or {}).items()}
        self._validate()

    # ----------------------------------------------------------------- lookups
    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def form_labels(self) -> dict[str, str]:
        return {f.code.value: f.label for f in self.forms}

    def file_of(self, rule_id: str) -> str:
        return self._files[rule_id]

    def cite(self, c: Citation) -> str:
        law = self.laws.laws[c.law]
        if c.article is None:
            return f"{law.label} (artikelnummer niet geïdentificeerd)"
        text = law.cite.format(article=c.article)
        if not c.paragraph:
            return text
        return f"{text} {c.paragraph}" if c.paragraph.startswith("§") else f"{text}, {c.paragraph}"

    @property
    def earliest_date(self) -> dt.date:
        return self.laws.advisor_scope.valid_from

    def at(self, day: dt.date) -> Snapshot:
        snap = self._snapshots.get(day)
        if snap is None:
            snap = self._snapshots[day] = _snapshot(self, day)
        return snap

    # ----------------------------------------------------------------- validation
    def _validate(self) -> None:
        problems: list[str] = []
        fact_types = {name: f.annotation for name, f in DecisionFacts.model_fields.items()}
        index = {(a.law, a.article) for a in self.articles}
        problems += [f"laws.yaml: council_competence: onbekende wet '{c.law}'"
                     for c in self.laws.council_competence if c.law not in self.laws.laws]
        seen: set[str] = set()
        for rule in self.rules:
            where = f"{self._files[rule.id]}: {rule.id}"
            if rule.id in seen:
                problems.append(f"{where}: id komt twee keer voor")
            seen.add(rule.id)
            prefix = rule.id.split("-", 1)[0]
            if prefix not in self.laws.laws and prefix != "beleid":
                problems.append(f"{where}: id begint niet met een wetcode of 'beleid'")
            for c in rule.citations:
                if c.law not in self.laws.laws:
                    problems.append(f"{where}: onbekende wet '{c.law}'")
                    continue
                if (self.laws.laws[c.law].indexed and c.verified and not c.verified_by
                        and not (c.url and c.url.startswith("https://"))):
                    problems.append(f"{where}: verified: true vereist een https-url naar de bron")
                elif (self.laws.laws[c.law].indexed and c.article is not None
                      and (c.law, c.article) not in index):
                    problems.append(f"{where}: {c.law} art. {c.article} staat niet in articles.yaml")
            if rule.then.clause and rule.then.clause not in self.clauses:
                problems.append(f"{where}: clausule '{rule.then.clause}' staat niet in clauses.yaml")
            if rule.valid_until and rule.valid_until < rule.valid_from:
                problems.append(f"{where}: valid_until ligt vóór valid_from")
            outcome = rule.then.outcome
            if outcome in REASON_OUTCOMES and outcome is not Outcome.recommendation and not rule.forms:
                problems.append(f"{where}: outcome '{outcome}' vereist 'forms'")
            facts_used = set(_facts_in(rule.when))
            if outcome in (Outcome.exclusion, Outcome.not_recommended) and facts_used & DECISION_FACTS:
                problems.append(f"{where}: een uitsluiting mag niet afhangen van de keuze van vorm")
            for leaf in leaves(rule.when):
                problems += [f"{where}: {p}" for p in self._check_leaf(leaf, fact_types)]
            for kind, name in _PLACEHOLDER.findall(rule.then.message):
                if kind == "param:" and name not in self.params:
                    problems.append(f"{where}: onbekende parameter '{name}' in de boodschap")
                elif kind == "num:" and name not in fact_types and name not in self.params:
                    problems.append(f"{where}: onbekend feit of parameter '{name}' in de boodschap")
                elif kind in ("", "label:") and name not in fact_types:
                    problems.append(f"{where}: onbekend feit '{name}' in de boodschap")
                elif kind not in ("", "label:", "num:", "param:"):
                    problems.append(f"{where}: onbekende soort plaatshouder '{kind}'")
        for rule in self.rules:
            for other in rule.overrides:
                if other not in seen:
                    problems.append(f"{rule.id}: overrides onbekende regel '{other}'")
        for name, p in self.params.items():
            if p.source.law not in self.laws.laws or (
                    self.laws.laws[p.source.law].indexed and p.source.article is not None
                    and (p.source.law, p.source.article) not in index):
                problems.append(f"parameter {name}: bron {p.source.law} art. {p.source.article} "
                                "staat niet in articles.yaml")
        for f in self.forms:
            if (f.definition.law, f.definition.article) not in index:
                problems.append(f"forms.yaml: {f.code}: bron staat niet in articles.yaml")
            for text in f.fiche.model_dump().values():
                for kind, name in _PLACEHOLDER.findall(text):
                    if kind != "param:" or name not in self.params:
                        problems.append(f"forms.yaml: {f.code}: onbekende plaatshouder '{kind}{name}'")
        from advisor.lexicon import lexicon
        for role in lexicon().roles.values():
            if role.law not in self.laws.laws:
                problems.append(f"vocabulary.yaml: sectorrol {role.code}: onbekende wet '{role.law}'")
        if problems:
            raise RuleBaseError("De regelbank is ongeldig:\n  " + "\n  ".join(problems))

    def _check_leaf(self, leaf: Leaf, fact_types: dict[str, Any]) -> list[str]:
        if leaf.fact not in fact_types:
            return [f"onbekend feit '{leaf.fact}'"]
        op, operand = leaf.op
        is_list = "list" in str(fact_types[leaf.fact])
        if (op in LIST_OPERATORS) != is_list:
            return [f"operator '{op}' past niet bij feit '{leaf.fact}'"]
        if isinstance(operand, ParamRef):
            if operand.param not in self.params:
                return [f"onbekende parameter '{operand.param}'"]
            return []
        if op in SET_OPERANDS and not isinstance(operand, list):
            return [f"operator '{op}' verwacht een lijst"]
        if op in NUMBER_OPERATORS and (isinstance(operand, bool) or not isinstance(operand, int)):
            return [f"operator '{op}' verwacht een getal"]
        # literal values must be values the fact can take (catches typos in enum values and codes)
        values = operand if isinstance(operand, list) else [operand]
        if leaf.fact == "sector_roles":
            from advisor.lexicon import lexicon
            return [f"onbekende sectorrol {v!r} (rules/vocabulary.yaml)" for v in values
                    if v not in lexicon().roles]
        field_type = fact_types[leaf.fact]
        problems = []
        for v in values:
            if op in LIST_OPERATORS or v is None:
                continue
            if not _accepts(field_type, v):
                problems.append(f"waarde {v!r} kan feit '{leaf.fact}' niet aannemen")
        return problems


def _has_enum(tp: Any) -> bool:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return True
    return any(_has_enum(arg) for arg in typing.get_args(tp))


def _accepts(tp: Any, value: Any) -> bool:
    """Can a fact of type `tp` take `value`? Enum values are written as strings in rules."""
    try:
        TypeAdapter(tp).validate_python(value, strict=True)
        return True
    except ValidationError:
        pass
    if isinstance(value, str) and _has_enum(tp):
        try:
            TypeAdapter(tp).validate_python(value)
            return True
        except ValidationError:
            return False
    return False


def _load(path: Path, text: str) -> Any:
    try:
        return load_yaml_text(text, str(path))
    except Exception as exc:  # InputError from the loader: here it is a rule-base defect
        raise RuleBaseError(str(exc)) from None


def _parse(model: type[BaseModel], data: Any, where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = [f"{where}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise RuleBaseError("De regelbank is ongeldig:\n  " + "\n  ".join(lines)) from None


def leaves(cond: Condition | None):
    if cond is None:
        return
    if isinstance(cond, Leaf):
        yield cond
    else:
        for sub in cond.all if isinstance(cond, All) else cond.any:
            yield from leaves(sub)


def _facts_in(cond: Condition):
    return (leaf.fact for leaf in leaves(cond))


def rule_stage(rule: Rule) -> int:
    """1: tests only the case; 2: tests the choice of form too."""
    return 2 if set(_facts_in(rule.when)) & DECISION_FACTS else 1


def resolve(operand: Operand, params: dict[str, Any]) -> Any:
    return params[operand.param] if isinstance(operand, ParamRef) else operand


def _snapshot(rb: RuleBase, day: dt.date) -> Snapshot:
    active = tuple(r for r in rb.rules if r.active(day))
    params = {name: p.at(day) for name, p in rb.params.items()
              if any(v.valid_from <= day and (v.valid_until is None or day <= v.valid_until)
                     for v in p.values)}
    key = hashlib.sha256(json.dumps(
        [rb.digest, [r.id for r in active], params], sort_keys=True, default=str
    ).encode()).hexdigest()[:20]
    return Snapshot(day, active, params, key)


@cache
def default_rulebase() -> RuleBase:
    from advisor.cache import cached
    return cached("rulebase", RULES_DIR.rglob("*.yaml"), RuleBase, RuleBase)
