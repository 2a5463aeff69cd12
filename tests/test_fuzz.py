"""Seeded fuzzing of every command that reads evidence or a handlingsplan (issue 15).

Each case mutates an example file (tests/fuzz.py) and runs one command on it in this process. For every case: exit 0
or 3 (followup may say 1: a row is overdue), never 4; on exit 3 one Swedish line per error, each starting with the
file, its line and column; under one second; and nothing written on exit 3 (no output, no temporary file, the plan
that `spur plan -o` would update unchanged). `make test` runs SPUR_FUZZ_CASES (default 300) cases; `make fuzz` runs
thousands. A failure names its case: `SPUR_FUZZ_CASES=N pytest tests/test_fuzz.py -k 'fall-123'` repeats it.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

import cli
from tests.fuzz import LINDEN, PLAN, Case, mutate

CASES = int(os.environ.get("SPUR_FUZZ_CASES", "300"))
SEED = int(os.environ.get("SPUR_FUZZ_SEED", "15"))
LIMIT_SECONDS = 1.0
# Words of the messages of PyYAML, ruamel.yaml, pydantic and Python that must never reach the user untranslated.
ENGLISH = re.compile(
    r"\b(the|should|error|expected|found|while|could|cannot|invalid|input|field|value|not|allowed|mapping|"
    r"scalar|token|stream|character|line|column|exceeds?|limit|object|type|must|is|of)\b",
    re.IGNORECASE,
)
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|![^\s]*")  # quoted values and YAML tags echo the file
STATS: Counter[str] = Counter()
BATCH_OUTPUT = {"json": "batch.json", "csv": "batch.csv", "html": "index.html"}


def commands(case: Case, rng: random.Random) -> list[str]:
    """One command for the case, with the mutated file as `enhet.yaml` or `plan.yaml` in the working directory."""
    if case.kind == "plan":
        return rng.choice(
            [
                ["grade", str(LINDEN), "--plan", "plan.yaml", "-o", "ut.txt"],
                ["show-plan", "plan.yaml", "--format", rng.choice(["markdown", "html"]), "-o", "ut.txt"],
                ["followup", "plan.yaml", "--today", "2025-10-15", "--format", rng.choice(["text", "json", "ics"])],
                ["plan", str(LINDEN), "-o", "plan.yaml"],
                ["plan", str(LINDEN), "-o", "plan.yaml"],
                ["report", str(LINDEN), "--plan", "plan.yaml", "-o", "rapport.md"],
            ]
        )
    return rng.choice(
        [
            ["grade", "enhet.yaml", "--format", rng.choice(["text", "json", "markdown"]), "-o", "ut.txt"],
            ["validate", "enhet.yaml"],
            ["report", "enhet.yaml", "-o", rng.choice(["rapport.html", "rapport.md"])],
            ["plan", "enhet.yaml", "-o", "plan.yaml"],
            ["batch", "enhet.yaml", "--jobs", "1", "-o", "ut", "--format", rng.choice(["json", "csv", "html"])],
        ]
    )


def snapshot(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(directory.rglob("*"))
    }


def swedish_problem(message: str) -> str | None:
    """What is not Swedish in one error message (quoted values, which echo the file, left out)."""
    found = ENGLISH.search(QUOTED.sub("", message))
    return found.group(0) if found else None


@pytest.fixture(scope="module", autouse=True)
def summary(request, tmp_path_factory):
    """Warm up first (imports, templates, caches: what every process pays once, whatever its input), then print
    the exit codes per command at the end."""
    warm = tmp_path_factory.mktemp("uppvarmning")
    cwd = os.getcwd()
    os.chdir(warm)
    try:
        shutil.copy(LINDEN, warm / "enhet.yaml")
        shutil.copy(PLAN, warm / "plan.yaml")
        seen = set()
        for index in range(200):
            case = mutate(index, SEED)
            argv = commands(case, random.Random(f"{SEED}:{index}:command"))
            if tuple(argv[:1] + argv[-1:]) not in seen:
                seen.add(tuple(argv[:1] + argv[-1:]))
                cli.run(argv)
    finally:
        os.chdir(cwd)
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and STATS:
        line = ", ".join(f"{k}: {v}" for k, v in sorted(STATS.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nfuzz (frö {SEED}, {sum(STATS.values())} fall): {line}")


@pytest.mark.parametrize("index", range(CASES), ids=lambda i: f"fall-{i}")
def test_fuzz_case(index, tmp_path, monkeypatch, capsys):
    case = mutate(index, SEED)
    rng = random.Random(f"{SEED}:{index}:command")
    argv = commands(case, rng)
    name = "plan.yaml" if case.kind == "plan" else "enhet.yaml"
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(case.data)
    if case.kind == "evidence" and case.source == LINDEN and argv[0] == "plan":
        shutil.copy(PLAN, tmp_path / "plan.yaml")  # the merge path: update the unit's own plan
    before = snapshot(tmp_path)
    capsys.readouterr()
    started = time.perf_counter()
    code = cli.run(argv)
    seconds = time.perf_counter() - started
    _, err = capsys.readouterr()
    after = snapshot(tmp_path)
    failed = tmp_path.parent / f"fuzz-fall-{index}.yaml"
    where = f"{case.describe()}; spur {' '.join(argv)} -> {code} på {seconds:.2f} s; indata sparad i {failed}\n{err}"
    STATS[f"{argv[0]} {code}"] += 1
    allowed = {0, 1, 3} if argv[0] == "followup" else {0, 3}
    try:
        assert code in allowed, where
        assert "Traceback" not in err and "internt fel" not in err, where
        assert seconds < LIMIT_SECONDS, where
        written = {k for k in after if k not in before or after[k] != before[k]}
        hidden = [k for k in after if any(part.startswith(".") for part in k.split("/"))]
        assert not hidden, f"temporary file left: {hidden}; {where}"
        if code == 3:
            lines = err.splitlines()
            if argv[0] == "batch":  # the summary line ends every batch run; its outputs list the invalid file
                assert lines[-1] == f"Skrev ut/{BATCH_OUTPUT[argv[-1]]}.", where
                lines = lines[:-2]
                assert written <= {"ut", "ut/" + BATCH_OUTPUT[argv[-1]]}, where
            else:
                assert not written, f"written on exit 3: {written}; {where}"
            assert lines, where
            for line in lines:
                m = re.match(rf"{re.escape(name)}:(\d+):(\d+): (.+)$", line)
                assert m, f"not `{name}:line:col: message`: {line!r}; {where}"
                english = swedish_problem(m.group(3))
                assert english is None, f"untranslated {english!r} in {line!r}; {where}"
    except AssertionError:
        failed.write_bytes(case.data)
        raise
