"""Views of the rule catalogue: `spur rules list` and `spur rules show`."""

from __future__ import annotations

import os
from datetime import date

import yaml

from engine.catalog import Area, Catalog, Requirement
from engine.compiler import subchecks_of
from engine.conditions import Leaf, Quantifier, Ref
from engine.reasons import Phrases
from engine.wording import agree
from reports.render import to_json


def _kind(req: Requirement) -> str:
    """The kind as the JSON contract writes it: 'foreskrift', or per regulation."""
    if isinstance(req.kind, str):
        return req.kind
    return " / ".join(f"{k} ({reg})" for reg, k in req.kind.items())


def _kind_words(catalog: Catalog, req: Requirement) -> str:
    """The kind in words: 'föreskrift', 'allmänt råd (HSLF-FS 2021:8) / föreskrift (SOSFS 2015:8)'."""

    def word(kind: str) -> str:
        label = catalog.grading.kinds[kind].label
        return label[0].lower() + label[1:]

    if isinstance(req.kind, str):
        return word(req.kind)
    return " / ".join(f"{word(k)} ({reg})" for reg, k in req.kind.items())


def list_json(areas: tuple[Area, ...]) -> str:
    return to_json(
        [
            {"id": r.id, "area": r.area, "kind": _kind(r), "confidence": r.confidence, "text": r.text}
            for a in areas
            for r in a.requirements
        ]
    )


def list_text(catalog: Catalog, areas: tuple[Area, ...]) -> str:
    out = []
    for a in areas:
        out.append(f"{a.letter}. {a.title} ({a.group})")
        for r in a.requirements:
            flag = "  [låg säkerhet i klassningen]" if r.confidence == "low" else ""
            out.append(f"  {r.id}  {_kind_words(catalog, r):<20} {r.text}{flag}")
        out.append("")
    low = [r.id for a in areas for r in a.requirements if r.confidence == "low"]
    if low:
        out.append(f"{len(low)} krav med låg säkerhet i klassningen bör granskas av en domänexpert: {', '.join(low)}")
    else:
        out.append("Inga krav med låg säkerhet i klassningen.")
    out.append(references_note(areas))
    return "\n".join(out) + "\n"


def references_note(areas: tuple[Area, ...]) -> str:
    """How many of the listed requirements' regulation references are checked against the regulation's text: the
    catalogue's provenance, shown where the catalogue is reviewed (a unit's report leaves it out)."""
    refs = [ref for a in areas for r in a.requirements for ref in r.references]
    unchecked = sum(not ref.verified for ref in refs)
    n = f"{len(refs)} {agree(len(refs), 'hänvisning', 'hänvisningar')}"
    if not unchecked:
        return f"Regelkatalogens {n} är {agree(len(refs), 'kontrollerad', 'kontrollerade')} mot författningstexten."
    head = (
        f"Ingen av regelkatalogens {n} är ännu kontrollerad"
        if unchecked == len(refs)
        else f"{unchecked} av regelkatalogens {n} är inte {agree(unchecked, 'kontrollerad', 'kontrollerade')}"
    )
    return (
        f"{head} mot författningstexten (kravtexterna är ordagranna ur SPUR-kriterierna; det som inte är kontrollerat "
        "är paragrafnummer). Se 'spur rules show ID'."
    )


def show_requirement(catalog: Catalog, r: Requirement) -> str:
    words = catalog.vocabulary["outcomes"]
    roles = catalog.vocabulary["roles"]
    resp = (
        roles[r.responsible]["label"]
        if isinstance(r.responsible, str)
        else "; ".join(f"{reg}: {roles[role]['label']}" for reg, role in r.responsible.items())
    )
    refs = [
        f"  - {ref.source}{' ' + ref.section if ref.section else ''}"
        f"{'' if ref.verified else ' (ej verifierad)'}{' – ' + ref.note if ref.note else ''}"
        for ref in r.references
    ]
    raw = catalog.by_id[r.id]
    sure = catalog.vocabulary["confidence"].get(r.confidence, r.confidence)
    out = [
        f"{r.id} ({catalog.areas[[a.letter for a in catalog.areas].index(r.area)].title})",
        f"Text: {r.text}",
        f"Typ: {_kind_words(catalog, r)} (säkerhet i klassningen: {sure})",
        f"Ansvarig: {resp}",
        "Referenser:",
        *refs,
        f"Underlag: {r.underlag}",
        f"Åtgärd (utkast till handlingsplan): {r.remediation}",
        f"Källa: {_shown_path(raw.where)}",
        "",
        "Villkor (regeldata i källan ovan):",
        *(f"  {line}" for line in _conditions(catalog, r)),
        "",
        "Exempel:",
    ]
    for n, ex in enumerate(r.examples, 1):
        out.append(f"  {n}. {words[ex.expect]}{' – ' + ex.name if ex.name else ''}")
        dumped = yaml.safe_dump(ex.evidence, allow_unicode=True, sort_keys=False, default_flow_style=False).rstrip()
        out += ["       " + line for line in dumped.splitlines()]
    return "\n".join(out) + "\n"


class _RulePhrases(Phrases):
    """Conditions in words without a unit: a value compared with another field is named by that field."""

    def expected_text(self, leaf: Leaf) -> str:
        if isinstance(leaf.value, Ref):
            whose = "enhetens " if leaf.value.path.startswith("enhet.") else ""
            return f"samma som {whose}{self.label('enhet', leaf.value.path)}"
        return super().expected_text(leaf)


def _conditions(catalog: Catalog, r: Requirement) -> list[str]:
    """The requirement's check in Swedish, one line per part: what must hold, for whom, and when it applies."""
    ph = _RulePhrases(catalog, date.min, None)
    words = catalog.vocabulary["collections"]
    outcomes = catalog.vocabulary["outcomes"]
    lines = []
    if r.applies_when is not None:
        lines.append(f"Gäller när {ph.describe(r.applies_when, 'enhet')}.")
    parts, joiner = subchecks_of(r)
    for n, part in enumerate(parts):
        lead = "" if n == 0 else ("och " if joiner == "all_of" else "eller ")
        if isinstance(part, Quantifier):
            who = words[part.collection]
            head = {
                "all": f"alla {who['plural']}",
                "any": f"minst en {who['singular']}",
                "none": f"ingen {who['singular']}",
            }
            where = f" där {ph.describe(part.where, part.collection)}" if part.where is not None else ""
            text = f"{head[part.mode]}{where}: {ph.describe(part.require, part.collection)}"
            text += f" (om ingen omfattas: {outcomes[part.empty]})"
        else:
            text = ph.describe(part, "enhet")
        lines.append(f"{lead}{text[0].upper() + text[1:] if not lead else text}.")
    return lines


def _shown_path(where: str) -> str:
    """A rule file's place relative to the working directory when it lies below it (rules/areas/E.yaml:128:5)."""
    relative = os.path.relpath(where)
    return where if relative.startswith("..") else relative
