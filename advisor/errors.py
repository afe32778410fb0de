"""Exception hierarchy; each error carries the process exit status the CLI uses."""
from __future__ import annotations

import datetime as dt
from typing import Any

_EXCERPT = 60


def shown(value: Any) -> str:
    """A value as the user wrote it in YAML/JSON (true, not True), quoted at most as a short excerpt."""
    if isinstance(value, bool) or value is None:
        text = {True: "true", False: "false", None: "null"}[value]
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    elif isinstance(value, int) and value.bit_length() > 3 * _EXCERPT:  # repr() refuses over 4,300 digits
        text = f"een getal van ongeveer {int(value.bit_length() * 0.30103) + 1} cijfers"
    else:
        text = repr(value)
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"


class AdvisorError(Exception):
    """An error the user sees as a Dutch message; exit status 1 unless a subclass says otherwise."""

    exit_code = 1


class InputError(AdvisorError):
    """The user's input (intent file, option) is invalid. Exit status 2."""

    exit_code = 2

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class RuleBaseError(AdvisorError):
    """The rule base in rules/ is malformed: a defect of the product, not of the user."""


class EngineError(AdvisorError):
    """The rule engine failed or returned an incomplete result; never give a partial advice."""


class LawError(AdvisorError):
    """The official text cannot be fetched, read or imported (offline, an HTTP error, a file that
    is not a law text). Exit status 2; the local copy of the law is left as it was."""

    exit_code = 2
