"""`igs-advisor batch`: the advice for a whole register of intents, one output row per intent.

Input: a folder of intent files (.yaml, .yml, .json), a JSONL file (one intent per line) or a CSV
file in the column layout of `CSV_COLUMNS` (README.md). A row that cannot be read or is not a
valid intent becomes an output row with its error (line and field); the batch goes on. The rows
are advised in worker processes and written in input order, so the output is the same whatever
the number of jobs.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from advisor.errors import AdvisorError, InputError

INTENT_SUFFIXES = (".yaml", ".yml", ".json")
EXIT_ROW_ERRORS = 3  # some rows have an error; 0: every row has an advice; 2: the input is unusable


@dataclass(frozen=True)
class Column:
    header: str  # the CSV header (Dutch, as a register keeps it)
    field: str  # the intent field it fills (contract §1)
    kind: str  # text | int | bool | list | partners


# The CSV layout. Lists are separated by ';'. `andere_partners`: 'naam:soort' or 'naam:soort:sector'.
CSV_COLUMNS = (
    Column("naam", "name", "text"),
    Column("doel", "purpose.kind", "text"),
    Column("omschrijving", "purpose.description", "text"),
    Column("domeinen", "purpose.domains", "list"),
    Column("sectorrollen", "purpose.sector_roles", "list"),
    Column("exclusief", "purpose.exclusive", "bool"),
    Column("gemeenten", "partners", "partners"),
    Column("andere_partners", "partners", "partners"),
    Column("rechtspersoonlijkheid", "needs.legal_personality", "bool"),
    Column("eigen_personeel", "needs.own_staff", "bool"),
    Column("eigen_vermogen", "needs.own_assets", "bool"),
    Column("duur_jaren", "duration_years", "int"),
    Column("oprichtingsjaar", "founding_year", "int"),
    Column("peildatum", "reference_date", "text"),
    Column("zetel", "seat", "text"),
    Column("beleidsplan", "spatial_planning.policy_plan", "text"),
    Column("igecoro", "spatial_planning.igecoro", "bool"),
    Column("gedeelde_ambtenaar", "spatial_planning.shared_official", "bool"),
    Column("verevening", "finance.verevening", "text"),
    Column("kostenverdeelsleutel", "finance.cost_sharing_key", "text"),
)
_BY_HEADER = {c.header: c for c in CSV_COLUMNS}
_YES, _NO = {"ja", "j", "true", "1"}, {"nee", "n", "false", "0"}


@dataclass(frozen=True)
class Row:
    source: str  # the file, or the input file and its line
    line: int | None  # the line in the input (JSONL, CSV; a YAML error's line in a folder)
    data: Any = None  # the intent as read (a dict when readable)
    error: str | None = None  # why it could not be read
    columns: dict[str, str] | None = None  # CSV: intent field -> header, to name a field as the register does


# ---------------------------------------------------------------- reading


def read_rows(path: Path) -> list[Row]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INTENT_SUFFIXES)
        return [_file_row(p) for p in files]
    if not path.is_file():
        raise InputError(f"{path}: geen map of bestand gevonden")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return list(_jsonl_rows(path))
    if suffix == ".csv":
        return list(_csv_rows(path))
    raise InputError(f"{path}: kies een map met intentiebestanden, een .jsonl- of een .csv-bestand")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: geen UTF-8-tekst (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: kan het bestand niet lezen ({exc.strerror or exc})") from None


def _file_row(path: Path) -> Row:
    from advisor.intake import load_data_file
    try:
        return Row(path.name, None, load_data_file(path))
    except InputError as exc:
        message = "; ".join(exc.problems).removeprefix(f"{path}: ")
        line = _line_in(message)
        return Row(path.name, line, error=message)


def _line_in(message: str) -> int | None:
    """The line a YAML or JSON error names ('regel 3, kolom 5' / 'line 3 column 5')."""
    import re
    found = re.search(r"(?:regel|line) (\d+)", message)
    return int(found.group(1)) if found else None


def _jsonl_rows(path: Path) -> Iterator[Row]:
    for number, line in enumerate(_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            yield Row(where, number, json.loads(line))
        except json.JSONDecodeError as exc:
            yield Row(where, number, error=f"ongeldige JSON (kolom {exc.colno}): {exc.msg}")
        except RecursionError:
            yield Row(where, number, error="ongeldige JSON: te diep genest")


def _csv_rows(path: Path) -> Iterator[Row]:
    text = _text(path)
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path}: het CSV-bestand is leeg")
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h and h not in _BY_HEADER]
    if unknown:
        raise InputError(f"{path}: onbekende kolom '{unknown[0]}'; kies uit: {', '.join(_BY_HEADER)}")
    if "naam" not in header:
        raise InputError(f"{path}: de kolom 'naam' ontbreekt")
    columns = {c.field: c.header for h in header if h for c in [_BY_HEADER[h]] if c.kind != "partners"}
    columns["partners"] = "gemeenten/andere_partners"
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(f"{path.name}:{reader.line_num}", reader.line_num, error=f"onleesbare CSV-regel: {exc}")
            continue
        number = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        where = f"{path.name}:{number}"
        if len(cells) > len(header):
            yield Row(where, number, error=f"{len(cells)} cellen, maar {len(header)} kolommen")
            continue
        try:
            yield Row(where, number, _csv_intent(dict(zip(header, cells))), columns=columns)
        except InputError as exc:
            yield Row(where, number, error="; ".join(exc.problems))


def _csv_intent(cells: dict[str, str]) -> dict[str, Any]:
    intent: dict[str, Any] = {}
    partners: list[dict[str, str]] = []
    for header, raw in cells.items():
        if not header:
            continue
        col, text = _BY_HEADER[header], raw.strip()
        if col.kind == "partners":
            partners += _partners(col, text)
            continue
        if not text:
            continue
        _put(intent, col.field, _cell(col, text))
    if partners:
        intent["partners"] = partners
    return intent


def _cell(col: Column, text: str) -> Any:
    if col.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise InputError(f"kolom {col.header}: '{text}' is geen geheel getal") from None
    if col.kind == "bool":
        low = text.lower()
        if low in _YES:
            return True
        if low in _NO:
            return False
        if low in ("?", "weet niet", "onbekend"):
            return None
        raise InputError(f"kolom {col.header}: '{text}' is geen ja, nee of weet niet")
    if col.kind == "list":
        return [item.strip() for item in text.split(";") if item.strip()]
    return text


def _partners(col: Column, text: str) -> list[dict[str, str]]:
    out = []
    for item in (i.strip() for i in text.split(";")):
        if not item:
            continue
        if col.header == "gemeenten":
            out.append({"name": item, "kind": "gemeente"})
            continue
        parts = [p.strip() for p in item.split(":")]
        if len(parts) not in (2, 3) or not all(parts):
            raise InputError(f"kolom {col.header}: '{item}' is niet 'naam:soort' of 'naam:soort:sector'")
        partner = {"name": parts[0], "kind": parts[1]}
        if len(parts) == 3:
            partner["sector"] = parts[2]
        out.append(partner)
    return out


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    target[leaf] = value


# ---------------------------------------------------------------- advising


def advise_row(row: Row, reference_date: dt.date | None = None) -> dict[str, Any]:
    """One output row (contract words as keys); never raises for a bad intent."""
    out: dict[str, Any] = {"source": row.source, "line": row.line, "name": None, "recommended_form": None,
                           "statuses": {}, "open_questions": [], "warnings": [], "error": None}
    if isinstance(row.data, dict) and isinstance(row.data.get("name"), str):
        out["name"] = row.data["name"]
    if row.error is not None:
        out["error"] = row.error
        return out
    from advisor.advise import advise
    try:
        advice = advise(row.data, reference_date=reference_date)
    except InputError as exc:
        out["error"] = "; ".join(_register_words(p, row.columns) for p in exc.problems)
        return out
    except AdvisorError as exc:
        out["error"] = str(exc)
        return out
    out["name"] = advice.name
    out["recommended_form"] = advice.recommended_form.value if advice.recommended_form else None
    out["statuses"] = {f.form.value: f.status for f in advice.forms}
    out["open_questions"] = [q.field for q in advice.open_questions]
    out["warnings"] = [{"rule": f.rule, "message": f.message} for f in advice.findings if f.kind == "warning"]
    return out


def _register_words(problem: str, columns: dict[str, str] | None) -> str:
    """A CSV row's error names the column as well as the intent field."""
    if not columns:
        return problem
    field = problem.split(":", 1)[0]
    top = field.split("[", 1)[0]
    header = columns.get(field) or columns.get(top)
    return f"kolom {header} ({problem})" if header else problem


def _advise_chunk(args: tuple[list[Row], dt.date | None]) -> list[dict[str, Any]]:
    rows, day = args
    return [advise_row(r, day) for r in rows]


def run(rows: list[Row], jobs: int = 1, reference_date: dt.date | None = None,
        progress: Callable[[int, int], None] | None = None, chunk: int = 8) -> Iterator[dict[str, Any]]:
    """The output rows, in input order, advised in `jobs` worker processes (1: in this one)."""
    chunks = [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
    done = 0
    if jobs <= 1:
        results: Iterable[list[dict[str, Any]]] = (_advise_chunk((c, reference_date)) for c in chunks)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_warm)
        results = pool.map(_advise_chunk, [(c, reference_date) for c in chunks])
    try:
        for part in results:
            done += len(part)
            if progress:
                progress(done, len(rows))
            yield from part
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _warm() -> None:
    """A worker loads the rule base and compiles the engine once, before its first row."""
    from advisor.rulebase import default_rulebase
    default_rulebase()


# ---------------------------------------------------------------- writing

CSV_HEADERS = ("bron", "regel", "naam", "aanbevolen_vorm", "statussen", "open_vragen", "waarschuwingen", "fout")


def write_jsonl(rows: Iterable[dict[str, Any]], out: io.TextIOBase) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: Iterable[dict[str, Any]], out: io.TextIOBase) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for row in rows:
        writer.writerow([
            row["source"], row["line"] if row["line"] is not None else "", row["name"] or "",
            row["recommended_form"] or "",
            "; ".join(f"{form}={status}" for form, status in row["statuses"].items()),
            "; ".join(row["open_questions"]), "; ".join(w["rule"] for w in row["warnings"]), row["error"] or "",
        ])


class Tally:
    """Counts the rows as they are written, for the summary."""

    def __init__(self) -> None:
        self.rows = self.errors = 0
        self.forms: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()

    def count(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self.rows += 1
            if row["error"] is not None:
                self.errors += 1
            else:
                self.forms[row["recommended_form"] or "geen vorm"] += 1
                self.warnings.update({w["rule"] for w in row["warnings"]})
            yield row

    def summary(self, labels: dict[str, str]) -> str:
        ok = self.rows - self.errors
        lines = [f"Batch: {self.rows} intentie(s), {ok} met advies, {self.errors} met een fout."]
        if self.forms:
            lines.append("Aanbevolen vorm:")
            lines += [f"  {labels.get(form, form)}: {n}" for form, n in self.forms.most_common()]
        if self.warnings:
            lines.append("Waarschuwingen (aantal intenties):")
            lines += [f"  {rule}: {n}" for rule, n in sorted(self.warnings.items(), key=lambda x: (-x[1], x[0]))]
        if self.errors:
            lines.append("De rijen met een fout staan in de uitvoer, met hun regel en veld (kolom 'fout').")
        return "\n".join(lines) + "\n"


def terminal_progress(stream=sys.stderr) -> Callable[[int, int], None] | None:
    """One updated line on a terminal; nothing when stderr is a file or a pipe."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 40
        filled = width * done // max(total, 1)
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} intenties", end="\n" if done >= total else "",
              file=stream, flush=True)
    return show
