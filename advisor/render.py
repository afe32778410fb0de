"""The Jinja environment: one for every document (StrictUndefined; autoescape for HTML)."""
from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from advisor.paths import TEMPLATES_DIR

KIND_LABELS = {
    "exclusion": "uitsluiting",
    "constraint": "beperking",
    "obligation": "verplichting",
    "warning": "waarschuwing",
    "recommendation": "aanbeveling",
    "information": "informatie",
}
STATUS_LABELS = {"recommended": "aanbevolen", "possible": "mogelijk", "excluded": "uitgesloten"}
KIND_ORDER = ["recommendation", "warning", "constraint", "obligation", "information", "exclusion"]


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(KIND_LABELS=KIND_LABELS, STATUS_LABELS=STATUS_LABELS, KIND_ORDER=KIND_ORDER)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
