"""Seeded generator of valid, varied synthetic evidence files for benchmarks and batch tests.

Each unit draws a profile (how complete, how good its evidence is) so that every grade A–D, provisional grades
and all four outcomes (met, unmet, unknown, not applicable) occur; 1–12 ST-läkare under both regulations;
supervisors, BT-läkare, documents, attestations (ja / nej / ej tillämpligt / no answer), inspector overrides and
free text. Files are shaped like evidence/examples/vardcentralen_linden.yaml (8–10 KB on average) and written
with a small YAML emitter, so generating 10 000 files takes seconds.

    python benchmarks/generate.py UTKATALOG --n 1000 --seed 1
"""

from __future__ import annotations

import argparse
import calendar
import functools
import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evidence.model import Dokument  # noqa: E402 - after the path set-up above
from evidence.terms import AREAS, REGULATIONS  # noqa: E402

PER_DIRECTORY = 100
ST_COUNT_WEIGHTS = (9, 15, 16, 14, 11, 9, 7, 6, 5, 4, 2, 2)  # 1..12 ST-läkare, mean about 4.6
# (presence %, good %): how much of the evidence is given, and how much of what is given is good.
PROFILES = ((60, 60), (85, 80), (97, 92), (100, 97), (100, 100), (95, 99))
DOCUMENT_KEYS = tuple(Dokument.model_fields)  # the document types the evidence model knows
FIRST = (  # noqa: SIM905 - one string reads better than a column of names
    "Anna Björn Cecilia David Eva Fredrik Greta Hanna Ivar Jonas Karin Lars Maria Nils Olga Per Rut Sara "
    "Tove Ulf Vera Amira Bengt Dalia Elias Farah Gustav Hassan Ines Johan Leila Mohammed Nora Omar Pia "
    "Rami Selma Tariq"
).split()
LAST = (  # noqa: SIM905 - one string reads better than a column of names
    "Ek Lind Holm Dahl Åberg Öst Gran Berg Nyström Lund Ali Hassan Kvist Ström Sjöberg Wik Falk Björk "
    "Hedlund Ödman Lindqvist Nordin Sandberg Karlsson Yilmaz Rahimi Novak Jansson Mäkinen Haddad"
).split()
PLACES = (  # noqa: SIM905 - one string reads better than a column of names
    "Linden Eken Aspen Björken Rönnen Granen Tallen Almen Lönnen Hasseln Sälgen Eneby Norrby Söderby "
    "Västerås Österport Kungsbacka Hällefors Vimmerby Bergsjö Åsele Torsby Lycksele Gislaved Mörby "
    "Tullinge Alby Fisksätra"
).split()
REGIONS = ("Region Exempelland", "Region Norrland", "Region Mälardalen", "Region Väst", "Region Syd", "Region Öst")
UNDERLAG = (
    "Intervju med ST-läkarna",
    "Intervju med verksamhetschef och handledare",
    "Tjänstgöringsschema och intervju med ST-läkarna",
    "Rundvandring i lokalerna",
    "Enkät till ST-läkarna och intervjuer",
    "Protokoll från kompetensbedömningar",
    "Studierektorns årsplan och kursplanering",
    "Bedömningsprotokoll och handledningsanteckningar",
)
TITLES = (
    "Antibiotikaförskrivning vid luftvägsinfektioner",
    "Handläggning av yrsel",
    "Depression i primärvården",
    "Läkemedelsgenomgång hos äldre",
    "Hjärtsvikt i öppenvård",
    "Astma hos barn",
)
PROJECTS = (
    "Färre onödiga CRP-prover",
    "Bättre uppföljning av diabetes typ 2",
    "Kortare väntetid till telefonrådgivning",
    "Strukturerad läkemedelsgenomgång",
    "Säkrare remisshantering",
)
STRENGTHS = (
    "Engagerade handledare och en studierektor med tydligt uppdrag.",
    "Väl utbyggd internutbildning kopplad till delmålen.",
    "ST-läkarna deltar aktivt i förbättringsarbete.",
    "Tydliga rutiner för kompetensbedömning.",
)
WEAKNESSES = (
    "IUP revideras inte regelbundet för alla ST-läkare.",
    "Handledningen är inte inplanerad i schemat för alla.",
    "Få ST-läkare har presenterat egna arbeten det senaste året.",
    "Studierektorn saknar avsatt tid för uppdraget.",
)


def attested_ids() -> tuple[list[str], list[str], set[str]]:
    """(requirements answered by attestation, all requirement ids, those whose attestation cannot be 'ej
    tillämpligt') from the rule catalogue."""
    from engine.catalog import load_catalog
    from engine.conditions import attestation_of

    catalog = load_catalog()
    ids = [r.id for r in catalog.requirements]
    found = {r.id: a for r in catalog.requirements if (a := attestation_of(r.check))}
    return list(found), ids, {i for i, a in found.items() if not a.not_applicable}


def months_back(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


class Unit:
    """Draws one unit's evidence as plain data."""

    def __init__(
        self, rng: random.Random, index: int, attested: list[str], all_ids: list[str], no_na: set[str]
    ) -> None:
        self.rng = rng
        self.index = index
        self.attested = attested
        self.no_na = no_na  # attestations that cannot be answered 'ej tillämpligt'
        self.all_ids = all_ids
        self.presence, self.good = rng.choice(PROFILES)
        self.assessed = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365))

    # -- small helpers -------------------------------------------------------------------------------------------
    def chance(self, percent: float) -> bool:
        return self.rng.random() * 100 < percent

    def present(self) -> bool:
        return self.chance(self.presence)

    def ok(self) -> bool:
        return self.chance(self.good)

    def yn(self) -> str:
        return "ja" if self.ok() else "nej"

    def past(self, recent: bool | None = None) -> str:
        """A date on or before the assessment date: recent (within 11 months) when good, else up to 30 months."""
        recent = self.ok() if recent is None else recent
        if recent:
            d = self.assessed - timedelta(days=self.rng.randrange(0, 330))
        elif self.chance(30):  # the edges of the 12-month windows
            d = months_back(self.assessed, self.rng.choice((11, 12, 13))) + timedelta(days=self.rng.randrange(-3, 4))
        else:
            d = self.assessed - timedelta(days=self.rng.randrange(370, 915))
        return min(d, self.assessed).isoformat()

    def names(self, count: int, taken: set[str]) -> list[str]:
        out = []
        while len(out) < count:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in taken:
                taken.add(name)
                out.append(name)
        return out

    def maybe(self, out: dict[str, Any], key: str, value: Any) -> None:
        if self.present():
            out[key] = value

    # -- sections ------------------------------------------------------------------------------------------------
    def supervisor_training(self) -> dict[str, Any]:
        out: dict[str, Any] = {"genomford": self.yn()}
        self.maybe(out, "datum", self.past())
        self.maybe(out, "regelverk", self.rng.choice(REGULATIONS))
        return out

    def supervisor(self, name: str, main: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"namn": name, "huvudhandledare": "ja" if main else "nej"}
        self.maybe(out, "legitimerad_lakare", self.yn())
        self.maybe(out, "specialistkompetens", self.yn())
        self.maybe(
            out, "specialitet", "allmänmedicin" if self.ok() else self.rng.choice(("internmedicin", "geriatrik"))
        )
        self.maybe(out, "handledarutbildning", self.supervisor_training())
        self.maybe(out, "senaste_uppdatering", self.past())
        self.maybe(out, "tjanstgor_vid_enheten", self.yn())
        return out

    def occasions(self) -> list[dict[str, Any]]:
        count = self.rng.choice((1, 1, 2)) if self.ok() else self.rng.choice((0, 0, 1))
        return [
            {"datum": self.past(), "titel": self.rng.choice(TITLES), "sammanhang": "Internutbildning"}
            for _ in range(count)
        ]

    def indicator(self) -> dict[str, Any]:
        start = self.rng.randrange(20, 200)
        out: dict[str, Any] = {
            "namn": "Andel patienter med "
            + self.rng.choice(("CRP vid förkylning", "uppföljt HbA1c", "läkemedelslista")),
            "riktning": self.rng.choice(("minska", "öka")),
            "startvarde": start,
            "startdatum": self.past(False),
            "malvarde": max(1, start + self.rng.randrange(-60, 60)),
        }
        if self.chance(60):
            out["resultat"] = max(0, start + self.rng.randrange(-80, 80))
        if self.chance(40):
            out["maldatum"] = (self.assessed + timedelta(days=self.rng.randrange(0, 600))).isoformat()
        return out

    def trainee(self, name: str, supervisors: list[str] | None) -> dict[str, Any]:
        out: dict[str, Any] = {"namn": name, "regelverk": self.rng.choice(REGULATIONS)}
        if self.present():
            if self.ok() and supervisors:
                out["huvudhandledare"] = self.rng.choice(supervisors)
            elif supervisors is None and self.ok():
                out["huvudhandledare"] = "Extern Handledare"
            else:
                out["huvudhandledare"] = "nej"
        self.maybe(out, "introduktion", self.yn())
        if self.present():
            iup: dict[str, Any] = {"finns": self.yn()}
            self.maybe(iup, "upprattad", self.past(False))
            self.maybe(iup, "senast_reviderad", self.past())
            if "upprattad" in iup and "senast_reviderad" in iup:  # an IUP is not revised before it is drawn up
                iup["upprattad"] = min(iup["upprattad"], iup["senast_reviderad"])
            if self.present():
                iup["innehall"] = {
                    key: self.yn()
                    for key in (
                        "utgar_fran_malbeskrivningen",
                        "interna_utbildningsaktiviteter",
                        "externa_utbildningsaktiviteter",
                        "tid_for_sjalvstudier",
                    )
                    if self.present()
                }
            out["iup"] = iup
        if self.present():
            handledning: dict[str, Any] = {}
            self.maybe(handledning, "schemalagd", self.yn())
            self.maybe(handledning, "minuter_per_vecka", self.rng.choice((45, 60, 90)) if self.ok() else 0)
            out["handledning"] = handledning
        self.maybe(out, "senaste_utvecklingssamtal", self.past())
        self.maybe(out, "senaste_kompetensbedomning", self.past())
        self.maybe(out, "sidotjanstgoring_foljs_upp", self.yn())
        self.maybe(out, "presentationer", self.occasions())
        self.maybe(out, "undervisning", self.occasions())
        if self.present():
            statuses = ("pågående", "genomfört") if self.ok() else ("planerat", "pågående")
            out["forbattringsarbete"] = [
                {
                    "titel": self.rng.choice(PROJECTS),
                    "status": self.rng.choice(statuses),
                    "indikatorer": [self.indicator() for _ in range(self.rng.randrange(0, 3))],
                }
                for _ in range(self.rng.randrange(0 if self.good < 95 else 1, 3))
            ]
        if self.present():
            work: dict[str, Any] = {"status": self.rng.choice(("ej påbörjat", "planerat", "pågående", "genomfört"))}
            self.maybe(work, "titel", "Uppföljning av hypertoni i glesbygd")
            self.maybe(work, "avsatt_tid", self.yn())
            out["vetenskapligt_arbete"] = work
        return out

    def others(self, supervisors: list[str] | None, taken: set[str]) -> list[dict[str, Any]]:
        out = []
        for name in self.names(self.rng.choice((0, 0, 1, 1, 2, 3)), taken):
            person: dict[str, Any] = {"namn": name}
            self.maybe(person, "individuellt_utbildningsprogram", self.yn())
            if self.present():
                person["handledare"] = self.rng.choice(supervisors) if supervisors and self.ok() else "nej"
            out.append(person)
        return out

    def data(self) -> dict[str, Any]:
        rng = self.rng
        place = f"{rng.choice(PLACES)} {self.index + 1}"
        region = rng.choice(REGIONS)
        enhet: dict[str, Any] = {
            "namn": f"{rng.choice(('Vårdcentralen', 'Hälsocentralen', 'Husläkarmottagningen'))} {place}",
            "vardgivare": region,
            "specialitet": "allmänmedicin",
            "region": region,
        }
        if self.chance(85):
            years = rng.choice((1, 2, 3, 4, 4, 5, 6, 7))
            review = self.assessed - timedelta(days=365 * years + rng.randrange(-120, 120))
            enhet["senaste_externa_granskning"] = min(review, self.assessed).isoformat()
        data: dict[str, Any] = {
            "version": 1,
            "enhet": enhet,
            "bedomning": {
                "datum": self.assessed.isoformat(),
                "typ": rng.choice(("självvärdering", "förbedömning", "inspektion")),
                "bedomare": [f"Inspektör {n}" for n in self.names(rng.choice((1, 2, 2)), set())],
            },
        }
        taken: set[str] = set()
        self.maybe(data, "verksamhetschef", {"namn": self.names(1, taken)[0]})
        if self.present():
            sr: dict[str, Any] = {"namn": self.names(1, taken)[0]}
            self.maybe(sr, "specialistkompetens", self.yn())
            self.maybe(sr, "specialitet", "allmänmedicin" if self.ok() else "internmedicin")
            self.maybe(sr, "handledarutbildning", self.supervisor_training())
            data["studierektor"] = sr
        n_st = rng.choices(range(1, 13), weights=ST_COUNT_WEIGHTS)[0]
        supervisors: list[str] | None = None
        mains: list[str] | None = None  # the huvudhandledare among them
        if self.present():
            count = max(1, min(6, n_st // 2 + rng.randrange(0, 3)))
            supervisors = self.names(count, taken)
            mains = supervisors[: max(1, count - 1)]
            data["handledare"] = [self.supervisor(name, name in mains) for name in supervisors]
        data["st_lakare"] = [self.trainee(name, mains) for name in self.names(n_st, taken)]
        if self.present():
            data["bt_lakare"] = self.others(supervisors, taken)
        if self.present():
            data["vantar_pa_st"] = self.others(supervisors, taken)
        if self.present():
            dokument = {}
            for key in DOCUMENT_KEYS:
                if self.present():
                    post: dict[str, Any] = {"finns": self.yn()}
                    self.maybe(post, "datum", self.past(False))
                    dokument[key] = post
            data["dokument"] = dokument
        intyganden: dict[str, Any] = {}
        for req_id in self.attested:
            if not self.present():
                continue
            if self.ok():
                answer: dict[str, Any] = {"svar": "ja"}
            else:
                choice = rng.choice(("nej", "nej", "ej tillämpligt", None))
                if choice == "ej tillämpligt" and req_id in self.no_na:
                    choice = "nej"
                answer = {} if choice is None else {"svar": choice}
            self.maybe(answer, "underlag", rng.choice(UNDERLAG))
            if self.chance(8):
                answer["kommentar"] = "Följs upp vid nästa bedömning."
            intyganden[req_id] = answer
        data["intyganden"] = intyganden
        if self.chance(12):
            data["inspektorsbedomningar"] = {
                req_id: {
                    "utfall": rng.choice(("uppfyllt", "ej uppfyllt", "ej tillämpligt")),
                    "motivering": "Inspektörernas samlade bedömning efter intervjuer på plats.",
                }
                for req_id in rng.sample(self.all_ids, rng.randrange(1, 4))
            }
        data["sammanfattning"] = {
            "styrkor": rng.sample(STRENGTHS, 2),
            "svagheter": rng.sample(WEAKNESSES, rng.randrange(0, 3)),
        }
        data["observationer"] = {
            area: {"text": "Enheten har tydliga styrdokument; uppföljningen kan bli mer regelbunden."}
            for area in rng.sample(AREAS, rng.randrange(0, 4))
        }
        return data


# --- a small YAML emitter: block mappings, flow style for small all-scalar mappings and scalar lists ---------------

_PLAIN = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü][A-Za-z0-9ÅÄÖåäöÉéÜü .\-()/]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RESERVED = {"ja", "nej", "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


@functools.lru_cache(maxsize=8192, typed=True)  # typed: True and 1 are different scalars
def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text in ("ja", "nej") or _DATE.fullmatch(text):
        return text
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not text.endswith((" ", ":")):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str | None:
    """Flow style for a small mapping or list of scalars; None when block style fits better."""
    if isinstance(value, dict) and value and all(not isinstance(v, (dict, list)) for v in value.values()):
        text = "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        text = "[" + ", ".join(scalar(v) for v in value) + "]"
    elif isinstance(value, dict) and not value:
        text = "{}"
    else:
        return None
    return text if len(text) <= 110 else None


def emit(data: dict[str, Any], indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        if not isinstance(value, (dict, list)):
            lines.append(f"{pad}{key}: {scalar(value)}")
            continue
        flow = _flow(value) if indent > 0 or isinstance(value, list) or not value else None
        if flow is not None:
            lines.append(f"{pad}{key}: {flow}")
        elif isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(emit(value, indent + 2))
        else:
            lines.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    item_flow = _flow(item)
                    if item_flow is not None:
                        lines.append(f"{pad}  - {item_flow}")
                    else:
                        inner = emit(item, indent + 4)
                        lines.append(f"{pad}  - {inner[0].lstrip()}")
                        lines.extend(inner[1:])
                else:
                    lines.append(f"{pad}  - {scalar(item)}")
    return lines


def unit_text(rng: random.Random, index: int, attested: list[str], all_ids: list[str], no_na: set[str]) -> str:
    data = Unit(rng, index, attested, all_ids, no_na).data()
    head = f"# Syntetisk enhet {index + 1} (benchmarks/generate.py). Fiktiva namn.\n"
    return head + "\n".join(emit(data)) + "\n"


def relative_path(index: int) -> Path:
    """region-NNN/enhet-NNNNNN.yaml: PER_DIRECTORY files per directory, so the first k×100 files are k directories."""
    return Path(f"region-{index // PER_DIRECTORY:03d}") / f"enhet-{index:06d}.yaml"


def generate(out_dir: Path, n: int, seed: int = 1) -> list[Path]:
    """Write `n` evidence files under `out_dir` (deterministic for a seed); return their paths in order."""
    attested, all_ids, no_na = attested_ids()
    rng = random.Random(seed)
    paths = []
    for index in range(n):
        path = out_dir / relative_path(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(unit_text(rng, index, attested, all_ids, no_na), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, args.n, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} filer i {args.out_dir} ({size / max(1, len(paths)) / 1024:.1f} KB i snitt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
