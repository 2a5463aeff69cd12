"""`spur db demo`: the example units with a year of history, and one demo user per role.

The bundled examples (evidence/examples/) are imported as they are; each later assessment is the unit's file with
the changes a unit would make (web/store/documents.py), saved by the person who would save it, so a newcomer sees
history, a handlingsplan carried forward and followed up, and the trend in the region at once. Run again, it adds
nothing new (the same texts) and gives the demo users new passwords.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from ruamel.yaml.comments import CommentedSeq

import evidence
from web.store import engine_calls
from web.store.documents import DELETE, edit
from web.store.models import ROLES, CareProvider, Plan, Region, Unit
from web.store.people import add_membership, create_user, set_password
from web.store.versions import save_assessment, save_plan

EXAMPLES = Path(evidence.__file__).resolve().parent / "examples"
LINDEN, EKEN, ASPEN = "Vårdcentralen Linden", "Vårdcentralen Eken", "Hälsocentralen Aspen"
HOME = "Region Exempelland"

# (username, full name, role, where: ("unit" | "care_provider" | "region", name))
USERS = (
    ("inspektor", "Ingrid Åberg", "inspektor", ("care_provider", HOME)),
    ("verksamhetschef", "Karin Lindqvist", "verksamhetschef", ("unit", LINDEN)),
    ("studierektor", "Per Ödman", "studierektor", ("care_provider", HOME)),
    ("regional", "Ulla Rehn", "regional_studierektor", ("region", HOME)),
    ("administrator", "Sara Berg", "administrator", ("region", HOME)),
)


def _flow(*items: str) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _read(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def _dated(*entries: tuple[date, str, str]) -> CommentedSeq:
    return CommentedSeq([{"datum": day, key: value} for day, key, value in entries])


# What Linden kept doing between the pre-grading (2025-03-14) and the follow-up half a year on: competence
# assessments (E-04, E-12) and IUP follow-ups (D-07) go on, so only what the plan fixed changes.
KEPT_UP = [
    (
        ("st_lakare", 0, "kompetensbedomningar"),
        _dated(
            (date(2024, 10, 15), "metod", "Mini-CEX"),
            (date(2025, 1, 20), "metod", "CbD"),
            (date(2025, 6, 12), "metod", "DOPS"),
        ),
    ),
    (
        ("st_lakare", 1, "kompetensbedomningar"),
        _dated((date(2024, 12, 9), "metod", "Mini-CEX"), (date(2025, 6, 12), "metod", "DOPS")),
    ),
    (
        ("st_lakare", 1, "iup", "uppfoljningar"),
        _dated((date(2024, 11, 4), "sammanhang", "handledning"), (date(2025, 5, 20), "sammanhang", "årskontroll")),
    ),
    (
        ("st_lakare", 2, "kompetensbedomningar"),
        _dated((date(2025, 2, 27), "metod", "Mini-CEX"), (date(2025, 8, 20), "metod", "sit-in")),
    ),
    (
        ("st_lakare", 2, "iup", "uppfoljningar"),
        _dated((date(2025, 1, 15), "sammanhang", "årskontroll"), (date(2025, 6, 10), "sammanhang", "handledning")),
    ),
]


def linden_followup() -> str:
    """Six months on: the IUP revised (D-07), supervision scheduled (E-08), the supervisor's update done (B-09);
    Bengt Ek has still not taught (H-06)."""
    return edit(
        _read("vardcentralen_linden.yaml"),
        [
            (("bedomning", "datum"), date(2025, 9, 15)),
            (("bedomning", "typ"), "självvärdering"),
            (("bedomning", "bedomare"), _flow("Verksamhetschef Karin Lindqvist")),
            (("st_lakare", 0, "iup", "senast_reviderad"), date(2025, 4, 10)),
            (("st_lakare", 1, "handledning", "schemalagd"), "ja"),
            (("handledare", 1, "senaste_uppdatering"), date(2025, 5, 12)),
            *KEPT_UP,
        ],
        header=(
            "Fiktiv uppföljning av Vårdcentralen Linden (självvärdering sex månader efter förbedömningen 2025-03-14):\n"
            "IUP:n är reviderad (D-07), handledningen schemalagd (E-08) och handledaren uppdaterad (B-09);\n"
            "en ST-läkare har fortfarande inte undervisat (H-06)."
        ),
    )


def eken_followup() -> str:
    """A year on: one ST-läkare's IUP not revised since 2024 (D-07), a new deficiency."""
    return edit(
        _read("vardcentralen_eken.yaml"),
        [
            (("bedomning", "datum"), date(2026, 3, 16)),
            (("bedomning", "typ"), "självvärdering"),
            (("bedomning", "bedomare"), _flow("Verksamhetschef Karin Lindqvist")),
        ],
        header="Fiktiv självvärdering av Vårdcentralen Eken ett år efter förbedömningen 2025-03-14.",
    )


def aspen_followup() -> str:
    """The inspectors' pre-grading half a year after the self-assessment: video equipment installed (C-02)."""
    return edit(
        _read("vardcentralen_aspen.yaml"),
        [
            (("bedomning", "datum"), date(2026, 1, 20)),
            (("bedomning", "typ"), "förbedömning"),
            (("bedomning", "bedomare"), _flow("Inspektör Ingrid Åberg", "Inspektör Örjan Ström")),
            (("intyganden", "C-02"), {"svar": "ja", "underlag": "Rundvandring: videoutrustning i alla mottagningsrum"}),
            (("observationer",), DELETE),
        ],
        header="Fiktiv förbedömning av Hälsocentralen Aspen efter självvärderingen 2025-06-30.",
    )


def other_region() -> str:
    """A unit in another region, which the demo users of Region Exempelland must not see."""
    return edit(
        _read("vardcentralen_eken.yaml"),
        [
            (("enhet", "namn"), "Vårdcentralen Björken"),
            (("enhet", "vardgivare"), "Region Norrland"),
            (("enhet", "region"), "Region Norrland"),
        ],
        header="Fiktiv enhet i en annan region (samma uppgifter som Vårdcentralen Eken).",
    )


def _users(lines: list[str]) -> dict[str, Any]:
    users: dict[str, Any] = {}
    model = get_user_model()
    lines += ["", "Demoanvändare (lösenorden är nya vid varje körning):"]
    for username, full_name, role, (level, name) in USERS:
        user = model.objects.filter(username=username).first()
        if user is None:
            user, password = create_user(username, None, full_name=full_name)
        else:
            password = set_password(user, None)
        target = {"unit": Unit, "care_provider": CareProvider, "region": Region}[level].objects.get(name=name)
        add_membership(user, role, target, None)
        users[username] = user
        where = {"unit": "enheten", "care_provider": "vårdgivaren", "region": ""}[level]
        lines.append(
            f"  {username:<16} {password:<18} {ROLES[role]} för {f'{where} ' if where else ''}{name} ({full_name})"
        )
    return users


def load_demo(database: str) -> list[str]:
    lines = [f"Demodata i {database}:"]

    def saved(what: str, result: Any) -> None:
        state = "sparad" if result.created else "fanns redan"
        lines.append(f"  {what}: {state} (version {result.version.number})")
        if result.carried is not None:
            lines.append(f"    handlingsplanen fördes vidare: version {result.carried.number}")

    for name in ("vardcentralen_linden.yaml", "vardcentralen_eken.yaml", "vardcentralen_aspen.yaml"):
        saved(f"evidence/examples/{name}", save_assessment(_read(name), None, source=f"demo: {name}", name=name))
    saved(
        "evidence/examples/handlingsplaner/vardcentralen_linden.yaml",
        save_plan(_read("handlingsplaner/vardcentralen_linden.yaml"), None, source="demo: Lindens handlingsplan"),
    )
    saved("Vårdcentralen Björken (Region Norrland)", save_assessment(other_region(), None, source="demo"))
    users = _users(lines)
    lines.append("")
    saved(
        "Linden, självvärdering 2025-09-15 (verksamhetschef)",
        save_assessment(linden_followup(), users["verksamhetschef"], source="demo: uppföljning"),
    )
    plan = Plan.objects.get(assessment__unit__name=LINDEN, assessment__date=date(2025, 3, 14))
    progress = edit(
        plan.current.text,
        [
            (("rader", 2, "status"), "pågående"),
            (("rader", 2, "anteckningar"), "Bengt Ek håller AT-undervisning om astma 2025-10-21."),
        ],
    )
    saved("Lindens handlingsplan, uppföljning (studierektor)", save_plan(progress, users["studierektor"], plan=plan))
    draft = engine_calls.draft_plan(_read("vardcentralen_aspen.yaml"), "aspen", date(2025, 7, 15))
    submitted = edit(draft.text, [(("inlamnad",), date(2025, 8, 1))])
    saved("Aspens handlingsplan (utkast från självvärderingen, inlämnad)", save_plan(submitted, None, source="demo"))
    saved(
        "Aspen, förbedömning 2026-01-20 (inspektör)",
        save_assessment(aspen_followup(), users["inspektor"], source="demo"),
    )
    saved("Eken, självvärdering 2026-03-16", save_assessment(eken_followup(), None, source="demo"))
    lines += [
        "",
        "Prova:",
        '  spur history "Vårdcentralen Linden"',
        "  spur batch --db --format html -o oversikt/",
        "  spur followup --db --today 2025-10-15",
        "  spur region-report --year 2025 -o region-2025.html",
        '  spur history "Vårdcentralen Björken" --anvandare regional    (en annan region: syns inte)',
    ]
    return lines
