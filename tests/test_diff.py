"""`spur diff GAMMAL NY`: the grade change per area and every requirement whose outcome changed, with both reasons."""

from __future__ import annotations

import json
import re

from cli import run
from tests.conftest import ROOT

EXAMPLES = ROOT / "evidence" / "examples"
LINDEN = EXAMPLES / "vardcentralen_linden.yaml"
EKEN = EXAMPLES / "vardcentralen_eken.yaml"


def next_year(tmp_path):
    """Linden a year later: every date a year on, an inspection, Amira Hassan's IUP revised and Bengt Ek's
    supervision scheduled (the two deficiencies of 2025 that the unit fixed)."""
    text = LINDEN.read_text(encoding="utf-8")

    def later(m: re.Match) -> str:
        day = "28" if (m[2], m[3]) == ("02", "29") else m[3]
        return f"{int(m[1]) + 1}-{m[2]}-{day}"

    text = re.sub(r"\b(20\d\d)-(\d\d)-(\d\d)\b", later, text)
    for old, new in {
        "typ: förbedömning": "typ: inspektion",
        "senast_reviderad: 2024-09-15": "senast_reviderad: 2026-01-12",
        "handledning: {schemalagd: nej, minuter_per_vecka: 30}": "handledning: {schemalagd: ja, minuter_per_vecka: 60}",
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "vardcentralen_linden_2026.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_linden_a_year_later_text(tmp_path, capsys):
    new = next_year(tmp_path)
    assert run(["diff", str(LINDEN), str(new)]) == 0
    out = capsys.readouterr().out
    print(out)
    lines = out.splitlines()
    assert lines[0] == "Förändring för Vårdcentralen Linden"
    assert lines[1].startswith("Gammal: 2025-03-14 (förbedömning)") and lines[2].startswith(
        "Ny:     2026-03-14 (inspektion)"
    )
    assert not any(line.startswith("Obs:") for line in lines)
    assert "Betyg per område" in lines and any(line.startswith("Krav med ändrat utfall (") for line in lines)
    # D-07 (IUP revision) changed from unmet to met, with both reasons
    at = lines.index("  D-07 (föreskrift): ej uppfyllt → uppfyllt")
    block = "\n".join(lines[at : at + 6])
    assert (
        "Förut: 1 av 3 ST-läkare uppfyller inte: individuellt utbildningsprogram finns är ja och IUP senast reviderad inom 12 månader"
        in block
    )
    assert "Amira Hassan: IUP senast reviderad 2023-09-15 är äldre än 12 månader" in block
    assert (
        "Nu: Alla 3 ST-läkarna uppfyller: individuellt utbildningsprogram finns är ja och IUP senast reviderad" in block
    )
    assert "  E-08 (allmänt råd): ej uppfyllt → uppfyllt" in lines
    # nothing else changed: the area grades move with the two fixes
    assert lines[lines.index("Krav med ändrat utfall (2)") :][1].startswith("  D-07")
    assert "  D  D → A  bättre      Tjänstgöringens upplägg" in lines
    assert "  E  C → A  bättre      Handledning och kompetensbedömning" in lines
    assert "  H  D → D  oförändrat  Ledarskapskompetens och kommunikativ kompetens" in lines
    assert "  2 områden bättre, 0 sämre, 6 oförändrade." in lines


def test_linden_a_year_later_json(tmp_path, capsys):
    new = next_year(tmp_path)
    assert run(["diff", str(LINDEN), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == "Vårdcentralen Linden" and data["warnings"] == []
    assert (data["old"]["assessed_on"], data["new"]["assessed_on"]) == ("2025-03-14", "2026-03-14")
    assert [a["area"] for a in data["areas"]] == list("ABCDEFGH")
    for a in data["areas"]:
        assert a["change"] == ("same" if a["old"] == a["new"] else "better" if a["new"] < a["old"] else "worse")
    changed = {r["id"]: r for r in data["requirements"]}
    assert changed["D-07"]["old"]["outcome"] == "unmet" and changed["D-07"]["new"]["outcome"] == "met"
    assert changed["D-07"]["old"]["reasons"] and changed["D-07"]["new"]["reasons"]
    assert all(r["old"]["outcome"] != r["new"]["outcome"] for r in data["requirements"])
    ids = [r["id"] for r in data["requirements"]]
    assert ids == sorted(ids)  # report order
    assert set(changed) == {"D-07", "E-08"}
    assert next(a for a in data["areas"] if a["area"] == "D") == {
        "area": "D",
        "title": "Tjänstgöringens upplägg",
        "old": "D",
        "new": "A",
        "change": "better",
        "old_provisional": False,
        "new_provisional": False,
    }


def test_diff_of_the_example_units(capsys):
    assert run(["diff", str(LINDEN), str(EKEN), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("olika enheter" in w for w in data["warnings"])
    areas = {a["area"]: (a["old"], a["new"], a["change"]) for a in data["areas"]}
    assert areas["D"] == ("D", "A", "better") and areas["G"] == ("A", "B", "worse") and areas["A"] == ("A", "A", "same")
    assert {r["id"] for r in data["requirements"]} == {"B-09", "D-07", "E-08", "G-08", "H-06"}


def test_same_file_has_no_changes(capsys):
    assert run(["diff", str(LINDEN), str(LINDEN)]) == 0
    out = capsys.readouterr().out
    assert "Krav med ändrat utfall (0)" in out and "Inga krav har ändrat utfall." in out
    assert "0 områden bättre, 0 sämre, 8 oförändrade." in out
    assert "Obs: båda bedömningarna har samma datum (2025-03-14)." in out


def test_swapped_order_is_flagged(tmp_path, capsys):
    new = next_year(tmp_path)
    assert run(["diff", str(new), str(LINDEN)]) == 0
    assert "byt ordning på filerna?" in capsys.readouterr().out


def test_invalid_files_report_both(tmp_path, capsys):
    bad = tmp_path / "trasig.yaml"
    bad.write_text("enhet: [\n", encoding="utf-8")
    missing = tmp_path / "saknas.yaml"
    assert run(["diff", str(bad), str(missing)]) == 3
    err = capsys.readouterr().err
    assert "trasig.yaml:" in err and "saknas.yaml: filen finns inte" in err


def test_diff_to_file(tmp_path, capsys):
    target = tmp_path / "forandring.txt"
    assert run(["diff", str(LINDEN), str(EKEN), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("Förändring för Vårdcentralen Eken")


def test_a_kind_that_follows_the_regulations_is_shown_when_it_moves_the_grade(tmp_path, capsys):
    """G-05 is a föreskrift for ST under SOSFS 2015:8 and an allmänt råd under HSLF-FS 2021:8. When the unit's last
    SOSFS ST-läkare moves to HSLF-FS, an unmet G-05 moves area G from D to C with no outcome changing."""
    text = LINDEN.read_text(encoding="utf-8")
    old_text = text.replace("G-05: {svar: ja,", "G-05: {svar: nej,")
    assert old_text != text
    new_text = old_text.replace("    regelverk: SOSFS 2015:8", "    regelverk: HSLF-FS 2021:8")
    assert new_text != old_text
    # and her huvudhandledare's training covers the new regulation, so E-10 stays met
    new_text = new_text.replace(
        "datum: 2016-04-12, regelverk: SOSFS 2015:8", "datum: 2016-04-12, regelverk: HSLF-FS 2021:8"
    )
    old, new = tmp_path / "gammal.yaml", tmp_path / "ny.yaml"
    old.write_text(old_text, encoding="utf-8")
    new.write_text(new_text, encoding="utf-8")
    assert run(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    g = next(line for line in lines if line.startswith("  G  "))
    assert g.startswith("  G  D → C  bättre")
    assert "Krav med ändrat utfall eller ändrad kravtyp (1)" in lines
    assert "  G-05 (föreskrift → allmänt råd): ej uppfyllt → ej uppfyllt" in lines
    assert run(["diff", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [change] = data["requirements"]
    assert (change["id"], change["old"]["kind"], change["new"]["kind"]) == ("G-05", "foreskrift", "allmant_rad")
    print(out)


def test_a_plan_given_to_diff_gets_a_hint_diff_can_follow(capsys):
    plan = EXAMPLES / "handlingsplaner" / "vardcentralen_linden.yaml"
    assert run(["diff", str(plan), str(LINDEN)]) == 3
    err = capsys.readouterr().err
    print(err)
    assert "det här är en handlingsplan, inte en evidensfil. 'spur diff' jämför två evidensfiler" in err
    assert "--plan" not in err
