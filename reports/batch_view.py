"""The views of `spur batch`: JSON, CSV, and the dashboard, one self-contained HTML file (inline CSS and SVG, no
scripts, no external resources). Each is made in pieces, unit by unit, for the caller to write as they come: the
whole text of 30,000 units is never in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from msgspec import Struct

from engine.batch import TREND_WORDS, BatchResult, UnitRow, trend
from engine.terms import GRADES
from engine.wording import count
from reports.render import environment

BAR_WIDTH, BAR_GAP, CHART_HEIGHT, LABEL_HEIGHT = 24, 6, 70, 16


class Bar(Struct, frozen=True):
    grade: str
    count: int
    x: int
    y: int
    height: int


def bars(counts: dict[str, int]) -> list[Bar]:
    """Bars of one area's distribution, scaled to the largest count of that area."""
    top = max(counts.values()) or 1
    out = []
    for i, grade in enumerate(GRADES):
        height = round(CHART_HEIGHT * counts[grade] / top)
        out.append(Bar(grade, counts[grade], i * (BAR_WIDTH + BAR_GAP), LABEL_HEIGHT + CHART_HEIGHT - height, height))
    return out


def cells(result: BatchResult, row: UnitRow) -> list[dict[str, Any]]:
    out = []
    trends = trend(result.letters, row.previous_grades, row.grades)
    for i, letter in enumerate(result.letters):
        grade = row.grades[i]
        before = row.engine_grades[i] if row.plan and row.engine_grades[i] != grade else None
        notes = []
        if letter in row.provisional:
            notes.append(f"preliminärt, bästa fall {row.best_case[i]}")
        if before:
            notes.append(f"{before} före handlingsplan")
        change = trends.get(letter)
        if change:
            notes.append(f"{TREND_WORDS[change]} än {row.previous_grades[i]} {row.previous_on}")
        out.append(
            {
                "area": letter,
                "grade": grade,
                "provisional": letter in row.provisional,
                "before": before,
                "notes": notes,
                "trend": change,
                "trend_text": f"{TREND_WORDS[change]} än förra bedömningen ({row.previous_grades[i]})"
                if change
                else "",
            }
        )
    return out


def dashboard_pieces(result: BatchResult) -> Iterator[str]:
    return environment(True).get_template("dashboard.html.j2").generate(**dashboard_context(result))


def dashboard_context(result: BatchResult) -> dict[str, Any]:
    distribution = result.distribution()
    return dict(
        r=result,
        grades=GRADES,
        distribution=distribution,
        bars={letter: bars(counts) for letter, counts in distribution.items()},
        chart={
            "width": len(GRADES) * (BAR_WIDTH + BAR_GAP) - BAR_GAP,
            "height": LABEL_HEIGHT * 2 + CHART_HEIGHT,
            "bar": BAR_WIDTH,
            "base": LABEL_HEIGHT + CHART_HEIGHT,
        },
        cells=lambda row: cells(result, row),
        at_d=result.at_grade("D"),
        provisional=result.provisional_by_area(),
        overdue=result.review("overdue"),
        missing_review=result.review("missing"),
        titles=dict(result.areas),
        said={
            "units": count(len(result.graded), "enhet"),
            "graded": count(len(result.graded), "enhet bedömd"),
            "invalid": count(len(result.invalid), "ogiltig fil"),
            "crashed": count(len(result.crashed), "fil"),
            "skipped": count(len(result.skipped), "handlingsplan överhoppad"),
        },
    )


def unit_json(result: BatchResult, row: UnitRow) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": row.file,
        "unit": row.unit,
        "assessed_on": row.assessed_on,
        "grades": dict(zip(result.letters, row.grades, strict=True)) if row.grades else {},
        "provisional": list(row.provisional),
        "error": "\n".join(row.errors) if row.errors else None,
    }
    if row.grades:
        out["best_case"] = dict(zip(result.letters, row.best_case, strict=True))
        out["plan"] = row.plan
        if row.plan:
            out["grades_before_plan"] = dict(zip(result.letters, row.engine_grades, strict=True))
        out["external_review"] = {"date": row.review, "status": row.review_status}
        out["report"] = row.report
    if result.trends and row.grades:
        out["previous"] = (
            {"assessed_on": row.previous_on, "grades": dict(zip(result.letters, row.previous_grades, strict=True))}
            if row.previous_grades
            else None
        )
        out["trend"] = trend(result.letters, row.previous_grades, row.grades)
    if row.errors:
        out["errors"] = list(row.errors)
        out["error_kind"] = row.problem
    return out


def batch_json(result: BatchResult) -> dict[str, Any]:
    """The JSON document, its lists of units as iterators (json_pieces writes them one unit at a time)."""

    def refs(rows: list[UnitRow]) -> Iterator[dict[str, Any]]:
        return ({"file": r.file, "unit": r.unit} for r in rows)

    return {
        "units": (unit_json(result, r) for r in result.units),
        "distribution": result.distribution(),
        "rules_version": result.rules_version,
        "areas": [{"area": letter, "title": title} for letter, title in result.areas],
        "summary": {
            "files": len(result.units),
            "graded": len(result.graded),
            "invalid": len(result.invalid),
            "internal_errors": len(result.crashed),
            "skipped": len(result.skipped),
        },
        "at_d": {letter: refs(rows) for letter, rows in result.at_grade("D").items()},
        "provisional_by_area": {letter: refs(rows) for letter, rows in result.provisional_by_area().items()},
        "external_review": {
            "years": result.review_years,
            "overdue": (
                {"file": r.file, "unit": r.unit, "date": r.review, "assessed_on": r.assessed_on}
                for r in result.review("overdue")
            ),
            "missing": refs(result.review("missing")),
        },
        "skipped": [{"file": r.file, "reason": r.skipped} for r in result.skipped],
        "unused_plans": [{"file": f, "unit": u, "assessed_on": d} for f, u, d in result.unused_plans],
    }


def json_pieces(value: Any, level: int = 0) -> Iterator[str]:
    """`json.dumps(value, ensure_ascii=False, indent=2)` in pieces: a dict key by key, an iterator (written as a list)
    item by item, each item and every other value whole."""
    indent = "\n" + "  " * level
    if isinstance(value, dict) and value:
        sep = "{"
        for key, item in value.items():
            yield f"{sep}{indent}  {json.dumps(key, ensure_ascii=False)}: "
            yield from json_pieces(item, level + 1)
            sep = ","
        yield indent + "}"
    elif isinstance(value, Iterator):
        sep = "["
        for item in value:
            yield f"{sep}{indent}  " + indented_json(item, indent + "  ")
            sep = ","
        yield "[]" if sep == "[" else indent + "]"
    else:
        yield indented_json(value, indent)


_scalar_json = json.JSONEncoder(ensure_ascii=False).encode  # a string, number, true, false or null: json's C code
_string_json = json.encoder.encode_basestring  # the same for a string, without the call above


def indented_json(value: Any, indent: str = "\n") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` with `indent` after each of its newlines, without json's
    indenting encoder, which is pure Python and several times slower."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if type(key) is not str:  # json's own conversion of other keys
                return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", indent)
            text = _string_json(item) if type(item) is str else indented_json(item, inner)
            parts.append(f"{inner}{_string_json(key)}: {text}")
        return "{" + ",".join(parts) + indent + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(inner + indented_json(v, inner) for v in value) + indent + "]" if value else "[]"
    return _scalar_json(value)


def json_text_pieces(result: BatchResult) -> Iterator[str]:
    yield from json_pieces(batch_json(result))
    yield "\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | None) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = value or ""
    return "'" + text if text.startswith(_FORMULA) else text


def csv_pieces(result: BatchResult) -> Iterator[str]:
    """The CSV, one row at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def row_text() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

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
    yield row_text()
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
        yield row_text()


def _trend_cell(result: BatchResult, row: UnitRow) -> str:
    """'D bättre, H sämre' (the areas whose grade changed since the previous assessment)."""
    changed = trend(result.letters, row.previous_grades, row.grades)
    return ", ".join(f"{letter} {TREND_WORDS[t]}" for letter, t in changed.items() if t != "same")


def pieces(result: BatchResult, fmt: str) -> Iterator[str]:
    """The overview in `fmt` (json, csv or html), in pieces to write as they come."""
    if fmt == "csv":
        return csv_pieces(result)
    if fmt == "html":
        return dashboard_pieces(result)
    return json_text_pieces(result)


def grouped(parts: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """`parts` joined into texts of about `size` characters (fewer writes), never splitting a part."""
    group: list[str] = []
    length = 0
    for part in parts:
        group.append(part)
        length += len(part)
        if length >= size:
            yield "".join(group)
            group, length = [], 0
    if group:
        yield "".join(group)
