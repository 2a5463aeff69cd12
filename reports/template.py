"""`spur init`: a Swedish evidence template generated from the rules and the evidence model."""

from __future__ import annotations

import textwrap
import typing
from datetime import date

from pydantic import BaseModel

from engine.catalog import Catalog
from engine.compiler import subchecks_of
from engine.conditions import Attestation, Items, Leaf, Quantifier, leaves
from evidence.model import Dokument, Dokumentpost, Forutsattningar, Handledare, LakareUtanSt, Medarbetare, StLakare
from evidence.placeholders import BY_KIND as PLACEHOLDER
from evidence.placeholders import CHOICE, EXAMPLES, NAME_OR_NO
from evidence.shape import kind_of, unwrap


def _usage(catalog: Catalog) -> dict[tuple[str, str], list[str]]:
    """(entity, field path) -> requirement ids that read it."""
    used: dict[tuple[str, str], list[str]] = {}
    for req in catalog.requirements:
        for sub in subchecks_of(req)[0]:
            entity = sub.collection if isinstance(sub, Quantifier) else "enhet"
            for leaf in leaves(sub):
                if isinstance(leaf, (Leaf, Items)):
                    used.setdefault((entity, leaf.field), []).append(req.id)
        for leaf in leaves(req.applies_when):
            if isinstance(leaf, (Leaf, Items)):
                used.setdefault(("enhet", leaf.field), []).append(req.id)
    return used


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 100 - len(indent))]


def _person(
    model: type[BaseModel], entity: str, used: dict, indent: str, prefix: str = "", depth: int = 0
) -> list[str]:
    lines = []
    pad = "  " * depth
    for n, (name, info) in enumerate((k, v) for k, v in model.model_fields.items() if not v.deprecated):
        annotation, _ = unwrap(info.annotation)
        kind, sub = kind_of(annotation)
        path = prefix + name
        ids = sorted(
            {i for (e, p), v in used.items() if e == entity and (p == path or p.startswith(path + ".")) for i in v}
        )
        note = f"  # {info.title}" + (f" ({', '.join(ids)})" if ids else "")
        lead = pad + ("- " if n == 0 and not prefix else "  ")
        if typing.get_origin(annotation) is typing.Literal:
            lines.append(f"{indent}#{lead}{name}: {CHOICE.join(map(str, typing.get_args(annotation)))}{note}")
            continue
        if kind == "model" and sub is not None:
            lines.append(f"{indent}#{lead}{name}:{note}")
            lines += _person(sub, entity, used, indent, path + ".", depth + 1)
        elif kind == "list" and sub is not None:
            fields = ", ".join(f"{k}: {_placeholder(f)}" for k, f in sub.model_fields.items() if f.is_required())
            lines.append(f"{indent}#{lead}{name}: [{{{fields}}}]{note}")
        else:
            placeholder = NAME_OR_NO if "eller nej" in (info.description or "") else PLACEHOLDER[kind]
            lines.append(f"{indent}#{lead}{name}: {placeholder}{note}")
    return lines


def render_template(catalog: Catalog, today: date | None = None) -> str:
    used = _usage(catalog)
    today = today or date.today()
    out = [
        "# SPUR-evidens – mall skapad av 'spur init'.",
        "# Fyll i det ni vet. Det som lämnas tomt blir 'underlag saknas' och ger preliminära betyg; det blir aldrig",
        "# 'uppfyllt'. Datum skrivs ÅÅÅÅ-MM-DD. Ja/nej skrivs ja eller nej. Ange aldrig personnummer.",
        f"# Regelversion: {catalog.version}",
        "version: 1",
        "enhet:",
        "  namn: " + EXAMPLES["enhet.namn"][0],
        "  vardgivare: " + EXAMPLES["enhet.vardgivare"][0],
        "  specialitet: allmänmedicin",
        "  region: " + EXAMPLES["enhet.region"][0],
        "  # senaste_externa_granskning: ÅÅÅÅ-MM-DD   # senaste SPUR-inspektion eller motsvarande",
        "  # listade: tal   # antal listade patienter",
        "  # ansvarar_for: [BVC, MVC, SÄBO]   # verksamheter som enheten ansvarar för",
        "  # sidotjanstgoring_annanstans: [{verksamhet: text, var: text}]   # t.ex. {verksamhet: BVC, var: VC Björken}",
        "bedomning:",
        f"  datum: {today.isoformat()}   # alla tidsfönster (t.ex. 12 månader) räknas från detta datum",
        "  typ: självvärdering            # självvärdering, förbedömning eller inspektion",
        "  bedomare: []",
        "verksamhetschef:",
        "  namn: " + EXAMPLES["verksamhetschef.namn"][0],
        "# Läkarna vid enheten (rapportens avsnitt Medarbetarstab).",
        "# medarbetare:",
        *_person(Medarbetare, "enhet", used, "", "medarbetare."),
        "# studierektor:",
        "#   namn: " + EXAMPLES["studierektor.namn"][0],
        "#   specialistkompetens: ja/nej" + _ids(used, "enhet", "studierektor.specialistkompetens"),
        "#   specialitet: text" + _ids(used, "enhet", "studierektor.specialitet"),
        "#   handledarutbildning: {genomford: ja/nej, datum: ÅÅÅÅ-MM-DD}"
        + _ids(used, "enhet", "studierektor.handledarutbildning"),
        "",
        "# Handledare: en post per handledare.",
        "handledare:",
        *_person(Handledare, "handledare", used, "  "),
        "",
        "# ST-läkare: en post per ST-läkare (namn eller pseudonym) med det regelverk hen följer.",
        "st_lakare:",
        *_person(StLakare, "st_lakare", used, "  "),
        "",
        "# BT-läkare och legitimerade läkare som väntar på ST (tom lista [] om det inte finns några).",
        "bt_lakare:",
        *_person(LakareUtanSt, "bt_lakare", used, "  "),
        "vantar_pa_st:",
        *_person(LakareUtanSt, "vantar_pa_st", used, "  "),
        "",
        "# Styrdokument: finns: ja/nej, gärna med datum och titel.",
        "dokument:",
    ]
    for name, info in Dokument.model_fields.items():
        ids = sorted({i for (e, p), v in used.items() if p.startswith(f"dokument.{name}.") for i in v})
        out.append(f"  # {info.title}" + (f" ({', '.join(ids)})" if ids else ""))
        extra = "".join(f", {k}: {_placeholder(f)}" for k, f in _own_fields(info))
        out.append(f"  {name}:   # {{finns: ja, datum: ÅÅÅÅ-MM-DD, titel: text{extra}}}")
    out += [
        "",
        "# Enhetens förutsättningar för ST-läkarnas förbättringsarbete och skriftliga individuella arbete.",
        "# forutsattningar:",
        *_person(Forutsattningar, "enhet", used, "", "forutsattningar."),
        "",
        "# Intyganden: bedömarens svar (ja, nej eller ej tillämpligt) med underlag: dokument, intervju, enkät,",
        "# observation. Ett tomt svar betyder att underlag saknas.",
        "intyganden:",
    ]
    for req in catalog.requirements:
        if not any(isinstance(x, Attestation) for x in leaves(req.check)):  # type: ignore[arg-type]
            continue
        out += _comment(f"{req.id}: {req.text}", "  ")
        out += _comment(f"Underlag: {req.underlag}", "  ")
        out += [f"  {req.id}:", "    svar:", "    underlag:", "    kommentar:"]
    out += [
        "",
        "# Inspektörens bedömning av enskilda krav (åsidosätter motorns utfall, som ändå visas):",
        "inspektorsbedomningar: {}",
        "#   E-10: {utfall: ej uppfyllt, motivering: Handledarutbildningen är inte uppdaterad.}",
        "",
        "# Fritext per område (A–H): löptext, styrkor, svagheter, förbättringspotential.",
        "observationer: {}",
    ]
    return "\n".join(out) + "\n"


def _own_fields(info: typing.Any) -> list[tuple[str, typing.Any]]:
    """The fields a document adds to every document's finns, datum and titel (plan_intern_utbildning's
    kopplad_till_delmal)."""
    model = unwrap(info.annotation)[0]
    return [(k, f) for k, f in model.model_fields.items() if k not in Dokumentpost.model_fields]


def _placeholder(info: typing.Any) -> str:
    """What to write: the words of a closed set ('Mini-CEX | DOPS | …'), else the kind's placeholder."""
    annotation = unwrap(info.annotation)[0]
    if typing.get_origin(annotation) is typing.Literal:
        return CHOICE.join(map(str, typing.get_args(annotation)))
    return PLACEHOLDER[kind_of(annotation)[0]]


def _ids(used: dict, entity: str, prefix: str) -> str:
    ids = sorted({i for (e, p), v in used.items() if e == entity and p.startswith(prefix) for i in v})
    return f"   # {', '.join(ids)}" if ids else ""
