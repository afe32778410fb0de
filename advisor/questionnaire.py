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
from advisor.intake import parse_answers as check_partial, parse_intent  # partial answers: the boundary checks them
from advisor.models import AnswerOutcome, CooperationIntent, OpenQuestion
from advisor.paths import RULES_DIR
from advisor.rulebase import RuleBase
from advisor.vocabulary import Form
from advisor.render import PARTNER_KIND_LABELS
from advisor.vocabulary import PartnerKind
from advisor.yamlio import load_yaml_text

MISSING = object()


class AskIf(BaseModel):
    """When a question is asked: the answer to `field` equals a value, or (a list of tags) holds
    one of the tags in `any_of`. An unanswered field holds nothing."""
    model_config = ConfigDict(extra="forbid")
    field: str
    equals: Any = MISSING
    any_of: list[str] | None = None

    def holds(self, answers: dict[str, Any]) -> bool:
        value = get(answers, self.field)
        if self.any_of is not None:  # tags as the advisor reads them: a synonym counts as its code
            from advisor.lexicon import lexicon
            return isinstance(value, list) and bool({lexicon().domain(str(v)) for v in value} & set(self.any_of))
        return value == self.equals

    def possible(self, answers: dict[str, Any]) -> bool:
        """Can it still hold: it holds, or its field is not answered yet."""
        return get(answers, self.field) is MISSING or self.holds(answers)


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


def options(q: Question, answers: dict[str, Any]) -> dict[str, str]:
    """The choices in the order offered: for the sector roles, the roles of the domains ticked
    first (rules/vocabulary.yaml says which domains a role belongs to), then the others."""
    if q.choices_from != "sector_roles":
        return q.choices
    from advisor.lexicon import lexicon
    ticked = get(answers, "purpose.domains")
    domains = set(lexicon().domains(ticked, [])) if isinstance(ticked, list) else set()
    roles = lexicon().roles
    first = [code for code in q.choices if set(roles[code].domains) & domains]
    return {code: q.choices[code] for code in first + [c for c in q.choices if c not in first]}


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
    """The answers without that field; a group left empty by it goes too (no `spatial_planning: {}`)."""
    result = copy.deepcopy(answers)
    *parents, leaf = path.split(".")
    chain = [result]
    for key in parents:
        node = chain[-1].get(key) if isinstance(chain[-1], dict) else None
        if not isinstance(node, dict):
            return result
        chain.append(node)
    chain[-1].pop(leaf, None)
    for key, parent, node in reversed(list(zip(parents, chain, chain[1:]))):
        if not node:
            parent.pop(key, None)
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
        if q.ask_if is not None and not q.ask_if.holds(answers):
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
        parts.append("het antwoord beslist mee welke vorm past (" + ", ".join(f.lower() for f in forms) + ")")
    if articles:
        parts.append("het bepaalt welke regels gelden (" + "; ".join(articles[:4]) + ")")
    sentence = "; ".join(parts)
    return Why(forms=forms, articles=articles, text=f"Waarom deze vraag? {sentence[0].upper()}{sentence[1:]}.")


def relevant(q: Question, answers: dict[str, Any], day: dt.date | None = None) -> bool:
    if q.ask_if is not None:
        return q.ask_if.holds(answers)
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


def _problem(q: Question, message: str) -> InputError:
    """A validation error that names the question as the user read it, not the intent field."""
    return InputError(f"{q.text} {message[0].upper()}{message[1:]}.")


def validate_answer(q: Question, raw: Any, blank_is_unknown: bool = True) -> Any:
    """An answer as typed or chosen -> the value for the intent field; InputError in Dutch.
    A blank answer means "weet niet" only where the user was told so (blank_is_unknown)."""
    if q.type == "tags":
        return _tags(q, raw)
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "weet niet", "?")):
        if q.unknown and (blank_is_unknown or isinstance(raw, str) and raw.strip()):
            return None
        if q.optional:
            return None
        if q.type in ("choice", "bool"):
            raise _problem(q, "kies een antwoord" + (" of 'Weet niet'" if q.unknown else ""))
        raise _problem(q, "vul een antwoord in" + (" of kies 'Weet niet'" if q.unknown else ""))
    if q.type == "text":
        text = str(raw).strip()
        if len(text) > 300:
            raise _problem(q, "hoogstens 300 tekens")
        return text
    if q.type == "choice":
        if raw not in q.choices:
            raise _problem(q, "kies uit: " + "; ".join(q.choices.values()))
        return raw
    if q.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("ja", "j", "true"):
            return True
        if text in ("nee", "n", "false"):
            return False
        raise _problem(q, "antwoord ja, nee" + (" of weet niet" if q.unknown else ""))
    if q.type == "int":
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise _problem(q, f"{excerpt(raw)} is geen geheel getal") from None
        if (q.min is not None and number < q.min) or (q.max is not None and number > q.max):
            raise _problem(q, f"kies een getal van {q.min} tot {q.max}")
        return number
    raise _problem(q, "dit antwoord wordt met de deelnemerslijst ingevuld")


def _tags(q: Question, raw: Any) -> list[str]:
    """Tags ticked (a list) or typed (separated by commas); none is an answer too: []."""
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else None
    if items is None:
        raise _problem(q, "kies een of meer van: " + "; ".join(q.choices.values()))
    chosen = {str(item).strip() for item in items} - {""}
    unknown = sorted(chosen - set(q.choices))
    if unknown:
        raise _problem(q, f"'{unknown[0]}' is geen keuze; kies uit: " + "; ".join(q.choices.values()))
    return [tag for tag in q.choices if tag in chosen]


# ------------------------------------------------------------ moving through the questions
def applicable(q: Question, answers: dict[str, Any]) -> bool:
    """Not ruled out by its ask_if (an answer kept for a question that no longer applies is not shown)."""
    return q.ask_if is None or q.ask_if.holds(answers)


def previous(answers: dict[str, Any], qid: str | None) -> Question | None:
    """The question before qid (None: before the overview) that was answered and still applies."""
    order = questions()
    end = next((i for i, q in enumerate(order) if q.id == qid), len(order))
    return next((q for q in reversed(order[:end]) if answered(answers, q) and applicable(q, answers)), None)


def following(answers: dict[str, Any], qid: str, revisited: bool = True, day: dt.date | None = None) -> Question | None:
    """The question after qid. After an answer that was given before (the user went back): the next
    one already answered (so going back and forth shows every kept answer) or the next one to ask,
    whichever comes first. After a new answer: the next one to ask. None: the overview."""
    upcoming = next_question(answers, day)
    if not revisited:
        return upcoming
    order = questions()
    start = next((i + 1 for i, q in enumerate(order) if q.id == qid), 0)
    for q in order[start:]:
        if q is upcoming or (answered(answers, q) and applicable(q, answers)):
            return q
    return upcoming


def by_id(qid: Any) -> Question | None:
    return next((q for q in questions() if q.id == qid), None)


def progress(answers: dict[str, Any], q: Question) -> tuple[int, int]:
    """(n, most): q is question n of at most `most`, counting the questions answered before it and
    those after it that can still be asked (an ask_if that can no longer hold rules one out)."""
    order = questions()
    at = order.index(q)
    before = sum(answered(answers, x) and applicable(x, answers) for x in order[:at])
    after = sum(answered(answers, x) or x.ask_if is None or x.ask_if.possible(answers) for x in order[at + 1:])
    return before + 1, before + 1 + after


def put_answer(answers: dict[str, Any], q: Question, value: Any) -> dict[str, Any]:
    """Record an answer; an answer to a question that this answer rules out is dropped (a
    spatial-planning answer after the spatial domain was unticked), so nothing unseen counts."""
    result = put(answers, q.field, value)
    for other in questions():
        if (other.ask_if is not None and answered(result, other) and other.ask_if.holds(answers)
                and not other.ask_if.holds(result)):
            result = drop(result, other.field)
    return result


def question_of(path: str) -> Question | None:
    """The question that asks an intent field (partners[0].kind -> the partners question)."""
    plain = path.split("[", 1)[0]
    return next((q for q in questions() if plain == q.field or plain.startswith(q.field + ".")), None)


PARTNER_PARTS = {"name": "naam", "kind": "soort", "sector": "sector"}


def validate_partners(q: Question, partners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A partner list as entered, checked like the intent; errors name the question and the partner."""
    import re
    try:
        check_partial({q.field: partners})
    except InputError as exc:
        problems = []
        for line in exc.problems:
            where, _, message = line.partition(": ")
            found = re.fullmatch(r"[a-z_.]+\[(\d+)\](?:\.(\w+))?", where)
            part = f"deelnemer {int(found.group(1)) + 1}" + (f", {PARTNER_PARTS.get(found.group(2), found.group(2))}"
                                                          if found.group(2) else "") if found else where
            problems.append(f"{q.text} {part[0].upper()}{part[1:]}: {message}")
        raise InputError(problems) from None
    return partners


def shown(q: Question, value: Any) -> str:
    """An answer as the user reads it back (review page, terminal overview)."""
    if value is None:
        return "niet ingevuld" if q.type == "text" else "weet niet"
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
