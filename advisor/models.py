"""The public contract: the cooperation intent (input) and the advice (output), as pydantic v2.

The intent model validates strictly (unknown keys and wrong types are errors). Its derived facts
are computed once and are the only facts the rule base may test (see `CaseFacts`).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from advisor.errors import excerpt
from advisor.lexicon import lexicon
from advisor.municipalities import Municipality, registry
from advisor.vocabulary import CostKey, Form, Need, PartnerKind, PolicyPlan, PurposeKind, Verevening

ModelT = TypeVar("ModelT", bound=BaseModel)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


def lax(tp):
    """Enums are given as strings in YAML/JSON: accept those, nothing looser."""
    return Annotated[tp, Field(strict=False)]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """A date is a YAML date or an ISO text 'JJJJ-MM-DD'; never a number (a Unix time) or a time."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("igs_date", "{value} is geen bestaande datum (JJJJ-MM-DD)",
                                      {"value": excerpt(value)}) from None
    raise PydanticCustomError("igs_date", "{value} is geen datum in de vorm JJJJ-MM-DD", {"value": excerpt(value)})


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


_set = object.__setattr__
_MISSING = object()
_FIELDS: dict[type, tuple[tuple[str, Any, Any], ...]] = {}


def trusted(cls: type[ModelT], **values: Any) -> ModelT:
    """An instance of `cls` from values the advisor made itself: nothing is validated again (what
    `model_construct` does, without its per-field alias search, which costs more than validating).
    Fields left out take their defaults and do not count as set, as with validation; the fields
    keep their declared order (the JSON follows it)."""
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(
            (name, _MISSING if f.is_required() or f.default_factory else f.default, f.default_factory)
            for name, f in cls.model_fields.items())
    data = {}
    for name, default, factory in fields:
        value = values.get(name, _MISSING)
        if value is _MISSING:
            if factory is not None:
                value = factory()
            elif default is _MISSING:
                raise TypeError(f"{cls.__name__}: {name} ontbreekt")
            else:
                value = list(default) if isinstance(default, list) else default
        data[name] = value
    m = cls.__new__(cls)
    _set(m, "__dict__", data)
    _set(m, "__pydantic_fields_set__", set(values))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


class _Output(BaseModel):
    """The advice's models: built by the advisor itself (`trusted`), so their schema is only needed
    when an advice is serialised; deferred, it is not built in a cold `advise --format text`."""

    model_config = ConfigDict(defer_build=True)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Purpose(_Strict):
    kind: lax(PurposeKind)
    description: LongText | None = None
    domains: Annotated[list[Tag], Field(max_length=50)] = []
    sector_roles: Annotated[list[Tag], Field(max_length=20)] = []  # contract 1b: rules/vocabulary.yaml
    exclusive: bool | None = None  # contract 1b: the members no longer perform the task themselves

    @field_validator("sector_roles")
    @classmethod
    def _known_roles(cls, roles: list[str]) -> list[str]:
        known = lexicon().roles
        for role in roles:
            if role not in known:
                raise PydanticCustomError(
                    "igs_unknown_code", "'{value}' is geen gekende sectorrol; kies uit: {choices}",
                    {"value": role, "choices": ", ".join(known)})
        return list(dict.fromkeys(roles))


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


class Notice(_Output):
    """A remark about the input itself (not law): a former or unknown municipality name."""

    rule: str
    message: str


class CaseFacts(BaseModel):
    """The flat facts the rule base tests. Their names are the rule language's vocabulary."""

    model_config = ConfigDict(frozen=True)

    purpose_kind: PurposeKind  # as the advisor reads it, with purpose.exclusive taken into account
    declared_purpose_kind: PurposeKind  # as the intent states it
    n_partners: int
    n_gemeenten: int
    partner_kinds: list[str]
    other_partner_kinds: list[str]  # the kinds of partner besides gemeente
    other_public_partner_kinds: list[str]  # ... and besides private partners
    has_private_partners: bool
    n_private_partners: int
    private_sectors: list[str]
    legal_personality: Need
    needs_legal_personality: bool | None
    needs_own_staff: bool | None
    needs_own_assets: bool | None
    duration_years: int | None
    founding_year: int | None
    domains: list[str]  # normalised tags, with the domains of the sector roles
    sector_roles: list[str]
    exclusive: bool | None
    management_transfer: bool  # beheersoverdracht, or a service entrusted exclusively
    policy_plan: PolicyPlan | None
    igecoro: bool | None
    shared_official: bool | None
    verevening: Verevening | None
    reference_regions: list[str]
    n_reference_regions: int
    n_unknown_gemeenten: int
    # Figures of the member municipalities (rules/data); None when a member is not a known municipality
    population_total: int | None
    max_member_population: int | None
    area_km2_total: float | None
    contiguous: bool | None  # the members form one area; None: unknown member or no adjacency data
    region_area_km2: float | None  # the reference region's area, when all members lie in one
    region_area_share_pct: float | None  # the members' share of that region's area


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
    reference_date: IsoDate | None = None
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

    @cached_property
    def fact_dict(self) -> dict[str, Any]:
        """The facts as JSON values: what the engine is given and the messages show."""
        return self.facts.model_dump(mode="json")

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


def _effective_kind(purpose: Purpose) -> PurposeKind:
    """What the advisor reasons with (contract 1b): a service the members entrust exclusively is a
    beheersoverdracht; a 'beheersoverdracht' the members keep performing themselves is a service."""
    if purpose.kind is PurposeKind.dienstverlening and purpose.exclusive is True:
        return PurposeKind.beheersoverdracht
    if purpose.kind is PurposeKind.beheersoverdracht and purpose.exclusive is False:
        return PurposeKind.dienstverlening
    return purpose.kind


def _derive(intent: CooperationIntent) -> tuple[CaseFacts, tuple[Notice, ...]]:
    reg = registry()
    notices: list[Notice] = []
    seen: dict[str, str] = {}  # municipality key -> the partner name first given for it
    members: dict[str, Municipality] = {}  # NIS -> the known member municipalities
    regions: list[str] = []
    unknown = 0
    for partner in intent.partners:
        if partner.kind is not PartnerKind.gemeente:
            continue
        match = reg.lookup(partner.name)
        if match.municipality is None:
            unknown += 1
            key = f"?{partner.name.casefold()}"
            notices.append(trusted(
                Notice,
                rule="invoer-onbekende-gemeente",
                message=f"'{partner.name}' staat niet in de lijst van de Vlaamse gemeenten "
                        f"({len(reg.entries)}); het advies telt de partner als gemeente, maar kent "
                        "haar inwonertal, oppervlakte en referentieregio niet. Controleer de schrijfwijze.",
            ))
        else:
            m = match.municipality
            key = m.nis
            members[m.nis] = m
            if match.former_name:
                notices.append(trusted(
                    Notice,
                    rule="invoer-vroegere-gemeentenaam",
                    message=f"'{partner.name}' is sinds 1 januari 2025 deel van de gemeente "
                            f"{m.name} (NIS {m.nis}); het advies rekent met {m.name}.",
                ))
            if m.region not in regions:
                regions.append(m.region)
        if key in seen:
            notices.append(trusted(
                Notice,
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
    known = unknown == 0 and bool(members)
    populations = [m.population for m in members.values()]
    areas = [m.area_km2 for m in members.values()]
    has_population = known and None not in populations
    has_area = known and None not in areas
    area_total = round(float(sum(a for a in areas if a is not None)), 2) if has_area else None
    region_area = reg.region_area.get(regions[0]) if known and len(regions) == 1 else None
    kind = _effective_kind(intent.purpose)
    facts = trusted(CaseFacts,  # made here from validated input: no second validation
        purpose_kind=kind,
        declared_purpose_kind=intent.purpose.kind,
        n_partners=len(seen) + sum(p.kind is not PartnerKind.gemeente for p in intent.partners),  # one per municipality
        n_gemeenten=len(seen),
        partner_kinds=kinds,
        other_partner_kinds=[k for k in kinds if k != PartnerKind.gemeente.value],
        other_public_partner_kinds=[k for k in kinds if k not in (
            PartnerKind.gemeente.value, PartnerKind.privaatrechtelijke_rechtspersoon.value)],
        has_private_partners=bool(private),
        n_private_partners=len(private),
        private_sectors=sectors,
        legal_personality=_need(intent.needs),
        needs_legal_personality=intent.needs.legal_personality,
        needs_own_staff=intent.needs.own_staff,
        needs_own_assets=intent.needs.own_assets,
        duration_years=intent.duration_years,
        founding_year=intent.founding_year,
        domains=lexicon().domains(intent.purpose.domains, intent.purpose.sector_roles),
        sector_roles=list(intent.purpose.sector_roles),
        exclusive=intent.purpose.exclusive,
        management_transfer=kind is PurposeKind.beheersoverdracht,
        policy_plan=sp.policy_plan,
        igecoro=sp.igecoro,
        shared_official=sp.shared_official,
        verevening=intent.finance.verevening if intent.finance else None,
        reference_regions=sorted(regions),
        n_reference_regions=len(regions),
        n_unknown_gemeenten=unknown,
        population_total=sum(p for p in populations if p is not None) if has_population else None,
        max_member_population=max(p for p in populations if p is not None) if has_population else None,
        area_km2_total=area_total,
        contiguous=reg.contiguous(set(members)) if known else None,
        region_area_km2=round(float(region_area), 2) if region_area is not None else None,
        region_area_share_pct=(round(100 * area_total / region_area, 1)
                               if region_area and area_total is not None else None),
    )
    return facts, tuple(notices)


# ---------------------------------------------------------------- advice (contract §2)

Status = Literal["recommended", "possible", "excluded"]


class CitationOut(_Output):
    cite: str = Field(description="the citation as printed in the advice")
    verified: bool
    url: str | None = Field(None, description="the source read, or the article on codex.vlaanderen.be")
    text: str | None = Field(None, description="contract 1b: the official article text in force on the "
                                               "reference date, when a copy of the law is present")


class Reason(_Output):
    rule: str
    articles: list[str]
    message: str
    verified: bool = Field(description="false: a citation is not yet checked against the official text")
    citations: list[CitationOut] = []


class FormAdvice(_Output):
    form: Form
    status: Status
    label: str
    reasons: list[Reason]


class Finding(_Output):
    rule: str
    kind: str
    articles: list[str]
    forms: list[Form]
    message: str
    verified: bool
    citations: list[CitationOut] = []
    clause: str | None = Field(None, description="the clause a draft must contain for this obligation")
    topic: str = Field("algemeen", description="the subject it is grouped under (rules/topics.yaml)")


class AnswerOutcome(_Output):
    answer: Any
    label: str = Field(description="the answer as a user reads it")
    recommended_form: Form | None


class OpenQuestion(_Output):
    """Contract 1b: an unanswered field whose answer changes the recommended form."""

    field: str
    question: str
    answers: list[AnswerOutcome]


class Advice(_Output):
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
    open_questions: list[OpenQuestion] = Field(
        [], description="contract 1b: the unanswered fields that would change recommended_form")
