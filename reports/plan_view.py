"""The handlingsplan as the official form shows it, for every view of it (show-plan, the report in HTML, Markdown,
PDF and Word): the follow-up date as the form writes it ("om sex månader (2025-10-01)"), the due date or
"genomförd", the review, and whether the rows are long enough to be printed one block per row.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache

from msgspec import Struct

from engine.catalog import Catalog
from engine.facts import sub_months
from engine.plan_advice import advice
from evidence.plan import Handlingsplan, PlanRad

# A cell longer than this would make a row of the seven-column table taller than about half a landscape A4 page
# (a 19 % column holds ~34 characters a line at 8.5 pt, ~39 lines a page): such a plan is printed one block per row,
# as the official form is filled in, so no row is cut at the foot of a page.
LONG_CELL = 600
PROSE = ("brist", "planerad_atgard", "godkand_kommentar", "anteckningar")
WARNINGS_HEADING = "Att kontrollera innan raderna godkänns (spur pekar ut, inspektörerna avgör):"
_MONTHS = ("en månad", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")


def in_months(months: int) -> str:
    """'om sex månader' (the published form's words), 'om en månad', 'om 18 månader'."""
    if months == 1:
        return "om en månad"
    return f"om {_MONTHS[months - 1] if months <= len(_MONTHS) else months} månader"


class RowView(Struct, frozen=True):
    row: PlanRad
    follow_up: str  # "om sex månader (2025-10-01)", "2025-11-15" or "–"
    done: str  # "2025-07-01", "2025-07-01 (pågående)", "genomförd 2025-05-02" or "–"
    review: str  # "ja", "nej" or "ej granskad"
    warnings: tuple[str, ...] = ()  # what the inspectors should check before deciding (engine/plan_advice.py)


class PlanView(Struct, frozen=True):
    plan: Handlingsplan
    rows: tuple[RowView, ...]
    late: bool
    blocks: bool  # one block per row instead of the seven-column table

    @property
    def warnings(self) -> tuple[tuple[str, str], ...]:
        """(krav id, warning) for every row, in the plan's order."""
        return tuple((v.row.krav, w) for v in self.rows for w in v.warnings)


def plan_view(plan: Handlingsplan, catalog: Catalog) -> PlanView:
    defaults = catalog.plan_defaults
    warned = advice(plan, catalog) if defaults is not None else {}
    rows = []
    for row in plan.rader:
        months = defaults.follow_up_months if defaults else None
        if defaults is not None:
            months = defaults.per_requirement.get(row.krav, {}).get("follow_up_months", months)
        rows.append(
            RowView(
                row,
                _follow_up(row.datum_uppfoljning, plan.plandatum, months),
                _done(row),
                _review(row),
                warned.get(row.krav, ()),
            )
        )
    late = plan.inlamnad is not None and plan.inlamnad > plan.sista_inlamningsdag
    long = any(len(getattr(row, k) or "") > LONG_CELL for row in plan.rader for k in PROSE)
    return PlanView(plan, tuple(rows), late, long)


def _follow_up(day: date | None, plan_date: date, months: int | None) -> str:
    if day is None:
        return "–"
    if months and day == sub_months(plan_date, -months):  # the form's own "om sex månader", dated
        return f"{in_months(months)} ({day.isoformat()})"
    return day.isoformat()


def _done(row: PlanRad) -> str:
    if row.status == "genomförd":
        return f"genomförd {row.status_datum.isoformat()}" if row.status_datum else "genomförd"
    due = row.datum_genomford.isoformat() if row.datum_genomford else "–"
    return f"{due} (pågående)" if row.status == "pågående" else due


def _review(row: PlanRad) -> str:
    return "ja" if row.godkand is True else "nej" if row.godkand is False else "ej granskad"


@cache
def _hyphenator() -> object:
    import pyphen  # only the HTML views pay for loading the dictionary (~0.1 s)

    return pyphen.Pyphen(lang="sv_SE", left=2, right=3)


@cache
def _words(shortest: int) -> re.Pattern[str]:
    return re.compile(rf"\w{{{shortest},}}")


def soft_hyphens(text: object, shortest: int = 12) -> str:
    """Swedish hyphenation points (U+00AD) in every word of `shortest` letters or more, so a column breaks
    "upp-följning" with a hyphen instead of "uppföljnin|g" (browsers hyphenate Swedish only with a dictionary
    they may not have). Wide columns need it for long compounds only; the plan's narrow ones for most words."""
    return _words(shortest).sub(lambda m: _hyphenated(m.group(0)), str(text))


@lru_cache(maxsize=8192)
def _hyphenated(word: str) -> str:
    """One word with its hyphenation points: the same words recur on every page (the catalogue's), and pyphen
    looks each up letter by letter."""
    return _hyphenator().inserted(word, hyphen="\u00ad")  # type: ignore[attr-defined]
