"""Build the test copies of the DLB, VCRO and Regiodecreet in the Codex Open Data API schema
(`VolledigDocument`, the shape of shared/law/codex-api/volledig-document-sample.json).

TEST DATA, NOT THE LAW: each cited article gets a text that contains the terms its citations name,
in HTML as the Codex serves it, except for the defects planted in the DLB (see PLANTED, which
tests/test_law_check.py expects `law check` to find). Run again after changing the terms in rules/:

    .venv/bin/python tests/data/codex/build.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from advisor.law.check import cited  # noqa: E402
from advisor.rulebase import RuleBase  # noqa: E402

API = "https://codex.opendata.api.vlaanderen.be"
DOCS = {"dlb": (1029017, "over het lokaal bestuur", "2017-12-22"),
        "vcro": (1018245, "Vlaamse Codex Ruimtelijke Ordening", "2009-05-15"),
        "regio": (1038101, "over regiovorming en tot wijziging van het decreet van 22 december 2017 "
                           "over het lokaal bestuur", "2023-02-03")}
START = {"dlb": "2019-01-01", "vcro": "2019-01-01", "regio": "2023-03-19"}

# The planted defects, and what `law check` must say about them.
PLANTED = {
    # the terms of art. 416 sit in art. 417 (a renumbering): termen_ontbreken, suggest 417
    "moved": {"law": "dlb", "article": "416", "to": "417"},
    # art. 395 repealed: its only version ended on 2023-12-31: niet_in_werking
    "repealed": {"law": "dlb", "article": "395", "end": "2023-12-31"},
    # art. 393 gets a version from 2027-01-01 without "opzegmogelijkheid": confirmed today, with a note
    "future": {"law": "dlb", "article": "393", "start": "2027-01-01", "drop": "opzegmogelijkheid",
               "instead": "de mogelijkheid tot opzegging"},
    # art. 466 exists only as a future version waiting for an external event: niet_in_werking
    "future_only": {"law": "dlb", "article": "466"},
    # art. 441 is absent from the answer; art. 458 is in the table of contents without text
    "missing": {"law": "dlb", "article": "441"},
    "no_text": {"law": "dlb", "article": "458"},
    # the article the rule base could not number: the text puts these terms in art. 407
    "unnumbered": {"law": "dlb", "article": "407", "terms": ["raadgevende stem"]},
    "unnumbered_regio": {"law": "regio", "article": "19", "terms": ["1 januari 2031", "2037"]},
}
# the versions an article had before: (until, terms of that time, terms from then on)
SPLIT = {("dlb", "397"): ("2021-08-13", ["coöperatieve vennootschap met beperkte aansprakelijkheid"],
                          ["coöperatieve vennootschap"]),
         ("dlb", "471"): ("2023-12-31", ["goedkeuring", "statuten"], ["toezicht", "advies"])}
NEIGHBOURS = {"dlb": ["386", "387", "399", "400", "405", "406", "408"], "vcro": ["2.1.2"], "regio": ["1", "2", "5", "6"]}


def html(number: str, terms: list[str]) -> str:
    """A test text in the HTML the Codex serves: a paragraph per term, non-breaking spaces, a list."""
    if not terms:
        return f"Testtekst van artikel {number}: geen bepaling die de regelbank citeert."
    first, *rest = terms
    lines = [f"§1. Testtekst van artikel {number} (geen officiële tekst): {first.replace(' ', '&nbsp;', 1)}."]
    if rest:
        lines.append("§2. Het betreft:")
        lines += [f"{i}° &nbsp;<i>{t}</i>;" for i, t in enumerate(rest, start=1)]
    return "<br>\n".join(lines)


def version(vid: int, start: str | None, end: str | None, number: str, text: str) -> dict:
    return {"Tekst": text, "Commentaar": None, "MetaData": [],
            "StartDatum": f"{start}T00:00:00" if start else None, "EindDatum": f"{end}T00:00:00" if end else None,
            "StartDatumConditie": "DateDependentOnExternalEvent" if start and start.startswith("2100") else "SpecifiedDate",
            "EindDatumConditie": "SpecifiedDate", "ArtikelType": "ART", "ArtikelNummer": f"{number}.",
            "Link": {"Rel": "self", "Href": f"{API}/api/WetgevingArtikelVersie/{vid}"}, "Id": vid}


def sort_key(number: str) -> tuple:
    return tuple(int(p) for p in number.replace("/", ".").split("."))


def build_law(rb: RuleBase, law: str) -> dict:
    terms: dict[str, list[str]] = {}
    for _, _, c, _ in cited(rb):
        if c.law == law and c.article:
            bucket = terms.setdefault(c.article, [])
            bucket += [t for t in c.terms if t not in bucket]
    for n in NEIGHBOURS[law]:
        terms.setdefault(n, [])
    for p in PLANTED.values():
        if p["law"] == law and "terms" in p:
            terms.setdefault(p["article"], []).extend(p["terms"])
    moved = PLANTED["moved"]
    if law == moved["law"]:
        terms[moved["to"]] = terms.get(moved["to"], []) + terms[moved["article"]]
        terms[moved["article"]] = []
    doc_id, title, date = DOCS[law]
    toc, listed, current, future = [], [], [], []
    for i, number in enumerate(sorted(terms, key=sort_key)):
        if law == "dlb" and number == PLANTED["missing"]["article"]:
            continue
        article_id, vid = 9_100_000 + doc_id % 1000 * 1000 + i, 9_500_000 + doc_id % 1000 * 1000 + i * 10
        versions = []  # (vid, start, end, text)
        if (law, number) in SPLIT:
            until, old, new = SPLIT[(law, number)]
            versions += [(vid, START[law], until, html(number, old)), (vid + 1, _next(until), None, html(number, new))]
        elif law == "dlb" and number == PLANTED["repealed"]["article"]:
            versions.append((vid, START[law], PLANTED["repealed"]["end"], html(number, terms[number])))
        elif law == "dlb" and number == PLANTED["future_only"]["article"]:
            versions.append((vid, "2100-01-01", None, html(number, terms[number])))
        else:
            versions.append((vid, START[law], None, html(number, terms[number])))
        f = PLANTED["future"]
        if law == f["law"] and number == f["article"]:
            text = html(number, terms[number]).replace(f["drop"], f["instead"])
            versions = [(versions[0][0], versions[0][1], _prev(f["start"]), versions[0][3]),
                        (vid + 1, f["start"], None, text)]
        toc.append({"ArtikelType": "ART", "ItemType": "A", "Titel": f"{number}.", "Items": [],
                    "Versions": [{"StartDatum": f"{s}T00:00:00", "EindDatum": f"{e}T00:00:00" if e else None,
                                  "ArtikelType": "ART", "ItemType": "AV",
                                  "Titel": f"{number}. ({_dmy(s)} - {_dmy(e) if e else '...'})", "Items": None,
                                  "Versions": [], "Link": {"Rel": "self", "Href": f"{API}/api/WetgevingArtikelVersie/{v}"},
                                  "Id": v} for v, s, e, _ in versions],
                    "Link": {"Rel": "self", "Href": f"{API}/api/WetgevingArtikel/{article_id}"}, "Id": article_id})
        listed.append({"Titel": f"{number}.", "Link": {"Rel": "self", "Href": f"{API}/api/WetgevingArtikel/{article_id}"},
                       "Id": article_id})
        if law == "dlb" and number == PLANTED["no_text"]["article"]:
            continue
        for v, s, e, text in versions:
            entry = version(v, s, e, number, text)
            if s > "2026-12-31":
                future.append(entry)
            else:
                current.append({"ArtikelVersie": entry, "DocumentRelaties": None, "ArtikelVersieRelaties": None,
                                "Bestanden": None, "HoofdstukVersieRelaties": None})
    return {
        "Info": {"Errata": None, "WetgevingDocumentRelaties": None, "WetgevingArtikelRelaties": None, "ExterneLinks": None},
        "Document": {"BSDatum": None, "StartDatum": f"{START[law]}T00:00:00", "EindDatum": None,
                     "Opschrift": f"{title} (TESTGEGEVENS, geen officiële tekst)", "Datum": f"{date}T00:00:00",
                     "WetgevingDocumentType": "Decreet", "HeeftInhoud": True,
                     "Link": {"Rel": "self", "Href": f"{API}/api/v2/WetgevingDocument/{doc_id}"}, "Id": doc_id},
        "Inhoudstafel": {"Items": [{"ItemType": "H", "Titel": "Testhoofdstuk", "Items": toc, "Versions": [],
                                    "Link": None, "Id": 9_000_000 + doc_id % 1000}],
                         "Versions": None, "Link": None},
        "Inhoud": {"Artikelen": listed, "ArtikelVersies": current, "ToekomstigeArtikelVersies": future,
                   "Hoofdstukken": [], "HoofdstukVersies": [], "ToekomstigeHoofdstukVersies": []},
    }


def _dmy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _next(iso: str) -> str:
    import datetime as dt
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def _prev(iso: str) -> str:
    import datetime as dt
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def main() -> None:
    rb = RuleBase()
    for law in DOCS:
        path = HERE / f"{law}.json"
        path.write_text(json.dumps(build_law(rb, law), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path.relative_to(HERE.parents[2])}")


if __name__ == "__main__":
    main()
