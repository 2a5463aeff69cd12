"""Resolve dotted evidence paths against the pydantic model: types, titles and requiredness."""

from __future__ import annotations

import types
import typing
from datetime import date
from functools import cache

from msgspec import Struct
from pydantic import BaseModel

from evidence.model import Evidens


class FieldType(Struct, frozen=True):
    path: str
    kind: str  # date | bool | number | str | list | model | dict
    required: bool
    title: str
    parent_title: str | None
    item_model: type[BaseModel] | None = None


def unwrap(annotation: object) -> tuple[object, bool]:
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _kind(annotation: object) -> tuple[str, type[BaseModel] | None]:
    origin = typing.get_origin(annotation)
    if origin is list:
        item = typing.get_args(annotation)[0]
        return "list", item if isinstance(item, type) and issubclass(item, BaseModel) else None
    if origin is dict:
        return "dict", None
    if origin is typing.Literal:
        return "str", None
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "model", annotation
        if annotation is bool:
            return "bool", None
        if annotation is date:
            return "date", None
        if annotation in (int, float):
            return "number", None
    return "str", None


@cache
def _shared_models() -> frozenset[type]:
    counts: dict[type, int] = {}

    def walk(model: type[BaseModel], seen: set[type]) -> None:
        for f in model.model_fields.values():
            kind, sub = _kind(unwrap(f.annotation)[0])
            if kind == "model" and sub is not None:
                counts[sub] = counts.get(sub, 0) + 1
                if sub not in seen:
                    walk(sub, seen | {sub})
            elif kind == "list" and sub is not None and sub not in seen:
                walk(sub, seen | {sub})

    walk(Evidens, {Evidens})
    return frozenset(m for m, n in counts.items() if n > 1)


@cache
def resolve(model: type[BaseModel], path: str) -> FieldType | None:
    """The type of `path` inside `model`, or None when the path does not exist."""
    current: type[BaseModel] = model
    required = True
    parent_title = None
    parts = path.split(".")
    for n, part in enumerate(parts):
        info = current.model_fields.get(part)
        if info is None:
            return None
        annotation, optional = unwrap(info.annotation)
        required = required and not optional
        kind, sub = _kind(annotation)
        title = info.title or part
        if n == len(parts) - 1:
            show_parent = parent_title if current in _shared_models() else None
            return FieldType(path, kind, required, title, show_parent, sub if kind == "list" else None)
        if kind != "model" or sub is None:
            return None
        parent_title = title
        current = sub
    return None  # pragma: no cover


def label(field: FieldType) -> str:
    return f"{field.parent_title} – {field.title}" if field.parent_title else field.title


def collection_model(name: str) -> type[BaseModel] | None:
    field = resolve(Evidens, name)
    return field.item_model if field and field.kind == "list" else None
