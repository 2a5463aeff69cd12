"""pydantic validation errors as Swedish lines, `file:line:col: key.path: what is wrong. How to fix it.`

Shared by the evidence and plan loaders and by the rule catalogue. pydantic is imported only to explain an error:
the titles and keys of the models are read from the models themselves.
"""

from __future__ import annotations

import re
import typing
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ValidationError

from evidence.shape import unwrap
from evidence.yamlsafe import Document, format_loc

# The part of an error's location pydantic adds for each member of a union (`int | float`, `Kind | dict[…]`), which
# names a type, not a key; "[key]" marks an error in a dict key.
_UNION_MEMBER = re.compile(
    r"(literal|dict|list|tuple|set|frozenset|function-\w+|nullable|json-or-python)\[.*\]|str|int|float|bool|date|none"
)


def _model_at(loc: tuple[Any, ...], root: type[BaseModel]) -> tuple[type[BaseModel] | None, bool]:
    """The model that holds the key at the end of `loc` (and whether that key sits in a dict)."""
    from pydantic import BaseModel

    current: object = root
    for part in loc[:-1]:
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None, False
            current = unwrap(info.annotation)[0]
        elif typing.get_origin(current) in (list, dict):
            current = unwrap(typing.get_args(current)[-1])[0]
        else:
            return None, False
    if typing.get_origin(current) is dict:
        return None, True
    return (current, False) if isinstance(current, type) and issubclass(current, BaseModel) else (None, False)


def closest(word: str, options: list[str]) -> list[str]:
    """The option a mistyped key most likely meant, ignoring case ('a-03' → 'A-03'). difflib is imported only when
    there is an error to explain."""
    import difflib

    folded: dict[str, str] = {}
    for option in options:
        folded.setdefault(option.casefold(), option)
    return [folded[m] for m in difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)]


def shown(value: Any) -> str:
    """A value as the user wrote it, roughly: no Python reprs (None, True, '\\xa0') in a Swedish message."""
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return "ett ja/nej-värde (yes/no/true/false/on/off)"
    if isinstance(value, dict):
        return "en mappning (nyckel: värde)"
    if isinstance(value, list):
        return "en lista"
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    hidden = sorted({c for c in text if not c.isprintable() or (c.isspace() and c != " ")})
    note = f" (innehåller det osynliga tecknet {', '.join(f'U+{ord(c):04X}' for c in hidden)})" if hidden else ""
    return f"'{text}'{note}" if isinstance(value, str) else f"{text}{note}"


def message(err: dict[str, Any], loc: tuple[Any, ...], root: type[BaseModel]) -> str:
    """One pydantic error as Swedish: what is wrong with the value at `loc`, and how to fix it."""
    kind = err["type"]
    value = shown(err.get("input"))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return f"obligatoriskt fält saknas. Lägg till '{loc[-1]}:'."
    if kind == "extra_forbidden":
        model, _ = _model_at(loc, root)
        allowed = sorted(model.model_fields) if model else []
        close = closest(str(loc[-1]), allowed)
        hint = f" Menade du '{close[0]}'?" if close else f" Tillåtna nycklar: {', '.join(allowed)}." if allowed else ""
        if " " in str(loc[-1]) and not close:
            hint += " Om texten före innehåller ett kommatecken inom {…}: sätt citattecken runt texten."
        return f"okänd nyckel '{loc[-1]}'.{hint}"
    if kind.startswith("date") and err.get("input") is None:
        return "datum saknas. Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14."
    if kind.startswith("date") or kind.startswith("datetime"):
        why = str(ctx.get("error", ""))
        detail = (
            " (dagen finns inte i månaden)"
            if "day value" in why
            else " (månaden finns inte)"
            if "month value" in why
            else ""
        )
        return f"ogiltigt datum {value}{detail}. Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14."
    empty = err.get("input") is None  # `nyckel:` with nothing after it
    if kind.startswith("bool"):
        return "värde saknas. Skriv ja eller nej." if empty else f"ska vara ja eller nej, inte {value}."
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        head, sep, last = expected.rpartition(" or ")
        allowed = head + " eller " + last if sep else expected
        if isinstance(err.get("input"), bool):
            return f"yes, no, true, false, on och off utan citattecken läses som ja/nej-värden. Skriv {allowed}."
        return f"{'värde saknas' if empty else f'ogiltigt värde {value}'}. Tillåtna värden: {allowed}."
    if kind == "finite_number":
        return f"ska vara ett ändligt tal, inte {value}."
    if kind == "int_from_float":
        return f"ska vara ett heltal, inte {value}."
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return "värde saknas. Ange ett tal." if empty else f"ska vara ett tal, inte {value}."
    if kind in ("string_type",):
        if empty:
            return f"text saknas. Skriv texten efter {'strecket' if isinstance(loc[-1], int) else 'kolonet'}."
        return f"ska vara text, inte {value}."
    if kind == "string_too_short":
        return "får inte vara tomt. Fyll i ett värde eller ta bort nyckeln."
    if kind == "list_type":
        return "ska vara en lista (rader som börjar med '- ')."
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "ska vara en mappning med 'nyckel: värde'."
    if kind == "namn_eller_nej":
        return (
            f"ska vara namnet på en handledare, inte {value}. Skriv namnet som det står under 'handledare:', "
            "eller nej om ingen är utsedd."
        )
    if kind == "value_error":
        return f"{ctx.get('error')}."
    if kind == "less_than_equal":
        return f"ska vara högst {ctx.get('le')}, inte {value}."
    if kind == "greater_than_equal":
        return f"ska vara minst {ctx.get('ge')}, inte {value}."
    return f"ogiltigt värde {value} ({err['msg']})."


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(p for p in loc if p != "[key]" and not (isinstance(p, str) and _UNION_MEMBER.fullmatch(p)))


def _union_choice(errors: list[dict[str, Any]]) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """One error per location. A union gives one error per member; keep the one about the member the value was
    meant as: errors inside the value win over an error about the value as a whole, a wrong value over a wrong type."""
    by_loc: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for err in errors:
        by_loc.setdefault(_clean_loc(tuple(err["loc"])), []).append(err)
    chosen = []
    for loc, errs in by_loc.items():
        if len(errs[0]["loc"]) > len(loc) and any(len(o) > len(loc) and o[: len(loc)] == loc for o in by_loc):
            continue
        chosen.append((loc, min(errs, key=lambda e: e["type"].endswith("_type"))))
    return chosen


def error_lines(doc: Document, exc: ValidationError, root: type[BaseModel], prefix: str = "") -> list[str]:
    """Every error of `exc` as one line, once each, in the order pydantic found them."""
    lines: list[str] = []
    for loc, err in _union_choice(exc.errors()):
        line = f"{doc.where(loc)}: {format_loc(loc)}: {prefix}{message(err, loc, root)}"
        if line not in lines:
            lines.append(line)
    return lines
