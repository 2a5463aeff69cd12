"""Load and validate an evidence file: safe YAML → the compiled evidence schema → checks against the rules, errors
in Swedish."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic_core import ValidationError

from evidence.errors import InputError
from evidence.known import KnownRequirements
from evidence.messages import closest, did_you_mean, error_lines
from evidence.records import Record
from evidence.shape import shape, validator
from evidence.terms import COLLECTIONS
from evidence.yamlsafe import Document, Source, format_loc, read

if TYPE_CHECKING:
    from pydantic import BaseModel

    from evidence.model import Evidens

MAX_ERRORS = 20
M = TypeVar("M", bound="BaseModel")
# The field of each person list that names a handledare (a name from `handledare`, or nej).
SUPERVISOR_FIELDS = {"st_lakare": "huvudhandledare", "bt_lakare": "handledare", "vantar_pa_st": "handledare"}


def validate_data(doc: Document, what: str, run: Callable[[Any], M], explain: Callable[[], type[BaseModel]]) -> M:
    """`run` on parsed YAML that must be a mapping (`what` says what it should start with); every validation error
    becomes one `file:line:col: key.path: …` line, explained from the model `explain()` returns."""
    if not isinstance(doc.data, dict):
        raise InputError(f"{doc.where(())}: {what}")
    try:
        return run(doc.data)
    except ValidationError as exc:
        raise InputError(error_lines(doc, exc, explain(), limit=MAX_ERRORS)) from None


def validate_model(doc: Document, model: type[M], what: str) -> M:
    """Validate parsed YAML against a pydantic model."""
    return validate_data(doc, what, model.model_validate, lambda: model)


def _evidence_model() -> type[Evidens]:
    from evidence.model import Evidens  # pydantic is imported only to explain an error

    return Evidens


PLAN_HINT = "Ange planen med --plan eller visa den med 'spur show-plan'."


def is_plan_data(data: object) -> bool:
    """Parsed YAML that is a handlingsplan (it has rader, not bedomning)."""
    return isinstance(data, dict) and "rader" in data and "bedomning" not in data


def is_evidence_data(data: object) -> bool:
    """Parsed YAML that is an evidence file (it has bedomning, not rader)."""
    return isinstance(data, dict) and "bedomning" in data and "rader" not in data


def validate(doc: Document, known: KnownRequirements, *, people: bool = True, plan_hint: str = PLAN_HINT) -> Evidens:
    """The evidence in `doc`, or an InputError with every problem. `people=False` keeps persons' names out of the
    messages (batch outputs are aggregate); `plan_hint` says what to do when `doc` is a handlingsplan."""
    if is_plan_data(doc.data):
        raise InputError(f"{doc.where(())}: det här är en handlingsplan, inte en evidensfil. {plan_hint}")
    evidence = validate_data(  # into records, with the compiled schema (evidence/shape.py)
        doc,
        "filen ska börja med nycklar som 'enhet:' och 'bedomning:', inte en lista eller text.",
        validator().validate_python,
        _evidence_model,
    )
    lines = first_lines(_cross_checks(evidence, doc, known, people))
    if lines:
        raise InputError(lines)
    return evidence


def first_lines(lines: Iterable[str]) -> list[str]:
    """The first MAX_ERRORS lines of a lazy sequence: the rest are never built, however many problems a file has."""
    return list(islice(lines, MAX_ERRORS))


def _cross_checks(ev: Evidens, doc: Document, known: KnownRequirements, people: bool) -> Iterator[str]:
    for section in ("intyganden", "inspektorsbedomningar"):
        for key in getattr(ev, section):
            loc = (section, key)
            if key not in known.ids:
                close = closest(key, list(known.ids))
                hint = did_you_mean(close, " Se 'spur rules list'.")
                yield f"{doc.where(loc)}: {format_loc(loc)}: okänt krav-id '{key}'.{hint}"
            elif section == "intyganden" and key not in known.attested:
                yield (
                    f"{doc.where(loc)}: {format_loc(loc)}: {key} bedöms från strukturerade uppgifter, inte intyganden. "
                    f"Ange uppgifterna (se 'spur rules show {key}') eller använd inspektorsbedomningar."
                )
            elif section == "intyganden" and not known.attested[key] and ev.intyganden[key].svar == "ej tillämpligt":
                loc = (*loc, "svar")
                yield (
                    f"{doc.where(loc)}: {format_loc(loc)}: 'ej tillämpligt' kan inte anges för {key}: om kravet gäller "
                    f"framgår av de andra uppgifterna (se 'spur rules show {key}'). Svara ja eller nej, eller lämna "
                    "svaret tomt."
                )
    assessed = ev.bedomning.datum
    for loc, value in _past_dates(ev, ()):
        if value > assessed:
            yield (
                f"{doc.where(loc)}: {format_loc(loc)}: datumet {value.isoformat()} ligger efter bedömningsdatumet "
                f"{assessed.isoformat()}. Rätta datumet eller bedömningsdatumet."
            )
    for i, person in enumerate(ev.st_lakare or []):
        iup = person.iup
        if iup and iup.upprattad and iup.senast_reviderad and iup.senast_reviderad < iup.upprattad:
            loc = ("st_lakare", i, "iup", "senast_reviderad")
            yield (
                f"{doc.where(loc)}: {format_loc(loc)}: IUP:n kan inte ha reviderats "
                f"({iup.senast_reviderad.isoformat()}) innan den upprättades ({iup.upprattad.isoformat()}). "
                "Rätta något av datumen."
            )
        for j, work in enumerate(person.forbattringsarbete or []):
            for k, ind in enumerate(work.indikatorer):
                if ind.startdatum and ind.resultatdatum and ind.resultatdatum < ind.startdatum:
                    loc = ("st_lakare", i, "forbattringsarbete", j, "indikatorer", k, "resultatdatum")
                    yield (
                        f"{doc.where(loc)}: {format_loc(loc)}: resultatet ({ind.resultatdatum.isoformat()}) kan inte "
                        f"vara mätt före startvärdet ({ind.startdatum.isoformat()}). Rätta något av datumen."
                    )
    for collection in sorted(COLLECTIONS, key=lambda c: c != "handledare"):  # the supervisors first
        first: dict[str, int] = {}
        for i, person in enumerate(getattr(ev, collection) or []):
            if person.namn in first:
                loc = (collection, i, "namn")
                yield (
                    f"{doc.where(loc)}: {format_loc(loc)}: samma namn som {format_loc((collection, first[person.namn]))}. "
                    "Varje person ska ha ett unikt namn eller pseudonym."
                )
            first.setdefault(person.namn, i)
    if ev.handledare is not None:
        supervisors = {}
        for j, h in enumerate(ev.handledare):
            supervisors.setdefault(h.namn, (j, h.huvudhandledare))
        for collection, key in SUPERVISOR_FIELDS.items():
            for i, person in enumerate(getattr(ev, collection) or []):
                ref = getattr(person, key)
                if not isinstance(ref, str):
                    continue
                loc = (collection, i, key)
                if ref not in supervisors:
                    if people:
                        close = closest(ref, sorted(supervisors))
                        hint = did_you_mean(close, " Lägg till handledaren under 'handledare:'.")
                        yield (
                            f"{doc.where(loc)}: {format_loc(loc)}: '{ref}' finns inte bland handledarna.{hint}"
                        )
                    else:
                        yield (
                            f"{doc.where(loc)}: {format_loc(loc)}: namnet finns inte bland handledarna. Rätta namnet "
                            "eller lägg till handledaren under 'handledare:'."
                        )
                elif key == "huvudhandledare" and not supervisors[ref][1]:
                    yield (
                        f"{doc.where(loc)}: {format_loc(loc)}: handledaren ({format_loc(('handledare', supervisors[ref][0]))}) har inte "
                        "'huvudhandledare: ja', så B-01 och B-02 skulle inte granska henne eller honom. Sätt "
                        "'huvudhandledare: ja' hos handledaren eller ange en annan huvudhandledare."
                    )


def _past_dates(obj: Record, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], date]]:
    """The dates in `obj` that cannot lie after the assessment date, with their locations; the walk skips the
    fields that cannot hold one (text, yes/no, attestations …)."""
    out: list[tuple[tuple[Any, ...], date]] = []
    for name, field in shape().models[type(obj).__name__].items():
        if not field.reaches_past:
            continue
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, date):
            if field.past:
                out.append(((*loc, name), value))
        elif isinstance(value, Record):
            out.extend(_past_dates(value, (*loc, name)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Record):
                    out.extend(_past_dates(item, (*loc, name, i)))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, Record):
                    out.extend(_past_dates(item, (*loc, name, key)))
    return out


def load_evidence(source: Source, known: KnownRequirements, plan_hint: str = PLAN_HINT) -> Evidens:
    """The evidence in a file or in text already read, or an InputError with every problem."""
    return validate(read(source), known, plan_hint=plan_hint)
