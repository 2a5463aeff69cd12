"""`spur batch`: grade many evidence files at once, spread over processes, in a deterministic order.

The parent builds the Evaluator (catalogue + compiled durable_rules ruleset) once and forks the workers, so no
worker compiles anything; each worker grades whole files and returns one small row per file. Results come back
in input order (files sorted by path), so the output is byte-identical whatever `--jobs` is. A file that is
invalid, or that makes the engine raise, becomes that file's error; the run goes on. Batch output is aggregate:
units, dates and grades, never a person's name.
"""

from __future__ import annotations

import concurrent.futures
import csv
import gc
import glob
import io
import json
import multiprocessing
import os
import re
import signal
import stat
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from msgspec import Struct

from engine.errors import InputError, os_reason
from engine.facts import sub_months
from engine.files import atomic_write
from engine.yamlsafe import parse, read_text
from evidence.loader import is_evidence_data, validate
from evidence.plan import PlanIndex, add_plan, validate_plan

GRADES = ("A", "B", "C", "D")
CHUNKSIZE = 50
YAML_SUFFIXES = (".yaml", ".yml")
# Outputs written into UTKATALOG, and the device names Windows reserves (con.html cannot be opened on a Windows file
# share); a unit whose name slugs to one of these gets a numbered report name instead.
OUTPUT_NAMES = {"json": "batch.json", "csv": "batch.csv", "html": "index.html"}
RESERVED_SLUGS = {"index", "batch", "con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
_PLAN_KEYS = re.compile(r"^(rader|plandatum)[ \t]*:", re.M)
_GLOB_CHARS = re.compile(r"[*?[]")


class UnitRow(Struct):
    """One input file's outcome. Grades are one letter per area in catalogue order ("" when not graded)."""

    file: str
    unit: str | None = None
    assessed_on: str | None = None
    grades: str = ""  # the grade that counts: adjusted after a handlingsplan where one applies
    engine_grades: str = ""  # before the handlingsplan
    best_case: str = ""
    provisional: str = ""  # letters of the areas whose grade is provisional
    plan: str | None = None  # the handlingsplan applied, if any
    review: str | None = None  # the last external review: this assessment if an inspection, else the recorded one
    review_status: str = ""  # ok | overdue | missing
    problem: str | None = None  # invalid | internal
    errors: tuple[str, ...] = ()
    skipped: str | None = None  # why the file is not an evidence file (a handlingsplan)
    previous_grades: str = ""  # from the store: the grades of the unit's previous assessment
    previous_on: str | None = None
    # transient: rendered in the worker, written into UTKATALOG by the parent
    report_html: str | None = None
    report: str | None = None  # the report's file name in UTKATALOG


class BatchResult(Struct):
    areas: tuple[tuple[str, str], ...]  # (letter, title)
    rules_version: str
    review_years: int
    rows: list[UnitRow]
    jobs: int = 1
    seconds: float = 0.0
    unused_plans: tuple[tuple[str, str, str], ...] = ()  # (file, unit, assessment date) of plans no unit took
    trends: bool = False  # rows carry the unit's previous assessment (from the store)

    @property
    def letters(self) -> str:
        return "".join(letter for letter, _ in self.areas)

    @property
    def graded(self) -> list[UnitRow]:
        return [r for r in self.rows if r.grades]

    @property
    def units(self) -> list[UnitRow]:
        """Every file that is an evidence file (graded or not), without skipped handlingsplaner."""
        return [r for r in self.rows if r.skipped is None]

    @property
    def invalid(self) -> list[UnitRow]:
        return [r for r in self.rows if r.problem == "invalid"]

    @property
    def crashed(self) -> list[UnitRow]:
        return [r for r in self.rows if r.problem == "internal"]

    @property
    def skipped(self) -> list[UnitRow]:
        return [r for r in self.rows if r.skipped is not None]

    def distribution(self) -> dict[str, dict[str, int]]:
        out = {letter: dict.fromkeys(GRADES, 0) for letter in self.letters}
        for row in self.graded:
            for letter, grade in zip(self.letters, row.grades, strict=True):
                out[letter][grade] += 1
        return out

    def at_grade(self, grade: str) -> dict[str, list[UnitRow]]:
        return {letter: [r for r in self.graded if r.grades[i] == grade] for i, letter in enumerate(self.letters)}

    def provisional_by_area(self) -> dict[str, list[UnitRow]]:
        return {letter: [r for r in self.graded if letter in r.provisional] for letter in self.letters}

    def review(self, status: str) -> list[UnitRow]:
        return [r for r in self.graded if r.review_status == status]

    def worst(self) -> str | None:
        grades = {g for r in self.graded for g in r.grades}
        return max(grades, key=GRADES.index) if grades else None

    def exit_code(self, fail_on: str | None) -> int:
        if self.crashed:
            return 4
        if self.invalid:
            return 3
        worst = self.worst()
        if fail_on and worst and GRADES.index(worst) >= GRADES.index(fail_on):
            return 1
        return 0

    def unit_json(self, row: UnitRow) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": row.file,
            "unit": row.unit,
            "assessed_on": row.assessed_on,
            "grades": dict(zip(self.letters, row.grades, strict=True)) if row.grades else {},
            "provisional": list(row.provisional),
            "error": "\n".join(row.errors) if row.errors else None,
        }
        if row.grades:
            out["best_case"] = dict(zip(self.letters, row.best_case, strict=True))
            out["plan"] = row.plan
            if row.plan:
                out["grades_before_plan"] = dict(zip(self.letters, row.engine_grades, strict=True))
            out["external_review"] = {"date": row.review, "status": row.review_status}
            out["report"] = row.report
        if self.trends and row.grades:
            out["previous"] = (
                {"assessed_on": row.previous_on, "grades": dict(zip(self.letters, row.previous_grades, strict=True))}
                if row.previous_grades
                else None
            )
            out["trend"] = trend(self.letters, row.previous_grades, row.grades)
        if row.errors:
            out["errors"] = list(row.errors)
            out["error_kind"] = row.problem
        return out

    def to_json(self) -> dict[str, Any]:
        def refs(rows: list[UnitRow]) -> list[dict[str, Any]]:
            return [{"file": r.file, "unit": r.unit} for r in rows]

        return {
            "units": [self.unit_json(r) for r in self.units],
            "distribution": self.distribution(),
            "rules_version": self.rules_version,
            "areas": [{"area": letter, "title": title} for letter, title in self.areas],
            "summary": {
                "files": len(self.units),
                "graded": len(self.graded),
                "invalid": len(self.invalid),
                "internal_errors": len(self.crashed),
                "skipped": len(self.skipped),
            },
            "at_d": {letter: refs(rows) for letter, rows in self.at_grade("D").items()},
            "provisional_by_area": {letter: refs(rows) for letter, rows in self.provisional_by_area().items()},
            "external_review": {
                "years": self.review_years,
                "overdue": [
                    {"file": r.file, "unit": r.unit, "date": r.review, "assessed_on": r.assessed_on}
                    for r in self.review("overdue")
                ],
                "missing": refs(self.review("missing")),
            },
            "skipped": [{"file": r.file, "reason": r.skipped} for r in self.skipped],
            "unused_plans": [{"file": f, "unit": u, "assessed_on": d} for f, u, d in self.unused_plans],
        }


TREND_WORDS = {"better": "bättre", "worse": "sämre", "same": "oförändrat"}


def trend(letters: str, before: str, now: str) -> dict[str, str]:
    """Per area, the grade against the previous assessment: better, worse or same (nothing without a previous)."""
    if not before:
        return {}
    out = {}
    for letter, old, new in zip(letters, before, now, strict=True):
        delta = GRADES.index(new) - GRADES.index(old)
        out[letter] = "better" if delta < 0 else "worse" if delta > 0 else "same"
    return out


# ---------------------------------------------------------------------------------------------------------------
# Finding the files


def _problem(path: str, message: str) -> UnitRow:
    return UnitRow(path, problem="invalid", errors=(f"{path}: {message}",))


def _walk(directory: Path, problems: list[UnitRow]) -> Iterator[Path]:
    """YAML files under `directory`, recursively; hidden directories and files are left out. Symbolic links to
    directories are followed, each directory once (no loops). A directory that cannot be read, and an entry that
    is not a regular file (a FIFO would block the run), each become a problem row."""

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename or directory).as_posix()
        problems.append(_problem(where, f"kan inte läsa katalogen ({os_reason(exc)})."))

    visited: set[str] = set()
    for root, dirs, files in os.walk(directory, onerror=unreadable, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
                continue
            path = Path(root) / name
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError:
                regular = True  # a broken link or a loop: reading it gives that file's error
            if regular:
                yield path
            else:
                problems.append(
                    _problem(path.as_posix(), "är ingen vanlig fil (t.ex. en namngiven pipe) och hoppas över.")
                )


def collect(paths: Iterable[str]) -> tuple[list[str], list[UnitRow]]:
    """The evidence files named by `paths` (files, directories searched recursively, or globs), sorted by path and
    without duplicates; and a row with an error for every argument or directory that cannot be searched. A path
    that cannot be looked at is kept as a file: grading it gives that file's error, and the run goes on."""
    found: list[Path] = []
    problems: list[UnitRow] = []
    for arg in paths:
        try:
            is_dir = stat.S_ISDIR(os.stat(arg).st_mode)
        except OSError:
            is_dir = None  # missing, unreadable, a loop, a name too long
        if is_dir:
            found.extend(_walk(Path(arg), problems))
        elif is_dir is False or not _GLOB_CHARS.search(arg):
            found.append(Path(arg))
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                problems.append(_problem(arg, "inga filer matchar mönstret. Kontrollera sökvägen."))
            for match in matches:
                m = Path(match)
                if m.is_dir():
                    found.extend(_walk(m, problems))
                elif m.name.lower().endswith(YAML_SUFFIXES):
                    found.append(m)
    seen: set[str] = set()
    files: list[str] = []
    for path in sorted(found, key=lambda p: p.as_posix()):
        key = os.path.realpath(path)  # never raises; a loop stays as written
        if key not in seen:
            seen.add(key)
            files.append(path.as_posix())
    return files, problems


def is_plan_text(text: str) -> bool:
    """A handlingsplan has top-level `rader:` and `plandatum:` (evidence files have neither)."""
    if "plandatum" not in text:  # the common case, without a regular-expression scan of the whole file
        return False
    return {m.group(1) for m in _PLAN_KEYS.finditer(text)} == {"rader", "plandatum"}


def index_plans(plan_dir: Path, catalog: Any) -> tuple[PlanIndex, list[UnitRow]]:
    """Every handlingsplan under `plan_dir` (recursively), keyed by the unit and assessment date it answers, so a
    unit finds its plan wherever the files lie; and a problem row for each invalid plan, and for a second plan for
    the same unit and date. Evidence files among the plans are passed over."""
    problems: list[UnitRow] = []
    plans: PlanIndex = {}
    for path in _walk(plan_dir, problems):
        name = path.as_posix()
        try:
            doc = parse(read_text(path, name), name)
            if is_evidence_data(doc.data):
                continue
            plan = validate_plan(doc, catalog)
        except InputError as exc:
            problems.append(UnitRow(name, problem="invalid", errors=tuple(exc.lines)))
            continue
        refused = add_plan(plans, name, plan)
        if refused:
            problems.append(_problem(name, refused))
    return plans, problems


# ---------------------------------------------------------------------------------------------------------------
# The worker


class _State(Struct):
    evaluator: Any
    plans: PlanIndex | None  # see index_plans
    reports: bool
    review_years: int


_STATE: _State | None = None
# Row fields with few distinct values (grade strings, dates, states), shared between rows in the parent.
_SHAREABLE = ("assessed_on", "grades", "engine_grades", "best_case", "provisional", "review", "review_status")


def tune_malloc() -> None:
    """Keep glibc from returning and re-faulting the engine's per-session buffers (durable-rules.md §4.5)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    tune_malloc()


def review_status(review: Any, assessed: Any, years: int) -> str:
    if review is None:
        return "missing"
    return "overdue" if review < sub_months(assessed, 12 * years) else "ok"


def last_external_review(evidence: Any) -> Any:
    """The unit's last external review as of this assessment: the recorded one, or the assessment itself if it is
    an inspection."""
    review = evidence.enhet.senaste_externa_granskning
    if evidence.bedomning.typ == "inspektion":  # this assessment is itself the external review
        review = max(review or evidence.bedomning.datum, evidence.bedomning.datum)
    return review


def _grade(path: str, state: _State) -> UnitRow:
    text = read_text(Path(path), path)
    if is_plan_text(text):
        return UnitRow(path, skipped="handlingsplan")
    evaluator = state.evaluator
    catalog = evaluator.catalog
    evidence = validate(parse(text, path), catalog, people=False)
    result = evaluator.evaluate(evidence)
    plan = None
    plan_name = None
    found = state.plans.get((evidence.enhet.namn, evidence.bedomning.datum)) if state.plans else None
    if found is not None:
        from engine.regrade import apply_plan

        plan_name, plan = found
        result = apply_plan(result, plan, catalog)
    review = last_external_review(evidence)
    row = UnitRow(
        path,
        unit=result.unit,
        assessed_on=result.assessed_on,
        grades="".join(a.adjusted_grade or a.grade for a in result.areas),
        engine_grades="".join(a.grade for a in result.areas),
        best_case="".join(a.best_case for a in result.areas),
        provisional="".join(a.area for a in result.areas if a.provisional),
        plan=plan_name,
        review=review.isoformat() if review else None,
        review_status=review_status(review, evidence.bedomning.datum, state.review_years),
    )
    if state.reports:
        from reports.report import render_report

        try:
            row.report_html = render_report(result, evidence, catalog, plan, "html")
        except Exception as exc:
            row.problem = "internal"
            row.errors = (f"{path}: internt fel när rapporten skrevs: {type(exc).__name__}: {exc}",)
    return row


def grade_file(path: str) -> UnitRow:
    """Grade one file in the current process; never raises for a problem with the file itself."""
    state = _STATE
    assert state is not None, "engine.batch: run_batch sets the state before grading"
    try:
        return _grade(path, state)
    except InputError as exc:
        return UnitRow(path, problem="invalid", errors=tuple(exc.lines))
    except Exception as exc:
        return UnitRow(path, problem="internal", errors=(f"{path}: internt fel: {type(exc).__name__}: {exc}",))


def _crashed(path: str) -> UnitRow:
    return UnitRow(
        path,
        problem="internal",
        errors=(f"{path}: internt fel: arbetsprocessen avslutades oväntat medan filen bedömdes.",),
    )


def _chunksize(n: int, jobs: int) -> int:
    return max(1, min(CHUNKSIZE, n // (jobs * 4)))


def parallel(
    files: list[str],
    jobs: int,
    work: Callable[[str], Any] = grade_file,
    crashed: Callable[[str], Any] = _crashed,
) -> Iterator[Any]:
    """`work(file)` for each file, in input order, from `jobs` forked workers (the default grades it into a row).
    If a worker dies (a crash in C, not an exception), the files that were in flight are done again one at a
    time to find the one that crashed, which gives `crashed(file)`; the run goes on. `work` must not raise for a
    problem with the file."""
    context = multiprocessing.get_context("fork")
    start = 0
    while start < len(files):
        rest = files[start:]
        pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker)
        try:
            for row in pool.map(work, rest, chunksize=_chunksize(len(rest), jobs)):
                yield row
                start += 1
            pool.shutdown()
        except BrokenProcessPool:
            pool.shutdown(wait=False)
            window = files[start : start + jobs * _chunksize(len(rest), jobs) + 1]
            try:
                with concurrent.futures.ProcessPoolExecutor(1, mp_context=context, initializer=_init_worker) as pool:
                    for row in pool.map(work, window):
                        yield row
                        start += 1
            except BrokenProcessPool:
                yield crashed(files[start])
                start += 1
        except BaseException:  # Ctrl-C, or the consumer stopped: do not grade the files still queued
            pool.shutdown(wait=False, cancel_futures=True)
            raise


# ---------------------------------------------------------------------------------------------------------------
# Running


class Progress:
    """A one-line progress bar on standard error, only on an interactive terminal and never under CI."""

    def __init__(self, total: int, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty() and not os.environ.get("CI")
        self.total, self.enabled, self.last = total, enabled and total > 0, 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        width = 30
        filled = width * done // self.total
        sys.stderr.write(f"\rBedömer [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def slug(name: str) -> str:
    """An ASCII file-name stem from a unit name: no separators, no dots, nothing that can leave the directory."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")
    return text or "enhet"


class ReportNames:
    """Report file names, unique in one run, assigned in input order: name.html, name-2.html, name-3.html …"""

    def __init__(self) -> None:
        self.used = set(RESERVED_SLUGS)

    def take(self, unit: str) -> str:
        base = slug(unit)
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return f"{name}.html"


def inside(directory: Path, name: str) -> Path:
    """`directory / name` for a name made by `slug()`: one path component, so it cannot leave the directory. (A
    symbolic link already there is replaced, not followed: see the `atomic_write` call.)"""
    if name in ("", ".", "..") or "/" in name or os.sep in name:
        raise AssertionError(f"report name {name!r} is not one path component")  # slug() makes this unreachable
    return directory / name


def run_batch(
    files: list[str],
    evaluator: Any,
    *,
    jobs: int = 1,
    plans: PlanIndex | None = None,
    reports_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
    show_progress: bool | None = None,
    extra: list[UnitRow] | None = None,
) -> BatchResult:
    """Grade `files` (already sorted) with `jobs` processes. Reports, if asked for, are written into
    `reports_dir` as the rows arrive, so memory stays flat however many units there are."""
    global _STATE
    catalog = evaluator.catalog
    # Import what the workers need before they are forked, so that no worker imports (or compiles) it again.
    if plans:
        import engine.regrade  # noqa: F401
    if reports_dir is not None:
        import reports.report  # noqa: F401
    years = int(catalog.setting("external_review_years"))
    _STATE = _State(evaluator, plans, reports_dir is not None, years)
    started = time.perf_counter()
    tune_malloc()
    # The cyclic garbage collector found almost nothing to free here (a handful of objects per thousand units) but
    # cost ~1 ms per unit, mostly rescanning the catalogue and compiled rules. Freeze what exists now (also keeps
    # forked workers from touching those pages) and collect the young generation less often during the run.
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    rows: list[UnitRow] = []
    names = ReportNames()
    shared: dict[str, str] = {}  # one copy of each grade string and date: rows stay ~300 bytes each
    bar = Progress(len(files), show_progress)
    jobs = max(1, min(jobs, len(files)))
    rows_in = (grade_file(f) for f in files) if jobs == 1 else parallel(files, jobs)
    try:
        for row in rows_in:
            if row.report_html is not None and reports_dir is not None and row.unit is not None:
                row.report = names.take(row.unit)
                atomic_write(inside(reports_dir, row.report), row.report_html, follow_links=False)
                row.report_html = None
            for name in _SHAREABLE:
                value = getattr(row, name)
                if value:
                    setattr(row, name, shared.setdefault(value, value))
            rows.append(row)
            bar.update(len(rows))
            if progress is not None:
                progress(len(rows))
    finally:
        bar.close()
        _STATE = None
        gc.set_threshold(*threshold)
        gc.unfreeze()
    if extra:
        # a handlingsplan among the graded files that --plan-dir also found invalid is that error's row only
        broken = {os.path.realpath(r.file) for r in extra}
        rows = [r for r in rows if r.skipped is None or os.path.realpath(r.file) not in broken]
        rows.extend(extra)
    rows.sort(key=lambda r: r.file)
    areas = tuple((a.letter, a.title) for a in catalog.areas)
    used = {r.plan for r in rows}
    unused = tuple(
        sorted((name, unit, day.isoformat()) for (unit, day), (name, _) in (plans or {}).items() if name not in used)
    )
    return BatchResult(areas, catalog.version, years, rows, jobs, time.perf_counter() - started, unused)


# ---------------------------------------------------------------------------------------------------------------
# Output


def to_json_text(result: BatchResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | None) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = value or ""
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv_text(result: BatchResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "fil",
            "enhet",
            "bedomningsdatum",
            *result.letters,
            "preliminara",
            "handlingsplan",
            "senaste_externa_granskning",
            "extern_granskning",
            "fel",
            *(("foregaende_bedomning", "forandring") if result.trends else ()),
        ]
    )
    review_words = {"ok": "ok", "overdue": f"äldre än {result.review_years} år", "missing": "uppgift saknas", "": ""}
    for row in result.units:
        grades = list(row.grades) if row.grades else [""] * len(result.letters)
        writer.writerow(
            [
                csv_cell(row.file),
                csv_cell(row.unit),
                row.assessed_on or "",
                *grades,
                " ".join(row.provisional),
                csv_cell(row.plan),
                row.review or "",
                review_words[row.review_status],
                csv_cell(" | ".join(row.errors)),
                *((row.previous_on or "", _trend_cell(result, row)) if result.trends else ()),
            ]
        )
    return out.getvalue()


def _trend_cell(result: BatchResult, row: UnitRow) -> str:
    """'D bättre, H sämre' (the areas whose grade changed since the previous assessment)."""
    changed = trend(result.letters, row.previous_grades, row.grades)
    return ", ".join(f"{letter} {TREND_WORDS[t]}" for letter, t in changed.items() if t != "same")


def render(result: BatchResult, fmt: str) -> str:
    if fmt == "csv":
        return to_csv_text(result)
    if fmt == "html":
        from reports.batch_view import render_dashboard

        return render_dashboard(result)
    return to_json_text(result)


def summary_lines(result: BatchResult) -> list[str]:
    """What the run did, for standard error: every problem line, then one summary line."""
    lines = [line for row in result.rows if row.errors for line in row.errors]

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    parts = [count(len(result.graded), "enhet bedömd", "enheter bedömda")]
    if result.invalid:
        parts.append(count(len(result.invalid), "ogiltig fil", "ogiltiga filer"))
    if result.crashed:
        parts.append(count(len(result.crashed), "fil", "filer") + " med internt fel (rapportera felet)")
    if result.skipped:
        parts.append(count(len(result.skipped), "handlingsplan överhoppad", "handlingsplaner överhoppade"))
    for name, unit, day in result.unused_plans:
        lines.append(f"{name}: ingen evidensfil i körningen gäller {unit} bedömd {day}; planen användes inte.")
    per_second = len(result.rows) / result.seconds if result.seconds > 0 else 0.0
    jobs = "1 process" if result.jobs <= 1 else f"{result.jobs} processer"
    lines.append(f"{', '.join(parts)} ({result.seconds:.1f} s, {per_second:.0f} filer/s, {jobs}).")
    return lines
