"""`spur diff`: what changed between two assessments of one unit — grades per area and every requirement whose
outcome changed, with the reasons of both assessments."""

from __future__ import annotations

from msgspec import Struct

from engine.result import AreaResult, RequirementResult, UnitResult
from engine.terms import GRADES


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
