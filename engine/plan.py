"""The handlingsplan: draft rows from a result, and regenerate a plan without losing anything a person wrote.

Regeneration edits the existing file through ruamel.yaml's round-trip mode, so a person's comments, key order
and values survive; it only appends rows for new deficiencies and sets `kravet_uppfyllt` on the others.
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from engine.catalog import Catalog
from engine.facts import sub_months
from engine.result import RequirementResult, UnitResult
from evidence.plan import Handlingsplan

if TYPE_CHECKING:  # at run time a record of the same fields (evidence/records.py)
    from engine.rule_model import PlanDefaults

if TYPE_CHECKING:  # validated evidence is records with the model's fields (evidence/shape.py)
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
    row["kravet_uppfyllt"] = False
    return row


def _yaml() -> YAML:
    y = YAML()
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    y.preserve_quotes = True
    aliased = y.representer.ignore_aliases
    # one date object written twice (date.max as due and follow-up date) must not become an &anchor / *alias
    y.representer.ignore_aliases = lambda data: isinstance(data, date) or aliased(data)
    return y


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
    return PlanChange(_dump(data), tuple(r["krav"] for r in rows), (), 0)


def merge_plan(
    existing_text: str,
    existing: Handlingsplan,
    result: UnitResult,
    evidence: Evidens,
    catalog: Catalog,
    plan_date: date | None = None,
) -> PlanChange:
    """`existing_text` with `kravet_uppfyllt` set from `result` (written as the file writes it: ja/nej or
    true/false) and a row added for each new deficiency, in report order among the rows already there, dated from
    `plan_date` (default: the plan's own date)."""
    data = _yaml().load(existing_text)
    outcomes = {r.id: r.outcome for a in result.areas for r in a.requirements}
    present = {row.krav for row in existing.rader}
    if data.get("rader") is None:
        data["rader"] = CommentedSeq()
    solved = []
    for row, parsed in zip(data["rader"], existing.rader, strict=True):
        now = outcomes.get(parsed.krav) in SOLVED
        if parsed.kravet_uppfyllt != now:
            written = row.get("kravet_uppfyllt")
            row["kravet_uppfyllt"] = ("ja" if now else "nej") if isinstance(written, str) else now
        if now:
            solved.append(parsed.krav)
    added = []
    order = {r.id: n for n, r in enumerate(catalog.requirements)}
    rows = data["rader"]
    for area, req in deficiencies(result, catalog):
        if req.id not in present:
            # in report order: before the first row of a requirement that comes later in the catalogue
            at = next((n for n, row in enumerate(rows) if order.get(row.get("krav"), -1) > order[req.id]), len(rows))
            rows.insert(at, draft_row(area, req, evidence, catalog, plan_date or existing.plandatum))
            added.append(req.id)
    return PlanChange(_dump(data), tuple(added), tuple(solved), len(existing.rader))


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


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
