"""The pydantic models of the rule files: used when the catalogue is built from rules/, not when it is read from
the on-disk cache (evidence/diskcache.py), where their validated values are records (evidence/records.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from engine.conditions import COMPARE_OPS
from engine.terms import COLLECTIONS, Confidence, Grade, Kind, Outcome, Role
from evidence.terms import Regulation

DESCRIBED = (*COMPARE_OPS, "items_any", "items_all")  # the conditions a phrase is written for


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Reference(_Strict):
    source: str
    section: str | None = None
    verified: bool
    note: str | None = None


class Example(_Strict):
    expect: Outcome
    name: str | None = None
    evidence: dict[str, Any]


class _RawRequirement(_Strict):
    id: str
    kind: Kind | dict[Regulation, Kind]
    confidence: Confidence
    text: str
    references: list[Reference]
    responsible: Role | dict[Regulation, Role]
    underlag: str
    remediation: str
    applies_when: Any = None
    check: Any
    examples: list[Example]


class Header(_Strict):
    id: str
    text: str
    lead: str


class _RawArea(_Strict):
    area: str
    title: str
    group: Literal["STRUKTUR", "PROCESS"]
    scale: str
    header: Header | None = None
    requirements: list[_RawRequirement]


class _Level(_Strict):
    label: str
    required: bool


class _Verdicts(_Strict):
    adjusted: str
    kept: str
    adjusted_grade: Literal["A", "B", "C"]


class PlanDefaults(_Strict):
    submission_months: int
    deadline_months: int
    follow_up_months: int
    owner_role: Role
    follow_up_owner_role: Role
    due_soon_days: int
    per_requirement: dict[str, dict[Literal["deadline_months", "follow_up_months"], int]]
    levels: dict[Kind, _Level]
    verdicts: _Verdicts


class _PersonWords(_Strict):
    singular: str
    plural: str
    definite: str  # 'ST-läkarna': "Båda ST-läkarna", "Alla 3 ST-läkarna"


class _RoleWords(_Strict):
    label: str
    plural: str | None = None
    person: str | None  # the evidence field with the person's name, if there is one


class _AttestationWords(_Strict):
    met: str
    unmet: str
    unknown: str
    not_applicable: str


class Vocabulary(_Strict):
    """rules/vocabulary.yaml: the Swedish words around the rule texts."""

    outcomes: dict[Outcome, str]
    confidence: dict[Confidence, str]
    collections: dict[Literal[COLLECTIONS], _PersonWords]
    roles: dict[Role, _RoleWords]
    describe: dict[Literal[(*DESCRIBED, "ne_false", "attestation", "all_of", "any_of")], str]
    operators: dict[Literal[DESCRIBED], str]  # the reason a condition is not met
    missing: str
    attestation: _AttestationWords
    counted: dict[str, str]  # a word's form for one -> its form for none or many (engine/wording.py)


class _KindLabel(_Strict):
    label: str
    plural: str
    failure: str | None


class _Step(_Strict):
    grade: Grade
    when: Any = None
    reason: str


class Grading(_Strict):
    name: str
    kinds: dict[Kind, _KindLabel]
    kind_strictness: list[Kind]
    default_regulation: Regulation
    settings: dict[str, int | float]
    scales: dict[str, dict[Grade, str]]
    procedure: list[_Step]
