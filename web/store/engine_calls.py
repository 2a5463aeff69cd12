"""Every call the store makes into engine/, evidence/ and reports/, in one module: the store holds documents and
their history, the domain (validation, grading, plans, regrading, follow-up) stays in the engine. When the
application layer of use-case functions lands, this is the one module to switch over."""

from __future__ import annotations

import functools
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from engine.batch import last_external_review, review_status
from engine.catalog import Catalog, load_catalog
from engine.evaluate import Evaluator
from engine.reasons import show
from engine.result import UnitResult
from evidence.discovery import is_plan_text
from evidence.errors import InputError
from evidence.loader import validate
from evidence.records import Record
from evidence.yamlsafe import FastSafeLoader, normalise, parse, read_raw

__all__ = ["FastSafeLoader", "InputError", "is_plan_text", "normalise", "read_raw", "review_status", "show"]


@functools.cache
def catalog() -> Catalog:
    return load_catalog()


@functools.cache
def evaluator() -> Evaluator:
    return Evaluator(catalog())


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def review_years() -> int:
    return int(catalog().setting("external_review_years"))


class Graded(msgspec.Struct):
    """An evidence text validated and graded: what a new assessment version stores, as plain data (computed where
    the grading ran, a forked worker during an import, so the process that saves does no more than save)."""

    unit: str
    care_provider: str
    region: str
    specialty: str
    recorded_review: date | None  # enhet.senaste_externa_granskning
    assessed_on: date
    kind: str
    external_review: date | None  # the recorded one, or this assessment if it is an inspection
    data: Any  # the validated evidence as JSON (a dict, or its text already encoded)
    result: Any  # the result as `spur grade --format json` gives it (likewise)
    letters: dict[str, str]  # grade letters (see grade_letters)
    rules_version: str
    evidence: Any = None  # the engine's own objects, in the process that graded the text
    unit_result: UnitResult | None = None
    document: Any = None  # the parsed text (evidence/yamlsafe.py Document), likewise

    def objects(self, text: str, name: str) -> tuple[Any, UnitResult]:
        """(evidence records, UnitResult), graded again from `text` where they did not travel with the data."""
        if self.unit_result is None:
            again = grade_text(text, name)
            self.evidence, self.unit_result, self.document = again.evidence, again.unit_result, again.document
        return self.evidence, self.unit_result  # type: ignore[return-value]

    def portable(self) -> Graded:
        """What a worker sends back: without the engine's objects, the data and result already encoded as JSON
        (the evidence records encoded as they are: the same JSON as their model_dump, without building it)."""
        from web.store.models import Encoded

        data = self.data if self.data is not None else self.evidence
        return msgspec.structs.replace(
            self,
            evidence=None,
            unit_result=None,
            document=None,
            data=Encoded(_dumps(data)),
            result=Encoded(_dumps(self.result)),
        )


def _record_fields(value: Any) -> Any:
    if isinstance(value, Record):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} is not JSON")


_ENCODER = msgspec.json.Encoder(enc_hook=_record_fields)


def _dumps(value: Any) -> bytes:
    return _ENCODER.encode(value)


def grade_text(text: str, name: str, *, people: bool = True, portable: bool = False) -> Graded:
    """Validate and grade an evidence text exactly as `spur grade` does a file; InputError with Swedish lines.
    `portable`: the evidence is not dumped as a dict (`Graded.portable` encodes it straight to JSON)."""
    document = parse(normalise(text), name)
    evidence = validate(document, catalog().known, people=people)
    result = evaluator().evaluate(evidence)
    ev = evidence.enhet
    return Graded(
        unit=ev.namn,
        care_provider=ev.vardgivare,
        region=ev.region,
        specialty=ev.specialitet,
        recorded_review=ev.senaste_externa_granskning,
        assessed_on=evidence.bedomning.datum,
        kind=evidence.bedomning.typ,
        external_review=last_external_review(evidence),
        data=None if portable else evidence.model_dump(mode="json"),
        result=result.to_json(),
        letters=grade_letters(result),
        rules_version=result.rules_version,
        evidence=evidence,
        unit_result=result,
        document=document,
    )


def grade_file(path: str) -> tuple[str, str, Graded | None, list[str]]:
    """(raw text, kind, graded, errors) for one file, in a worker process: kind is 'evidence' or 'plan' (a plan is
    validated later, against the store). Never raises for a problem with the file."""
    try:
        raw = read_raw(Path(path), path)
        if is_plan_text(raw):
            return raw, "plan", None, []
        return raw, "evidence", grade_text(raw, path, portable=True).portable(), []
    except InputError as exc:
        return "", "invalid", None, list(exc.lines)
    except Exception as exc:
        return "", "internal", None, [f"{path}: internt fel: {type(exc).__name__}: {exc}"]


def file_crashed(path: str) -> tuple[str, str, None, list[str]]:
    return "", "internal", None, [f"{path}: internt fel: arbetsprocessen avslutades oväntat medan filen bedömdes."]


GRADE_CHUNK, GRADE_AHEAD = 25, 6


def graded_files(files: list[str], jobs: int) -> Any:
    """`grade_file` for each file, in order, spread over `jobs` forked processes as `spur batch` does. The workers
    grade faster than the store saves, so at most GRADE_AHEAD chunks of GRADE_CHUNK files are given out at a time:
    what waits to be saved stays bounded, and memory flat however many files there are. One pool serves the whole
    run (forked once, before the import opens its first transaction)."""
    if jobs <= 1 or len(files) < 2:
        yield from (grade_file(f) for f in files)
        return
    evaluator()  # compiled once, before the workers are forked
    yield from _pooled(files, jobs)


def _grade_chunk(chunk: list[str]) -> list[tuple[str, str, Graded | None, list[str]]]:
    return [grade_file(f) for f in chunk]


def _worker_started() -> None:
    import signal

    from engine.batch import tune_malloc

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    tune_malloc()


def _pooled(files: list[str], jobs: int) -> Any:
    import collections
    import concurrent.futures
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    from engine.batch import parallel

    chunks = [files[i : i + GRADE_CHUNK] for i in range(0, len(files), GRADE_CHUNK)]
    context = multiprocessing.get_context("fork")
    pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_started)
    pending: collections.deque[Any] = collections.deque()
    given = taken = 0  # chunks given to the pool, chunks whose results were taken
    try:
        while taken < len(chunks):
            while given < len(chunks) and len(pending) < GRADE_AHEAD:
                pending.append(pool.submit(_grade_chunk, chunks[given]))
                given += 1
            try:
                graded = pending[0].result()
            except BrokenProcessPool:  # a worker died (a crash in C): engine.batch.parallel finds the file
                pool.shutdown(wait=False, cancel_futures=True)
                yield from parallel([f for c in chunks[taken:given] for f in c], jobs, grade_file, file_crashed)
                rest = [f for c in chunks[given:] for f in c]
                if rest:
                    yield from _pooled(rest, jobs)
                return
            pending.popleft()
            taken += 1
            yield from graded
    except BaseException:  # Ctrl-C, or the import stopped: do not grade the files still queued
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def engine_grades(result_json: dict[str, Any]) -> str:
    """The grade letters of a stored result (before any plan)."""
    return "".join(a["grade"] for a in result_json["areas"])


def grade_letters(result: UnitResult) -> dict[str, str]:
    return {
        "grades": "".join(a.adjusted_grade or a.grade for a in result.areas),
        "engine_grades": "".join(a.grade for a in result.areas),
        "best_case": "".join(a.best_case for a in result.areas),
        "provisional": "".join(a.area for a in result.areas if a.provisional),
    }


def plan_from_text(text: str, name: str) -> Any:
    """A handlingsplan text validated as `spur show-plan` validates a file."""
    from evidence.plan import validate_plan

    return validate_plan(parse(normalise(text), name), catalog().known)


def plan_from_json(data: dict[str, Any]) -> Any:
    from evidence.plan import Handlingsplan

    return Handlingsplan.model_validate(data)


def plan_json(plan: Any) -> dict[str, Any]:
    return plan.model_dump(mode="json")


def plan_mismatch(plan: Any, unit: str, assessed_on: date) -> str | None:
    from evidence.plan import mismatch

    return mismatch(plan, unit, assessed_on)


def regrade(result: UnitResult, plan: Any) -> UnitResult:
    from engine.regrade import apply_plan

    return apply_plan(result, plan, catalog())


def verdicts(result: UnitResult) -> dict[str, dict[str, Any]]:
    """Per area at D, what the plan did to it (a regraded result)."""
    return {
        a.area: {
            "grade": a.adjusted_grade,
            "verdict": a.plan_verdict,
            "text": a.plan_text,
            "reasons": list(a.plan_reasons),
        }
        for a in result.areas
        if a.plan_verdict
    }


def merge_plan(plan_text: str, plan: Any, evidence: Any, result: UnitResult, plan_date: date) -> Any:
    """The plan carried forward to a later assessment: rows now met marked, new deficiencies added (PlanChange)."""
    from engine.plan import merge_plan as merge

    return merge(parse(normalise(plan_text), "handlingsplan"), plan, result, evidence, catalog(), plan_date)


def draft_plan(text: str, name: str, plan_date: date) -> Any:
    """A new handlingsplan drafted from an evidence text, as `spur plan` writes it (PlanChange)."""
    from engine.plan import new_plan

    graded = grade_text(text, name)
    return new_plan(graded.unit_result, graded.evidence, catalog(), plan_date)


def followup(plans: list[Any], today: date, within: int | None, met_on: list[date | None]) -> list[Any]:
    """The follow-up items of `plans` as of `today`; `met_on[i]` is the date of the assessment that set the
    'kravet uppfyllt' marks of plans[i], named in the reason."""
    from engine.followup import collect
    from engine.plan import defaults

    days = within if within is not None else defaults(catalog()).due_soon_days
    return collect(plans, today, days, met_on), days


def area_titles() -> list[tuple[str, str]]:
    return [(a.letter, a.title) for a in catalog().areas]


def round_trip_yaml() -> Any:
    """ruamel.yaml set up as `spur plan` writes a plan: comments, key order and quotes stay as written."""
    from engine.plan_text import writer

    return writer()
