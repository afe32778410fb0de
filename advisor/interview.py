"""The terminal interview (`igs-advisor ask`): the question bank asked with arrow-key choices,
validated answer by answer, with going back, a review screen, the advice and the draft.

The answers file is an intent file (the contract format) and is written atomically after every
answer, so an interrupted interview resumes where it stopped with nothing lost.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import questionary
import yaml
from questionary import Choice

from advisor.errors import InputError
from advisor.questionnaire import (
    Question, answered, check_complete, drop, get, intent_of, next_question, put, questions, shown, why,
)
from advisor.render import PARTNER_KIND_LABELS
from advisor.sanitise import visible
from advisor.vocabulary import PartnerKind
from advisor.intake import load_data_file, parse_answers
from advisor.writer import write_file

BACK = "__terug__"
WHY = "__waarom__"
UNKNOWN = "__weet_niet__"
STYLE = questionary.Style([("qmark", "fg:#0b5394 bold"), ("question", "bold"), ("instruction", "fg:#666666")])


class Interview:
    def __init__(self, path: Path, answers: dict[str, Any] | None = None):
        self.path = path
        self.answers: dict[str, Any] = answers or {}
        self.history: list[str] = [q.id for q in questions() if answered(self.answers, q)]

    def save(self) -> None:
        header = "# Antwoorden van igs-advisor ask: een samenwerkingsintentie (null = weet niet)\n"
        write_file(self.path, header + yaml.safe_dump(self.answers, allow_unicode=True, sort_keys=False))

    def set(self, q: Question, value: Any) -> None:
        self.answers = put(self.answers, q.field, value)
        if q.id in self.history:
            self.history.remove(q.id)
        self.history.append(q.id)
        self.save()

    def back(self) -> None:
        if self.history:
            last_id = self.history.pop()
            last = next(q for q in questions() if q.id == last_id)
            self.answers = drop(self.answers, last.field)
            self.save()

    # ------------------------------------------------------------ asking
    def ask(self, q: Question) -> Any:
        """One question; returns the value, BACK, or raises KeyboardInterrupt."""
        while True:
            reason = why(q, self.answers) if not q.always else None
            instruction = q.help + (f"\n  {reason.text}" if reason else "")
            if q.type == "partners":
                return self.ask_partners(q)
            if q.type == "tags":
                options = [Choice(label, value) for value, label in q.choices.items()]
                if self.history:
                    options.append(Choice("← Vorige vraag", BACK))
                raw = questionary.checkbox(q.text, choices=options,
                                           instruction=f"(spatie = aanvinken, Enter = klaar; niets aanvinken mag)\n  {instruction}",
                                           style=STYLE).unsafe_ask()
                if BACK in raw:
                    return BACK
            elif q.type in ("choice", "bool"):
                options = ([Choice(label, value) for value, label in q.choices.items()] if q.type == "choice"
                           else [Choice("Ja", True), Choice("Nee", False)])
                if q.unknown:
                    options.append(Choice("Weet niet", UNKNOWN))
                if self.history:
                    options.append(Choice("← Vorige vraag", BACK))
                raw = questionary.select(q.text, choices=options, instruction=f"(pijltjes, Enter)\n  {instruction}",
                                         style=STYLE).unsafe_ask()
            else:
                hint = " Leeg = weet niet." if q.unknown else " Leeg laten mag." if q.optional else ""
                back = " '..' = vorige vraag." if self.history else ""
                raw = questionary.text(q.text, instruction=f"\n  {instruction}{hint}{back}\n ",
                                       style=STYLE).unsafe_ask()
                if raw.strip() == ".." and self.history:
                    return BACK
            if raw == BACK:
                return BACK
            try:
                from advisor.questionnaire import validate_answer
                return validate_answer(q, None if raw == UNKNOWN else raw)
            except InputError as exc:
                print(visible(f"  ! {'; '.join(exc.problems)}"))

    def ask_partners(self, q: Question) -> Any:
        existing = get(self.answers, q.field)
        partners: list[dict[str, Any]] = list(existing) if isinstance(existing, list) else []
        print(f"{q.text} {q.help}")
        while True:
            name = questionary.text(f"Naam van deelnemer {len(partners) + 1}",
                                    instruction="(leeg = klaar" + (", '..' = vorige vraag)" if self.history else ")"),
                                    style=STYLE).unsafe_ask().strip()
            if name == ".." and self.history:
                return BACK
            if not name:
                if partners:
                    return partners
                print("  ! geef minstens één deelnemer")
                continue
            kind = questionary.select(f"Soort deelnemer voor '{name}'",
                                      choices=[Choice(PARTNER_KIND_LABELS[k], k.value) for k in PartnerKind],
                                      style=STYLE).unsafe_ask()
            partner: dict[str, Any] = {"name": name, "kind": kind}
            if kind == PartnerKind.privaatrechtelijke_rechtspersoon.value:
                sector = questionary.text(q.sector_help or "Sector", style=STYLE).unsafe_ask().strip()
                if sector:
                    partner["sector"] = sector
            partners.append(partner)
            self.answers = put(self.answers, q.field, partners)
            self.save()

    # ------------------------------------------------------------ flow
    def run(self) -> int:
        while True:
            q = next_question(self.answers)
            if q is None:
                if self.review():
                    return self.finish()
                continue
            value = self.ask(q)
            if value == BACK:
                self.back()
            else:
                self.set(q, value)

    def review(self) -> bool:
        print("\nOverzicht van uw antwoorden:")
        asked = [q for q in questions() if answered(self.answers, q)]
        for q in asked:
            print(visible(f"  - {q.text} {shown(q, get(self.answers, q.field))}"))
        choice = questionary.select("Wat nu?", choices=[Choice("Advies tonen", "advies"),
                                                        Choice("Een antwoord wijzigen", "wijzig")],
                                    style=STYLE).unsafe_ask()
        if choice == "advies":
            try:
                check_complete(self.answers)
            except InputError as exc:
                print("  ! " + "; ".join(exc.problems))
                return False
            return True
        target = questionary.select("Welke vraag?", choices=[Choice(q.text, q.id) for q in asked],
                                    style=STYLE).unsafe_ask()
        q = next(x for x in questions() if x.id == target)
        value = self.ask(q)
        if value != BACK:
            self.set(q, value)
        return False

    def finish(self) -> int:
        from advisor.advise import advise
        from advisor.receipts import render_advice
        from advisor.rulebase import default_rulebase
        intent = intent_of(self.answers)
        advice = advise(intent)
        print(render_advice(advice, "text", default_rulebase()))  # sanitised for the terminal
        print(f"Uw antwoorden staan in {self.path}.")
        if advice.recommended_form is None:
            return 0
        fmt = questionary.select("Ontwerp schrijven?", choices=[Choice("Nee, klaar", "nee"), Choice("Markdown", "md"),
                                                               Choice("HTML", "html"), Choice("Word (docx)", "docx")],
                                 style=STYLE).unsafe_ask()
        if fmt != "nee":
            from advisor.drafts import draft
            target = Path(questionary.text("Bestandsnaam", default=f"ontwerp.{fmt}", style=STYLE).unsafe_ask())
            write_file(target, draft(intent, None, fmt).content)
            print(f"Ontwerp geschreven naar {target}.")
        return 0


NO_TERMINAL = ("het vraaggesprek heeft een terminal nodig (de invoer is geen terminal of is afgelopen); "
               "geef een intentiebestand aan igs-advisor advise, of gebruik igs-advisor serve")


def run_interview(output: Path | None, resume: Path | None) -> int:
    answers = None
    if resume is not None:
        answers = parse_answers(load_data_file(resume), str(resume))
    if not sys.stdin.isatty():
        raise InputError(f"ask: {NO_TERMINAL}")
    path = output or resume or Path("antwoorden.yaml")
    interview = Interview(path, answers)
    try:
        return interview.run()
    except KeyboardInterrupt:
        print(f"\nOnderbroken. Uw antwoorden zijn bewaard in {path}; ga verder met: igs-advisor ask --resume {path}")
        return 130
    except EOFError:
        raise InputError(f"ask: {NO_TERMINAL}; de antwoorden tot nu staan in {path}") from None
