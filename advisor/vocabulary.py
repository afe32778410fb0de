"""Closed vocabularies of the public contract: form codes, partner kinds, purposes, answers.

Values are Dutch terms of art (snake_case as in the law); the Dutch nouns below are used in
error messages. Legal meaning (which form allows what) lives in rules/, not here.
"""
from enum import StrEnum


class Form(StrEnum):
    interlokale_vereniging = "interlokale_vereniging"
    projectvereniging = "projectvereniging"
    dienstverlenende_vereniging = "dienstverlenende_vereniging"
    opdrachthoudende_vereniging = "opdrachthoudende_vereniging"
    opdrachthoudende_vereniging_met_private_deelname = "opdrachthoudende_vereniging_met_private_deelname"


class PurposeKind(StrEnum):
    project = "project"
    dienstverlening = "dienstverlening"
    beheersoverdracht = "beheersoverdracht"


class PartnerKind(StrEnum):
    gemeente = "gemeente"
    ocmw = "ocmw"
    agb = "agb"
    provincie = "provincie"
    igs = "igs"
    politiezone = "politiezone"
    hulpverleningszone = "hulpverleningszone"
    andere_publiekrechtelijke_rechtspersoon = "andere_publiekrechtelijke_rechtspersoon"
    privaatrechtelijke_rechtspersoon = "privaatrechtelijke_rechtspersoon"


class PolicyPlan(StrEnum):
    geen = "geen"
    strategische_visie = "strategische_visie"
    beleidskader = "beleidskader"
    beide = "beide"


class Verevening(StrEnum):
    geen = "geen"
    kostenverdeling = "kostenverdeling"
    fonds = "fonds"


class CostKey(StrEnum):
    """How shared costs are divided (finance.cost_sharing_key, an extension of the contract)."""

    inwoners = "inwoners"
    gebruik = "gebruik"
    gelijke_delen = "gelijke_delen"


class Need(StrEnum):
    """Normalised answer to 'does the cooperation need legal personality?'."""

    needed = "needed"
    not_needed = "not_needed"
    unknown = "unknown"


class Outcome(StrEnum):
    """What a fired rule does. The first four attach a reason to the forms they name."""

    exclusion = "exclusion"
    not_recommended = "not_recommended"
    recommendation = "recommendation"
    explanation = "explanation"
    constraint = "constraint"
    obligation = "obligation"
    warning = "warning"
    information = "information"


REASON_OUTCOMES = frozenset(
    {Outcome.exclusion, Outcome.not_recommended, Outcome.recommendation, Outcome.explanation}
)

# The finding kind a rule's outcome is reported as; `explanation` is a reason only.
FINDING_KIND = {
    Outcome.exclusion: "exclusion",
    Outcome.not_recommended: "constraint",
    Outcome.recommendation: "recommendation",
    Outcome.constraint: "constraint",
    Outcome.obligation: "obligation",
    Outcome.warning: "warning",
    Outcome.information: "information",
}


class Scope(StrEnum):
    """When a finding about some forms is shown."""

    recommended = "recommended"  # only for the recommended form (or forms asked for)
    open = "open"  # while one of its forms is not excluded
    always = "always"


DEFAULT_SCOPE = {Outcome.obligation: Scope.recommended}

PARTNER_KIND_LABELS = {
    PartnerKind.gemeente: "gemeente",
    PartnerKind.ocmw: "openbaar centrum voor maatschappelijk welzijn",
    PartnerKind.agb: "autonoom gemeentebedrijf",
    PartnerKind.provincie: "provincie",
    PartnerKind.igs: "intergemeentelijk samenwerkingsverband",
    PartnerKind.politiezone: "politiezone",
    PartnerKind.hulpverleningszone: "hulpverleningszone",
    PartnerKind.andere_publiekrechtelijke_rechtspersoon: "publiekrechtelijke rechtspersoon",
    PartnerKind.privaatrechtelijke_rechtspersoon: "privaatrechtelijke rechtspersoon",
}

# Dutch nouns for the values of each enum, for error messages.
ENUM_NOUNS = {
    Form: "rechtsvorm",
    PurposeKind: "soort doel",
    PartnerKind: "soort partner",
    PolicyPlan: "soort beleidsplan",
    Verevening: "vorm van verevening",
    CostKey: "verdeelsleutel",
}
