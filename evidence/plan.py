"""Pydantic model of the handlingsplan file (Swedish keys, mirroring the official form) and its loader."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from pydantic import Field

from evidence.discovery import FileProblem, problem, walk
from evidence.errors import InputError
from evidence.known import KnownRequirements
from evidence.loader import first_lines, is_evidence_data, validate_model
from evidence.messages import closest, did_you_mean
from evidence.model import Dag, JaNej, Model, Text, Version, closed
from evidence.yamlsafe import Document, Source, YamlText, format_loc, name_of, parse, read, read_text

STATUS = ("planerad", "pågående", "genomförd")


class PlanRad(Model):
    krav: str = Field(title="krav-id")
    omrade: Text = Field(title="område")
    niva: closed("Åtgärd krävs", "Åtgärd rekommenderas") = Field(title="nivå")
    brist: Text = Field(title="brist")
    planerad_atgard: Text | None = Field(None, title="planerad åtgärd")
    datum_genomford: Dag | None = Field(None, title="datum när åtgärden ska vara genomförd")
    ansvarig_genomforande: Text | None = Field(None, title="ansvarig för genomförandet")
    datum_uppfoljning: Dag | None = Field(None, title="datum för uppföljning")
    ansvarig_uppfoljning: Text | None = Field(None, title="ansvarig för uppföljningen")
    status: closed(*STATUS) = Field("planerad", title="status")
    status_datum: Dag | None = Field(None, title="datum då åtgärden genomfördes")
    uppfoljning_gjord: Dag | None = Field(None, title="datum då uppföljningen gjordes")
    godkand: JaNej | None = Field(None, title="godkänd av inspektörerna")
    godkand_kommentar: Text | None = Field(None, title="inspektörernas kommentar")
    anteckningar: Text | None = Field(None, title="anteckningar")
    kravet_uppfyllt: JaNej = Field(False, title="kravet uppfyllt vid senaste bedömning (fylls i av spur plan)")


class Handlingsplan(Model):
    version: Version = 1
    enhet: Text = Field(title="enhet")
    bedomningsdatum: Dag = Field(title="datum för bedömningen (rapporten)")
    plandatum: Dag = Field(title="plandatum")
    sista_inlamningsdag: Dag = Field(title="sista dag att lämna in handlingsplanen")
    inlamnad: Dag | None = Field(None, title="datum då handlingsplanen lämnades in")
    rader: list[PlanRad] = Field([], title="rader")


def validate_plan(doc: Document, known: KnownRequirements) -> Handlingsplan:
    if is_evidence_data(doc.data):
        raise InputError(
            f"{doc.where(())}: det här är en evidensfil, inte en handlingsplan. Kontrollera filernas ordning."
        )
    plan = validate_model(doc, Handlingsplan, "en handlingsplan börjar med 'enhet:', 'plandatum:' och 'rader:'.")
    lines = first_lines(_plan_checks(plan, doc, known))
    if lines:
        raise InputError(lines)
    return plan


def _plan_checks(plan: Handlingsplan, doc: Document, known: KnownRequirements) -> Iterator[str]:
    seen: dict[str, int] = {}
    for i, row in enumerate(plan.rader):
        loc = ("rader", i, "krav")
        if row.krav not in known.ids:
            close = closest(row.krav, list(known.ids))
            hint = did_you_mean(close, " Se 'spur rules list'.")
            yield f"{doc.where(loc)}: {format_loc(loc)}: okänt krav-id '{row.krav}'.{hint}"
        elif row.krav in seen:
            yield (
                f"{doc.where(loc)}: {format_loc(loc)}: {row.krav} har redan en rad ({format_loc(('rader', seen[row.krav]))}). "
                "Slå ihop raderna."
            )
        seen.setdefault(row.krav, i)
    dated: list[tuple[tuple[str | int, ...], date | None]] = [
        ((key,), getattr(plan, key)) for key in ("plandatum", "sista_inlamningsdag", "inlamnad")
    ]
    for i, row in enumerate(plan.rader):
        for key in ("datum_genomford", "datum_uppfoljning", "status_datum", "uppfoljning_gjord"):
            dated.append((("rader", i, key), getattr(row, key)))
    for loc, day in dated:
        if day is not None and day < plan.bedomningsdatum:
            yield (
                f"{doc.where(loc)}: {format_loc(loc)}: {day.isoformat()} ligger före bedömningsdatumet "
                f"{plan.bedomningsdatum.isoformat()}, då bristen påvisades. Rätta datumet."
            )


def mismatch(plan: Handlingsplan, unit: str, assessed_on: date) -> str | None:
    """What is wrong when a plan answers another unit's report, or another assessment of the same unit."""
    wrong = []
    if plan.enhet != unit:
        wrong.append(f"gäller enheten '{plan.enhet}', inte '{unit}'")
    if plan.bedomningsdatum != assessed_on:
        wrong.append(f"gäller bedömningen {plan.bedomningsdatum.isoformat()}, inte {assessed_on.isoformat()}")
    return f"handlingsplanen {' och '.join(wrong)}" if wrong else None


def mismatched_key(plan: Handlingsplan, unit: str) -> str:
    """The key a mismatch is reported at: enhet if the plan answers another unit, else bedomningsdatum."""
    return "enhet" if plan.enhet != unit else "bedomningsdatum"


def load_plan(source: Source, known: KnownRequirements) -> Handlingsplan:
    """The handlingsplan in a file or in text already read, or an InputError with every problem."""
    return validate_plan(read(source), known)


PlanIndex = dict[tuple[str, date], tuple[str, Handlingsplan]]  # (unit, assessment date) -> (file, plan)


def add_plan(index: PlanIndex, name: str, plan: Handlingsplan) -> str | None:
    """Record `plan`, read from `name`, under the unit and assessment it answers; a second plan for the same is
    refused: return why, naming the first."""
    key = (plan.enhet, plan.bedomningsdatum)
    if key in index:
        return (
            f"{index[key][0]} gäller redan samma enhet och bedömning ('{plan.enhet}', bedömd "
            f"{plan.bedomningsdatum.isoformat()}). Ta bort eller rätta den ena planen."
        )
    index[key] = (name, plan)
    return None


def load_distinct_plans(sources: Sequence[Source], known: KnownRequirements) -> list[Handlingsplan]:
    """Every plan once: a file named twice (same real path) is read once, and a second plan for the same unit and
    assessment date is an error naming both files. All files' errors are reported together."""
    index: PlanIndex = {}
    seen: set[str] = set()
    errors: list[str] = []
    for source in sources:
        if not isinstance(source, YamlText):
            real = os.path.realpath(source)
            if real in seen:
                continue
            seen.add(real)
        name = name_of(source)
        try:
            doc = read(source)
            plan = validate_plan(doc, known)
        except InputError as exc:
            errors.extend(exc.lines)
            continue
        refused = add_plan(index, name, plan)
        if refused:
            errors.append(f"{doc.where(('enhet',))}: enhet: {refused}")
    if errors:
        raise InputError(errors)
    return [plan for _, plan in index.values()]


def index_plans(plan_dir: Path, known: KnownRequirements) -> tuple[PlanIndex, list[FileProblem]]:
    """Every handlingsplan under `plan_dir` (recursively), keyed by the unit and assessment date it answers, so a
    unit finds its plan wherever the files lie; and a problem for each invalid plan, and for a second plan for
    the same unit and date. Evidence files among the plans are passed over."""
    problems: list[FileProblem] = []
    plans: PlanIndex = {}
    for name in walk(plan_dir, problems):
        try:
            doc = parse(read_text(Path(name), name), name)
            if is_evidence_data(doc.data):
                continue
            plan = validate_plan(doc, known)
        except InputError as exc:
            problems.append(FileProblem(name, tuple(exc.lines)))
            continue
        refused = add_plan(plans, name, plan)
        if refused:
            problems.append(problem(name, refused))
    return plans, problems
