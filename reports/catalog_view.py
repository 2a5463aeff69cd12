"""Views of the rule catalogue: `spur rules list` and `spur rules show`."""

from __future__ import annotations

import yaml

from engine.catalog import Area, Catalog, Requirement
from reports.render import to_json


def _kind(req: Requirement) -> str:
    if isinstance(req.kind, str):
        return req.kind
    return " / ".join(f"{k} ({reg})" for reg, k in req.kind.items())


def list_json(areas: tuple[Area, ...]) -> str:
    return to_json(
        [
            {"id": r.id, "area": r.area, "kind": _kind(r), "confidence": r.confidence, "text": r.text}
            for a in areas
            for r in a.requirements
        ]
    )


def list_text(areas: tuple[Area, ...]) -> str:
    out = []
    for a in areas:
        out.append(f"{a.letter}. {a.title} ({a.group})")
        for r in a.requirements:
            flag = "  [låg säkerhet i klassningen]" if r.confidence == "low" else ""
            out.append(f"  {r.id}  {_kind(r):<20} {r.text}{flag}")
        out.append("")
    low = [r.id for a in areas for r in a.requirements if r.confidence == "low"]
    out.append(f"{len(low)} krav med låg säkerhet i klassningen bör granskas av en domänexpert: {', '.join(low)}")
    return "\n".join(out) + "\n"


def show_requirement(catalog: Catalog, r: Requirement) -> str:
    words = catalog.vocabulary["outcomes"]
    roles = catalog.vocabulary["roles"]
    resp = (
        roles[r.responsible]["label"]
        if isinstance(r.responsible, str)
        else "; ".join(f"{reg}: {roles[role]['label']}" for reg, role in r.responsible.items())
    )
    refs = [
        f"  - {ref.source}{' ' + ref.section if ref.section else ''}"
        f"{'' if ref.verified else ' (ej verifierad)'}{' – ' + ref.note if ref.note else ''}"
        for ref in r.references
    ]
    raw = catalog.by_id[r.id]
    out = [
        f"{r.id} ({catalog.areas[[a.letter for a in catalog.areas].index(r.area)].title})",
        f"Text: {r.text}",
        f"Typ: {_kind(r)} (säkerhet i klassningen: {r.confidence})",
        f"Ansvarig: {resp}",
        "Referenser:",
        *refs,
        f"Underlag: {r.underlag}",
        f"Åtgärd (utkast till handlingsplan): {r.remediation}",
        f"Källa: {raw.where}",
        "",
        "Villkor:",
        *("  " + line for line in yaml.safe_dump(r.source, allow_unicode=True, sort_keys=False).splitlines()),
        "",
        "Exempel:",
    ]
    for n, ex in enumerate(r.examples, 1):
        out.append(f"  {n}. {words[ex.expect]}{' – ' + ex.name if ex.name else ''}")
        dumped = yaml.safe_dump(ex.evidence, allow_unicode=True, sort_keys=False, default_flow_style=False).rstrip()
        out += ["       " + line for line in dumped.splitlines()]
    return "\n".join(out) + "\n"
