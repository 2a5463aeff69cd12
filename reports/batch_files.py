"""The files `spur batch -o UTKATALOG` writes: the overview under a fixed name, and one report per unit under a name
made from the unit's name that cannot leave the directory."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.batch import BatchResult, UnitRow, summary_lines
from evidence.errors import UsageError, os_reason
from reports.files import atomic_write

if TYPE_CHECKING:
    from engine.catalog import Catalog
    from engine.result import UnitResult
    from evidence.model import Evidens
    from evidence.plan import Handlingsplan

# Outputs written into UTKATALOG, and the device names Windows reserves (con.html cannot be opened on a Windows file
# share); a unit whose name slugs to one of these gets a numbered report name instead.
OUTPUT_NAMES = {"json": "batch.json", "csv": "batch.csv", "html": "index.html"}
RESERVED_SLUGS = {"index", "batch", "con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


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


class ReportFiles:
    """Each unit's report (the HTML of `spur report`): rendered in the worker that graded the unit, written into
    `directory` as the rows arrive (the row keeps only the file name), so memory stays flat."""

    def __init__(self, directory: Path) -> None:
        from reports.report import render_report  # imported before the workers are forked, not in each of them

        self.directory = directory
        self.names = ReportNames()
        self._render_report = render_report

    def render(self, result: UnitResult, evidence: Evidens, catalog: Catalog, plan: Handlingsplan | None) -> str:
        return self._render_report(result, evidence, catalog, plan, "html")

    def __call__(self, row: UnitRow) -> None:
        if row.report_html is not None and row.unit is not None:
            row.report = self.names.take(row.unit)
            atomic_write(inside(self.directory, row.report), row.report_html, follow_links=False)
            row.report_html = None


def output_directory(outdir: str) -> Path:
    """UTKATALOG, created if need be; refused now, not after grading every file, if it cannot be written."""
    target = Path(outdir)
    if target.exists() and not target.is_dir():
        raise UsageError(f"-o: {outdir} finns och är ingen katalog.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"-o {outdir}: kan inte skapa katalogen ({os_reason(exc)}).") from None
    if not os.access(target, os.W_OK | os.X_OK):
        raise UsageError(f"-o {outdir}: behörighet saknas att skriva i katalogen.")
    return target


def output_target(outdir: str | None, reports: bool, plan_dir: str | None, from_db: bool) -> Path | None:
    """`spur batch`'s options about files checked, and UTKATALOG (None: standard output) ready to write into."""
    if from_db and (reports or plan_dir):
        raise UsageError("--db läser enheterna från databasen: --reports och --plan-dir gäller bara filer.")
    if reports and not outdir:
        raise UsageError("--reports kräver -o UTKATALOG (en rapportfil per enhet).")
    if plan_dir is not None and not os.path.isdir(plan_dir):
        raise UsageError(f"--plan-dir: {plan_dir} är ingen katalog.")
    return output_directory(outdir) if outdir else None


def write_overview(result: BatchResult, fmt: str, target: Path | None) -> list[str]:
    """The overview (JSON, CSV or the dashboard) to standard output, or into UTKATALOG; returns what to say on
    standard error: every problem, the summary, and the file written."""
    from reports.batch_view import grouped, pieces

    if target is None:
        for text in grouped(pieces(result, fmt)):
            click.echo(text, nl=False)
        return summary_lines(result)
    # written as it is made, never whole in memory; a name spur chose, not the user
    atomic_write(target / OUTPUT_NAMES[fmt], pieces(result, fmt), follow_links=False)
    return [*summary_lines(result), f"Skrev {(target / OUTPUT_NAMES[fmt]).as_posix()}."]
