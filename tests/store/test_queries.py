"""Reading the store: history, the batch matrix with trends, follow-up and the region's figures; and the number of
queries each takes does not grow with the number of units or assessments (no N+1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.store.conftest import plan_text, unit_text
from web.store.demo import KEPT_UP
from web.store.versions import save_assessment, save_plan

pytestmark = pytest.mark.django_db
FIXED = [(("st_lakare", 0, "iup", "senast_reviderad"), date(2025, 4, 10)), (("st_lakare", 1, "handledning", "schemalagd"), "ja"), *KEPT_UP]  # fmt: skip


def _units(n: int, region: str = "Region Ett") -> None:
    """n units, each assessed twice with a plan carried forward between."""
    for i in range(n):
        name = f"Enhet {region} {i}"
        save_assessment(unit_text(name, region=region), None)
        save_plan(plan_text(name), None)
        save_assessment(
            unit_text(name, region=region, day=date(2025, 9, 15), kind="självvärdering", changes=FIXED), None
        )


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_number_of_units(make_user):
    from web.store.models import Region
    from web.store.queries import batch_result, find_unit, followup_items, region_report, unit_history

    _units(2)
    user = make_user("regional", ("regional_studierektor", Region.objects.get(name="Region Ett")))

    def paths():
        u = find_unit(user, "Enhet Region Ett 0")
        return {
            "history": lambda: unit_history(user, u, date(2025, 10, 1)),
            "batch": lambda: batch_result(user),
            "followup": lambda: followup_items(user, date(2025, 10, 1), None),
            "region": lambda: region_report(user, 2025),
        }

    def fresh_user():
        return type(user).objects.get(pk=user.pk)  # memberships are read once per user object

    small = {}
    for name, fn in paths().items():
        user = fresh_user()
        small[name] = _count(fn)
    _units(4)
    big = {}
    for name, fn in paths().items():
        user = fresh_user()
        big[name] = _count(fn)
    print(f"queries with 2 and 6 units: {small} {big}")
    assert big == small


def test_history_and_batch_show_the_trend():
    from web.store.queries import batch_result, find_unit, unit_history

    _units(1)
    h = unit_history(None, find_unit(None, "Enhet Region Ett 0"), date(2025, 10, 15))
    assert [(a.date.isoformat(), a.grades) for a in h.assessments] == [
        ("2025-03-14", "AAACCAAD"),
        ("2025-09-15", "AAAABABD"),
    ]
    (plan,) = h.plans
    states = {i.id: i.state for i in plan.items}
    assert states == {"D-07": "done", "E-08": "done", "H-06": "overdue"}
    result = batch_result(None)
    (row,) = result.rows
    assert (row.grades, row.previous_grades, row.previous_on) == ("AAAABABD", "AAACCAAD", "2025-03-14")
    from reports.batch_view import unit_json

    data = unit_json(result, row)
    assert data["trend"] == {"A": "same", "B": "same", "C": "same", "D": "better", "E": "better", "F": "same",
                             "G": "worse", "H": "same"}  # fmt: skip


def test_region_report_figures():
    from web.store.queries import region_report

    _units(2)
    _units(1, region="Region Två")
    figures = region_report(None, 2025, "Region Ett")
    assert len(figures.units) == 2 and figures.assessed == 2
    assert figures.by_kind == {"självvärdering": 2, "förbedömning": 2, "inspektion": 0}
    assert [r.unit for r in figures.review_overdue] == ["Enhet Region Ett 0", "Enhet Region Ett 1"]  # 2019 + 5 years
    assert figures.plans_late == ()  # submitted 2025-05-20, before the deadline
    assert {(i.unit, i.id) for i in figures.rows_overdue} == {
        ("Enhet Region Ett 0", "H-06"),
        ("Enhet Region Ett 1", "H-06"),
    }
    assert figures.distribution["D"] == {"A": 2, "B": 0, "C": 0, "D": 0}
    assert region_report(None, 2024).units == ()  # nothing assessed by the end of 2024
