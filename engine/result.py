"""The result of grading one unit: plain immutable data that every view (text, JSON, report, plan) reads."""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from engine.indicators import IndicatorResult
from engine.next_grade import NextGrade


class RequirementResult(Struct, frozen=True):
    id: str
    area: str
    kind: str
    text: str
    confidence: str
    outcome: str  # met | unmet | unknown | not_applicable
    reasons: tuple[str, ...]
    overridden: bool = False
    engine_outcome: str | None = None
    motivering: str | None = None
    missing: tuple[str, ...] = ()  # evidence paths whose absence made the outcome unknown
    persons: tuple[str, ...] = ()  # persons named in the reasons (failing or missing evidence)
    regulations: tuple[str, ...] = ()  # regulations of the failing ST-läkare, when the outcome is unmet
    person_refs: tuple[tuple[str, int], ...] = ()  # (collection, index) of the persons failing

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "overridden": self.overridden,
        }
        if self.overridden:
            out["engine_outcome"] = self.engine_outcome
            out["motivering"] = self.motivering
        if self.missing:
            out["missing"] = list(self.missing)
        return out


class AreaResult(Struct, frozen=True):
    area: str
    title: str
    group: str
    grade: str
    provisional: bool
    best_case: str
    scale_text: str
    scale: tuple[tuple[str, str], ...]
    grade_reason: str
    header: str | None
    requirements: tuple[RequirementResult, ...]
    adjusted_grade: str | None = None  # after a handlingsplan (None when no plan was given)
    plan_verdict: str | None = None  # "justerad" | "kvarstår" for areas at D with a plan
    plan_text: str | None = None  # "Handlingsplan inkommen, gradering justerad till C."
    plan_reasons: tuple[str, ...] = ()  # the rows that decided the verdict, and why; a late plan
    plan_rows: tuple[str, ...] = ()  # ids of the rows that decided the verdict (accepted, or short of it)
    plan_provisional: bool = False  # lifted, but a föreskrift of the area has no evidence
    plan_worst: str | None = None  # the grade after the plan with that evidence showing the requirement unmet
    plan_warnings: tuple[str, ...] = ()  # "H-06: Samma åtgärd som D-07 – kontrollera att den täcker kravet."
    next_grade: NextGrade | None = None  # the smallest set of requirements that, turned met, lifts the grade
    grade_a: NextGrade | None = None  # the smallest set that reaches A

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for r in self.requirements if r.outcome == "unknown" for p in r.missing)

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "title": self.title,
            "group": self.group,
            "grade": self.grade,
            "provisional": self.provisional,
            "best_case": self.best_case,
            "scale_text": self.scale_text,
            "grade_reason": self.grade_reason,
            "adjusted_grade": self.adjusted_grade,
            "plan_verdict": self.plan_verdict,
            "plan_reasons": list(self.plan_reasons),
            "plan_rows": list(self.plan_rows),
            "plan_provisional": self.plan_provisional,
            "plan_worst": self.plan_worst,
            "plan_warnings": list(self.plan_warnings),
            "next_grade": self.next_grade.to_json() if self.next_grade else None,
            "grade_a": self.grade_a.to_json() if self.grade_a else None,
            "requirements": [r.to_json() for r in self.requirements],
        }


class UnitResult(Struct, frozen=True):
    unit: str
    vardgivare: str
    specialitet: str
    region: str
    assessed_on: str
    assessment_kind: str
    assessors: tuple[str, ...]
    rules_version: str
    areas: tuple[AreaResult, ...]
    plan_late: bool = False
    indicators: tuple[IndicatorResult, ...] = ()  # every förbättringsarbete's indicators, evaluated

    @property
    def grades(self) -> tuple[str, ...]:
        """The grade that counts per area: after the handlingsplan where one was applied."""
        return tuple(a.adjusted_grade or a.grade for a in self.areas)

    def area(self, letter: str) -> AreaResult:
        return next(a for a in self.areas if a.area == letter)

    def requirement(self, req_id: str) -> RequirementResult:
        return next(r for a in self.areas for r in a.requirements if r.id == req_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "assessed_on": self.assessed_on,
            "assessment_kind": self.assessment_kind,
            "rules_version": self.rules_version,
            "areas": [a.to_json() for a in self.areas],
            "improvement_indicators": [i.to_json() for i in self.indicators],
        }
