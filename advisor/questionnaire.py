"""The questionnaire: the question bank (rules/questions.yaml) and which question comes next.

The answers are an intent in the contract format; a question counts as answered when its field
is present (a null means "weet niet"). Which question comes next is derived from the rule base by
running the real advisor: a question is asked when its possible answers lead to a different advice
(recommended form, statuses or the rules shown), and the difference says why it is asked.
"""
from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from advisor.advise import advise
from advisor.errors import InputError, RuleBaseError, excerpt
from advisor.intake import parse_intent
from advisor.models import AnswerOutcome, CooperationIntent, OpenQuestion
from advisor.paths import RULES_DIR
from advisor.rulebase import RuleBase
from advisor.vocabulary import Form
from advisor.render import PARTNER_KIND_LABELS
from advisor.vocabulary import PartnerKind
from advisor.yamlio import load_yaml_text

MISSING = object()


class AskIf(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str
    equals: Any


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    field: str
    type: Literal["text", "choice", "bool", "int", "partners", "tags"]
    text: str
    help: str
    always: bool = False
    optional: bool = False
    unknown: bool = False
    choices: dict[str, str] = {}
    choices_from: Literal["sector_roles"] | None = None  # choices kept in rules/vocabulary.yaml
    ask_if: AskIf | None = None
    sector_help: str | None = None  # partners: the label of the sector field
    min: int | None = None
    max: int | None = None
    from_reference_year: bool = False  # int: open-question answers from the reference year on


class Why(BaseModel):
    forms: list[str]  # forms whose status depends on the answer
    articles: list[str]  # articles of the rules whose finding depends on the answer
    text: str


@cache
def questions() -> list[Question]:
    path = RULES_DIR / "questions.yaml"
    raw = load_yaml_text(path.read_text(encoding="utf-8"), str(path))
    try:
        out = [Question.model_validate(q) for q in raw]
    except ValidationError as exc:
        raise RuleBaseError(f"questions.yaml: {exc}") from None
    from advisor.lexicon import lexicon
    for q in out:
        if q.choices_from == "sector_roles":
            q.choices = {code: role.label for code, role in lexicon().roles.items()}
    return out


def get(answers: dict[str, Any], path: str) -> Any:
    node: Any = answers
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def put(answers: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    result = copy.deepcopy(answers)
    *parents, leaf = path.split(".")
    node = result
    for key in parents:
        if not isinstance(node.get(key), dict):  # absent, or null ("weet niet" for the whole part)
            node[key] = {}
        node = node[key]
    node[leaf] = value
    return result


def drop(answers: dict[str, Any], path: str) -> dict[str, Any]:
    result = copy.deepcopy(answers)
    *parents, leaf = path.split(".")
    node = result
    for key in parents:
        node = node.get(key, {})
    if isinstance(node, dict):
        node.pop(leaf, None)
    return result


def answered(answers: dict[str, Any], q: Question) -> bool:
    return get(answers, q.field) is not MISSING


def candidates(q: Question, day: dt.date | None) -> list[Any]:
    if q.type == "choice":
        values: list[Any] = list(q.choices)
    elif q.type == "tags":  # each tag on its own, and none: enough to see what a tag can change
        return [[tag] for tag in q.choices] + [[]]
    elif q.type == "bool":
        values = [True, False]
    elif q.type == "int":
        from advisor.insight import thresholds
        from advisor.rulebase import default_rulebase
        rb = default_rulebase()
        fact = q.field.split(".")[-1]
        values = sorted(n for n in thresholds(rb, fact, day or dt.date.today())
                        if (q.min is None or n >= q.min) and (q.max is None or n <= q.max))
    else:
        return []
    return values + ([None] if q.unknown else [])


OPEN_TYPES = ("bool", "choice", "int")
MAX_INT_ANSWERS = 3


def open_questions(intent: CooperationIntent, day: dt.date, current: Form | None,
                   rb: RuleBase | None = None, engine: Any = None) -> list[OpenQuestion]:
    """Every unanswered field of the question bank whose answer changes the recommended form, with
    the form each answer leads to, found by running the advisor. Only questions that know "weet
    niet" count: for them an absent answer is unknown, for the others it is 'nothing asked'."""
    from advisor.advise import recommend
    answers = intent.model_dump(mode="json", exclude_none=True)
    out: list[OpenQuestion] = []
    for q in questions():
        if q.type not in OPEN_TYPES or not q.unknown or get(answers, q.field) is not MISSING:
            continue
        if q.ask_if is not None and get(answers, q.ask_if.field) != q.ask_if.equals:
            continue
        outcomes: list[AnswerOutcome] = []
        values = [v for v in candidates(q, day) if v is not None]
        if q.type == "int" and q.from_reference_year:
            values = sorted({v for v in values if v >= day.year} | {day.year})
        for value in values:
            try:
                form = recommend(put(answers, q.field, value), day, rulebase=rb, engine=engine)
            except InputError:
                continue
            if q.type == "int" and outcomes and outcomes[-1].recommended_form == form:
                continue  # the same outcome as the number before: one answer stands for the run
            outcomes.append(AnswerOutcome(answer=value, label=shown(q, value), recommended_form=form))
        if q.type == "int":
            outcomes = outcomes[:MAX_INT_ANSWERS]
        if any(o.recommended_form != current for o in outcomes):
            out.append(OpenQuestion(field=q.field, question=q.text, answers=outcomes))
    return out


def _signature(answers: dict[str, Any], day: dt.date | None) -> tuple:
    advice = advise(answers, day, open_questions=False)
    shown = {r.rule for fa in advice.forms for r in fa.reasons} | {f.rule for f in advice.findings}
    return advice.recommended_form, tuple(fa.status for fa in advice.forms), frozenset(shown), advice


def why(q: Question, answers: dict[str, Any], day: dt.date | None = None) -> Why | None:
    """What the answer to q can change, given the answers so far; None when nothing."""
    values = candidates(q, day)
    if not values:
        return None
    try:
        outcomes = [_signature(put(answers, q.field, v), day) for v in values]
    except InputError:
        return None
    forms = sorted({fa.label for o in outcomes for fa in o[3].forms
                    if len({x[3].forms[[f.form for f in x[3].forms].index(fa.form)].status for x in outcomes}) > 1})
    rules = set().union(*(o[2] for o in outcomes)) - set.intersection(*(set(o[2]) for o in outcomes))
    if not forms and not rules:
        return None
    articles: list[str] = []
    for o in outcomes:
        for item in [r for fa in o[3].forms for r in fa.reasons] + list(o[3].findings):
            if item.rule in rules:
                articles += [a for a in item.articles if a not in articles]
    parts = []
    if forms:
        parts.append("het antwoord beslist mee over: " + ", ".join(f.lower() for f in forms))
    if articles:
        parts.append("het bepaalt welke regels gelden (" + "; ".join(articles[:4]) + ")")
    return Why(forms=forms, articles=articles, text="Waarom deze vraag? " + "; ".join(parts) + ".")


def relevant(q: Question, answers: dict[str, Any], day: dt.date | None = None) -> bool:
    if q.ask_if is not None:
        return get(answers, q.ask_if.field) == q.ask_if.equals
    if q.always:
        return True
    return why(q, answers, day) is not None


def core_answered(answers: dict[str, Any]) -> bool:
    return all(answered(answers, q) for q in questions() if q.always and not q.optional and q.type != "text"
               ) and answered(answers, questions()[0])


def next_question(answers: dict[str, Any], day: dt.date | None = None) -> Question | None:
    """The first unanswered question that can still matter; None when the interview is done."""
    for q in questions():
        if answered(answers, q):
            continue
        if q.always or q.ask_if is not None:
            if relevant(q, answers, day):
                return q
            continue
        if core_answered(answers) and relevant(q, answers, day):
            return q
    return None


def validate_answer(q: Question, raw: Any) -> Any:
    """An answer as typed or chosen -> the value for the intent field; InputError in Dutch."""
    if q.type == "tags":
        return _tags(q, raw)
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "weet niet", "?")):
        if q.unknown:
            return None
        if q.optional:
            return None
        raise InputError(f"{q.field}: een antwoord is verplicht")
    if q.type == "text":
        text = str(raw).strip()
        if len(text) > 300:
            raise InputError(f"{q.field}: hoogstens 300 tekens")
        return text
    if q.type == "choice":
        if raw not in q.choices:
            raise InputError(f"{q.field}: kies uit: {', '.join(q.choices)}")
        return raw
    if q.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("ja", "j", "true"):
            return True
        if text in ("nee", "n", "false"):
            return False
        raise InputError(f"{q.field}: antwoord ja, nee" + (" of weet niet" if q.unknown else ""))
    if q.type == "int":
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise InputError(f"{q.field}: {excerpt(raw)} is geen geheel getal") from None
        if (q.min is not None and number < q.min) or (q.max is not None and number > q.max):
            raise InputError(f"{q.field}: kies een getal van {q.min} tot {q.max}")
        return number
    raise InputError(f"{q.field}: dit antwoord wordt met de partnerlijst ingevuld")


def _tags(q: Question, raw: Any) -> list[str]:
    """Tags ticked (a list) or typed (separated by commas); none is an answer too: []."""
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else None
    if items is None:
        raise InputError(f"{q.field}: kies een of meer van: {', '.join(q.choices)}")
    chosen = {str(item).strip() for item in items} - {""}
    unknown = sorted(chosen - set(q.choices))
    if unknown:
        raise InputError(f"{q.field}: '{unknown[0]}' is geen keuze; kies uit: {', '.join(q.choices)}")
    return [tag for tag in q.choices if tag in chosen]


def shown(q: Question, value: Any) -> str:
    """An answer as the user reads it back (review page, terminal overview)."""
    if value is None:
        return "weet niet"
    if q.type == "partners":
        return "; ".join(f"{p['name']} ({PARTNER_KIND_LABELS[PartnerKind(p['kind'])]}"
                         + (f", {p['sector']}" if p.get("sector") else "") + ")" for p in value)
    if q.type == "tags":
        return ", ".join(q.choices[tag] for tag in value if tag in q.choices) or "geen"
    if q.type == "choice":
        return q.choices.get(value, value)
    if q.type == "bool":
        return {True: "ja", False: "nee"}.get(value, value)
    return str(value)


def intent_of(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as an intent file: drop fields left empty and optional texts not given."""
    result = copy.deepcopy(answers)
    for q in questions():
        if q.type == "text" and q.optional and get(result, q.field) in (None, ""):
            result = drop(result, q.field)
    return result


def check_complete(answers: dict[str, Any]) -> None:
    parse_intent(intent_of(answers))
