"""`spur batch`: grade many evidence files at once, spread over processes, in a deterministic order.

The parent builds the Evaluator (catalogue + compiled durable_rules ruleset) once and forks the workers, so no
worker compiles anything; each worker grades whole files and returns one small row per file. Results come back
in input order (files sorted by path), so the output is byte-identical whatever `--jobs` is. A file that is
invalid, or that makes the engine raise, becomes that file's error; the run goes on. Batch output is aggregate:
units, dates and grades, never a person's name.
"""

from __future__ import annotations

import collections
import concurrent.futures
import gc
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Protocol

from msgspec import Struct

from engine.batch_rows import RowFile, RowSource, Selection
from engine.facts import sub_months
from engine.grading import reaches
from engine.terms import GRADES
from engine.wording import agree, count
from evidence.discovery import FileProblem, is_plan_text
from evidence.errors import InputError
from evidence.loader import validate
from evidence.plan import PlanIndex
from evidence.yamlsafe import parse, read_text

if TYPE_CHECKING:
    from engine.catalog import Catalog
    from engine.result import UnitResult
    from evidence.model import Evidens
    from evidence.plan import Handlingsplan

CHUNKSIZE = 50
AHEAD = 4  # chunks per worker given to the pool ahead of the rows taken


class UnitRow(Struct, gc=False, array_like=True):
    """One input file's outcome. Grades are one letter per area in catalogue order ("" when not graded). Rows hold
    only strings, so the garbage collector need not track them; they are written to the run's RowFile as arrays."""

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


class ReportSink(Protocol):
    """Each unit's report, from reports/ (engine/ never imports it): rendered in the worker that graded the unit,
    then handed the row in the parent, in file order, to write it."""

    def render(self, result: UnitResult, evidence: Evidens, catalog: Catalog, plan: Handlingsplan | None) -> str: ...

    def __call__(self, row: UnitRow) -> None: ...


class Tally(Struct):
    """What the views and the summary count, from one pass over the rows."""

    rows: int = 0
    graded: int = 0
    invalid: int = 0
    crashed: int = 0
    skipped: int = 0
    with_errors: int = 0
    distribution: dict[str, dict[str, int]] = {}  # area letter → grade → graded units
    provisional: dict[str, int] = {}  # area letter → graded units whose grade is provisional
    review: dict[str, int] = {}  # review status → graded units


def _is_graded(row: UnitRow) -> bool:
    return bool(row.grades)


def _is_unit(row: UnitRow) -> bool:
    return row.skipped is None


def _is_invalid(row: UnitRow) -> bool:
    return row.problem == "invalid"


def _is_crashed(row: UnitRow) -> bool:
    return row.problem == "internal"


def _is_skipped(row: UnitRow) -> bool:
    return row.skipped is not None


def _has_errors(row: UnitRow) -> bool:
    return bool(row.errors)


class BatchResult(Struct, dict=True):
    """A run's rows in file order (from `run_batch`, a RowFile on disk; from the store, a list) and what the views
    select from them: each selection reads the rows again when it is iterated, its length comes from `tally`."""

    areas: tuple[tuple[str, str], ...]  # (letter, title)
    rules_version: str
    review_years: int
    rows: RowSource[UnitRow]
    jobs: int = 1
    seconds: float = 0.0
    unused_plans: tuple[tuple[str, str, str], ...] = ()  # (file, unit, assessment date) of plans no unit took
    trends: bool = False  # rows carry the unit's previous assessment (from the store)

    @property
    def letters(self) -> str:
        return "".join(letter for letter, _ in self.areas)

    @cached_property
    def tally(self) -> Tally:
        letters = self.letters
        out = Tally(
            distribution={letter: dict.fromkeys(GRADES, 0) for letter in letters},
            provisional=dict.fromkeys(letters, 0),
            review={},
        )
        for row in self.rows:  # counted with the selections' own tests, so a count is its selection's length
            out.rows += 1
            out.skipped += _is_skipped(row)
            out.invalid += _is_invalid(row)
            out.crashed += _is_crashed(row)
            out.with_errors += _has_errors(row)
            if _is_graded(row):
                out.graded += 1
                for letter, grade in zip(letters, row.grades, strict=True):
                    out.distribution[letter][grade] += 1
                for letter in row.provisional:
                    out.provisional[letter] += 1
                out.review[row.review_status] = out.review.get(row.review_status, 0) + 1
        return out

    @cached_property
    def graded(self) -> Selection[UnitRow]:
        return Selection(self.rows, _is_graded, self.tally.graded)

    @cached_property
    def units(self) -> Selection[UnitRow]:
        """Every file that is an evidence file (graded or not), without skipped handlingsplaner."""
        return Selection(self.rows, _is_unit, self.tally.rows - self.tally.skipped)

    @cached_property
    def invalid(self) -> Selection[UnitRow]:
        return Selection(self.rows, _is_invalid, self.tally.invalid)

    @cached_property
    def crashed(self) -> Selection[UnitRow]:
        return Selection(self.rows, _is_crashed, self.tally.crashed)

    @cached_property
    def skipped(self) -> Selection[UnitRow]:
        return Selection(self.rows, _is_skipped, self.tally.skipped)

    def distribution(self) -> dict[str, dict[str, int]]:
        return {letter: dict(counts) for letter, counts in self.tally.distribution.items()}

    def at_grade(self, grade: str) -> dict[str, Selection[UnitRow]]:
        counts = self.tally.distribution
        return {
            letter: Selection(self.graded, lambda r, i=i: r.grades[i] == grade, counts[letter][grade])
            for i, letter in enumerate(self.letters)
        }

    def provisional_by_area(self) -> dict[str, Selection[UnitRow]]:
        counts = self.tally.provisional
        return {
            letter: Selection(self.graded, lambda r, letter=letter: letter in r.provisional, counts[letter])
            for letter in self.letters
        }

    def review(self, status: str) -> Selection[UnitRow]:
        return Selection(self.graded, lambda r: r.review_status == status, self.tally.review.get(status, 0))

    def errors(self) -> Iterator[str]:
        """Every problem line of the rows, in file order."""
        return (line for row in Selection(self.rows, _has_errors, self.tally.with_errors) for line in row.errors)

    def exit_code(self, fail_on: str | None) -> int:
        if self.tally.crashed:
            return 4
        if self.tally.invalid:
            return 3
        return 1 if reaches((g for r in self.graded for g in r.grades), fail_on) else 0


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
# The worker


class _State(Struct):
    evaluator: Any
    plans: PlanIndex | None  # see evidence.plan.index_plans
    reports: ReportSink | None
    review_years: int


_STATE: _State | None = None


def tune_malloc() -> None:
    """Keep glibc from returning and re-faulting the engine's per-session buffers: each unit's session allocates and
    frees the same large buffers, which glibc would otherwise hand back to the system and fault in again."""
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
    text = read_text(path, path)
    if is_plan_text(text):
        return UnitRow(path, skipped="handlingsplan")
    evaluator = state.evaluator
    catalog = evaluator.catalog
    evidence = validate(parse(text, path), catalog.known, people=False)
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
    if state.reports is not None:
        try:
            row.report_html = state.reports.render(result, evidence, catalog, plan)
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


def _work_chunk(work: Callable[[str], Any], files: list[str]) -> list[Any]:
    return [work(f) for f in files]


def _in_order(
    pool: Any, work: Callable[[str], Any], files: Sequence[str], start: int, size: int, ahead: int
) -> Iterator[Any]:
    """`work(file)` for `files[start:]` in order, from `pool`, in chunks of `size` files, with at most `ahead` chunks
    given to the pool at a time. (`Executor.map` makes every chunk and its future at once: each path again as
    a string, about 4 MB at 30,000 files, held until its chunk is done.)"""
    pending: collections.deque[Any] = collections.deque()
    given = start
    while given < len(files) or pending:
        while given < len(files) and len(pending) < ahead:
            pending.append(pool.submit(_work_chunk, work, list(files[given : given + size])))
            given += size
        yield from pending.popleft().result()


def parallel(
    files: Sequence[str],
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
        size = _chunksize(len(files) - start, jobs)
        pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker)
        try:
            for row in _in_order(pool, work, files, start, size, AHEAD * jobs):
                yield row
                start += 1
            pool.shutdown()
        except BrokenProcessPool:
            pool.shutdown(wait=False)
            window = files[start : start + jobs * size + 1]
            try:
                with concurrent.futures.ProcessPoolExecutor(1, mp_context=context, initializer=_init_worker) as pool:
                    for row in _in_order(pool, work, window, 0, 1, AHEAD):
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


def problem_row(problem: FileProblem) -> UnitRow:
    """A path that could not be searched or read, as the row of an invalid file."""
    return UnitRow(problem.file, problem="invalid", errors=problem.lines)


def run_batch(
    files: Sequence[str],
    evaluator: Any,
    *,
    jobs: int = 1,
    plans: PlanIndex | None = None,
    reports: ReportSink | None = None,
    progress: Callable[[int], None] | None = None,
    extra: list[FileProblem] | None = None,
) -> BatchResult:
    """Grade `files` (sorted, or sorted here) with `jobs` processes; with `reports`, each unit's report is rendered in
    the worker and written as its row arrives. The rows go to a temporary file in file order (a file's problems from
    `extra` among them), so memory stays flat however many units there are. `progress` is told how many rows have
    arrived."""
    global _STATE
    catalog = evaluator.catalog
    # Import what the workers need before they are forked, so that no worker imports (or compiles) it again.
    if plans:
        import engine.regrade  # noqa: F401
    years = int(catalog.setting("external_review_years"))
    _STATE = _State(evaluator, plans, reports, years)
    started = time.perf_counter()
    tune_malloc()
    # The cyclic garbage collector found almost nothing to free here (a handful of objects per thousand units) but
    # cost ~1 ms per unit, mostly rescanning the catalogue and compiled rules. Freeze what exists now (also keeps
    # forked workers from touching those pages) and collect the young generation less often during the run.
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    if any(a > b for a, b in pairwise(files)):
        files = sorted(files)
    rows = RowFile(UnitRow)
    # the rows of paths that could not be searched or read, each written where its path sorts among the others
    pending = sorted((problem_row(p) for p in extra or ()), key=lambda r: r.file)
    pending.reverse()
    # a handlingsplan among the graded files that --plan-dir also found invalid is that error's row only
    broken = {os.path.realpath(p.file) for p in extra or ()}
    used: set[str | None] = set()
    jobs = max(1, min(jobs, len(files)))
    rows_in = (grade_file(f) for f in files) if jobs == 1 else parallel(files, jobs)
    try:
        for arrived, row in enumerate(rows_in, 1):
            if reports is not None:
                reports(row)
            row.report_html = None
            if not (broken and row.skipped is not None and os.path.realpath(row.file) in broken):
                while pending and pending[-1].file < row.file:
                    rows.append(pending.pop())
                rows.append(row)
                used.add(row.plan)
            if progress is not None:
                progress(arrived)
    finally:
        _STATE = None
        gc.set_threshold(*threshold)
        gc.unfreeze()
    while pending:
        rows.append(pending.pop())
    areas = tuple((a.letter, a.title) for a in catalog.areas)
    unused = tuple(
        sorted((name, unit, day.isoformat()) for (unit, day), (name, _) in (plans or {}).items() if name not in used)
    )
    return BatchResult(areas, catalog.version, years, rows, jobs, time.perf_counter() - started, unused)


# ---------------------------------------------------------------------------------------------------------------
# Messages


def summary_lines(result: BatchResult) -> list[str]:
    """What the run did, for standard error: every problem line, then one summary line."""
    lines = list(result.errors())

    parts = [count(len(result.graded), "enhet bedömd")]
    if result.invalid:
        parts.append(count(len(result.invalid), "ogiltig fil"))
    if result.crashed:
        parts.append(count(len(result.crashed), "fil") + " med internt fel (rapportera felet)")
    if result.skipped:
        parts.append(count(len(result.skipped), "handlingsplan överhoppad"))
    for name, unit, day in result.unused_plans:
        lines.append(f"{name}: ingen evidensfil i körningen gäller {unit} bedömd {day}; planen användes inte.")
    per_second = round(result.tally.rows / result.seconds) if result.seconds > 0 else 0
    took = f"{result.seconds:.1f}".replace(".", ",")  # a decimal comma, as Swedish writes it
    jobs = count(max(result.jobs, 1), "process")
    lines.append(f"{', '.join(parts)} ({took} s, {per_second} {agree(per_second, 'fil')}/s, {jobs}).")
    return lines
