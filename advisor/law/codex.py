"""The Vlaamse Codex Open Data API: its addresses and its `VolledigDocument` answer read into a
LawText (shared/law/codex-api/ holds a real, shortened answer and what is known of the API).

The answer has three parts that matter here: `Inhoudstafel` (the structure: every article with its
id and the dates of its versions), `Inhoud.ArtikelVersies` (the versions in force, with `Tekst` in
HTML) and `Inhoud.ToekomstigeArtikelVersies` (versions not yet in force). Whether one answer holds
every version of a long decree was never seen, so articles without text are reported, not assumed.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from advisor.errors import LawError
from advisor.law.store import Article, LawText, Version, make_version, normalize_number

API_BASE = "https://codex.opendata.api.vlaanderen.be"
ENV_API = "IGS_ADVISOR_CODEX_API"
# the portal's own deep link (DID: the document); AID, the article, is the WetgevingArtikel id as
# far as known: the research report cites DID=1029017&AID=1235311 for the DLB's article on purpose
PORTAL = "https://codex.vlaanderen.be/Zoeken/Document.aspx?DID={document}&param=inhoud"


def document_path(document_id: int) -> str:
    return f"/api/v2/WetgevingDocument/{document_id}/VolledigDocument"


def document_url(document_id: int) -> str:
    return PORTAL.format(document=document_id)


def article_url(document_id: int, article_id: int | None) -> str:
    url = document_url(document_id)
    return f"{url}&AID={article_id}" if article_id else url


def html_to_text(html: str) -> str:
    """HTML reduced to plain text; paragraphs, line breaks and numbering (1°, §2) kept."""
    if "<" not in html and "&" not in html:
        return html
    from inscriptis import get_text
    return get_text(html)


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise LawError(f"onverwacht antwoord van de Codex: {where}: '{value}' is geen datum") from None


def _id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_document(data: Any, law: str, source: str, retrieved: dt.datetime) -> LawText:
    """A VolledigDocument answer as a LawText; a Dutch LawError names what is missing."""
    if not isinstance(data, dict) or not isinstance(data.get("Inhoud"), dict):
        raise LawError(f"{source}: geen VolledigDocument van de Vlaamse Codex (het veld 'Inhoud' ontbreekt)")
    doc = data.get("Document") if isinstance(data.get("Document"), dict) else {}
    articles: dict[str, dict] = {}  # number -> {"codex_id", "versions": {key: Version}}

    def slot(number: str, codex_id: int | None = None) -> dict:
        entry = articles.setdefault(number, {"codex_id": None, "versions": {}})
        entry["codex_id"] = entry["codex_id"] or codex_id
        return entry

    def walk(items: Any) -> None:
        for item in items or []:
            if not isinstance(item, dict):
                continue
            if item.get("ItemType") == "A" and item.get("Titel"):
                number = normalize_number(str(item["Titel"]))
                entry = slot(number, _id(item.get("Id")))
                for v in item.get("Versions") or []:
                    key = _id(v.get("Id")) or (v.get("StartDatum"), v.get("EindDatum"))
                    entry["versions"].setdefault(key, Version(
                        id=_id(v.get("Id")), start=_date(v.get("StartDatum"), f"artikel {number}"),
                        end=_date(v.get("EindDatum"), f"artikel {number}")))
            walk(item.get("Items"))

    walk((data.get("Inhoudstafel") or {}).get("Items"))
    inhoud = data["Inhoud"]
    versions = [w.get("ArtikelVersie", w) for w in inhoud.get("ArtikelVersies") or [] if isinstance(w, dict)]
    versions += [w.get("ArtikelVersie", w) for w in inhoud.get("ToekomstigeArtikelVersies") or []
                 if isinstance(w, dict)]
    for v in versions:
        if not isinstance(v, dict) or not v.get("ArtikelNummer"):
            continue
        number = normalize_number(str(v["ArtikelNummer"]))
        entry = slot(number)
        key = _id(v.get("Id")) or (v.get("StartDatum"), v.get("EindDatum"))
        text = v.get("Tekst")
        entry["versions"][key] = make_version(
            html_to_text(text) if isinstance(text, str) else None,
            _date(v.get("StartDatum"), f"artikel {number}"), _date(v.get("EindDatum"), f"artikel {number}"),
            _id(v.get("Id")))
    listed = {normalize_number(str(a.get("Titel"))): _id(a.get("Id"))
              for a in inhoud.get("Artikelen") or [] if isinstance(a, dict) and a.get("Titel")}
    for number, codex_id in listed.items():
        slot(number, codex_id)
    out = [Article(number=n, codex_id=e["codex_id"], versions=list(e["versions"].values()))
           for n, e in articles.items()]
    if not any(v.text is not None for a in out for v in a.versions):
        raise LawError(f"{source}: het antwoord bevat geen enkele artikeltekst")
    missing = [a.number for a in out if all(v.text is None for v in a.versions)]
    warnings = []
    if missing:
        shown = ", ".join(missing[:20]) + (f" en {len(missing) - 20} andere" if len(missing) > 20 else "")
        warnings.append(f"{len(missing)} artikel(s) zonder tekst in het antwoord: {shown}")
    return LawText(law=law, document_id=_id(doc.get("Id")), title=doc.get("Opschrift"), origin="codex",
                   source=source, retrieved=retrieved, articles=out, warnings=warnings)
