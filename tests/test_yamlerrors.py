"""Every YAML error that libyaml or PyYAML's own parser can raise reaches the user as one Swedish line with file, line
and column (issue 14, item 2), and the YAML mistakes people make are reported where they are, with advice (item 8).

The messages are enumerated from the parsers themselves: the problem strings compiled into PyYAML's libyaml
extension and the ones PyYAML's scanner, parser and composer raise. Each is fed by a file below, through the C parser
and through the pure-Python one (spur uses the latter to locate deep nesting, and wherever libyaml is missing).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from evidence import yamlerrors, yamlsafe
from evidence.errors import InputError
from tests.swedish import english_words

# name -> a file with that mistake
CASES = {
    "tab_in_indentation": "enhet:\n\tnamn: x\n",
    "character_cannot_start": "a: @x\n",
    "missing_colon_last_key": "enhet:\n  vardgivare: Region\n  namn Vårdcentralen Björken\n",
    "missing_colon": "enhet:\n  namn Vårdcentralen Björken\n  vardgivare: Region\n",
    "dash_in_value": "a: - b\n",
    "question_mark_in_value": "a: ? b\n",
    "colon_in_value": "a: b: c\n",
    "colon_before_flow_indicator": "a: [b:[c]]\n",
    "colon_in_flow": "a: [b:c, :d]\n",
    "unknown_directive": "%FOO bar\n---\na: 1\n",
    "directive_trailing_text": "%YAML 1.1 x\n---\na: 1\n",
    "directive_without_name": "% \n---\na: 1\n",
    "directive_bad_name": "%YA!ML 1.1\n---\na: 1\n",
    "yaml_version_letter": "%YAML 1.x\n---\na: 1\n",
    "yaml_version_no_dot": "%YAML 1x\n---\na: 1\n",
    "yaml_version_trailing": "%YAML 1.1x\n---\na: 1\n",
    "yaml_version_long": "%YAML 1.1234567890\n---\na: 1\n",
    "yaml_version_missing": "%YAML\n---\na: 1\n",
    "tag_directive_no_space": "%TAG !x!tag:a\n---\na: 1\n",
    "tag_directive_no_prefix": "%TAG !x! \n---\na: 1\n",
    "tag_directive_bad_handle": "%TAG x tag:a\n---\na: 1\n",
    "anchor_without_name": "a: &\n",
    "anchor_bad_name": "a: &, x\n",
    "alias_without_name": "a: *\n",
    "tag_verbatim_unclosed": "a: !<foo x\n",
    "tag_trailing_text": "a: !foo,x\n",
    "tag_handle_only": "a: !x!\n",
    "tag_uri_empty": "a: !<> x\n",
    "tag_uri_bad_escape": "a: !<%G0> x\n",
    "tag_uri_bad_leading_octet": "a: !<%FF> x\n",
    "tag_uri_bad_trailing_octet": "a: !<%C3%28> x\n",
    "tag_undefined_handle": "a: !x!y z\n",
    "block_scalar_indent_zero": "a: |0\n  x\n",
    "block_scalar_trailing_text": "a: |x\n  x\n",
    "block_scalar_tab": "a: |\n\tx\n",
    "document_marker_in_quotes": "a: 'x\n---\n'\n",
    "unclosed_quote": "enhet:\n  namn: 'Vårdcentralen\n",
    "unknown_escape": 'a: "\\q"\n',
    "short_hex_escape": 'a: "\\u12"\n',
    "surrogate_escape": 'a: "\\uD800"\n',
    "tab_after_value": "a: 1\n\tb: 2\n",
    "text_after_document_end": "a: 1\n...\nb: 2\n",
    "duplicate_yaml_directive": "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "incompatible_version": "%YAML 2.0\n---\na: 1\n",
    "duplicate_tag_directive": "%TAG ! tag:x,2000:\n%TAG ! tag:y,2000:\n---\na: 1\n",
    "empty_flow_entry": "a: [b, , c]\n",
    "unclosed_flow_at_end": "version: 1\nenhet: {namn: a,\n",
    "list_item_misaligned": "st_lakare:\n  - namn: A\n    regelverk: x\n   - namn: B\n",
    "key_misaligned": "enhet:\n  namn: a\n vardgivare: b\n",
    "unclosed_flow_sequence": "a: [1, 2\nb: 3\n",
    "unclosed_flow_mapping": "a: {x: 1\nb: 3\n",
    "two_documents": "a: 1\n---\nb: 2\n",
    "undefined_alias": "a: *x\n",
    "duplicate_anchor": "a: &x 1\nb: &x 2\n",
    "nesting_libyaml_limit": "x: " + "[" * 1100 + "]" * 1100 + "\n",
    "control_character": "a: b\x01c\n",
    "noncharacter": "a: b\ufffec\n",
}
ONLY_LIBYAML = {"nesting_libyaml_limit"}  # the pure-Python parser is used only to locate such nesting
# Messages that text handed to the parser cannot produce: spur hands over decoded text (read_text checks UTF-8 and
# the size first), and the parser always begins a stream.
UNREACHABLE = re.compile(
    r"UTF-8 (octet|sequence)|UTF-16|surrogate area|input is too long|<stream-start>|invalid Unicode"
)
# libyaml's composer lives in PyYAML's extension as Python strings, not among libyaml's C strings.
COMPOSER = [
    "expected a single document in the stream",
    "but found another document",
    "found undefined alias",
    "found duplicate anchor; first occurrence",
    "second occurrence",
]


class _PythonLoader(yaml.SafeLoader):
    """The pure-Python loader, as spur would use it without libyaml."""


@pytest.fixture(params=["libyaml", "python"])
def loader(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(yamlsafe, "_Loader", _PythonLoader)
    return request.param


def _refusal(text: str) -> str:
    with pytest.raises(InputError) as info:
        yamlsafe.parse(text, "enhet.yaml")
    lines = info.value.lines
    print(lines)
    assert len(lines) == 1
    return lines[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_yaml_error_is_one_swedish_line_with_its_place(name: str, loader: str) -> None:
    if loader == "python" and (name in ONLY_LIBYAML or _accepts(_PythonLoader, CASES[name])):
        pytest.skip("not an error for this parser")
    line = _refusal(CASES[name])
    assert re.match(r"^enhet\.yaml:\d+:\d+: ", line), line
    assert english_words(line) == [], line
    assert line.endswith((".", "?")), line


def _accepts(loader: type, text: str) -> bool:
    try:
        yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return False
    return True


# --- every message the parsers can raise is one we know ---------------------------------------------------------------


def _libyaml_messages() -> set[str]:
    """The problem strings compiled into PyYAML's libyaml extension."""
    import yaml._yaml

    data = Path(yaml._yaml.__file__).read_bytes()
    found = {s.decode() for s in re.findall(rb"[ -~]{8,}", data)}
    start = r"^(found |did not find |could not find |mapping (keys|values) are not allowed|block sequence entries|"
    start += r"exceeded maximum|control characters|incomplete |input is too long|unexpected low|expected low)"
    return {s for s in found if re.match(start, s)} | set(COMPOSER)


def _python_messages() -> set[str]:
    """The problem strings PyYAML's own scanner, parser and composer raise (contexts, 'while …', excluded)."""
    root = Path(yaml.__file__).parent
    out = set()
    for name in ("scanner.py", "parser.py", "composer.py"):
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.endswith("Error"):
                for arg in node.args:
                    text = arg.left if isinstance(arg, ast.BinOp) else arg
                    if isinstance(text, ast.Constant) and isinstance(text.value, str):
                        out.add(text.value)
    return {m for m in out if not m.startswith("while ")}


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.escape(template).replace("%r", ".+").replace("%s", ".+").replace("%d", r"\d+"))


def test_the_messages_are_found() -> None:
    """A guard for the enumeration below: it found the messages (a new PyYAML could store them differently)."""
    c, p = _libyaml_messages(), _python_messages()
    print(f"libyaml: {len(c)} meddelanden, PyYAML: {len(p)}")
    assert "did not find expected key" in c and "found undefined alias" in c
    assert "expected <block end>, but found %r" in p and len(p) > 30


def _raised() -> dict[str, tuple[yaml.MarkedYAMLError, str]]:
    """What the parsers said (problem, and context) for the cases above, each with an error that said it."""
    said: dict[str, tuple[yaml.MarkedYAMLError, str]] = {}
    for name, text in CASES.items():
        for loader in (yaml.CSafeLoader, yaml.SafeLoader):
            if loader is yaml.SafeLoader and name in ONLY_LIBYAML:
                continue
            try:
                yaml.compose(text, Loader=loader)
            except yaml.MarkedYAMLError as exc:
                for message in (exc.problem, exc.context):
                    said.setdefault((message or "").strip(), (exc, text))
            except yaml.reader.ReaderError as exc:
                said.setdefault(exc.reason, (exc, text))
    return said


MESSAGES = sorted(m for m in _libyaml_messages() | _python_messages() if not UNREACHABLE.search(m))


@pytest.mark.parametrize("template", MESSAGES)
def test_every_message_of_both_parsers_is_fed_and_answered_in_swedish(template: str) -> None:
    """Each message is raised by one of the cases, and a rule of evidence/yamlerrors.py knows it: not the generic
    answer for text the parser cannot read."""
    said = _raised()
    fed = [m for m in said if _pattern(template).fullmatch(m)]
    assert fed, f"no case raises {template!r}"
    exc, text = said[fed[0]]
    if isinstance(exc, yaml.reader.ReaderError):
        return  # a character YAML does not allow: its own message, checked with the cases
    _, answer = yamlerrors.explain(yamlerrors.Error(exc, text))
    print(repr(text), "→", answer)
    assert answer != yamlerrors._GENERIC
    assert english_words(answer) == []


# --- item 8: the mistakes people make, at their own line, with advice --------------------------------------------------

LINDEN = Path(__file__).parent.parent / "evidence" / "examples" / "vardcentralen_linden.yaml"


def _linden(change) -> str:
    lines = LINDEN.read_text(encoding="utf-8").split("\n")
    change(lines)
    return "\n".join(lines)


def _line(number: int, text: str):
    def change(lines: list[str]) -> None:
        lines[number - 1] = text

    return change


def _indent_lines(first: int, last: int, by: int):
    def change(lines: list[str]) -> None:
        for i in range(first - 1, last):
            lines[i] = " " * by + lines[i]

    return change


MISTAKES = [
    (
        "missing_colon",  # the parser finds the next line's colon
        _line(6, "  namn Vårdcentralen Linden"),
        "6:7: YAML-syntaxfel: saknas kolon efter 'namn'? Skriv 'namn: Vårdcentralen Linden'.",
    ),
    (
        "missing_colon_before_a_dedent",  # the parser says it at the next line
        _line(9, "  region Region Exempelland"),
        "9:9: YAML-syntaxfel: saknas kolon efter 'region'? Skriv 'region: Region Exempelland'.",
    ),
    (
        "missing_colon_in_a_list_item",
        _line(47, "  - namn Amira Hassan"),
        "47:9: YAML-syntaxfel: saknas kolon efter 'namn'? Skriv 'namn: Amira Hassan'.",
    ),
    (
        "missing_colon_of_the_only_key",  # valid YAML: a text where a mapping belongs
        _line(16, "  namn Karin Lindqvist"),
        "16:3: verksamhetschef: saknas kolon efter 'namn'? Skriv 'namn: Karin Lindqvist'.",
    ),
    (
        "list_item_one_space_too_far",  # 24 lines after the list's first item
        _line(71, "   - namn: Bengt Ek"),
        "71:4: YAML-syntaxfel: listpunkten är indragen 3 mellanslag, men punkten på rad 47 i samma lista (st_lakare) "
        "är indragen 2 mellanslag. Ställ listans streck (-) exakt under varandra.",
    ),
    (
        "first_list_item_indented_too_far",  # the parser stops at the second item, 24 lines below the mistake
        _indent_lines(47, 70, 2),
        "47:5: YAML-syntaxfel: listpunkten är indragen 4 mellanslag, men punkten på rad 71 i samma lista (st_lakare) "
        "är indragen 2 mellanslag. Ställ listans streck (-) exakt under varandra.",
    ),
    (
        "key_indented_less_than_its_neighbours",
        _line(48, "   regelverk: SOSFS 2015:8"),
        "48:4: YAML-syntaxfel: raden är indragen 3 mellanslag, men listpunkten på rad 47 är indragen 2 mellanslag och "
        "'namn' på rad 47 är indragen 4 mellanslag. Nycklar på samma nivå ska stå exakt under varandra.",
    ),
    (
        "key_indented_under_a_value",
        _line(48, "      regelverk: SOSFS 2015:8"),
        "48:7: YAML-syntaxfel: raden är mer indragen än 'namn' på rad 47, som redan har ett värde. Rätta indraget så "
        "att raden står under rätt nyckel; hör texten till värdet ovanför, sätt citattecken runt hela värdet.",
    ),
    (
        "colon_inside_a_text_in_braces",
        _line(70, "    vetenskapligt_arbete: {status: pågående, titel: Hypertoni: uppföljning, avsatt_tid: ja}"),
        "70:62: YAML-syntaxfel: ett kolon i en text inom { } eller [ ]. Sätt citattecken runt texten: "
        "'Hypertoni: uppföljning'.",
    ),
    (
        "quote_never_closed",  # the parser finds out at the end of the file
        _line(18, "  namn: 'Per Ödman"),
        "18:9: YAML-syntaxfel: citattecknet ' här avslutas aldrig. Lägg till ett ' i slutet av texten.",
    ),
]


@pytest.mark.parametrize(("change", "expected"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_yaml_mistakes_are_reported_at_their_line_with_advice(catalog, change, expected: str, loader: str) -> None:
    from evidence.loader import validate

    with pytest.raises(InputError) as info:
        validate(yamlsafe.parse(_linden(change), "linden.yaml"), catalog.known)
    print(info.value.lines)
    assert info.value.lines == [f"linden.yaml:{expected}"]


# --- item 8: values left from `spur init`'s template --------------------------------------------------------------------


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_untouched_template_values_are_warnings_naming_their_line(tmp_path, capsys, monkeypatch) -> None:
    import cli

    monkeypatch.chdir(tmp_path)
    assert cli.run(["init", "-o", "min_enhet.yaml"]) == 0
    text = (tmp_path / "min_enhet.yaml").read_text(encoding="utf-8")
    text = text.replace("  vardgivare: Vårdgivarens namn", "  vardgivare: Region Norrbotten")
    (tmp_path / "min_enhet.yaml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    for command in (["grade", "min_enhet.yaml"], ["validate", "min_enhet.yaml"], ["plan", "min_enhet.yaml"]):
        assert cli.run(command) == 0
        err = capsys.readouterr().err
        print(err)
        warned = [line for line in err.splitlines() if line.startswith("varning: ")]
        assert warned == [
            f"varning: min_enhet.yaml:{_line_of(text, '  namn: Enhetens namn')}:9: enhet.namn: 'Enhetens namn' står "
            "kvar från mallen (spur init). Skriv enhetens namn.",
            f"varning: min_enhet.yaml:{_line_of(text, '  region: Region')}:11: enhet.region: 'Region' står kvar från "
            "mallen (spur init). Skriv regionens namn, t.ex. Region Skåne.",
            f"varning: min_enhet.yaml:{_line_of(text, '  namn: Verksamhetschefens')}:9: verksamhetschef.namn: "
            "'Verksamhetschefens namn' står kvar från mallen (spur init). Skriv verksamhetschefens namn.",
        ]
    assert cli.run(["grade", str(LINDEN)]) == 0
    assert "varning" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("uncommented", "said"),
    [
        (
            "#   specialistkompetens: ja/nej",
            "studierektor.specialistkompetens: 'ja/nej' står kvar från mallen (spur init). Skriv ja eller nej.",
        ),
        (
            "#   handledarutbildning: {genomford: ja/nej, datum: ÅÅÅÅ-MM-DD}",
            "studierektor.handledarutbildning.genomford: 'ja/nej' står kvar från mallen (spur init). Skriv ja eller nej.",
        ),
    ],
)
def test_template_placeholders_that_are_no_value_are_errors_saying_so(tmp_path, capsys, uncommented, said) -> None:
    import cli

    target = tmp_path / "min_enhet.yaml"
    assert cli.run(["init", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    text = text.replace(
        "# studierektor:\n#   namn: Studierektorns namn\n", "studierektor:\n  namn: Stina Studierektor\n"
    )
    written = "  " + uncommented.removeprefix("#").strip()
    text = text.replace(uncommented, written, 1)
    target.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert cli.run(["validate", str(target)]) == 3
    err = capsys.readouterr().err
    print(err)
    line = _line_of(text, written)
    assert f"{target}:{line}:" in err and said in err
