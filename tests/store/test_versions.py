"""Saving documents: the text kept exactly, versions only added, the same text twice saves nothing, a save based
on an older version refused (also between two connections), the audit trail, and errors as the CLI gives them."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from evidence.errors import InputError
from tests.store.conftest import LINDEN, plan_text, unit_text
from web.store.models import Assessment, AssessmentVersion, AuditEvent, Unit
from web.store.versions import VersionConflict, save_assessment, save_plan

pytestmark = pytest.mark.django_db


def test_text_is_kept_verbatim_with_data_and_result():
    text = LINDEN.read_text(encoding="utf-8")
    saved = save_assessment(text, None, source="fil: test")
    v = saved.version
    assert v.text == text and v.text.startswith("# Fiktiv enhet")  # comments and key order as written
    assert v.data["enhet"]["namn"] == "Vårdcentralen Linden" and v.data["bedomning"]["datum"] == "2025-03-14"
    assert [a["area"] for a in v.result["areas"]] == list("ABCDEFGH")
    assert v.rules_version and v.number == 1 and v.author.endswith("(kommandoraden)")
    a = saved.obj
    assert (a.grades, a.engine_grades, a.provisional) == ("AAADCAAD", "AAADCAAD", "")
    assert a.external_review == date(2019, 5, 20)
    unit = Unit.objects.get()
    assert (unit.name, unit.care_provider.name, unit.care_provider.region.name) == (
        "Vårdcentralen Linden",
        "Region Exempelland",
        "Region Exempelland",
    )


def test_same_text_twice_saves_nothing_and_a_change_adds_a_version():
    text = unit_text("Enhet Ett")
    first = save_assessment(text, None)
    again = save_assessment(text, None)
    assert not again.created and again.version.pk == first.version.pk
    changed = text.replace("minuter_per_vecka: 30", "minuter_per_vecka: 45")
    second = save_assessment(changed, None)
    assert second.created and second.version.number == 2 and second.replaced.pk == first.version.pk
    assert [v.text for v in AssessmentVersion.objects.order_by("number")] == [text, changed]  # nothing overwritten
    assert Assessment.objects.get().version == 2
    # going back to the first text is not a new version either: it is one already
    assert not save_assessment(text, None).created
    events = list(AuditEvent.objects.filter(object_kind="bedömning").order_by("pk"))
    assert [e.action for e in events] == ["created", "new_version"]
    assert "-    handledning: {schemalagd: nej, minuter_per_vecka: 30}" in events[1].diff
    assert "+    handledning: {schemalagd: nej, minuter_per_vecka: 45}" in events[1].diff


def test_an_edit_changed_back_is_a_new_version_of_assessment_and_plan():
    """An edit (based on a version) back to an earlier version's text makes that text current again; only an
    import of a text the store already has saves nothing."""
    first = unit_text("Enhet Ett")
    a = save_assessment(first, None).obj
    changed = first.replace("minuter_per_vecka: 30", "minuter_per_vecka: 45")
    assert save_assessment(changed, None, assessment=a, expected=1).created
    back = save_assessment(first, None, assessment=a, expected=2)
    assert back.created and back.version.number == 3 and back.version.text == first
    assert not save_assessment(first, None, assessment=a, expected=3).created  # the current text: nothing new
    plan = save_plan(plan_text("Enhet Ett"), None).obj
    text = plan.current.text
    edited = text.replace("status: pågående", "status: planerad", 1)
    assert edited != text
    assert save_plan(edited, None, plan=plan, expected=1).created
    again = save_plan(text, None, plan=plan, expected=2)
    assert again.created and again.version.number == 3 and again.version.text == text


def test_another_date_or_kind_is_another_assessment():
    save_assessment(unit_text("Enhet Ett"), None)
    save_assessment(unit_text("Enhet Ett", day=date(2025, 9, 15)), None)
    save_assessment(unit_text("Enhet Ett", kind="självvärdering"), None)
    assert Assessment.objects.count() == 3 and Unit.objects.count() == 1


def test_a_save_based_on_an_older_version_is_refused_with_who_and_the_difference(make_user):
    first = save_assessment(unit_text("Enhet Ett"), None).obj
    anna = make_user("anna", ("inspektor", first.unit))
    anna.first_name, anna.last_name = "Anna", "Ek"
    text_a = unit_text("Enhet Ett", changes=[(("st_lakare", 1, "handledning", "minuter_per_vecka"), 45)])
    text_b = unit_text("Enhet Ett", changes=[(("st_lakare", 1, "handledning", "minuter_per_vecka"), 60)])
    save_assessment(text_a, anna, assessment=first, expected=1)
    with pytest.raises(VersionConflict) as caught:
        save_assessment(text_b, None, assessment=first, expected=1)
    message = str(caught.value)
    assert "har ändrats sedan du hämtade version 1: version 2 sparades av Anna Ek" in message
    assert "minuter_per_vecka: 45" in caught.value.diff and "minuter_per_vecka: 60" in caught.value.diff
    assert AssessmentVersion.objects.count() == 2  # the refused text was not saved
    # based on the current version it is saved
    assert save_assessment(text_b, None, assessment=first, expected=2).version.number == 3


@pytest.mark.django_db(transaction=True)
def test_two_clients_saving_at_once_never_lose_an_update():
    """Two threads (two database connections) save different texts, both based on version 1, at the same moment:
    exactly one is saved as version 2 and the other is refused, never silently overwritten."""
    from django.db import connection

    first = save_assessment(unit_text("Enhet Ett"), None).obj
    texts = [
        unit_text("Enhet Ett", changes=[(("st_lakare", 1, "handledning", "minuter_per_vecka"), m)]) for m in (45, 60)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def client(i: int) -> None:
        from web.store import engine_calls

        graded = engine_calls.grade_text(texts[i], f"klient {i}")
        barrier.wait()
        try:
            outcomes[i] = save_assessment(texts[i], None, assessment=first, expected=1, graded=graded)
        except VersionConflict as exc:
            outcomes[i] = exc
        finally:
            from django.db import connections

            connections.close_all()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [o for o in outcomes if isinstance(o, VersionConflict)]
    saved = [o for o in outcomes if not isinstance(o, VersionConflict)]
    assert len(conflicts) == 1 and len(saved) == 1, outcomes
    versions = list(AssessmentVersion.objects.order_by("number").values_list("number", "text"))
    assert [n for n, _ in versions] == [1, 2]
    assert versions[1][1] == saved[0].version.text
    assert "version 2 sparades av" in str(conflicts[0])
    print(f"{connection.vendor}: one save of two simultaneous ones refused: {conflicts[0]}")


def test_invalid_text_is_refused_with_the_cli_lines_and_nothing_saved():
    text = LINDEN.read_text(encoding="utf-8").replace("datum: 2025-03-14", "datum: 2025-02-30")
    with pytest.raises(InputError) as caught:
        save_assessment(text, None, name="linden.yaml")
    assert caught.value.lines[0].startswith("linden.yaml:12:")
    assert "ÅÅÅÅ-MM-DD" in caught.value.lines[0] or "datum" in caught.value.lines[0]
    assert not Assessment.objects.exists() and not AuditEvent.objects.exists()


def test_a_version_must_name_its_own_unit():
    a = save_assessment(unit_text("Enhet Ett"), None).obj
    with pytest.raises(InputError, match="gäller enheten 'Enhet Två'"):
        save_assessment(unit_text("Enhet Två"), None, assessment=a, expected=1)


def test_roles_that_may_not_change_an_assessment_kind_are_refused(make_user):
    from web.store.permissions import NotAllowed

    a = save_assessment(unit_text("Enhet Ett"), None).obj  # a förbedömning
    chief = make_user("chef", ("verksamhetschef", a.unit))
    inspector = make_user("insp", ("inspektor", a.unit))
    changed = unit_text("Enhet Ett", changes=[(("st_lakare", 1, "handledning", "minuter_per_vecka"), 45)])
    with pytest.raises(NotAllowed):
        save_assessment(changed, chief, assessment=a, expected=1)
    assert save_assessment(changed, inspector, assessment=a, expected=1).created
    own = unit_text("Enhet Ett", kind="självvärdering")
    assert save_assessment(own, chief).created
    with pytest.raises(NotAllowed):
        save_assessment(unit_text("Enhet Ny"), chief)  # a unit only an administrator adds
