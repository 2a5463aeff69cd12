"""What the evidence and plan loaders know of the rule catalogue: plain data handed in by engine/ (which builds it
once with the catalogue), so that evidence/ imports nothing from engine/."""

from __future__ import annotations

from msgspec import Struct


class KnownRequirements(Struct, frozen=True):
    ids: tuple[str, ...]  # every requirement id, in catalogue order
    attested: dict[str, bool]  # id of each requirement read from intyganden -> may the answer be 'ej tillämpligt'
