"""The overview `spur batch` writes (JSON, CSV, dashboard) is made and written in pieces, unit by unit
(reports/batch_view.py): its bytes are those the whole text had before it was streamed.

The example units' JSON and CSV are goldens made by the code before streaming and read; for a generated set, the
file and standard output are compared with references made whole: the standard library's `json.dumps` of the same
document, and Jinja's `render` of the dashboard.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import generate
from cli import run
from reports import batch_view
from reports.batch_files import OUTPUT_NAMES
from tests.conftest import ROOT, assert_golden

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ["evidence/examples", "--plan-dir", "evidence/examples/handlingsplaner"]
FORMATS = ("json", "csv", "html")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_examples_overview_is_the_golden_on_standard_output_and_in_the_file(fmt, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert run(["batch", *EXAMPLES, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert_golden(GOLDEN / f"batch_examples.{fmt}", out)
    assert run(["batch", *EXAMPLES, "--format", fmt, "-o", str(tmp_path)]) == 0
    assert (tmp_path / OUTPUT_NAMES[fmt]).read_text(encoding="utf-8") == out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Generated units, an invalid file and a handlingsplan to skip: every kind of row."""
    root = tmp_path_factory.mktemp("batch-output")
    generate(root, 200, seed=11)
    (root / "trasig.yaml").write_text("enhet:\n  namn: [Vårdcentralen\n", encoding="utf-8")
    plan = ROOT / "evidence" / "examples" / "handlingsplaner" / "vardcentralen_linden.yaml"
    (root / "plan.yaml").write_text(plan.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def materialized(value):
    """The JSON document with its iterators made lists, as it was built before it was streamed."""
    if isinstance(value, dict):
        return {key: materialized(item) for key, item in value.items()}
    if isinstance(value, Iterator | list):
        return [materialized(item) for item in value]
    return value


@pytest.fixture(scope="module")
def graded(generated):
    from engine import usecases

    return usecases.batch(usecases.Rules(), [str(generated)], jobs=1)


def whole(fmt: str, result) -> str:
    """The overview made whole, by the references (CSV: its pieces joined, for they are the rows of one writer)."""
    if fmt == "json":
        return json.dumps(materialized(batch_view.batch_json(result)), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        template = batch_view.environment(True).get_template("dashboard.html.j2")
        return template.render(**batch_view.dashboard_context(result))
    return "".join(batch_view.csv_pieces(result))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_generated_set_streams_the_bytes_of_the_whole_text(fmt, generated, graded, capsys, tmp_path):
    expected = whole(fmt, graded)
    assert expected.count("\n") > 200 and (fmt == "csv" or len(expected) > 2 << 16)  # several groups of output
    assert run(["batch", str(generated), "--format", fmt, "--jobs", "2"]) == 3  # the invalid file
    assert capsys.readouterr().out == expected
    assert run(["batch", str(generated), "--format", fmt, "--jobs", "2", "-o", str(tmp_path)]) == 3
    assert (tmp_path / OUTPUT_NAMES[fmt]).read_bytes() == expected.encode("utf-8")


_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_json = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
)


def lazy(value, make_lazy: bool):
    """The value with its lists given as iterators (make_lazy) and its dicts' values likewise, as batch_json does."""
    if isinstance(value, dict):
        return {key: lazy(item, make_lazy) for key, item in value.items()}
    if isinstance(value, list) and make_lazy:
        return iter(value)  # an iterator's items are written whole
    return value


@given(_json, st.booleans())
def test_json_pieces_are_json_dumps(value, make_lazy):
    assert "".join(batch_view.json_pieces(lazy(value, make_lazy))) == json.dumps(value, ensure_ascii=False, indent=2)


def test_json_pieces_keep_newlines_and_line_separators_inside_strings():
    value = {"a": ["x\ny", "\u2028", {"b": []}], "c": {}, "d": iter([{"e": "f\r\n"}, []]), "g": iter([])}
    expected = {"a": ["x\ny", "\u2028", {"b": []}], "c": {}, "d": [{"e": "f\r\n"}, []], "g": []}
    assert "".join(batch_view.json_pieces(value)) == json.dumps(expected, ensure_ascii=False, indent=2)
