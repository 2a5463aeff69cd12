"""The store's commands as a user runs them: spur db demo, history, batch --db, followup --db, region-report,
db export; and no command shows a unit to a user whose roles do not cover it."""

from __future__ import annotations

import json

import pytest

from cli import run

pytestmark = pytest.mark.django_db
FOREIGN = "Vårdcentralen Björken"  # the demo's unit in Region Norrland


@pytest.fixture
def demo(capsys):
    assert run(["db", "demo"]) == 0
    out = capsys.readouterr().out
    assert "verksamhetschef för enheten Vårdcentralen Linden (Karin Lindqvist)" in out
    return out


def test_demo_then_history_of_linden(demo, capsys):
    assert run(["history", "Vårdcentralen Linden", "--today", "2025-10-15"]) == 0
    out = capsys.readouterr().out
    assert "2025-03-14    2025-09-15" in out and "förbedömning  självvärdering" in out
    assert "D  C (D)         A ↑" in out  # the plan lifted D to C; the follow-up reached A
    assert "följer upp handlingsplanen från 2025-03-14" in out
    assert "Handlingsplan för bedömningen 2025-03-14 (förbedömning), version 3" in out
    assert "kravet uppfyllt enligt bedömningen 2025-09-15" in out
    assert "[FÖRSENAD] H-06" in out
    assert run(["history", "Vårdcentralen Linden", "--today", "2025-10-15", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["assessed_on"] for a in data["assessments"]] == ["2025-03-14", "2025-09-15"]
    assert data["assessments"][1]["trend"]["D"] == "better"


def test_demo_twice_adds_nothing(demo, capsys):
    from web.store.models import AssessmentVersion, PlanVersion

    counts = (AssessmentVersion.objects.count(), PlanVersion.objects.count())
    assert run(["db", "demo"]) == 0
    assert "fanns redan" in capsys.readouterr().out
    assert (AssessmentVersion.objects.count(), PlanVersion.objects.count()) == counts


READERS = {
    # user: (units they read, units they must never see)
    "verksamhetschef": ({"Vårdcentralen Linden"}, {"Vårdcentralen Eken", "Hälsocentralen Aspen", FOREIGN}),
    "inspektor": ({"Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen"}, {FOREIGN}),
    "studierektor": ({"Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen"}, {FOREIGN}),
    "regional": ({"Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen"}, {FOREIGN}),
    "administrator": ({"Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen"}, {FOREIGN}),
}


@pytest.mark.parametrize("user", sorted(READERS))
def test_no_command_shows_a_unit_the_user_may_not_read(demo, capsys, tmp_path, user):
    readable, hidden = READERS[user]
    as_user = ["--anvandare", user]
    commands = [
        ["batch", "--db", "--format", "json", *as_user],
        ["batch", "--db", "--format", "csv", *as_user],
        ["batch", "--db", "--format", "html", *as_user],
        ["followup", "--db", "--today", "2025-10-15", "--format", "json", *as_user],
        ["followup", "--db", "--today", "2025-10-15", "--format", "ics", *as_user],
        ["region-report", "--year", "2026", "--format", "json", *as_user],
        ["region-report", "--year", "2026", "--format", "html", *as_user],
        ["region-report", "--year", "2026", "--format", "csv", *as_user],
        ["db", "export", str(tmp_path / user), *as_user],
        ["db", "logg", "--diff", *as_user],
    ]
    for command in commands:
        run(command)
        out = capsys.readouterr()
        for name in hidden:
            assert name not in out.out + out.err, (command, name)
    exported = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / user).rglob("*.yaml"))
    for name in hidden:
        assert f"namn: {name}" not in exported
    for name in readable:
        assert f"namn: {name}" in exported
        assert run(["history", name, *as_user, "--today", "2026-04-01"]) == 0
        assert name in capsys.readouterr().out
    for name in hidden:
        assert run(["history", name, *as_user]) == 2
        err = capsys.readouterr().err
        assert f"ingen enhet som heter '{name}'" in err


def test_batch_db_rows_and_trend(demo, capsys):
    assert run(["batch", "--db", "--format", "json"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    units = {u["unit"]: u for u in data["units"]}
    assert set(units) == {"Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen", FOREIGN}
    assert units["Vårdcentralen Eken"]["trend"]["D"] == "worse"
    assert units["Vårdcentralen Linden"]["previous"]["assessed_on"] == "2025-03-14"
    assert run(["batch", "--db", "--format", "csv", "--region", "Region Norrland"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("foregaende_bedomning,forandring") and len(lines) == 2


def test_unknown_user_and_missing_database(capsys, monkeypatch, tmp_path):
    assert run(["history", "X", "--anvandare", "okand"]) == 2
    assert "ingen aktiv användare heter 'okand'" in capsys.readouterr().err


def test_region_report_html_is_one_file(demo, capsys):
    assert run(["region-report", "--year", "2025", "--region", "Region Exempelland"]) == 0
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>") and 'lang="sv"' in html and "<script" not in html
    assert "Extern granskning försenad (mer än 5 år)" in html


def test_audit_trail_for_administrators_only(demo, capsys):
    assert run(["db", "logg", "--enhet", "Vårdcentralen Linden", "--anvandare", "administrator"]) == 0
    out = capsys.readouterr().out
    assert "Per Ödman  ny version  handlingsplan" in out and "H-06: status planerad → pågående" in out
    for user in ("verksamhetschef", "inspektor", "studierektor", "regional"):
        assert run(["db", "logg", "--anvandare", user]) == 0
        assert capsys.readouterr().out == "Inga händelser som du får läsa.\n"
