"""The view of each use case's result (engine/usecases.py) in the format asked for: what `cli.py` writes.

The modules behind each view are imported only when it is shown, so `spur grade` loads neither jinja2 nor pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.catalog import Area, Catalog, Requirement
    from engine.diff import UnitDiff
    from engine.result import UnitResult
    from engine.usecases import Followup, ReportInput
    from evidence.plan import Handlingsplan


def grade(result: UnitResult, catalog: Catalog, fmt: str, summary: str | None = None) -> str:
    """`spur grade` as JSON, Markdown or text: with `summary` (the command that shows every reason, for its last
    line) the one-screen summary per area, else every requirement with its reasons."""
    if fmt == "json":
        from reports.render import to_json

        return to_json(result.to_json())
    if fmt == "markdown":
        from reports.render import render_markdown

        return render_markdown(result, catalog)
    if summary is not None:
        from reports.text import render_summary

        return render_summary(result, catalog, summary)
    from reports.text import render_text

    return render_text(result, catalog)


def report_format(fmt: str | None, output: str | None) -> str:
    """The report's format: -o's suffix and --format, which must agree (reports/document.py)."""
    from reports.document import report_format as chosen

    return chosen(fmt, output)


def report(data: ReportInput, catalog: Catalog, fmt: str) -> str | bytes:
    """The inspection report as HTML or Markdown text, or the bytes of a PDF or Word file."""
    from reports.document import render_document

    return render_document(data.result, data.evidence, catalog, data.plan, fmt)


def plan(plan: Handlingsplan, fmt: str, catalog: Catalog) -> str:
    """`spur show-plan`: the official table in Markdown or HTML."""
    from reports.render import render_plan

    return render_plan(plan, fmt, catalog)


def followup(state: Followup, fmt: str) -> str:
    """`spur followup` as text grouped by unit and owner, JSON, or a calendar (ICS)."""
    if fmt == "json":
        from reports.render import to_json

        return to_json([i.to_json() for i in state.items])
    if fmt == "ics":
        from reports.ics import render_ics

        return render_ics(state.plans)
    from reports.followup_view import render_followup_text

    return render_followup_text(state.items, state.today, state.within)


def diff(change: UnitDiff, catalog: Catalog, fmt: str) -> str:
    from reports.diff_view import render_json, render_text

    return render_json(change) if fmt == "json" else render_text(change, catalog)


def rules_list(catalog: Catalog, areas: tuple[Area, ...], fmt: str) -> str:
    from reports.catalog_view import list_json, list_text

    return list_json(areas) if fmt == "json" else list_text(catalog, areas)


def requirement(catalog: Catalog, req: Requirement) -> str:
    from reports.catalog_view import show_requirement

    return show_requirement(catalog, req)


def template(catalog: Catalog) -> str:
    """`spur init`: the evidence template with every question and hint as comments."""
    from reports.template import render_template

    return render_template(catalog)


def schema(catalog: Catalog) -> str:
    """`spur schema`: the evidence file's JSON Schema."""
    from reports.render import to_json
    from reports.schema import json_schema

    return to_json(json_schema(catalog))
