"""Follow-up of handlingsplaner as of a given day: done, open, due soon or overdue per row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from msgspec import Struct

from evidence.plan import Handlingsplan, PlanRad

STATES = ("overdue", "due_soon", "open", "done")
MET = "kravet uppfyllt enligt senaste bedömningen"


class FollowupItem(Struct, frozen=True):
    unit: str
    id: str
    area: str
    state: str
    due: date | None
    follow_up: date | None
    owner: str
    follow_up_owner: str
    brist: str
    why: str
    follow_up_late: bool = False  # the follow-up, not the action, is what is overdue

    @property
    def acts(self) -> str:
        """Who has to act now: the follow-up owner once the follow-up is late, else the action's owner."""
        return self.follow_up_owner if self.follow_up_late else self.owner

    def to_json(self) -> dict[str, str | None]:
        return {
            "unit": self.unit,
            "id": self.id,
            "area": self.area,
            "state": self.state,
            "due": self.due.isoformat() if self.due else None,
            "follow_up": self.follow_up.isoformat() if self.follow_up else None,
            "owner": self.owner,
            "follow_up_owner": self.follow_up_owner,
            "reason": self.why,
        }


def submitted_late(submitted: date | None, deadline: date, as_of: date | None = None) -> bool:
    """Whether a handlingsplan is late: it came in (`inlamnad`) after its last day (`sista_inlamningsdag`), or, as
    of a day `as_of` on or after that last day, it has not come in."""
    if submitted is None:
        return as_of is not None and deadline <= as_of
    return submitted > deadline


def follow_up_late(row: PlanRad, today: date) -> bool:
    return (
        not row.kravet_uppfyllt
        and row.datum_uppfoljning is not None
        and row.datum_uppfoljning < today
        and row.uppfoljning_gjord is None
    )


def row_state(row: PlanRad, today: date, within: int, met_on: date | None = None) -> tuple[str, str]:
    """(state, why). The follow-up date counts too: passed without a recorded follow-up is overdue. A row whose
    requirement the latest assessment found met (`spur plan` sets `kravet_uppfyllt`) needs neither action nor
    follow-up: done; `met_on`, where known, is that assessment's date."""
    if row.kravet_uppfyllt:
        return "done", f"kravet uppfyllt enligt bedömningen {met_on.isoformat()}" if met_on else MET
    if follow_up_late(row, today):
        return "overdue", f"uppföljningen skulle ha gjorts {row.datum_uppfoljning.isoformat()}"
    if row.status == "genomförd":
        when = f" {row.status_datum.isoformat()}" if row.status_datum else ""
        return "done", f"genomförd{when}"
    if row.datum_genomford is None:
        return "open", "inget datum för genomförande"
    if row.datum_genomford < today:
        return "overdue", f"skulle ha varit genomförd {row.datum_genomford.isoformat()}"
    if (row.datum_genomford - today).days <= within:  # today + within may lie past date.max
        return "due_soon", f"ska vara genomförd {row.datum_genomford.isoformat()}"
    return "open", f"ska vara genomförd {row.datum_genomford.isoformat()}"


def collect(
    plans: list[Handlingsplan], today: date, within: int, met_on: Sequence[date | None] = ()
) -> list[FollowupItem]:
    """Every row of every plan as of `today`; `met_on[i]`, where given, is the date of the assessment that
    plans[i]'s 'kravet uppfyllt' marks come from."""
    items = []
    for i, plan in enumerate(plans):
        met = met_on[i] if i < len(met_on) else None
        for row in plan.rader:
            state, why = row_state(row, today, within, met)
            items.append(
                FollowupItem(
                    plan.enhet,
                    row.krav,
                    row.krav.split("-")[0],
                    state,
                    row.datum_genomford,
                    row.datum_uppfoljning,
                    row.ansvarig_genomforande or "(ansvarig saknas)",
                    row.ansvarig_uppfoljning or "(ansvarig saknas)",
                    row.brist,
                    why,
                    follow_up_late(row, today),
                )
            )
    return items
