"""Whom the report names. The published SPUR report names the owners of actions and nobody else, so in `spur report`
ST-läkare, handledare, BT-läkare and doctors waiting for ST become "ST-läkare nr 1", "handledare nr 2" … (their place in
the evidence file) in the reasons, the evidence's own prose, the overrides and the checklist of missing evidence. The
handlingsplan keeps its owners' names; `spur grade` and `spur diff`, working tools, keep every name.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec.structs import replace

from engine.catalog import Catalog
from engine.conditions import COLLECTIONS
from engine.result import UnitResult
from evidence.model import SUPERVISOR_FIELDS, Evidens


class Pseudonyms:
    def __init__(self, evidence: Evidens, catalog: Catalog) -> None:
        words = catalog.vocabulary["collections"]
        self.numbers: dict[tuple[str, str], str] = {}  # (collection, name) -> "nr 1"
        self._labels: dict[str, str] = {}  # name -> "ST-läkare nr 1"
        for coll in COLLECTIONS:
            for i, person in enumerate(getattr(evidence, coll) or []):
                self.numbers[(coll, person.namn)] = f"nr {i + 1}"
                self._labels.setdefault(person.namn, f"{words[coll]['singular']} nr {i + 1}")
        roles = "|".join(re.escape(words[coll]["singular"]) for coll in COLLECTIONS)
        names = "|".join(re.escape(n) for n in sorted(self._labels, key=len, reverse=True))  # "Anna Ek" before "Anna"
        self._pattern = re.compile(rf"(?<!\w)(?:(?:{roles}) )?({names})(?!\w)") if names else None

    def text(self, value: str) -> str:
        """Each person's name, with or without the word for their role before it, as "ST-läkare nr 1"."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._labels[m.group(1)], value)

    def result(self, result: UnitResult) -> UnitResult:
        areas = tuple(
            replace(
                a,
                requirements=tuple(
                    replace(
                        r,
                        reasons=tuple(self.text(s) for s in r.reasons),
                        motivering=self.text(r.motivering) if r.motivering else r.motivering,
                        persons=tuple(self.text(p) for p in r.persons),
                    )
                    for r in a.requirements
                ),
            )
            for a in result.areas
        )
        return replace(result, areas=areas)

    def evidence(self, evidence: Evidens) -> Evidens:
        update: dict[str, Any] = {}
        for coll in COLLECTIONS:
            people = getattr(evidence, coll)
            if people is None:
                continue
            ref = SUPERVISOR_FIELDS.get(coll)
            renamed = []
            for person in people:
                changes: dict[str, Any] = {"namn": self.numbers[(coll, person.namn)]}
                named = getattr(person, ref) if ref else None
                if isinstance(named, str):
                    changes[ref] = self.numbers.get(("handledare", named)) or self.text(named)  # type: ignore[index]
                renamed.append(person.model_copy(update=changes))
            update[coll] = renamed
        if evidence.sammanfattning is not None:
            update["sammanfattning"] = self._prose(evidence.sammanfattning)
        update["observationer"] = {k: self._prose(v) for k, v in evidence.observationer.items()}
        return evidence.model_copy(update=update)

    def _prose(self, obs: Any) -> Any:
        return obs.model_copy(
            update={
                "text": self.text(obs.text) if obs.text else obs.text,
                "styrkor": [self.text(s) for s in obs.styrkor],
                "svagheter": [self.text(s) for s in obs.svagheter],
                "forbattringspotential": [self.text(s) for s in obs.forbattringspotential],
            }
        )
