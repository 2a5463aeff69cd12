"""engine/wording.py and rules/vocabulary.yaml: one place picks the form of every counted word, the words come from
the vocabulary (checked by its model), and no entry there is dead."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from engine.catalog import load_catalog
from engine.wording import agree, count
from evidence.errors import InputError
from tests.conftest import ROOT

CODE = [ROOT / "cli.py", *(p for d in ("engine", "evidence", "reports", "web") for p in (ROOT / d).rglob("*.py"))]


def test_the_form_agrees_with_the_number():
    assert [count(n, "rad") for n in (0, 1, 2)] == ["0 rader", "1 rad", "2 rader"]
    assert agree(1, "uppfyllt") == "uppfyllt" and agree(3, "uppfyllt") == "uppfyllda"
    assert count(2, "föreskrift", "föreskrifter") == "2 föreskrifter"  # a form from other rule data


def _strings(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def _counted_literals() -> list[tuple[str, str]]:
    """(file, word) for each count(n, 'word') or agree(n, 'word') in the code."""
    out = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("count", "agree")
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                out.append((path.name, node.args[1].value))
    return out


def test_every_word_counted_in_the_code_has_its_forms_in_the_vocabulary(catalog):
    words = _counted_literals()
    assert len(words) >= 25, words  # the scan finds the calls
    missing = [(name, w) for name, w in words if w not in catalog.vocabulary["counted"]]
    assert not missing


def test_no_counted_word_is_dead(catalog):
    used = set().union(*(_strings(p) for p in CODE))
    assert not [w for w in catalog.vocabulary["counted"] if w not in used]


def test_no_template_picks_a_form():
    for template in (ROOT / "reports" / "templates").glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"agree\(|count\(|if [^%}]*\| length == 1 else", text), template.name


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("counted:\n", "countd:\n"), "okänd nyckel 'countd'. Menade du 'counted'?"),
        (("  rad: rader\n", "  rad: [rader]\n"), "counted.rad"),
        (('  eq: "{label} är {value}, ska vara {expected}"\n', "  equals: x\n"), "operators.equals"),
        (("  vantar_pa_st:", "  vantar:"), "collections.vantar"),
    ],
)
def test_the_vocabulary_is_checked_by_its_model(tmp_path, change, said):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    vocabulary = rules / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    assert change[0] in text
    vocabulary.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog(rules)
    assert any("vocabulary.yaml:" in line and said in line for line in caught.value.lines), caught.value.lines
