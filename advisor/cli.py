"""Command line: parse arguments, call the API, print. No legal logic here."""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import socket
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from advisor.errors import AdvisorError, InputError
from advisor.sanitise import visible
from advisor.vocabulary import Form


class DutchHelp(argparse.HelpFormatter):
    """argparse's help in Dutch ("gebruik:"), wrapped to the terminal's width as argparse does."""

    METAVARS = {"date": "JJJJ-MM-DD", "output": "BESTAND", "answers_out": "BESTAND", "resume": "BESTAND",
                "receipt": "BESTAND", "answers": "BESTAND", "cases": "MAP", "output_dir": "MAP", "host": "ADRES",
                "port": "POORT"}

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return self.METAVARS.get(action.dest, "WAARDE")


class DutchHelpWithExample(DutchHelp):
    """Dutch help whose description has paragraphs (wrapped to the width) and indented examples
    (kept as they are)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap
        blocks = text.strip("\n").split("\n\n")
        return "\n\n".join(block if block.startswith(" ") else
                           textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                         subsequent_indent=indent) for block in blocks)


class DutchParser(argparse.ArgumentParser):
    """argparse with Dutch help and Dutch usage errors that exit with status 2 through InputError."""

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003 - argparse's signature
        kwargs.setdefault("formatter_class", DutchHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="toon deze hulp en stop")

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


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is geen positief geheel getal")
    return number


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is geen poort; kies een getal tussen 0 en 65535")
    return int(text)


TRAIN_HELP = """\
Quiz voor opleidingen: bij elke casus kiest u de rechtsvorm; daarna volgt het advies met de artikels
en een leerpunt. Zonder --answers vraagt de quiz in de terminal (Ctrl-C stopt en toont de score).

Antwoordenblad (--answers, YAML): per casus (de naam van het bestand in de map met casussen,
zonder .yaml) een antwoord: een nummer 1-6 zoals in de quiz, een vormcode of 'geen'. Een casus
zonder antwoord telt als niet beantwoord. Eén deelnemer:

  sportregio-pajottenland: 2
  glasvezel-met-telecompartner: geen

of een groep, per deelnemer:

  An:
    sportregio-pajottenland: projectvereniging
  Bram:
    sportregio-pajottenland: 1
"""


def build_parser() -> DutchParser:
    parser = DutchParser(prog="igs-advisor", description="Advies over intergemeentelijke samenwerking in Vlaanderen.")
    parser.add_argument("--version", action="version", version=f"igs-advisor {_version()}",
                        help="toon het versienummer en stop")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO", parser_class=DutchParser)
    sub.required = True
    adv = sub.add_parser("advise", help="advies voor een samenwerkingsintentie (YAML of JSON)")
    adv.add_argument("intent", metavar="INTENTIE", type=Path, help="intentiebestand (.yaml, .yml of .json)")
    adv.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD (standaard: reference_date of vandaag)")
    adv.add_argument("--format", choices=["text", "json", "md", "html", "docx", "pdf"], default="text",
                     help="uitvoerformaat: text, json, of de adviesnota als md, html, docx of pdf")
    adv.add_argument("--form", action="append", default=[], choices=[f.value for f in Form],
                     metavar="VORM", help="toon ook de verplichtingen van deze vorm (herhaalbaar)")
    adv.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand in plaats van de standaarduitvoer")
    adv.add_argument("--receipt", type=Path, help="schrijf een beslissingsbewijs (JSON) naar dit bestand")
    adv.add_argument("--with-text", action="store_true",
                     help="druk bij elke verwijzing de officiële tekst van het artikel af (igs-advisor law fetch)")
    dr = sub.add_parser("draft", help="ontwerp van overeenkomst, statuten of gemeenteraadsbesluit (md, html, docx of pdf)")
    dr.add_argument("intent", metavar="INTENTIE", type=Path, help="intentiebestand (.yaml, .yml of .json)")
    dr.add_argument("--form", choices=[f.value for f in Form], metavar="VORM",
                    help="rechtsvorm van het ontwerp (standaard: de aanbevolen vorm)")
    dr.add_argument("--document", choices=["statuten", "beleidsplan", "raadsbesluit"], default="statuten",
                    help="statuten of overeenkomst van de vorm, de overeenkomst voor het beleidsplan ruimte, "
                         "of een model van gemeenteraadsbesluit")
    dr.add_argument("--situation", choices=["oprichting", "toetreding"],
                    help="voor --document raadsbesluit: oprichting (standaard) of toetreding")
    dr.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD")
    dr.add_argument("--format", choices=["md", "html", "docx", "pdf"], default="md", help="uitvoerformaat")
    dr.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand (verplicht voor docx en pdf)")
    dr.add_argument("--check", action="store_true",
                    help="controleer in alle formaten of elke verplichte clausule aanwezig is")
    dr.add_argument("--receipt", type=Path, help="schrijf een beslissingsbewijs (JSON) naar dit bestand")
    ver = sub.add_parser("verify", help="controleer of een beslissingsbewijs vandaag hetzelfde advies of ontwerp geeft")
    ver.add_argument("receipt", metavar="BEWIJS", type=Path, help="het beslissingsbewijs (JSON)")
    ver.add_argument("--format", choices=["text", "json"], default="text", help="uitvoerformaat")
    cmp = sub.add_parser("compare", help="de vijf vormen naast elkaar voor deze intentie")
    cmp.add_argument("intent", metavar="INTENTIE", type=Path, help="intentiebestand (.yaml, .yml of .json)")
    cmp.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD")
    cmp.add_argument("--format", choices=["text", "json", "html"], default="text",
                     help="uitvoerformaat: text (een tabel), json of html")
    cmp.add_argument("--width", type=int, metavar="KOLOMMEN",
                     help="breedte van de tabel in tekens (standaard: de breedte van de terminal)")
    cmp.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand")
    wif = sub.add_parser("whatif", help="de kleinste wijzigingen die de aanbeveling veranderen")
    wif.add_argument("intent", metavar="INTENTIE", type=Path, help="intentiebestand (.yaml, .yml of .json)")
    wif.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD")
    wif.add_argument("--format", choices=["text", "json"], default="text", help="uitvoerformaat")
    wif.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand")
    tr = sub.add_parser("train", help="quiz voor opleidingen: kies de vorm voor elke casus",
                        formatter_class=DutchHelpWithExample, description=TRAIN_HELP)
    tr.add_argument("--cases", type=Path, help="map met casussen (standaard: de meegeleverde casussen)")
    tr.add_argument("--answers", type=Path, help="antwoordenblad (YAML): onbewaakt verbeteren")
    tr.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD")
    tr.add_argument("--format", choices=["text", "json"], default="text", help="uitvoerformaat (met --answers)")
    rbk = sub.add_parser("rulebook", help="schrijf het regelboek als statische HTML-site")
    rbk.add_argument("-o", "--output-dir", type=Path, required=True, help="doelmap")
    ask = sub.add_parser("ask", help="vraaggesprek in de terminal; bewaart de antwoorden na elk antwoord")
    ask.add_argument("-o", "--output", dest="answers_out", type=Path, help="antwoordenbestand (standaard antwoorden.yaml)")
    ask.add_argument("--resume", type=Path, help="ga verder met dit antwoordenbestand (het wordt bijgewerkt, of "
                                                 "met -o naar een ander bestand geschreven)")
    ask.add_argument("--overwrite", action="store_true",
                     help="overschrijf het bestand van -o als het al bestaat (standaard: weigeren)")
    srv = sub.add_parser("serve", help="lokale webtoepassing met vragenlijst, advies en ontwerpen")
    srv.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1, enkel deze computer)")
    srv.add_argument("--port", type=_port, default=8000, help="poort (standaard 8000)")
    srv.add_argument("--allow-host", action="append", default=[], metavar="NAAM",
                     help="aanvaard ook deze naam in de Host-kop (herhaalbaar; '*' = elke naam); standaard "
                          "enkel 127.0.0.1, localhost en het adres van --host")
    srv.add_argument("--workers", type=_positive, default=1,
                     help="aantal werkprocessen (standaard 1; de webtoepassing houdt geen toestand bij)")
    bat = sub.add_parser("batch", help="advies voor een hele lijst intenties: een map, JSONL of CSV (zie README)")
    bat.add_argument("input", metavar="INVOER", type=Path,
                     help="map met intentiebestanden (.yaml, .yml, .json), een .jsonl- of een .csv-bestand")
    bat.add_argument("--jobs", type=_positive, default=1, help="aantal werkprocessen (standaard 1)")
    bat.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="uitvoerformaat (standaard jsonl)")
    bat.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD (standaard: reference_date of vandaag)")
    bat.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand in plaats van de standaarduitvoer")
    chk = sub.add_parser("check-statutes", help="toets bestaande statuten of een overeenkomst aan het recht van een datum")
    chk.add_argument("file", metavar="BESTAND", type=Path, help="statuten of overeenkomst (.docx, .pdf, .md, .txt of .html)")
    chk.add_argument("--form", choices=[f.value for f in Form], metavar="VORM",
                     help="rechtsvorm (standaard: de vorm die de tekst noemt)")
    chk.add_argument("--date", type=_date, help="peildatum JJJJ-MM-DD (standaard: vandaag)")
    chk.add_argument("--format", choices=["text", "json", "md"], default="text", help="uitvoerformaat")
    chk.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand in plaats van de standaarduitvoer")
    art = sub.add_parser("articles", help="de artikelindex: elk artikel met status, regels en scenario's")
    art.add_argument("--law", choices=["dlb", "vcro", "regio"], help="enkel deze wet")
    art.add_argument("--format", choices=["text", "json"], default="text", help="uitvoerformaat")
    art.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand in plaats van de standaarduitvoer")
    law = sub.add_parser("law", help="de officiële tekst van de wet: ophalen, inlezen en de verwijzingen controleren")
    lsub = law.add_subparsers(dest="law_command", metavar="ACTIE", parser_class=DutchParser)
    lsub.required = True
    store_help = "map van de lokale kopie (standaard: IGS_ADVISOR_LAW_DIR of de gebruikersmap)"
    lf = lsub.add_parser("fetch", help="haal de geconsolideerde tekst op bij de Vlaamse Codex")
    lf.add_argument("--api", metavar="URL", help="basisadres van de Codex-API (standaard: IGS_ADVISOR_CODEX_API of "
                                  "https://codex.opendata.api.vlaanderen.be)")
    lf.add_argument("--store", type=Path, metavar="MAP", help=store_help)
    lf.add_argument("--law", action="append", default=[], metavar="WET",
                    help="enkel deze wet (herhaalbaar; standaard: elke wet die de regelbank citeert)")
    li = lsub.add_parser("import", help="lees een zelf bewaarde tekst in (Codex-JSON, afdrukpagina, PDF of tekst)")
    li.add_argument("file", metavar="BESTAND", type=Path, help="het bewaarde bestand")
    li.add_argument("--law", required=True, metavar="WET", help="welke wet het bestand bevat (bv. dlb)")
    li.add_argument("--store", type=Path, metavar="MAP", help=store_help)
    lc = lsub.add_parser("check", help="controleer elke verwijzing in de regelbank tegen de officiële tekst")
    lc.add_argument("--date", type=_date, metavar="JJJJ-MM-DD", help="de tekst die gold op deze datum (standaard: vandaag)")
    lc.add_argument("--format", choices=["text", "json"], default="text", help="uitvoerformaat")
    lc.add_argument("--store", type=Path, metavar="MAP", help=store_help)
    lc.add_argument("--law", action="append", default=[], metavar="WET", help="enkel deze wet (herhaalbaar)")
    lc.add_argument("--rules", type=Path, metavar="MAP", help="de regelbank in deze map (standaard: de meegeleverde)")
    lc.add_argument("--record", action="store_true",
                    help="schrijf de hashes in articles.yaml en markeer bevestigde verwijzingen als geverifieerd")
    lc.add_argument("-o", "--output", type=Path, help="schrijf naar dit bestand")
    return parser


def _version() -> str:
    from advisor import __version__
    return __version__


def cmd_advise(args: argparse.Namespace) -> str:
    from advisor.advise import advise
    from advisor.intake import load_intent

    from advisor.receipts import render_advice
    from advisor.rulebase import default_rulebase

    _binary_needs_output(args)
    intent = load_intent(args.intent)
    advice = advise(intent, reference_date=args.date, forms=args.form)
    output = render_advice(advice, args.format, default_rulebase(), intent, args.with_text)
    if args.receipt:
        options = {"format": args.format, "forms": args.form} | ({"with_text": True} if args.with_text else {})
        _write_receipt(args.receipt, "advice", intent, advice, options, output)
    return output


def _binary_needs_output(args: argparse.Namespace) -> None:
    if args.format in ("docx", "pdf") and not args.output:
        kind = {"docx": "een Word-bestand", "pdf": "een PDF-bestand"}[args.format]
        raise InputError(f"--format {args.format}: {kind} kan niet naar de standaarduitvoer; geef -o BESTAND")


def _write_receipt(path: Path, kind: str, intent, advice, options: dict, output: str | bytes) -> None:
    from advisor.receipts import make_receipt
    from advisor.writer import write_file
    receipt = make_receipt(kind, intent, advice, options, output)
    write_file(path, receipt.model_dump_json(indent=2) + "\n")


def cmd_compare(args: argparse.Namespace) -> str:
    import shutil

    from advisor.insight import compare, comparison_text
    from advisor.intake import load_intent
    from advisor.render import STATUS_LABELS, render

    intent = load_intent(args.intent)
    forms = compare(intent, args.date)
    if args.format == "json":
        return json.dumps({"forms": [f.model_dump(mode="json") for f in forms]}, ensure_ascii=False, indent=2) + "\n"
    if args.format == "html":
        return render("vergelijking.html.j2", forms=forms, name=intent.name, title=f"Vergelijking: {intent.name}",
                      STATUS=STATUS_LABELS)
    width = args.width or (shutil.get_terminal_size((120, 24)).columns if not args.output else 120)
    return comparison_text(forms, intent.name, width, STATUS_LABELS)


def cmd_whatif(args: argparse.Namespace) -> str:
    from advisor.advise import advise
    from advisor.insight import whatif
    from advisor.intake import load_intent
    from advisor.rulebase import default_rulebase

    intent = load_intent(args.intent)
    changes = whatif(intent, args.date)
    if args.format == "json":
        return json.dumps({"changes": [c.model_dump(mode="json") for c in changes]}, ensure_ascii=False, indent=2) + "\n"
    labels = default_rulebase().form_labels
    now = advise(intent, args.date, open_questions=False).recommended_form
    lines = [f"Nu aanbevolen: {labels[now] if now else 'geen vorm'}",
             "Wat zou de aanbeveling veranderen (eerst één antwoord, dan twee samen):"]
    import shutil
    import textwrap
    width = shutil.get_terminal_size((100, 24)).columns - 1 if not args.output else 100
    lines += [textwrap.fill(f"- {c.description} -> {labels[c.recommended_form] if c.recommended_form else 'geen vorm'}",
                            width, initial_indent="  ", subsequent_indent="    ")
              for c in changes] or ["  (geen enkele wijziging van één of twee antwoorden verandert de aanbeveling)"]
    return "\n".join(lines) + "\n"


def cmd_train(args: argparse.Namespace) -> str:
    from advisor.casebook import load_cases, run_quiz
    from advisor.rulebase import default_rulebase
    from advisor.intake import load_data_file

    cases = load_cases(args.cases)
    labels = {**default_rulebase().form_labels, "geen": "geen vorm past"}
    if args.answers is None:
        return _interactive_quiz(cases, labels, args.date)
    sheet = load_data_file(args.answers)
    if not isinstance(sheet, dict):
        raise InputError(f"{args.answers}: een antwoordenblad is een mapping casus -> antwoord "
                         "(of deelnemer -> casus -> antwoord); zie igs-advisor train --help")
    group = sheet if sheet and all(isinstance(v, dict) for v in sheet.values()) else {"deelnemer": sheet}
    known = {c.id for c in cases}
    report, payload = [], {}
    for trainee, answers in group.items():
        unknown = set(map(str, answers)) - known
        if unknown:
            raise InputError(f"{args.answers}: onbekende casus(sen): {', '.join(sorted(unknown))}")
        missing = [c for c in cases if not str(answers.get(c.id) or "").strip()]
        given = [c for c in cases if c not in missing]
        results = run_quiz(given, lambda c, sheet=answers: str(sheet[c.id]), args.date)
        payload[trainee] = [r.model_dump() for r in results]
        score = sum(r.correct for r in results)
        report.append(f"{trainee}: {score}/{len(cases)} juist" + (f" ({len(missing)} niet beantwoord)" if missing else ""))
        for r in results:
            mark = "juist " if r.correct else "fout  "
            report.append(f"  {mark} {r.title}: {labels[r.answer]}"
                          + ("" if r.correct else f" (advies: {labels[r.correct_answer]})"))
        for c in missing:
            report.append(f"  open   {c.id}: niet beantwoord")
    if args.format == "json":
        missing_of = {t: [c.id for c in cases if not str(a.get(c.id) or "").strip()] for t, a in group.items()}
        return json.dumps({"results": payload, "missing": missing_of}, ensure_ascii=False, indent=2) + "\n"
    return "\n".join(report) + "\n"


def _interactive_quiz(cases, labels, day) -> str:
    """The quiz in the terminal: the case under a neutral heading (its title tells the answer only
    after answering), progress, and the score so far on Ctrl-C or end of input."""
    from advisor.casebook import answer_code, grade, marked
    codes = list(labels)
    score = done = 0

    def result() -> str:
        return f"\nScore: {score}/{done}" + (f" (gestopt na {done} van {len(cases)} casussen)" if done < len(cases) else "") + "\n"

    try:
        for number, case in enumerate(cases, start=1):
            print(f"\n=== Casus {number}/{len(cases)} ===\n{case.narrative}\n")
            for i, code in enumerate(codes, start=1):
                print(f"  {i}. {labels[code]}")
            while True:
                raw = input("Uw keuze (nummer): ")
                try:
                    answer = answer_code(raw)
                    break
                except InputError as exc:
                    print(f"  {exc}")
            r = grade(case, answer, day)
            done += 1
            score += r.correct
            verdict = "Juist!" if r.correct else f"Niet juist: het advies is {labels[r.correct_answer]}."
            print(f"\n{verdict}  (casus: {r.title})\n{r.explanation}\n[{marked(r.citations) or '; '.join(r.articles)}]"
                  f"\nLeerpunt: {r.learning_point}\nTussenstand: {score}/{done}")
    except (EOFError, KeyboardInterrupt):
        print()
    return result()


def cmd_rulebook(args: argparse.Namespace) -> str:
    from advisor.rulebook import build
    pages = build(args.output_dir)
    return f"Regelboek geschreven: {pages} pagina's in {args.output_dir} (open index.html)\n"


def cmd_ask(args: argparse.Namespace) -> str:
    from advisor.interview import run_interview
    code = run_interview(args.answers_out, args.resume, args.overwrite)
    if code:
        raise SystemExit(code)
    return ""


def cmd_serve(args: argparse.Namespace) -> str:
    import uvicorn

    from advisor.errors import os_reason
    from advisor.web import create_app
    from advisor.webguard import LOOPBACK
    hosts = [*LOOPBACK, *args.allow_host] + ([args.host] if args.host not in ("0.0.0.0", "::", "") else [])
    try:  # bound here, so that a taken port or an unknown address is a Dutch error, not a traceback
        sock = socket.create_server((args.host, args.port), family=socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    except OSError as exc:
        raise InputError(f"--host/--port: {args.host}:{args.port} kan niet geopend worden ({os_reason(exc)})") from None
    host = f"[{args.host}]" if ":" in args.host else args.host
    server = uvicorn.Server(uvicorn.Config(create_app(hosts), log_level="warning"))
    print(f"igs-advisor draait op http://{host}:{args.port}/ - open dat adres in uw browser. "
          "Stoppen: Ctrl-C in dit venster.", flush=True)
    try:
        if args.workers > 1:  # worker processes import the app themselves, with the same allowed hosts
            from uvicorn.supervisors import Multiprocess
            os.environ[WORKER_HOSTS] = json.dumps(hosts)
            config = uvicorn.Config("advisor.cli:worker_app", factory=True, workers=args.workers, log_level="warning")
            Multiprocess(config, sockets=[sock]).run()
        else:
            server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn passes Ctrl-C on after its graceful shutdown: the stop asked for
        pass
    return "igs-advisor is gestopt.\n"


WORKER_HOSTS = "IGS_ADVISOR_WORKER_HOSTS"


def worker_app():
    """The web app in a `serve --workers N` worker process (the app itself is stateless)."""
    from advisor.web import create_app
    return create_app(json.loads(os.environ[WORKER_HOSTS]))


def cmd_batch(args: argparse.Namespace) -> str:
    from advisor import batch
    from advisor.rulebase import default_rulebase

    rows = batch.read_rows(args.input)
    tally = batch.Tally()
    results = tally.count(batch.run(rows, args.jobs, args.date, batch.terminal_progress()))
    out = io.StringIO()
    (batch.write_csv if args.format == "csv" else batch.write_jsonl)(results, out)
    sys.stderr.write(tally.summary(default_rulebase().form_labels))
    args.exit_status = batch.EXIT_ROW_ERRORS if tally.errors else 0
    return out.getvalue()  # written by main: to -o atomically, or to stdout


def cmd_verify(args: argparse.Namespace) -> str:
    from advisor.intake import load_data_file
    from advisor.receipts import parse_receipt, verify
    receipt = parse_receipt(load_data_file(args.receipt), str(args.receipt))
    result = verify(receipt)
    if args.format == "json":
        text = json.dumps(result.model_dump(), ensure_ascii=False, indent=2) + "\n"
    else:
        yes = {True: "ja", False: "nee"}
        lines = [f"Beslissingsbewijs van {receipt.created} ({receipt.kind}, peildatum {receipt.reference_date}, "
                 f"igs-advisor {receipt.advisor_version})",
                 f"  zelfde uitvoer vandaag:   {yes[result.same_output]}",
                 f"  zelfde regelbank:         {yes[result.same_rulebase]}",
                 f"  zelfde sjablonen:         {yes[result.same_templates]}"]
        for label, items in (("gewijzigde regels", result.changed_rules),
                             ("regels die niet meer vuren", result.no_longer_fired),
                             ("regels die nu vuren", result.newly_fired),
                             ("regels met andere artikels", result.changed_articles)):
            if items:
                lines.append(f"  {label}: {', '.join(items)}")
        text = "\n".join(lines) + "\n"
    if not result.ok:
        sys.stdout.write(visible(text))
        raise ReceiptMismatch("het beslissingsbewijs klopt niet met vandaag; anders zijn: " + "; ".join(result.differences))
    return text


class ReceiptMismatch(AdvisorError):
    exit_code = 3


class CitationsUnconfirmed(AdvisorError):
    exit_code = 3


def cmd_law(args: argparse.Namespace) -> str:
    from advisor.law.store import Store, store_dir
    from advisor.rulebase import RuleBase, default_rulebase

    store = Store(store_dir(args.store))
    if args.law_command == "fetch":
        from advisor.law.fetch import fetch, report
        rb = default_rulebase()
        return report(rb, fetch(rb, store, args.law, args.api, progress=_progress()), store)
    if args.law_command == "import":
        from advisor.law.fetch import report
        from advisor.law.importer import import_file
        rb = default_rulebase()
        return report(rb, [import_file(rb, store, args.file, args.law)], store)
    from advisor.errors import LawError
    from advisor.law.check import check
    if not store.laws():
        raise LawError(f"geen lokale kopie van de wet in {store.path}: haal ze op met `igs-advisor law fetch` "
                       "(of lees een bewaard bestand in met `igs-advisor law import BESTAND --law WET`); "
                       "zonder kopie verandert er niets en wordt niets bevestigd")
    rb = RuleBase(args.rules) if args.rules else default_rulebase()
    result = check(rb, store, args.date or dt.date.today(), args.law)
    recorded = None
    if args.record:
        from advisor.law.record import record
        recorded = record(rb, result)
    if args.format == "json":
        text = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    else:
        from advisor.law.check import STATUS_LABELS
        from advisor.render import render
        text = render("wetcontrole.txt.j2", report=result, labels=STATUS_LABELS, recorded=recorded,
                      rb=rb, store=store.path)
    if result.ok:
        return text
    if args.output:
        from advisor.writer import write_file
        write_file(args.output, visible(text))
    else:
        sys.stdout.write(visible(text))
    bad = sum(c.status != "bevestigd" for c in result.citations)
    raise CitationsUnconfirmed(f"{bad} van {len(result.citations)} verwijzingen niet bevestigd door de officiële tekst")


def _progress():
    """Download progress on stderr: one updated line on a terminal, one line per law otherwise."""
    live = sys.stderr.isatty()

    def show(label: str, received: int, expected: int | None, done: bool) -> None:
        size = f"{received / 1024:,.0f} kB".replace(",", ".")
        share = f" van {expected / 1024:,.0f} kB".replace(",", ".") if expected else ""
        if live:
            print(f"\r{label}: {size}{share} ontvangen", end="\n" if done else "", file=sys.stderr, flush=True)
        elif done:
            print(f"{label}: {size} ontvangen", file=sys.stderr)
    return show


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

    _binary_needs_output(args)
    intent = load_intent(args.intent)
    result = draft(intent, args.form, args.format, args.date, args.document, situation=args.situation)
    if args.check:
        checked = check_all_formats(intent, args.form, args.date, args.document, args.situation)
        lines = [f"Clausulecontrole ({checked.document}, {len(checked.required)} verplichte clausules):"]
        for clause in checked.required:
            marks = "  ".join(f"{fmt}:{'ok' if clause not in checked.missing[fmt] else 'ONTBREEKT'}"
                              for fmt in checked.missing)
            lines.append(f"  {clause:<24} {checked.titles[clause]:<45} {marks}")
        lines.append("Resultaat: " + ("geslaagd" if checked.ok else "GEFAALD"))
        print("\n".join(lines), file=sys.stderr if not args.output else sys.stdout)
        if not checked.ok:
            raise AdvisorError("het ontwerp mist verplichte clausules (zie de controle)")
    if args.receipt:
        _write_receipt(args.receipt, "draft", intent, result.advice,
                       {"format": args.format, "form": result.form.value if result.form else None,
                        "document": args.document, "situation": result.situation}, result.content)
    return result.content if args.format in ("docx", "pdf") else result.content.decode("utf-8")


def cmd_check_statutes(args: argparse.Namespace) -> str:
    from advisor.statutes import check_file
    from advisor.statutes.report import render_report

    from advisor.intake import MAX_DOCUMENT_BYTES, read_file
    raw = read_file(args.file, MAX_DOCUMENT_BYTES)
    report = check_file(raw, args.file.name, args.form, args.date)
    args.exit_status = 0 if report.ok else 3  # 3: something is missing, doubtful or outdated
    return render_report(report, args.format)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        commands = {"advise": cmd_advise, "articles": cmd_articles, "draft": cmd_draft, "verify": cmd_verify,
                    "compare": cmd_compare, "whatif": cmd_whatif, "train": cmd_train, "rulebook": cmd_rulebook,
                    "ask": cmd_ask, "serve": cmd_serve, "batch": cmd_batch, "law": cmd_law, "check-statutes": cmd_check_statutes}
        output = commands[args.command](args)
        if getattr(args, "output", None):
            from advisor.writer import write_file
            write_file(args.output, visible(output) if isinstance(output, str) else output)
        else:
            sys.stdout.write(visible(output if isinstance(output, str) else output.decode("utf-8")))
        return getattr(args, "exit_status", 0)
    except AdvisorError as exc:
        label = "ongeldige invoer" if isinstance(exc, InputError) else "fout"
        lines = exc.problems if isinstance(exc, InputError) else [str(exc)]
        print(f"igs-advisor: {label}:", file=sys.stderr)
        for line in lines:
            print(f"  {visible(line)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("igs-advisor: onderbroken", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the user gets a message, never a traceback
        if os.environ.get("IGS_DEBUG"):
            raise
        print(f"igs-advisor: interne fout ({type(exc).__name__}: {visible(str(exc))[:200]}). "
              "Meld dit met het intentiebestand; IGS_DEBUG=1 toont de details.", file=sys.stderr)
        return 1
