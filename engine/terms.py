"""The domain's closed sets, each named once: grades, requirement kinds, outcomes and roles; with the sets the
evidence file names too (evidence/terms.py: areas, person collections, regulations)."""

from __future__ import annotations

from typing import Literal, get_args

from evidence.terms import AREAS, COLLECTIONS, REGULATIONS

__all__ = [
    "AREAS",
    "COLLECTIONS",
    "GRADES",
    "KINDS",
    "OUTCOMES",
    "REGULATIONS",
    "Confidence",
    "Grade",
    "Kind",
    "Outcome",
    "Role",
]

Grade = Literal["A", "B", "C", "D"]  # best first
GRADES: tuple[str, ...] = get_args(Grade)
Kind = Literal["foreskrift", "allmant_rad", "kvalitetsindikator"]  # in report order
KINDS: tuple[str, ...] = get_args(Kind)
Role = Literal["verksamhetschef", "studierektor", "huvudhandledare", "vardgivare"]
Outcome = Literal["met", "unmet", "unknown", "not_applicable"]
Confidence = Literal["high", "med", "low"]  # how sure the classification of a requirement's kind is
OUTCOMES: tuple[str, ...] = get_args(Outcome)
