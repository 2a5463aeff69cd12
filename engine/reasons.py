"""Swedish sentences for outcomes, built from rule data, vocabulary and evidence values."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.catalog import Catalog
from engine.codes import Pol
from engine.compiler import Lit, field_type
from engine.conditions import AllOf, AnyOf, Attestation, Cond, Items, Leaf, Not, Recent, Ref, Setting
from engine.facts import get_path, months_age, sub_months
from engine.fields import label as field_label
from engine.fields import resolve, shown_path
from engine.supervision import supervised_by, supervised_regulations


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

    def number(self, value: int | Setting) -> int:
        return int(self.catalog.setting(value.name)) if isinstance(value, Setting) else value

    def expected(self, leaf: Leaf) -> Any:
        if isinstance(leaf.value, Recent):
            return self.number(leaf.value.count)
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
            if isinstance(cond.value, Recent):
                return self._recent_text(d, cond, entity, self.expected(cond), None)
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

    def _recent_text(self, phrases: dict, leaf: Leaf, entity: str, expected: Any, value: Any) -> str:
        """A `recent` condition as a phrase (describe) or its outcome (operators, with the value found)."""
        recent = leaf.value
        assert isinstance(recent, Recent)
        months = self.number(recent.months)
        distinct = ""
        if recent.distinct:
            ft = field_type(entity, leaf.field)
            item = resolve(ft.item_model, recent.distinct) if ft and ft.item_model else None
            title = item.title if item else recent.distinct
            distinct = self.vocab["counted"].get(title, title)  # the plural: "olika bedömningsmetoder"
        key = "recent_distinct" if recent.distinct else "recent"
        return phrases[key].format(
            label=self.label(entity, leaf.field),
            expected=show(expected),
            months=months,
            distinct=distinct,
            value=value,
            cutoff=sub_months(self.assessed, months).isoformat(),
        )

    def _recent_value(self, leaf: Leaf, items: list[Any] | None) -> str:
        """What a `recent` condition found: the count and, in brackets, the dates (or distinct values) counted."""
        recent = leaf.value
        assert isinstance(recent, Recent)
        months = self.number(recent.months)
        dated = [(i, i if isinstance(i, date) else getattr(i, "datum", None)) for i in items or []]
        found = [(i, d) for i, d in dated if d is not None and months_age(d, self.assessed) <= months]
        if recent.distinct:
            shown = sorted({str(v) for v in (getattr(i, recent.distinct, None) for i, _ in found) if v is not None})
        else:
            shown = sorted(d.isoformat() for _, d in found)  # every dated item counts, as in the engine
        return f"{len(shown)} ({', '.join(shown)})" if shown else "0"

    def _covers_text(self, leaf: Leaf, source: Any, key: str) -> str:
        """E-10's reason: whose training is for which regulation, and whom the handledare supervises."""
        value = get_path(source, leaf.field)
        regulations = supervised_regulations(self.root, source) or ()
        whom = supervised_by(self.root, source)
        words = self.vocab["operators"]["covers"]
        if not regulations:  # no ST-läkare at the unit: any regulation will do
            return f"{self.label('handledare', leaf.field)}: {show(value)}"
        needed = regulations[-1]
        if whom:
            names = ", ".join(p.namn for p in whom if p.regelverk == needed)
            return words[f"{key}_named"].format(
                label=self.label("handledare", leaf.field), value=show(value), expected=needed, names=names
            )
        return words[key].format(label=self.label("handledare", leaf.field), value=show(value), expected=needed)

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
        if lit.pol == Pol.UNKNOWN_REF and isinstance(node, Leaf) and node.op == "covers":
            return self.vocab["missing"].format(label=self.label("enhet", "st_lakare"), path="st_lakare"), "st_lakare"
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
        if node.op == "covers":
            return f"{self._covers_text(node, source, 'unmet')} ({shown_path(prefix + node.field)})", None
        if isinstance(node.value, Recent):
            text = self._recent_text(ops["recent"]["unmet"], node, entity, expected, self._recent_value(node, value))
            return f"{text} ({shown_path(prefix + node.field)})", None
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
        if leaf.op == "covers":
            return f"{self._covers_text(leaf, source, 'met')} ({shown_path(prefix + leaf.field)})"
        if isinstance(leaf.value, Recent):
            ops = self.vocab["operators"]["recent"]["met"]
            text = self._recent_text(ops, leaf, entity, self.expected(leaf), self._recent_value(leaf, value))
            return f"{text} ({shown_path(prefix + leaf.field)})"
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
