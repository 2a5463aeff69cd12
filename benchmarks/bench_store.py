"""`make bench`, the store's part: import rate against plain `spur batch`, `spur history` and `spur batch --db` over
N units with three assessments each, peak RSS and the number of queries, on SQLite and (run through .ci/postgres)
PostgreSQL. Prints what it measured and PASS/FAIL per target; exits 1 if a target is missed.

    python benchmarks/bench_store.py [--n 10000] [--database sqlite|postgresql]

Targets: import within 2 × plain `spur batch` (units/s, both with the default --jobs); `spur history` and
`spur batch --db` (whole processes) under 2 s with N units × 3 assessments; the import's peak RSS for N units at
most 1.2 × its RSS for 100.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import PER_DIRECTORY, generate  # noqa: E402

TARGET_IMPORT_RATIO = 2.0
TARGET_SECONDS = 2.0
TARGET_RSS_RATIO = 1.2
ASSESSED = re.compile(r"^(bedomning:\n  datum: )(\d{4}-\d{2}-\d{2})", re.M)


def spur() -> list[str]:
    script = Path(sys.executable).parent / "spur"
    return [str(script)] if script.exists() else [sys.executable, str(ROOT / "cli.py")]


CPU: dict[tuple[str, ...], float] = {}  # CPU seconds (the process and its workers) of each command run


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS of the process itself in MB, standard output) of one whole `spur` process; its CPU time,
    with its workers', in CPU."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([*spur(), *args], cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        CPU[tuple(args)] = usage.ru_utime + usage.ru_stime
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"spur {' '.join(args)}: kod {proc.returncode}\n{err.read()[-3000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read()


def later(src: Path, dst: Path, months: int) -> None:
    """A copy of every unit assessed `months` later (the same facts, a later date)."""
    from engine.facts import sub_months

    for f in src.rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")

        def shift(m: re.Match[str]) -> str:
            return m.group(1) + sub_months(date.fromisoformat(m.group(2)), -months).isoformat()

        target = dst / f.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(ASSESSED.sub(shift, text, count=1), encoding="utf-8")


def query_counts(env: dict[str, str], unit: str) -> dict[str, int]:
    code = (
        "import web; web.setup()\n"
        "from datetime import date\n"
        "from django.db import connection\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from web.store.queries import batch_result, find_unit, unit_history\n"
        f"u = find_unit(None, {unit!r})\n"
        "out = {}\n"
        "for name, fn in (('history', lambda: unit_history(None, u, date(2026, 1, 1))), ('batch', lambda: batch_result(None))):\n"
        "    with CaptureQueriesContext(connection) as c:\n"
        "        fn()\n"
        "    out[name] = len(c.captured_queries)\n"
        "print(out)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return eval(done.stdout.strip().splitlines()[-1])  # a dict literal we printed ourselves


def database_url(database: str, base: Path | str) -> str:
    """A file in `base` for SQLite; the throwaway server .ci/postgres started for PostgreSQL."""
    if database == "sqlite":
        return f"sqlite:///{base}/spur.sqlite3"
    url = os.environ.get("SPUR_PG_URL")
    if not url:
        raise SystemExit("--database postgresql körs genom .ci/postgres (SPUR_PG_URL saknas)")
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 2 * PER_DIRECTORY or args.n % PER_DIRECTORY:
        raise SystemExit(f"--n ska vara en multipel av {PER_DIRECTORY}, minst {2 * PER_DIRECTORY}")
    base = Path(tempfile.mkdtemp(prefix="spur-bench-store-"))
    env = {k: v for k, v in os.environ.items() if k != "SPUR_ANVANDARE"}
    env["CI"] = "1"
    env["XDG_DATA_HOME"] = str(base / "data")
    env["SPUR_DATABASE_URL"] = database_url(args.database, base)
    results: list[tuple[str, str, bool]] = []
    start_load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        sets = [base / "set1", base / "set2", base / "set3"]
        generate(sets[0], args.n, args.seed)
        later(sets[0], sets[1], 6)
        later(sets[0], sets[2], 12)
        run(["db", "init"], env)
        plain = ["batch", str(sets[0]), "--format", "json"]
        batch_before, _, _ = run(plain, env)
        batch_cpu = CPU[tuple(plain)]
        first_dir = sets[0] / "region-000"
        _, small_rss, _ = run(["db", "import", str(first_dir)], env)
        rest = [str(p) for p in sorted(sets[0].iterdir()) if p != first_dir]
        import_s, big_rss, _ = run(["db", "import", *rest], env)
        import_cpu = CPU[("db", "import", *rest)]
        # plain batch again right after: the import is compared with the mean of the runs either side of it, so a
        # change in the machine's load during the run does not decide the ratio
        batch_after, _, _ = run(plain, env)
        batch_cpu = (batch_cpu + CPU[tuple(plain)]) / 2
        batch_s = (batch_before + batch_after) / 2
        batch_rate = args.n / batch_s
        import_rate = (args.n - PER_DIRECTORY) / import_s
        cpu_ratio = (import_cpu / (args.n - PER_DIRECTORY)) / (batch_cpu / args.n)
        later_rates = []
        for s in sets[1:]:
            seconds, _, _ = run(["db", "import", str(s)], env)
            later_rates.append(args.n / seconds)
        unit = "Vårdcentralen Linden 0"
        names = re.search(r"^  namn: (.+)$", (first_dir / "enhet-000000.yaml").read_text(encoding="utf-8"), re.M)
        unit = names.group(1) if names else unit
        history = [run(["history", unit, "--today", "2026-01-01"], env)[0] for _ in range(5)]
        batch_db = [run(["batch", "--db", "--format", "json"], env)[0] for _ in range(3)]
        batch_html = [run(["batch", "--db", "--format", "html"], env)[0] for _ in range(3)]
        counts = query_counts(env, unit)
        size = sum(f.stat().st_size for f in base.glob("spur.sqlite3*")) if args.database == "sqlite" else None
        print(f"Databas: {args.database}, {args.n} enheter × 3 bedömningar")
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  belastning (uptime, 1/5/15 min): {start_load} i början, {load} i slutet")
        print(
            f"  spur batch (filer, standard --jobs): {batch_s:.1f} s, {batch_rate:.0f} enheter/s "
            f"(före importen {batch_before:.1f} s, efter {batch_after:.1f} s)"
        )
        print(
            f"  spur db import: {import_rate:.0f} enheter/s (första bedömningen), "
            f"{', '.join(f'{r:.0f}' for r in later_rates)} enheter/s (uppföljningarna, med handlingsplanssökning)"
        )
        print(
            f"  import / batch: {batch_rate / import_rate:.2f} × långsammare; "
            f"CPU-tid per enhet (processen och dess arbetsprocesser): {cpu_ratio:.2f} ×"
        )
        print(
            f"  toppminne import: {small_rss:.0f} MB för {PER_DIRECTORY} enheter, {big_rss:.0f} MB för {args.n - PER_DIRECTORY}"
        )
        print(f"  spur history: median {statistics.median(history):.2f} s (min {min(history):.2f})")
        print(
            f"  spur batch --db --format json: median {statistics.median(batch_db):.2f} s; html: {statistics.median(batch_html):.2f} s"
        )
        print(f"  frågor: {counts} (lika många för 1 som för {args.n} enheter; tests/store/test_queries.py)")
        if size is not None:
            print(f"  databasens storlek: {size / 1024 / 1024:.0f} MB")
        results = [
            (
                "import inom 2 × spur batch",
                f"{batch_rate / import_rate:.2f} ×",
                batch_rate / import_rate <= TARGET_IMPORT_RATIO,
            ),
            ("spur history < 2 s", f"{statistics.median(history):.2f} s", statistics.median(history) < TARGET_SECONDS),
            (
                "spur batch --db < 2 s",
                f"{statistics.median(batch_db):.2f} s",
                statistics.median(batch_db) < TARGET_SECONDS,
            ),
            ("RSS import N ≤ 1,2 × RSS 100", f"{big_rss / small_rss:.2f} ×", big_rss / small_rss <= TARGET_RSS_RATIO),
        ]
        for name, measured, ok in results:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}: {measured}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if all(ok for _, _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
