"""What a user does with spur, one function each: the CLI (cli.py) and the web app call these and hold no domain
logic of their own.

Inputs are files or text already read (`Source`: a path, named in messages as given, or `YamlText`, e.g. an upload or a
stored version). Each function returns data and the Swedish messages to show; the caller picks the view in reports/
and writes it (engine/ never imports reports/). Bad input raises `InputError` (exit 3) and a wrong request
`UsageError` (exit 2), each with Swedish lines. Modules a command does not need are imported inside the function
that does, so `spur grade` of a valid file imports neither pydantic nor jinja2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from engine.wording import agree, count
from evidence.errors import InputError, UsageError
from evidence.yamlsafe import Document, Source, YamlText, name_of, read, read_raw

if TYPE_CHECKING:
    from engine.batch import BatchResult, ReportSink
    from engine.catalog import Area, Catalog, Requirement
    from engine.diff import UnitDiff
    from engine.evaluate import Evaluator
    from engine.followup import FollowupItem
    from engine.plan import PlanChange
    from engine.result import UnitResult
    from evidence.model import Evidens
    from evidence.plan import Handlingsplan

__all__ = ["Rules", "Source", "YamlText"]

PLAN_OF_THIS_UNIT = "Kontrollera att planen hör till evidensfilen."


class Rules:
    """The rule catalogue to grade with (rules/ unless another directory is given), loaded on first use, and its
    compiled evaluator, built once per `Rules`."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else None
        self._evaluator: Evaluator | None = None

    @property
    def catalog(self) -> Catalog:
        from engine.catalog import load_catalog

        return load_catalog(self.directory)

    @property
    def evaluator(self) -> Evaluator:
        if self._evaluator is None:
            from engine.evaluate import Evaluator

            self._evaluator = Evaluator(self.catalog)
        return self._evaluator


def version() -> str:
    """`spur --version`."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return f"spur {installed('spur')}"
    except PackageNotFoundError:
        return "spur okänd (ej installerad)"


def as_date(value: date | str | None, option: str) -> date | None:
    """A date given as a date, or as the text typed for a command-line option."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: ogiltigt datum {value!r}. Ange ÅÅÅÅ-MM-DD.") from None


def _evidence(rules: Rules, source: Source, plan_hint: str | None = None, warnings: list[str] | None = None) -> Evidens:
    """The evidence in `source`; into `warnings`, each value of `spur init`'s template still in it."""
    from evidence.loader import PLAN_HINT, validate

    doc = read(source)
    ev = validate(doc, rules.catalog.known, plan_hint=plan_hint or PLAN_HINT)
    if warnings is not None:
        from evidence.placeholders import leftovers
        from evidence.superseded import superseded

        warnings.extend([*leftovers(doc), *superseded(doc)])
    return ev


def _plan_at(rules: Rules, source: Source) -> tuple[Document, Handlingsplan]:
    """The plan, and the document it was read from (for the lines of later errors)."""
    from evidence.plan import validate_plan

    doc = read(source)
    return doc, validate_plan(doc, rules.catalog.known)


def _check_plan(doc: Document, plan: Handlingsplan, result: UnitResult, hint: str = PLAN_OF_THIS_UNIT) -> None:
    """A plan must answer the assessment it is applied to; if not, the error points at the key that differs."""
    from evidence.plan import mismatch, mismatched_key

    wrong = mismatch(plan, result.unit, date.fromisoformat(result.assessed_on))
    if wrong:
        key = mismatched_key(plan, result.unit)
        raise InputError(f"{doc.where((key,))}: {key}: {wrong}. {hint}")


def _with_plan(rules: Rules, result: UnitResult, plan: Handlingsplan) -> UnitResult:
    from engine.regrade import apply_plan

    return apply_plan(result, plan, rules.catalog)


# --- one unit ------------------------------------------------------------------------------------------------------


def grade(rules: Rules, evidence: Source, plan: Source | None = None, warnings: list[str] | None = None) -> UnitResult:
    """`spur grade`: the unit's grades and reasons; with its handlingsplan, the grades after the plan. Values left
    from the template go into `warnings` (`fil.yaml:7:9: enhet.namn: 'Enhetens namn' står kvar från mallen …`)."""
    ev = _evidence(rules, evidence, warnings=warnings)
    result = rules.evaluator.evaluate(ev)
    if plan:
        plan_doc, the_plan = _plan_at(rules, plan)
        _check_plan(plan_doc, the_plan, result)
        result = _with_plan(rules, result, the_plan)
    return result


def fails(result: UnitResult, fail_on: str | None) -> bool:
    """`--fail-on X`: some area's grade (after the plan, where one was applied) is X or worse."""
    from engine.grading import reaches

    return reaches(result.grades, fail_on)


class Validation(Struct, frozen=True):
    valid: tuple[str, ...]  # one line per valid file
    errors: tuple[str, ...]  # every invalid file's error lines


def validate(rules: Rules, sources: Sequence[Source], warnings: list[str] | None = None) -> Validation:
    """`spur validate`: check files without grading them; every file's errors together (template values left in a
    valid file into `warnings`)."""
    valid: list[str] = []
    errors: list[str] = []
    for source in sources:
        try:
            ev = _evidence(rules, source, warnings=warnings)
        except InputError as exc:
            errors.extend(exc.lines)
            continue
        # No st_lakare key is missing evidence (as `spur grade` says), not a unit without ST-läkare.
        st = "ST-läkare saknas i underlaget" if ev.st_lakare is None else f"{len(ev.st_lakare)} ST-läkare"
        valid.append(f"{name_of(source)}: giltig ({ev.enhet.namn}, {st}, bedömd {ev.bedomning.datum.isoformat()})")
    return Validation(tuple(valid), tuple(errors))


class ReportInput(Struct, frozen=True):
    """What the report shows: the result (after the plan, if one was given), the evidence and the plan."""

    result: UnitResult
    evidence: Evidens
    plan: Handlingsplan | None
    # `fil.yaml:12:5: key.path: …` for a value left from the template, and for prose the report cannot make anonymous
    warnings: tuple[str, ...]


def report(
    rules: Rules,
    evidence: Source,
    plan: Source | None = None,
    graded: tuple[Document, Evidens, UnitResult] | None = None,
) -> ReportInput:
    """`spur report`: the data of the inspection report, and warnings where the prose names a person only in part.
    `graded`: the evidence's document, validated evidence and result, where the caller has just validated and graded
    the same text with the same rules (the web app's save): they are used instead of reading and grading it again."""
    from engine.pseudonyms import Pseudonyms, evidence_prose, plan_prose
    from evidence.loader import validate as validate_evidence
    from evidence.placeholders import leftovers
    from evidence.superseded import superseded
    from evidence.yamlsafe import format_loc

    if graded is None:
        doc = read(evidence)
        ev = validate_evidence(doc, rules.catalog.known)
        result = rules.evaluator.evaluate(ev)
    else:
        doc, ev, result = graded
    alias = Pseudonyms(ev, rules.catalog)
    found = [(doc, loc, m) for loc, m in alias.partial_mentions(evidence_prose(ev))]
    the_plan = None
    if plan:
        plan_doc, the_plan = _plan_at(rules, plan)
        _check_plan(plan_doc, the_plan, result)
        result = _with_plan(rules, result, the_plan)
        found += [(plan_doc, loc, m) for loc, m in alias.partial_mentions(plan_prose(the_plan))]
    warnings = tuple(f"{source.where(loc)}: {format_loc(loc)}: {message}" for source, loc, message in found)
    return ReportInput(result, ev, the_plan, (*leftovers(doc), *superseded(doc), *warnings))


def diff(rules: Rules, old: Source, new: Source, warnings: list[str] | None = None) -> UnitDiff:
    """`spur diff`: what changed between two assessments of one unit; both files' errors together."""
    from engine.diff import diff_units

    loaded, errors = [], []
    for source in (old, new):
        try:
            loaded.append(
                _evidence(rules, source, "'spur diff' jämför två evidensfiler; planer jämförs inte.", warnings)
            )
        except InputError as exc:
            errors.extend(exc.lines)
    if errors:
        raise InputError(errors)
    before, after = (rules.evaluator.evaluate(ev) for ev in loaded)
    return diff_units(before, after, name_of(old), name_of(new))


# --- the handlingsplan ---------------------------------------------------------------------------------------------


class PlanDraft(Struct, frozen=True):
    text: str  # the plan file to write
    change: PlanChange
    message: str | None  # what was done, for standard error; None for a new plan that goes to standard output


def _plan_text(target: Source) -> YamlText | None:
    """The plan in `target`, read once; None where a new plan is to be written: an empty file (just created), a
    blank text, or something that is not a regular file (a pipe)."""
    if not isinstance(target, YamlText):
        if not Path(target).is_file():
            return None
        target = YamlText(read_raw(Path(target), str(target)), str(target))
    return target if target.text.strip() else None


def plan(
    rules: Rules,
    evidence: Source,
    target: Source | None = None,
    plan_date: date | str | None = None,
    warnings: list[str] | None = None,
) -> PlanDraft:
    """`spur plan`: a draft handlingsplan for the unit's deficiencies or, where `target` already holds this
    assessment's plan, that plan with new deficiencies added and met requirements marked, all else kept."""
    from engine.plan import merge_plan, new_plan

    ev = _evidence(rules, evidence, warnings=warnings)
    result = rules.evaluator.evaluate(ev)
    assessed = ev.bedomning.datum
    given = as_date(plan_date, "--plan-date")
    day = given or assessed
    if day < assessed:
        raise UsageError(
            f"--plan-date: {day.isoformat()} ligger före bedömningsdatumet {assessed.isoformat()}. Ange ett senare datum."
        )
    current = _plan_text(target) if target is not None else None
    if current is not None:
        name = current.name
        doc, existing = _plan_at(rules, current)
        _check_plan(doc, existing, result, "Skriv planen för den här bedömningen till en annan fil.")
        if given and given < existing.plandatum:
            raise UsageError(
                f"--plan-date: {given.isoformat()} ligger före planens plandatum {existing.plandatum.isoformat()} "
                f"i {name}. Ange ett senare datum, eller inget för att datera nya rader från plandatum."
            )
        change = merge_plan(doc, existing, result, ev, rules.catalog, given)
        solved = len(change.solved)
        added = (
            f"{count(len(change.added), 'ny rad')} ({', '.join(change.added)}"
            f"{f', daterade från {given.isoformat()}' if given else ''})"
            if change.added
            else "inga nya rader"
        )
        message = (
            f"Uppdaterade {name}: {added}, {count(solved, 'rad')} vars krav nu är "
            f"{agree(solved, 'uppfyllt')}, {count(change.kept, 'befintlig rad')} "
            f"i övrigt {agree(change.kept, 'orörd')}."
        )
        return PlanDraft(change.text, change, message)
    change = new_plan(result, ev, rules.catalog, day)
    message = None
    if target is not None:
        added = (
            f"{count(len(change.added), 'rad')} ({', '.join(change.added)})"
            if change.added
            else "inga rader (inga brister)"
        )
        message = f"Skrev {name_of(target)}: {added}."
    return PlanDraft(change.text, change, message)


def show_plan(rules: Rules, plan: Source) -> Handlingsplan:
    """`spur show-plan`: a handlingsplan, validated, for the official table."""
    return _plan_at(rules, plan)[1]


class Followup(Struct, frozen=True):
    plans: list[Handlingsplan]
    items: list[FollowupItem]
    today: date
    within: int  # days: a row due within them is due soon

    @property
    def overdue(self) -> bool:
        return any(i.state == "overdue" for i in self.items)


def followup(
    rules: Rules, plans: Sequence[Source], today: date | str | None = None, within: int | None = None
) -> Followup:
    """`spur followup`: every row of the plans as of `today` (default: the real date), done, open, due soon or
    overdue; each plan once, and a second plan for the same unit and assessment refused."""
    from engine.followup import collect
    from engine.plan import defaults
    from evidence.plan import load_distinct_plans

    loaded = load_distinct_plans(plans, rules.catalog.known)
    day = as_date(today, "--today") or date.today()
    days = within if within is not None else defaults(rules.catalog).due_soon_days
    return Followup(loaded, collect(loaded, day, days), day, days)


# --- many units ----------------------------------------------------------------------------------------------------


def batch(
    rules: Rules,
    paths: Sequence[str],
    *,
    jobs: int | None = None,
    plan_dir: str | Path | None = None,
    reports: ReportSink | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """`spur batch`: grade every evidence file under `paths` (files, directories, globs) with `jobs` processes, each
    unit with its handlingsplan from `plan_dir` if there is one, and with `reports` each unit's report written as
    it is graded; `progress(done, total)` as the rows arrive."""
    import os

    from engine.batch import run_batch
    from engine.batch_rows import PackedPaths
    from evidence.discovery import collect
    from evidence.plan import index_plans

    found, problems = collect(paths)
    if not found and not problems:
        raise UsageError("inga evidensfiler (*.yaml, *.yml) hittades.")
    files = PackedPaths(found)  # the list's strings freed here, before the evaluator is built and workers forked
    del found
    plans = None
    if plan_dir is not None:
        plans, plan_problems = index_plans(Path(plan_dir), rules.catalog.known)
        problems += plan_problems
    total = len(files)
    return run_batch(
        files,
        rules.evaluator,
        jobs=jobs or os.cpu_count() or 1,
        plans=plans,
        reports=reports,
        progress=(lambda done: progress(done, total)) if progress is not None else None,
        extra=problems,
    )


# --- the rule catalogue --------------------------------------------------------------------------------------------


def rules_list(rules: Rules, area: str | None = None) -> tuple[Area, ...]:
    """`spur rules list`: the areas (one, or all) with their requirements in report order."""
    return tuple(a for a in rules.catalog.areas if area is None or a.letter == area)


def requirement_id(catalog: Catalog, typed: str) -> str:
    """A requirement id as the user typed it ('e-04' too), or a usage error with the closest id."""
    m = re.fullmatch(r"([A-Za-z])-?0*(\d{1,2})", typed.strip())
    wanted = f"{m.group(1).upper()}-{int(m.group(2)):02d}" if m else typed.upper()
    if wanted in catalog.by_id:
        return wanted
    from evidence.messages import closest, did_you_mean

    hint = did_you_mean(closest(typed.upper(), list(catalog.by_id)), quote="")
    raise UsageError(f"okänt krav-id '{typed}'.{hint} Se 'spur rules list'.")


def rules_show(rules: Rules, typed_id: str) -> Requirement:
    """`spur rules show`: one requirement."""
    catalog = rules.catalog
    return catalog.by_id[requirement_id(catalog, typed_id)]


def rules_lint(rules: Rules) -> str:
    """`spur rules lint`: the catalogue's structural checks; the problems as an InputError, else a summary line."""
    from engine.lint import lint

    catalog = rules.catalog
    problems = lint(catalog)
    if problems:
        raise InputError(problems)
    areas = count(len(catalog.areas), "område")
    return f"Regelkatalogen är felfri: {len(catalog.requirements)} krav i {areas} ({catalog.version})."


class ExampleReport(Struct, frozen=True):
    lines: tuple[str, ...]  # one line per failed example, then the summary
    failed: int


def rules_test(rules: Rules, only: str | None = None) -> ExampleReport:
    """`spur rules test`: every rule's examples (or one requirement's) graded and compared with what they expect."""
    from engine.examples import run_examples

    words = rules.catalog.vocabulary["outcomes"]
    runs = run_examples(rules.evaluator, requirement_id(rules.catalog, only) if only else None)
    failed = [r for r in runs if not r.ok]
    lines = []
    for r in failed:
        got = r.error or f"{words[r.outcome]} ({'; '.join(r.reasons)})"
        lines.append(f"fel: {r.requirement.id} exempel {r.number + 1}: väntat {words[r.example.expect]}, fick {got}")
    lines.append(f"{len(runs) - len(failed)} av {len(runs)} exempel gav väntat utfall, {len(failed)} fel.")
    return ExampleReport(tuple(lines), len(failed))


def init(rules: Rules, target: str | None, force: bool = False) -> str | None:
    """`spur init`: refuses to write the evidence template over an existing file unless forced; returns what to
    say once it is written (None when it goes to standard output). The template itself is a view of the catalogue
    (reports/template.py)."""
    if target and Path(target).exists() and not force:
        raise UsageError(f"{target} finns redan. Välj ett annat namn eller lägg till --force för att skriva över.")
    return f"Skrev {target}. Fyll i uppgifterna och kör: spur grade {target}" if target else None
