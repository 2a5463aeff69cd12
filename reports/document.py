"""`spur report` in every format it writes: HTML and Markdown (reports/report.py), PDF (the HTML printed by
Chromium: reports/pdf.py) and Word (reports/docx.py), all from the one view of the report that report.py builds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from engine.catalog import Catalog
from engine.result import UnitResult
from evidence.errors import UsageError
from evidence.plan import Handlingsplan
from reports.report import build_report, render_view

if TYPE_CHECKING:
    from evidence.model import Evidens

FORMATS = ("html", "markdown", "pdf", "docx")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".pdf": "pdf", ".docx": "docx"}


def report_format(fmt: str | None, output: str | None) -> str:
    """The report's format from -o's suffix and --format, which must agree; PDF and Word go to a file, and a PDF
    needs Chromium (found here, before any work, so nothing is written without it)."""
    if output is None or output == "-":
        if fmt in ("pdf", "docx"):
            raise UsageError(f"--format {fmt}: ange en fil att skriva till, t.ex. -o rapport.{fmt}.")
        chosen = fmt or "html"
    else:
        suffix = Path(output).suffix.lower()
        chosen = SUFFIXES.get(suffix, "")
        if not chosen:
            raise UsageError(
                f"-o {output}: okänd filändelse {suffix or '(ingen)'}. Ange .html, .md, .pdf eller .docx "
                "(ändelsen väljer formatet)."
            )
        if fmt is not None and fmt != chosen:
            raise UsageError(f"--format {fmt} stämmer inte med filändelsen i -o {output}. Ändra det ena.")
    if chosen == "pdf":
        from reports.pdf import find_browser

        find_browser()
    return chosen


def render_document(
    result: UnitResult, evidence: Evidens, catalog: Catalog, plan: Handlingsplan | None, fmt: str
) -> str | bytes:
    """The report as text (`html`, `markdown`) or as the bytes of a file (`pdf`, `docx`).

    `plan` is the unit's handlingsplan; `result` must then already have been through `engine.regrade.apply_plan`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"okänt format {fmt!r}; välj {', '.join(FORMATS)}")
    report = build_report(result, evidence, catalog, plan)
    if fmt == "docx":
        from reports.docx import report_docx

        return report_docx(report)
    if fmt == "pdf":
        from reports.pdf import html_to_pdf

        return html_to_pdf(render_view(report, result, "html"), date.fromisoformat(result.assessed_on))
    return render_view(report, result, fmt)
