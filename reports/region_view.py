"""`spur region-report`: the region's yearly figures as HTML (one self-contained file), CSV (one row per unit) or
JSON."""

from __future__ import annotations

import csv
import io

from engine.region import RegionYear
from engine.terms import GRADES
from engine.wording import count
from reports.batch_view import csv_cell
from reports.render import environment, to_json

REVIEW_WORDS = {"overdue": "försenad", "due": "förfaller nästa år", "missing": "uppgift saknas", "ok": "ok"}


def _review_state(figures: RegionYear) -> dict[str, str]:
    state = {u.unit: "ok" for u in figures.units}
    for key, lines in (
        ("overdue", figures.review_overdue),
        ("due", figures.review_due),
        ("missing", figures.review_missing),
    ):
        for line in lines:
            state[line.unit] = key
    return state


def to_csv(figures: RegionYear) -> str:
    """One row per unit: its latest grades, external review and how many of its plan rows are overdue."""
    letters = [letter for letter, _ in figures.areas]
    state = _review_state(figures)
    overdue_rows: dict[str, int] = {}
    for item in figures.rows_overdue:
        overdue_rows[item.unit] = overdue_rows.get(item.unit, 0) + 1
    late = {p.unit for p in figures.plans_late}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["enhet", "vardgivare", "senaste_bedomning", *letters, "preliminara", "senaste_externa_granskning"]
    writer.writerow([*header, "extern_granskning", "handlingsplan_sen", "forsenade_rader"])
    for u in figures.units:
        writer.writerow(
            [
                csv_cell(u.unit),
                csv_cell(u.care_provider),
                u.latest_on.isoformat() if u.latest_on else "",
                *(list(u.grades) or [""] * len(letters)),
                " ".join(u.provisional),
                u.last_review.isoformat() if u.last_review else "",
                REVIEW_WORDS[state[u.unit]],
                "ja" if u.unit in late else "nej",
                overdue_rows.get(u.unit, 0),
            ]
        )
    return out.getvalue()


def render_region(figures: RegionYear, fmt: str) -> str:
    if fmt == "json":
        return to_json(figures.to_json())
    if fmt == "csv":
        return to_csv(figures)
    template = environment(True).get_template("region.html.j2")
    return template.render(
        f=figures, grades=GRADES, titles=dict(figures.areas), units=count(len(figures.units), "enhet")
    )
