"""pydantic validation errors as Swedish lines, `file:line:col: key.path: what is wrong. How to fix it.`

Shared by the evidence and plan loaders and by the rule catalogue. pydantic is imported only to explain an error:
the titles and keys of the models are read from the models themselves.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ValidationError

from evidence.placeholders import is_placeholder
from evidence.shape import unwrap
from evidence.yamlsafe import Document, format_loc

# The part of an error's location pydantic adds for each member of a union (`int | float`, `Kind | dict[…]`), which
# names a type, not a key; "[key]" marks an error in a dict key.
_UNION_MEMBER = re.compile(
    r"(literal|dict|list|tuple|set|frozenset|function-\w+|nullable|json-or-python)\[.*\]|str|int|float|bool|date|none"
)


MISSING_COLON = "saknas kolon efter"  # said at the text that lacks it, not at the key above


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
    there is an error to explain. A word more than 7/3 times as long as every option cannot reach the 0.6 cutoff
    (the ratio is at most 2·shorter/(sum of lengths)), and is not compared: difflib indexes the word first, which
    for a value of two million characters took a second."""
    import difflib

    folded: dict[str, str] = {}
    for option in options:
        folded.setdefault(option.casefold(), option)
    if not folded or 3 * len(word) > 7 * max(map(len, folded)):
        return []
    return [folded[m] for m in difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)]


def did_you_mean(close: Sequence[str], otherwise: str = "", quote: str = "'") -> str:
    """The hint ` Menade du 'A-03'?` for the options in `close` (from `closest`), or `otherwise` when there is none."""
    return f" Menade du {', '.join(f'{quote}{c}{quote}' for c in close)}?" if close else otherwise


def shown(value: Any) -> str:
    """A value as the user wrote it, roughly: no Python reprs (None, True, '\\xa0') in a Swedish message."""
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return "true" if value else "false"
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
    if is_placeholder(err.get("input")):
        return f"{value} står kvar från mallen (spur init). {_fill_in(kind, ctx)}"
    if kind == "missing":
        return f"obligatoriskt fält saknas. Lägg till '{loc[-1]}:'."
    if kind == "extra_forbidden":
        model, _ = _model_at(loc, root)
        allowed = sorted(model.model_fields) if model else []
        close = closest(str(loc[-1]), allowed)
        hint = did_you_mean(close, f" Tillåtna nycklar: {', '.join(allowed)}." if allowed else "")
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
    if kind.startswith("bool") or kind == "ja_nej":
        return "värde saknas. Skriv ja eller nej." if empty else f"ska vara ja eller nej, inte {value}."
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        head, sep, last = expected.rpartition(" or ")
        allowed = head + " eller " + last if sep else expected
        if isinstance(err.get("input"), bool):
            return f"true och false utan citattecken läses som ja/nej-värden. Skriv {allowed}."
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
        model, _ = _model_at((*loc, ""), root)
        text = err.get("input")
        if model is not None and isinstance(text, str) and text.split() and text.split()[0] in model.model_fields:
            word, _, rest = text.partition(" ")  # `namn Karin Lindqvist` on the line under `verksamhetschef:`
            return f"{MISSING_COLON} '{word}'? Skriv '{word}: {rest.strip()}'."
        return "ska vara en mappning med 'nyckel: värde'."
    if kind == "namn_eller_nej":
        return (
            f"ska vara namnet på en handledare, inte {value}. Skriv namnet som det står under 'handledare:', "
            "eller nej om ingen är utsedd."
        )
    if kind in ("value_error", "assertion_error"):
        return f"{ctx.get('error')}."
    if kind == "less_than_equal":
        return f"ska vara högst {ctx.get('le')}, inte {value}."
    if kind == "greater_than_equal":
        return f"ska vara minst {ctx.get('ge')}, inte {value}."
    if kind == "less_than":
        return f"ska vara mindre än {ctx.get('lt')}, inte {value}."
    if kind == "greater_than":
        return f"ska vara större än {ctx.get('gt')}, inte {value}."
    if kind == "int_parsing_size":
        return f"talet {value} är för stort."
    if kind in ("too_long", "string_too_long"):
        return f"är för långt (högst {ctx.get('max_length')})."
    if kind == "too_short":
        return f"är för kort (minst {ctx.get('min_length')})."
    # pydantic-core's own words are English: whatever else it may say about a value, say it in Swedish
    return f"ogiltigt värde {value}. Se 'spur init' för vad som ska stå här."


def _fill_in(kind: str, ctx: dict[str, Any]) -> str:
    """What to write instead of a template placeholder, for a value of this kind."""
    if kind.startswith("bool") or kind == "ja_nej":
        return "Skriv ja eller nej."
    if kind.startswith("date"):
        return "Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14."
    if kind.startswith(("int", "float", "decimal")):
        return "Ange ett tal."
    if kind == "literal_error":
        head, sep, last = str(ctx.get("expected", "")).rpartition(" or ")
        return f"Skriv ett av: {head + ' eller ' + last if sep else last}."
    if kind == "namn_eller_nej":
        return "Skriv namnet på en handledare som det står under 'handledare:', eller nej."
    return "Fyll i den riktiga uppgiften eller ta bort raden."


_SCALAR_MEMBERS = frozenset(("str", "int", "float", "bool", "date", "none", "[key]"))


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        p
        for p in loc
        if not (isinstance(p, str) and (p in _SCALAR_MEMBERS or ("[" in p and _UNION_MEMBER.fullmatch(p))))
    )


def _union_choice(errors: list[dict[str, Any]]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """One error per location. A union gives one error per member; keep the one about the member the value was
    meant as: errors inside the value win over an error about the value as a whole, a wrong value over a wrong type."""
    by_loc: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for err in errors:
        by_loc.setdefault(_clean_loc(tuple(err["loc"])), []).append(err)
    inner = {loc[:k] for loc in by_loc for k in range(len(loc))}  # every location with an error inside it
    for loc, errs in by_loc.items():
        if len(errs[0]["loc"]) > len(loc) and loc in inner:
            continue
        yield loc, min(errs, key=lambda e: e["type"].endswith("_type"))


def error_lines(
    doc: Document, exc: ValidationError, root: type[BaseModel], prefix: str = "", limit: int | None = None
) -> list[str]:
    """The errors of `exc` as one line each, once each, in the order pydantic found them: the first `limit` of them.
    Only those lines are built (a file with 50,000 unknown keys took minutes when all were)."""
    lines: list[str] = []
    for loc, err in _union_choice(exc.errors(include_url=False)):
        said = message(err, loc, root)
        line = f"{doc.where(loc, said.startswith(MISSING_COLON))}: {format_loc(loc)}: {prefix}{said}"
        if line not in lines:
            lines.append(line)
            if len(lines) == limit:
                break
    return lines
