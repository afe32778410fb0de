"""The Jinja environment: one for every document (StrictUndefined; autoescape for HTML)."""
from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from advisor.paths import TEMPLATES_DIR
from advisor.sanitise import md_text, oneline
from advisor.vocabulary import PARTNER_KIND_LABELS, PartnerKind  # noqa: F401 - re-exported

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
    from advisor.cache import cache_dir
    directory = cache_dir()
    bytecode = None
    if directory is not None:
        try:
            (directory / "jinja").mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(directory / "jinja"))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        bytecode_cache=bytecode,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(KIND_LABELS=KIND_LABELS, STATUS_LABELS=STATUS_LABELS, KIND_ORDER=KIND_ORDER,
                       anchor=anchor)
    from advisor.advise import dutch_number
    from advisor.lexicon import lexicon
    env.filters["md"] = md_text
    env.filters["number"] = dutch_number
    env.filters["role_label"] = lambda code: lexicon().label(code) or code
    env.globals["param"] = _param
    env.filters["oneline"] = oneline
    return env


def _param(name: str, day: Any) -> Any:
    """A rule-base parameter on a date, for a template (e.g. the source of the population figures)."""
    from advisor.rulebase import default_rulebase
    return default_rulebase().at(day).params.get(name)


def anchor(clause: str) -> str:
    """A clause anchor: a Markdown block attribute on the line before the article."""
    return "{#" + clause + "}"


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
