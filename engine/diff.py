"""`spur diff`: what changed between two assessments of one unit — grades per area and every requirement whose
outcome changed, with the reasons of both assessments."""

from __future__ import annotations

import json
from typing import Any

from msgspec import Struct

from engine.catalog import Catalog
from engine.result import AreaResult, RequirementResult, UnitResult

GRADES = ("A", "B", "C", "D")
CHANGE_WORDS = {"better": "bättre", "worse": "sämre", "same": "oförändrat"}


class AreaChange(Struct, frozen=True):
    area: str
    title: str
    old: str
    new: str
    old_provisional: bool
    new_provisional: bool

    @property
    def change(self) -> str:
        delta = GRADES.index(self.new) - GRADES.index(self.old)
        return "better" if delta < 0 else "worse" if delta > 0 else "same"


class RequirementChange(Struct, frozen=True):
    area: str
    old: RequirementResult
    new: RequirementResult


class UnitDiff(Struct, frozen=True):
    old: UnitResult
    new: UnitResult
    old_file: str
    new_file: str
    areas: tuple[AreaChange, ...]
    requirements: tuple[RequirementChange, ...]

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.old.unit != self.new.unit:
            out.append(f"Obs: filerna gäller olika enheter ('{self.old.unit}' och '{self.new.unit}').")
        if self.new.assessed_on < self.old.assessed_on:
            out.append(
                f"Obs: NY ({self.new.assessed_on}) är bedömd före GAMMAL ({self.old.assessed_on}); "
                "byt ordning på filerna?"
            )
        elif self.new.assessed_on == self.old.assessed_on:
            out.append(f"Obs: båda bedömningarna har samma datum ({self.new.assessed_on}).")
        if self.old.rules_version != self.new.rules_version:  # pragma: no cover - one catalogue per run
            out.append("Obs: bedömningarna gjordes med olika regelversioner.")
        return out


def _grade(area: AreaResult) -> str:
    return area.adjusted_grade or area.grade


def _kind_counts(old: RequirementResult, new: RequirementResult) -> bool:
    """The kind changed (it follows the regulations of the ST-läkare) where the kind moves the grade."""
    return old.kind != new.kind and {old.outcome, new.outcome} & {"unmet", "unknown"} != set()


def diff_units(old: UnitResult, new: UnitResult, old_file: str = "GAMMAL", new_file: str = "NY") -> UnitDiff:
    areas = []
    requirements = []
    new_areas = {a.area: a for a in new.areas}
    for a in old.areas:
        b = new_areas.get(a.area)
        if b is None:  # pragma: no cover - both results come from the same catalogue
            continue
        areas.append(AreaChange(a.area, a.title, _grade(a), _grade(b), a.provisional, b.provisional))
        new_reqs = {r.id: r for r in b.requirements}
        for r in a.requirements:
            s = new_reqs.get(r.id)
            if s is not None and (s.outcome != r.outcome or _kind_counts(r, s)):
                requirements.append(RequirementChange(a.area, r, s))
    return UnitDiff(old, new, old_file, new_file, tuple(areas), tuple(requirements))


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
    out.append(
        f"  {better} {'område' if better == 1 else 'områden'} bättre, {worse} sämre, "
        f"{same} {'oförändrat' if same == 1 else 'oförändrade'}."
    )
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
                "    Kravtypen beror på vilka föreskrifter ST-läkarna följer (SOSFS 2015:8 eller HSLF-FS 2021:8) "
                "och har ändrats sedan förra bedömningen."
            )
        for label, r in (("Förut", c.old), ("Nu", c.new)):
            reasons = r.reasons or ("(inget skäl angivet)",)
            out.append(f"    {label}: {reasons[0]}")
            out += [f"    {' ' * len(label)}  {line}" for line in reasons[1:]]
    return "\n".join(out) + "\n"
