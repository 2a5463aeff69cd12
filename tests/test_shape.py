"""The compiled evidence shape (evidence/shape.py) validates exactly as the pydantic models it is compiled from,
builds read-only records, survives the on-disk cache, and keeps pydantic out of a `spur grade` of a valid file."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import ValidationError
from strategies import evidence_dicts

from evidence import shape as shape_module
from evidence.model import Evidens
from evidence.records import Record, make_record
from evidence.shape import build, validator

ROOT_DIR = Path(__file__).parent.parent
LINDEN = ROOT_DIR / "evidence" / "examples" / "vardcentralen_linden.yaml"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ODD_VALUES = st.sampled_from(
    [None, "", " ", "ja", "nej", "kanske", 0, -1, 1.5, float("nan"), True, [], {}, ["x"], {"x": 1}, "2025-13-01",
     "2025-02-03", "SOSFS 2015:8", "19121212-1212", "a\u200bb", "\x07"]
)  # fmt: skip


def outcome(data: Any) -> tuple[str, Any]:
    """What pydantic's model makes of `data`, and what the compiled validator makes of it, in comparable form."""
    results = []
    for validate in (Evidens.model_validate, validator().validate_python):
        try:
            results.append(("valid", validate(data).model_dump(mode="json")))
        except ValidationError as exc:
            results.append(("invalid", [comparable(e) for e in exc.errors(include_url=False)]))
    return results[0], results[1]


def comparable(error: Any) -> Any:
    """An error with the exception in its context as text: two ValueErrors with the same message are not equal."""
    ctx = {k: repr(v) if isinstance(v, Exception) else v for k, v in error.get("ctx", {}).items()}
    return {**error, "ctx": ctx}


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A valid evidence dict with one value replaced, one key added or one key removed somewhere inside."""
    data = draw(evidence_dicts())
    node = data
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and draw(st.booleans()):
            node = child
            continue
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        if action == "replace":
            node[key] = draw(ODD_VALUES)
        elif action == "add" and isinstance(node, dict):
            node[draw(st.sampled_from(["okand_nyckel", "namn", "datum", "A-01"]))] = draw(ODD_VALUES)
        elif isinstance(node, dict):
            del node[key]
        else:
            node.pop(key)
        break
    return data


def test_compiled_validator_agrees_with_the_models_on_valid_evidence() -> None:
    runs = []

    @SETTINGS
    @given(evidence_dicts())
    def check(data: dict) -> None:
        model, compiled = outcome(data)
        assert model[0] == "valid" and compiled == model
        runs.append(1)

    check()
    print(f"valid units compared: {len(runs)}")


def test_compiled_validator_agrees_with_the_models_on_broken_evidence() -> None:
    seen: dict[str, int] = {}

    @settings(SETTINGS, max_examples=300)
    @given(mutated())
    def check(data: Any) -> None:
        model, compiled = outcome(data)
        assert compiled == model
        seen[model[0]] = seen.get(model[0], 0) + 1

    check()
    print(f"mutated units compared: {seen}")
    assert seen.get("invalid", 0) >= 50  # the mutations do reach the error paths


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("verksamhetschef", "namn"), "19121212-1212"),  # a personnummer in a name
        (("enhet", "namn"), "Vård\u200bcentralen"),  # an invisible character
        (("st_lakare", 0, "huvudhandledare"), "ja"),  # ja where a name belongs
        (("st_lakare", 0, "regelverk"), "SOSFS 2015:9"),
        (("bedomning", "datum"), "2025-02-30"),
        (("version",), 1.0),
        (("dokument", "okand_nyckel"), "x"),
        (("intyganden", "A-01", "svar"), "kanske"),
    ],
)
def test_compiled_validator_agrees_with_the_models_on_known_errors(path: tuple, value: Any) -> None:
    data = yaml.safe_load(LINDEN.read_text(encoding="utf-8"))
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    node[path[-1]] = value
    model, compiled = outcome(data)
    print(f"{'.'.join(map(str, path))} = {value!r}: {[e['type'] for e in model[1]]}")
    assert model[0] == "invalid" and compiled == model


def test_the_validated_evidence_is_records_that_cannot_be_changed() -> None:
    ev = validator().validate_python(yaml.safe_load(LINDEN.read_text(encoding="utf-8")))
    person = ev.st_lakare[0]
    print(f"{type(ev).__name__}: {type(person).__name__}({person.namn!r}, …)")
    assert isinstance(ev, Record) and type(person).__name__ == "StLakare"
    with pytest.raises(AttributeError):
        person.namn = "Någon annan"  # type: ignore[misc]
    renamed = person.model_copy(update={"namn": "ST-läkare nr 1"})
    assert renamed.namn == "ST-läkare nr 1" and person.namn != renamed.namn
    assert renamed.regelverk == person.regelverk and renamed != person and type(renamed) is type(person)
    assert pickle.loads(pickle.dumps(ev)) == ev
    assert hash(ev.enhet) == hash(pickle.loads(pickle.dumps(ev.enhet)))
    assert make_record("x.Y", {"a": 1}) != make_record("x.Z", {"a": 1})  # same fields, different models


def test_the_shape_survives_the_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPUR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(shape_module, "build", lambda: pytest.fail("built again although the cache was written"))
    shape_module.shape.cache_clear()
    try:
        with monkeypatch.context() as m:
            m.setattr(shape_module, "build", build)
            built = shape_module.shape()
        [entry] = tmp_path.glob("evidence-*.pickle")
        shape_module.shape.cache_clear()
        loaded = shape_module.shape()  # from the file: build() would fail the test
        print(f"{entry.name}: {entry.stat().st_size} bytes, {len(loaded.models)} models")
        assert loaded == built and loaded.models["StLakare"]["iup"].model == "Iup"
        intact = entry.read_bytes()
        damaged = [b"not a pickle", b""]
        # Any one byte changed: flipped bits in a pickle often still load, as a different shape.
        damaged += [intact[:i] + bytes([intact[i] ^ 0x20]) + intact[i + 1 :] for i in range(0, len(intact), 997)]
        for data in damaged:
            entry.write_bytes(data)
            shape_module.shape.cache_clear()
            with monkeypatch.context() as m:
                m.setattr(shape_module, "build", build)
                assert shape_module.shape() == built  # a damaged entry is rebuilt, and written again
        print(f"damaged entries rebuilt: {len(damaged)}")
        shape_module.shape.cache_clear()
        assert shape_module.shape() == built  # the entry written last is read back: build() would fail the test
    finally:
        shape_module.shape.cache_clear()


def test_grading_a_valid_file_does_not_import_pydantic(tmp_path: Path) -> None:
    script = (
        "import sys, cli\n"
        f"sys.argv = ['spur', 'grade', {str(LINDEN)!r}]\n"
        "try:\n    cli.run()\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('pydantic')}), file=sys.stderr)\n"
    )
    env = {**os.environ, "SPUR_CACHE_DIR": str(tmp_path), "CI": "1"}
    runs = [
        subprocess.run([sys.executable, "-c", script], cwd=ROOT_DIR, env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    print(f"cold cache: {runs[0].stderr.strip()}; warm cache: {runs[1].stderr.strip()}")
    assert all("Vårdcentralen Linden" in r.stdout for r in runs)
    assert runs[0].stderr.strip() == "['pydantic', 'pydantic_core']"  # the first run compiles the shape
    assert runs[1].stderr.strip() == "['pydantic_core']"


def test_every_model_the_validator_builds_has_its_fields_in_the_table() -> None:
    """The field table is looked up by a record's model name (the past-date walk in evidence/loader.py, resolve()):
    it must hold every model the compiled schema can build, also those reached only as a dict's values
    (intyganden: Intyg, inspektorsbedomningar: Inspektorsbedomning)."""
    from evidence.loader import _past_dates

    built = build()
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, type) and issubclass(node, Record):
            found.add(node.__name__)

    walk(built.schema)
    print(f"models the schema builds: {len(found)}; in the table: {len(built.models)}")
    assert found - set(built.models) == set()
    ev = validator().validate_python(yaml.safe_load(LINDEN.read_text(encoding="utf-8")))
    answer = next(iter(ev.intyganden.values()))
    assert type(answer).__name__ == "Intyg" and _past_dates(answer, ("intyganden",)) == []
