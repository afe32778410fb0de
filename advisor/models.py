"""The public contract: the cooperation intent (input) and the advice (output), as pydantic v2.

The intent model validates strictly (unknown keys and wrong types are errors). Its derived facts
are computed once and are the only facts the rule base may test (see `CaseFacts`).
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from advisor.municipalities import registry
from advisor.vocabulary import CostKey, Form, Need, PartnerKind, PolicyPlan, PurposeKind, Verevening

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


def lax(tp):
    """Enums and dates are given as strings in YAML/JSON: accept those, nothing looser."""
    return Annotated[tp, Field(strict=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Purpose(_Strict):
    kind: lax(PurposeKind)
    description: LongText | None = None
    domains: Annotated[list[Tag], Field(max_length=50)] = []


class Partner(_Strict):
    name: Text
    kind: lax(PartnerKind)
    sector: Tag | None = None


class Needs(_Strict):
    legal_personality: bool | None = None
    own_staff: bool | None = None
    own_assets: bool | None = None


class SpatialPlanning(_Strict):
    policy_plan: lax(PolicyPlan) | None = None
    igecoro: bool | None = None
    shared_official: bool | None = None


class Finance(_Strict):
    verevening: lax(Verevening) | None = None
    cost_sharing_key: lax(CostKey) | None = None  # extension: inwoners | gebruik | gelijke_delen


class Notice(BaseModel):
    """A remark about the input itself (not law): a former or unknown municipality name."""

    rule: str
    message: str


class CaseFacts(BaseModel):
    """The flat facts the rule base tests. Their names are the rule language's vocabulary."""

    model_config = ConfigDict(frozen=True)

    purpose_kind: PurposeKind
    n_partners: int
    n_gemeenten: int
    partner_kinds: list[str]
    has_private_partners: bool
    n_private_partners: int
    private_sectors: list[str]
    legal_personality: Need
    needs_legal_personality: bool | None
    needs_own_staff: bool | None
    needs_own_assets: bool | None
    duration_years: int | None
    founding_year: int | None
    domains: list[str]
    policy_plan: PolicyPlan | None
    igecoro: bool | None
    shared_official: bool | None
    verevening: Verevening | None
    reference_regions: list[str]
    n_reference_regions: int
    n_unknown_gemeenten: int


class DecisionFacts(CaseFacts):
    """Facts after the choice of form: rules that test these run in the second stage."""

    recommended_form: Form | None
    excluded_forms: list[str]
    possible_forms: list[str]


DECISION_FACTS = frozenset(DecisionFacts.model_fields) - frozenset(CaseFacts.model_fields)
UNKNOWN_SECTOR = "onbekend"


class CooperationIntent(_Strict):
    """Samenwerkingsintentie: what the municipalities want to do together (contract §1)."""

    name: Text
    seat: Text | None = None  # extension: the seat (municipality or address), for drafts
    reference_date: lax(dt.date) | None = None
    founding_year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    purpose: Purpose
    partners: Annotated[list[Partner], Field(min_length=1, max_length=500)]
    needs: Needs = Needs()
    duration_years: Annotated[int, Field(ge=1, le=99)] | None = None
    spatial_planning: SpatialPlanning | None = None
    finance: Finance | None = None

    @cached_property
    def _derived(self) -> tuple[CaseFacts, tuple[Notice, ...]]:
        return _derive(self)

    @property
    def facts(self) -> CaseFacts:
        return self._derived[0]

    @property
    def notices(self) -> tuple[Notice, ...]:
        return self._derived[1]


def _need(needs: Needs) -> Need:
    answers = (needs.legal_personality, needs.own_staff, needs.own_assets)
    if any(a is True for a in answers):
        return Need.needed
    if any(a is None for a in answers):
        return Need.unknown
    return Need.not_needed


def _derive(intent: CooperationIntent) -> tuple[CaseFacts, tuple[Notice, ...]]:
    reg = registry()
    notices: list[Notice] = []
    seen: dict[str, str] = {}  # municipality key -> the partner name first given for it
    regions: list[str] = []
    unknown = 0
    for partner in intent.partners:
        if partner.kind is not PartnerKind.gemeente:
            continue
        match = reg.lookup(partner.name)
        if match.municipality is None:
            unknown += 1
            key = f"?{partner.name.casefold()}"
            notices.append(Notice(
                rule="invoer-onbekende-gemeente",
                message=f"'{partner.name}' staat niet in de lijst van de Vlaamse gemeenten "
                        f"({len(reg.entries)}); het advies telt de partner als gemeente. "
                        "Controleer de schrijfwijze.",
            ))
        else:
            m = match.municipality
            key = m.nis
            if match.former_name:
                notices.append(Notice(
                    rule="invoer-vroegere-gemeentenaam",
                    message=f"'{partner.name}' is sinds 1 januari 2025 deel van de gemeente "
                            f"{m.name} (NIS {m.nis}); het advies rekent met {m.name}.",
                ))
            if m.region not in regions:
                regions.append(m.region)
        if key in seen:
            notices.append(Notice(
                rule="invoer-dubbele-gemeente",
                message=f"'{partner.name}' en '{seen[key]}' zijn dezelfde gemeente; "
                        "ze tellen als één deelnemer.",
            ))
        else:
            seen[key] = partner.name
    private = [p for p in intent.partners if p.kind is PartnerKind.privaatrechtelijke_rechtspersoon]
    sectors: list[str] = []
    for p in private:
        sector = p.sector.casefold() if p.sector else UNKNOWN_SECTOR
        if sector not in sectors:
            sectors.append(sector)
    kinds: list[str] = []
    for p in intent.partners:
        if p.kind.value not in kinds:
            kinds.append(p.kind.value)
    sp = intent.spatial_planning or SpatialPlanning()
    facts = CaseFacts(
        purpose_kind=intent.purpose.kind,
        n_partners=len(intent.partners),
        n_gemeenten=len(seen),
        partner_kinds=kinds,
        has_private_partners=bool(private),
        n_private_partners=len(private),
        private_sectors=sectors,
        legal_personality=_need(intent.needs),
        needs_legal_personality=intent.needs.legal_personality,
        needs_own_staff=intent.needs.own_staff,
        needs_own_assets=intent.needs.own_assets,
        duration_years=intent.duration_years,
        founding_year=intent.founding_year,
        domains=sorted({d.casefold() for d in intent.purpose.domains}),
        policy_plan=sp.policy_plan,
        igecoro=sp.igecoro,
        shared_official=sp.shared_official,
        verevening=intent.finance.verevening if intent.finance else None,
        reference_regions=sorted(regions),
        n_reference_regions=len(regions),
        n_unknown_gemeenten=unknown,
    )
    return facts, tuple(notices)


# ---------------------------------------------------------------- advice (contract §2)

Status = Literal["recommended", "possible", "excluded"]


class CitationOut(BaseModel):
    text: str
    verified: bool
    url: str | None = None


class Reason(BaseModel):
    rule: str
    articles: list[str]
    message: str
    verified: bool = Field(description="false: a citation is not yet checked against the official text")
    citations: list[CitationOut] = []


class FormAdvice(BaseModel):
    form: Form
    status: Status
    label: str
    reasons: list[Reason]


class Finding(BaseModel):
    rule: str
    kind: str
    articles: list[str]
    forms: list[Form]
    message: str
    verified: bool
    citations: list[CitationOut] = []
    clause: str | None = Field(None, description="the clause a draft must contain for this obligation")


class Advice(BaseModel):
    recommended_form: Form | None
    forms: list[FormAdvice]
    findings: list[Finding]
    reference_date: dt.date
    name: str
    facts: CaseFacts
    fired_rules: list[str] = Field(description="every rule that fired (after overrides), in rule-base order")
    unverified_citations: int = Field(description="reasons and findings whose citation is 'te verifiëren'")
    rulebase: str = Field(description="hash of the rule base the advice was computed with")
    version: str
