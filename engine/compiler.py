"""Compile the rule catalogue into durable_rules rulesets (pure data → data).

Every requirement becomes engine rules that fire only on problems: one rule per disjunct of the condition's
three-valued "definitely false" form (F), of its "possibly unknown" form (U), and, where needed, scope (S),
not-applicable (N, I) and unknown-applicability (IU) forms. A requirement is met when it is in scope and none fired.
U is an over-approximation (it may also fire where the condition is false); F takes precedence, which makes it exact.
"""

from __future__ import annotations

import itertools
from typing import Any

from msgspec import Struct, field

from engine.catalog import Catalog, Requirement
from engine.codes import APPLIES_WHEN, EXCLUSIVE, Encoding, Form, Pol
from engine.conditions import AllOf, AnyOf, Attestation, Cond, Items, Leaf, Not, Quantifier, Ref, Setting
from engine.fields import FieldType, collection_model, resolve
from evidence.errors import InputError
from evidence.shape import ROOT
from evidence.terms import SVAR

MAX_TERMS_PER_FACT = 60
ATTESTED = dict(zip((Pol.TRUE, Pol.FALSE, Pol.NOT_APPLICABLE), SVAR, strict=True))  # the answer a literal means
ENCODING = {"within_months": Encoding.MONTHS, "within_days": Encoding.DAYS, "count_gte": Encoding.COUNT}


class Lit(Struct, frozen=True):
    node: Leaf | Attestation | Items
    pol: str  # a Pol


Term = tuple[Lit, ...]


class TermInfo(Struct, frozen=True):
    requirement: str
    sub: int  # index of the subcheck; APPLIES_WHEN for applicability
    role: str  # a Form
    lits: Term
    entity: str  # "enhet" or a collection name


class FactSpec(Struct):
    kind: str
    entity: str
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # engine name -> (path, encoding)
    items: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # list path -> item fields
    refs: set[str] = field(default_factory=set)  # root paths copied into the fact
    attestations: set[str] = field(default_factory=set)
    terms: int = 0


class Compiled(Struct, frozen=True):
    name: str
    rules: dict[str, Any]
    terms: dict[str, TermInfo]
    facts: tuple[FactSpec, ...]
    subchecks: dict[str, tuple[Cond | Quantifier, ...]]
    combinator: dict[str, str | None]


def subchecks_of(req: Requirement) -> tuple[tuple[Cond | Quantifier, ...], str | None]:
    check = req.check
    if isinstance(check, Quantifier):
        return (check,), None
    if isinstance(check, (AllOf, AnyOf)) and any(isinstance(i, Quantifier) for i in check.items):
        return tuple(check.items), "all_of" if isinstance(check, AllOf) else "any_of"
    return (check,), None


# --- three-valued disjunctive normal forms --------------------------------------------------------------------


def _product(groups: list[list[Term]]) -> list[Term]:
    out = []
    for combo in itertools.product(*groups):
        term: list[Lit] = []
        for part in combo:
            for lit in part:
                if lit not in term:
                    term.append(lit)
        if _consistent(term):
            out.append(tuple(term))
    return out


def _consistent(term: list[Lit]) -> bool:
    seen: dict[int, str] = {}
    for lit in term:
        if lit.pol in EXCLUSIVE:
            other = seen.setdefault(id(lit.node), lit.pol)
            if other != lit.pol:
                return False
    return True


def true_terms(c: Cond) -> list[Term]:
    if isinstance(c, Items) and c.mode == "all":
        return [(Lit(c, Pol.TRUE_EMPTY),), (Lit(c, Pol.TRUE),)]
    if isinstance(c, (Leaf, Attestation, Items)):
        return [(Lit(c, Pol.TRUE),)]
    if isinstance(c, AllOf):
        return _product([true_terms(i) for i in c.items])
    if isinstance(c, AnyOf):
        return [t for i in c.items for t in true_terms(i)]
    if isinstance(c, Not):
        return false_terms(c.item)
    raise TypeError(c)


def false_terms(c: Cond) -> list[Term]:
    if isinstance(c, Leaf) and c.op == "exists":
        return []
    if isinstance(c, Items) and c.mode == "any":
        return [(Lit(c, Pol.FALSE_EMPTY),), (Lit(c, Pol.FALSE),)]
    if isinstance(c, (Leaf, Attestation, Items)):
        return [(Lit(c, Pol.FALSE),)]
    if isinstance(c, AllOf):
        return [t for i in c.items for t in false_terms(i)]
    if isinstance(c, AnyOf):
        return _product([false_terms(i) for i in c.items])
    if isinstance(c, Not):
        return true_terms(c.item)
    raise TypeError(c)


def unknown_terms(c: Cond) -> list[Term]:
    if isinstance(c, Leaf):
        terms: list[Term] = [(Lit(c, Pol.UNKNOWN),)]
        return [*terms, (Lit(c, Pol.UNKNOWN_REF),)] if isinstance(c.value, Ref) else terms
    if isinstance(c, (Attestation, Items)):
        return [(Lit(c, Pol.UNKNOWN),)]
    if isinstance(c, AllOf):
        return [t for i in c.items for t in unknown_terms(i)]
    if isinstance(c, AnyOf):
        all_false = set(_product([false_terms(i) for i in c.items]))
        return [t for t in _product([false_terms(i) + unknown_terms(i) for i in c.items]) if t not in all_false]
    if isinstance(c, Not):
        return unknown_terms(c.item)
    raise TypeError(c)


def attestations_in(c: Cond | Quantifier | None) -> list[Attestation]:
    if c is None:
        return []
    if isinstance(c, Attestation):
        return [c]
    if isinstance(c, (AllOf, AnyOf)):
        return [a for i in c.items for a in attestations_in(i)]
    if isinstance(c, Not):
        return attestations_in(c.item)
    return []


# --- engine expressions ----------------------------------------------------------------------------------------


def engine_name(path: str) -> str:
    return path.replace(".", "__")


def attestation_field(req_id: str) -> str:
    return "intyg__" + req_id.replace("-", "_")


class _Builder:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def value(self, v: Any) -> Any:
        if isinstance(v, Setting):
            if v.name not in self.catalog.grading.settings:
                raise KeyError(v.name)
            return self.catalog.setting(v.name)
        return v

    def leaf_expr(self, leaf: Leaf, pol: str, prefix: str = "") -> dict | None:
        enc = prefix + engine_name(leaf.field) + ENCODING.get(leaf.op, Encoding.VALUE)
        if pol == Pol.UNKNOWN:
            return {"$nex": {enc: 1}}
        if pol == Pol.UNKNOWN_REF:
            return {"$nex": {"ref__" + engine_name(leaf.value.path): 1}}
        op = leaf.op
        if pol == Pol.FALSE:
            op = {
                "eq": "ne",
                "ne": "eq",
                "in": "not_in",
                "gt": "lte",
                "gte": "lt",
                "lt": "gte",
                "lte": "gt",
                "within_months": "older_months",
                "within_days": "older_days",
                "count_gte": "count_lt",
            }.get(op, "never")
        if isinstance(leaf.value, Ref):
            ref = "ref__" + engine_name(leaf.value.path)
            cmp = {enc: {"$m": ref}} if op == "eq" else {"$neq": {enc: {"$m": ref}}}
            return {"$and": [{"$ex": {ref: 1}}, {"$ex": {enc: 1}}, cmp]}
        v = self.value(leaf.value)
        match op:
            case "eq":
                return {enc: v}
            case "ne":
                return {"$neq": {enc: v}}
            case "in":
                return {"$or": [{enc: x} for x in v]} if len(v) > 1 else {enc: v[0]}
            case "not_in":
                return {"$and": [{"$neq": {enc: x}} for x in v]} if len(v) > 1 else {"$neq": {enc: v[0]}}
            case "exists":
                return {"$ex": {enc: 1}}
            case "gt" | "gte" | "lt" | "lte":
                return {f"${op}": {enc: v}}
            case "within_months" | "within_days":
                return {"$lte": {enc: v}}
            case "older_months" | "older_days":
                return {"$gt": {enc: v}}
            case "count_gte":
                return {"$gte": {enc: v}}
            case "count_lt":
                return {"$lt": {enc: v}}
        return None

    def items_expr(self, it: Items, pol: str) -> dict:
        name = engine_name(it.field)
        count = name + Encoding.COUNT
        parts = it.cond.items if isinstance(it.cond, (AllOf, AnyOf)) else (it.cond,)
        if pol == Pol.UNKNOWN:
            return {"$nex": {count: 1}}
        if pol in (Pol.FALSE_EMPTY, Pol.TRUE_EMPTY):
            return {count: 0}

        def inner(leaf_pol: str, joiner: str) -> dict:
            exprs = [self.leaf_expr(p, leaf_pol, "$i.") for p in parts]
            return exprs[0] if len(exprs) == 1 else {joiner: exprs}

        if it.mode == "any":
            if pol == Pol.TRUE:
                return {"$iany": {name: inner(Pol.TRUE, "$or")}}
            return {"$and": [{"$gt": {count: 0}}, {"$iall": {name: inner(Pol.FALSE, "$and")}}]}
        if pol == Pol.TRUE:
            return {"$and": [{"$gt": {count: 0}}, {"$iall": {name: inner(Pol.TRUE, "$and")}}]}
        return {"$iany": {name: inner(Pol.FALSE, "$or")}}

    def lit_expr(self, lit: Lit, req_id: str) -> dict | None:
        if isinstance(lit.node, Attestation):
            f = attestation_field(req_id)
            return {"$nex": {f: 1}} if lit.pol == Pol.UNKNOWN else {f: ATTESTED[lit.pol]}
        if isinstance(lit.node, Items):
            return self.items_expr(lit.node, lit.pol)
        return self.leaf_expr(lit.node, lit.pol)


# --- fact plan -------------------------------------------------------------------------------------------------


def _register(spec: FactSpec, lit: Lit, req_id: str, model: str) -> None:
    node = lit.node
    if isinstance(node, Attestation):
        spec.attestations.add(req_id)
        return
    if isinstance(node, Items):
        ft = resolve(model, node.field)
        assert ft and ft.item_model
        item_fields = spec.items.setdefault(node.field, {})
        parts = node.cond.items if isinstance(node.cond, (AllOf, AnyOf)) else (node.cond,)
        for p in parts:
            enc = ENCODING.get(p.op, Encoding.VALUE)
            item_fields[engine_name(p.field) + enc] = (p.field, enc)
        spec.fields[engine_name(node.field) + Encoding.COUNT] = (node.field, Encoding.COUNT)
        return
    enc = ENCODING.get(node.op, Encoding.VALUE)
    spec.fields[engine_name(node.field) + enc] = (node.field, enc)
    spec.fields[engine_name(node.field)] = (node.field, Encoding.VALUE)
    if isinstance(node.value, Ref):
        spec.refs.add(node.value.path)


def fnv1a32(s: str) -> int:
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= (b - 256 if b > 127 else b) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def compile_catalog(catalog: Catalog) -> Compiled:
    builder = _Builder(catalog)
    rules: dict[str, Any] = {}
    terms: dict[str, TermInfo] = {}
    subchecks: dict[str, tuple] = {}
    combinator: dict[str, str | None] = {}
    groups: dict[tuple[str, str], list[list[tuple[str, TermInfo]]]] = {}

    for req in catalog.requirements:
        subs, comb = subchecks_of(req)
        subchecks[req.id] = subs
        combinator[req.id] = comb
        per_entity: dict[str, list[tuple[str, TermInfo]]] = {}

        def add(
            sub: int, role: str, found: list[Term], entity: str, req_id: str = req.id, out: dict = per_entity
        ) -> None:
            for n, term in enumerate(found):
                full = tuple(dict.fromkeys(term))
                name = f"{req_id}|{sub}|{role}|{n}"
                out.setdefault(entity, []).append((name, TermInfo(req_id, sub, role, full, entity)))

        if req.applies_when is not None:
            add(APPLIES_WHEN, Form.INAPPLICABLE, false_terms(req.applies_when), "enhet")
            add(APPLIES_WHEN, Form.APPLICABILITY_UNKNOWN, unknown_terms(req.applies_when), "enhet")
        for k, sub in enumerate(subs):
            if isinstance(sub, Quantifier):
                scope = true_terms(sub.where) if sub.where is not None else [()]
                if sub.where is not None:
                    add(k, Form.SCOPE, scope, sub.collection)
                for role, found in ((Form.FALSE, false_terms(sub.require)), (Form.UNKNOWN, unknown_terms(sub.require))):
                    add(k, role, [w + t for w in scope for t in found], sub.collection)
            else:
                add(k, Form.FALSE, false_terms(sub), "enhet")
                add(k, Form.UNKNOWN, unknown_terms(sub), "enhet")
                add(k, Form.NOT_APPLICABLE, [(Lit(a, Pol.NOT_APPLICABLE),) for a in attestations_in(sub)], "enhet")
        for entity, entries in per_entity.items():
            groups.setdefault((entity, req.area), []).append(entries)

    facts: list[FactSpec] = []
    for (entity, area), reqs in groups.items():
        model = ROOT if entity == "enhet" else collection_model(entity)
        assert model is not None
        chunk: FactSpec | None = None
        for entries in reqs:
            if len(entries) > MAX_TERMS_PER_FACT:
                raise InputError(
                    f"{entries[0][1].requirement}: kravet ger {len(entries)} regeltermer; högst "
                    f"{MAX_TERMS_PER_FACT} ryms i en fakta-post. Förenkla villkoret."
                )
            if chunk is None or chunk.terms + len(entries) > MAX_TERMS_PER_FACT:
                chunk = FactSpec(
                    f"{entity}/{area}{sum(1 for f in facts if f.entity == entity and f.kind.split('/')[1][0] == area)}",
                    entity,
                )
                facts.append(chunk)
            for name, info in entries:
                exprs = [builder.lit_expr(lit, info.requirement) for lit in info.lits]
                if any(e is None for e in exprs):
                    continue
                rules[name] = {"all": [{"m": {"$and": [{"t": chunk.kind}, *exprs]}}]}
                terms[name] = info
                chunk.terms += 1
                for lit in info.lits:
                    _register(chunk, lit, info.requirement, model)
    _check_hashes(facts)
    return Compiled(
        f"spur-{catalog.version.split('(')[-1].rstrip(')')}", rules, terms, tuple(facts), subchecks, combinator
    )


def _check_hashes(facts: list[FactSpec]) -> None:
    names = {"t", "i", "id", "sid"}
    for spec in facts:
        names.update(spec.fields)
        names.update("ref__" + engine_name(r) for r in spec.refs)
        names.update(attestation_field(a) for a in spec.attestations)
        for path, item_fields in spec.items.items():
            names.add(engine_name(path))
            names.update(item_fields)
    seen: dict[int, str] = {}
    for name in sorted(names):
        other = seen.setdefault(fnv1a32(name), name)
        if other != name:
            raise InputError(
                f"regelfel: fältnamnen {other!r} och {name!r} får samma 32-bitars hash i durable_rules; byt namn."
            )


def field_type(entity: str, path: str) -> FieldType | None:
    model = ROOT if entity == "enhet" else collection_model(entity)
    return resolve(model, path) if model else None
