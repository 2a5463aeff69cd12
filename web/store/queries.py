"""Reading the store: a unit's history, the batch matrix, follow-up and the region's yearly figures.

Every function takes the user whose permissions apply (None: the database owner) and reads only the units that
user may read (web/store/permissions.py). Each runs a fixed number of queries whatever the number of units or
assessments (tests/store/test_queries.py counts them); the views are computed by the engine and rendered by reports/.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from evidence.errors import UsageError
from evidence.messages import did_you_mean
from web.store import engine_calls
from web.store.models import Assessment, Plan, Unit, where
from web.store.permissions import visible_units


def units_in(user: Any, region: str | None = None) -> QuerySet[Unit]:
    units = visible_units(user).filter(archived=False)
    return units.filter(care_provider__region__name=region) if region else units


def find_unit(user: Any, name: str, care_provider: str | None = None) -> Unit:
    """The unit named `name` that `user` may read; a unit the user may not read is reported as not found."""
    units = visible_units(user).filter(name=name).select_related("care_provider__region")
    if care_provider:
        units = units.filter(care_provider__name=care_provider)
    found = list(units)
    if not found:
        close = list(visible_units(user).filter(name__icontains=name[:40]).values_list("name", flat=True)[:5])
        hint = did_you_mean([repr(n) for n in close], quote="")
        raise UsageError(f"ingen enhet som heter '{name}' finns i databasen (bland de enheter du får läsa).{hint}")
    if len(found) > 1:
        where = ", ".join(sorted(u.care_provider.name for u in found))
        raise UsageError(f"flera enheter heter '{name}' (vårdgivare: {where}). Ange vilken med --vardgivare.")
    return found[0]


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def unit_history(user: Any, unit: Unit, today: date) -> Any:
    """The unit's assessments in date order with their grades, and its handlingsplaner with their verdicts and the
    state of each row as of `today` (reports/history_view.py renders it)."""
    from reports.history_view import History, HistoryAssessment, HistoryPlan

    assessments = list(
        Assessment.objects.filter(unit=unit, archived=False, current__isnull=False)
        .select_related("current", "follows_plan__assessment")
        .order_by("date", "pk")
    )
    plans = list(
        Plan.objects.filter(assessment__unit=unit, archived=False, current__isnull=False)
        .select_related("current", "assessment")
        .prefetch_related("versions")
        .order_by("assessment__date", "assessment__pk")
    )
    followed = _followed_up_on(plans)
    plan_of = {p.assessment_id: p for p in plans}
    parsed = [engine_calls.plan_from_json(p.current.data) for p in plans]
    items, within = engine_calls.followup(parsed, today, None, [followed.get(p.pk) for p in plans])
    by_plan = defaultdict(list)
    for item, (i, _) in zip(items, _row_owners(parsed), strict=True):
        by_plan[i].append(item)
    history_plans = [
        HistoryPlan(
            assessed_on=p.assessment.date,
            assessment_kind=p.assessment.kind,
            version=p.version,
            versions=[
                (v.number, v.author, _when(v.created_at), v.source)
                for v in sorted(p.versions.all(), key=lambda v: v.number)
            ],
            submitted=p.submitted,
            deadline=p.deadline,
            verdicts=p.verdicts,
            items=by_plan[n],
            followed_up_on=followed.get(p.pk),
        )
        for n, p in enumerate(plans)
    ]
    years = engine_calls.review_years()
    last_review = max((a.external_review for a in assessments if a.external_review), default=None)
    latest = assessments[-1] if assessments else None
    return History(
        unit=unit.name,
        care_provider=unit.care_provider.name,
        region=unit.care_provider.region.name,
        specialty=unit.specialty,
        last_review=last_review,
        review_status=engine_calls.review_status(last_review, latest.date, years) if latest else "missing",
        review_years=years,
        areas=engine_calls.area_titles(),
        assessments=[
            HistoryAssessment(
                date=a.date,
                kind=a.kind,
                version=a.version,
                author=a.current.author,
                saved=_when(a.current.created_at),
                rules_version=a.rules_version,
                grades=a.grades,
                engine_grades=a.engine_grades,
                provisional=a.provisional,
                best_case=a.best_case,
                has_plan=a.pk in plan_of,
                follows_plan_of=a.follows_plan.assessment.date if a.follows_plan else None,
            )
            for a in assessments
        ],
        plans=history_plans,
        today=today,
        within=within,
    )


def _row_owners(parsed: list[Any]) -> list[tuple[int, str]]:
    """(plan index, krav) for every row, in the order the follow-up lists them."""
    return [(i, row.krav) for i, plan in enumerate(parsed) for row in plan.rader]


def _followed_up_on(plans: list[Plan]) -> dict[int, date]:
    """plan id -> the date of the latest assessment its 'kravet uppfyllt' marks come from: its latest follow-up
    assessment, or its own assessment."""
    out = {p.pk: p.assessment.date for p in plans}
    rows = (
        Assessment.objects.filter(follows_plan__in=[p.pk for p in plans], archived=False)
        .values("follows_plan")
        .annotate(latest=Max("date"))
    )
    for row in rows:
        out[row["follows_plan"]] = max(out[row["follows_plan"]], row["latest"])
    return out


# ---------------------------------------------------------------------------------------------------------------
# The batch matrix


_ROW_FIELDS = (
    "unit_id",
    "unit__name",
    "unit__care_provider__name",
    "unit__care_provider__region__name",
    "date",
    "kind",
    "grades",
    "engine_grades",
    "best_case",
    "provisional",
    "external_review",
    "plan__version",
)


def batch_result(user: Any, region: str | None = None) -> Any:
    """`spur batch` from the store: one row per unit with its latest assessment, and its previous one for the trend."""
    import time

    from engine.batch import BatchResult, UnitRow

    started = time.perf_counter()
    latest: dict[int, tuple[Any, ...]] = {}
    previous: dict[int, tuple[Any, ...]] = {}
    query = (
        Assessment.objects.filter(unit__in=units_in(user, region), archived=False, current__isnull=False)
        .order_by("unit_id", "date", "pk")
        .values_list(*_ROW_FIELDS)
    )
    for row in query.iterator(chunk_size=5000):
        if row[0] in latest:
            previous[row[0]] = latest[row[0]]
        latest[row[0]] = row
    years = engine_calls.review_years()
    rows = []
    for key, (
        _,
        unit,
        care_provider,
        region_name,
        day,
        _kind,
        grades,
        engine_grades,
        best,
        prov,
        review,
        plan,
    ) in latest.items():
        before = previous.get(key)
        rows.append(
            UnitRow(
                where(care_provider, region_name),
                unit=unit,
                assessed_on=day.isoformat(),
                grades=grades,
                engine_grades=engine_grades,
                best_case=best,
                provisional=prov,
                plan=f"handlingsplan version {plan}" if plan else None,
                review=review.isoformat() if review else None,
                review_status=engine_calls.review_status(review, day, years),
                previous_grades=before[6] if before else "",
                previous_on=before[4].isoformat() if before else None,
            )
        )
    rows.sort(key=lambda r: (r.file, r.unit or ""))
    catalog = engine_calls.catalog()
    return BatchResult(
        tuple(engine_calls.area_titles()),
        catalog.version,
        years,
        rows,
        seconds=time.perf_counter() - started,
        trends=True,
    )


def grade_trends(
    user: Any, care_provider: str | None = None, specialty: str | None = None, region: str | None = None
) -> dict[int, list[tuple[date, str, str, str]]]:
    """unit id -> (date, kind, grades, provisional areas) of every assessment of the unit, oldest first: each unit's
    trend across its assessments, for the units `user` may read (one query, whatever the number of units)."""
    units = units_in(user, region)
    if care_provider:
        units = units.filter(care_provider__name=care_provider)
    if specialty:
        units = units.filter(specialty=specialty)
    out: dict[int, list[tuple[date, str, str, str]]] = defaultdict(list)
    query = (
        Assessment.objects.filter(unit__in=units, archived=False, current__isnull=False)
        .order_by("unit_id", "date", "pk")
        .values_list("unit_id", "date", "kind", "grades", "provisional")
    )
    for unit_id, day, kind, grades, provisional in query.iterator(chunk_size=5000):
        out[unit_id].append((day, kind, grades, provisional))
    return dict(out)


# ---------------------------------------------------------------------------------------------------------------
# Follow-up


def current_plans(user: Any, region: str | None = None) -> tuple[list[Any], list[date | None], list[Plan]]:
    """Each unit's current handlingsplan (the plan of its latest planned assessment), validated, with the date
    its 'kravet uppfyllt' marks come from."""
    plans: dict[int, Plan] = {}
    for p in (
        Plan.objects.filter(
            assessment__unit__in=units_in(user, region),
            archived=False,
            assessment__archived=False,
            current__isnull=False,
        )
        .select_related("current", "assessment__unit")
        .order_by("assessment__unit_id", "assessment__date", "assessment__pk")
    ):
        plans[p.assessment.unit_id] = p
    ordered = sorted(plans.values(), key=lambda p: (p.assessment.unit.name, p.assessment.unit_id))
    followed = _followed_up_on(ordered)
    return [engine_calls.plan_from_json(p.current.data) for p in ordered], [followed[p.pk] for p in ordered], ordered


def followup_items(
    user: Any, today: date, within: int | None, region: str | None = None
) -> tuple[list[Any], int, list[Any]]:
    parsed, met_on, _ = current_plans(user, region)
    items, days = engine_calls.followup(parsed, today, within, met_on)
    return items, days, parsed


# ---------------------------------------------------------------------------------------------------------------
# The region's yearly figures


def region_report(user: Any, year: int, region: str | None = None) -> Any:
    from engine.region import LatePlan, UnitYear, region_year

    reference = date(year, 12, 31)
    per_unit: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    fields = (*_ROW_FIELDS[:6], "grades", "provisional", "external_review")
    query = (
        Assessment.objects.filter(
            unit__in=units_in(user, region), archived=False, current__isnull=False, date__lte=reference
        )
        .order_by("unit_id", "date", "pk")
        .values_list(*fields)
    )
    for row in query.iterator(chunk_size=5000):
        per_unit[row[0]].append(row)
    units = []
    for rows in per_unit.values():
        last = rows[-1]
        units.append(
            UnitYear(
                unit=last[1],
                care_provider=last[2],
                region=last[3],
                latest_on=last[4],
                grades=last[6],
                provisional=last[7],
                last_review=max((r[8] for r in rows if r[8]), default=None),
                kinds_in_year=tuple(r[5] for r in rows if r[4].year == year),
            )
        )
    units.sort(key=lambda u: (u.region, u.care_provider, u.unit))
    plans = [
        LatePlan(unit, assessed, deadline, submitted)
        for unit, assessed, deadline, submitted in Plan.objects.filter(
            assessment__unit__in=units_in(user, region),
            archived=False,
            assessment__archived=False,
            deadline__isnull=False,
            assessment__date__lte=reference,
        ).values_list("assessment__unit__name", "assessment__date", "deadline", "submitted")
    ]
    parsed, met_on, _ = current_plans(user, region)
    rows, _ = engine_calls.followup(parsed, reference, None, met_on)
    return region_year(year, region, tuple(engine_calls.area_titles()), units, plans, rows, engine_calls.review_years())


# ---------------------------------------------------------------------------------------------------------------
# The audit trail


def audit_lines(user: Any, unit: str | None = None, with_diff: bool = False, limit: int = 200) -> list[str]:
    """The latest events the user may read (administrators), oldest first, one line each (and the diff)."""
    from web.store.audit import ACTIONS
    from web.store.permissions import visible_audit

    events = visible_audit(user).select_related("unit")
    if unit:
        events = events.filter(unit__name=unit)
    lines = []
    for e in reversed(list(events.order_by("-at", "-pk")[:limit])):
        version = f" version {e.version}" if e.version else ""
        summary = f": {e.summary}" if e.summary else ""
        head = f"{_when(e.at)}  {e.actor_name}  {ACTIONS.get(e.action, e.action)}  {e.object_kind} {e.object_label}"
        lines.append(f"{head}{version}{summary}".replace("\n", "; "))
        if with_diff and e.diff:
            lines += ["    " + line for line in e.diff.rstrip("\n").split("\n")]
    return lines
