"""Read-only records: validated data with attribute access, without pydantic.

pydantic-core builds a record for each model of the compiled evidence schema (evidence/shape.py) as it would build
the pydantic model, and the rule catalogue keeps its validated rule files as records (`freeze`). Either way a
`spur` process reads validated data without importing pydantic. A record offers the two pydantic methods the code
uses, `model_copy(update=…)` and `model_dump(mode=…, exclude_none=…)`, with pydantic's meaning.

So a module that reads validated evidence or rule data imports the pydantic models only for its type hints, under
`if TYPE_CHECKING:`: at run time it is given records with the same fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any


class Record:
    # pydantic-core sets __dict__ (the fields) and the three pydantic attributes on each instance it validates.
    __slots__ = ("__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__")
    _model = ""  # the dotted name of the pydantic model this record stands for

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use model_copy(update=…)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), tuple(self.__dict__.values())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __reduce__(self) -> tuple[Any, ...]:
        return make_record, (self._model, self.__dict__)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Record:
        """A copy with some fields replaced; like pydantic, the new values are not validated."""
        return make_record(self._model, {**self.__dict__, **(update or {})})

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The fields as plain data; in mode 'json' dates are ISO strings."""
        return {k: _dump(v, mode, exclude_none) for k, v in self.__dict__.items() if not (exclude_none and v is None)}


def _dump(value: Any, mode: str, exclude_none: bool) -> Any:
    if isinstance(value, Record):
        return value.model_dump(mode=mode, exclude_none=exclude_none)
    if isinstance(value, list | tuple):
        return [_dump(v, mode, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, mode, exclude_none) for k, v in value.items()}
    if mode == "json" and isinstance(value, date):
        return value.isoformat()
    return value


_CLASSES: dict[str, type[Record]] = {}


def record_class(model: str) -> type[Record]:
    """The record class standing for the pydantic model `model` ('evidence.model.StLakare'), made on first use."""
    cls = _CLASSES.get(model)
    if cls is None:
        name = model.rpartition(".")[2]
        cls = _CLASSES[model] = type(name, (Record,), {"__slots__": (), "__qualname__": name, "_model": model})
    return cls


def make_record(model: str, fields: dict[str, Any]) -> Record:
    record = object.__new__(record_class(model))
    object.__setattr__(record, "__dict__", dict(fields))
    return record


def model_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def freeze(value: Any) -> Any:
    """`value` with every pydantic model instance in it replaced by a record of the same fields."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return make_record(model_name(type(value)), {k: freeze(v) for k, v in value.__dict__.items()})
    if isinstance(value, list):
        return [freeze(v) for v in value]
    if isinstance(value, tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: freeze(v) for k, v in value.items()}
    return value
