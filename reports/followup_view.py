"""Text of `spur followup`: grouped by unit and owner, with counts."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import groupby

from engine.followup import STATES, FollowupItem
from engine.wording import count

LABEL = {"overdue": "försenad", "due_soon": "förfaller snart", "open": "öppen", "done": "klar"}


def _counts(items: list[FollowupItem]) -> str:
    c = Counter(i.state for i in items)
    return ", ".join(count(c[s], LABEL[s]) for s in STATES if c[s])


def render_followup_text(items: list[FollowupItem], today: date, within: int) -> str:
    out = [f"Uppföljning av handlingsplaner per {today.isoformat()} (förfaller snart = inom {count(within, 'dag')})", ""]
    if not items:
        return "\n".join([*out, "Inga rader i handlingsplanerna."]) + "\n"
    order = {s: n for n, s in enumerate(STATES)}
    for unit, unit_items in groupby(sorted(items, key=lambda i: i.unit), key=lambda i: i.unit):
        group = list(unit_items)
        out.append(f"{unit}: {_counts(group)}")
        for owner, owner_items in groupby(sorted(group, key=lambda i: i.acts), key=lambda i: i.acts):
            rows = sorted(owner_items, key=lambda i: (order[i.state], i.due or date.max, i.id))
            out.append(f"  {owner}: {_counts(rows)}")
            for i in rows:
                out.append(f"    [{LABEL[i.state].upper()}] {i.id} {i.brist} – {i.why}")
        out.append("")
    total = Counter(i.state for i in items)
    out.append(f"Totalt: {_counts(items)}." + (" Åtgärda de försenade raderna." if total["overdue"] else ""))
    return "\n".join(out) + "\n"
