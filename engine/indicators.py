"""The indicators of each ST-läkare's förbättringsarbete, evaluated: attainment is direction-aware.

Shown in `spur grade`, the JSON (`improvement_indicators`) and the report under area G. No grade reads them: SPUR
grades the conditions the unit gives for the work (G-03, G-06 in rules/), not the project's result (the decision is
recorded in rules/grading.yaml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

if TYPE_CHECKING:  # validated evidence is records with the model's fields (evidence/shape.py)
    from evidence.model import Evidens

ATTAINMENTS = ("met", "improved", "unchanged", "worse", "no_result")
TITLE = "Förbättringsarbetenas indikatorer"


class IndicatorResult(Struct, frozen=True):
    person: str  # the ST-läkare's name as in the evidence
    index: int  # the ST-läkare's place in st_lakare (0-based), for the report's "ST-läkare nr 1"
    project: str
    name: str
    direction: str  # minska | öka
    start: float
    target: float
    result: float | None
    start_date: str | None
    target_date: str | None
    result_date: str | None
    attainment: str  # one of ATTAINMENTS
    attainment_text: str  # in Swedish: "förbättrad men målet ej nått"
    path: str  # st_lakare[0].forbattringsarbete[0].indikatorer[1]

    def to_json(self) -> dict[str, Any]:
        return {
            "st_lakare": self.person,
            "project": self.project,
            "indicator": self.name,
            "direction": self.direction,
            "start": self.start,
            "start_date": self.start_date,
            "target": self.target,
            "target_date": self.target_date,
            "result": self.result,
            "result_date": self.result_date,
            "attainment": self.attainment,
            "attainment_text": self.attainment_text,
            "path": self.path,
        }


def attainment(direction: str, start: float, target: float, result: float | None) -> str:
    """'met' when the result reached the target in the wanted direction, else 'improved' (moved the right way),
    'unchanged' or 'worse'; 'no_result' when there is none yet."""
    if result is None:
        return "no_result"
    sign = 1 if direction == "öka" else -1
    if sign * (result - target) >= 0:
        return "met"
    if sign * (result - start) > 0:
        return "improved"
    return "unchanged" if result == start else "worse"


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def evaluate_indicators(evidence: Evidens, words: dict[str, str]) -> tuple[IndicatorResult, ...]:
    """Every indicator of every ST-läkare's förbättringsarbete, in the order of the file; `words`: the Swedish
    attainments (rules/vocabulary.yaml)."""
    out = []
    for i, person in enumerate(evidence.st_lakare or []):
        for j, work in enumerate(person.forbattringsarbete or []):
            for k, ind in enumerate(work.indikatorer):
                out.append(
                    IndicatorResult(
                        person.namn,
                        i,
                        work.titel,
                        ind.namn,
                        ind.riktning,
                        ind.startvarde,
                        ind.malvarde,
                        ind.resultat,
                        _day(ind.startdatum),
                        _day(ind.maldatum),
                        _day(ind.resultatdatum),
                        reached := attainment(ind.riktning, ind.startvarde, ind.malvarde, ind.resultat),
                        words[reached],
                        f"st_lakare[{i}].forbattringsarbete[{j}].indikatorer[{k}]",
                    )
                )
    return tuple(out)


def number(value: float) -> str:
    """A value as Swedish writes it: 38, 66,5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def line(ind: IndicatorResult, who: str) -> str:
    """'ST-läkare Anna Ek, Färre CRP – Andel CRP (minska): start 38 (2023-01-10), mål 20, resultat 17 (2023-12-15):
    målet nått'; `who` names the ST-läkare as the view does."""

    def dated(value: float | None, day: str | None) -> str:
        return "–" if value is None else number(value) + (f" ({day})" if day else "")

    return (
        f"{who}, {ind.project} – {ind.name} ({ind.direction}): start {dated(ind.start, ind.start_date)}, "
        f"mål {dated(ind.target, ind.target_date)}, resultat {dated(ind.result, ind.result_date)}: {ind.attainment_text}"
    )


def tally(indicators: tuple[IndicatorResult, ...]) -> str:
    """'1 av 4 har nått målet'"""
    met = sum(i.attainment == "met" for i in indicators)
    return f"{met} av {len(indicators)} har nått målet"


def heading(indicators: tuple[IndicatorResult, ...]) -> str:
    """'Förbättringsarbetenas indikatorer (1 av 4 har nått målet; påverkar inte betyget)'"""
    return f"{TITLE} ({tally(indicators)}; påverkar inte betyget)"
