"""The batch dashboard: one self-contained HTML file (inline CSS and SVG, no scripts, no external resources)."""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from engine.batch import GRADES, TREND_WORDS, BatchResult, UnitRow, trend
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
                "trend_text": f"{TREND_WORDS[change]} än förra bedömningen ({row.previous_grades[i]})" if change else "",
            }
        )
    return out


def render_dashboard(result: BatchResult) -> str:
    distribution = result.distribution()
    template = environment(True).get_template("dashboard.html.j2")
    return template.render(
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
    )
