"""The handlingsplan: draft rows from a result, and regenerate a plan without losing anything a person wrote.

Regeneration edits the existing text in place (engine/plan_text.py), so everything a person wrote survives byte for
byte; it only appends rows for new deficiencies and sets `kravet_uppfyllt` on the others, and reads the result back
to make sure that is all it did.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from yaml.nodes import MappingNode

from engine import plan_text
from engine.catalog import Catalog
from engine.facts import sub_months
from engine.result import RequirementResult, UnitResult
from evidence.plan import Handlingsplan, PlanRad, validate_plan
from evidence.yamlsafe import Document, mapping_entry, parse

if TYPE_CHECKING:
    from engine.rule_model import PlanDefaults
    from evidence.model import Evidens

ROW_KEYS = (
    "krav",
    "omrade",
    "niva",
    "brist",
    "planerad_atgard",
    "datum_genomford",
    "ansvarig_genomforande",
    "datum_uppfoljning",
    "ansvarig_uppfoljning",
    "status",
    "status_datum",
    "uppfoljning_gjord",
    "godkand",
    "godkand_kommentar",
    "anteckningar",
    "kravet_uppfyllt",
)
SOLVED = ("met", "not_applicable")


def add_months(day: date, months: int) -> date:
    return sub_months(day, -months)


def defaults(catalog: Catalog) -> PlanDefaults:
    assert catalog.plan_defaults is not None, "rules/handlingsplan.yaml saknas"
    return catalog.plan_defaults


def deficiencies(result: UnitResult, catalog: Catalog) -> list[tuple[str, RequirementResult]]:
    """(area label, requirement) for every unmet requirement whose kind calls for an action, in report order."""
    levels = defaults(catalog).levels
    return [
        (f"{a.area}. {a.title}", r)
        for a in result.areas
        for r in a.requirements
        if r.outcome == "unmet" and r.kind in levels
    ]


def _person_name(evidence: Evidens, path: str | None) -> str | None:
    obj: Any = evidence
    if path is None:
        return None
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return str(obj)


def _supervisors(evidence: Evidens, catalog: Catalog, req: RequirementResult | None) -> list[str]:
    """The huvudhandledare of the ST-läkare the requirement holds their huvudhandledare responsible for: those who
    fail it (all, for a unit-level requirement) under a regulation whose responsible role is the huvudhandledare."""
    people = evidence.st_lakare or []
    refs = [i for coll, i in req.person_refs if coll == "st_lakare"] if req else []
    rule = catalog.by_id[req.id].responsible if req else "huvudhandledare"
    concerned = [people[i] for i in refs] if refs else people
    return sorted(
        {
            p.huvudhandledare
            for p in concerned
            if isinstance(p.huvudhandledare, str)
            and (rule == "huvudhandledare" or rule.get(p.regelverk) == "huvudhandledare")
        }
    )


def owner(role: str, evidence: Evidens, catalog: Catalog, req: RequirementResult | None = None) -> str:
    roles = catalog.vocabulary["roles"]
    label = roles[role]["label"]
    if role == "huvudhandledare":
        names = _supervisors(evidence, catalog, req)
        # Nobody to name: whoever appoints a huvudhandledare owns the row.
        if len(names) > 1:
            label = roles[role].get("plural", label)
        return f"{label} ({', '.join(names)})" if names else owner(defaults(catalog).owner_role, evidence, catalog)
    name = _person_name(evidence, roles[role]["person"])
    return f"{label} ({name})" if name else label


def responsible_roles(req: RequirementResult, evidence: Evidens, catalog: Catalog) -> list[str]:
    rule = catalog.by_id[req.id].responsible
    if isinstance(rule, str):
        return [rule]
    regs = list(req.regulations) or sorted({p.regelverk for p in evidence.st_lakare or []})
    regs = regs or [catalog.grading.default_regulation]
    return list(dict.fromkeys(rule[r] for r in regs if r in rule)) or [defaults(catalog).owner_role]


def draft_row(area: str, req: RequirementResult, evidence: Evidens, catalog: Catalog, plan_date: date) -> CommentedMap:
    d = defaults(catalog)
    extra = d.per_requirement.get(req.id, {})
    rule = catalog.by_id[req.id]
    owners = "; ".join(
        dict.fromkeys(owner(role, evidence, catalog, req) for role in responsible_roles(req, evidence, catalog))
    )
    row = CommentedMap()
    row["krav"] = req.id
    row["omrade"] = area
    row["niva"] = d.levels[req.kind].label
    row["brist"] = req.text
    row["planerad_atgard"] = rule.remediation
    row["datum_genomford"] = add_months(plan_date, extra.get("deadline_months", d.deadline_months))
    row["ansvarig_genomforande"] = owners
    row["datum_uppfoljning"] = add_months(plan_date, extra.get("follow_up_months", d.follow_up_months))
    row["ansvarig_uppfoljning"] = owner(d.follow_up_owner_role, evidence, catalog)
    row["status"] = "planerad"
    for key in ("status_datum", "uppfoljning_gjord", "godkand", "godkand_kommentar", "anteckningar"):
        row[key] = None
    row["kravet_uppfyllt"] = "nej"
    return row


HEADER = """\
Handlingsplan – utkast skapat av 'spur plan' från bedömningen {assessed}.
Redigera fritt: planerad_atgard, datum, ansvariga, status (planerad / pågående / genomförd) med status_datum,
uppfoljning_gjord, anteckningar. Inspektörerna fyller i godkand (ja/nej) och godkand_kommentar.
Kör 'spur plan' igen när evidensen ändrats: nya brister läggs till, inget du skrivit tas bort.
niva: 'Åtgärd krävs' (föreskrift) eller 'Åtgärd rekommenderas' (allmänt råd).
"""


class PlanChange(Struct, frozen=True):
    text: str
    added: tuple[str, ...]
    solved: tuple[str, ...]
    kept: int


def new_plan(result: UnitResult, evidence: Evidens, catalog: Catalog, plan_date: date) -> PlanChange:
    d = defaults(catalog)
    assessed = date.fromisoformat(result.assessed_on)
    data = CommentedMap()
    data["version"] = 1
    data["enhet"] = result.unit
    data["bedomningsdatum"] = assessed
    data["plandatum"] = plan_date
    data["sista_inlamningsdag"] = add_months(assessed, d.submission_months)
    data["inlamnad"] = None
    rows = CommentedSeq(draft_row(area, r, evidence, catalog, plan_date) for area, r in deficiencies(result, catalog))
    data["rader"] = rows
    data.yaml_set_start_comment(HEADER.format(assessed=result.assessed_on))
    return PlanChange(plan_text.dump(data), tuple(r["krav"] for r in rows), (), 0)


def merge_plan(
    doc: Document,
    existing: Handlingsplan,
    result: UnitResult,
    evidence: Evidens,
    catalog: Catalog,
    plan_date: date | None = None,
) -> PlanChange:
    """The text of `doc` (the plan `existing` as read) with `kravet_uppfyllt` set from `result` and a row for each new
    deficiency in report order, dated from `plan_date` (default: the plan's own date). `kravet_uppfyllt` is spur's
    own field: written ja/nej like the plan's other answers, also where an older file wrote true/false."""
    text = doc.text
    nl = plan_text.line_break(text)
    outcomes = {r.id: r.outcome for a in result.areas for r in a.requirements}
    found = mapping_entry(doc.root, "rader") if isinstance(doc.root, MappingNode) else None
    row_nodes = found[1].value if found is not None else []
    edits, solved, flags = [], [], []
    for node, parsed in zip(row_nodes, existing.rader, strict=True):
        now = outcomes.get(parsed.krav) in SOLVED
        if parsed.kravet_uppfyllt != now or plan_text.flag_in_english(node):
            edits.append(plan_text.flag(text, node, now, nl))
        if now:
            solved.append(parsed.krav)
        flags.append(now)
    present = {row.krav for row in existing.rader}
    order = {r.id: n for n, r in enumerate(catalog.requirements)}
    placed = []  # (the index of the row it goes before, the new row): in report order among the rows there
    for area, req in deficiencies(result, catalog):
        if req.id not in present:
            before = [order.get(row.krav, -1) > order[req.id] for row in existing.rader]
            at = before.index(True) if True in before else len(before)
            placed.append((at, draft_row(area, req, evidence, catalog, plan_date or existing.plandatum)))
    if placed:
        edits += plan_text.insert_rows(text, doc, placed, nl)
    merged = plan_text.apply(text, edits)
    _check_merge(merged, doc.path, existing, flags, placed, catalog)
    return PlanChange(merged, tuple(row["krav"] for _, row in placed), tuple(solved), len(existing.rader))


def _check_merge(
    text: str, name: str, before: Handlingsplan, flags: list[bool], added: list[tuple[int, Any]], catalog: Catalog
) -> None:
    """The merged text must read back as the plan it was, with the new flags and rows, and nothing else changed."""
    after = validate_plan(parse(text, name), catalog.known)
    kept = [row.model_copy(update={"kravet_uppfyllt": now}) for row, now in zip(before.rader, flags, strict=True)]
    expected = []
    for n in range(len(kept) + 1):
        expected += [PlanRad.model_validate(dict(row)) for at, row in added if at == n]
        expected += kept[n : n + 1]
    if after.model_copy(update={"rader": []}) != before.model_copy(update={"rader": []}) or after.rader != expected:
        raise RuntimeError(f"{name}: planen kunde inte uppdateras utan att annat i den ändrades; filen är orörd")


def draft_plan(result: UnitResult, evidence: Evidens, catalog: Catalog, plan_date: date) -> Handlingsplan:
    """The drafted plan as a model (for reports that show the draft when no plan was given)."""
    d = defaults(catalog)
    assessed = date.fromisoformat(result.assessed_on)
    rows = [dict(draft_row(area, r, evidence, catalog, plan_date)) for area, r in deficiencies(result, catalog)]
    return Handlingsplan.model_validate(
        {
            "enhet": result.unit,
            "bedomningsdatum": assessed,
            "plandatum": plan_date,
            "sista_inlamningsdag": add_months(assessed, d.submission_months),
            "rader": rows,
        }
    )
