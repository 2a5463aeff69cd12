"""Hypothesis strategies for valid evidence files (shared by test_differential.py and test_properties.py).

`evidence_dicts()` draws a plain, JSON-like evidence mapping (dates as ISO text, yes/no as bools or as the
Swedish words the loader accepts) that passes `evidence.loader.validate`; `to_evidens()` validates it.
Dates that must not lie after the assessment date (the loader rejects those) cover the 30 months before it, the
edges of the 12-month windows and month-end dates such as 2024-02-29 and 2025-03-31; indicator target dates reach
30 months ahead. Each unit draws a Profile (how complete, how good) so that all grades A-D occur.
"""

from __future__ import annotations

import calendar
import functools
import random
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from engine.catalog import load_catalog
from engine.conditions import attestation_of
from evidence.loader import validate
from evidence.model import Dokument, Evidens
from evidence.yamlsafe import Document

CATALOG = load_catalog()
ALL_IDS = [r.id for r in CATALOG.requirements]


ATTESTATIONS = {r.id: a for r in CATALOG.requirements if (a := attestation_of(r.check))}
ATTESTED_IDS = list(ATTESTATIONS)

# Assessment dates with month-end edges: leap day, 31st of a month whose predecessor is shorter, year end.
ASSESSMENT_DATES = [
    date(2025, 3, 14),
    date(2024, 2, 29),
    date(2025, 3, 31),
    date(2025, 2, 28),
    date(2024, 3, 31),
    date(2024, 12, 31),
    date(2025, 1, 31),
    date(2024, 8, 31),
    date(2025, 5, 31),
    date(2026, 2, 28),
]
EDGE_DATES = [date(2024, 2, 29), date(2025, 3, 31), date(2023, 2, 28), date(2024, 3, 31), date(2025, 2, 28)]
DOCUMENT_KEYS = tuple(Dokument.model_fields)  # the document types the evidence model knows
PERSON_NAMES = [
    "Anna Ek",
    "Björn Lind",
    "Cecilia Holm",
    "David Dahl",
    "Eva Åberg",
    "Fredrik Öst",
    "Greta Gran",
    "Hanna Berg",
    "Ivar Is",
    "Jonas Järv",
    "Karin Kvist",
    "Lars Lo",
]
REGELVERK = ["SOSFS 2015:8", "HSLF-FS 2021:8"]
SPECIALITIES = ["allmänmedicin", "Allmänmedicin", "internmedicin", "geriatrik"]


def months_back(day: date, months: int) -> date:
    """`day` minus `months` calendar months, the day clamped to the end of the month."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


@st.composite
def past_dates(draw: st.DrawFn, assessed: date, p: Profile | None = None) -> str:
    """A date on or before `assessed`, at most ~30 months earlier, biased to window edges and month ends.

    With a profile, "good" dates are recent (inside the 12-month windows).
    """
    if p is not None and _chance(draw, p.good // 2):
        return (assessed - timedelta(days=draw(st.integers(0, 330)))).isoformat()
    how = draw(st.sampled_from(["window_edge", "window_edge", "window_edge", "month_day", "edge", "offset", "same"]))
    if how == "window_edge":
        n = draw(st.sampled_from([12, 12, 12, 11, 13, 1, 24]))
        d = months_back(assessed, n) + timedelta(days=draw(st.integers(-3, 3)))
    elif how == "month_day":
        base = months_back(assessed, draw(st.integers(0, 30)))
        last = calendar.monthrange(base.year, base.month)[1]
        d = base.replace(day=min(draw(st.sampled_from([1, 15, 28, 29, 30, 31])), last))
    elif how == "edge":
        d = draw(st.sampled_from(EDGE_DATES))
    elif how == "offset":
        d = assessed - timedelta(days=draw(st.integers(0, 915)))
    else:
        d = assessed
    d = min(d, assessed)
    d = max(d, months_back(assessed, 30))
    return d.isoformat()


class Profile:
    """How complete (`presence`) and how good (`good`) one drawn unit's evidence is, in percent.

    Uniform 50/50 choices make almost every area D; the profiles also reach A, B and C grades.
    """

    def __init__(self, presence: int, good: int) -> None:
        self.presence, self.good = presence, good

    def __repr__(self) -> str:
        return f"Profile({self.presence}, {self.good})"


PROFILES = [Profile(50, 50), Profile(85, 85), Profile(100, 95), Profile(100, 100), Profile(95, 97)]


def _chance(draw: st.DrawFn, percent: int) -> bool:
    return draw(st.integers(0, 99)) < percent


_YES = (True, "ja", "Ja")
_NO = (False, "nej", "NEJ")


@functools.cache
def yn(p: Profile) -> st.SearchStrategy[Any]:
    """A yes/no value in one of the spellings the loader accepts; yes with probability `p.good`."""
    return st.tuples(st.integers(0, 99), st.integers(0, 2)).map(lambda t: (_YES if t[0] < p.good else _NO)[t[1]])


def ja_nej(draw: st.DrawFn, p: Profile) -> Any:
    return draw(yn(p))


def _maybe(draw: st.DrawFn, p: Profile, out: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    """Set `key` with probability `p.presence`, else leave it out (missing field = unknown)."""
    if _chance(draw, p.presence):
        out[key] = draw(strategy)


@st.composite
def handledarutbildning(draw: st.DrawFn, assessed: date, p: Profile) -> dict[str, Any]:
    out: dict[str, Any] = {"genomford": ja_nej(draw, p)}
    _maybe(draw, p, out, "datum", past_dates(assessed, p))
    _maybe(draw, p, out, "regelverk", st.sampled_from(REGELVERK))
    return out


@functools.cache
def specialitet(p: Profile, unit: str) -> st.SearchStrategy[str]:
    """The unit's specialty (in any letter case) with probability `p.good`, else any specialty."""
    same = (unit.strip(), unit.strip().upper(), unit.strip().capitalize())
    return st.tuples(st.integers(0, 99), st.integers(0, 2), st.sampled_from(SPECIALITIES)).map(
        lambda t: same[t[1]] if t[0] < p.good else t[2]
    )


@st.composite
def handledare(draw: st.DrawFn, name: str, assessed: date, p: Profile, unit: str) -> dict[str, Any]:
    out: dict[str, Any] = {"namn": name}
    _maybe(draw, p, out, "huvudhandledare", st.sampled_from([True, False, "ja", "nej"]))
    _maybe(draw, p, out, "legitimerad_lakare", yn(p))
    _maybe(draw, p, out, "specialistkompetens", yn(p))
    _maybe(draw, p, out, "specialitet", specialitet(p, unit))
    _maybe(draw, p, out, "handledarutbildning", handledarutbildning(assessed, p))
    _maybe(draw, p, out, "senaste_uppdatering", past_dates(assessed, p))
    _maybe(draw, p, out, "tjanstgor_vid_enheten", yn(p))
    return out


@st.composite
def tillfallen(draw: st.DrawFn, assessed: date, p: Profile) -> list[dict[str, Any]]:
    items = []
    for _ in range(draw(st.integers(0, 3))):
        item: dict[str, Any] = {"datum": draw(past_dates(assessed, p))}
        _maybe(draw, p, item, "titel", st.sampled_from(["Fallpresentation", "Vårdprogram", "Läkemedel"]))
        items.append(item)
    return items


@st.composite
def dated(draw: st.DrawFn, assessed: date, p: Profile, key: str | None = None, values: tuple[str, ...] = ()) -> list:
    """0-4 dated entries (IUP follow-ups, assessments); with `key`, each names one of `values`."""
    items = []
    for _ in range(draw(st.integers(0, 4))):
        item: dict[str, Any] = {"datum": draw(past_dates(assessed, p))}
        if key:
            item[key] = draw(st.sampled_from(values))
        items.append(item)
    return items


NUMBERS = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000)


@st.composite
def indikator(draw: st.DrawFn, assessed: date) -> dict[str, Any]:
    """A quality indicator; its target date (maldatum) is not capped by the assessment date: up to 30 months ahead."""
    start, target = draw(NUMBERS), draw(NUMBERS)
    # the direction agrees with start and target (a contradiction is an input error, test_bad_input.py)
    direction = "minska" if target < start else "öka" if target > start else draw(st.sampled_from(["minska", "öka"]))
    out: dict[str, Any] = {"namn": "Andel patienter", "riktning": direction, "startvarde": start, "malvarde": target}
    if draw(st.booleans()):
        out["startdatum"] = draw(past_dates(assessed))
    if draw(st.booleans()):
        out["maldatum"] = (assessed + timedelta(days=draw(st.integers(0, 915)))).isoformat()
    if draw(st.booleans()):
        out["resultat"] = draw(NUMBERS)
    return out


def supervisor_ref(
    draw: st.DrawFn, p: Profile, supervisors: list[str] | None, names: st.SearchStrategy[str]
) -> st.SearchStrategy[Any]:
    """A supervisor's name (one in the handledare list when that list is given) or nej (nobody appointed)."""
    if _chance(draw, p.good):
        if supervisors is None:
            return names
        if supervisors:
            return st.sampled_from(supervisors)
    return st.sampled_from([False, "nej", "Nej"])


@st.composite
def st_lakare(
    draw: st.DrawFn, name: str, assessed: date, supervisors: list[str] | None, names: st.SearchStrategy[str], p: Profile
) -> dict[str, Any]:
    out: dict[str, Any] = {"namn": name, "regelverk": draw(st.sampled_from(REGELVERK))}
    started = st.integers(0, 6 * 366).map(lambda days: (assessed - timedelta(days=days)).isoformat())
    _maybe(draw, p, out, "st_paborjad", started)  # up to six years back: both sides of quality_work_due_months
    _maybe(draw, p, out, "huvudhandledare", supervisor_ref(draw, p, supervisors, names))
    _maybe(draw, p, out, "introduktion", yn(p))
    if _chance(draw, p.presence):
        iup: dict[str, Any] = {"finns": ja_nej(draw, p)}
        _maybe(draw, p, iup, "upprattad", past_dates(assessed, p))
        _maybe(draw, p, iup, "senast_reviderad", past_dates(assessed, p))
        _maybe(draw, p, iup, "uppfoljningar", dated(assessed, p))
        if "upprattad" in iup and "senast_reviderad" in iup:  # an IUP is not revised before it is drawn up
            iup["upprattad"] = min(iup["upprattad"], iup["senast_reviderad"])
        if _chance(draw, p.presence):
            innehall: dict[str, Any] = {}
            for key in (
                "utgar_fran_malbeskrivningen",
                "interna_utbildningsaktiviteter",
                "externa_utbildningsaktiviteter",
                "tid_for_sjalvstudier",
            ):
                _maybe(draw, p, innehall, key, yn(p))
            iup["innehall"] = innehall
        out["iup"] = iup
    if _chance(draw, p.presence):
        handledning: dict[str, Any] = {}
        _maybe(draw, p, handledning, "schemalagd", yn(p))
        minutes = [30, 60, 240] if _chance(draw, p.good) else [0, 1, 30]
        _maybe(draw, p, handledning, "minuter_per_vecka", st.sampled_from(minutes))
        out["handledning"] = handledning
    _maybe(draw, p, out, "senaste_utvecklingssamtal", past_dates(assessed, p))
    _maybe(draw, p, out, "senaste_kompetensbedomning", past_dates(assessed, p))  # superseded, still valid
    _maybe(draw, p, out, "kompetensbedomningar", dated(assessed, p, "metod", ("Mini-CEX", "CbD", "dops", "sit-in")))
    _maybe(draw, p, out, "sidotjanstgoring_foljs_upp", yn(p))
    _maybe(draw, p, out, "presentationer", tillfallen(assessed, p))
    _maybe(draw, p, out, "undervisning", tillfallen(assessed, p))
    if _chance(draw, p.presence):
        statuses = ["pågående", "genomfört"] if _chance(draw, p.good) else ["planerat", "pågående", "genomfört"]
        out["forbattringsarbete"] = [
            {
                "titel": f"Arbete {i}",
                "status": draw(st.sampled_from(statuses)),
                "indikatorer": draw(st.lists(indikator(assessed), max_size=2)),
            }
            for i in range(draw(st.integers(0 if p.good < 100 else 1, 3)))
        ]
    if _chance(draw, p.presence):
        arbete: dict[str, Any] = {"status": draw(st.sampled_from(["ej påbörjat", "planerat", "pågående", "genomfört"]))}
        _maybe(draw, p, arbete, "avsatt_tid", yn(p))
        out["vetenskapligt_arbete"] = arbete
    return out


@st.composite
def lakare_utan_st(
    draw: st.DrawFn, name: str, supervisors: list[str] | None, names: st.SearchStrategy[str], p: Profile
) -> dict[str, Any]:
    out: dict[str, Any] = {"namn": name}
    _maybe(draw, p, out, "individuellt_utbildningsprogram", yn(p))
    _maybe(draw, p, out, "handledare", supervisor_ref(draw, p, supervisors, names))
    return out


def _people(draw: st.DrawFn, names: st.SearchStrategy[str], max_size: int, p: Profile) -> list[str] | None:
    """None (the collection is not given) or a list of unique names."""
    if not _chance(draw, p.presence):
        return None
    return draw(st.lists(names, max_size=max_size, unique_by=lambda s: s.strip()))


@st.composite
def evidence_dicts(
    draw: st.DrawFn, names: st.SearchStrategy[str] | None = None, overrides: bool = True
) -> dict[str, Any]:
    """A valid evidence mapping: 0-6 ST-läkare, 0-4 handledare, 0-3 BT-läkare and waiting doctors, any field
    present or missing, random documents, attestations (ja / nej / ej tillämpligt / no answer) and overrides."""
    names = names if names is not None else st.sampled_from(PERSON_NAMES)
    p = draw(st.sampled_from(PROFILES))
    assessed = draw(st.sampled_from(ASSESSMENT_DATES))
    unit = draw(st.sampled_from(["allmänmedicin", "Allmänmedicin ", "internmedicin"]))
    data: dict[str, Any] = {
        "enhet": {"namn": "Testenheten", "vardgivare": "Region Test", "specialitet": unit, "region": "Region Test"},
        "bedomning": {
            "datum": assessed.isoformat(),
            "typ": draw(st.sampled_from(["självvärdering", "inspektion", "förbedömning"])),
            "bedomare": draw(
                st.lists(st.sampled_from(["Inspektör Ett", "Inspektör Två", "Inspektör Tre"]), max_size=3, unique=True)
            ),
        },
    }
    if _chance(draw, p.presence):
        data["verksamhetschef"] = {"namn": "Vera Chef"}
    if _chance(draw, p.presence):
        sr: dict[str, Any] = {"namn": "Stina Studierektor"}
        _maybe(draw, p, sr, "specialistkompetens", yn(p))
        _maybe(draw, p, sr, "specialitet", specialitet(p, unit))
        _maybe(draw, p, sr, "handledarutbildning", handledarutbildning(assessed, p))
        data["studierektor"] = sr

    supervisors = _people(draw, names, 4, p)
    if supervisors is not None:
        data["handledare"] = [draw(handledare(n, assessed, p, unit)) for n in supervisors]
    doctors = _people(draw, names, 6, p)
    if doctors is not None:
        data["st_lakare"] = [draw(st_lakare(n, assessed, supervisors, names, p)) for n in doctors]
        for supervisor in data.get("handledare", []):  # whoever is someone's huvudhandledare is flagged as one
            if any(d.get("huvudhandledare") == supervisor["namn"] for d in data["st_lakare"]):
                supervisor["huvudhandledare"] = True
    for key in ("bt_lakare", "vantar_pa_st"):
        others = _people(draw, names, 3, p)
        if others is not None:
            data[key] = [draw(lakare_utan_st(n, supervisors, names, p)) for n in others]

    if _chance(draw, p.presence):
        dokument: dict[str, Any] = {}
        for key in DOCUMENT_KEYS:
            if _chance(draw, p.presence):
                post: dict[str, Any] = {"finns": ja_nej(draw, p)}
                _maybe(draw, p, post, "datum", past_dates(assessed, p))
                if key == "plan_intern_utbildning":
                    _maybe(draw, p, post, "kopplad_till_delmal", yn(p))
                dokument[key] = post
        data["dokument"] = dokument

    if _chance(draw, p.presence):
        staff: dict[str, Any] = {}
        for key in ("specialister", "specialister_tjanstgoringsgrad", "at_lakare", "vikarierande_lakare"):
            _maybe(draw, p, staff, key, st.integers(0, 800))
        _maybe(draw, p, staff, "lakarmoten_per_manad", st.integers(0, 8))
        _maybe(draw, p, staff, "basgrupp", yn(p))
        data["medarbetare"] = staff
        _maybe(draw, p, data["enhet"], "listade", st.integers(0, 40000))
        _maybe(draw, p, data["enhet"], "ansvarar_for", st.lists(st.sampled_from(["BVC", "MVC", "SÄBO"]), unique=True))
        sides = st.lists(
            st.fixed_dictionaries({"verksamhet": st.just("BVC"), "var": st.just("VC Björken")}), max_size=1
        )
        _maybe(draw, p, data["enhet"], "sidotjanstgoring_annanstans", sides)
    if _chance(draw, p.presence):
        forbattring: dict[str, Any] = {}
        for key in (
            "st_deltar_i_enhetens_arbete",
            "forbattringskunskap",
            "verksamhetschef_delaktig",
            "redovisas_muntligt_och_skriftligt",
            "bedoms_och_intygas_av_handledare",
        ):
            _maybe(draw, p, forbattring, key, yn(p))
        _maybe(draw, p, forbattring, "avsatt_tid_veckor", st.sampled_from([0, 1, 3.5, 4, 6]))
        vetenskap: dict[str, Any] = {}
        _maybe(draw, p, vetenskap, "avsatt_tid", yn(p))
        _maybe(draw, p, vetenskap, "vetenskaplig_handledning", yn(p))
        data["forutsattningar"] = {"forbattringsarbete": forbattring, "vetenskapligt_arbete": vetenskap}
    intyganden: dict[str, Any] = {}
    for req_id in ATTESTED_IDS:
        if not _chance(draw, p.presence):
            continue
        answers = ["nej", "ej tillämpligt", None] if ATTESTATIONS[req_id].not_applicable else ["nej", None]
        svar = "ja" if _chance(draw, p.good) else draw(st.sampled_from(answers))
        intyg: dict[str, Any] = {} if svar is None else {"svar": svar}
        _maybe(draw, p, intyg, "underlag", st.sampled_from(["Intervju", "Dokument", "Enkät"]))
        intyganden[req_id] = intyg
    if intyganden or draw(st.booleans()):
        data["intyganden"] = intyganden

    if overrides and _chance(draw, 25):
        data["inspektorsbedomningar"] = {
            req_id: {
                "utfall": draw(st.sampled_from(["uppfyllt", "ej uppfyllt", "ej tillämpligt"])),
                "motivering": "Inspektörens motivering",
            }
            for req_id in draw(st.lists(st.sampled_from(ALL_IDS), unique=True, min_size=1, max_size=3))
        }
    return data


def to_evidens(data: dict[str, Any], name: str = "gen.yaml") -> Evidens:
    return validate(Document(name, data, None), CATALOG.known)


def evidences(**kwargs: Any) -> st.SearchStrategy[Evidens]:
    return evidence_dicts(**kwargs).map(to_evidens)


def shuffled(data: Any, rng: random.Random) -> Any:
    """A copy of `data` with every list shuffled (recursively) and the keys of every mapping reordered."""
    if isinstance(data, list):
        items = [shuffled(x, rng) for x in data]
        rng.shuffle(items)
        return items
    if isinstance(data, dict):
        keys = list(data)
        rng.shuffle(keys)
        return {k: shuffled(data[k], rng) for k in keys}
    return data
