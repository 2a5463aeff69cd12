"""The evidence file's shape, compiled once from the pydantic models in evidence/model.py.

Two things are derived from the models: the pydantic-core schema that validates an evidence file, and per model
its fields (kind, title, whether optional, whether a date that cannot lie after the assessment date). Deriving
them takes pydantic itself, whose import and schema generation cost more than a whole `spur grade` of our own
work; the compiled shape needs only pydantic-core. So the shape is kept on disk like the rule catalogue
(evidence/diskcache.py), and a `spur` process imports pydantic only to rebuild it, to explain a validation error
(evidence/messages.py reads the models' titles), or to write the JSON schema or the evidence template.

The validated evidence is made of records (evidence/records.py), one class per model, with the models' field
names: pydantic-core builds them exactly as it would build the models.
"""

from __future__ import annotations

import functools
import io
import pickle
import types
import typing
from datetime import date
from typing import TYPE_CHECKING, Any

import pydantic_core
from msgspec import Struct

from evidence import diskcache
from evidence.records import Record, model_name, record_class

if TYPE_CHECKING:
    from pydantic import BaseModel

ROOT = "Evidens"  # the model of a whole evidence file
# The code that shapes the compiled schema: a change in any of these files invalidates the on-disk entry.
_CODE = ("evidence/model.py", "evidence/checks.py", "evidence/records.py", "evidence/shape.py", "evidence/terms.py")


class FieldShape(Struct, frozen=True):
    kind: str  # date | bool | number | str | list | model | dict
    optional: bool
    title: str
    model: str | None  # the model of a model field, or of a list's items
    past: bool  # a date that cannot lie after the assessment date
    reaches_past: bool  # is, or can contain, such a date


class Shape(Struct, frozen=True):
    schema: dict[str, Any]  # pydantic-core's schema of an evidence file, building records
    config: dict[str, Any]
    models: dict[str, dict[str, FieldShape]]  # model name ('StLakare') -> field name -> its shape


def unwrap(annotation: object) -> tuple[object, bool]:
    """The type inside Annotated[…] and `X | None`, and whether None was allowed."""
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


def kind_of(annotation: object) -> tuple[str, type[BaseModel] | None]:
    """What an unwrapped annotation holds, and its model for a model or a list of models."""
    from pydantic import BaseModel

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


# --- building the shape from the pydantic models (imports pydantic) ---------------------------------------------


def _is_past(annotation: object) -> bool:
    """Annotated[date, PastDate()], directly or as a member of a union."""
    from evidence.model import PastDate

    candidates = [annotation, *typing.get_args(annotation)]
    return any(
        typing.get_origin(a) is typing.Annotated and any(isinstance(m, PastDate) for m in a.__metadata__)
        for a in candidates
    )


def _reaches_past(annotation: object, seen: frozenset[type]) -> bool:
    """Whether a value of this type can be, or contain, a date that cannot lie after the assessment date.
    Text, numbers, booleans, plain dates and models without such dates cannot; anything unusual counts as can."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _is_past(annotation) or _reaches_past(args[0], seen)
    if origin in (typing.Union, types.UnionType, list, dict):
        return any(_reaches_past(a, seen) for a in args)
    if origin is typing.Literal:
        return any(not isinstance(v, (str, int, float, bool)) for v in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation not in seen and any(
            _past_field(info) or _reaches_past(info.annotation, seen | {annotation})
            for info in annotation.model_fields.values()
        )
    return annotation not in (str, int, float, bool, date, type(None))


def _past_field(info: Any) -> bool:
    from evidence.model import PastDate

    return any(isinstance(m, PastDate) for m in info.metadata) or _is_past(info.annotation)


def _fields(model: type[BaseModel]) -> dict[str, FieldShape]:
    out = {}
    for name, info in model.model_fields.items():
        annotation, optional = unwrap(info.annotation)
        kind, sub = kind_of(annotation)
        past = _past_field(info)
        out[name] = FieldShape(
            kind,
            optional,
            info.title or name,
            sub.__name__ if sub is not None else None,
            past,
            past or _reaches_past(info.annotation, frozenset({model})),
        )
    return out


def _records(node: Any) -> Any:
    """The pydantic-core schema with each model class replaced by its record class, without the metadata that
    only pydantic reads (JSON-schema functions)."""
    if isinstance(node, dict):
        is_schema = isinstance(node.get("type"), str)
        return {k: _records(v) for k, v in node.items() if not (is_schema and k == "metadata")}
    if isinstance(node, list):
        return [_records(v) for v in node]
    if isinstance(node, type) and hasattr(node, "model_fields"):
        return record_class(model_name(node))
    return node


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The models a field can hold: itself, a list's items, a dict's values (intyganden), a union's members."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def build() -> Shape:
    from evidence import model as models

    root: type[BaseModel] = getattr(models, ROOT)
    root.model_rebuild(force=True)
    schema = _records(root.__pydantic_core_schema__)
    node = schema["schema"] if schema["type"] == "definitions" else schema
    table: dict[str, dict[str, FieldShape]] = {}
    todo = [root]
    while todo:
        model = todo.pop()
        if model.__name__ in table:
            continue
        table[model.__name__] = _fields(model)
        for info in model.model_fields.values():
            todo.extend(_models_in(info.annotation))
    return Shape(schema, dict(node["config"]), dict(sorted(table.items())))


# --- the compiled shape on disk ------------------------------------------------------------------------------------


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:  # record classes are made at run time: pickle them by name
        return obj._model if isinstance(obj, type) and issubclass(obj, Record) else None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        return record_class(pid)


def _dumps(shape: Shape) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(shape)
    return buffer.getvalue()


def _loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


@functools.cache
def shape() -> Shape:
    path = diskcache.entry("evidence", (diskcache.pydantic_version(), pydantic_core.__version__.encode()), _CODE)
    found = diskcache.read(path, _loads)
    if isinstance(found, Shape):
        return found
    built = build()
    diskcache.write(path, built, _dumps)
    return built


@functools.cache
def validator() -> pydantic_core.SchemaValidator:
    """Validates an evidence file's parsed YAML into records, with pydantic's errors. pydantic-core's string cache
    (`cache_strings`, by default every string of 64 bytes or less, up to 16,384 of them) is kept to the keys: with
    the values, names and texts of every unit graded filled it, so that a `spur batch` process grew by about 1.5 MB
    over its first 15,000 units for nothing (no unit's strings are asked for again)."""
    compiled = shape()
    return pydantic_core.SchemaValidator(compiled.schema, {**compiled.config, "cache_strings": "keys"})
