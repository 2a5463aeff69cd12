"""Who supervises whom: the regulations a handledare's training must cover (E-10, `covers: supervised`)."""

from __future__ import annotations

from typing import Any

from evidence.terms import REGULATIONS


def rank(regulation: str) -> int:
    """A regulation's place in time, oldest 0: a training for a newer regulation covers the older ones."""
    return REGULATIONS.index(regulation)


def supervised_regulations(evidence: Any, handledare: Any) -> tuple[str, ...] | None:
    """The regulations of the ST-läkare whose huvudhandledare is this handledare, oldest first; for a handledare
    nobody names, the regulations in use at the unit. None when the unit's ST-läkare are not given."""
    people = evidence.st_lakare
    if people is None:
        return None
    own = {p.regelverk for p in people if p.huvudhandledare == handledare.namn}
    return tuple(sorted(own or {p.regelverk for p in people}, key=rank))


def supervised_by(evidence: Any, handledare: Any) -> list[Any]:
    """The ST-läkare who name this handledare as their huvudhandledare."""
    return [p for p in evidence.st_lakare or [] if p.huvudhandledare == handledare.namn]


def needed_rank(evidence: Any, handledare: Any) -> int | None:
    regulations = supervised_regulations(evidence, handledare)
    if regulations is None:
        return None
    return max((rank(r) for r in regulations), default=0)
