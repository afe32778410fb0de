"""Decision receipts: what an advice or draft was made from, so it can be reproduced and checked.

A receipt holds the intent, the reference date, the options, the advisor version, hashes of the
rule base and the templates, the rules that fired (each with its citations and a hash of its
definition) and a hash of the output. `verify` recomputes it with today's advisor and says whether
the same output comes out, and if not, which rules changed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel

from advisor import __version__
from advisor.models import Advice, CooperationIntent
from advisor.paths import TEMPLATES_DIR
from advisor.rulebase import RuleBase, default_rulebase


class FiredRule(BaseModel):
    rule: str
    articles: list[str]
    rule_hash: str


class Receipt(BaseModel):
    kind: Literal["advice", "draft"]
    created: str
    advisor_version: str
    reference_date: dt.date
    intent: dict[str, Any]
    options: dict[str, Any]
    rulebase_hash: str
    template_hash: str
    fired: list[FiredRule]
    output_sha256: str


class Verification(BaseModel):
    same_output: bool
    same_rulebase: bool
    same_templates: bool
    changed_rules: list[str]  # fired then and defined differently now
    no_longer_fired: list[str]
    newly_fired: list[str]


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def rule_hash(rb: RuleBase, rule_id: str) -> str:
    return sha256(rb.by_id[rule_id].model_dump_json())


def templates_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES_DIR.rglob("*.j2")):
        digest.update(path.relative_to(TEMPLATES_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def make_receipt(kind: str, intent: CooperationIntent, advice: Advice, options: dict[str, Any],
                 output: bytes | str, rb: RuleBase | None = None) -> Receipt:
    rb = rb or default_rulebase()
    articles = {r.rule: r.articles for fa in advice.forms for r in fa.reasons}
    articles.update({f.rule: f.articles for f in advice.findings})
    return Receipt(
        kind=kind, created=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        advisor_version=__version__, reference_date=advice.reference_date,
        intent=intent.model_dump(mode="json", exclude_none=True), options=options,
        rulebase_hash=rb.digest, template_hash=templates_hash(),
        fired=[FiredRule(rule=r, articles=articles.get(r, []), rule_hash=rule_hash(rb, r))
               for r in advice.fired_rules],
        output_sha256=sha256(output),
    )


def reproduce(receipt: Receipt, rb: RuleBase | None = None) -> tuple[Advice, bytes]:
    """Run the advice or draft again, as the receipt describes it."""
    from advisor.advise import advise
    rb = rb or default_rulebase()
    opts = receipt.options
    if receipt.kind == "draft":
        from advisor.drafts import draft
        d = draft(receipt.intent, opts.get("form"), opts["format"], receipt.reference_date,
                  opts.get("document", "statuten"), situation=opts.get("situation"), rulebase=rb)
        assert d.advice is not None
        return d.advice, d.content
    advice = advise(receipt.intent, receipt.reference_date, opts.get("forms", []), rulebase=rb)
    from advisor.intake import parse_intent
    output = render_advice(advice, opts["format"], rb, parse_intent(receipt.intent), opts.get("with_text", False))
    return advice, output if isinstance(output, bytes) else output.encode("utf-8")


def render_advice(advice: Advice, fmt: str, rb: RuleBase, intent: CooperationIntent | None = None,
                  with_text: bool = False, width: int = 96) -> str | bytes:
    """The advice as text or JSON, or as an adviesnota (md, html, docx, pdf). `with_text`: the text
    advice prints the official text of each article the first time it is cited."""
    if fmt in ("md", "html", "docx", "pdf"):
        from advisor.adviesnota import adviesnota
        content = adviesnota(advice, fmt, rb, intent)
        return content if fmt in ("docx", "pdf") else content.decode("utf-8")
    if fmt == "json":
        return json.dumps(advice.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    from advisor.law.store import FETCH_HINT
    from advisor.render import render
    return render("advies.txt.j2", advice=advice, labels=rb.form_labels, with_text=with_text,
                  fetch_hint=FETCH_HINT, width=width)


def verify(receipt: Receipt, rb: RuleBase | None = None) -> Verification:
    rb = rb or default_rulebase()
    advice, output = reproduce(receipt, rb)
    then = {f.rule: f.rule_hash for f in receipt.fired}
    now = set(advice.fired_rules)
    changed = [r for r, h in then.items() if r not in rb.by_id or rule_hash(rb, r) != h]
    return Verification(
        same_output=sha256(output) == receipt.output_sha256,
        same_rulebase=rb.digest == receipt.rulebase_hash,
        same_templates=templates_hash() == receipt.template_hash,
        changed_rules=changed,
        no_longer_fired=[r for r in then if r not in now],
        newly_fired=[r for r in advice.fired_rules if r not in then],
    )
