"""Saving documents: every change is a new version, in one transaction with its audit event and the summaries.

`save_assessment` and `save_plan` are the only ways a version is written (by import, the demo, a follow-up and,
later, the web forms, which turn a structured edit into YAML text first). Each takes `expected`, the version the
editor started from: a save based on an older version is refused with who changed it, when, and the difference
(optimistic versioning; the conditional update of the version number makes it hold between processes too).
Saving a later assessment of a unit carries the unit's open handlingsplan forward, as `spur plan -o` does for one
assessment: rows whose requirement is now met are marked, new deficiencies become new rows.
"""

from __future__ import annotations

from typing import Any

import msgspec
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from evidence.errors import InputError, SpurError
from web.store import audit, engine_calls
from web.store.models import Assessment, AssessmentVersion, CareProvider, Plan, PlanVersion, Region, Unit
from web.store.permissions import CHANGE, Place, allowed_on, require

# Which assessment of a day a handlingsplan answers, when a unit has more than one that day.
PLAN_TARGET_ORDER = ("inspektion", "förbedömning", "självvärdering")


class VersionConflict(SpurError):
    """A save based on a version that is no longer the current one; nothing was saved."""

    exit_code = 6

    def __init__(self, what: str, expected: int, current: Any, text: str) -> None:
        self.expected, self.current = expected, current
        self.diff = audit.text_diff(current.text, text, f"version {current.number}", "din text")
        when = timezone.localtime(current.created_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            f"{what} har ändrats sedan du hämtade version {expected}: version {current.number} sparades av "
            f"{current.author} {when}. Dina ändringar sparades inte; jämför med den nya versionen och spara igen."
        )


class Saved(msgspec.Struct):
    obj: Any  # the Assessment or Plan
    version: Any  # the version saved, or the existing one with the same text
    created: bool  # False: the same text was already a version, nothing new was written
    replaced: Any = None  # the version that was current before
    carried: Any = None  # a plan version written by carrying the unit's plan forward


# ---------------------------------------------------------------------------------------------------------------
# Assessments


def save_assessment(
    text: str,
    user: Any,
    *,
    assessment: Assessment | None = None,
    expected: int | None = None,
    source: str = "",
    name: str = "bedömning",
    graded: engine_calls.Graded | None = None,
    known: Known | None = None,
) -> Saved:
    """Save an evidence text as a new version of its assessment (found, or created, by the unit, date and kind it
    names; or `assessment`, whose unit it must name). Invalid text: InputError with the CLI's Swedish lines.
    `known`: an import's look-ups for a group of files, read in the transaction this save is part of."""
    graded = graded or engine_calls.grade_text(text, name)  # before the transaction: grading holds no lock
    sha = engine_calls.sha256(text)
    if known is not None and not known.knows(graded):
        known = None
    try:
        saved = _save_assessment(text, user, assessment, expected, source, name, graded, sha, known)
    except BaseException:
        if known is not None:
            known.forget(graded)  # what it holds of this unit may have changed in the savepoint rolled back
        raise
    if known is not None and saved.created:
        known.saved(saved.obj, graded)
    return saved


def _save_assessment(
    text: str,
    user: Any,
    assessment: Assessment | None,
    expected: int | None,
    source: str,
    name: str,
    graded: engine_calls.Graded,
    sha: str,
    known: Known | None,
) -> Saved:
    with transaction.atomic():
        unit = _unit_for(graded, user, assessment, known)
        if assessment is None:
            assessment = _assessment_for(unit, graded, user, known)
        else:
            assessment = (
                Assessment.objects.select_related("unit__care_provider__region", "current")
                .defer("current__data")  # the evidence as JSON: not needed to write the next version
                .get(pk=assessment.pk)
            )
            _check_same_unit(assessment, graded, name)
        require(user, CHANGE, assessment)
        if (graded.assessed_on, graded.kind) != (assessment.date, assessment.kind):
            assessment.date, assessment.kind = graded.assessed_on, graded.kind
            require(user, CHANGE, assessment)
        fresh = assessment.version == 0  # just created: no versions, no plan
        same = None if fresh else _unchanged(assessment, sha, expected)
        if same is not None:
            return Saved(assessment, same, False)
        previous = assessment.current
        number = (
            1
            if fresh and expected in (None, 0)
            else _next_version(Assessment, assessment, expected, "Bedömningen", text)
        )
        own_plan = None if fresh or (known and not known.has_plan(unit)) else _plan_record(assessment)
        version = AssessmentVersion.objects.create(
            assessment=assessment,
            number=number,
            text=text,
            sha256=sha,
            data=graded.data,
            result=graded.result,
            rules_version=graded.rules_version,
            created_by=user,
            author=audit.actor_name(user),
            source=source[:500],
        )
        assessment.current = version
        assessment.version = number
        assessment.external_review = graded.external_review
        assessment.rules_version = graded.rules_version
        _set_summary(assessment, graded.letters, own_plan, lambda: graded.objects(text, name)[1])
        assessment.save()
        _refresh_unit(unit, graded, known)
        audit.record(
            user,
            "new_version" if previous else "created",
            assessment,
            version=number,
            summary=_grade_change(previous, assessment),
            # a new assessment's text is its first version; the trail holds the difference of every later one
            diff=audit.text_diff(previous.text, text, _label(previous), f"version {number}") if previous else "",
        )
        no_plan = unit.created_now or (known is not None and not known.has_plan(unit))
        carried = None if no_plan else carry_forward(unit, user, graded=(assessment, graded))
    return Saved(assessment, version, True, previous, carried)


class Known:
    """An import's look-ups for a group of files, read in a few queries inside the group's transaction (so nothing
    else writes them meanwhile on SQLite; on PostgreSQL a concurrent creation still meets the unique constraints),
    and kept up to date as the group's files are saved: each file's save then looks nothing up."""

    def __init__(self, graded: list[engine_calls.Graded]) -> None:
        self.regions = {r.name: r for r in Region.objects.filter(name__in={g.region for g in graded})}
        self.care_providers = {
            (c.region.name, c.name): c
            for c in CareProvider.objects.filter(
                name__in={g.care_provider for g in graded}, region__in=list(self.regions.values())
            ).select_related("region")
        }
        self.units: dict[tuple[str, str, str], Unit] = {}
        self.unknown: set[tuple[str, str, str]] = set()
        for u in Unit.objects.filter(
            name__in={g.unit for g in graded}, care_provider__in=list(self.care_providers.values())
        ).select_related("care_provider__region"):
            self.units[(u.care_provider.region.name, u.care_provider.name, u.name)] = u
        ids = [u.pk for u in self.units.values()]
        self.assessments: dict[tuple[int, Any, str], Assessment] = {}
        self.latest: dict[int, Any] = {}  # unit id -> date of its latest assessment (not archived)
        for a in Assessment.objects.filter(unit_id__in=ids):
            self._add(a)
        self.plans = set(  # units with a current plan (not archived) to carry forward
            Plan.objects.filter(assessment__unit_id__in=ids, archived=False, current__isnull=False).values_list(
                "assessment__unit_id", flat=True
            )
        )

    def _add(self, a: Assessment) -> None:
        self.assessments[(a.unit_id, a.date, a.kind)] = a
        if not a.archived and (a.unit_id not in self.latest or a.date > self.latest[a.unit_id]):
            self.latest[a.unit_id] = a.date

    @staticmethod
    def key(graded: engine_calls.Graded) -> tuple[str, str, str]:
        return (graded.region, graded.care_provider, graded.unit)

    def unit(self, graded: engine_calls.Graded) -> Unit | None:
        return self.units.get(self.key(graded))

    def assessment(self, unit: Unit, graded: engine_calls.Graded) -> Assessment | None:
        return self.assessments.get((unit.pk, graded.assessed_on, graded.kind))

    def has_later(self, unit: Unit, day: Any) -> bool:
        return unit.pk in self.latest and self.latest[unit.pk] > day

    def has_plan(self, unit: Unit) -> bool:
        return unit.pk in self.plans

    def saved(self, assessment: Assessment, graded: engine_calls.Graded) -> None:
        unit = assessment.unit
        self.units[self.key(graded)] = unit
        self.care_providers[(graded.region, graded.care_provider)] = unit.care_provider
        self.regions[graded.region] = unit.care_provider.region
        # Not the version just written: kept here until the group ends it would hold the file's text, data and result
        # (as encoded for the database); should the group save this assessment again, it is read back from the store.
        Assessment._meta.get_field("current").delete_cached_value(assessment)
        self._add(assessment)

    def forget(self, graded: engine_calls.Graded) -> None:
        """From now on the file's unit is looked up as without `Known`."""
        self.unknown.add(self.key(graded))

    def knows(self, graded: engine_calls.Graded) -> bool:
        return self.key(graded) not in self.unknown


def _unit_for(
    graded: engine_calls.Graded, user: Any, assessment: Assessment | None, known: Known | None = None
) -> Unit:
    if assessment is not None:
        assessment.unit.created_now = False
        return assessment.unit
    unit = known.unit(graded) if known else None
    if unit is None and known is None:
        unit = (
            Unit.objects.select_related("care_provider")
            .filter(
                name=graded.unit, care_provider__name=graded.care_provider, care_provider__region__name=graded.region
            )
            .first()
        )
    if unit is not None:  # the common case: one query, or none in an import
        unit.created_now = False
        return unit
    # a new unit, perhaps of a new care provider or region; get_or_create, should another process add it meanwhile
    region = known.regions.get(graded.region) if known else Region.objects.filter(name=graded.region).first()
    if region is None:
        require_create(user, Place(None, None, None), f"regionen {graded.region}")
        region, _ = Region.objects.get_or_create(name=graded.region)
    care_provider = (
        known.care_providers.get((graded.region, graded.care_provider))
        if known
        else CareProvider.objects.filter(region=region, name=graded.care_provider).first()
    )
    if care_provider is None:
        require_create(user, Place(None, None, region.pk), f"vårdgivaren {graded.care_provider}")
        care_provider, _ = CareProvider.objects.get_or_create(region=region, name=graded.care_provider)
    care_provider.region = region
    require_create(user, Place(None, care_provider.pk, region.pk), f"enheten {graded.unit}")
    unit, created = _create_once(
        Unit,
        known is not None,
        care_provider=care_provider,
        name=graded.unit,
        defaults={"specialty": graded.specialty, "last_external_review": graded.recorded_review},
    )
    if created:
        audit.record(user, "created", unit)
    unit.created_now = created  # this transaction made it: it has no assessments or plans yet
    return unit


def require_create(user: Any, place: Place, what: str) -> None:
    from web.store.permissions import NotAllowed

    if not allowed_on(user, CHANGE, "enhet", place):
        raise NotAllowed(f"{user.get_username()} får inte lägga till {what} (det gör en administratör).")


def _create_once(model: type, absent: bool, defaults: dict[str, Any], **keys: Any) -> tuple[Any, bool]:
    """get_or_create; `absent`: the caller has just seen no such row, so the insert is tried first."""
    if not absent:
        return model.objects.get_or_create(defaults=defaults, **keys)
    try:
        with transaction.atomic():  # another process may create the same row at the same moment
            return model.objects.create(**keys, **defaults), True
    except IntegrityError:
        return model.objects.get(**keys), False


def _assessment_for(unit: Unit, graded: engine_calls.Graded, user: Any, known: Known | None = None) -> Assessment:
    if unit.created_now:
        return Assessment.objects.create(unit=unit, date=graded.assessed_on, kind=graded.kind)
    if known is not None:
        found = known.assessment(unit, graded)
    else:
        found = Assessment.objects.filter(unit=unit, date=graded.assessed_on, kind=graded.kind).first()
    if found is not None:
        found.unit = unit
        return found
    require(user, CHANGE, Assessment(unit=unit, kind=graded.kind, date=graded.assessed_on))
    assessment, _ = _create_once(Assessment, True, {}, unit=unit, date=graded.assessed_on, kind=graded.kind)
    assessment.unit = unit
    return assessment


def _check_same_unit(assessment: Assessment, graded: engine_calls.Graded, name: str) -> None:
    unit, g = assessment.unit, graded
    if (g.unit, g.care_provider, g.region) != (unit.name, unit.care_provider.name, unit.care_provider.region.name):
        raise InputError(
            f"{name}: evidensen gäller enheten '{g.unit}' ({g.care_provider}, {g.region}), inte '{unit.name}' "
            f"({unit.care_provider.name}, {unit.care_provider.region.name}). En enhet byter inte namn i en ny "
            "version; lägg till den som en ny enhet."
        )


def _next_version(model: type, obj: Any, expected: int | None, what: str, text: str) -> int:
    """Take the next version number, or refuse when `expected` is not (or no longer) the current one."""
    rows = model.objects.filter(pk=obj.pk)
    if expected is None:  # an import: the file's text becomes the next version, whatever is current
        rows.update(version=F("version") + 1)  # the row stays locked until the transaction ends
        obj.refresh_from_db(fields=["version"])
        return obj.version
    if not rows.filter(version=expected).update(version=F("version") + 1):
        obj.refresh_from_db(fields=["version", "current"])
        raise VersionConflict(what, expected, obj.current, text)
    return expected + 1


def _label(previous: Any) -> str:
    return f"version {previous.number}" if previous else "(ny)"


def _grade_change(previous: Any, assessment: Assessment) -> str:
    """'betyg AAADCAAD' for a new assessment; which areas' grades a new version changed."""
    letters = [letter for letter, _ in engine_calls.area_titles()]
    if previous is None:
        return f"betyg {assessment.engine_grades}"
    before = engine_calls.engine_grades(previous.result)
    changed = [f"{a} {b}→{n}" for a, b, n in zip(letters, before, assessment.engine_grades, strict=False) if b != n]
    return "betyg ändrade: " + ", ".join(changed) if changed else "betygen oförändrade"


def _set_summary(assessment: Assessment, letters: dict[str, str], plan: Any, result: Any) -> None:
    """The assessment's grade letters, after its own plan where it has one (`result()` gives the UnitResult)."""
    if plan is not None:
        letters = engine_calls.grade_letters(engine_calls.regrade(result(), plan))
    for key, value in letters.items():
        setattr(assessment, key, value)


def _plan_record(assessment: Assessment) -> Any:
    """The assessment's own handlingsplan (validated) if it has one."""
    plan = Plan.objects.filter(assessment=assessment, archived=False).select_related("current").first()
    return engine_calls.plan_from_json(plan.current.data) if plan and plan.current else None


def _refresh_unit(unit: Unit, graded: engine_calls.Graded, known: Known | None = None) -> None:
    """The unit's specialty and recorded external review follow its latest assessment."""
    if unit.created_now:
        return
    if known is not None:
        if known.has_later(unit, graded.assessed_on):
            return
    elif Assessment.objects.filter(unit=unit, archived=False, date__gt=graded.assessed_on).exists():
        return
    if (unit.specialty, unit.last_external_review) != (graded.specialty, graded.recorded_review):
        unit.specialty, unit.last_external_review = graded.specialty, graded.recorded_review
        unit.save(update_fields=["specialty", "last_external_review"])


# ---------------------------------------------------------------------------------------------------------------
# Handlingsplaner


def _unchanged(obj: Assessment | Plan, sha: str, expected: int | None) -> Any:
    """The version that saving this text would repeat. An edit (`expected` given) repeats only the current version:
    a text changed back to an earlier version's is a new version. An import repeats any version: the same file
    imported twice creates nothing."""
    if expected is None:
        return obj.versions.filter(sha256=sha).first()
    current = obj.current
    return current if current is not None and current.sha256 == sha else None


def save_plan(
    text: str,
    user: Any,
    *,
    plan: Plan | None = None,
    expected: int | None = None,
    source: str = "",
    name: str = "handlingsplan",
    based_on: Assessment | None = None,
    carry: bool = True,
) -> Saved:
    """Save a handlingsplan text as a new version of the plan of the assessment it answers (its `enhet` and
    `bedomningsdatum`), or of `plan`, whose assessment it must answer."""
    parsed = engine_calls.plan_from_text(text, name)
    sha = engine_calls.sha256(text)
    with transaction.atomic():
        if plan is None:
            assessment = find_plan_assessment(parsed, user, name)
            plan = Plan.objects.filter(assessment=assessment).first() or Plan(assessment=assessment)
        else:
            plan = Plan.objects.select_related("assessment__unit__care_provider").get(pk=plan.pk)
            assessment = plan.assessment
        wrong = engine_calls.plan_mismatch(parsed, assessment.unit.name, assessment.date)
        if wrong:
            raise InputError(f"{name}: {wrong}. Kontrollera att planen hör till bedömningen.")
        plan.assessment = assessment
        require(user, CHANGE, plan)
        if plan.pk is None:
            plan.save()
        else:
            same = _unchanged(plan, sha, expected)
            if same is not None:
                return Saved(plan, same, False)
        previous = plan.current
        number = _next_version(Plan, plan, expected, "Handlingsplanen", text)
        data = engine_calls.plan_json(parsed)
        version = PlanVersion.objects.create(
            plan=plan,
            number=number,
            text=text,
            sha256=sha,
            data=data,
            based_on=based_on,
            created_by=user,
            author=audit.actor_name(user),
            source=source[:500],
        )
        plan.current, plan.version = version, number
        plan.submitted, plan.deadline = parsed.inlamnad, parsed.sista_inlamningsdag
        result = _result_of(assessment)
        plan.verdicts = engine_calls.verdicts(engine_calls.regrade(result, parsed))
        plan.save()
        _set_summary(assessment, {}, parsed, lambda: result)
        assessment.save()
        audit.record(
            user,
            "new_version" if previous else "created",
            plan,
            version=number,
            summary=audit.row_changes(previous.data if previous else None, data),
            diff=audit.text_diff(previous.text if previous else "", text, _label(previous), f"version {number}"),
        )
        carried = carry_forward(assessment.unit, user) if carry else None
    return Saved(plan, version, True, previous, carried)


def _result_of(assessment: Assessment) -> Any:
    """The assessment's current version graded again (the store keeps the result's JSON, not the engine's objects);
    the same text gives the same result under the same rules."""
    return engine_calls.grade_text(assessment.current.text, f"bedömningen {assessment.date.isoformat()}").unit_result


def find_plan_assessment(parsed: Any, user: Any, name: str) -> Assessment:
    """The assessment a plan answers: its unit (by name) assessed on its `bedomningsdatum`."""
    from web.store.permissions import visible_units

    candidates = list(
        Assessment.objects.filter(
            unit__in=visible_units(user), unit__name=parsed.enhet, date=parsed.bedomningsdatum, archived=False
        ).select_related("unit__care_provider__region")
    )
    units = {a.unit_id for a in candidates}
    if not candidates:
        raise InputError(
            f"{name}: ingen bedömning av '{parsed.enhet}' daterad {parsed.bedomningsdatum.isoformat()} finns i "
            "databasen. Importera evidensfilen först (spur db import)."
        )
    if len(units) > 1:
        where = ", ".join(
            sorted(a.unit.care_provider.where for a in candidates)
        )
        raise InputError(f"{name}: flera enheter heter '{parsed.enhet}': {where}. Spara planen från enhetens sida.")
    return min(candidates, key=lambda a: PLAN_TARGET_ORDER.index(a.kind))


# ---------------------------------------------------------------------------------------------------------------
# Carrying the plan forward


def carry_forward(unit: Unit, user: Any, graded: tuple[Assessment, engine_calls.Graded] | None = None) -> Any:
    """Merge the unit's latest handlingsplan with the unit's latest later assessment that has no plan of its own
    (a follow-up); link every such follow-up to the plan. Returns the plan version written, if any."""
    plan = (
        Plan.objects.filter(assessment__unit=unit, archived=False, current__isnull=False)
        .select_related("assessment", "current__based_on")
        .order_by("-assessment__date", "-assessment__pk")
        .first()
    )
    if plan is None:
        return None
    since = plan.current.based_on.date if plan.current.based_on else plan.assessment.date
    later = list(
        Assessment.objects.filter(unit=unit, archived=False, date__gt=plan.assessment.date, plan__isnull=True)
        .exclude(current__isnull=True)
        .select_related("current")
        .order_by("date", "pk")
    )
    for a in later:
        if a.follows_plan_id != plan.pk:
            a.follows_plan = plan
            a.save(update_fields=["follows_plan"])
    if not later or later[-1].date < since:
        return None
    latest = later[-1]
    name = f"bedömningen {latest.date.isoformat()}"
    follow = graded[1] if graded and graded[0].pk == latest.pk else engine_calls.grade_text(latest.current.text, name)
    evidence, result = follow.objects(latest.current.text, name)
    parsed = engine_calls.plan_from_json(plan.current.data)
    change = engine_calls.merge_plan(plan.current.text, parsed, evidence, result, max(latest.date, parsed.plandatum))
    if change.text == engine_calls.normalise(plan.current.text):
        return None
    saved = save_plan(
        change.text,
        user,
        plan=plan,
        expected=plan.version,
        source=f"uppföljning: bedömningen {latest.date.isoformat()} ({latest.kind})",
        based_on=latest,
        carry=False,
    )
    return saved.version if saved.created else None
