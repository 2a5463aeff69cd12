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
from evidence.plan import Handlingsplan


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
        self._names = sorted(self._labels, key=len, reverse=True)  # "Anna Ek" before "Anna"
        names = "|".join(f"(?P<n{i}>{_spelled(n, roles)})" for i, n in enumerate(self._names))
        self._pattern = re.compile(rf"(?<!\w)(?:(?:{roles})\s+)?(?:{names})(?P<gen>[sS])?(?!\w)") if names else None

    def text(self, value: str) -> str:
        """Each person's name, with or without the word for their role before it, as "ST-läkare nr 1" (genitive
        "Anna Eks" as "ST-läkare nr 1:s")."""
        if self._pattern is None:
            return value
        return self._pattern.sub(self._label, value)

    def _label(self, match: re.Match[str]) -> str:
        which = next(k for k, v in match.groupdict().items() if v is not None and k != "gen")
        label = self._labels[self._names[int(which[1:])]]
        return f"{label}:s" if match.group("gen") else label

    def partial_mentions(self, evidence: Evidens) -> list[tuple[tuple[str | int, ...], str]]:
        """(key path, message) where the evidence's prose still has part of a person's name once the full names are
        replaced ("Amira har inte …"): the report cannot tell whom it means, so the author is asked for the full name."""
        parts: dict[str, set[str]] = {}
        for name, label in self._labels.items():
            for part in name.split():
                if len(part) > 1 and part[0].isupper():
                    parts.setdefault(part, set()).add(label)
        if not parts:
            return []
        alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)({alternatives})s?(?!\w)")
        found = []
        for loc, text in _prose(evidence):
            for part in dict.fromkeys(m.group(1) for m in pattern.finditer(self.text(text))):
                who = " eller ".join(sorted(parts[part]))
                found.append(
                    (
                        loc,
                        f"'{part}' kan vara en del av namnet på {who} men står inte som hela namnet, så rapporten "
                        "byter inte ut det. Skriv hela namnet eller stryk det.",
                    )
                )
        return found

    def result(self, result: UnitResult) -> UnitResult:
        areas = tuple(
            replace(
                a,
                requirements=tuple(
                    replace(
                        r,
                        reasons=tuple(self.text(s) for s in r.reasons),
                        motivering=self.text(r.motivering) if r.motivering else r.motivering,
                        persons=tuple(self._labels.get(p) or self.text(p) for p in r.persons),
                    )
                    for r in a.requirements
                ),
            )
            for a in result.areas
        )
        return replace(result, areas=areas)

    def plan(self, plan: Handlingsplan) -> Handlingsplan:
        """The plan's own prose (deficiency, action, the inspectors' comment, notes) without names; the owners of
        actions keep theirs, as in the published report."""
        prose = ("brist", "planerad_atgard", "godkand_kommentar", "anteckningar")
        rows = [row.model_copy(update={k: self.text(v) for k in prose if (v := getattr(row, k))}) for row in plan.rader]
        return plan.model_copy(update={"rader": rows})

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


def _spelled(name: str, roles: str) -> str:
    """A name as it may be written in prose: any white space (a line break too) between its parts, and, for a
    name of more than one part, any case ("BENGT EK"). A one-part name keeps its case ("Per" is not "per"), and a
    one-letter pseudonym counts only after the word for a role ("ST-läkare A", not the grade in "betyg A")."""
    if len(name) == 1:
        return rf"(?:{roles})\s+{re.escape(name)}"
    parts = name.split()
    body = r"\s+".join(re.escape(p) for p in parts)
    return f"(?i:{body})" if len(parts) > 1 else body


def _prose(evidence: Evidens) -> list[tuple[tuple[str | int, ...], str]]:
    """(key path, text) of each piece of the evidence's free text that the report prints."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    blocks = [(("sammanfattning",), evidence.sammanfattning)]
    blocks += [(("observationer", k), v) for k, v in evidence.observationer.items()]
    for loc, obs in blocks:
        if obs is None:
            continue
        if obs.text:
            out.append(((*loc, "text"), obs.text))
        for field in ("styrkor", "svagheter", "forbattringspotential"):
            out += [((*loc, field, i), text) for i, text in enumerate(getattr(obs, field))]
    for key, answer in evidence.intyganden.items():
        out += [(("intyganden", key, f), getattr(answer, f)) for f in ("underlag", "kommentar") if getattr(answer, f)]
    out += [
        (("inspektorsbedomningar", k, "motivering"), v.motivering) for k, v in evidence.inspektorsbedomningar.items()
    ]
    return out
