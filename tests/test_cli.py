"""CLI behaviour that the README documents: init, schema, validate, overrides, exit codes, packaging."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cli import run

ROOT = Path(__file__).resolve().parent.parent
LINDEN = "evidence/examples/vardcentralen_linden.yaml"


def test_init_template_validates_and_grades_provisionally(tmp_path, capsys):
    target = tmp_path / "mall.yaml"
    assert run(["init", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    attested = text.count("    svar:")
    print(f"mallen: {len(text.splitlines())} rader, {attested} intygandefrågor")
    assert attested == 40 and "Underlag:" in text and "personnummer" in text
    assert run(["validate", str(target)]) == 0
    capsys.readouterr()
    assert run(["grade", str(target), "--format", "json"]) == 0
    areas = json.loads(capsys.readouterr().out)["areas"]
    assert all(a["provisional"] for a in areas)
    assert all(r["outcome"] != "met" for a in areas for r in a["requirements"])


def test_init_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "enhet.yaml"
    target.write_text("mina uppgifter", encoding="utf-8")
    assert run(["init", "-o", str(target)]) == 2
    assert "finns redan" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mina uppgifter"
    assert run(["init", "-o", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("# SPUR-evidens")


def test_schema_is_json_schema_with_requirement_ids(capsys):
    assert run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    assert "E-09" in schema["properties"]["intyganden"]["propertyNames"]["enum"]
    assert "D-07" not in schema["properties"]["intyganden"]["propertyNames"]["enum"]  # structured, not attested
    assert len(schema["properties"]["inspektorsbedomningar"]["propertyNames"]["enum"]) == 74


def test_schema_accepts_what_the_loader_accepts(tmp_path, capsys):
    """An editor checking files against `spur schema` (an independent validator here, jsonschema) must accept the
    bundled examples, a fresh template and generated units, which write ja / nej, and still catch what the loader
    refuses."""
    import jsonschema

    from benchmarks.generate import generate
    from evidence.yamlsafe import load

    assert run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert run(["init", "-o", str(tmp_path / "mall.yaml")]) == 0
    generate(tmp_path / "gen", 30, seed=3)
    files = sorted((ROOT / "evidence" / "examples").glob("*.yaml")) + sorted(tmp_path.rglob("*.yaml"))
    for path in files:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load(path).data)]
        assert errors == [], path
    print(f"{len(files)} filer giltiga enligt schemat")
    data = load(ROOT / LINDEN).data
    data["st_lakare"][0]["iup"]["finns"] = "kanske"
    data["st_lakare"][0]["huvudhandledare"] = "ja"
    data["st_lakare"][0]["okand"] = 1

    def leaves(errors):  # the deepest failure of each branch of an anyOf (a list or null, a name or false …)
        for e in errors:
            if e.context:
                yield from leaves(e.context)
            elif (e.validator, e.validator_value) != ("type", "null"):
                yield e

    found = sorted(
        {str(list(e.absolute_path)) for e in leaves(validator.iter_errors(data)) if len(e.absolute_path) > 1}
    )
    print(found)
    assert found == ["['st_lakare', 0, 'huvudhandledare']", "['st_lakare', 0, 'iup', 'finns']", "['st_lakare', 0]"]


def test_comma_in_flow_mapping_gets_a_quoting_hint(tmp_path, capsys):
    path = tmp_path / "enhet.yaml"
    path.write_text(
        Path(LINDEN)
        .read_text(encoding="utf-8")
        .replace(
            "inspektorsbedomningar: {}",
            "inspektorsbedomningar:\n  D-07: {utfall: uppfyllt, motivering: Sett, protokoll visat.}",
        ),
        encoding="utf-8",
    )
    assert run(["grade", str(path)]) == 3
    err = capsys.readouterr().err
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index("  D-07: {utfall: uppfyllt, motivering: Sett, protokoll visat.}")
    )
    assert f"enhet.yaml:{line + 1}:" in err and "sätt citattecken" in err


def test_override_keeps_engine_outcome(tmp_path, capsys):
    text = (
        Path(LINDEN)
        .read_text(encoding="utf-8")
        .replace(
            "inspektorsbedomningar: {}",
            'inspektorsbedomningar:\n  D-07: {utfall: uppfyllt, motivering: "IUP reviderad vid besöket, protokoll visat."}',
        )
    )
    path = tmp_path / "linden.yaml"
    path.write_text(text, encoding="utf-8")
    assert run(["grade", str(path), "--format", "json"]) == 0
    areas = {a["area"]: a for a in json.loads(capsys.readouterr().out)["areas"]}
    d07 = next(r for r in areas["D"]["requirements"] if r["id"] == "D-07")
    assert d07["overridden"] and d07["outcome"] == "met" and d07["engine_outcome"] == "unmet"
    assert "IUP reviderad vid besöket" in d07["reasons"][0]
    assert areas["D"]["grade"] == "A"


@pytest.mark.parametrize(("fail_on", "code"), [("D", 1), ("C", 1), ("B", 1), ("A", 1)])
def test_fail_on_reached(fail_on, code):
    assert run(["grade", LINDEN, "--fail-on", fail_on, "--format", "json", "-o", "/dev/null"]) == code


def test_fail_on_not_reached():
    assert run(["grade", "evidence/examples/vardcentralen_eken.yaml", "--fail-on", "C", "-o", "/dev/null"]) == 0


def test_swedish_usage_errors(capsys):
    assert run(["grade", "--fomat", "json", LINDEN]) == 2
    err = capsys.readouterr().err
    assert "okänt alternativ" in err and "Menade du '--format'?" in err and "Traceback" not in err
    assert run(["grade"]) == 2
    assert "argument saknas" in capsys.readouterr().err


def test_markdown_output_has_every_area_and_id(capsys, catalog):
    assert run(["grade", LINDEN, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert all(f"### {a.letter}. {a.title}" in out for a in catalog.areas)
    assert all(f"| {r.id} |" in out for r in catalog.requirements)


def test_wheel_ships_rules_and_templates(tmp_path):
    """`pip install .` (not only editable) must carry rules/ as package data."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = next(tmp_path.glob("spur-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = {
        "cli.py",
        "rules/grading.yaml",
        "rules/vocabulary.yaml",
        "rules/example_base.yaml",
        "reports/templates/grade.md.j2",
        "evidence/examples/vardcentralen_linden.yaml",
    }
    needed |= {f"rules/areas/{a}.yaml" for a in "ABCDEFGH"}
    print(f"{wheel.name}: {len(names)} filer")
    assert needed <= names, needed - names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "spur = cli:entry" in zipfile.ZipFile(wheel).read(entry).decode()


@pytest.mark.parametrize(
    "command",
    [
        ["grade", "{copy}", "-o", "{copy}"],
        ["report", "{copy}", "-o", "{copy}"],
        ["diff", LINDEN, "{copy}", "-o", "{copy}"],
    ],
    ids=["grade", "report", "diff"],
)
def test_output_onto_an_input_file_is_refused(tmp_path, capsys, command):
    copy = tmp_path / ("enhet.md" if command[0] == "report" else "enhet.yaml")  # a report's -o must name a format
    original = (ROOT / LINDEN).read_bytes()
    copy.write_bytes(original)
    assert run([str(copy) if a == "{copy}" else a for a in command]) == 2
    err = capsys.readouterr().err
    print(err)
    assert f"är samma fil som indatafilen {copy}" in err
    assert copy.read_bytes() == original


def test_output_follows_a_symlink_and_keeps_permissions(tmp_path, capsys):
    target = tmp_path / "rapport.txt"
    target.write_text("gammal", encoding="utf-8")
    target.chmod(0o600)
    link = tmp_path / "senaste.txt"
    link.symlink_to(target.name)
    assert run(["grade", LINDEN, "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("SPUR-bedömning: Vårdcentralen Linden")
    mode = target.stat().st_mode & 0o777
    print(f"mode after rewrite: {mode:o}")
    assert mode == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.txt", "senaste.txt"]


def test_output_to_a_fifo_is_written_not_replaced(tmp_path):
    fifo = tmp_path / "rör"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run(["grade", LINDEN, "-o", str(fifo)]) == 0
    out = reader.communicate(timeout=30)[0].decode("utf-8")
    assert out.startswith("SPUR-bedömning: Vårdcentralen Linden")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_to_dev_stdout_in_a_pipe(tmp_path):
    """/dev/stdout in a pipe resolves to /proc/self/fd/pipe:[…], which cannot be opened by that name."""
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "grade", LINDEN, "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CI": "1"},
        timeout=120,
    )
    print(proc.returncode, proc.stderr)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("SPUR-bedömning: Vårdcentralen Linden")


def test_file_system_errors_are_the_users_not_internal(tmp_path, capsys, monkeypatch):
    assert run(["grade", LINDEN, "-o", str(tmp_path / "saknas" / "x.txt")]) == 2
    err = capsys.readouterr().err
    print(err)
    assert "kan inte skriva filen (filen eller katalogen finns inte)" in err and "internt fel" not in err

    def unreadable(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", unreadable)
    assert run(["grade", LINDEN]) == 3
    err = capsys.readouterr().err
    print(err)
    assert err == f"{LINDEN}: kan inte läsa filen (behörighet saknas).\n"
