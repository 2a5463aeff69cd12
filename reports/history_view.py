"""`spur history ENHET`: a unit's grades per area across its assessments, its handlingsplaner with their verdicts
and the state of every row, as text or JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from msgspec import Struct

from engine.batch import trend
from engine.followup import STATES, FollowupItem
from engine.wording import count
from reports.followup_view import LABEL

SHOWN_REASONS = 3
REVIEW = {
    "ok": "inom {years} år",
    "overdue": "äldre än {years} år: extern granskning behövs",
    "missing": "uppgift saknas",
}


class HistoryAssessment(Struct, frozen=True):
    date: date
    kind: str
    version: int
    author: str
    saved: str
    rules_version: str
    grades: str  # after the assessment's own handlingsplan
    engine_grades: str
    provisional: str
    best_case: str
    has_plan: bool
    follows_plan_of: date | None  # the assessment whose plan this follow-up carried forward


class HistoryPlan(Struct, frozen=True):
    assessed_on: date
    assessment_kind: str
    version: int
    versions: list[tuple[int, str, str, str]]  # (number, author, saved, source)
    submitted: date | None
    deadline: date | None
    verdicts: dict[str, dict[str, Any]]
    items: list[FollowupItem]
    followed_up_on: date | None


class History(Struct, frozen=True):
    unit: str
    care_provider: str
    region: str
    specialty: str
    last_review: date | None
    review_status: str
    review_years: int
    areas: list[tuple[str, str]]
    assessments: list[HistoryAssessment]
    plans: list[HistoryPlan]
    today: date
    within: int


def _cell(a: HistoryAssessment, i: int, letter: str) -> str:
    grade = a.grades[i]
    text = grade + ("*" if letter in a.provisional else "")
    if a.engine_grades[i] != grade:
        text += f" ({a.engine_grades[i]})"
    return text


def _and(items: list[str]) -> str:
    return " och ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def render_history_text(h: History) -> str:
    letters = "".join(letter for letter, _ in h.areas)
    review = (
        f"{h.last_review.isoformat()} ({REVIEW[h.review_status].format(years=h.review_years)})"
        if h.last_review
        else REVIEW["missing"]
    )
    place = (
        f"Region: {h.region}" if h.care_provider == h.region else f"Vårdgivare: {h.care_provider} · Region: {h.region}"
    )
    out = [h.unit, f"{place} · Specialitet: {h.specialty}", f"Senaste externa granskning: {review}", ""]
    if not h.assessments:
        return "\n".join([*out, "Inga bedömningar i databasen."]) + "\n"
    n = len(h.assessments)
    out.append(f"Betyg per område ({count(n, 'bedömning')})")
    changes = [{}] + [
        trend(letters, prev.grades, cur.grades) for prev, cur in zip(h.assessments, h.assessments[1:], strict=False)
    ]
    marks = {"better": " ↑", "worse": " ↓"}
    table = [
        [
            _cell(a, i, letter) + marks.get(change.get(letter, ""), "")
            for a, change in zip(h.assessments, changes, strict=True)
        ]
        for i, letter in enumerate(letters)
    ]
    cols = [max(len(a.kind), *(len(row[j]) for row in table)) for j, a in enumerate(h.assessments)]
    out.append("   " + "  ".join(f"{a.date.isoformat():<{w}}" for a, w in zip(h.assessments, cols, strict=True)))
    out.append("   " + "  ".join(f"{a.kind:<{w}}" for a, w in zip(h.assessments, cols, strict=True)))
    for (letter, title), row in zip(h.areas, table, strict=True):
        out.append(f"{letter}  " + "  ".join(f"{c:<{w}}" for c, w in zip(row, cols, strict=True)) + f"  {title}")
    out.append(
        "* preliminärt (underlag saknas) · (D) betyget före handlingsplanen · ↑ ↓ bättre, sämre än förra bedömningen"
    )
    if n > 1:
        before, last = h.assessments[-2], h.assessments[-1]
        moved = trend(letters, before.grades, last.grades)
        better = [x for x, t in moved.items() if t == "better"]
        worse = [x for x, t in moved.items() if t == "worse"]
        parts = ([f"bättre i {_and(better)}"] if better else []) + ([f"sämre i {_and(worse)}"] if worse else [])
        out.append(f"Sedan {before.date.isoformat()}: {', '.join(parts) if parts else 'samma betyg i alla områden'}.")
    out += ["", "Bedömningar"]
    for a in h.assessments:
        notes = []
        if a.has_plan:
            notes.append("har handlingsplan")
        if a.follows_plan_of:
            notes.append(f"följer upp handlingsplanen från {a.follows_plan_of.isoformat()}")
        extra = f"; {', '.join(notes)}" if notes else ""
        out.append(f"  {a.date.isoformat()} {a.kind}: version {a.version}, sparad {a.saved} av {a.author}{extra}")
    for p in h.plans:
        out += ["", *_plan_lines(p, h)]
    return "\n".join(out) + "\n"


def _plan_lines(p: HistoryPlan, h: History) -> list[str]:
    titles = dict(h.areas)
    out = [f"Handlingsplan för bedömningen {p.assessed_on.isoformat()} ({p.assessment_kind}), version {p.version}"]
    submitted = (
        f"inlämnad {p.submitted.isoformat()}"
        + (" – efter sista dagen" if p.deadline and p.submitted > p.deadline else "")
        if p.submitted
        else "inte inlämnad"
    )
    out.append(f"  Sista inlämningsdag {p.deadline.isoformat() if p.deadline else '–'}, {submitted}.")
    for letter, v in sorted(p.verdicts.items()):
        out.append(f"  {letter}. {titles.get(letter, '')}: {v['text']}")
        reasons = v["reasons"]
        out += [f"      {reason}" for reason in reasons[:SHOWN_REASONS]]
        if len(reasons) > SHOWN_REASONS:
            rest = len(reasons) - SHOWN_REASONS
            out.append(f"      … och {rest} skäl till (spur grade --plan visar alla).")
    if not p.items:
        out.append("  Planen har inga rader.")
        return out
    as_of = f"per {h.today.isoformat()}"
    if p.followed_up_on and p.followed_up_on != p.assessed_on:
        as_of += f", uppföljd med bedömningen {p.followed_up_on.isoformat()}"
    counts = {s: sum(1 for i in p.items if i.state == s) for s in STATES}
    summary = ", ".join(count(c, LABEL[s]) for s, c in counts.items() if c)
    out.append(f"  Rader ({as_of}): {summary}")
    order = {s: n for n, s in enumerate(STATES)}
    for i in sorted(p.items, key=lambda i: (order[i.state], i.id)):
        out.append(f"    [{LABEL[i.state].upper()}] {i.id} {i.brist}")
        out.append(f"        {i.why}" + ("" if i.state == "done" else f"; ansvarig: {i.acts}"))
    last = p.versions[-1]
    out.append(f"  Senast sparad {last[2]} av {last[1]}" + (f" ({last[3]})" if last[3] else "") + ".")
    return out


def history_json(h: History) -> str:
    letters = "".join(letter for letter, _ in h.areas)
    data = {
        "unit": h.unit,
        "care_provider": h.care_provider,
        "region": h.region,
        "specialty": h.specialty,
        "last_external_review": h.last_review.isoformat() if h.last_review else None,
        "external_review_status": h.review_status,
        "today": h.today.isoformat(),
        "assessments": [
            {
                "assessed_on": a.date.isoformat(),
                "kind": a.kind,
                "version": a.version,
                "saved": a.saved,
                "saved_by": a.author,
                "rules_version": a.rules_version,
                "grades": dict(zip(letters, a.grades, strict=True)),
                "grades_before_plan": dict(zip(letters, a.engine_grades, strict=True)),
                "provisional": list(a.provisional),
                "trend": trend(letters, prev.grades, a.grades) if prev else {},
                "follows_plan_of": a.follows_plan_of.isoformat() if a.follows_plan_of else None,
            }
            for prev, a in zip([None, *h.assessments], h.assessments, strict=False)
        ],
        "plans": [
            {
                "assessed_on": p.assessed_on.isoformat(),
                "version": p.version,
                "submitted": p.submitted.isoformat() if p.submitted else None,
                "deadline": p.deadline.isoformat() if p.deadline else None,
                "verdicts": p.verdicts,
                "followed_up_on": p.followed_up_on.isoformat() if p.followed_up_on else None,
                "rows": [i.to_json() for i in p.items],
            }
            for p in h.plans
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
