"""Swedish sentences for outcomes, built from rule data, vocabulary and evidence values."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.catalog import Catalog
from engine.codes import Pol
from engine.compiler import Lit, field_type
from engine.conditions import AllOf, AnyOf, Attestation, Cond, Items, Leaf, Not, Ref, Setting
from engine.facts import get_path, sub_months
from engine.fields import label as field_label
from engine.fields import resolve, shown_path


def show(value: Any) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if value is None:
        return "–"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v) for v in value)
    return str(value)


_LABELS: dict[tuple[str, str], str] = {}  # the Swedish label of an evidence path: a pure function of the model


class Phrases:
    def __init__(self, catalog: Catalog, assessed: date, root: Any) -> None:
        self.catalog = catalog
        self.vocab = catalog.vocabulary
        self.assessed = assessed
        self.root = root

    def label(self, entity: str, path: str) -> str:
        key = (entity, path)
        text = _LABELS.get(key)
        if text is None:
            ft = field_type(entity, path)
            text = field_label(ft) if ft else path
            if len(_LABELS) < 10000:  # (entity, path) pairs come from the rules: a small, fixed set
                _LABELS[key] = text
        return text

    def expected(self, leaf: Leaf) -> Any:
        if isinstance(leaf.value, Setting):
            return self.catalog.setting(leaf.value.name)
        if isinstance(leaf.value, Ref):
            return get_path(self.root, leaf.value.path)
        return leaf.value

    def expected_text(self, leaf: Leaf) -> str:
        value = self.expected(leaf)
        if isinstance(value, tuple):  # 'planerat, pågående eller genomfört'
            *head, last = (show(v) for v in value)
            return f"{', '.join(head)} eller {last}" if head else last
        return show(value)

    def describe(self, cond: Cond, entity: str) -> str:
        d = self.vocab["describe"]
        if isinstance(cond, Leaf):
            people = self.vocab["collections"].get(cond.field)
            if cond.op == "count_gte" and people and self.expected(cond) == 1:
                return f"minst en {people['singular']}"  # not 'minst 1 legitimerade läkare som väntar på ST'
            key = "ne_false" if cond.op == "ne" and cond.value is False else cond.op
            return d[key].format(label=self.label(entity, cond.field), expected=self.expected_text(cond))
        if isinstance(cond, Attestation):
            return d["attestation"]
        if isinstance(cond, Items):
            ft = field_type(entity, cond.field)
            inner_entity_model = ft.item_model if ft else None
            inner = self._describe_items(cond.cond, inner_entity_model)
            return d[f"items_{cond.mode}"].format(label=self.label(entity, cond.field), inner=inner)
        if isinstance(cond, (AllOf, AnyOf)):
            joiner = d["all_of" if isinstance(cond, AllOf) else "any_of"]
            return joiner.join(self.describe(c, entity) for c in cond.items)
        if isinstance(cond, Not):
            return "inte " + self.describe(cond.item, entity)
        return str(cond)

    def _describe_items(self, cond: Cond, model: Any) -> str:
        d = self.vocab["describe"]
        parts = cond.items if isinstance(cond, (AllOf, AnyOf)) else (cond,)
        joiner = d["all_of" if isinstance(cond, AllOf) else "any_of"]
        out = []
        for p in parts:
            assert isinstance(p, Leaf)
            ft = resolve(model, p.field) if model else None
            out.append(d[p.op].format(label=field_label(ft) if ft else p.field, expected=self.expected_text(p)))
        return joiner.join(out)

    def lit(self, lit: Lit, entity: str, source: Any, prefix: str, req_id: str) -> tuple[str | None, str | None]:
        """(sentence, missing path) for one literal of a fired term; T literals say nothing."""
        ops = self.vocab["operators"]
        node = lit.node
        if isinstance(node, Attestation):
            path = f"intyganden.{req_id}"
            if lit.pol == Pol.UNKNOWN:
                return self.vocab["attestation"]["unknown"].format(path=path), path
            key = {Pol.FALSE: "unmet", Pol.NOT_APPLICABLE: "not_applicable"}.get(lit.pol)
            return (self.attestation(req_id, key) if key else None), None
        if lit.pol in (Pol.TRUE, Pol.TRUE_EMPTY):
            return None, None
        if lit.pol in (Pol.UNKNOWN, Pol.UNKNOWN_REF):
            by_ref = lit.pol == Pol.UNKNOWN_REF
            path = node.value.path if by_ref else prefix + node.field  # type: ignore[union-attr]
            lbl = self.label("enhet", node.value.path) if by_ref else self.label(entity, node.field)  # type: ignore[union-attr]
            return self.vocab["missing"].format(label=lbl, path=shown_path(path)), path
        if isinstance(node, Items):
            lbl = self.label(entity, node.field)
            ft = field_type(entity, node.field)
            inner = self._describe_items(node.cond, ft.item_model if ft else None)
            if lit.pol == Pol.FALSE_EMPTY:
                return f"{lbl}: inga registrerade ({shown_path(prefix + node.field)})", None
            return ops[f"items_{node.mode}"].format(label=lbl, inner=inner) + f" ({shown_path(prefix + node.field)})", None
        assert isinstance(node, Leaf)
        value = get_path(source, node.field)
        expected = self.expected(node)
        cutoff = ""
        if node.op == "within_months":
            cutoff = sub_months(self.assessed, int(expected)).isoformat()
        elif node.op == "within_days":
            cutoff = date.fromordinal(self.assessed.toordinal() - int(expected)).isoformat()
        if node.op == "count_gte":
            value = len(value) if value is not None else None
        text = ops[node.op].format(
            label=self.label(entity, node.field), value=show(value), expected=show(expected), cutoff=cutoff
        )
        return f"{text} ({shown_path(prefix + node.field)})", None

    def met_leaf(self, leaf: Leaf | Items | Attestation, entity: str, source: Any, prefix: str, req_id: str) -> str:
        if isinstance(leaf, Attestation):
            return self.attestation(req_id, "met")
        if isinstance(leaf, Items):
            return self.describe(leaf, entity) + f" ({shown_path(prefix + leaf.field)})"
        value = get_path(source, leaf.field)
        if leaf.op == "count_gte":
            value = len(value) if value is not None else None
        return f"{self.label(entity, leaf.field)}: {show(value)} ({shown_path(prefix + leaf.field)})"

    def attestation(self, req_id: str, key: str) -> str:
        text = self.vocab["attestation"][key]
        answer = self.root.intyganden.get(req_id)
        extra = []
        if answer is not None and answer.underlag:
            extra.append(f"underlag: {answer.underlag}")
        if answer is not None and answer.kommentar:
            extra.append(f"kommentar: {answer.kommentar}")
        return f"{text} ({'; '.join(extra)})" if extra else f"{text} (intyganden.{req_id})"
