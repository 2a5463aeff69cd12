"""Resolve dotted evidence paths against the evidence shape (evidence/shape.py): kinds, titles and requiredness."""

from __future__ import annotations

from functools import cache

from msgspec import Struct

from evidence.shape import ROOT, shape


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
    return frozenset(m for m, n in counts.items() if n > 1)


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
    return f"{field.parent_title} – {field.title}" if field.parent_title else field.title


def collection_model(name: str) -> str | None:
    field = resolve(ROOT, name)
    return field.item_model if field and field.kind == "list" else None
