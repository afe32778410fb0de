"""The casebook (cases/): real and edge cases with a narrative and a learning point, and the quiz
that trains with them. The right answer is always what the advisor says today, not a stored key."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, ValidationError

from advisor.advise import advise
from advisor.errors import InputError
from advisor.models import Advice, CitationOut
from advisor.paths import CASES_DIR
from advisor.rulebase import default_rulebase
from advisor.intake import load_data_file

NONE_ANSWER = "geen"


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    source: str
    narrative: str
    learning_point: str
    intent: dict[str, Any]
    expected: dict[str, Any] = {}


def load_cases(directory: Path | None = None) -> list[Case]:
    directory = Path(directory or CASES_DIR)
    if not directory.is_dir():
        raise InputError(f"--cases: '{directory}' is geen map met casussen")
    cases = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            cases.append(Case.model_validate(load_data_file(path)))
        except ValidationError as exc:
            raise InputError(f"{path}: geen geldige casus ({exc.error_count()} fouten)") from None
    if not cases:
        raise InputError(f"--cases: '{directory}' bevat geen casussen (*.yaml)")
    return cases


class QuizResult(BaseModel):
    case: str
    title: str
    answer: str
    correct_answer: str
    correct: bool
    explanation: str
    articles: list[str]
    learning_point: str
    citations: list[CitationOut] = []  # the articles with their verification status


def marked(citations: list[CitationOut]) -> str:
    """Citations as a trainee reads them, with the ones still to verify marked."""
    return "; ".join(c.cite + ("" if c.verified else " (te verifiëren)") for c in citations)


def answer_code(text: str) -> str:
    """A trainee's answer: a form code, a form number (1-5, lightest first) or 'geen'."""
    text = text.strip().lower()
    codes = [f.code.value for f in default_rulebase().forms]
    if text.isdigit() and 1 <= int(text) <= len(codes):
        return codes[int(text) - 1]
    if text in (str(len(codes) + 1), NONE_ANSWER, "geen vorm", "null"):
        return NONE_ANSWER
    if text in codes:
        return text
    raise InputError(f"antwoord '{text}': kies een nummer 1-{len(codes) + 1}, een vormcode of 'geen'")


def grade(case: Case, answer: str, day: dt.date | None = None) -> QuizResult:
    advice: Advice = advise(case.intent, day, open_questions=False)
    right = advice.recommended_form.value if advice.recommended_form else NONE_ANSWER
    if advice.recommended_form:
        fa = next(f for f in advice.forms if f.form == advice.recommended_form)
        reasons = fa.reasons
    else:
        reasons = [r for f in advice.findings if f.kind == "recommendation" for r in [f]]
    explanation = " ".join(r.message for r in reasons[:2])
    articles = sorted({a for r in reasons for a in r.articles})
    citations = sorted({c.cite: c for r in reasons for c in r.citations}.values(), key=lambda c: c.cite)
    return QuizResult(case=case.id, title=case.title, answer=answer, correct_answer=right,
                      correct=answer == right, explanation=explanation, articles=articles,
                      learning_point=case.learning_point, citations=citations)


def run_quiz(cases: list[Case], ask: Callable[[Case], str], day: dt.date | None = None) -> list[QuizResult]:
    return [grade(case, answer_code(ask(case)), day) for case in cases]
