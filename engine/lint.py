"""`spur rules lint`: structural checks of the rule catalogue beyond what loading already enforces."""

from __future__ import annotations

import re

from engine.catalog import AREAS, Catalog
from engine.compiler import compile_catalog, subchecks_of
from engine.conditions import AllOf, AnyOf, Attestation, Cond, Items, Leaf, Not, Quantifier, Recent, Ref, Setting
from engine.fields import collection_model, resolve
from evidence.errors import InputError
from evidence.shape import ROOT

_TYPES = {
    "within_months": {"date"},
    "within_days": {"date"},
    "count_gte": {"list"},
    "gt": {"number"},
    "gte": {"number"},
    "lt": {"number"},
    "lte": {"number"},
    "eq": {"bool", "str", "number"},
    "ne": {"bool", "str", "number"},
    "in": {"str", "number"},
    "exists": {"bool", "str", "number", "date", "list", "model"},
    "covers": {"str"},
    "recent": {"list"},
}


def _check_cond(
    cond: Cond | None, model: str, where: str, out: list[str], catalog: Catalog, need_required: bool
) -> None:
    if cond is None or isinstance(cond, Attestation):
        return
    if isinstance(cond, (AllOf, AnyOf)):
        for c in cond.items:
            _check_cond(c, model, where, out, catalog, need_required)
        return
    if isinstance(cond, Not):
        _check_cond(cond.item, model, where, out, catalog, need_required)
        return
    if isinstance(cond, Items):
        ft = resolve(model, cond.field)
        if ft is None or ft.kind != "list" or ft.item_model is None:
            out.append(f"{where}: {cond.field!r} är ingen lista av poster i {model}.")
            return
        _check_cond(cond.cond, ft.item_model, where, out, catalog, True)
        return
    assert isinstance(cond, Leaf)
    ft = resolve(model, cond.field)
    if ft is None:
        out.append(f"{where}: fältet {cond.field!r} finns inte i {model} (evidence/model.py).")
        return
    if ft.kind not in _TYPES[cond.op]:
        out.append(f"{where}: {cond.op} passar inte fältet {cond.field!r} av typen {ft.kind}.")
    if need_required and not ft.required:
        out.append(f"{where}: {cond.field!r} måste vara ett obligatoriskt fält här (where/items).")
    settings = [cond.value] if isinstance(cond.value, Setting) else []
    if isinstance(cond.value, Recent):
        settings = [v for v in (cond.value.months, cond.value.count) if isinstance(v, Setting)]
        distinct = cond.value.distinct
        if distinct and (ft.item_model is None or resolve(ft.item_model, distinct) is None):
            out.append(f"{where}: distinct {distinct!r} är inget fält i posterna i {cond.field!r}.")
    if cond.op == "covers" and model != collection_model("handledare"):
        out.append(f"{where}: covers: supervised gäller bara i for_all/for_any över handledare.")
    for setting in settings:
        if setting.name not in catalog.grading.settings:
            out.append(f"{where}: inställningen {setting.name!r} finns inte i grading.yaml.")
    if isinstance(cond.value, Ref) and resolve(ROOT, cond.value.path) is None:
        out.append(f"{where}: ref {cond.value.path!r} finns inte i evidensmodellen.")


def lint(catalog: Catalog) -> list[str]:
    problems: list[str] = []
    for area in catalog.areas:
        for req in area.requirements:
            where = f"{req.where}: {req.id}"
            if not re.fullmatch(rf"{area.letter}-\d\d", req.id):
                problems.append(f"{where}: id ska ha formen {area.letter}-NN i område {area.letter}.")
            expects = {e.expect for e in req.examples}
            for needed in ("met", "unmet"):
                if needed not in expects:
                    problems.append(f"{where}: exempel med expect: {needed} saknas.")
            if not req.text.strip() or not req.underlag.strip() or not req.remediation.strip():
                problems.append(f"{where}: text, underlag och remediation får inte vara tomma.")
            _check_cond(req.applies_when, ROOT, where, problems, catalog, False)
            for sub in subchecks_of(req)[0]:
                if isinstance(sub, Quantifier):
                    model = collection_model(sub.collection)
                    assert model is not None
                    _check_cond(sub.where, model, where + " (where)", problems, catalog, True)
                    _check_cond(sub.require, model, where, problems, catalog, False)
                else:
                    _check_cond(sub, ROOT, where, problems, catalog, False)
        for letter in ("A", "B", "D"):
            if letter not in area.scale:
                problems.append(f"område {area.letter}: betygsskalan saknar steg {letter}.")
        if area.has_kind("allmant_rad") and "C" not in area.scale:
            problems.append(f"område {area.letter}: har allmänna råd men skalan saknar steg C.")
    present = {area.letter for area in catalog.areas}
    absent = [letter for letter in AREAS if letter not in present]
    if absent:
        problems.append(f"areas/: SPUR-modellen har åtta områden A–H; {', '.join(absent)} saknas.")
    if catalog.grading.procedure[-1].when is not None:
        problems.append("grading.yaml: sista steget i procedure ska sakna villkor (det gäller alltid).")
    if not problems:
        try:
            compile_catalog(catalog)
        except InputError as exc:
            problems.extend(exc.lines)
    return problems
