"""iCalendar (RFC 5545) export of handlingsplan dates, with stable UIDs so a re-export updates events."""

from __future__ import annotations

import hashlib
from datetime import date

from engine.followup import MET
from evidence.plan import Handlingsplan

PRODID = "-//spur//handlingsplan//SV"


def _escape(text: str) -> str:
    """RFC 5545 TEXT: a line break of any kind (CRLF, CR or LF) becomes `\\n`; a bare CR would break the line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continuation lines starting with a space."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def uid(unit: str, assessed: date, krav: str, kind: str) -> str:
    """Stable per plan row and date kind: a re-export moves the event; next year's plan makes new ones."""
    digest = hashlib.sha256(f"{unit}\0{assessed.isoformat()}\0{krav}\0{kind}".encode()).hexdigest()[:32]
    return f"{digest}@spur"


def _event(
    plan: Handlingsplan, krav: str, kind: str, day: date, summary: str, description: str, cancelled: bool
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(plan.enhet, plan.bedomningsdatum, krav, kind)}",
        f"DTSTAMP:{plan.plandatum.strftime('%Y%m%d')}T000000Z",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        *(["STATUS:CANCELLED"] if cancelled else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return [folded for line in lines for folded in _fold(line)]


def render_ics(plans: list[Handlingsplan]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "X-WR-CALNAME:Handlingsplaner"]
    for plan in plans:
        for row in plan.rader:
            # A met requirement keeps its events' UIDs but cancels them, so a re-import clears the old reminders.
            met = row.kravet_uppfyllt
            text = f"{row.brist}\nPlanerad åtgärd: {row.planerad_atgard or '–'}"
            if met:
                text = f"Inställd: {MET}.\n{text}"
            if row.datum_genomford is not None:
                lines += _event(
                    plan,
                    row.krav,
                    "genomford",
                    row.datum_genomford,
                    f"{plan.enhet}: {row.krav} {MET}" if met else f"{plan.enhet}: {row.krav} ska vara genomförd",
                    f"{text}\nAnsvarig: {row.ansvarig_genomforande or '–'}",
                    met,
                )
            if row.datum_uppfoljning is not None:
                lines += _event(
                    plan,
                    row.krav,
                    "uppfoljning",
                    row.datum_uppfoljning,
                    f"{plan.enhet}: {row.krav} {MET}" if met else f"{plan.enhet}: uppföljning av {row.krav}",
                    f"{text}\nAnsvarig för uppföljningen: {row.ansvarig_uppfoljning or '–'}",
                    met,
                )
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
