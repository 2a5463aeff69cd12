"""A region's yearly figures (`spur region-report`): units assessed, external reviews due and overdue, late plans,
overdue plan rows and the distribution of grades per area, all as of the last day of the year.

Plain data in, plain data out: the store gathers the rows, reports/region_view.py renders them.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from msgspec import Struct

from engine.facts import sub_months
from engine.followup import FollowupItem, submitted_late
from engine.terms import GRADES
from evidence.terms import ASSESSMENT_KINDS


class UnitYear(Struct, frozen=True):
    """One unit as the store knows it at the end of the year."""

    unit: str
    care_provider: str
    region: str
    latest_on: date | None  # the latest assessment on or before the reference date
    grades: str  # its grade letters (after its own handlingsplan), one per area
    provisional: str
    last_review: date | None  # the last external review recorded or done on or before the reference date
    kinds_in_year: tuple[str, ...]  # the kinds of the assessments dated in the year


class LatePlan(Struct, frozen=True):
    unit: str
    assessed_on: date
    deadline: date
    submitted: date | None


class ReviewLine(Struct, frozen=True):
    unit: str
    care_provider: str
    last_review: date | None
    deadline: date | None


class RegionYear(Struct, frozen=True):
    year: int
    region: str | None
    reference: date
    review_years: int
    areas: tuple[tuple[str, str], ...]
    units: tuple[UnitYear, ...]
    assessed: int
    by_kind: dict[str, int]
    inspected: int
    review_overdue: tuple[ReviewLine, ...]
    review_due: tuple[ReviewLine, ...]
    review_missing: tuple[ReviewLine, ...]
    plans_late: tuple[LatePlan, ...]
    rows_overdue: tuple[FollowupItem, ...]
    distribution: dict[str, dict[str, int]]

    def to_json(self) -> dict[str, Any]:
        def review(line: ReviewLine) -> dict[str, Any]:
            return {
                "unit": line.unit,
                "care_provider": line.care_provider,
                "last_review": line.last_review.isoformat() if line.last_review else None,
                "due": line.deadline.isoformat() if line.deadline else None,
            }

        return {
            "year": self.year,
            "region": self.region,
            "reference_date": self.reference.isoformat(),
            "units": len(self.units),
            "units_assessed": self.assessed,
            "assessments_by_kind": self.by_kind,
            "units_inspected": self.inspected,
            "external_review": {
                "years": self.review_years,
                "overdue": [review(r) for r in self.review_overdue],
                "due_next_year": [review(r) for r in self.review_due],
                "missing": [review(r) for r in self.review_missing],
            },
            "plans_late": [
                {
                    "unit": p.unit,
                    "assessed_on": p.assessed_on.isoformat(),
                    "deadline": p.deadline.isoformat(),
                    "submitted": p.submitted.isoformat() if p.submitted else None,
                }
                for p in self.plans_late
            ],
            "plan_rows_overdue": [i.to_json() for i in self.rows_overdue],
            "distribution": self.distribution,
            "per_unit": [
                {
                    "unit": u.unit,
                    "care_provider": u.care_provider,
                    "latest_assessment": u.latest_on.isoformat() if u.latest_on else None,
                    "grades": dict(zip((a for a, _ in self.areas), u.grades, strict=False)),
                    "provisional": list(u.provisional),
                    "last_external_review": u.last_review.isoformat() if u.last_review else None,
                }
                for u in self.units
            ],
        }


def region_year(
    year: int,
    region: str | None,
    areas: tuple[tuple[str, str], ...],
    units: list[UnitYear],
    plans: list[LatePlan],
    rows: list[FollowupItem],
    review_years: int,
) -> RegionYear:
    """The figures for `year` (as of 31 December) from the units, the plans (their deadlines and submission dates)
    and the follow-up items of their current plans as of that day."""
    reference = date(year, 12, 31)
    start = date(year, 1, 1)
    overdue, due, missing = [], [], []
    for u in units:
        if u.last_review is None:
            missing.append(ReviewLine(u.unit, u.care_provider, None, None))
            continue
        deadline = sub_months(u.last_review, -12 * review_years)
        line = ReviewLine(u.unit, u.care_provider, u.last_review, deadline)
        if deadline <= reference:
            overdue.append(line)
        elif deadline <= sub_months(reference, -12):
            due.append(line)
    kinds = Counter(k for u in units for k in u.kinds_in_year)
    distribution = {letter: dict.fromkeys(GRADES, 0) for letter, _ in areas}
    for u in units:
        for (letter, _), grade in zip(areas, u.grades, strict=False):
            distribution[letter][grade] += 1
    late = [p for p in plans if start <= p.deadline <= reference and submitted_late(p.submitted, p.deadline, reference)]
    return RegionYear(
        year=year,
        region=region,
        reference=reference,
        review_years=review_years,
        areas=areas,
        units=tuple(units),
        assessed=sum(1 for u in units if u.kinds_in_year),
        by_kind={k: kinds[k] for k in ASSESSMENT_KINDS},
        inspected=sum(1 for u in units if "inspektion" in u.kinds_in_year),
        review_overdue=tuple(sorted(overdue, key=lambda r: (r.deadline or reference, r.unit))),
        review_due=tuple(sorted(due, key=lambda r: (r.deadline or reference, r.unit))),
        review_missing=tuple(sorted(missing, key=lambda r: r.unit)),
        plans_late=tuple(sorted(late, key=lambda p: (p.deadline, p.unit))),
        rows_overdue=tuple(sorted((i for i in rows if i.state == "overdue"), key=lambda i: (i.unit, i.id))),
        distribution=distribution,
    )
