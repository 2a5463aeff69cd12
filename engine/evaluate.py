"""Evaluate one unit: facts → durable_rules → outcomes with reasons → grades per area."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from engine import wording
from engine.catalog import Catalog, Requirement, load_catalog
from engine.codes import APPLIES_WHEN, Form
from engine.compiler import Compiled, Lit, compile_catalog
from engine.conditions import Cond, Leaf, Quantifier, Ref, leaves
from engine.durable_adapter import DurableRuleset
from engine.facts import build_facts
from engine.fields import person_label
from engine.grading import grade, scale_for
from engine.reasons import Phrases
from engine.result import AreaResult, RequirementResult, UnitResult

if TYPE_CHECKING:
    from evidence.model import Evidens

_MEMO_LIMIT = 512
OVERRIDE = {"uppfyllt": "met", "ej uppfyllt": "unmet", "ej tillämpligt": "not_applicable"}
_PRECEDENCE = ("unmet", "unknown", "met")
# an outcome, when nobody is in scope, that the reader would not expect
_COUNTS_AS = {"unmet": "kravet räknas då som ej uppfyllt", "unknown": "vilka som omfattas framgår inte av underlaget"}


class _Sub(Struct):
    """Outcome of one subcheck."""

    outcome: str
    reasons: list[str]
    missing: list[str]
    persons: list[str]
    regulations: set[str]
    refs: tuple[tuple[str, int], ...] = ()


class Evaluator:
    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.compiled: Compiled = compile_catalog(self.catalog)
        self.engine = DurableRuleset(self.compiled.name, self.compiled.rules)
        # Memos of pure functions of the rule data (bounded: cleared when they grow past _MEMO_LIMIT):
        # an area's grade and reason for a tuple of (kind, outcome); a quantifier's Swedish rule text when it
        # reads no evidence value (no `ref`); an area's printed scale.
        self._grades: dict[tuple[frozenset[tuple[tuple[str, str], int]], str], tuple[str, str]] = {}
        self._rules: dict[int, tuple[Quantifier, str | None]] = {}
        self._leaf_lists: dict[int, tuple[Cond, list]] = {}  # the leaves of a subcheck (kept alive with it)
        self._scales = {area.letter: scale_for(area) for area in self.catalog.areas}

    def _grade(self, pairs: tuple[tuple[str, str], ...], unknown_as: str) -> tuple[str, str]:
        # grade() depends only on how many requirements of each kind have each outcome, not on their order
        key = (frozenset(Counter(pairs).items()), unknown_as)
        found = self._grades.get(key)
        if found is None:
            if len(self._grades) >= _MEMO_LIMIT:
                self._grades.clear()
            found = self._grades[key] = grade(list(pairs), self.catalog, unknown_as)
        return found

    def _leaves(self, check: Cond) -> list:
        known = self._leaf_lists.get(id(check))
        if known is None or known[0] is not check:
            known = self._leaf_lists[id(check)] = (check, leaves(check))
        return known[1]

    def _rule_text(self, q: Quantifier, ph: Phrases) -> str:
        known = self._rules.get(id(q))
        if known is not None and known[0] is q and known[1] is not None:
            return known[1]
        text = ph.describe(q.require, q.collection)
        static = not any(isinstance(leaf, Leaf) and isinstance(leaf.value, Ref) for leaf in leaves(q.require))
        self._rules[id(q)] = (q, text if static else None)
        return text

    def evaluate(self, evidence: Evidens) -> UnitResult:
        facts, origin = build_facts(evidence, self.compiled)
        hits: dict[tuple[str, int, str], list[tuple[Lit, ...] | Any]] = defaultdict(list)
        for rule, fact_id in self.engine.fire(facts):
            info = self.compiled.terms[rule]
            hits[(info.requirement, info.sub, info.role)].append((info, origin[fact_id][1]))
        phrases = Phrases(self.catalog, evidence.bedomning.datum, evidence)
        regulations = {p.regelverk for p in evidence.st_lakare or []}
        areas = []
        for area in self.catalog.areas:
            results = tuple(self._requirement(req, evidence, hits, phrases, regulations) for req in area.requirements)
            pairs = tuple((r.kind, r.outcome) for r in results)
            conservative, reason = self._grade(pairs, "unmet")
            best, _ = self._grade(pairs, "met")
            if any(r.outcome == "unknown" for r in results):
                reason += "; krav utan underlag räknas som ej uppfyllda"
            areas.append(
                AreaResult(
                    area.letter,
                    area.title,
                    area.group,
                    conservative,
                    any(r.outcome == "unknown" for r in results),
                    best,
                    area.scale.get(conservative, ""),
                    self._scales[area.letter],
                    reason,
                    area.header.text if area.header else None,
                    results,
                )
            )
        unit = evidence.enhet
        return UnitResult(
            unit.namn,
            unit.vardgivare,
            unit.specialitet,
            unit.region,
            evidence.bedomning.datum.isoformat(),
            evidence.bedomning.typ,
            tuple(evidence.bedomning.bedomare),
            self.catalog.version,
            tuple(areas),
        )

    def _requirement(self, req: Requirement, ev: Evidens, hits: dict, ph: Phrases, regs: set[str]) -> RequirementResult:
        sub = self._engine_outcome(req, ev, hits, ph)
        concerned = sub.regulations if sub.outcome == "unmet" and sub.regulations else regs
        g = self.catalog.grading
        kind = req.kind_for(concerned, g.kind_strictness, g.default_regulation)
        override = ev.inspektorsbedomningar.get(req.id)
        if override is not None:
            outcome = OVERRIDE[override.utfall]
            words = self.catalog.vocabulary["outcomes"]
            reasons = (
                f"Bedömt {override.utfall} av inspektörerna; enligt underlaget: {words[sub.outcome]}. "
                f"Motivering: {override.motivering}",
                *map(wording.capital, sub.reasons),
            )
            return RequirementResult(
                req.id,
                req.area,
                kind,
                req.text,
                req.confidence,
                outcome,
                reasons,
                True,
                sub.outcome,
                override.motivering,
                tuple(sub.missing),
                tuple(sub.persons),
                tuple(sorted(sub.regulations)) if sub.outcome == "unmet" else (),
                sub.refs,
            )
        return RequirementResult(
            req.id,
            req.area,
            kind,
            req.text,
            req.confidence,
            sub.outcome,
            tuple(map(wording.capital, sub.reasons)),  # each reason is a line of its own
            False,
            sub.outcome,
            None,
            tuple(sub.missing),
            tuple(sub.persons),
            tuple(sorted(sub.regulations)) if sub.outcome == "unmet" else (),
            sub.refs,
        )

    def _engine_outcome(self, req: Requirement, ev: Evidens, hits: dict, ph: Phrases) -> _Sub:
        if hits.get((req.id, APPLIES_WHEN, Form.INAPPLICABLE)):
            reasons = self._fired(hits[(req.id, APPLIES_WHEN, Form.INAPPLICABLE)], ev, ph, req.id)
            return _Sub("not_applicable", ["Ej tillämpligt: " + "; ".join(reasons[0])], [], [], set())
        if hits.get((req.id, APPLIES_WHEN, Form.APPLICABILITY_UNKNOWN)):
            reasons = self._fired(hits[(req.id, APPLIES_WHEN, Form.APPLICABILITY_UNKNOWN)], ev, ph, req.id)
            return _Sub(
                "unknown",
                ["Underlag saknas för att avgöra om kravet är tillämpligt: " + "; ".join(reasons[0])],
                reasons[1],
                [],
                set(),
            )
        checks = self.compiled.subchecks[req.id]
        attested_na = [e for k in range(len(checks)) for e in hits.get((req.id, k, Form.NOT_APPLICABLE), [])]
        if attested_na:
            reasons, _ = self._fired(attested_na, ev, ph, req.id)
            return _Sub("not_applicable", reasons, [], [], set())
        subs = [self._sub(req, k, s, ev, hits, ph) for k, s in enumerate(checks)]
        if len(subs) == 1:
            return subs[0]
        live = [s for s in subs if s.outcome != "not_applicable"]
        merged = [r for s in subs for r in s.reasons]
        missing = [m for s in live for m in s.missing]
        persons = [p for s in live for p in s.persons]
        regulations = {r for s in live for r in s.regulations}
        refs = tuple(ref for s in live if s.outcome == "unmet" for ref in s.refs)
        if not live:
            return _Sub("not_applicable", merged, [], [], set())
        outcomes = {s.outcome for s in live}
        any_of = self.compiled.combinator[req.id] == "any_of"
        outcome = next(o for o in (("met", "unknown", "unmet") if any_of else _PRECEDENCE) if o in outcomes)
        if any_of and outcome == "met":  # the branches that decided it, not the ones that did not matter
            merged = [r for s in live if s.outcome == "met" for r in s.reasons]
        return _Sub(outcome, merged, missing if outcome == "unknown" else [], persons, regulations, refs)

    def _fired(self, entries: list, ev: Evidens, ph: Phrases, req_id: str) -> tuple[list[str], list[str]]:
        """The reasons the fired rules in `entries` give, and the evidence paths they find missing."""
        reasons: list[str] = []
        missing: list[str] = []
        for info, index in entries:
            source = ev if info.entity == "enhet" else (getattr(ev, info.entity) or [])[index]
            prefix = "" if info.entity == "enhet" else f"{info.entity}[{index}]."
            for lit in info.lits:
                text, path = ph.lit(lit, info.entity, source, prefix, req_id)
                if text and text not in reasons:
                    reasons.append(text)
                if path and path not in missing:
                    missing.append(path)
        return reasons, missing

    def _sub(self, req: Requirement, k: int, check: Cond | Quantifier, ev: Evidens, hits: dict, ph: Phrases) -> _Sub:
        if isinstance(check, Quantifier):
            return self._quantifier(req, k, check, ev, hits, ph)
        if hits.get((req.id, k, Form.NOT_APPLICABLE)):
            reasons, _ = self._fired(hits[(req.id, k, Form.NOT_APPLICABLE)], ev, ph, req.id)
            return _Sub("not_applicable", reasons, [], [], set())
        if hits.get((req.id, k, Form.FALSE)):
            reasons, _ = self._fired(hits[(req.id, k, Form.FALSE)], ev, ph, req.id)
            return _Sub("unmet", reasons, [], [], set())
        if hits.get((req.id, k, Form.UNKNOWN)):
            reasons, missing = self._fired(hits[(req.id, k, Form.UNKNOWN)], ev, ph, req.id)
            return _Sub("unknown", reasons, missing, [], set())
        reasons = [ph.met_leaf(leaf, "enhet", ev, "", req.id) for leaf in self._leaves(check)]
        return _Sub("met", list(dict.fromkeys(reasons)), [], [], set())

    def _quantifier(self, req: Requirement, k: int, q: Quantifier, ev: Evidens, hits: dict, ph: Phrases) -> _Sub:
        words = self.catalog.vocabulary["collections"][q.collection]
        people = getattr(ev, q.collection)
        if people is None:
            return _Sub(
                "unknown",
                [f"Uppgift om {words['plural']} saknas i underlaget ({q.collection})."],
                [q.collection],
                [],
                set(),
            )
        scope = (
            sorted({i for _, i in hits.get((req.id, k, Form.SCOPE), [])}) if q.where is not None else list(range(len(people)))
        )
        rule = self._rule_text(q, ph)
        if not scope:
            scoped = f"där {ph.describe(q.where, q.collection)}" if q.where is not None else "omfattas av kravet"
            text = f"Inga {words['plural']} {scoped} ({q.collection})"
            if q.empty in _COUNTS_AS:
                text += f"; {_COUNTS_AS[q.empty]}"
            missing = [q.collection] if q.empty == "unknown" else []
            return _Sub(q.empty, [f"{text}."], missing, [], set())
        failed: dict[int, list] = defaultdict(list)
        unknown: dict[int, list] = defaultdict(list)
        for info, index in hits.get((req.id, k, Form.FALSE), []):
            failed[index].append((info, index))
        for info, index in hits.get((req.id, k, Form.UNKNOWN), []):
            if index not in failed:
                unknown[index].append((info, index))
        passed = [i for i in scope if i not in failed and i not in unknown]

        def name(i: int) -> str:
            return person_label(words["singular"], people[i].namn)

        def sentence_name(i: int) -> str:  # the same, at the start of a sentence
            return wording.capital(name(i))

        def details(group: dict[int, list]) -> tuple[list[str], list[str]]:
            lines, paths = [], []
            for i in sorted(group):
                texts, missing = self._fired(group[i], ev, ph, req.id)
                lines.append(f"{sentence_name(i)}: {'; '.join(texts)}")
                paths.extend(missing)
            return lines, paths

        n = len(scope)

        def failing(headline: str) -> _Sub:
            lines, _ = details(failed)
            regulations = {getattr(people[i], "regelverk", None) for i in failed} - {None}
            who = sorted(failed)
            return _Sub(
                "unmet",
                [headline, *lines],
                [],
                [name(i) for i in who],
                regulations,
                tuple((q.collection, i) for i in who),
            )

        def who(group: Sequence[int]) -> str:
            """The people of `group` (some of the `n` in scope): a name for one alone, else how many."""
            if n == 1:
                return sentence_name(group[0])
            if len(group) == n:
                return wording.everyone(n, words)
            return wording.some_of(len(group), n, words)

        def nobody() -> str:
            return f"{sentence_name(scope[0])} uppfyller inte" if n == 1 else f"{wording.none_of(n, words)} uppfyller"

        def missing_evidence() -> _Sub:
            lines, paths = details(unknown)
            group = sorted(unknown)
            headline = [] if n == 1 else [f"Underlag saknas för {wording.lower_first(who(group))}."]
            return _Sub("unknown", [*headline, *lines], paths, [name(i) for i in group], set())

        if q.mode == "all":
            if failed:
                if len(failed) == n:
                    return failing(f"{nobody()}: {rule}.")
                return failing(f"{who(sorted(failed))} uppfyller inte: {rule}.")
            if unknown:
                return missing_evidence()
            return _Sub("met", [f"{who(scope)} uppfyller: {rule}."], [], [], set())
        # any / none: a person who passes decides
        if passed:
            names = "" if n == 1 else f" ({', '.join(people[i].namn for i in passed)})"
            text = f"{who(passed)} uppfyller: {rule}{names}."
            if q.mode == "any":
                return _Sub("met", [text], [], [], set())
            return _Sub("unmet", [text], [], [name(i) for i in passed], set(), tuple((q.collection, i) for i in passed))
        if unknown:
            return missing_evidence()
        if q.mode == "any":
            return failing(f"{nobody()}: {rule}.")
        return _Sub("met", [f"{nobody()}: {rule}."], [], [], set())
