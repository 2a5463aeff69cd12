"""CLI behaviour every command shares: Swedish usage errors, -o (never onto an input, through a link, a FIFO,
/dev/stdout), file-system errors as the user's, and packaging."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cli import run
from evidence import yamlsafe

ROOT = Path(__file__).resolve().parent.parent
LINDEN = "evidence/examples/vardcentralen_linden.yaml"


def test_swedish_usage_errors(capsys):
    assert run(["grade", "--fomat", "json", LINDEN]) == 2
    err = capsys.readouterr().err
    assert "okänt alternativ" in err and "Menade du '--format'?" in err and "Traceback" not in err
    assert run(["grade"]) == 2
    assert "argument saknas" in capsys.readouterr().err


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

    def unreadable(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(yamlsafe, "open", unreadable, raising=False)  # evidence files are opened by their path string
    assert run(["grade", LINDEN]) == 3
    err = capsys.readouterr().err
    print(err)
    assert err == f"{LINDEN}: kan inte läsa filen (behörighet saknas).\n"
