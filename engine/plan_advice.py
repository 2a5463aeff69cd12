"""What the tool points out to the inspectors about a handlingsplan's rows.

The inspectors' `godkand` decides whether a row is acceptable; these are warnings beside it, never verdicts: an action
repeated word for word in another row, an action that shares no content word with its requirement, a missing action,
owner or date, a row marked done without its date. The words and thresholds are `advice` in rules/handlingsplan.yaml.
"""

from __future__ import annotations

import re

from engine.catalog import Catalog
from evidence.plan import Handlingsplan, PlanRad

_WORD = re.compile(r"[\w-]+(?:\.\w+)*")
CHECK = "kontrollera att den täcker kravet"


def _normalise(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def stems(text: str, catalog: Catalog) -> set[str]:
    """The content words of `text`, cut to their first `stem_letters` letters (a stopword's stem stops every word
    that starts like it: "st-läkare" stops "ST-läkarens")."""
    assert catalog.plan_defaults is not None
    advice = catalog.plan_defaults.advice
    n = advice.stem_letters
    stop = {w[:n] for w in advice.stopwords}
    words = (w.strip("-") for w in _WORD.findall(text.lower()))
    return {w[:n] for w in words if len(w) >= advice.min_letters} - stop


def addresses(row: PlanRad, catalog: Catalog) -> bool:
    """Whether the row's action shares a content word with its requirement's text or the catalogue's drafted action."""
    req = catalog.by_id.get(row.krav)
    about = f"{req.text} {req.remediation}" if req else row.brist
    return bool(stems(row.planerad_atgard or "", catalog) & stems(about, catalog))


def repeats(plan: Handlingsplan) -> dict[str, tuple[str, ...]]:
    """krav id -> the other rows whose planned action is the same word for word (each row of such a group is
    told about all the others, whatever their order)."""
    groups: dict[str, list[str]] = {}
    for row in plan.rader:
        text = _normalise(row.planerad_atgard)
        if text:
            groups.setdefault(text, []).append(row.krav)
    return {k: tuple(o for o in ids if o != k) for ids in groups.values() if len(ids) > 1 for k in ids}


def _ids(ids: tuple[str, ...]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} och {ids[-1]}"


def row_warnings(row: PlanRad, repeated: dict[str, tuple[str, ...]], catalog: Catalog) -> tuple[str, ...]:
    out = []
    if not row.planerad_atgard:
        out.append("Planerad åtgärd saknas.")
    if row.krav in repeated:
        out.append(f"Samma åtgärd som {_ids(repeated[row.krav])} – {CHECK}.")
    if row.planerad_atgard and not addresses(row, catalog):
        out.append(f"Åtgärden har inget ord gemensamt med kravet – {CHECK}.")
    if not row.ansvarig_genomforande:
        out.append("Ansvarig för genomförandet saknas.")
    if row.status == "genomförd":
        if row.status_datum is None:
            out.append("Status genomförd utan datum – ange när åtgärden genomfördes.")
    elif row.datum_genomford is None:
        out.append("Datum när åtgärden ska vara genomförd saknas.")
    if row.datum_uppfoljning is None:
        out.append("Datum för uppföljning saknas.")
    if not row.ansvarig_uppfoljning:
        out.append("Ansvarig för uppföljningen saknas.")
    return tuple(out)


def advice(plan: Handlingsplan, catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """krav id -> the warnings on its row (rows without any are left out)."""
    repeated = repeats(plan)
    found = {row.krav: row_warnings(row, repeated, catalog) for row in plan.rader}
    return {k: w for k, w in found.items() if w}
