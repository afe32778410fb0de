"""The terminal interview (`igs-advisor ask`): the question bank asked with arrow-key choices,
validated answer by answer, with going back, a review screen, the advice and the draft.

The answers file is an intent file (the contract format) and is written atomically after every
answer, so an interrupted interview resumes where it stopped with nothing lost. Going back shows
the answer given before and keeps every later answer; an existing file is never overwritten
unless the user asks for it.
"""
from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import questionary
import yaml
from questionary import Choice

from advisor.errors import InputError
from advisor.questionnaire import (
    MISSING, Question, answered, check_complete, check_partial, drop, following, get, intent_of,
    next_question, options as options_of, previous, progress, put_answer, questions, shown, validate_answer,
    validate_partners, why,
)
from advisor.render import PARTNER_KIND_LABELS
from advisor.sanitise import visible
from advisor.vocabulary import PartnerKind
from advisor.intake import load_data_file
from advisor.writer import write_file

BACK = "__terug__"
UNKNOWN = "__weet_niet__"
STYLE = questionary.Style([("qmark", "fg:#0b5394 bold"), ("question", "bold"), ("instruction", "fg:#666666")])
SELECT_HINT = "(pijltjes ↑↓ en Enter)"
HEADER = "# Antwoorden van igs-advisor ask: een samenwerkingsintentie (null = weet niet)\n"


def terminal_width() -> int:
    return max(40, shutil.get_terminal_size((80, 24)).columns - 1)


def say(text: str, indent: str = "") -> None:
    """Print a paragraph wrapped to the terminal's width."""
    print(textwrap.fill(visible(text), width=terminal_width(), initial_indent=indent, subsequent_indent=indent,
                        break_on_hyphens=False))


def _wrapped(message: str, hint: str = "") -> str:
    """A prompt's question wrapped to the terminal (after the '? ' mark), its hint on the last line
    when it fits there."""
    lines = textwrap.wrap(message, terminal_width() - 2, break_on_hyphens=False) or [""]
    if hint and len(lines[-1]) + len(hint) + 3 > terminal_width() - 2:
        lines.append("")
    return "\n  ".join(lines)


def _select(message: str, choices: list[Choice], default: Any = None) -> Any:
    chosen = next((c for c in choices if default is not None and c.value == default), None)
    return questionary.select(_wrapped(message, SELECT_HINT), choices=choices, default=chosen,
                              instruction=SELECT_HINT, style=STYLE).unsafe_ask()


def _text(message: str, default: str = "", hint: str = "") -> str:
    """A typed answer; its hint on a line of its own, so that the answer has the line's width."""
    if hint:
        say(hint, "  ")
    return questionary.text(_wrapped(message), default=default, style=STYLE).unsafe_ask()


class Interview:
    def __init__(self, path: Path, answers: dict[str, Any] | None = None):
        self.path = path
        self.answers: dict[str, Any] = answers or {}

    def save(self) -> None:
        write_file(self.path, HEADER + yaml.safe_dump(self.answers, allow_unicode=True, sort_keys=False))

    def set(self, q: Question, value: Any) -> None:
        self.answers = put_answer(self.answers, q, value)
        self.save()

    # ------------------------------------------------------------ asking
    def heading(self, q: Question) -> None:
        n, most = progress(self.answers, q)
        print()
        say(f"Vraag {n} van hoogstens {most}")
        say(q.help, "  ")
        reason = why(q, self.answers)
        if reason:
            say(reason.text, "  ")

    def ask(self, q: Question) -> Any:
        """One question; returns the value, BACK, or raises KeyboardInterrupt. An answer given
        before is the default, so Enter keeps it."""
        can_go_back = previous(self.answers, q.id) is not None
        before = get(self.answers, q.field)
        typed: str | None = None
        self.heading(q)
        while True:
            if q.type == "partners":
                return self.ask_partners(q, can_go_back)
            if q.type == "tags":
                ticked = before if isinstance(before, list) else []
                options = [Choice(label, value, checked=value in ticked) for value, label in options_of(q, self.answers).items()]
                if can_go_back:
                    options.append(Choice("← Vorige vraag", BACK))
                say("Spatie = aanvinken of uitvinken, Enter = klaar; niets aanvinken mag.", "  ")
                raw = questionary.checkbox(_wrapped(q.text, "(spatie, Enter)"), choices=options, instruction="(spatie, Enter)",
                                           style=STYLE).unsafe_ask()
                if BACK in raw:
                    return BACK
            elif q.type in ("choice", "bool"):
                options = ([Choice(label, value) for value, label in q.choices.items()] if q.type == "choice"
                           else [Choice("Ja", True), Choice("Nee", False)])
                if q.unknown:
                    options.append(Choice("Weet niet", UNKNOWN))
                if can_go_back:
                    options.append(Choice("← Vorige vraag", BACK))
                default = UNKNOWN if before is None else None if before is MISSING else before
                raw = _select(q.text, options, default)
            else:
                hints = (["Leeg = weet niet."] if q.unknown else ["Leeg laten mag."] if q.optional else [])
                hints += ["'..' = vorige vraag."] if can_go_back else []
                if hints:
                    say(" ".join(hints), "  ")
                default = typed if typed is not None else "" if before is MISSING or before is None else str(before)
                raw = _text(q.text, default)
                if raw.strip() == ".." and can_go_back:
                    return BACK
            if raw == BACK:
                return BACK
            try:
                return validate_answer(q, "weet niet" if raw == UNKNOWN else raw)
            except InputError as exc:
                for problem in exc.problems:
                    say(f"! {problem}", "  ")
                typed = raw if isinstance(raw, str) else None  # asked again with what was typed

    def ask_partners(self, q: Question, can_go_back: bool) -> Any:
        existing = get(self.answers, q.field)
        partners: list[dict[str, Any]] = list(existing) if isinstance(existing, list) else []
        say(q.text)
        if not partners:
            added = self.ask_partner(q, len(partners), None)
            if added == BACK and can_go_back:
                return BACK
            if isinstance(added, dict):
                partners.append(added)
                self.set(q, partners)
        while True:
            print()
            say("Deelnemers tot nu toe:" if partners else "Nog geen deelnemers.")
            for i, p in enumerate(partners, start=1):
                say(f"{i}. {self.describe(p)}", "  ")
            options = [Choice("Een deelnemer toevoegen", "toevoegen")]
            if partners:
                options += [Choice("Een deelnemer wijzigen", "wijzigen"), Choice("Een deelnemer verwijderen", "verwijderen"),
                            Choice("Klaar met deelnemers", "klaar")]
            if can_go_back:
                options.append(Choice("← Vorige vraag", BACK))
            action = _select("Wat wilt u doen?", options, "klaar" if len(partners) > 1 else "toevoegen")
            if action == BACK:
                return BACK
            if action == "klaar":
                return partners
            if action == "toevoegen":
                added = self.ask_partner(q, len(partners), None)
                if isinstance(added, dict):
                    partners.append(added)
            else:
                which = _select(f"Welke deelnemer {action}?", [Choice(self.describe(p), i) for i, p in enumerate(partners)]
                                + [Choice("Geen (terug)", -1)])
                if which < 0:
                    continue
                if action == "verwijderen":
                    gone = partners.pop(which)
                    say(f"{gone['name']} is verwijderd.", "  ")
                else:
                    changed = self.ask_partner(q, which, partners[which])
                    if isinstance(changed, dict):
                        partners[which] = changed
            if partners:
                self.set(q, partners)
            else:
                self.answers = drop(self.answers, q.field)
                self.save()

    @staticmethod
    def describe(p: dict[str, Any]) -> str:
        kind = PARTNER_KIND_LABELS.get(p["kind"], p["kind"])
        return f"{p['name']} ({kind}" + (f", sector {p['sector']}" if p.get("sector") else "") + ")"

    def ask_partner(self, q: Question, index: int, old: dict[str, Any] | None) -> Any:
        """One partner: name, kind and (private) sector; None when left empty, BACK for '..'."""
        hint = "Leeg = niet toevoegen" + (", '..' = vorige vraag." if old is None else ".")
        if old is not None:
            hint = "Enter = ongewijzigd."
        while True:
            name = _text(f"Naam van deelnemer {index + 1}", old["name"] if old else "", hint).strip()
            if name == ".." and old is None:
                return BACK
            if not name:
                return None
            kind = _select(f"Soort deelnemer voor '{name}'",
                           [Choice(PARTNER_KIND_LABELS[k], k.value) for k in PartnerKind], old["kind"] if old else None)
            partner: dict[str, Any] = {"name": name, "kind": kind}
            if kind == PartnerKind.privaatrechtelijke_rechtspersoon.value:
                sector = _text(q.sector_help or "Sector", (old or {}).get("sector", "")).strip()
                if sector:
                    partner["sector"] = sector
            current = get(self.answers, q.field)
            entered = list(current) if isinstance(current, list) else []
            entered[index:index + 1] = [partner]
            try:
                validate_partners(q, entered)
            except InputError as exc:
                for problem in exc.problems:
                    say(f"! {problem}", "  ")
                continue
            return partner

    # ------------------------------------------------------------ flow
    def welcome(self) -> None:
        first = next_question(self.answers)
        most = progress(self.answers, first)[1] if first else 0
        say("Welkom bij igs-advisor: advies over de rechtsvorm van een intergemeentelijke samenwerking.")
        if first is not None:
            say(f"U krijgt hoogstens {most} vragen; gevraagd wordt enkel wat het advies nog kan veranderen, "
                "en bij elke vraag staat waarom.", "  ")
        say(f"Uw antwoorden worden na elk antwoord bewaard in {self.path}. Kies '← Vorige vraag' of typ '..' "
            "om terug te gaan: uw antwoorden blijven staan. Ctrl-C onderbreekt; verder gaat met "
            f"igs-advisor ask --resume {self.path}.", "  ")

    def run(self) -> int:
        self.welcome()
        q = next_question(self.answers)
        while True:
            if q is None:
                if self.review():
                    return self.finish()
                q = next_question(self.answers)
                continue
            revisited = answered(self.answers, q)
            value = self.ask(q)
            if value == BACK:
                q = previous(self.answers, q.id) or q
                continue
            self.set(q, value)
            q = following(self.answers, q.id, revisited)

    def review(self) -> bool:
        print()
        say("Overzicht van uw antwoorden:")
        asked = [q for q in questions() if answered(self.answers, q)]  # everything the advice uses
        for q in asked:
            say(f"- {q.text}", "  ")
            say(shown(q, get(self.answers, q.field)), "      ")
        choice = _select("Wat nu?", [Choice("Advies tonen", "advies"), Choice("Een antwoord wijzigen", "wijzig")])
        if choice == "advies":
            try:
                check_complete(self.answers)
            except InputError as exc:
                for problem in exc.problems:
                    say(f"! {problem}", "  ")
                return False
            return True
        target = _select("Welke vraag?", [Choice(q.text, q.id) for q in asked] + [Choice("Geen (terug naar het overzicht)", "")])
        q = next((x for x in questions() if x.id == target), None)
        while q is not None:  # the answer, and any question the change opens
            value = self.ask(q)
            if value == BACK:
                return False
            self.set(q, value)
            q = next_question(self.answers)
        return False

    def finish(self) -> int:
        from advisor.advise import advise
        from advisor.receipts import render_advice
        from advisor.rulebase import default_rulebase
        intent = intent_of(self.answers)
        advice = advise(intent)
        print(render_advice(advice, "text", default_rulebase(), width=min(96, terminal_width())))
        say(f"Uw antwoorden staan in {self.path}.")
        if advice.recommended_form is None:
            return 0
        fmt = _select("Ontwerp schrijven?", [Choice("Nee, klaar", "nee"), Choice("Markdown", "md"),
                                             Choice("HTML", "html"), Choice("Word (docx)", "docx")])
        if fmt != "nee":
            from advisor.drafts import draft
            while True:
                target = Path(_text("Bestandsnaam", f"ontwerp.{fmt}"))
                if not target.exists() or _select(f"{target} bestaat al. Overschrijven?",
                                                  [Choice("Nee, een andere naam", False), Choice("Ja", True)]):
                    break
            write_file(target, draft(intent, None, fmt).content)
            say(f"Ontwerp geschreven naar {target}.")
        return 0


def run_interview(output: Path | None, resume: Path | None, overwrite: bool = False) -> int:
    if not sys.stdin.isatty():
        raise InputError("ask: het vraaggesprek heeft een terminal nodig; geef een ingevuld antwoordenbestand "
                         "aan igs-advisor advise BESTAND")
    answers = None
    if resume is not None:
        try:
            answers = check_partial(load_data_file(resume), str(resume))
        except InputError as exc:
            raise InputError([f"--resume {resume}: dit is geen antwoordenbestand van igs-advisor ask "
                              "(een samenwerkingsintentie); er is niets gewijzigd", *exc.problems]) from None
    path = output or resume or Path("antwoorden.yaml")
    if path.exists() and path != resume and not overwrite:
        raise InputError(f"{path}: het bestand bestaat al en wordt niet overschreven; ga ermee verder met "
                         f"--resume {path}, kies een ander bestand met -o, of geef --overwrite")
    interview = Interview(path, answers)
    try:
        return interview.run()
    except (KeyboardInterrupt, EOFError):
        print()
        say(f"Onderbroken. Uw antwoorden zijn bewaard in {path}; ga verder met: igs-advisor ask --resume {path}")
        return 130
