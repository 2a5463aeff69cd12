"""The audit of issue 15: each finding's reproducer, named after the finding, failing before its fix.

F1 slow rejections, F2 plans only `spur plan -o` could not read, F3 concurrent plan writers, F6 integer dates, F7
Markdown through a carriage return, F8 the size limit for pipes and devices, S1 batch outputs following symbolic
links, S2 the pickle cache, the three mutants the suite let through, temporary files left by a killed run, and a
regenerated plan keeping CRLF and its sequence indentation. benchmarks/audit.py re-runs the reproducers as whole
processes and prints their exit codes and times.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import re
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from tests.conftest import ROOT, improved_linden

EXAMPLES = ROOT / "evidence" / "examples"
LINDEN = EXAMPLES / "vardcentralen_linden.yaml"
EKEN = EXAMPLES / "vardcentralen_eken.yaml"
PLAN = EXAMPLES / "handlingsplaner" / "vardcentralen_linden.yaml"
GOOD_UNIT = ROOT / "tests" / "data" / "good_unit.yaml"


@pytest.fixture
def spur(tmp_path, monkeypatch, capsys):
    """`spur ARGS` in this process, in tmp_path: (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.run([str(a) for a in argv])
        out, err = capsys.readouterr()
        print(f"spur {' '.join(map(str, argv))} -> {code}\n{err}")
        return code, out, err

    return run


def spur_process(*argv: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *map(str, argv)],
        capture_output=True,
        env={**os.environ, "CI": "1", **(env or {})},
        timeout=120,
        **kwargs,
    )


def plan_rows(text: str) -> list[tuple[str, str]]:
    from evidence.yamlsafe import parse

    rows = parse(text.replace("\r\n", "\n"), "plan.yaml").data["rader"]
    return [(r["krav"], r.get("kravet_uppfyllt")) for r in rows]


# --- F1: rejecting a file took minutes ------------------------------------------------------------------------


def test_f1_thousands_of_unknown_keys_build_only_the_messages_shown(spur, tmp_path, monkeypatch):
    """8,000 unknown keys took 6.4 s to reject (50,000: 554 s): a Swedish message, with a linear search for its
    line, was built for every error and all but 20 thrown away. Only the lines shown are built now."""
    from evidence import messages

    built = []
    real = messages.message

    def counting(*args, **kwargs):
        built.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(messages, "message", counting)
    text = LINDEN.read_text(encoding="utf-8") + "".join(f"okand_nyckel_{i}: varde\n" for i in range(10_000))
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    code, _, err = spur("validate", "enhet.yaml")
    assert code == 3
    lines = err.splitlines()
    assert len(lines) == 20 and len(built) == 20, (len(lines), len(built))
    first = LINDEN.read_text(encoding="utf-8").count("\n") + 1  # the line of the first unknown key
    assert lines[0].startswith(f"enhet.yaml:{first}:1: okand_nyckel_0: okänd nyckel 'okand_nyckel_0'.")
    assert lines[-1].startswith(f"enhet.yaml:{first + 19}:1: okand_nyckel_19: okänd nyckel")


def test_f1_thousands_of_unknown_requirement_ids_build_only_the_messages_shown(spur, tmp_path, monkeypatch):
    """The checks against the rules (unknown requirement ids, duplicate names …) built a line, with a closest-match
    search, for every problem too."""
    from evidence import messages

    calls = []
    real = messages.closest
    monkeypatch.setattr(messages, "closest", lambda *a: calls.append(a) or real(*a))
    import evidence.loader

    monkeypatch.setattr(evidence.loader, "closest", messages.closest)
    text = LINDEN.read_text(encoding="utf-8").replace(
        "intyganden:\n", "intyganden:\n" + "".join(f"  X-{i}: {{svar: ja}}\n" for i in range(5_000)), 1
    )
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    code, _, err = spur("validate", "enhet.yaml")
    assert code == 3 and len(err.splitlines()) == 20 and len(calls) <= 20, len(calls)


def test_f1_more_values_than_the_limit_are_refused_before_they_are_built(spur, tmp_path):
    """2.6 million `- a` lines (10 MB) took 15 s and 800 MB to build; a file may hold at most MAX_NODES values and
    is refused at the first one past the limit, with its line, before any is built."""
    from evidence.yamlsafe import MAX_NODES

    text = LINDEN.read_text(encoding="utf-8") + "extra:\n" + "- a\n" * (MAX_NODES + 10)
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    code, _, err = spur("validate", "enhet.yaml")
    assert code == 3
    limit = f"{MAX_NODES:,}".replace(",", " ")
    assert re.fullmatch(
        rf"enhet\.yaml:\d+:3: extra\[\d+\]: filen innehåller fler än {limit} värden, gränsen för en fil\. "
        r"Ta bort det som inte hör hit\.\n",
        err,
    ), err


# --- F2: `spur plan -o` could not read plans every other command accepts ---------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t.replace("status: planerad", "status:\tplanerad", 1),
        lambda t: "\ufeff\ufeff" + t,
        lambda t: t.replace("godkand_kommentar: Konkret och tidsatt.", "godkand_kommentar: Konkret\toch tidsatt.\t"),
    ],
    ids=["tab-after-colon", "two-boms", "tabs-in-and-after-a-value"],
)
def test_f2_plan_o_updates_every_plan_the_other_commands_read(spur, tmp_path, damage):
    """ruamel.yaml, which edited the plan, refused what libyaml reads (`status:\\tplanerad`, two BOMs …): exit 4,
    "internt fel: ScannerError". The plan is now edited in place at the positions the loader itself reports."""
    original = damage(PLAN.read_text(encoding="utf-8"))
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(original.encode("utf-8"))
    assert spur("grade", LINDEN, "--plan", plan)[0] == 0  # every other command reads it
    code, _, err = spur("plan", improved_linden(tmp_path), "-o", plan)
    assert code == 0, err
    updated = plan.read_text(encoding="utf-8").removeprefix("\ufeff")
    assert plan_rows(updated) == [("D-07", "ja"), ("E-08", "nej"), ("E-12", "nej"), ("H-06", "nej")]  # report order
    kept = original.removeprefix("\ufeff").removeprefix("\ufeff")
    assert updated.startswith(kept.split("kravet_uppfyllt: nej", 1)[0] + "kravet_uppfyllt: ja")
    start = updated.index("  - krav: E-12")
    without_new_row = updated[:start] + updated[updated.index("  - krav: H-06") :]
    assert without_new_row == kept.replace("kravet_uppfyllt: nej", "kravet_uppfyllt: ja", 1)


def test_f2_plan_o_is_byte_identical_when_nothing_changed(spur, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(PLAN, plan)
    assert spur("plan", LINDEN, "-o", plan)[0] == 0
    assert plan.read_bytes() == PLAN.read_bytes()


# --- F3: concurrent `spur plan -o` lost rows or crashed --------------------------------------------------------


def _variants(tmp_path: Path, n: int) -> list[Path]:
    """`n` versions of Linden, each answering nej to another attestation: each has deficiencies of its own."""
    text = LINDEN.read_text(encoding="utf-8")
    ids = re.findall(r"^  ([A-H]-\d\d): \{svar: ja", text, re.M)
    paths = []
    for k in range(n):
        rid = ids[k % len(ids)]
        path = tmp_path / f"enhet{k:02d}.yaml"
        path.write_text(re.sub(rf"^  {rid}: {{svar: ja", f"  {rid}: {{svar: nej", text, flags=re.M), encoding="utf-8")
        paths.append(path)
    return paths


def test_f3_fifty_concurrent_writers_lose_no_row(tmp_path, catalog, evaluator):
    """130 concurrent `spur plan -o same.yaml` lost 13 updates and crashed 8 times ("zip() argument 2 is shorter
    than argument 1"): each read the plan twice and nothing locked it. Now each holds a lock on the plan for its
    whole read, merge and write, and the others wait."""
    from engine.plan import deficiencies
    from evidence.loader import load_evidence

    units = _variants(tmp_path, 50)
    expected = set()
    for unit in units:
        expected |= {r.id for _, r in deficiencies(evaluator.evaluate(load_evidence(unit, catalog.known)), catalog)}
    plan = tmp_path / "plan.yaml"  # does not exist yet: the first writer creates it
    procs = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "plan", str(unit), "-o", str(plan), "--plan-date", "2025-04-01"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "CI": "1"},
        )
        for unit in units
    ]
    results = [(p.wait(timeout=600), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    failed = [(code, err) for code, err in results if code != 0]
    assert not failed, failed[:3]
    rows = [krav for krav, _ in plan_rows(plan.read_text(encoding="utf-8"))]
    print(f"{len(rows)} rader, {len(expected)} väntade")
    assert sorted(rows) == sorted(expected) and len(rows) == len(set(rows))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_f3_a_writer_that_cannot_get_the_lock_gives_up_with_a_swedish_message(spur, tmp_path, monkeypatch):
    from reports import files

    monkeypatch.setattr(files, "LOCK_TIMEOUT", 0.3)
    plan = tmp_path / "plan.yaml"
    shutil.copy(PLAN, plan)
    with open(plan, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, _, err = spur("plan", improved_linden(tmp_path), "-o", plan)
    assert code == 2
    assert err == (
        f"fel: {plan}: en annan körning av 'spur plan' uppdaterar filen; väntade 0,3 s. Försök igen när den är klar.\n"
    )
    assert plan.read_bytes() == PLAN.read_bytes()


# --- F6: integer dates were read as Unix time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1751241600", "1751241600"),
        ('"1751241600"', "'1751241600'"),
        ("20250630", "20250630"),
        ("1.7e+9", "1700000000.0"),
        ("2025-06-30T00:00:00", "'2025-06-30T00:00:00'"),
    ],
)
def test_f6_a_number_where_a_date_belongs_is_an_error(spur, tmp_path, value, shown):
    """`datum: 1751241600` graded as 2025-06-30 (pydantic reads an integer, or digits, as Unix time)."""
    text = LINDEN.read_text(encoding="utf-8").replace("  datum: 2025-03-14", f"  datum: {value}", 1)
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    code, out, err = spur("grade", "enhet.yaml")
    assert code == 3 and out == ""
    assert err.startswith(f"enhet.yaml:12:3: bedomning.datum: ogiltigt datum {shown}. "), err
    assert err.endswith("Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.\n") and len(err.splitlines()) == 1


def test_f6_a_number_where_a_plan_date_belongs_is_an_error(spur, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        PLAN.read_text(encoding="utf-8").replace("datum_genomford: 2025-07-01", "datum_genomford: 1767225600", 1),
        encoding="utf-8",
    )
    code, _, err = spur("show-plan", plan)
    assert code == 3
    assert f"{plan}:18:5: rader[1].datum_genomford: ogiltigt datum 1767225600. Ange datum som ÅÅÅÅ-MM-DD" in err


# --- F7: a carriage return in evidence text started a Markdown block ---------------------------------------------


@pytest.mark.parametrize("brk", ["\\r", "\\r\\n", "\\u2028", "\\u2029", "\\x85"])
def test_f7_no_line_break_in_evidence_text_starts_a_markdown_block(spur, tmp_path, brk):
    text = LINDEN.read_text(encoding="utf-8").replace(
        "A-03: {svar: ja, underlag: Tjänstgöringsschema och intervju med ST-läkarna}",
        f'A-03: {{svar: ja, underlag: "Rundvandring{brk}# FÖRFALSKAD RUBRIK"}}',
    )
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    assert spur("report", "enhet.yaml", "-o", "r.md")[0] == 0
    code, grade, _ = spur("grade", "enhet.yaml", "--format", "markdown")
    assert code == 0
    for markdown in ((tmp_path / "r.md").read_text(encoding="utf-8"), grade):
        assert "Rundvandring # FÖRFALSKAD RUBRIK" in markdown
        # CommonMark ends a line at \n, \r\n and \r; no line may start the forged heading
        assert not [line for line in re.split(r"\r\n|\r|\n", markdown) if "FÖRFALSKAD" in line and line[0] != "|"]


# --- F8: the size limit for pipes and devices ------------------------------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_f8_an_endless_device_is_refused_at_the_limit():
    """`spur grade /dev/zero` grew to 2.6 GB and exited 4 (MemoryError): the limit was checked on st_size, which
    is 0 for a device or a pipe. At most the limit (now 1 MB, see F1) plus one byte is read."""
    done = spur_process("grade", "/dev/zero", preexec_fn=_limit_memory)
    assert done.returncode == 3, done.stderr
    assert done.stderr.decode() == (
        "/dev/zero:1:1: filen är större än gränsen 1 MB. Dela upp filen eller ta bort bilagor.\n"
    )


def test_f8_a_pipe_over_the_limit_is_refused(tmp_path):
    big = LINDEN.read_bytes() + b"# " + b"x" * (11 * 1024 * 1024) + b"\n"
    done = spur_process("grade", "/dev/stdin", input=big)
    assert done.returncode == 3 and done.stdout == b""
    assert done.stderr.decode().startswith("/dev/stdin:1:1: filen är större än gränsen 1 MB.")


# --- S1: batch outputs followed symbolic links out of the output directory ---------------------------------------


def test_s1_batch_outputs_replace_a_planted_symlink_instead_of_following_it(spur, tmp_path):
    """Another user who can write a shared output directory plants index.html, batch.json and batch.csv as links
    to the victim's files; `spur batch -o DIR` overwrote them. Files spur names inside a directory now replace a
    link, as the reports already did; an explicit `-o FILE` still follows one."""
    out = tmp_path / "delad"
    out.mkdir()
    victims = {}
    for name in ("index.html", "batch.json", "batch.csv"):
        victim = tmp_path / f"offrets_{name}"
        victim.write_text("offrets data", encoding="utf-8")
        (out / name).symlink_to(victim)
        victims[name] = victim
    for fmt in ("html", "json", "csv"):
        assert spur("batch", EKEN, "--format", fmt, "-o", out)[0] == 0
    for name, victim in victims.items():
        assert victim.read_text(encoding="utf-8") == "offrets data", name
        assert not (out / name).is_symlink() and (out / name).stat().st_size > 100, name


# --- S2: the pickle cache executed a planted symbolic link --------------------------------------------------------


def _evil_entry(victim: Path, marker: Path) -> None:
    """A file whose bytes the attacker chose, owned by the victim: a valid cache entry that runs code."""

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(Evil())
    victim.write_bytes(hashlib.sha256(payload).digest() + payload)
    victim.chmod(0o644)


def test_s2_a_symlinked_cache_entry_is_not_unpickled(tmp_path):
    cache = tmp_path / "cache"
    env = {"SPUR_CACHE_DIR": str(cache)}
    assert spur_process("grade", LINDEN, env=env).returncode == 0
    marker = tmp_path / "KOD_KORDES"
    victim = tmp_path / "offrets_fil"
    _evil_entry(victim, marker)
    for entry in cache.glob("*.pickle"):
        entry.unlink()
        entry.symlink_to(victim)
    done = spur_process("grade", LINDEN, env=env)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), "the cache ran code from a planted link"


@pytest.mark.parametrize("problem", ["other-owner", "group-writable", "world-writable"])
def test_s2_a_cache_directory_others_control_is_not_used(tmp_path, monkeypatch, capsys, problem):
    from evidence import diskcache

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    marker = tmp_path / "KOD_KORDES"
    entry = cache / "catalog-0123.pickle"
    _evil_entry(entry, marker)
    entry.chmod(0o600)
    if problem == "other-owner":
        real = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: real + 1)
    else:
        cache.chmod(0o770 if problem == "group-writable" else 0o777)
    monkeypatch.setenv("SPUR_CACHE_DIR", str(cache))
    diskcache.warned.cache_clear()
    assert diskcache.read(entry) is None
    assert diskcache.read(entry) is None
    diskcache.write(cache / "evidence-0123.pickle", {"ny": 1})
    assert not marker.exists() and not (cache / "evidence-0123.pickle").exists()
    err = capsys.readouterr().err
    assert err == (
        f"varning: cachekatalogen {cache} används inte: den är inte din eller andra kan skriva i den. Ange en egen "
        "katalog med SPUR_CACHE_DIR (tom: ingen cache).\n"
    )


# --- the mutants the suite let through ---------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_mutant_batch_csv_neutralises_every_formula_start(spur, tmp_path, start):
    """Removing '@' from the characters that start a formula (an `@SUM(A1)` cell written as is) went unnoticed."""
    text = EKEN.read_text(encoding="utf-8").replace("namn: Vårdcentralen Eken", f'namn: "{start}SUM(A1)"', 1)
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    code, out, _ = spur("batch", "enhet.yaml", "--format", "csv")
    assert code == 0
    assert f",'{start}SUM(A1)," in out


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o664, 0o600, 0o444], ids=lambda mode: f"{mode:o}")
def test_mutant_an_existing_output_keeps_its_permissions(spur, tmp_path, mode):
    """Dropping the chmod to the old file's mode went unnoticed: the only test used 0600, which a new temporary
    file has anyway."""
    target = tmp_path / "ut.txt"
    target.write_text("gammal", encoding="utf-8")
    target.chmod(mode)
    assert spur("grade", LINDEN, "-o", target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_mutant_a_cache_entry_another_user_owns_is_not_read(tmp_path, monkeypatch):
    """Removing the owner check (another user's pickle executed) went unnoticed: only the mode was tested."""
    from evidence import diskcache

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("SPUR_CACHE_DIR", str(cache))
    entry = cache / "catalog-0123.pickle"
    diskcache.write(entry, {"min": "post"})
    assert diskcache.read(entry) == {"min": "post"}
    real_fstat = os.fstat

    def foreign(fd):  # the entry (not the directory) belongs to someone else
        info = real_fstat(fd)
        if stat.S_ISREG(info.st_mode):
            return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid + 1, *info[5:]))
        return info

    monkeypatch.setattr(os, "fstat", foreign)
    assert diskcache.read(entry) is None


# --- temporary files left by a killed run ------------------------------------------------------------------------


def test_temporary_files_a_killed_run_left_are_removed_by_the_next(spur, tmp_path):
    """2 of 50 SIGKILLed `batch -o --reports` runs left `.vardcentralen-lonnen-2.html.pkpjbcwg`. Temporary files
    are named for what they are (`.NAME.…spur-PID@HOST.tmp`) and the next run removes those of dead processes."""
    from reports.files import temporary_name

    out = tmp_path / "ut"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    left = out / temporary_name("vardcentralen-eken.html", pid)
    left.write_text("halvskriven", encoding="utf-8")
    alive = out / temporary_name("index.html", os.getpid())  # a run still writing: left alone
    alive.write_text("skrivs just nu", encoding="utf-8")
    mine = out / ".mitt.html.tmp"  # not spur's
    mine.write_text("någon annans", encoding="utf-8")
    assert spur("batch", EKEN, "--reports", "--format", "html", "-o", out)[0] == 0
    assert not left.exists() and alive.exists() and mine.exists()
    assert re.fullmatch(r"\.index\.html\.\w+\.spur-\d+@[^/]+\.tmp", alive.name)


# --- a regenerated plan keeps the file's line ends and sequence indentation --------------------------------------


def test_plan_o_keeps_crlf_line_ends_and_the_sequence_indentation(spur, tmp_path):
    """A plan regenerated by `spur plan -o` was rewritten with LF line ends and ruamel's own indentation."""
    text = PLAN.read_text(encoding="utf-8")
    flush = re.sub(r"(?m)^  - ", "- ", text)  # items at the key's column, their keys two further in
    flush = re.sub(r"(?m)^    (?=\w)", "  ", flush)
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(flush.replace("\n", "\r\n").encode("utf-8"))
    assert spur("grade", LINDEN, "--plan", plan)[0] == 0
    assert spur("plan", improved_linden(tmp_path), "-o", plan)[0] == 0
    data = plan.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("utf-8").replace("\r\n", "\n")
    kept = flush.replace("kravet_uppfyllt: nej", "kravet_uppfyllt: ja", 1)
    start, end = text.index("- krav: E-12\n"), text.index("- krav: H-06\n")  # the new row, in report order
    assert text[:start] + text[end:] == kept
    assert text[start:end].startswith("- krav: E-12\n  omrade: E. Handledning och kompetensbedömning\n")
    assert [krav for krav, _ in plan_rows(text)] == ["D-07", "E-08", "E-12", "H-06"]


# --- found by the fuzz test (tests/test_fuzz.py) -------------------------------------------------------------------


def test_a_unit_that_activates_no_rule_is_graded_not_crashed(tmp_path):
    """durable_rules crashed (SIGSEGV) deleting a session in which no rule had fired: the complete unit without
    its handledare."""
    text = GOOD_UNIT.read_text(encoding="utf-8")
    head, rest = text.split("handledare:\n", 1)
    rest = rest[rest.index("st_lakare:") :]
    unit = tmp_path / "enhet.yaml"
    unit.write_text(head + rest, encoding="utf-8")
    done = spur_process("grade", unit)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert done.stdout.decode().startswith("SPUR-bedömning: Vårdcentralen Test")


@pytest.mark.parametrize("value", ["!!bool x", "!!int x", "!!float x", "!!null x"])
def test_a_tag_that_does_not_fit_its_value_is_an_error(spur, tmp_path, value):
    text = LINDEN.read_text(encoding="utf-8").replace("  typ: förbedömning", f"  typ: {value}", 1)
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    code, _, err = spur("validate", "enhet.yaml")
    assert code == 3 and err.startswith("enhet.yaml:13:3: bedomning.typ: "), err


@pytest.mark.parametrize("brk", ["\\x85", "\\u2028", "\\u2029", "\\e[2J", "\\r"])
def test_every_error_is_one_line_whatever_the_value_holds(spur, tmp_path, brk):
    text = LINDEN.read_text(encoding="utf-8").replace("  typ: förbedömning", f'  typ: "för{brk}bedömning"', 1)
    (tmp_path / "enhet.yaml").write_text(text, encoding="utf-8")
    code, _, err = spur("validate", "enhet.yaml")
    assert code == 3
    assert len(err.splitlines()) == 1 and err.startswith("enhet.yaml:13:3: bedomning.typ: ogiltigt värde 'för")
    assert "\x1b" not in err and "\r" not in err


def test_a_plan_for_another_unit_is_refused_with_its_line(spur, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.read_text(encoding="utf-8").replace("enhet: Vårdcentralen Linden", "enhet: Annan"))
    code, _, err = spur("grade", LINDEN, "--plan", plan)
    assert code == 3
    assert err == (
        f"{plan}:7:1: enhet: handlingsplanen gäller enheten 'Annan', inte 'Vårdcentralen Linden'. "
        "Kontrollera att planen hör till evidensfilen.\n"
    )
