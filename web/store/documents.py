"""Structured edits of a YAML document: the value at a key path set (or removed), everything else kept as written
(comments, key order, quotes). A form that edits one area of the evidence turns its fields into such changes and
saves the resulting text as a new version (web/store/versions.py)."""

from __future__ import annotations

import io
from typing import Any

from web.store import engine_calls

DELETE = object()  # as a value: remove the key


def edit(text: str, changes: list[tuple[tuple[str | int, ...], Any]], header: str | None = None) -> str:
    """`text` with each (key path, value) of `changes` applied; `header` replaces the comment at the top."""
    yaml = engine_calls.round_trip_yaml()
    data = yaml.load(engine_calls.normalise(text))
    for path, value in changes:
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if value is DELETE:
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    if header is not None:
        data.ca.comment = None
        data.yaml_set_start_comment(header)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
