"""The Swedish guide in the README ("Så använder du spur") runs as written.

Every `$ ` line of its console blocks is run, in order, by bash in one scratch directory that holds a copy of
evidence/examples, with the project's `spur` first on PATH (as after `. .venv/bin/activate`). What the guide shows
under a command must be what the command prints (standard output and error together): line for line, where a line
`…` stands for any number of lines and `…` inside a line for any text. A command may end in `# kod N` for an
expected exit code other than 0. Commands that write a PDF need Chromium; without it they are skipped loudly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from tests.conftest import ROOT

GUIDE = "## Så använder du spur"
from chromium import CHROMIUM, loud_skip  # noqa: E402


def guide_commands() -> list[tuple[str, list[str], int]]:
    """(command, the lines shown under it, expected exit code) for every `$ ` line of the guide's console blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n{GUIDE}\n")
    section = text[start : text.index("\n## ", start + 1)]
    out: list[tuple[str, list[str], int]] = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                command = line[2:]
                code = re.search(r"#\s*kod (\d+)\s*$", command)
                out.append((command, [], int(code.group(1)) if code else 0))
            elif line.strip():
                out[-1][1].append(line)
    return out


def matches(shown: list[str], printed: list[str]) -> str | None:
    """None when `printed` is what `shown` says, else the first line of `shown` that was not printed."""
    at, skipping = 0, False
    for line in shown:
        if line.strip() == "…":
            skipping = True
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in line.rstrip().split("…")) + r"\Z")
        while at < len(printed) and not pattern.match(printed[at].rstrip()):
            if not skipping:
                return line
            at += 1
        if at == len(printed):
            return line
        at, skipping = at + 1, False
    return None if skipping or at == len(printed) else f"(fler rader än guiden visar: {printed[at]!r})"


COMMANDS = guide_commands()


def test_the_guide_has_a_section_per_role_and_is_linked_from_the_first_screen():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = text[: text.index("\n---\n")]
    assert "make demo" in first_screen and "make test" in first_screen
    assert "[Så använder du spur](#så-använder-du-spur)" in first_screen
    section = text[text.index(f"\n{GUIDE}\n") :]
    for role in ("Verksamhetschef: självvärdering", "Inspektör: förbedömning och rapport",
                 "Studierektor: handlingsplan och uppföljning", "Region: översikt över många enheter"):
        assert f"\n### {role}" in section, role
    assert len(COMMANDS) >= 15
    kinds = {c.split()[1] for c, _, _ in COMMANDS}
    assert {"init", "validate", "grade", "report", "plan", "show-plan", "followup", "batch", "diff"} <= kinds


def test_the_matcher_fails_when_a_shown_line_is_not_printed():
    assert matches(["a", "…", "c"], ["a", "b", "b", "c"]) is None
    assert matches(["a", "x…z"], ["a", "xyz"]) is None
    assert matches(["a", "c"], ["a", "b", "c"]) == "c"
    assert matches(["a"], ["a", "b"]) is not None
    assert matches(["a", "…"], ["a", "b"]) is None


def test_every_command_in_the_guide_runs_as_shown(tmp_path):
    shutil.copytree(ROOT / "evidence" / "examples", tmp_path / "evidence" / "examples")
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["PYTHONUNBUFFERED"] = "1"  # standard output and error in the order they were written
    env.pop("SPUR_CHROMIUM", None)
    skipped = []
    for command, shown, code in COMMANDS:
        if ".pdf" in command and CHROMIUM is None:
            skipped.append(command)
            continue
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        printed = [line for line in done.stdout.splitlines() if line.strip()]  # blank lines are not compared
        print(f"$ {command}  -> {done.returncode}, {len(printed)} rader")
        assert done.returncode == code, (command, done.stdout[-2000:])
        wrong = matches(shown, printed)
        assert wrong is None, f"{command}\nguiden visar: {wrong!r}\nutskrift:\n{done.stdout[:3000]}"
    for name in ("min_enhet.yaml", "självvärdering.docx", "rapport.docx", "handlingsplan.yaml", "handlingsplan.html",
                 "handlingsplaner.ics", "granskning/index.html", "granskning/batch.csv"):
        assert (tmp_path / name).is_file(), name
    if skipped:
        loud_skip(f"chromium not found; not run: {skipped}")
    assert (tmp_path / "rapport.pdf").read_bytes()[:5] == b"%PDF-"
