"""Resolve dotted evidence paths against the evidence shape (evidence/shape.py): kinds, titles and requiredness."""

from __future__ import annotations

import re
from functools import cache

from msgspec import Struct

from evidence.shape import ROOT, shape

_INDEX = re.compile(r"\[(\d+)\]")


class FieldType(Struct, frozen=True):
    path: str
    kind: str  # date | bool | number | str | list | model | dict
    required: bool
    title: str
    parent_title: str | None
    item_model: str | None = None  # the model of a list's items ('StLakare')


@cache
def _shared_models() -> frozenset[str]:
    """Models used by more than one field (Dokumentpost, Handledarutbildning …): their fields' labels name the
    parent field too."""
    models = shape().models
    counts: dict[str, int] = {}

    def walk(model: str, seen: frozenset[str]) -> None:
        for f in models[model].values():
            if f.model is None:
                continue
            if f.kind == "model":
                counts[f.model] = counts.get(f.model, 0) + 1
            if f.kind in ("model", "list") and f.model not in seen:
                walk(f.model, seen | {f.model})

    walk(ROOT, frozenset({ROOT}))
    shared = {m for m, n in counts.items() if n > 1}
    # a model that extends a shared one (PlanInternUtbildning: a Dokumentpost with one field more) reads the same
    extended = {m for m in models if any(set(models[s]) < set(models[m]) for s in shared)}
    return frozenset(shared | extended)


@cache
def resolve(model: str, path: str) -> FieldType | None:
    """The type of `path` inside `model` (a model name, ROOT for the whole file), or None when it does not exist."""
    models = shape().models
    current = model
    required = True
    parent_title = None
    parts = path.split(".")
    for n, part in enumerate(parts):
        info = models[current].get(part)
        if info is None:
            return None
        required = required and not info.optional
        if n == len(parts) - 1:
            show_parent = parent_title if current in _shared_models() else None
            item = info.model if info.kind == "list" else None
            return FieldType(path, info.kind, required, info.title, show_parent, item)
        if info.kind != "model" or info.model is None:
            return None
        parent_title = info.title
        current = info.model
    return None  # pragma: no cover


def label(field: FieldType) -> str:
    """The field's Swedish title, after its parent's where the title alone is ambiguous ('vårdgivarens riktlinjer
    för ST – dokumentet finns'), but not where it already names the parent ('handledarutbildning genomförd')."""
    parent, title = field.parent_title, field.title
    if not parent or parent.casefold() in title.casefold():
        return title
    head = parent.split()[-1]  # 'studierektorns handledarutbildning' + 'handledarutbildning genomförd'
    if title.split()[0].casefold() == head.casefold():
        return f"{parent}{title[len(head) :]}"
    if title.split()[-1].casefold() == head.casefold():  # + 'datum för handledarutbildning'
        return f"{title[: -len(head)]}{parent}"
    return f"{parent} – {title}"


def collection_model(name: str) -> str | None:
    field = resolve(ROOT, name)
    return field.item_model if field and field.kind == "list" else None


def person_label(role: str, name: str) -> str:
    """'ST-läkare Anna Ek'; a pseudonym that already starts with its role word ('ST-läkare A') is not doubled."""
    return name if role_prefixed(role, name) else f"{role} {name}"


def role_prefixed(role: str, name: str) -> bool:
    return name.casefold().startswith(role.casefold() + " ")


def shown_path(path: str) -> str:
    """An evidence path as a person reads it: list positions counted from 1 like the lines of the file
    ('st_lakare[0].iup' -> 'st_lakare[1].iup'). Programs (JSON `missing`) keep the 0-based path."""
    return _INDEX.sub(lambda m: f"[{int(m.group(1)) + 1}]", path)
