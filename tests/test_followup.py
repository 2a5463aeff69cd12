"""Follow-up states around every boundary date, the CLI's exit code, and the ICS export."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli import run
from engine.followup import row_state, submitted_late
from evidence.plan import PlanRad, validate_plan
from evidence.yamlsafe import parse
from reports.ics import render_ics

PLAN = Path("evidence/examples/handlingsplaner/vardcentralen_linden.yaml")


def row(**kw) -> PlanRad:
    base = {"krav": "D-07", "omrade": "D. Tjänstgöringens upplägg", "niva": "Åtgärd krävs", "brist": "x"}
    return PlanRad.model_validate({**base, **kw})


DUE, FOLLOW = date(2025, 7, 1), date(2025, 10, 1)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (DUE - timedelta(days=31), "open"),
        (DUE - timedelta(days=30), "due_soon"),
        (DUE, "due_soon"),
        (DUE + timedelta(days=1), "overdue"),
    ],
)
def test_due_date_boundaries(today, state):
    assert row_state(row(datum_genomford=DUE, datum_uppfoljning=FOLLOW), today, 30)[0] == state


@pytest.mark.parametrize(
    ("today", "recorded", "state"),
    [
        (FOLLOW, None, "done"),
        (FOLLOW + timedelta(days=1), None, "overdue"),
        (FOLLOW + timedelta(days=1), FOLLOW, "done"),
    ],
)
def test_follow_up_date_boundaries_for_a_done_row(today, recorded, state):
    done = row(
        datum_genomford=DUE, datum_uppfoljning=FOLLOW, status="genomförd", status_datum=DUE, uppfoljning_gjord=recorded
    )
    assert row_state(done, today, 30)[0] == state


def _expected(due, follow, status, recorded, today, within, met=False):
    if met:
        return "done"
    if follow is not None and follow < today and recorded is None:
        return "overdue"
    if status == "genomförd":
        return "done"
    if due is None:
        return "open"
    if due < today:
        return "overdue"
    return "due_soon" if (due - today).days <= within else "open"


dates = st.dates(date(2024, 12, 1), date(2026, 6, 30))


@settings(max_examples=400, deadline=None)
@given(
    due=st.none() | dates,
    follow=st.none() | dates,
    status=st.sampled_from(["planerad", "pågående", "genomförd"]),
    recorded=st.none() | dates,
    today=dates,
    within=st.integers(0, 90),
    met=st.booleans(),
)
def test_states_follow_the_definition(due, follow, status, recorded, today, within, met):
    r = row(
        datum_genomford=due, datum_uppfoljning=follow, status=status, uppfoljning_gjord=recorded, kravet_uppfyllt=met
    )
    assert row_state(r, today, within)[0] == _expected(due, follow, status, recorded, today, within, met)


def test_a_late_follow_up_is_listed_under_the_follow_up_owner():
    from engine.followup import collect
    from evidence.plan import Handlingsplan
    from reports.followup_view import render_followup_text

    owners = {"ansvarig_genomforande": "Studierektorn (Per Ödman)", "ansvarig_uppfoljning": "Verksamhetschefen (Karin)"}
    done = row(status="genomförd", status_datum=DUE, datum_genomford=DUE, datum_uppfoljning=FOLLOW, **owners)
    plan = Handlingsplan.model_validate(
        {"enhet": "E", "bedomningsdatum": "2025-03-14", "plandatum": "2025-04-01", "sista_inlamningsdag": "2025-06-14"}
    ).model_copy(update={"rader": [done]})
    before = collect([plan], FOLLOW, 30)
    late = collect([plan], FOLLOW + timedelta(days=1), 30)
    print([(i.state, i.acts) for i in before + late])
    assert (before[0].state, before[0].acts) == ("done", "Studierektorn (Per Ödman)")
    assert (late[0].state, late[0].acts) == ("overdue", "Verksamhetschefen (Karin)")
    text = render_followup_text(late, FOLLOW + timedelta(days=1), 30)
    assert "  Verksamhetschefen (Karin): 1 försenad" in text and "Studierektorn" not in text
    assert late[0].to_json()["owner"] == "Studierektorn (Per Ödman)"
    assert late[0].to_json()["follow_up_owner"] == "Verksamhetschefen (Karin)"


def test_followup_cli_states_and_exit_code(capsys):
    assert run(["followup", str(PLAN), "--today", "2025-06-10", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["id"], i["state"]) for i in items] == [("D-07", "due_soon"), ("E-08", "due_soon"), ("H-06", "due_soon")]
    assert set(items[0]) == {"unit", "id", "area", "state", "due", "follow_up", "owner", "follow_up_owner", "reason"}
    assert items[0]["reason"] == "ska vara genomförd 2025-07-01"
    assert run(["followup", str(PLAN), "--today", "2025-07-02"]) == 1
    text = capsys.readouterr().out
    print(text)
    assert "Vårdcentralen Linden: 3 försenade" in text and "[FÖRSENAD] D-07" in text
    assert run(["followup", str(PLAN), "--today", "2025-05-01", "--within", "10"]) == 0
    assert "3 öppna" in capsys.readouterr().out


def test_followup_of_many_units_groups_by_unit(tmp_path, capsys):
    other = tmp_path / "eken.yaml"
    other.write_text(PLAN.read_text(encoding="utf-8").replace("Vårdcentralen Linden", "Vårdcentralen Eken"), "utf-8")
    assert run(["followup", str(PLAN), str(other), "--today", "2025-07-02", "--format", "json"]) == 1
    units = [i["unit"] for i in json.loads(capsys.readouterr().out)]
    assert units.count("Vårdcentralen Eken") == 3 and units.count("Vårdcentralen Linden") == 3


def _plan(text: str):
    from engine.catalog import load_catalog

    return validate_plan(parse(text, "plan.yaml"), load_catalog().known)


def test_ics_parses_and_uids_are_stable(tmp_path):
    text = PLAN.read_text(encoding="utf-8")
    first = render_ics([_plan(text)])
    calendar = icalendar.Calendar.from_ical(first)
    events = [c for c in calendar.walk("VEVENT")]
    print(f"{len(events)} händelser")
    assert len(events) == 6
    assert all("\r\n" in first and len(line.encode()) <= 75 for line in first.split("\r\n"))
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 6
    moved = render_ics([_plan(text.replace("datum_genomford: 2025-07-01", "datum_genomford: 2025-08-15", 1))])
    moved_events = icalendar.Calendar.from_ical(moved).walk("VEVENT")
    assert [str(e["UID"]) for e in moved_events] == uids
    assert moved_events[0].decoded("DTSTART") == date(2025, 8, 15)
    assert render_ics([_plan(text)]) == first
    last_year = _plan(text.replace("bedomningsdatum: 2025-03-14", "bedomningsdatum: 2024-03-14"))
    both = icalendar.Calendar.from_ical(render_ics([_plan(text), last_year])).walk("VEVENT")
    assert len({str(e["UID"]) for e in both}) == 12  # another assessment's plan does not overwrite these events
    assert "Vårdcentralen Linden: D-07 ska vara genomförd" in str(events[0]["SUMMARY"])


def test_followup_ics_to_file(tmp_path):
    target = tmp_path / "plan.ics"
    assert run(["followup", str(PLAN), "--today", "2025-01-01", "--format", "ics", "-o", str(target)]) == 0
    assert icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")


def test_the_same_plan_file_twice_is_read_once(tmp_path, capsys):
    link = tmp_path / "länk.yaml"
    link.symlink_to(PLAN.resolve())
    args = ["followup", str(PLAN), f"./{PLAN}", str(link), "--today", "2025-05-01"]
    assert run([*args, "--format", "json"]) == 0
    ids = [i["id"] for i in json.loads(capsys.readouterr().out)]
    assert run([*args, "--format", "ics"]) == 0
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(capsys.readouterr().out).walk("VEVENT")]
    print(ids, f"{len(uids)} UID, {len(set(uids))} olika")
    assert ids == ["D-07", "E-08", "H-06"]
    assert len(uids) == len(set(uids)) == 6


def test_a_second_plan_for_the_same_unit_and_assessment_is_an_error(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text(PLAN.read_text(encoding="utf-8"), "utf-8")
    (tmp_path / "kopia.yaml").write_text(PLAN.read_text(encoding="utf-8"), "utf-8")
    files = sorted(str(p) for p in tmp_path.glob("*.yaml"))
    code = run(["followup", *files, "--today", "2025-05-01", "--format", "ics"])
    out = capsys.readouterr()
    print(code, out.err)
    assert code == 3 and out.out == ""
    assert out.err == (
        f"{tmp_path / 'kopia.yaml'}:7:1: enhet: {tmp_path / 'a.yaml'} gäller redan samma enhet och bedömning "
        "('Vårdcentralen Linden', bedömd 2025-03-14). Ta bort eller rätta den ena planen.\n"
    )


def test_a_row_whose_requirement_is_now_met_is_done_and_its_events_cancelled(tmp_path, capsys):
    text = PLAN.read_text(encoding="utf-8")
    met = tmp_path / "plan.yaml"
    met.write_text(text.replace("kravet_uppfyllt: nej", "kravet_uppfyllt: ja", 1), "utf-8")
    late = ["followup", str(met), "--today", "2025-10-02"]  # due and follow-up dates both passed
    code = run(late)
    out = capsys.readouterr().out
    print(code, out)
    assert code == 1  # E-08 and H-06 are still overdue
    assert "[KLAR] D-07 Utbildningsprogrammet följs upp regelbundet och revideras vid behov. – kravet uppfyllt " in out
    assert "[FÖRSENAD] D-07" not in out and "2 försenade, 1 klar" in out
    from engine.followup import collect

    done = collect([_plan(met.read_text(encoding="utf-8"))], date(2025, 10, 2), 30)[0]
    assert (done.state, done.follow_up_late) == ("done", False)  # nobody has a late follow-up to do
    all_met = tmp_path / "alla.yaml"
    all_met.write_text(text.replace("kravet_uppfyllt: nej", "kravet_uppfyllt: ja"), "utf-8")
    assert run(["followup", str(all_met), "--today", "2025-10-02"]) == 0
    assert "Totalt: 3 klara." in capsys.readouterr().out
    before = icalendar.Calendar.from_ical(render_ics([_plan(text)])).walk("VEVENT")
    after = icalendar.Calendar.from_ical(render_ics([_plan(met.read_text(encoding="utf-8"))])).walk("VEVENT")
    print([(str(e["SUMMARY"]), str(e.get("STATUS"))) for e in after[:3]])
    assert [str(e["UID"]) for e in after] == [str(e["UID"]) for e in before]  # a re-import updates these events
    assert [str(e.get("STATUS")) for e in after] == ["CANCELLED", "CANCELLED", "None", "None", "None", "None"]
    assert str(after[0]["SUMMARY"]) == "Vårdcentralen Linden: D-07 kravet uppfyllt enligt senaste bedömningen"


@pytest.mark.parametrize(("due", "state"), [(date.max, "due_soon"), (date(9999, 12, 20), "due_soon")])
def test_a_due_date_near_the_end_of_the_calendar(tmp_path, capsys, due, state):
    plan = tmp_path / "plan.yaml"
    text = PLAN.read_text(encoding="utf-8").replace("datum_uppfoljning: 2025-10-01", "datum_uppfoljning:")
    plan.write_text(text.replace("datum_genomford: 2025-07-01", f"datum_genomford: {due.isoformat()}", 1), "utf-8")
    code = run(["followup", str(plan), "--today", "9999-12-20", "--within", "3650", "--format", "json"])
    out = capsys.readouterr()
    print(code, out.err, out.out[:200])
    assert code == 1 and out.err == ""  # the other rows, due 2025-07-01, are overdue
    assert json.loads(out.out)[0]["state"] == state
    assert row_state(row(datum_genomford=due), date.max, 30)[0] == ("due_soon" if due == date.max else "overdue")


def test_ics_text_turns_every_kind_of_line_break_into_an_escaped_newline():
    text = PLAN.read_text(encoding="utf-8").replace(
        "planerad_atgard: Studierektorn går igenom alla IUP i maj och sedan varje höst; revisionen dokumenteras i IUP:n.",
        'planerad_atgard: "a\\rb\\r\\nc\\nd"',
        1,
    )
    ics = render_ics([_plan(text)])
    lines = ics.split("\r\n")
    bare = [line for line in lines if "\r" in line or "\n" in line]
    description = str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["DESCRIPTION"])
    print(bare, repr(description))
    assert bare == []
    assert "Planerad åtgärd: a\nb\nc\nd\nAnsvarig:" in description


def test_a_plan_is_late_when_it_came_in_after_its_last_day_or_has_not_come_in_by_then():
    last = date(2025, 6, 14)
    assert not submitted_late(last, last) and submitted_late(last + timedelta(days=1), last)
    assert not submitted_late(None, last)  # not yet in, and no day to judge by
    assert not submitted_late(None, last, as_of=last - timedelta(days=1))
    assert submitted_late(None, last, as_of=last) and submitted_late(None, last, as_of=date(2025, 12, 31))
    assert not submitted_late(date(2025, 5, 20), last, as_of=date(2025, 12, 31))
