"""Whom the report names. The published SPUR report names the owners of actions and nobody else, so in `spur report`
ST-läkare, handledare, BT-läkare and doctors waiting for ST become "ST-läkare nr 1", "handledare nr 2" … (their place in
the evidence file) in the reasons, the evidence's own prose, the overrides and the checklist of missing evidence. The
handlingsplan keeps its owners' names; `spur grade` and `spur diff`, working tools, keep every name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace

from engine.catalog import Catalog
from engine.fields import role_prefixed
from engine.result import UnitResult
from engine.terms import COLLECTIONS
from evidence.loader import SUPERVISOR_FIELDS
from evidence.plan import Handlingsplan

if TYPE_CHECKING:
    from evidence.model import Evidens

Loc = tuple[str | int, ...]
OBSERVATION_LISTS = ("styrkor", "svagheter", "forbattringspotential")
PLAN_PROSE = ("brist", "planerad_atgard", "godkand_kommentar", "anteckningar")  # a plan row's text; owners excluded


class Pseudonyms:
    def __init__(self, evidence: Evidens, catalog: Catalog) -> None:
        words = catalog.vocabulary["collections"]
        self.numbers: dict[tuple[str, str], str] = {}  # (collection, name) -> "nr 1"
        self._labels: dict[str, str] = {}  # name -> "ST-läkare nr 1"
        # How a name is recognised in prose: a name of several parts in any case and spacing ("BENGT  EK"); a
        # one-part name in its own case ("Per", not "per"); a one-letter pseudonym only after its own role word
        # ("handledare A" is not "ST-läkare A").
        self._spellings: dict[str, str] = {}
        self._lettered: dict[tuple[str, str], str] = {}  # (role word, casefolded; letter) -> label
        self._proper: dict[str, str] = {}  # name -> the name without its role word ("ST-läkare A" -> "A")
        for coll in COLLECTIONS:
            role = words[coll]["singular"]
            for i, person in enumerate(getattr(evidence, coll) or []):
                label = f"{role} nr {i + 1}"
                self.numbers[(coll, person.namn)] = f"nr {i + 1}"
                self._labels.setdefault(person.namn, label)
                # A pseudonym that carries its role ("ST-läkare A", "handledare HL1") is known by the rest of it,
                # so "ST-läkare A" in prose is the person, and "ST-läkare" alone is not part of anyone's name.
                proper = person.namn[len(role) + 1 :].strip() if role_prefixed(role, person.namn) else person.namn
                self._proper.setdefault(person.namn, proper)
                if len(proper) == 1:
                    self._lettered.setdefault((role.casefold(), proper), label)
                else:
                    self._spellings.setdefault(_spelling(proper), label)
        roles = "|".join(re.escape(words[coll]["singular"]) for coll in COLLECTIONS)
        names = sorted({n for n in self._proper.values() if len(n) > 1}, key=len, reverse=True)  # "Anna Ek", "Anna"
        alternatives = []
        if names:
            spelled = "|".join(r"\s+".join(re.escape(part) for part in n.split()) for n in names)
            alternatives.append(rf"(?:(?P<prefix>{roles})\s+)?(?P<name>{spelled})(?P<gen>s)?")
        if self._lettered:
            letters = "".join(sorted({letter for _, letter in self._lettered}))
            alternatives.append(rf"(?P<role>{roles})\s+(?P<letter>[{re.escape(letters)}])")
        self._pattern = (
            re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE) if alternatives else None
        )

    def text(self, value: str) -> str:
        """Each person's name, with or without the word for their role before it, as "ST-läkare nr 1" (genitive
        "Anna Eks" as "ST-läkare nr 1:s")."""
        if self._pattern is None:
            return value
        return self._pattern.sub(self._label, value)

    def _label(self, match: re.Match[str]) -> str:
        groups = match.groupdict()
        role = groups.get("role") or groups.get("prefix")
        if letter := groups.get("letter"):
            label = self._lettered.get((match.group("role").casefold(), letter))
        else:
            label = self._spellings.get(_spelling(match.group("name")))  # None: a one-part name in another case
            if label is not None and groups.get("gen"):
                label += ":s"
        if label is None:
            return match.group(0)
        return label[0].upper() + label[1:] if role and role[0].isupper() else label  # "Handledare B har …"

    def partial_mentions(self, prose: list[tuple[Loc, str]]) -> list[tuple[Loc, str]]:
        """(key path, message) where prose (`evidence_prose`, `plan_prose`) still has part of a person's name once
        the full names are replaced ("Amira har inte …"): the report cannot tell whom it means, so the author is asked
        for the full name."""
        parts: dict[str, set[str]] = {}
        for name, label in self._labels.items():
            for part in self._proper[name].split():
                if len(part) > 1 and part[0].isupper():
                    parts.setdefault(part, set()).add(label)
        if not parts:
            return []
        alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)({alternatives})s?(?!\w)")
        found = []
        for loc, text in prose:
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
        rows = [
            row.model_copy(update={k: self.text(v) for k in PLAN_PROSE if (v := getattr(row, k))}) for row in plan.rader
        ]
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
        lists = {field: [self.text(s) for s in getattr(obs, field)] for field in OBSERVATION_LISTS}
        return obs.model_copy(update={"text": self.text(obs.text) if obs.text else obs.text, **lists})


def _spelling(name: str) -> str:
    """The key a name is known by in prose: several parts in any case and spacing, one part as written."""
    parts = name.split()
    return " ".join(parts).casefold() if len(parts) > 1 else name


def evidence_prose(evidence: Evidens) -> list[tuple[Loc, str]]:
    """(key path, text) of each piece of the evidence's free text that the report prints."""
    out: list[tuple[Loc, str]] = []
    blocks = [(("sammanfattning",), evidence.sammanfattning)]
    blocks += [(("observationer", k), v) for k, v in evidence.observationer.items()]
    for loc, obs in blocks:
        if obs is None:
            continue
        if obs.text:
            out.append(((*loc, "text"), obs.text))
        for field in OBSERVATION_LISTS:
            out += [((*loc, field, i), text) for i, text in enumerate(getattr(obs, field))]
    for key, answer in evidence.intyganden.items():
        out += [(("intyganden", key, f), getattr(answer, f)) for f in ("underlag", "kommentar") if getattr(answer, f)]
    out += [
        (("inspektorsbedomningar", k, "motivering"), v.motivering) for k, v in evidence.inspektorsbedomningar.items()
    ]
    return out


def plan_prose(plan: Handlingsplan) -> list[tuple[Loc, str]]:
    """(key path, text) of the plan's own prose that the report prints."""
    return [(("rader", i, k), v) for i, row in enumerate(plan.rader) for k in PLAN_PROSE if (v := getattr(row, k))]
