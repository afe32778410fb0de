"""Exception hierarchy; each error carries the process exit status the CLI uses."""
from __future__ import annotations

import datetime as dt


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


EXCERPT_CHARS = 60  # an error message quotes at most this much of what the user gave


class _Short:
    """A bounded picture of any value: a huge list, a deep structure or a 5,000-digit number are
    never rendered in full (an alias bomb in an error message once printed 300 MB)."""

    def __init__(self) -> None:
        import reprlib
        self.repr = reprlib.Repr()
        self.repr.maxlevel, self.repr.maxlist, self.repr.maxdict = 2, 4, 3
        self.repr.maxstring, self.repr.maxother = EXCERPT_CHARS, EXCERPT_CHARS
        self.repr.repr_int = lambda value, level: _number(value)  # type: ignore[method-assign]


def _number(value: int) -> str:
    if value.bit_length() <= 64:
        return str(value)
    return f"een getal van ongeveer {int(value.bit_length() * 0.30103) + 1} cijfers"


def excerpt(value: object) -> str:
    """What the user gave, as written in YAML/JSON (true, not True; a date as 2026-06-01), quoted for
    an error message: at most EXCERPT_CHARS characters, then '…'. Control characters show as escapes
    (repr), so a message never drives the terminal."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return _number(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, str):
        shown = repr(value[:EXCERPT_CHARS])
        return shown + "…" if len(value) > EXCERPT_CHARS else shown
    shown = _SHORT.repr.repr(value)
    return shown[:EXCERPT_CHARS] + "…" if len(shown) > EXCERPT_CHARS else shown


_SHORT = _Short()


def os_reason(exc: OSError) -> str:
    """Why the system refused a read or a write, in Dutch (the system's own words are English)."""
    import errno
    import socket
    reasons = {
        errno.EACCES: "geen toegang", errno.EPERM: "niet toegestaan", errno.ENOENT: "bestaat niet",
        errno.ENOTDIR: "een deel van het pad is geen map", errno.EISDIR: "is een map",
        errno.ELOOP: "te veel symbolische koppelingen (een lus?)", errno.ENAMETOOLONG: "de naam is te lang",
        errno.ENOSPC: "de schijf is vol", errno.EDQUOT: "het schijfquotum is op",
        errno.EROFS: "het bestandssysteem is alleen-lezen", errno.EBUSY: "het bestand is bezet",
        errno.ETXTBSY: "het bestand is bezet", errno.EFBIG: "het bestand wordt te groot",
        errno.EIO: "invoer-/uitvoerfout", errno.EXDEV: "een andere schijf",
        errno.EADDRINUSE: "het adres is al in gebruik", errno.EADDRNOTAVAIL: "dit adres hoort niet bij deze computer",
        socket.EAI_NONAME: "onbekende naam", socket.EAI_AGAIN: "de naam kan nu niet opgezocht worden",
    }
    return reasons.get(exc.errno, exc.strerror or type(exc).__name__)
