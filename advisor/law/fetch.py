"""Download the consolidated text of the laws the rule base cites from the Codex Open Data API
into the store. Everything is downloaded before anything is written: offline or on an HTTP error
the old store is left untouched."""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import Callable

import httpx

from advisor.errors import InputError, LawError
from advisor.law.codex import API_BASE, ENV_API, document_path, parse_document
from advisor.law.store import Change, LawText, Store
from advisor.rulebase import RuleBase

# progress(label, bytes received, bytes expected or None, finished)
Progress = Callable[[str, int, int | None, bool], None]
TIMEOUT = httpx.Timeout(60.0, connect=15.0)


@dataclass
class Fetched:
    text: LawText
    change: Change | None


def fetchable(rb: RuleBase) -> list[str]:
    """The laws the rule base cites whose Codex document id is known, in laws.yaml order."""
    cited = {c.law for r in rb.rules for c in r.citations} | {p.source.law for p in rb.params.values()}
    return [code for code, law in rb.laws.laws.items() if law.codex and code in cited]


def choose(rb: RuleBase, laws: list[str]) -> list[str]:
    known = [code for code, law in rb.laws.laws.items() if law.codex]
    wrong = [code for code in laws if code not in known]
    if wrong:
        raise InputError(f"--law: {', '.join(wrong)}: geen wet met een gekend Codex-documentnummer "
                         f"(kies uit {', '.join(known)}; de nummers staan in rules/laws.yaml)")
    return laws or fetchable(rb)


def api_base(api: str | None) -> str:
    return (api or os.environ.get(ENV_API) or API_BASE).rstrip("/")


def fetch(rb: RuleBase, store: Store, laws: list[str] = (), api: str | None = None, *,
          client: httpx.Client | None = None, progress: Progress | None = None) -> list[Fetched]:
    base = api_base(api)
    from advisor import __version__
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True)
    texts: list[LawText] = []
    try:
        for code in choose(rb, list(laws)):
            law = rb.laws.laws[code]
            url = base + document_path(law.codex)
            body = _download(client, url, law.label, progress, {"User-Agent": f"igs-advisor/{__version__}",
                                                                "Accept": "application/json"})
            try:
                data = json.loads(body)
            except ValueError:
                raise LawError(f"{url}: het antwoord is geen JSON; de lokale kopie is niet gewijzigd") from None
            texts.append(parse_document(data, code, url, dt.datetime.now().astimezone().replace(microsecond=0)))
    finally:
        if own:
            client.close()
    return [Fetched(text, store.save(text)) for text in texts]


def _download(client: httpx.Client, url: str, label: str, progress: Progress | None,
              headers: dict[str, str]) -> bytes:
    untouched = "de lokale kopie is niet gewijzigd"
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code != 200:
                raise LawError(f"{url}: de Codex antwoordde met HTTP {response.status_code} "
                               f"{response.reason_phrase}; {untouched}")
            total = response.headers.get("Content-Length")
            expected = int(total) if total and total.isdigit() else None
            chunks, received = [], 0
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                received += len(chunk)
                if progress:
                    progress(label, received, expected, False)
            if progress:
                progress(label, received, expected, True)
            return b"".join(chunks)
    except httpx.TransportError as exc:
        raise LawError(
            f"geen verbinding met {url} ({type(exc).__name__}: {exc or 'geen antwoord'}); {untouched}. "
            "Zonder internet: bewaar de tekst in een browser (JSON, de afdrukpagina van codex.vlaanderen.be "
            "of een PDF) en lees hem in met `igs-advisor law import BESTAND --law WET`") from None


def report(rb: RuleBase, done: list[Fetched], store: Store) -> str:
    """What was stored and what changed, in Dutch."""
    lines = [f"Lokale kopie van de wet: {store.path}"]
    for f in done:
        t = f.text
        where = f"Codex {t.document_id}, " if t.document_id else ""
        how = "opgehaald" if t.origin == "codex" else "ingelezen"
        label = rb.laws.laws[t.law].label if t.law in rb.laws.laws else t.law
        lines.append(f"{label}: {len(t.articles)} artikels ({where}{how} op {t.retrieved:%Y-%m-%d %H:%M} uit {t.source})")
        if f.change is None:
            lines.append("  eerste kopie van deze wet")
        else:
            c = f.change
            parts = [f"{len(items)} {label}" + (f" ({', '.join(items[:15])}{' ...' if len(items) > 15 else ''})" if items else "")
                     for label, items in (("gewijzigd", c.changed), ("nieuw", c.added), ("verdwenen", c.removed))]
            lines.append(f"  sinds de vorige kopie ({c.previous:%Y-%m-%d}): " + ", ".join(parts))
        lines += [f"  let op: {w}" for w in t.warnings]
    lines.append("Controleer nu de verwijzingen van de regelbank: igs-advisor law check")
    return "\n".join(lines) + "\n"
