"""The store from a file the user saved by hand (behind a proxy, or offline): the Codex JSON, the
codex print page (HTML), a PDF or plain text. Text is split on the article headings: a line that
starts with "Artikel" or "Art.", a number and a full stop, optionally followed by the version's dates
"(dd/mm/jjjj - ...)")."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

from advisor.errors import InputError, LawError
from advisor.law.codex import html_to_text, parse_document
from advisor.law.fetch import Fetched
from advisor.law.store import Article, LawText, Store, make_version
from advisor.rulebase import RuleBase

_HEADING = re.compile(
    r"^[ \t]*(?:Artikel|Art\.)[ \t]*"
    r"(?P<number>\d+(?:\.\d+)*(?:/\d+)?(?:[ \t]?(?:bis|ter|quater|quinquies|sexies))?)\.(?=\s|$)"
    r"(?:[ \t]*\((?P<start>\d{2}/\d{2}/\d{4})[ \t]*-[ \t]*(?P<end>\d{2}/\d{2}/\d{4}|\.\.\.)?\))?",
    re.IGNORECASE | re.MULTILINE)


def import_file(rb: RuleBase, store: Store, path: Path, law: str) -> Fetched:
    if law not in rb.laws.laws:
        raise InputError(f"--law: '{law}' is geen wet uit rules/laws.yaml (kies uit {', '.join(rb.laws.laws)})")
    text = read(path, law, rb.laws.laws[law].codex)
    return Fetched(text, store.save(text))


def read(path: Path, law: str, document_id: int | None = None) -> LawText:
    from advisor.intake import MAX_LAW_BYTES, read_file
    data = read_file(path, MAX_LAW_BYTES)
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    head = data.lstrip()[:200].lower()
    if head.startswith((b"{", b"[")):
        try:
            parsed = json.loads(data)
        except ValueError as exc:
            raise LawError(f"{path}: ongeldige JSON ({exc})") from None
        text = parse_document(parsed, law, path.name, now)
        return text.model_copy(update={"origin": "import",
                                       "document_id": text.document_id or document_id})
    if head.startswith(b"%pdf"):
        plain = _pdf_text(path, data)
    elif head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<body" in data[:5000].lower():
        plain = html_to_text(_decode(data))
    else:
        plain = _decode(data)
    articles, warnings = split_articles(plain)
    if not articles:
        raise LawError(f"{path}: geen artikelkoppen gevonden (een regel die begint met 'Artikel' of 'Art.', "
                       "een nummer en een punt); is dit de tekst van de wet?")
    return LawText(law=law, document_id=document_id, origin="import", source=path.name, retrieved=now,
                   articles=articles, warnings=warnings)


def split_articles(text: str) -> tuple[list[Article], list[str]]:
    """Articles in document order. The same number twice without dates (a table of contents, a
    repeated page header): the longest text is kept, with a warning."""
    heads = list(_HEADING.finditer(text))
    found: dict[str, list] = {}
    for head, nxt in zip(heads, [*heads[1:], None]):
        body = text[head.end(): nxt.start() if nxt else len(text)]
        number = re.sub(r"\s+", "", head["number"]).lower()
        start = _dmy(head["start"])
        end = _dmy(head["end"]) if head["end"] and head["end"] != "..." else None
        found.setdefault(number, []).append(make_version(body, start, end))
    articles, warnings = [], []
    doubled = []
    for number, versions in found.items():
        if len(versions) > 1 and any(v.start is None for v in versions):
            doubled.append(number)
            versions = [max(versions, key=lambda v: len(v.text or ""))]
        articles.append(Article(number=number, versions=versions))
    if doubled:
        warnings.append(f"{len(doubled)} artikelnummer(s) kwamen meer dan eens voor zonder datums "
                        f"(de langste tekst is bewaard): {', '.join(doubled[:20])}")
    return articles, warnings


def _dmy(value: str | None) -> dt.date | None:
    if not value:
        return None
    day, month, year = (int(x) for x in value.split("/"))
    return dt.date(year, month, day)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise LawError(f"{path}: onleesbare PDF ({exc})") from None
