"""The inspection report (`spur report`): the published SPUR report's shape in HTML and Markdown.

Title block, Sammanfattning (styrkor, svagheter, förbättringspotential), STRUKTUR (A–C) and PROCESS (D–H) with the
requirement lists, grade and scale per area, the HANDLINGSPLAN in the official row layout (the given plan, or the
drafted plan marked as UTKAST) and an appendix for the reader who checks the work: missing evidence as a checklist,
inspector overrides, low-confidence rule classifications and unverified regulation references.

Every value from the evidence reaches the HTML through jinja2's autoescape; the Markdown escapes `|` and `<`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from msgspec.structs import replace

from engine.catalog import Catalog
from engine.fields import collection_model, label, person_label, resolve, shown_path
from engine.plan import draft_plan
from engine.pseudonyms import Pseudonyms
from engine.result import AreaResult, RequirementResult, UnitResult
from engine.terms import KINDS
from engine.wording import agree
from evidence.plan import Handlingsplan
from evidence.shape import ROOT, shape
from reports.plan_view import PlanView, plan_view
from reports.render import environment

if TYPE_CHECKING:
    from evidence.model import Evidens, Observation

FORMATS = ("html", "markdown")
_INDEXED = re.compile(r"^([a-z_]+)\[(\d+)\]\.(.+)$")


class Missing(Struct, frozen=True):
    """One piece of missing evidence: a Swedish description and the evidence path to fill in."""

    text: str  # "ST-läkare Filip Strand: IUP senast reviderad" (the appendix checklist)
    path: str  # "st_lakare[2].iup.senast_reviderad" (as a person counts: the second ST-läkare)
    what: str  # "IUP senast reviderad" (the area's own short list, grouped by person kind)
    who: tuple[str, str] | None = None  # ("ST-läkare", "Filip Strand")


def brief_missing(items: tuple[Missing, ...]) -> str:
    """'IUP senast reviderad (ST-läkare Elin Sand, Filip Strand); intygande' for an area's list of missing evidence."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for m in items:
        names = groups.setdefault((m.what, m.who[0] if m.who else None), [])
        if m.who and m.who[1] not in names:
            names.append(m.who[1])
    return "; ".join(f"{what} ({kind} {', '.join(names)})" if kind else what for (what, kind), names in groups.items())


class Step(Struct, frozen=True):
    """One step of an area's scale legend, with the marks that say which step the unit got."""

    letter: str
    text: str
    marks: tuple[str, ...]


class AreaView(Struct, frozen=True):
    result: AreaResult
    lead: str | None  # "Vilket, enligt SPUR-modellen, innebär att:" after the header sentence
    obs: Observation | None
    groups: tuple[tuple[str, tuple[RequirementResult, ...]], ...]
    legend: tuple[Step, ...]
    missing: tuple[tuple[RequirementResult, str], ...]  # unknown requirements with what is missing, in brief
    plan_note: str | None = None  # without a plan: what an area at D needs

    @property
    def missing_met(self) -> str:
        """How the best case reads: 'om underlaget visar att kravet är uppfyllt' (or 'kraven är uppfyllda')."""
        return agree(len(self.missing), "kravet är uppfyllt")


class SummaryList(Struct, frozen=True):
    """Free text from the evidence first, then what the result shows (`derived`: (ids, text) pairs)."""

    title: str
    free: tuple[str, ...]
    derived_title: str
    derived: tuple[tuple[tuple[str, ...], str], ...]

    @property
    def empty(self) -> bool:
        return not self.free and not self.derived


class ChecklistItem(Struct, frozen=True):
    req: RequirementResult
    area: str
    hint: str
    missing: tuple[Missing, ...]


class Appendix(Struct, frozen=True):
    checklist: tuple[ChecklistItem, ...]
    overrides: tuple[RequirementResult, ...]
    low_confidence: tuple[RequirementResult, ...]
    unverified: tuple[tuple[str, tuple[str, ...]], ...]
    unverified_count: int = 0
    reference_count: int = 0


class Report(Struct, frozen=True):
    result: UnitResult
    areas: tuple[AreaView, ...]
    summary: tuple[SummaryList, ...]
    summary_text: str | None
    plan: Handlingsplan
    plan_view: PlanView
    draft: bool
    plan_given: bool
    plan_late: bool
    appendix: Appendix
    kinds: Any
    words: dict[str, str]
    kind_notice: str | None
    unknown_in_plan_kinds: tuple[str, ...] = ()

    @property
    def plan_need_text(self) -> str:
        """Whether a handlingsplan is needed: some area at D."""
        deadline = self.plan.sista_inlamningsdag.isoformat()
        at_d = [v.result for v in self.areas if v.result.grade == "D"]
        if any(a.best_case == "D" for a in at_d):
            return (
                "Minst ett område har betyget D, så en handlingsplan behövs. Sista dag för inlämning, räknat från "
                f"bedömningsdatumet: {deadline}."
            )
        if at_d:
            return (
                "Betyget D beror i samtliga fall på underlag som saknas. Kvarstår D med komplett underlag behövs en "
                f"handlingsplan; sista dag för inlämning, räknat från bedömningsdatumet: {deadline}."
            )
        if self.plan.rader:
            return "Inget område har betyget D, så handlingsplanen krävs inte; raderna är rekommendationer."
        if self.unknown_in_plan_kinds:
            return "Alla föreskrifter och allmänna råd som kunde bedömas är uppfyllda eller ej tillämpliga."
        return "Alla föreskrifter och allmänna råd är uppfyllda eller ej tillämpliga; ingen handlingsplan behövs."

    @property
    def plan_intro(self) -> str:
        """The published report's opening of its HANDLINGSPLAN section, naming the areas whose deficiencies the
        plan answers."""
        at_d = [v.result for v in self.areas if v.result.grade == "D"]
        if at_d:
            what = "i följsamheten till Socialstyrelsens föreskrifter"
            where = _areas(at_d)
            grade = ", vilket gav betyget D"
        else:
            rows = {row.krav.split("-")[0] for row in self.plan.rader}
            what = "i följsamheten till Socialstyrelsens allmänna råd"
            where = _areas([v.result for v in self.areas if v.result.area in rows])
            grade = ""
        return (
            f"Under granskningen påvisades brister {what}{' inom ' + where if where else ''}{grade}. "
            "Verksamheten har inkommit med följande handlingsplan."
        )

    @property
    def unverified_text(self) -> str:
        a = self.appendix
        if a.unverified_count == a.reference_count:
            head = (
                f"Ingen av regelkatalogens {a.reference_count} hänvisningar för kraven i rapporten är ännu kontrollerad"
            )
        else:
            head = (
                f"{a.unverified_count} av regelkatalogens {a.reference_count} hänvisningar för kraven i rapporten "
                "är inte kontrollerade"
            )
        return (
            f"{head} mot författningstexten eller källan. Kraven och betygen påverkas inte, men hänvisningarna bör "
            "kontrolleras innan de citeras."
        )

    @property
    def provisional_areas(self) -> tuple[AreaView, ...]:
        return tuple(v for v in self.areas if v.result.provisional)

    @property
    def unknown_count(self) -> int:
        return len(self.appendix.checklist)

    @property
    def unknown_met(self) -> str:
        """'det är uppfyllt' or 'de är uppfyllda', for the requirements without evidence."""
        return agree(self.unknown_count, "det är uppfyllt")

    @property
    def provisional_note(self) -> str:
        """'1 av 8 betyg är preliminärt', 'Alla 8 betyg är preliminära' …"""
        k, n = len(self.provisional_areas), len(self.areas)
        if k == n:
            return f"Alla {n} betyg är preliminära"
        return f"{k} av {n} betyg är {agree(k, 'preliminärt')}"


def _areas(areas: list[AreaResult]) -> str:
    """'område D (Tjänstgöringens upplägg)', 'områdena D (…) och H (…)'."""
    names = [f"{a.area} ({a.title})" for a in areas]
    if not names:
        return ""
    if len(names) == 1:
        return f"område {names[0]}"
    return f"områdena {', '.join(names[:-1])} och {names[-1]}"


@cache
def _key_path() -> re.Pattern[str]:
    """' (st_lakare[1].iup.senast_reviderad)' after a reason: an evidence key path, which starts with a top-level key
    of the evidence file."""
    roots = "|".join(sorted(shape().models[ROOT], key=len, reverse=True))
    return re.compile(rf" \((?:{roots})(?:\[\d+\])?(?:\.[\w-]+(?:\[\d+\])?)*\)")


def words_only(reason: str) -> str:
    """A reason as the report's Skäl column gives it: the words, without the evidence key paths that `spur grade`
    shows for the person who fills in the file ("… är äldre än 12 månader (st_lakare[1].iup.senast_reviderad)")."""
    return _key_path().sub("", reason)


def _without_paths(result: UnitResult) -> UnitResult:
    return replace(
        result,
        areas=tuple(
            replace(a, requirements=tuple(replace(r, reasons=tuple(map(words_only, r.reasons))) for r in a.requirements))
            for a in result.areas
        ),
    )


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def describe_missing(path: str, evidence: Evidens, catalog: Catalog) -> Missing:
    """'st_lakare[1].iup.senast_reviderad' -> 'ST-läkare Filip Strand: IUP senast reviderad'."""
    match = _INDEXED.match(path)
    if match:
        coll, index, rest = match.group(1), int(match.group(2)), match.group(3)
        items = getattr(evidence, coll, None) or []
        name = getattr(items[index], "namn", None) if index < len(items) else None
        model = collection_model(coll)
        found = resolve(model, rest) if model is not None else None
        singular = catalog.vocabulary["collections"].get(coll, {}).get("singular", coll)
        who = (singular, str(name) if name else f"nr {index + 1}")
        what = label(found) if found else rest
        return Missing(f"{person_label(*who)}: {what}", shown_path(path), what, who)
    if path.startswith("intyganden."):
        return Missing("intygande: svar ja, nej eller ej tillämpligt, med underlag", path, "intygande")
    found = resolve(ROOT, path)
    text = label(found) if found else path
    return Missing(text, path, text)


def _legend(area: AreaResult) -> tuple[Step, ...]:
    steps = []
    for letter, text in area.scale:
        marks = []
        if letter == area.grade:
            marks.append("preliminärt betyg" if area.provisional else "enhetens betyg")
        if area.provisional and letter == area.best_case and area.best_case != area.grade:
            marks.append("bästa fall")
        if area.adjusted_grade and area.adjusted_grade != area.grade and letter == area.adjusted_grade:
            marks.append("efter handlingsplan")
        steps.append(Step(letter, text, tuple(marks)))
    return tuple(steps)


def _summary(result: UnitResult, evidence: Evidens, catalog: Catalog) -> tuple[SummaryList, ...]:
    kinds = catalog.grading.kinds
    free = evidence.sammanfattning
    reqs = [r for a in result.areas for r in a.requirements]

    def make(
        title: str, free_items: list[str], derived_title: str, derived: list[tuple[tuple[str, ...], str]]
    ) -> SummaryList:
        """Free text first; a derived item is dropped when its text repeats something already listed."""
        seen: set[str] = set()
        kept_free = []
        for text in free_items:
            if _norm(text) not in seen:
                seen.add(_norm(text))
                kept_free.append(text)
        kept = []
        for ids, text in derived:
            if _norm(text) not in seen:
                seen.add(_norm(text))
                kept.append((ids, text))
        return SummaryList(title, tuple(kept_free), derived_title, tuple(kept))

    strengths = [((r.id,), r.text) for r in reqs if r.kind == "kvalitetsindikator" and r.outcome == "met"]
    weaknesses = [
        ((r.id,), f"{r.text} ({kinds[r.kind].label}{' – ' + kinds[r.kind].failure if kinds[r.kind].failure else ''})")
        for r in reqs
        if r.outcome == "unmet"
    ]
    remedies: dict[str, list[str]] = {}
    for r in reqs:
        if r.outcome == "unmet":
            remedies.setdefault(catalog.by_id[r.id].remediation, []).append(r.id)
    return (
        make("Styrkor", list(free.styrkor if free else []), "Uppfyllda kvalitetsindikatorer", strengths),
        make("Svagheter", list(free.svagheter if free else []), "Krav som inte är uppfyllda", weaknesses),
        make(
            "Förbättringspotential",
            list(free.forbattringspotential if free else []),
            "Förslag utifrån de krav som inte är uppfyllda",
            [(tuple(ids), text) for text, ids in remedies.items()],
        ),
    )


def _appendix(result: UnitResult, evidence: Evidens, catalog: Catalog) -> Appendix:
    checklist = []
    for a in result.areas:
        for r in a.requirements:
            if r.outcome == "unknown":
                missing = tuple(describe_missing(p, evidence, catalog) for p in r.missing)
                checklist.append(ChecklistItem(r, f"{a.area}. {a.title}", catalog.by_id[r.id].underlag, missing))
    reqs = [r for a in result.areas for r in a.requirements]
    refs: dict[str, list[str]] = {}
    total = unverified = 0
    for r in reqs:
        for ref in catalog.by_id[r.id].references:
            total += 1
            if ref.verified:
                continue
            unverified += 1
            text = ref.source + (f", {ref.section}" if ref.section else "") + (f" – {ref.note}" if ref.note else "")
            ids = refs.setdefault(text, [])
            if r.id not in ids:
                ids.append(r.id)
    ordered = sorted(refs.items(), key=lambda item: item[0])
    return Appendix(
        tuple(checklist),
        tuple(r for r in reqs if r.overridden),
        tuple(r for r in reqs if catalog.by_id[r.id].confidence == "low"),
        tuple((text, tuple(ids)) for text, ids in ordered),
        unverified,
        total,
    )


def build_report(result: UnitResult, evidence: Evidens, catalog: Catalog, plan: Handlingsplan | None) -> Report:
    # The draft plan names its owners; everything else names nobody (engine/pseudonyms.py).
    shown = plan if plan is not None else draft_plan(result, evidence, catalog, date.fromisoformat(result.assessed_on))
    alias = Pseudonyms(evidence, catalog)
    result, evidence, shown = _without_paths(alias.result(result)), alias.evidence(evidence), alias.plan(shown)
    leads = {ar.letter: ar.header.lead for ar in catalog.areas if ar.header}
    views = []
    for a in result.areas:
        groups = tuple(
            (kind, tuple(r for r in a.requirements if r.kind == kind))
            for kind in KINDS
            if any(r.kind == kind for r in a.requirements)
        )
        missing = tuple(
            (r, brief_missing(tuple(describe_missing(p, evidence, catalog) for p in r.missing)) or r.reasons[0])
            for r in a.requirements
            if r.outcome == "unknown"
        )
        note = None
        if plan is None and a.grade == "D":
            note = (
                "En handlingsplan behövs för området; se utkastet under HANDLINGSPLAN."
                if a.best_case == "D"
                else "Betyget D beror på underlag som saknas. Kvarstår D med komplett underlag behövs en handlingsplan."
            )
        views.append(
            AreaView(a, leads.get(a.area), evidence.observationer.get(a.area), groups, _legend(a), missing, note)
        )
    plan_kinds = set(catalog.plan_defaults.levels) if catalog.plan_defaults else set()
    unknown_in_plan_kinds = tuple(
        r.id for a in result.areas for r in a.requirements if r.outcome == "unknown" and r.kind in plan_kinds
    )
    kind = result.assessment_kind
    notice = (
        None
        if kind == "inspektion"
        else f"Rapporten bygger på en {kind} och ersätter inte en SPUR-inspektion av Lipus."
    )
    return Report(
        result=result,
        areas=tuple(views),
        summary=_summary(result, evidence, catalog),
        summary_text=evidence.sammanfattning.text if evidence.sammanfattning else None,
        plan=shown,
        plan_view=plan_view(shown, catalog),
        draft=plan is None,
        plan_given=plan is not None,
        plan_late=plan is not None and plan.inlamnad is not None and plan.inlamnad > plan.sista_inlamningsdag,
        appendix=_appendix(result, evidence, catalog),
        kinds=catalog.grading.kinds,
        words=catalog.vocabulary["outcomes"],
        kind_notice=notice,
        unknown_in_plan_kinds=unknown_in_plan_kinds,
    )


def render_report(result: UnitResult, evidence: Evidens, catalog: Catalog, plan: Handlingsplan | None, fmt: str) -> str:
    """The report as one self-contained HTML page (`fmt="html"`) or as Markdown (`fmt="markdown"`); PDF and Word
    are reports/document.py's.

    `plan` is the unit's handlingsplan; `result` must then already have been through `engine.regrade.apply_plan`.
    Without a plan the report shows the drafted plan, marked as UTKAST.
    """
    if fmt not in FORMATS:
        raise ValueError(f"okänt format {fmt!r}; välj {' eller '.join(FORMATS)}")
    return render_view(build_report(result, evidence, catalog, plan), result, fmt)


def render_view(report: Report, result: UnitResult, fmt: str) -> str:
    name = "report.html.j2" if fmt == "html" else "report.md.j2"
    text = environment(fmt == "html").get_template(name).render(rep=report, result=result)
    return text if fmt == "html" else re.sub(r"\n{3,}", "\n\n", text)
