"""Re-run the reproducers of issue 15's audit as whole `spur` processes and print, for each, the exit code, the time
and whether it gives exit 3 or the documented behaviour (the quick ones are also tests: tests/test_audit.py).

    .venv/bin/python benchmarks/audit.py [--writers 130] [--kills 50] [--mutants]

--mutants also applies the three mutants the audit saw survive, one at a time in a copy of the repository, and
checks that the test suite now fails on each. Exit 1 if any check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "evidence" / "examples"
LINDEN = EXAMPLES / "vardcentralen_linden.yaml"
EKEN = EXAMPLES / "vardcentralen_eken.yaml"
PLAN = EXAMPLES / "handlingsplaner" / "vardcentralen_linden.yaml"
RESULTS: list[tuple[str, bool, str]] = []


def spur(*argv: object, stdin: bytes | None = None, env: dict[str, str] | None = None, cwd: Path | None = None):
    """Run `spur ARGV` as a process: (exit code, stdout, stderr, seconds)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *map(str, argv)],
        input=stdin,
        capture_output=True,
        env={**os.environ, "CI": "1", **(env or {})},
        cwd=cwd,
        timeout=600,
    )
    return done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"), (
        time.perf_counter() - started
    )


def check(name: str, ok: bool, detail: str) -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'OK ' if ok else 'FEL'} {name}: {detail}", flush=True)


def timed(name: str, code: int, seconds: float, expected: int = 3, extra: bool = True, note: str = "") -> None:
    check(name, code == expected and seconds < 1.0 and extra, f"exit {code} på {seconds:.2f} s{note}")


def improved_linden(tmp: Path) -> Path:
    text = LINDEN.read_text(encoding="utf-8").replace("senast_reviderad: 2023-09-15", "senast_reviderad: 2024-09-15")
    path = tmp / "linden_ny.yaml"
    path.write_text(text.replace("E-12: {svar: ja,", "E-12: {svar: nej,"), encoding="utf-8")
    return path


def f1(tmp: Path) -> None:
    base = LINDEN.read_text(encoding="utf-8")
    for keys in (8_000, 12_000, 24_000, 50_000):
        path = tmp / f"f1_{keys}.yaml"
        path.write_text(base + "".join(f"okand_nyckel_{i}: varde\n" for i in range(keys)), encoding="utf-8")
        code, _, err, seconds = spur("validate", path)
        size = path.stat().st_size // 1024
        timed(f"F1 {keys} okända nycklar ({size} KB)", code, seconds, note=f", {len(err.splitlines())} rader")
    path = tmp / "f1_lista.yaml"
    path.write_text(base + "extra:\n" + "- a\n" * 2_500_000, encoding="utf-8")
    code, _, err, seconds = spur("validate", path)
    timed("F1 2,5 miljoner listpunkter (10 MB)", code, seconds, note=f": {err.strip()[:70]}")
    path = tmp / "f1_nara.yaml"
    path.write_text(base + "extra:\n" + "- a\n" * 24_000, encoding="utf-8")
    code, _, err, seconds = spur("validate", path)
    timed("F1 24 000 listpunkter (strax under gränsen)", code, seconds)


def f2(tmp: Path) -> None:
    for name, damage in (
        ("tabb efter kolon", lambda t: t.replace("status: planerad", "status:\tplanerad", 1)),
        ("två BOM", lambda t: "\ufeff\ufeff" + t),
    ):
        plan = tmp / f"f2_{name.replace(' ', '_')}.yaml"
        plan.write_text(damage(PLAN.read_text(encoding="utf-8")), encoding="utf-8")
        code, _, err, seconds = spur("plan", improved_linden(tmp), "-o", plan)
        added = "krav: E-12" in plan.read_text(encoding="utf-8")
        timed(f"F2 plan -o, {name}", code, seconds, expected=0, extra=added, note=f"; {err.strip()[:60]}")


def f3(tmp: Path, writers: int) -> None:
    text = LINDEN.read_text(encoding="utf-8")
    ids = re.findall(r"^  ([A-H]-\d\d): \{svar: ja", text, re.M)
    units = []
    for k in range(writers):
        unit = tmp / f"f3_{k}.yaml"
        unit.write_text(re.sub(rf"^  {ids[k % len(ids)]}: {{svar: ja", f"  {ids[k % len(ids)]}: {{svar: nej", text, flags=re.M))
        units.append(unit)
    plan = tmp / "f3_plan.yaml"
    serial = tmp / "f3_serial.yaml"
    for unit in units:  # what every row is: the plan the same writers make one after the other
        spur("plan", unit, "-o", serial, "--plan-date", "2025-04-01")
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "plan", str(u), "-o", str(plan), "--plan-date", "2025-04-01"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "CI": "1"},
        )
        for u in units
    ]
    codes = [p.wait() for p in procs]
    seconds = time.perf_counter() - started
    rows = sorted(re.findall(r"krav: (\S+)", plan.read_text(encoding="utf-8")))
    expected = sorted(re.findall(r"krav: (\S+)", serial.read_text(encoding="utf-8")))
    check(
        f"F3 {writers} samtidiga plan -o",
        set(codes) == {0} and rows == expected,
        f"exit {sorted(set(codes))}, {len(rows)} av {len(expected)} rader, {seconds:.1f} s för alla",
    )


def f6(tmp: Path) -> None:
    unit = tmp / "f6.yaml"
    unit.write_text(LINDEN.read_text(encoding="utf-8").replace("  datum: 2025-03-14", "  datum: 1751241600", 1))
    code, _, err, seconds = spur("grade", unit)
    timed("F6 datum: 1751241600", code, seconds, note=f": {err.strip()[len(str(unit)) :][:60]}")
    plan = tmp / "f6_plan.yaml"
    plan.write_text(PLAN.read_text(encoding="utf-8").replace("datum_genomford: 2025-07-01", "datum_genomford: 1767225600"))
    code, _, err, seconds = spur("show-plan", plan)
    timed("F6 datum_genomford: 1767225600", code, seconds)


def f7(tmp: Path) -> None:
    unit = tmp / "f7.yaml"
    unit.write_text(
        LINDEN.read_text(encoding="utf-8").replace(
            "underlag: Tjänstgöringsschema och intervju med ST-läkarna", 'underlag: "Rundvandring\\r# FÖRFALSKAD RUBRIK"'
        )
    )
    code, _, _, seconds = spur("report", unit, "-o", tmp / "f7.md")
    forged = [line for line in re.split(r"\r\n|\r|\n", (tmp / "f7.md").read_text()) if line.startswith("# FÖRF")]
    timed("F7 \\r i underlag, report -o r.md", code, seconds, expected=0, extra=not forged, note=", ingen rubrik")
    code, out, _, seconds = spur("grade", unit, "--format", "markdown")
    forged = [line for line in re.split(r"\r\n|\r|\n", out) if line.startswith("# FÖRF")]
    timed("F7 \\r i underlag, grade --format markdown", code, seconds, expected=0, extra=not forged)


def f8(tmp: Path) -> None:
    code, _, err, seconds = spur("grade", "/dev/zero")
    timed("F8 grade /dev/zero", code, seconds, note=f": {err.strip()[:60]}")
    big = LINDEN.read_bytes() + b"# " + b"x" * (60 * 1024 * 1024) + b"\n"
    code, _, err, seconds = spur("grade", "/dev/stdin", stdin=big)
    timed("F8 60 MB | grade /dev/stdin", code, seconds)


def s1(tmp: Path) -> None:
    out = tmp / "s1_delad"
    out.mkdir()
    victims = []
    for name in ("index.html", "batch.json", "batch.csv"):
        victim = tmp / f"s1_offer_{name}"
        victim.write_text("offrets data")
        (out / name).symlink_to(victim)
        victims.append(victim)
    codes = [spur("batch", EKEN, "--format", fmt, "-o", out)[0] for fmt in ("html", "json", "csv")]
    intact = all(v.read_text() == "offrets data" for v in victims)
    check("S1 planterade länkar i batch -o", codes == [0, 0, 0] and intact, f"exit {codes}, offrets filer orörda: {intact}")


def s2(tmp: Path) -> None:
    cache = tmp / "s2_cache"
    env = {"SPUR_CACHE_DIR": str(cache)}
    spur("grade", LINDEN, env=env)
    marker = tmp / "S2_KOD_KORDES"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(Evil())
    victim = tmp / "s2_offrets_fil"
    victim.write_bytes(hashlib.sha256(payload).digest() + payload)
    for entry in cache.glob("*.pickle"):
        entry.unlink()
        entry.symlink_to(victim)
    code, _, err, _ = spur("grade", LINDEN, env=env)
    check("S2 länk i cachen", code == 0 and not marker.exists(), f"exit {code}, kod kördes: {marker.exists()}")
    cache.chmod(0o777)
    code, _, err, _ = spur("grade", LINDEN, env=env)
    check("S2 cachekatalog som alla kan skriva", code == 0 and err.startswith("varning: cachekatalogen"), err.strip())


def killed(tmp: Path, kills: int) -> None:
    units = tmp / "k_enheter"
    units.mkdir()
    for k in range(30):
        (units / f"e{k}.yaml").write_text(EKEN.read_text(encoding="utf-8").replace("Vårdcentralen Eken", f"Enhet {k}", 1))
    out = tmp / "k_ut"
    left = 0
    for k in range(kills):
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "batch", str(units), "--reports", "--jobs", "1", "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "CI": "1"},
        )
        time.sleep(0.6 + 0.02 * k)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        left += sum(1 for p in out.glob(".*")) if out.exists() else 0
    code = spur("batch", units, "--reports", "--jobs", "1", "-o", out)[0]
    after = [p.name for p in out.iterdir() if p.name.startswith(".")]
    check(f"{kills} SIGKILL under batch -o --reports", code == 0 and not after, f"tillfälliga filer sedda efter dödade körningar: {left}, kvar efter nästa körning: {len(after)}")


def crlf(tmp: Path) -> None:
    flush = re.sub(r"(?m)^    (?=\w)", "  ", re.sub(r"(?m)^  - ", "- ", PLAN.read_text(encoding="utf-8")))
    plan = tmp / "crlf.yaml"
    plan.write_bytes(flush.replace("\n", "\r\n").encode())
    code, _, _, seconds = spur("plan", improved_linden(tmp), "-o", plan)
    data = plan.read_bytes()
    kept = b"\n" not in data.replace(b"\r\n", b"") and b"\r\n- krav: E-12\r\n  omrade:" in data
    timed("CRLF och listindrag i plan -o", code, seconds, expected=0, extra=kept, note=f", behållna: {kept}")


MUTANTS = {
    "CSV neutraliserar inte @": ("reports/batch_view.py", '"=", "+", "-", "@",', '"=", "+", "-",', "formula"),
    "rättigheter behålls inte": ("reports/files.py", "os.chmod(tmp, stat.S_IMODE(mode))", "pass", "permissions"),
    "cachen kontrollerar inte ägaren": (
        "evidence/diskcache.py",
        "return info.st_uid == os.getuid() and not info.st_mode & 0o022",
        "return not info.st_mode & 0o022",
        "cache",
    ),
}


def mutants(tmp: Path) -> None:
    for number, (name, (path, old, new, tests)) in enumerate(MUTANTS.items()):
        copy = tmp / f"mutant_{number}"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", ".*cache*"))
        source = copy / path
        text = source.read_text(encoding="utf-8")
        assert old in text, (path, old)
        source.write_text(text.replace(old, new, 1), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-k", tests, "tests/test_audit.py", "tests/test_batch.py", "tests/test_diskcache.py"],
            cwd=copy,
            capture_output=True,
            text=True,
            env={**os.environ, "CI": "1"},
        )
        failed = re.findall(r"FAILED (\S+)", done.stdout)
        check(f"mutant: {name}", done.returncode == 1 and bool(failed), f"dödad av {failed[:1] or 'inget test'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=130)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--mutants", action="store_true")
    args = parser.parse_args()
    steps: list[Callable[[Path], None]] = [f1, f2, lambda t: f3(t, args.writers), f6, f7, f8, s1, s2]
    steps += [lambda t: killed(t, args.kills), crlf]
    if args.mutants:
        steps.append(mutants)
    with tempfile.TemporaryDirectory(prefix="spur-audit-") as tmp:
        for step in steps:
            step(Path(tmp))
    failed = [name for name, ok, _ in RESULTS if not ok]
    print(f"{len(RESULTS) - len(failed)} av {len(RESULTS)} kontroller gav exit 3 eller det dokumenterade beteendet.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
