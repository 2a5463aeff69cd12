"""The views of `spur diff`: text for the terminal and JSON."""

from __future__ import annotations

import json
from typing import Any

from engine.catalog import Catalog
from engine.diff import UnitDiff
from engine.result import RequirementResult, UnitResult
from engine.terms import REGULATIONS
from engine.wording import count

CHANGE_WORDS = {"better": "bättre", "worse": "sämre", "same": "oförändrat"}


def _requirement_json(r: RequirementResult) -> dict[str, Any]:
    out: dict[str, Any] = {"outcome": r.outcome, "kind": r.kind, "reasons": list(r.reasons), "overridden": r.overridden}
    if r.missing:
        out["missing"] = list(r.missing)
    return out


def diff_json(d: UnitDiff) -> dict[str, Any]:
    def side(result: UnitResult, path: str) -> dict[str, Any]:
        return {
            "file": path,
            "unit": result.unit,
            "assessed_on": result.assessed_on,
            "assessment_kind": result.assessment_kind,
        }

    return {
        "unit": d.new.unit,
        "old": side(d.old, d.old_file),
        "new": side(d.new, d.new_file),
        "rules_version": d.new.rules_version,
        "warnings": d.warnings,
        "areas": [
            {
                "area": a.area,
                "title": a.title,
                "old": a.old,
                "new": a.new,
                "change": a.change,
                "old_provisional": a.old_provisional,
                "new_provisional": a.new_provisional,
            }
            for a in d.areas
        ],
        "requirements": [
            {
                "id": c.new.id,
                "area": c.area,
                "text": c.new.text,
                "old": _requirement_json(c.old),
                "new": _requirement_json(c.new),
            }
            for c in d.requirements
        ],
    }


def render_json(d: UnitDiff) -> str:
    return json.dumps(diff_json(d), ensure_ascii=False, indent=2) + "\n"


def render_text(d: UnitDiff, catalog: Catalog) -> str:
    words = catalog.vocabulary["outcomes"]
    kinds = catalog.grading.kinds

    def grade_text(grade: str, provisional: bool) -> str:
        return f"{grade} (prel.)" if provisional else grade

    out = [
        f"Förändring för {d.new.unit}",
        f"Gammal: {d.old.assessed_on} ({d.old.assessment_kind}) {d.old_file}",
        f"Ny:     {d.new.assessed_on} ({d.new.assessment_kind}) {d.new_file}",
        *d.warnings,
        "",
        "Betyg per område",
    ]
    shown = [(a, grade_text(a.old, a.old_provisional), grade_text(a.new, a.new_provisional)) for a in d.areas]
    ow = max((len(o) for _, o, _ in shown), default=1)
    nw = max((len(n) for _, _, n in shown), default=1)
    for a, old, new in shown:
        out.append(f"  {a.area}  {old:<{ow}} → {new:<{nw}}  {CHANGE_WORDS[a.change]:<10}  {a.title}")
    better = sum(a.change == "better" for a in d.areas)
    worse = sum(a.change == "worse" for a in d.areas)
    same = len(d.areas) - better - worse
    out.append(f"  {count(better, 'område')} bättre, {worse} sämre, {count(same, 'oförändrat')}.")
    kind_changed = any(c.old.kind != c.new.kind for c in d.requirements)
    heading = "Krav med ändrat utfall eller ändrad kravtyp" if kind_changed else "Krav med ändrat utfall"
    out += ["", f"{heading} ({len(d.requirements)})"]
    if not d.requirements:
        out.append("  Inga krav har ändrat utfall.")
    for c in d.requirements:
        kind = kinds[c.new.kind].label.lower()
        if retyped := c.old.kind != c.new.kind:
            kind = f"{kinds[c.old.kind].label.lower()} → {kind}"
        out.append(f"  {c.new.id} ({kind}): {words[c.old.outcome]} → {words[c.new.outcome]}")
        out.append(f"    {c.new.text}")
        if retyped:
            out.append(
                f"    Kravtypen beror på vilka föreskrifter ST-läkarna följer ({' eller '.join(REGULATIONS)}) "
                "och har ändrats sedan förra bedömningen."
            )
        for label, r in (("Förut", c.old), ("Nu", c.new)):
            reasons = r.reasons or ("(inget skäl angivet)",)
            out.append(f"    {label}: {reasons[0]}")
            out += [f"    {' ' * len(label)}  {line}" for line in reasons[1:]]
    return "\n".join(out) + "\n"
