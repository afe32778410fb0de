"""Decision receipts: what an advice or draft was made from, so it can be reproduced and checked.

A receipt holds the intent, the reference date, the options, the advisor version, hashes of the
rule base and the templates, the rules that fired (each with its citations and a hash of its
definition) and a hash of the output. `verify` recomputes it with today's advisor and compares
everything the receipt records (output, rule-base and template hashes, version, each fired rule's
hash, the list and order of the fired rules, their articles); any difference fails and is named.
A receipt whose fields or options do not fit its kind is refused (exit status 2), naming the field.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from advisor import __version__
from advisor.errors import InputError, excerpt
from advisor.models import Advice, CooperationIntent, IsoDate, lax
from advisor.paths import TEMPLATES_DIR
from advisor.rulebase import RuleBase, default_rulebase
from advisor.vocabulary import Form


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class FiredRule(_Strict):
    rule: str
    articles: list[str]
    rule_hash: str


class AdviceOptions(_Strict):
    """How an advice was rendered (`igs-advisor advise`)."""

    format: Literal["text", "json", "md", "html", "docx", "pdf"]
    forms: list[lax(Form)] = []
    with_text: bool = False


class DraftOptions(_Strict):
    """How a draft was made (`igs-advisor draft`)."""

    format: Literal["md", "html", "docx", "pdf"]
    form: lax(Form) | None = None
    document: Literal["statuten", "beleidsplan", "raadsbesluit"] = "statuten"
    situation: Literal["oprichting", "toetreding"] | None = None


OPTIONS = {"advice": AdviceOptions, "draft": DraftOptions}


class Receipt(_Strict):
    kind: Literal["advice", "draft"]
    created: str
    advisor_version: str
    reference_date: IsoDate
    intent: dict[str, Any]
    options: dict[str, Any]  # AdviceOptions or DraftOptions, after the kind (see `settings`)
    rulebase_hash: str
    template_hash: str
    fired: list[FiredRule]
    output_sha256: str

    @property
    def settings(self) -> AdviceOptions | DraftOptions:
        return OPTIONS[self.kind].model_validate(self.options)


def parse_receipt(data: Any, origin: str = "bewijs") -> Receipt:
    """A receipt as read from a file; every problem an InputError naming the field."""
    from advisor.intake import problems_of
    head = f"{origin}: geen geldig beslissingsbewijs"
    try:
        receipt = Receipt.model_validate(data)
    except ValidationError as exc:
        raise InputError([head, *problems_of(exc.errors(include_url=False), root="(bewijs)")]) from None
    try:
        receipt.settings  # noqa: B018 - the options must fit the kind
    except ValidationError as exc:
        raise InputError([head, *problems_of(exc.errors(include_url=False), ("options",))]) from None
    return receipt


class Verification(BaseModel):
    same_output: bool
    same_rulebase: bool
    same_templates: bool
    changed_rules: list[str]  # fired then and defined differently now
    no_longer_fired: list[str]
    newly_fired: list[str]
    same_version: bool = True
    same_fired_order: bool = True  # the rules fired in the order the receipt lists them
    changed_articles: list[str] = []  # fired rules whose cited articles differ from the receipt's
    differences: list[str] = []  # in Dutch: everything that differs; empty when the receipt holds

    @property
    def ok(self) -> bool:
        return not self.differences


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def rule_hash(rb: RuleBase, rule_id: str) -> str:
    return sha256(rb.by_id[rule_id].model_dump_json())


def templates_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES_DIR.rglob("*.j2")):
        digest.update(path.relative_to(TEMPLATES_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fired_rules(rb: RuleBase, advice: Advice) -> list[FiredRule]:
    """The rules an advice fired, each with the articles it cites and the hash of its definition."""
    articles = {r.rule: r.articles for fa in advice.forms for r in fa.reasons}
    articles.update({f.rule: f.articles for f in advice.findings})
    return [FiredRule(rule=r, articles=articles.get(r, []), rule_hash=rule_hash(rb, r)) for r in advice.fired_rules]


def make_receipt(kind: str, intent: CooperationIntent, advice: Advice, options: dict[str, Any],
                 output: bytes | str, rb: RuleBase | None = None) -> Receipt:
    rb = rb or default_rulebase()
    return Receipt(
        kind=kind, created=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        advisor_version=__version__, reference_date=advice.reference_date,
        intent=intent.model_dump(mode="json", exclude_none=True),
        options=OPTIONS[kind].model_validate(options).model_dump(mode="json"),
        rulebase_hash=rb.digest, template_hash=templates_hash(), fired=fired_rules(rb, advice),
        output_sha256=sha256(output),
    )


def reproduce(receipt: Receipt, rb: RuleBase | None = None) -> tuple[Advice, bytes]:
    """Run the advice or draft again, as the receipt describes it."""
    from advisor.advise import advise
    from advisor.intake import parse_intent
    rb = rb or default_rulebase()
    opts = receipt.settings
    try:
        intent = parse_intent(receipt.intent)
    except InputError as exc:
        raise InputError([f"intent.{p}" for p in exc.problems]) from None
    if isinstance(opts, DraftOptions):
        from advisor.drafts import draft
        d = draft(intent, opts.form, opts.format, receipt.reference_date, opts.document,
                  situation=opts.situation, rulebase=rb)
        assert d.advice is not None
        return d.advice, d.content
    advice = advise(intent, receipt.reference_date, opts.forms, rulebase=rb)
    output = render_advice(advice, opts.format, rb, intent, opts.with_text)
    return advice, output if isinstance(output, bytes) else output.encode("utf-8")


def render_advice(advice: Advice, fmt: str, rb: RuleBase, intent: CooperationIntent | None = None,
                  with_text: bool = False, width: int = 96) -> str | bytes:
    """The advice as text or JSON, or as an adviesnota (md, html, docx, pdf). `with_text`: the text
    advice prints the official text of each article the first time it is cited."""
    if fmt in ("md", "html", "docx", "pdf"):
        from advisor.adviesnota import adviesnota
        content = adviesnota(advice, fmt, rb, intent)
        return content if fmt in ("docx", "pdf") else content.decode("utf-8")
    from advisor.sanitise import visible  # for a terminal: what the receipt hashes is what is shown
    if fmt == "json":
        return visible(json.dumps(advice.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    from advisor.law.store import FETCH_HINT
    from advisor.render import render
    return visible(render("advies.txt.j2", advice=advice, labels=rb.form_labels, with_text=with_text,
                          fetch_hint=FETCH_HINT, width=width))


def verify(receipt: Receipt, rb: RuleBase | None = None) -> Verification:
    """Recompute the receipt with today's advisor and compare everything it records."""
    rb = rb or default_rulebase()
    advice, output = reproduce(receipt, rb)
    then = {f.rule: f for f in receipt.fired}
    now = {f.rule: f for f in fired_rules(rb, advice)}
    result = Verification(
        same_output=sha256(output) == receipt.output_sha256,
        same_rulebase=rb.digest == receipt.rulebase_hash,
        same_templates=templates_hash() == receipt.template_hash,
        same_version=__version__ == receipt.advisor_version,
        changed_rules=[r for r, f in then.items() if r not in rb.by_id or rule_hash(rb, r) != f.rule_hash],
        no_longer_fired=[r for r in then if r not in now],
        newly_fired=[r for r in now if r not in then],
        same_fired_order=[f.rule for f in receipt.fired] == list(now),
        changed_articles=[r for r, f in then.items() if r in now and now[r].articles != f.articles],
    )
    checks = [
        (result.same_output, "de uitvoer (output_sha256)"),
        (result.same_rulebase, "de hash van de regelbank (rulebase_hash)"),
        (result.same_templates, "de hash van de sjablonen (template_hash)"),
        (result.same_version, f"de versie van igs-advisor (advisor_version: {excerpt(receipt.advisor_version)}, "
                              f"nu {__version__})"),
        (not result.changed_rules, "de hash van regel(s) " + ", ".join(result.changed_rules)),
        (not result.no_longer_fired, "regel(s) die niet meer vuren: " + ", ".join(result.no_longer_fired)),
        (not result.newly_fired, "regel(s) die nu vuren: " + ", ".join(result.newly_fired)),
        (result.same_fired_order or result.no_longer_fired or result.newly_fired,
         "de volgorde van de gevuurde regels (fired)"),
        (not result.changed_articles, "de artikels van regel(s) " + ", ".join(result.changed_articles)),
    ]
    result.differences = [what for same, what in checks if not same]
    return result
