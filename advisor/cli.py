"""Command line: parse arguments, call the API, print. No legal logic here."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from advisor.errors import AdvisorError, InputError
from advisor.vocabulary import Form


class DutchParser(argparse.ArgumentParser):
    """argparse with Dutch usage errors that exit with status 2 through InputError."""

    def error(self, message: str) -> NoReturn:
        message = (message.replace("the following arguments are required", "verplicht argument ontbreekt")
                   .replace("unrecognized arguments", "onbekende argumenten")
                   .replace("invalid choice", "ongeldige keuze")
                   .replace("choose from", "kies uit")
                   .replace("expected one argument", "verwacht één waarde"))
        raise InputError(f"{self.prog}: {message}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum in de vorm JJJJ-MM-DD") from None


def build_parser() -> DutchParser:
    parser = DutchParser(prog="igs-advisor", description="Advies over intergemeentelijke samenwerking in Vlaanderen.")
    parser.add_argument("--version", action="version", version=f"igs-advisor {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO", parser_class=DutchParser)
    sub.required = True
    adv = sub.add_parser("advise", help="advies voor een samenwerkingsintentie (YAML of JSON)")
    adv.add_argument("intent", metavar="INTENTIE", type=Path, help="intentiebestand (.yaml, .yml of .json)")
    adv.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD (standaard: reference_date of vandaag)")
    adv.add_argument("--format", choices=["text", "json"], default="text", help="uitvoerformaat")
    adv.add_argument("--form", action="append", default=[], choices=[f.value for f in Form],
                     metavar="VORM", help="toon ook de verplichtingen van deze vorm (herhaalbaar)")
    adv.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand in plaats van de standaarduitvoer")
    dr = sub.add_parser("draft", help="ontwerp van oprichtingsovereenkomst of statuten (md, html of docx)")
    dr.add_argument("intent", metavar="INTENTIE", type=Path, help="intentiebestand (.yaml, .yml of .json)")
    dr.add_argument("--form", choices=[f.value for f in Form], metavar="VORM",
                    help="rechtsvorm van het ontwerp (standaard: de aanbevolen vorm)")
    dr.add_argument("--document", choices=["statuten", "beleidsplan"], default="statuten",
                    help="statuten of overeenkomst van de vorm, of de overeenkomst voor het beleidsplan ruimte")
    dr.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD")
    dr.add_argument("--format", choices=["md", "html", "docx"], default="md", help="uitvoerformaat")
    dr.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand (verplicht voor docx)")
    dr.add_argument("--check", action="store_true",
                    help="controleer in alle formaten of elke verplichte clausule aanwezig is")
    art = sub.add_parser("articles", help="de artikelindex: elk artikel met status, regels en scenario's")
    art.add_argument("--law", choices=["dlb", "vcro", "regio"], help="enkel deze wet")
    art.add_argument("--format", choices=["text", "json"], default="text", help="uitvoerformaat")
    art.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand in plaats van de standaarduitvoer")
    return parser


def _version() -> str:
    from advisor import __version__
    return __version__


def cmd_advise(args: argparse.Namespace) -> str:
    from advisor.advise import advise
    from advisor.intake import load_intent

    intent = load_intent(args.intent)
    advice = advise(intent, reference_date=args.date, forms=args.form)
    if args.format == "json":
        return json.dumps(advice.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    from advisor.render import render
    from advisor.rulebase import default_rulebase
    return render("advies.txt.j2", advice=advice, labels=default_rulebase().form_labels)


ARTICLE_STATUS = {"encoded": "gecodeerd", "informative": "informatief",
                  "not_decision_relevant": "niet beslissingsrelevant"}


def cmd_articles(args: argparse.Namespace) -> str:
    from advisor.articles import article_index

    articles = article_index(args.law)
    if args.format == "json":
        payload = {"articles": [a.model_dump() for a in articles]}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    from advisor.render import render
    return render("artikelen.txt.j2", articles=articles, STATUS=ARTICLE_STATUS)


def cmd_draft(args: argparse.Namespace) -> str | bytes:
    from advisor.drafts import check_all_formats, draft
    from advisor.intake import load_intent

    if args.format == "docx" and not args.output:
        raise InputError("--format docx: een Word-bestand kan niet naar de standaarduitvoer; geef -o BESTAND")
    intent = load_intent(args.intent)
    result = draft(intent, args.form, args.format, args.date, args.document)
    if args.check:
        checked = check_all_formats(intent, args.form, args.date, args.document)
        lines = [f"Clausulecontrole ({checked.document}, {len(checked.required)} verplichte clausules):"]
        for clause in checked.required:
            marks = "  ".join(f"{fmt}:{'ok' if clause not in checked.missing[fmt] else 'ONTBREEKT'}"
                              for fmt in checked.missing)
            lines.append(f"  {clause:<24} {checked.titles[clause]:<45} {marks}")
        lines.append("Resultaat: " + ("geslaagd" if checked.ok else "GEFAALD"))
        print("\n".join(lines), file=sys.stderr if not args.output else sys.stdout)
        if not checked.ok:
            raise AdvisorError("het ontwerp mist verplichte clausules (zie de controle)")
    return result.content if args.format == "docx" else result.content.decode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        output = {"advise": cmd_advise, "articles": cmd_articles, "draft": cmd_draft}[args.command](args)
        if args.output:
            from advisor.yamlio import write_atomic
            write_atomic(args.output, output)
        else:
            sys.stdout.write(output if isinstance(output, str) else output.decode("utf-8"))
        return 0
    except AdvisorError as exc:
        label = "ongeldige invoer" if isinstance(exc, InputError) else "fout"
        lines = exc.problems if isinstance(exc, InputError) else [str(exc)]
        print(f"igs-advisor: {label}:", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("igs-advisor: onderbroken", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the user gets a message, never a traceback
        if os.environ.get("IGS_DEBUG"):
            raise
        print(f"igs-advisor: interne fout ({type(exc).__name__}: {exc}). "
              "Meld dit met het intentiebestand; IGS_DEBUG=1 toont de details.", file=sys.stderr)
        return 1
