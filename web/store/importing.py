"""`spur db import` and `spur db export`: evidence files and handlingsplaner in, the latest of each unit out.

Import: files are found as `spur batch` finds them, graded in parallel as `spur batch` grades them, and saved
(web/store/versions.py) each in a savepoint of a transaction of up to 50 files (`_save_group`; plans: `Commits`),
so a run stopped at any moment leaves whole files: those of the committed transactions. The units, assessments and
plans a group's files name are looked up together at the start of its transaction (`Known`), so saving a file
looks nothing up. A file whose exact text is already a version is not graded again (content hash). Plans are saved after every evidence file of
the run, so a plan finds its assessment whatever the order of the paths. One bad file never stops the run.
Export writes each unit's latest assessment and current plan exactly as stored: byte for byte what was imported.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import time
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
from django.db import connection, connections, transaction

from engine.wording import count
from evidence.errors import InputError, UsageError
from web.store import engine_calls
from web.store.models import Assessment, AssessmentVersion, Plan, PlanVersion
from web.store.permissions import NotAllowed, visible_units
from web.store.versions import Known, save_assessment, save_plan

STATUS = {
    "new": "ny bedömning",
    "new_version": "ny version",
    "plan": "ny handlingsplan",
    "plan_version": "ny version av handlingsplanen",
    "same": "oförändrad, redan importerad",
    "invalid": "fel",
    "not_allowed": "behörighet saknas",
    "internal": "internt fel",
}
HASH_CHUNK = 500
COMMIT_FILES, COMMIT_SECONDS = 100, 1.0
# Evidence files saved per transaction; with engine_calls' files graded ahead, what waits to be saved (about 200
# files' data and results) stays as it was with the 200 graded ahead before the groups.
GROUP_FILES = 50


class FileOutcome(msgspec.Struct):
    path: str
    status: str  # a key of STATUS
    detail: str = ""
    errors: list[str] = []


class ImportRun(msgspec.Struct):
    files: list[FileOutcome]
    seconds: float

    def counts(self) -> Counter[str]:
        return Counter(f.status for f in self.files)

    def exit_code(self) -> int:
        counts = self.counts()
        return 4 if counts["internal"] else 3 if counts["invalid"] else 5 if counts["not_allowed"] else 0


def import_paths(paths: tuple[str, ...], user: Any, jobs: int = 1) -> ImportRun:
    from evidence.discovery import collect

    started = time.perf_counter()
    files, problems = collect(paths)
    outcomes: dict[str, FileOutcome] = {p.file: FileOutcome(p.file, "invalid", errors=list(p.lines)) for p in problems}
    known = _known_hashes(files)
    fresh = [f for f in files if f not in known]
    for f in files:
        if f in known:
            outcomes[f] = FileOutcome(f, "same", known[f])
    plans: list[tuple[str, str]] = []
    if jobs > 1 and not connection.in_atomic_block:
        connections.close_all()  # no open database connection crosses into the forked graders
    gc.freeze()  # what exists now (the catalogue, Django) lives to the end: the collections below skip it
    threshold = gc.get_threshold()
    gc.set_threshold(20_000, 20, 20)
    try:
        graded_files = zip(fresh, engine_calls.graded_files(fresh, jobs), strict=True)
        while group := list(itertools.islice(graded_files, GROUP_FILES)):
            evidence = []
            for path, (raw, kind, graded, errors) in group:
                if kind == "plan":
                    plans.append((path, raw))
                elif graded is None:
                    outcomes[path] = FileOutcome(path, kind, errors=errors)
                else:
                    evidence.append((path, raw, graded))
            group.clear()  # each file's text, data and result are let go as soon as it is saved (_save_group)
            _save_group(evidence, user, outcomes)
        with Commits() as commits:
            for path, raw in plans:
                outcomes[path] = _save(path, lambda r=raw, p=path: save_plan(r, user, source=f"fil: {p}", name=p))
                commits.file_done()
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
    ordered = [outcomes[k] for k in sorted(outcomes)]
    return ImportRun(ordered, time.perf_counter() - started)


def _save_group(evidence: list[tuple[str, str, Any]], user: Any, outcomes: dict[str, FileOutcome]) -> None:
    """Graded evidence files saved in one transaction, each file in a savepoint of its own (all of it or none of
    it), their units, assessments and plans looked up together (`Known`); a commit per file would cost more than
    saving the file."""
    if not evidence:
        return
    with transaction.atomic():
        known = Known([graded for _, _, graded in evidence])
        evidence.reverse()
        while evidence:  # popped: a saved file's text, data and result are not held while the rest are saved
            path, raw, graded = evidence.pop()
            outcomes[path] = _save(
                path,
                lambda r=raw, g=graded, p=path: save_assessment(
                    r, user, graded=g, source=f"fil: {p}", name=p, known=known
                ),
            )
    # The command line collects the oldest generation almost never (right for a short `spur grade`); saving leaves
    # cycles behind (Django's objects), which would pile up over thousands of files.
    gc.collect()


class Commits:
    """Files saved in transactions of up to COMMIT_FILES files or COMMIT_SECONDS seconds: each file is a savepoint
    inside (all of it or none of it), and a commit per file would cost more than saving the file. Stopped at any
    moment, the store has whole files: those of the transactions committed."""

    def __init__(self) -> None:
        self.atomic: Any = None
        self.files, self.started = 0, 0.0

    def __enter__(self) -> Commits:
        self._begin()
        return self

    def _begin(self) -> None:
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.files, self.started = 0, time.monotonic()

    def file_done(self) -> None:
        self.files += 1
        if self.files >= COMMIT_FILES or time.monotonic() - self.started >= COMMIT_SECONDS:
            self.atomic.__exit__(None, None, None)
            # The command line collects the oldest generation almost never (right for a short `spur grade`); saving
            # leaves cycles behind (Django's objects), which would pile up over thousands of files.
            gc.collect()
            self._begin()

    def __exit__(self, *exc: Any) -> None:
        self.atomic.__exit__(*exc)


def _known_hashes(files: list[str]) -> dict[str, str]:
    """file -> what it is, for the files whose exact text the store already holds as a version."""
    out: dict[str, str] = {}
    for start in range(0, len(files), HASH_CHUNK):
        chunk = files[start : start + HASH_CHUNK]
        digests: dict[str, list[str]] = {}
        for f in chunk:
            try:
                digests.setdefault(hashlib.sha256(Path(f).read_bytes()).hexdigest(), []).append(f)
            except OSError:
                continue  # reading it again gives the file's error
        for model, what in ((AssessmentVersion, "bedömning"), (PlanVersion, "handlingsplan")):
            for sha, number in model.objects.filter(sha256__in=list(digests)).values_list("sha256", "number"):
                for f in digests.pop(sha, []):
                    out[f] = f"{what}, version {number}"
    return out


def _save(path: str, save: Any) -> FileOutcome:
    try:
        saved = save()
    except InputError as exc:
        return FileOutcome(path, "invalid", errors=list(exc.lines))
    except NotAllowed as exc:
        return FileOutcome(path, "not_allowed", errors=[f"{path}: {exc}"])
    is_plan = isinstance(saved.obj, Plan)
    if not saved.created:
        return FileOutcome(
            path, "same", f"{'handlingsplan' if is_plan else 'bedömning'}, version {saved.version.number}"
        )
    number = saved.version.number
    if is_plan:
        status = "plan" if number == 1 else "plan_version"
        what = f"{saved.obj.assessment.unit.name}, bedömningen {saved.obj.assessment.date.isoformat()}"
    else:
        status = "new" if number == 1 else "new_version"
        what = str(saved.obj)
    detail = f"{what}, version {number}"
    if saved.replaced is not None and saved.replaced.author != saved.version.author:
        detail += f" (ersätter version {saved.replaced.number} av {saved.replaced.author})"
    if saved.carried is not None:
        detail += f"; handlingsplanen fördes vidare (version {saved.carried.number})"
    return FileOutcome(path, status, detail)


def summary(run: ImportRun) -> str:
    c = run.counts()

    said = (  # (count, word, said even when none)
        ("new", "ny bedömning", True),
        ("new_version", "ny version", True),
        ("plan", "ny handlingsplan", False),
        ("plan_version", "ny version av handlingsplan", False),
        ("same", "oförändrad", True),
        ("invalid", "ogiltig fil", False),
        ("not_allowed", "fil utan behörighet", False),
        ("internal", "fil med internt fel (rapportera felet)", False),
    )
    parts = [count(c[key], word) for key, word, always in said if always or c[key]]
    rate = len(run.files) / run.seconds if run.seconds > 0 else 0.0
    return f"{count(len(run.files), 'fil')}: {', '.join(parts)} ({run.seconds:.1f} s, {rate:.0f} filer/s)."


# ---------------------------------------------------------------------------------------------------------------
# Export


def export(outdir: Path, user: Any) -> list[str]:
    """Write every readable unit's latest assessment (UTKATALOG/enhet.yaml) and current handlingsplan
    (UTKATALOG/handlingsplaner/enhet.yaml), as stored; return the paths written."""
    from reports.batch_files import slug
    from reports.files import atomic_write

    units = visible_units(user).filter(archived=False).select_related("care_provider__region")
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.filter(unit__in=units, archived=False, current__isnull=False)
        .select_related("current", "unit__care_provider__region")
        .order_by("unit", "date", "pk")
    ):
        latest[a.unit_id] = a
    plans: dict[int, Plan] = {}
    for p in (
        Plan.objects.filter(assessment__unit__in=units, archived=False, current__isnull=False)
        .select_related("current", "assessment")
        .order_by("assessment__unit", "assessment__date", "assessment__pk")
    ):
        plans[p.assessment.unit_id] = p
    written: list[str] = []
    used: set[str] = set()
    ordered = sorted(
        latest.values(), key=lambda a: (a.unit.care_provider.region.name, a.unit.care_provider.name, a.unit.name)
    )
    for a in ordered:
        name, n = slug(a.unit.name), 1
        while name in used:
            n += 1
            name = f"{slug(a.unit.name)}-{n}"
        used.add(name)
        targets = [(outdir / f"{name}.yaml", a.current.text)]
        if a.unit_id in plans:
            targets.append((outdir / "handlingsplaner" / f"{name}.yaml", plans[a.unit_id].current.text))
        for target, text in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            # names spur chose inside UTKATALOG: a symbolic link planted there is replaced, never followed
            if target.parent.is_symlink():
                raise UsageError(f"{target.parent}: är en symbolisk länk; spur skriver inte genom den. Ta bort länken.")
            atomic_write(target, text, follow_links=False)
            written.append(target.as_posix())
    return written
