"""The statutes check as JSON, text or Markdown (one template per format)."""
from __future__ import annotations

import json

from advisor.errors import InputError
from advisor.render import render
from advisor.statutes.check import StatutesReport

FORMATS = ("text", "json", "md")


def summary(r: StatutesReport) -> str:
    parts = [f"{r.count('aanwezig')} van {len(r.clauses)} verplichte clausules aanwezig"]
    if r.count("ontbreekt"):
        parts.append(f"{r.count('ontbreekt')} {'ontbreekt' if r.count('ontbreekt') == 1 else 'ontbreken'}")
    if r.count("twijfel"):
        parts.append(f"{r.count('twijfel')} twijfelachtig")
    text = "Resultaat: " + ", ".join(parts)
    if r.outdated:
        text += f"; {len(r.outdated)} verouderde verwijzing{'en' if len(r.outdated) > 1 else ''} of bepaling{'en' if len(r.outdated) > 1 else ''}"
    return text + (". Pas de tekst aan of laat hem nakijken." if not r.ok else ".")


def render_report(r: StatutesReport, fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"--format: '{fmt}' is geen formaat van de toets; kies uit: {', '.join(FORMATS)}")
    if fmt == "json":
        payload = r.model_dump(mode="json")
        payload["ok"] = r.ok
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    members = ", ".join(f"{m.name} ({m.region})" if m.name == m.municipality
                        else f"{m.name} (nu {m.municipality}, {m.region})" for m in r.regiovorming.members)
    template = "statutes/toets.txt.j2" if fmt == "text" else "statutes/toets.md.j2"
    return render(template, r=r, summary=summary(r), members=members)
