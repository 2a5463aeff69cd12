"""`make bench`: the performance figures of issue 5, measured in one run on this machine, with PASS/FAIL per target.

1. `spur grade` on one example unit as a whole process (median of --runs runs);
2. `spur batch` throughput (units/s, whole process) for each N with --jobs 1 and --jobs 2, and the JSON of both
   compared byte for byte; --jobs 2 runs once before and once after --jobs 1 and counts with the mean of the two;
3. the floor: reading the same files and yaml.load with yaml.CSafeLoader, single process, half before and half after
   --jobs 1, and batch time / floor;
4. the whole run's peak RSS (output written and all) for each N: of the --jobs 1 process and of the --jobs 2 parent
   (VmHWM, the process's own peak), and of the --jobs 2 largest worker (ru_maxrss of RUSAGE_CHILDREN); each batch runs
   in benchmarks/batch_probe.py, which says why not ru_maxrss for the process itself.

Targets (ratios from this run): batch --jobs 1 ≤ 2 × floor and --jobs 2 ≥ 1.6 × faster than --jobs 1, both at the
largest N (small N mostly measure process start); each peak RSS at the largest N ≤ 1.2 × the peak at the smallest N;
spur grade ≤ 0.3 s. Generated files go to a temporary directory that is removed afterwards (unless --keep).

    python benchmarks/bench.py [--n 30000] [--sizes 100,10000,30000] [--runs 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml"
PROBE = ROOT / "benchmarks" / "batch_probe.py"
PACKAGES = ("engine", "evidence", "reports", "rules")
TARGET_FLOOR_RATIO = 2.0
TARGET_SPEEDUP = 1.6
TARGET_RSS_RATIO = 1.2
TARGET_GRADE_SECONDS = 0.3
DEPENDENCIES_ONLY = "import click, yaml\nfrom pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)"


def spur_command() -> list[str]:
    """The installed `spur` script next to this Python if there is one (what a user runs), else cli.py."""
    script = Path(sys.executable).parent / "spur"
    return [str(script)] if script.exists() else [sys.executable, str(ROOT / "cli.py")]


def missing_bytecode() -> bool:
    """True when some project module has no up-to-date compiled .pyc next to it."""
    sources = [ROOT / "cli.py", *(p for package in PACKAGES for p in (ROOT / package).glob("*.py"))]
    for source in sources:
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists() or cached.stat().st_mtime < source.stat().st_mtime:
            return True
    return False


def timed(command: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["CI"] = "1"  # no progress bar
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} avslutades med kod {done.returncode}:\n{done.stderr}")
    return seconds


def inputs(base: Path, n: int) -> list[str]:
    """The first n generated files, as batch arguments: whole region directories (100 files each)."""
    from benchmarks.generate import PER_DIRECTORY

    if n % PER_DIRECTORY == 0:
        return [str(base / f"region-{i:03d}") for i in range(n // PER_DIRECTORY)]
    return [str(p) for p in sorted(base.rglob("*.yaml"))[:n]]


def floor_seconds(files: list[Path]) -> float:
    import yaml

    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def timed_probe(args: list[str]) -> dict:
    """`spur batch …` as its own process (benchmarks/batch_probe.py), with its peak RSS and that of its largest worker."""
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"CI": "1"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(PROBE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start  # the whole process, as for every other measurement
    if done.returncode != 0:
        raise SystemExit(f"probe: {done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"spur batch {' '.join(args)} avslutades med kod {result['code']}:\n{done.stderr}")
    return result | {"seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=30000, help="generated units (largest N)")
    parser.add_argument("--sizes", default="100,10000,30000", help="batch sizes to measure (each ≤ --n)")
    parser.add_argument("--runs", type=int, default=7, help="runs of spur grade (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    args = parser.parse_args(argv)

    from benchmarks.generate import generate

    sizes = sorted({min(int(s), args.n) for s in args.sizes.split(",")})
    largest = sizes[-1]
    base = args.keep or Path(tempfile.mkdtemp(prefix="spur-bench-"))
    out = Path(tempfile.mkdtemp(prefix="spur-bench-out-"))
    spur = spur_command()
    started = time.perf_counter()
    try:
        print(f"spur benchmark: {os.cpu_count()} kärnor, Python {platform.python_version()}")
        print(f"kommando: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(spur))}")

        print()
        if missing_bytecode():
            # PYTHONDONTWRITEBYTECODE (set in some containers) keeps Python from caching the project's compiled
            # modules, so every start compiles ~180 KB of source again. Measure that as it is, then compile once,
            # as a regular pip install does, and measure again: the target applies to the installed program.
            cold = [timed([*spur, "grade", str(EXAMPLE)]) for _ in range(args.runs)]
            print(
                f"spur grade utan kompilerade moduler (.pyc saknas): median {statistics.median(cold):.3f} s "
                f"av {args.runs}"
            )
            compileall.compile_file(str(ROOT / "cli.py"), quiet=1)
            for package in PACKAGES:
                compileall.compile_dir(str(ROOT / package), quiet=1)
        # Measured before the units are generated, so that the kernel writing 10,000 new files back to disk
        # does not run alongside. The first run (not timed) fills the catalogue and evidence-schema caches, as any
        # earlier run would. Alternating with it, under the same machine load: a process that imports the chosen
        # libraries as usual (click, PyYAML and pydantic, one model built). `spur grade` of a valid file does not
        # import pydantic (it validates with the compiled schema), so it can take less than this reference.
        timed([*spur, "grade", str(EXAMPLE)])
        grade, deps = [], []
        for _ in range(args.runs):
            deps.append(timed([sys.executable, "-c", DEPENDENCIES_ONLY]))
            grade.append(timed([*spur, "grade", str(EXAMPLE)]))
        grade_median = statistics.median(grade)
        print(
            f"spur grade {EXAMPLE.relative_to(ROOT)}: median {grade_median:.3f} s av {args.runs} "
            f"(min {min(grade):.3f}, max {max(grade):.3f})"
        )
        extra = statistics.median(g - d for g, d in zip(grade, deps, strict=True))
        print(
            f"  jämförelse, Python som bara importerar click, PyYAML och pydantic och bygger en modell: median "
            f"{statistics.median(deps):.3f} s (min {min(deps):.3f}); spur grade minus jämförelsen: median {extra:+.3f} s"
        )

        t0 = time.perf_counter()
        paths = generate(base, args.n, args.seed)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        print(f"\n{args.n} genererade enheter ({size:.1f} KB i snitt, {time.perf_counter() - t0:.1f} s att generera)")

        print(
            f"\n{'N':>6} {'golv s':>8} {'enh/s':>7} {'jobs1 s':>8} {'enh/s':>7} {'/golv':>6} "
            f"{'jobs2 s':>8} {'enh/s':>7} {'jobs1/jobs2':>11}"
        )
        rows = {}
        rss: dict[int, dict] = {}
        jobs2_all: dict[int, list[float]] = {}
        for n in sizes:
            files = paths[:n]

            # The machine's speed drifts during a run. Each ratio's two sides are measured symmetrically in time:
            # --jobs 2 once before and once after --jobs 1 (their mean is the figure), and the floor in two halves,
            # one before and one after --jobs 1.
            def batch_args(run: str, jobs: int, n: int = n) -> list[str]:
                return [*inputs(base, n), "--jobs", str(jobs), "-o", str(out / f"n{n}-{run}")]

            # every batch runs as a process of its own that reports its peak RSS and that of its largest worker
            first = timed_probe(batch_args("j2a", 2))
            floor = floor_seconds(files[: n // 2])
            measured = timed_probe(batch_args("j1", 1))
            floor += floor_seconds(files[n // 2 :])
            second = timed_probe(batch_args("j2b", 2))
            jobs2_runs = [first["seconds"], second["seconds"]]
            rss[n] = {
                "jobs1": measured["parent"],
                "parent": max(first["parent"], second["parent"]),
                "workers": max(first["workers"], second["workers"]),
            }
            expected = (out / f"n{n}-j1" / "batch.json").read_bytes()
            for run in ("j2a", "j2b"):
                if (out / f"n{n}-{run}" / "batch.json").read_bytes() != expected:
                    raise SystemExit(f"N={n}: batch.json skiljer sig mellan --jobs 1 och --jobs 2")
            jobs1, jobs2 = measured["seconds"], statistics.mean(jobs2_runs)
            rows[n] = (floor, jobs1, jobs2)
            jobs2_all[n] = jobs2_runs
            print(
                f"{n:>6} {floor:>8.2f} {n / floor:>7.0f} {jobs1:>8.2f} {n / jobs1:>7.0f} "
                f"{jobs1 / floor:>6.2f} {jobs2:>8.2f} {n / jobs2:>7.0f} {jobs1 / jobs2:>11.2f}"
            )
        print(
            "(golv = läsa filerna + yaml.load med CSafeLoader i en process, halva före och halva efter jobs1; "
            "jobs2 = medel av en körning före och en efter jobs1: "
            + ", ".join(f"N={n}: {a:.2f} och {b:.2f} s" for n, (a, b) in jobs2_all.items())
            + "; batch = hela processen, json till -o)"
        )

        print(f"\nTopp-RSS för hela körningen, json skriven (MB)\n{'N':>6} {'jobs1':>7} {'jobs2':>7} {'arbetare':>9}")
        for n in sizes:
            print(f"{n:>6} {rss[n]['jobs1']:>7.1f} {rss[n]['parent']:>7.1f} {rss[n]['workers']:>9.1f}")
        print(
            "(jobs1 = processen som bedömer allt, jobs2 = föräldern: processens egen topp, VmHWM; arbetare = den största "
            "arbetsprocessen, ru_maxrss; störst av två körningar för jobs2. Processen startas av bench.py, vars egen topp "
            "ru_maxrss skulle ärva: se benchmarks/batch_probe.py)"
        )
        smallest = sizes[0]
        memory = {"jobs1": "--jobs 1", "parent": "--jobs 2 föräldern", "workers": "--jobs 2 största arbetsprocessen"}

        floor, jobs1, jobs2 = rows[largest]
        checks = [
            (
                f"batch --jobs 1 ≤ {TARGET_FLOOR_RATIO:g} × golvet (N={largest})",
                jobs1 / floor <= TARGET_FLOOR_RATIO,
                f"{jobs1 / floor:.2f} ×",
            ),
            (
                f"--jobs 2 ≥ {TARGET_SPEEDUP:g} × snabbare än --jobs 1 (N={largest})",
                jobs1 / jobs2 >= TARGET_SPEEDUP,
                f"{jobs1 / jobs2:.2f} ×",
            ),
            *(
                (
                    f"topp-RSS {what}, N={largest} ≤ {TARGET_RSS_RATIO:g} × N={smallest}",
                    rss[largest][key] <= TARGET_RSS_RATIO * rss[smallest][key],
                    f"{rss[largest][key]:.1f} / {rss[smallest][key]:.1f} MB = {rss[largest][key] / rss[smallest][key]:.2f} ×",
                )
                for key, what in memory.items()
            ),
            (f"spur grade ≤ {TARGET_GRADE_SECONDS:g} s", grade_median <= TARGET_GRADE_SECONDS, f"{grade_median:.3f} s"),
        ]
        print("\nMål")
        for text, ok, value in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {text}: {value}")
        print(f"\n(hela körningen {time.perf_counter() - started:.0f} s)")
        return 0 if all(ok for _, ok, _ in checks) else 1
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
