"""A follow-up assessment carries the unit's handlingsplan forward: rows whose requirement is now met are marked,
rows still unmet stay open, new deficiencies become new rows; the plan's own assessment is regraded by it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.store.conftest import plan_text, unit_text
from web.store.demo import KEPT_UP
from web.store.models import Assessment, Plan, PlanVersion
from web.store.versions import save_assessment, save_plan

pytestmark = pytest.mark.django_db

FOLLOW_UP = date(2025, 9, 15)
FIXED = [
    (("st_lakare", 0, "iup", "senast_reviderad"), date(2025, 4, 10)),  # D-07
    (("st_lakare", 1, "handledning", "schemalagd"), "ja"),  # E-08
    (("st_lakare", 2, "iup", "senast_reviderad"), date(2025, 1, 10)),
    *KEPT_UP,  # assessments and IUP follow-ups go on (E-04, E-12, D-07)
]


def _rows(plan: Plan) -> dict[str, dict]:
    return {r["krav"]: r for r in plan.current.data["rader"]}


def test_plan_regrades_its_assessment():
    a = save_assessment(unit_text("Enhet Ett"), None).obj
    save_plan(plan_text("Enhet Ett"), None)
    a.refresh_from_db()
    assert (a.engine_grades, a.grades) == ("AAADCAAD", "AAACCAAD")  # D lifted to C, H stays D
    plan = Plan.objects.get()
    assert plan.verdicts["D"]["verdict"] == "justerad" and plan.verdicts["H"]["verdict"] == "kvarstår"
    assert plan.submitted == date(2025, 5, 20) and plan.deadline == date(2025, 6, 14)


@pytest.mark.parametrize("order", ["plan first", "follow-up first"])
def test_follow_up_marks_met_rows_and_adds_new_deficiencies(order):
    save_assessment(unit_text("Enhet Ett"), None)
    later = unit_text("Enhet Ett", day=FOLLOW_UP, kind="självvärdering", changes=FIXED)
    if order == "plan first":
        save_plan(plan_text("Enhet Ett"), None)
        saved = save_assessment(later, None)
    else:
        saved = save_assessment(later, None)
        assert saved.carried is None  # no plan yet
        save_plan(plan_text("Enhet Ett"), None)
    plan = Plan.objects.get()
    assert plan.version == 2
    rows = _rows(plan)
    assert rows["D-07"]["kravet_uppfyllt"] is True and rows["E-08"]["kravet_uppfyllt"] is True
    assert rows["H-06"]["kravet_uppfyllt"] is False  # Bengt Ek has still not taught
    carried = PlanVersion.objects.get(number=2)
    assert carried.based_on.date == FOLLOW_UP and carried.source.startswith("uppföljning: bedömningen 2025-09-15")
    # the person's text is kept: the first version's lines are all still there, in order
    first = PlanVersion.objects.get(number=1).text.splitlines()
    kept = [line for line in carried.text.splitlines() if "kravet_uppfyllt" not in line]
    assert [line for line in first if "kravet_uppfyllt" not in line] == kept[: len(first) - 3]
    follow = Assessment.objects.get(date=FOLLOW_UP)
    assert follow.follows_plan_id == plan.pk


def test_new_deficiency_at_follow_up_becomes_a_new_row():
    save_assessment(unit_text("Enhet Ett"), None)
    save_plan(plan_text("Enhet Ett"), None)
    worse = [*FIXED, (("studierektor", "specialistkompetens"), "nej")]  # B-04 now unmet
    save_assessment(unit_text("Enhet Ett", day=FOLLOW_UP, kind="självvärdering", changes=worse), None)
    rows = _rows(Plan.objects.get())
    assert "B-04" in rows and rows["B-04"]["kravet_uppfyllt"] is False
    assert rows["B-04"]["datum_genomford"] > FOLLOW_UP.isoformat()  # dated from the follow-up


def test_saving_the_follow_up_again_changes_nothing_more():
    save_assessment(unit_text("Enhet Ett"), None)
    save_plan(plan_text("Enhet Ett"), None)
    later = unit_text("Enhet Ett", day=FOLLOW_UP, kind="självvärdering", changes=FIXED)
    save_assessment(later, None)
    again = save_assessment(later + "# en kommentar till\n", None)
    assert again.created and again.carried is None
    assert Plan.objects.get().version == 2


def test_an_older_assessment_saved_later_does_not_undo_the_follow_up():
    save_assessment(unit_text("Enhet Ett"), None)
    save_plan(plan_text("Enhet Ett"), None)
    save_assessment(unit_text("Enhet Ett", day=FOLLOW_UP, kind="självvärdering", changes=FIXED), None)
    save_assessment(unit_text("Enhet Ett", day=date(2025, 6, 1), kind="självvärdering"), None)  # in between
    plan = Plan.objects.get()
    assert plan.version == 2 and _rows(plan)["D-07"]["kravet_uppfyllt"] is True


def test_followup_names_the_assessment_that_found_the_requirement_met():
    from web.store.queries import followup_items

    save_assessment(unit_text("Enhet Ett"), None)
    save_plan(plan_text("Enhet Ett"), None)
    save_assessment(unit_text("Enhet Ett", day=FOLLOW_UP, kind="självvärdering", changes=FIXED), None)
    items, _, _ = followup_items(None, date(2025, 10, 15), None)
    by_id = {i.id: i for i in items}
    assert by_id["D-07"].state == "done" and by_id["D-07"].why == "kravet uppfyllt enligt bedömningen 2025-09-15"
    assert by_id["H-06"].state == "overdue"


def test_plan_for_an_assessment_not_in_the_store():
    from evidence.errors import InputError

    with pytest.raises(InputError, match="ingen bedömning av 'Enhet Ett' daterad 2025-03-14"):
        save_plan(plan_text("Enhet Ett"), None, name="plan.yaml")
