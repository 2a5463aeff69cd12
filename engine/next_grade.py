""""Vad krävs för nästa betyg?": per area below A, the smallest set of requirements that, turned met, lifts the
conservative grade, and the smallest set that reaches A.

Both are searched with the grading procedure of rules/grading.yaml itself (engine.grading.letter), never
hand-written: the procedure reads only how many requirements of each kind are met and unmet, so a set is tried as
how many of each kind's candidates it turns met, the candidates being the requirements that are not met
(evidence missing first: the conservative grade's missing evidence is the cheapest to turn, then the unmet ones,
each in catalogue order). Not applicable requirements are never candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import product

from msgspec import Struct

from engine.grading import GRADES

# {"met.<kind>": n, "unmet.<kind>": n} (unknown counted as unmet, not applicable left out) -> the grade
GradeFn = Callable[[dict[str, int]], str]


class NextGrade(Struct, frozen=True):
    grade: str
    requirements: tuple[str, ...]  # missing evidence first, then unmet, each in catalogue order

    def to_json(self) -> dict[str, object]:
        return {"grade": self.grade, "requirements": list(self.requirements)}


class Lift(Struct, frozen=True):
    next: NextGrade | None  # the smallest set that lifts the grade (the best grade such a set reaches)
    to_a: NextGrade | None  # the smallest set that reaches A (None when A cannot be reached)


def candidates(reqs: Sequence[tuple[str, str, str]]) -> dict[str, list[str]]:
    """kind -> ids of the requirements that are not met, missing evidence first; `reqs` are (id, kind, outcome)."""
    out: dict[str, list[str]] = {}
    for wanted in ("unknown", "unmet"):
        for rid, kind, outcome in reqs:
            if outcome == wanted:
                out.setdefault(kind, []).append(rid)
    return out


def apply(reqs: Sequence[tuple[str, str, str]], turned: set[str]) -> tuple[tuple[str, str], ...]:
    """The area's (kind, outcome) pairs with the requirements in `turned` met."""
    return tuple((kind, "met" if rid in turned else outcome) for rid, kind, outcome in reqs)


Counts = tuple[tuple[str, int, int], ...]  # per kind: (kind, met, not met), unknown counted as not met
Plan = tuple[tuple[int, ...] | None, tuple[int, ...] | None]  # how many of each kind to turn: for the next grade, for A


def lift(reqs: Sequence[tuple[str, str, str]], grade: GradeFn, memo: dict[object, Plan] | None = None) -> Lift:
    """`reqs`: the area's (id, kind, outcome) in catalogue order. `memo` keeps the search's answer per count of
    outcomes, which is all it depends on (one memo per catalogue)."""
    pool = candidates(reqs)
    kinds = tuple(pool)
    met: Counter[str] = Counter(kind for _, kind, outcome in reqs if outcome == "met")
    base: Counts = tuple((k, met[k], len(pool.get(k, ()))) for k in sorted({kind for _, kind, _ in reqs}))
    key = (base, kinds)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _search(base, kinds, grade)
        if memo is not None:
            memo[key] = found
    rank = {rid: (o != "unknown", i) for i, (rid, _, o) in enumerate(reqs)}

    def step(counts: tuple[int, ...] | None) -> NextGrade | None:
        if counts is None:
            return None
        chosen = sorted((rid for k, n in zip(kinds, counts, strict=True) for rid in pool[k][:n]), key=rank.__getitem__)
        return NextGrade(_graded(base, kinds, counts, grade), tuple(chosen))

    return Lift(*map(step, found))


def _graded(base: Counts, kinds: tuple[str, ...], counts: tuple[int, ...], grade: GradeFn) -> str:
    """The grade with counts[i] of the not-met requirements of kinds[i] met."""
    turned = dict(zip(kinds, counts, strict=True))
    c: dict[str, int] = {}
    for kind, met, not_met in base:
        n = turned.get(kind, 0)
        c[f"met.{kind}"], c[f"unmet.{kind}"] = met + n, not_met - n
    return grade(c)


def _search(base: Counts, kinds: tuple[str, ...], grade: GradeFn) -> Plan:
    """The smallest lift (of the smallest sets, the best grade; of equals the first, kinds in catalogue order) and
    the smallest way to A."""
    current = _graded(base, kinds, (0,) * len(kinds), grade)
    if current == "A":
        return None, None
    sizes = {kind: not_met for kind, _, not_met in base}
    by_size: dict[int, list[tuple[int, ...]]] = {}
    for counts in product(*(range(sizes[k] + 1) for k in kinds)):
        by_size.setdefault(sum(counts), []).append(counts)
    to_next = None
    for size in sorted(by_size):
        reached = [(_graded(base, kinds, counts, grade), counts) for counts in by_size[size]]
        better = [r for r in reached if GRADES.index(r[0]) < GRADES.index(current)]
        if better and to_next is None:
            to_next = min(better, key=lambda r: GRADES.index(r[0]))[1]
        top = [counts for g, counts in reached if g == "A"]
        if top:
            return to_next, top[0]
    return to_next, None
