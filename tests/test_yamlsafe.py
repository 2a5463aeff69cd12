"""evidence/yamlsafe.py: the safe YAML reader: plain data with positions, duplicates and aliases refused with the
line, key paths as a person reads them, text normalised before it is parsed."""

from __future__ import annotations

import pytest

from evidence.errors import InputError
from evidence.yamlsafe import YamlText, format_loc, name_of, normalise, parse, read


def lines_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse(text, "f.yaml")
    return caught.value.lines


def test_plain_data_and_the_position_of_every_key():
    doc = parse("enhet:\n  namn: Linden\nst_lakare:\n  - namn: A\n    datum: 2025-03-14\n", "f.yaml")
    assert doc.data == {"enhet": {"namn": "Linden"}, "st_lakare": [{"namn": "A", "datum": "2025-03-14"}]}
    assert doc.where(("enhet", "namn")) == "f.yaml:2:3"
    assert doc.where(("enhet", "namn"), value=True) == "f.yaml:2:9"
    assert doc.where(("st_lakare", 0, "datum")) == "f.yaml:5:5"
    assert doc.where(("st_lakare", 7)) == "f.yaml:4:3"  # past the end: the deepest node there is
    assert doc.where(("saknas",)) == "f.yaml:1:1"


def test_duplicate_keys_and_aliases_are_refused_at_their_line():
    assert lines_of("a: 1\na: 2\n") == [
        "f.yaml:2:1: a: nyckeln finns redan på rad 1. Ta bort eller slå ihop dubbletten."
    ]
    assert lines_of("a: &x 1\nb: *x\n") == ["f.yaml:2:4: b: YAML-alias (*namn) stöds inte. Skriv ut värdet i stället."]


def test_an_empty_file_and_a_syntax_error_are_one_line_each():
    assert lines_of("  \n") == ["f.yaml:1:1: filen är tom."]
    assert lines_of("# bara en kommentar\n") == ["f.yaml:1:1: filen innehåller inga uppgifter."]
    [line] = lines_of("enhet: [\n")
    assert line.startswith("f.yaml:1:8: YAML-syntaxfel:")


def test_key_paths_count_list_items_from_one():
    assert format_loc(("st_lakare", 0, "iup", "finns")) == "st_lakare[1].iup.finns"
    assert format_loc(()) == ""


def test_text_is_normalised_before_it_is_parsed():
    assert normalise("\ufeff\ufeffnamn: Linde\u0301n\n") == "namn: Lindén\n"
    doc = read(YamlText("\ufeffnamn: Linde\u0301n\n", "uppladdad.yaml"))
    assert doc.data == {"namn": "Lindén"} and doc.path == "uppladdad.yaml"
    assert name_of(YamlText("x: 1", "uppladdad.yaml")) == "uppladdad.yaml" and name_of("a/b.yaml") == "a/b.yaml"
