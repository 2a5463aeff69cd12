"""The use cases (engine/usecases.py) as a web app calls them: with text already read instead of files, the same
results and the same Swedish messages; nothing printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import usecases
from engine.usecases import Rules
from evidence.errors import InputError, UsageError
from evidence.yamlsafe import YamlText
from tests.conftest import ROOT

EXAMPLES = ROOT / "evidence" / "examples"
LINDEN = EXAMPLES / "vardcentralen_linden.yaml"
PLAN = EXAMPLES / "handlingsplaner" / "vardcentralen_linden.yaml"


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules()


def text_of(path: Path, name: str = "uppladdad.yaml") -> YamlText:
    return YamlText(path.read_text(encoding="utf-8"), name)


def test_text_grades_as_the_file_does(rules, capsys):
    from_file = usecases.grade(rules, str(LINDEN), str(PLAN))
    from_text = usecases.grade(rules, text_of(LINDEN), text_of(PLAN, "plan.yaml"))
    assert from_text.to_json() == from_file.to_json()
    assert from_text.grades == ("A", "A", "A", "C", "C", "A", "A", "D")  # D lifted to C in area D, kept in H
    assert usecases.fails(from_text, "D") and not usecases.fails(from_text, None)
    assert capsys.readouterr() == ("", "")


def test_errors_name_the_text_as_a_file(rules):
    broken = YamlText(LINDEN.read_text(encoding="utf-8").replace("typ: förbedömning", "typ: gissning"), "enhet.yaml")
    with pytest.raises(InputError) as error:
        usecases.grade(rules, broken)
    [line] = error.value.lines
    assert line.startswith("enhet.yaml:") and "bedomning.typ: ogiltigt värde 'gissning'" in line
    other_unit = YamlText(PLAN.read_text(encoding="utf-8").replace("Vårdcentralen Linden", "Eken"), "plan.yaml")
    with pytest.raises(InputError, match=r"^plan\.yaml:7:1: enhet: handlingsplanen gäller enheten 'Eken'"):
        usecases.grade(rules, text_of(LINDEN), other_unit)


def test_validate_returns_lines_instead_of_printing(rules, capsys):
    checked = usecases.validate(rules, [str(LINDEN), YamlText("enhet: [", "trasig.yaml")])
    assert checked.valid == (f"{LINDEN}: giltig (Vårdcentralen Linden, 3 ST-läkare, bedömd 2025-03-14)",)
    assert len(checked.errors) == 1 and checked.errors[0].startswith(
        "trasig.yaml:1:8: YAML-syntaxfel: '[' här stängs aldrig"
    )
    assert capsys.readouterr() == ("", "")


def test_plan_drafts_and_merges_text(rules):
    draft = usecases.plan(rules, text_of(LINDEN))
    assert draft.message is None and draft.change.added == ("D-07", "E-08", "H-06")
    merged = usecases.plan(rules, text_of(LINDEN), text_of(PLAN, "plan.yaml"), "2025-06-01")
    assert merged.text.startswith(PLAN.read_text(encoding="utf-8")[:200])  # the person's file, edited in place
    assert merged.message == (
        "Uppdaterade plan.yaml: inga nya rader, 0 rader vars krav nu är uppfyllda, 3 befintliga rader i övrigt orörda."
    )
    empty = usecases.plan(rules, text_of(LINDEN), YamlText("  \n", "ny.yaml"))
    assert empty.message == "Skrev ny.yaml: 3 rader (D-07, E-08, H-06)."
    with pytest.raises(UsageError, match=r"^--plan-date: 2025-03-01 ligger före bedömningsdatumet 2025-03-14"):
        usecases.plan(rules, text_of(LINDEN), None, "2025-03-01")


def test_followup_of_text_and_a_file_refuses_the_same_plan_twice(rules):
    state = usecases.followup(rules, [text_of(PLAN, "plan.yaml")], "2025-10-15")
    assert [i.id for i in state.items] == ["D-07", "E-08", "H-06"] and state.overdue
    with pytest.raises(InputError, match=r"plan\.yaml gäller redan samma enhet och bedömning"):
        usecases.followup(rules, [text_of(PLAN, "plan.yaml"), str(PLAN)], "2025-10-15")


def test_report_data_carries_the_warnings(rules):
    text = LINDEN.read_text(encoding="utf-8").replace(
        "    - Väl utbyggd internutbildning", "    - Amira berättade.\n    - Väl utbyggd internutbildning"
    )
    data = usecases.report(rules, YamlText(text, "enhet.yaml"))
    assert data.plan is None and data.result.unit == "Vårdcentralen Linden"
    [warning] = data.warnings
    line = text.splitlines().index("    - Amira berättade.") + 1
    assert warning.startswith(f"enhet.yaml:{line}:7: sammanfattning.styrkor[2]: 'Amira' kan vara en del av namnet")


def test_rules_show_reads_ids_as_typed_and_suggests_the_closest(rules):
    assert usecases.rules_show(rules, "e4").id == "E-04"
    with pytest.raises(UsageError, match=r"^okänt krav-id 'E-40'\. Menade du E-14\? Se 'spur rules list'\.$"):
        usecases.rules_show(rules, "E-40")


def test_batch_reports_progress_with_the_total(rules, tmp_path):
    seen = []
    result = usecases.batch(rules, [str(EXAMPLES)], jobs=1, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]  # three units and a handlingsplan, skipped
    assert [r.unit for r in result.graded] == ["Hälsocentralen Aspen", "Vårdcentralen Eken", "Vårdcentralen Linden"]
    with pytest.raises(UsageError, match="inga evidensfiler"):
        usecases.batch(rules, [str(tmp_path)])
