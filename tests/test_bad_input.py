"""Bad evidence files through the CLI (`cli.run`): exit code 3, one Swedish line per problem on stderr in the form
`fil.yaml:LINE:COL: key.path: message`, no traceback, and no output file written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

import cli
from engine.catalog import load_catalog

GOOD_UNIT = Path(__file__).parent / "data" / "good_unit.yaml"

# A minimal valid evidence file (rules/example_base.yaml); appended lines start at line 11.
MINIMAL = """\
enhet:
  namn: Testenheten
  vardgivare: Region Test
  specialitet: allmänmedicin
  region: Region Test
bedomning:
  datum: 2025-03-14
  typ: självvärdering
verksamhetschef:
  namn: Vera Chef
"""
PERSON = "st_lakare:\n  - namn: Anna Ek\n    regelverk: HSLF-FS 2021:8\n"  # lines 11-13


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij"[: levels - 1], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def spur(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run `spur ARGS` in tmp_path; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    calls: list[str] = []

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.run(list(argv))
        out, err = capsys.readouterr()
        calls.append(f"spur {' '.join(argv)} -> {code}\n{err}")
        return code, out, err

    yield run
    print("\n".join(calls))  # shown with the test's captured output on failure (or with -s)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def assert_rejected(tmp_path: Path, name: str, code: int, out: str, err: str) -> list[str]:
    """Exit 3, every stderr line names exactly `name`, no traceback, nothing written (not even a temp file)."""
    assert code == 3
    assert "Traceback" not in err and "Traceback" not in out
    assert out == ""
    lines = err.splitlines()
    assert lines, "no error message"
    for line in lines:
        assert line.startswith(f"{name}:"), line
    assert not (tmp_path / "out.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name], "output or temporary file written"
    return lines


CASES = [
    # (id, file content, line, key path or None, message fragment)
    (
        "syntax",
        "enhet:\n  namn: a\n vardgivare: b\n",
        3,
        None,
        "YAML-syntaxfel: raden är indragen 1 mellanslag, men 'enhet' på rad 1 står längst till vänster och 'namn' på "
        "rad 2 är indragen 2 mellanslag.",
    ),
    ("unclosed", "version: 1\nenhet: {namn: a,\n", 2, None, "YAML-syntaxfel: '{' här stängs aldrig med '}'."),
    (
        "duplicate",
        MINIMAL + "studierektor:\n  namn: Stina\n  namn: Stina Studierektor\n",
        13,
        "studierektor.namn",
        "nyckeln finns redan på rad 12",
    ),
    (
        "unknown_key",
        MINIMAL + PERSON + "    iup:\n      finns: ja\n      senst_reviderad: 2025-01-10\n",
        16,
        "st_lakare[1].iup.senst_reviderad",
        "okänd nyckel 'senst_reviderad'. Menade du 'senast_reviderad'?",
    ),
    (
        "wrong_type",
        MINIMAL + PERSON + "    iup: {finns: kanske}\n",
        14,
        "st_lakare[1].iup.finns",
        "ska vara ja eller nej, inte 'kanske'",
    ),
    (
        "impossible_date",
        MINIMAL + PERSON + "    iup: {finns: ja, senast_reviderad: 2025-02-30}\n",
        14,
        "st_lakare[1].iup.senast_reviderad",
        "ogiltigt datum '2025-02-30' (dagen finns inte i månaden)",
    ),
    (
        "unknown_requirement",
        MINIMAL + "intyganden:\n  X-99: {svar: ja}\n",
        12,
        "intyganden.X-99",
        "okänt krav-id 'X-99'.",
    ),
    (
        "near_requirement",
        MINIMAL + "intyganden:\n  A-3: {svar: ja}\n",
        12,
        "intyganden.A-3",
        "okänt krav-id 'A-3'. Menade du 'A-03'?",
    ),
    (
        "future_date",
        MINIMAL + PERSON + "    senaste_utvecklingssamtal: 2025-06-01\n",
        14,
        "st_lakare[1].senaste_utvecklingssamtal",
        "datumet 2025-06-01 ligger efter bedömningsdatumet 2025-03-14",
    ),
    (
        "future_indicator_result_date",
        MINIMAL
        + PERSON
        + "    forbattringsarbete:\n      - titel: CRP\n        status: genomfört\n        indikatorer:\n"
        + "          - {namn: CRP, riktning: minska, startvarde: 38, malvarde: 20, maldatum: 2026-12-31,\n"
        + "             resultatdatum: 2031-12-15}\n",
        19,
        "st_lakare[1].forbattringsarbete[1].indikatorer[1].resultatdatum",
        "datumet 2031-12-15 ligger efter bedömningsdatumet 2025-03-14",
    ),
    (
        "future_indicator_start_date",
        MINIMAL
        + PERSON
        + "    forbattringsarbete:\n      - titel: CRP\n        status: pågående\n        indikatorer:\n"
        + "          - {namn: CRP, riktning: minska, startvarde: 38, startdatum: 2025-04-01, malvarde: 20}\n",
        18,
        "st_lakare[1].forbattringsarbete[1].indikatorer[1].startdatum",
        "datumet 2025-04-01 ligger efter bedömningsdatumet 2025-03-14",
    ),
    (
        "indicator_direction_contradicts_start_and_target",
        MINIMAL
        + PERSON
        + "    forbattringsarbete:\n      - titel: CRP\n        status: pågående\n        indikatorer:\n"
        + "          - {namn: CRP, riktning: öka, startvarde: 38, malvarde: 20.5}\n",
        18,
        "st_lakare[1].forbattringsarbete[1].indikatorer[1].riktning",
        "riktningen 'öka' stämmer inte med start- och målvärdet (38 → 20,5). Skriv 'riktning: minska' eller rätta "
        "värdena.",
    ),
    (
        "iup_revised_before_drawn_up",
        MINIMAL
        + PERSON
        + "    iup:\n      finns: ja\n      upprattad: 2024-01-01\n      senast_reviderad: 2023-09-15\n",
        17,
        "st_lakare[1].iup.senast_reviderad",
        "IUP:n kan inte ha reviderats (2023-09-15) innan den upprättades (2024-01-01). Rätta något av datumen.",
    ),
    (
        "requirement_in_lower_case",
        MINIMAL + "intyganden:\n  a-03: {svar: ja}\n",
        12,
        "intyganden.a-03",
        "okänt krav-id 'a-03'. Menade du 'A-03'?",
    ),
    (
        "fraction_for_a_whole_number",
        MINIMAL + PERSON + "    handledning: {minuter_per_vecka: 0.5}\n",
        14,
        "st_lakare[1].handledning.minuter_per_vecka",
        "ska vara ett heltal, inte 0.5.",
    ),
    (
        "number_as_supervisor",
        MINIMAL + PERSON + "    huvudhandledare: 123\n",
        14,
        "st_lakare[1].huvudhandledare",
        "ska vara namnet på en handledare, inte 123. Skriv namnet som det står under 'handledare:', eller nej om",
    ),
    (
        "empty_date",
        MINIMAL.replace("datum: 2025-03-14", "datum:"),
        7,
        "bedomning.datum",
        "datum saknas. Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.",
    ),
    ("version_true", "version: true\n" + MINIMAL, 1, "version", "läses som ja/nej-värden. Skriv 1."),
    ("version_float", "version: 1.0\n" + MINIMAL, 1, "version", "ogiltigt värde 1.0. Tillåtna värden: 1."),
    (
        "huvudhandledare_not_flagged",
        MINIMAL
        + "handledare:\n  - namn: Sara Nyström\n    huvudhandledare: nej\n"
        + PERSON
        + "    huvudhandledare: Sara Nyström\n",
        17,
        "st_lakare[1].huvudhandledare",
        "handledaren (handledare[1]) har inte 'huvudhandledare: ja', så B-01 och B-02",
    ),
    (
        "personnummer_as_name",
        MINIMAL + "st_lakare:\n  - namn: 19800101-1234\n    regelverk: HSLF-FS 2021:8\n",
        12,
        "st_lakare[1].namn",
        "ser ut som ett personnummer. Ange namn eller pseudonym; personnummer ska inte stå i filen.",
    ),
    (
        "personnummer_with_a_space_in_a_name",
        MINIMAL + "st_lakare:\n  - namn: Amira 850101 1234\n    regelverk: HSLF-FS 2021:8\n",
        12,
        "st_lakare[1].namn",
        "ser ut som ett personnummer",
    ),
    (
        "personnummer_in_free_text",  # a valid check digit: 811218-9876
        MINIMAL + "observationer:\n  D:\n    svagheter: [IUP saknas för ST-läkaren med pnr 811218-9876.]\n",
        13,
        "observationer.D.svagheter[1]",
        "innehåller något som ser ut som ett personnummer. Personnummer ska inte stå i filen",
    ),
    (
        "bidi_override_in_a_name",
        MINIMAL + 'st_lakare:\n  - namn: "Anna \u202eKE"\n    regelverk: HSLF-FS 2021:8\n',
        12,
        "st_lakare[1].namn",
        "innehåller ett osynligt tecken (U+202E) som ändrar hur texten visas",
    ),
    (
        "empty_choice",
        MINIMAL.replace("typ: självvärdering", "typ:"),
        8,
        "bedomning.typ",
        "värde saknas. Tillåtna värden: 'självvärdering'",
    ),
    (
        "empty_text",
        MINIMAL.replace("namn: Testenheten", "namn:"),
        2,
        "enhet.namn",
        "text saknas. Skriv texten efter kolonet.",
    ),
    (
        "empty_yes_no",
        MINIMAL + PERSON + "    iup: {finns: }\n",
        14,
        "st_lakare[1].iup.finns",
        "värde saknas. Skriv ja eller nej.",
    ),
    (
        "zero_width_space_in_a_specialty",  # looked like allmänmedicin and failed B-01 silently
        MINIMAL.replace("specialitet: allmänmedicin", 'specialitet: "allmän\u200bmedicin"'),
        4,
        "enhet.specialitet",
        "innehåller ett osynligt tecken (U+200B)",
    ),
    (
        "empty_list_item",
        MINIMAL + "observationer:\n  D:\n    styrkor:\n      -\n",
        14,
        "observationer.D.styrkor[1]",
        "text saknas. Skriv texten efter strecket.",
    ),
    (
        "not_applicable_where_the_facts_decide",  # E-09 applies whenever a huvudhandledare exists
        MINIMAL + "intyganden:\n  E-09: {svar: ej tillämpligt, underlag: Intervju}\n",
        12,
        "intyganden.E-09.svar",
        "'ej tillämpligt' kan inte anges för E-09",
    ),
    (
        "indicator_result_before_its_start",
        MINIMAL
        + PERSON
        + "    forbattringsarbete:\n      - titel: CRP\n        status: pågående\n        indikatorer:\n"
        + "          - {namn: CRP, riktning: minska, startvarde: 38, startdatum: 2024-01-10, malvarde: 20,"
        + " resultat: 17, resultatdatum: 2023-12-15}\n",
        18,
        "st_lakare[1].forbattringsarbete[1].indikatorer[1].resultatdatum",
        "resultatet (2023-12-15) kan inte vara mätt före startvärdet (2024-01-10)",
    ),
    ("control_character", MINIMAL + 'sammanfattning:\n  text: "a\\ab"\n', 12, "sammanfattning.text", "styrtecken"),
    (
        "not_a_regulation",
        MINIMAL + "st_lakare:\n  - namn: Anna Ek\n    regelverk: SOSFS 2021:8\n",
        13,
        "st_lakare[1].regelverk",
        "ogiltigt värde 'SOSFS 2021:8'. Tillåtna värden: 'SOSFS 2015:8' eller 'HSLF-FS 2021:8'.",
    ),
    (
        "english_word_as_answer",
        MINIMAL + "intyganden:\n  A-03: {svar: yes}\n",
        12,
        "intyganden.A-03.svar",
        "ogiltigt värde 'yes'. Tillåtna värden: 'ja', 'nej' eller 'ej tillämpligt'.",
    ),
    (
        "ja_as_supervisor",
        MINIMAL + PERSON + "    huvudhandledare: ja\n",
        14,
        "st_lakare[1].huvudhandledare",
        "ange personens namn i stället för ja, eller nej om ingen är utsedd.",
    ),
    (
        "a_plan_given_as_evidence",
        "enhet: X\nplandatum: 2025-04-01\nrader: []\n",
        1,
        None,
        "det här är en handlingsplan",
    ),
    ("two_documents", "version: 1\n---\nversion: 1\n", 2, None, "filen får bara innehålla ett YAML-dokument"),
    ("duplicate_anchor", "a: &x 1\nb: &x 2\n", 2, None, "samma ankare (&namn) används två gånger"),
    ("control_byte", "enhet:\n  namn: a\x01b\n", 2, None, "otillåtet tecken U+0001 (ett styrtecken)"),
    ("non_utf8", b"enhet:\n  namn: Test\xff\n", 2, None, "inte giltig UTF-8 (byte 0xff)"),
    ("empty", b"", 1, None, "filen är tom"),
    ("only_comment", "# inget innehåll\n", 1, None, "inga uppgifter"),
]


@pytest.mark.parametrize(("content", "line", "key", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rejected_with_location(spur, tmp_path: Path, content, line: int, key: str | None, fragment: str) -> None:
    name = "enhet.yaml"
    write(tmp_path, name, content)
    code, out, err = spur("grade", name, "-o", "out.json")
    lines = assert_rejected(tmp_path, name, code, out, err)
    first = lines[0]
    m = re.match(rf"^{re.escape(name)}:(\d+):(\d+): ", first)
    assert m, f"no LINE:COL in {first!r}"
    assert int(m.group(1)) == line, first
    if key is not None:
        assert first[m.end() :].startswith(f"{key}: "), first
    assert fragment in first
    if "X-99" in first:  # no close id: the message still points somewhere useful
        assert "Menade du" in first or "spur rules list" in first


def test_python_tag_is_rejected_and_not_executed(spur, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    name = "enhet.yaml"
    write(tmp_path, name, MINIMAL + f'sammanfattning:\n  text: !!python/object/apply:os.system ["touch {marker}"]\n')
    code, out, err = spur("grade", name, "-o", "out.json")
    assert not marker.exists(), "the tag was executed"
    lines = assert_rejected(tmp_path, name, code, out, err)
    assert lines[0].startswith(f"{name}:12:9: sammanfattning.text: YAML-taggen !!python/object/apply:os.system")


def test_alias_bomb_rejected_fast_and_small(spur, tmp_path: Path) -> None:
    load_catalog()  # warm: measure the file, not the rule catalogue
    name = "enhet.yaml"
    write(tmp_path, name, billion_laughs(9))
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        code, out, err = spur("grade", name, "-o", "out.json")
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"alias bomb: {elapsed * 1000:.1f} ms, peak {peak / 1024 / 1024:.2f} MB")
    lines = assert_rejected(tmp_path, name, code, out, err)
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024
    # the first alias `*a` is on line 2, column 8 (not the anchor `&a` on line 1)
    assert lines[0].startswith(f"{name}:2:8: b[1]: YAML-alias"), lines[0]


def test_alias_in_a_nested_mapping_points_at_the_alias(spur, tmp_path: Path) -> None:
    name = "enhet.yaml"
    write(
        tmp_path,
        name,
        MINIMAL + "studierektor: &sr\n  namn: Stina\nsammanfattning:\n  text: x\nobservationer:\n  A: *sr\n",
    )
    code, out, err = spur("grade", name)
    lines = assert_rejected(tmp_path, name, code, out, err)
    assert lines[0].startswith(f"{name}:16:6: observationer.A: YAML-alias"), lines[0]


@pytest.mark.parametrize(
    ("nesting", "col", "key"),
    [
        ("x: " + "[" * 30000 + "]" * 30000, 68, "x" + "[1]" * 64),  # flow sequences
        ("x: " + "{a: " * 30000 + "1" + "}" * 30000, 260, "x" + ".a" * 64),  # flow mappings
        ("x:\n " + "- " * 30000 + "a", 130, "x" + "[1]" * 64),  # compact block sequences (line 2)
    ],
    ids=["flow_sequences", "flow_mappings", "block_sequences"],
)
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, nesting: str, col: int, key: str) -> None:
    """libyaml's composer recursed in C until the process died (segmentation fault) at ~30,000 levels in a 60 KB
    file. In a subprocess, so that a crash fails this test instead of ending the test run."""
    path = write(tmp_path, "djup.yaml", "version: 1\n" + nesting + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "CI": "1"},
        timeout=120,
    )
    print(proc.returncode, proc.stderr)
    line = 3 if nesting.startswith("x:\n") else 2
    assert (proc.returncode, proc.stdout) == (3, "")
    assert proc.stderr == f"{path}:{line}:{col}: {key}: för djupt nästlad (mer än 64 nivåer).\n"


def test_file_over_the_size_limit(spur, tmp_path: Path) -> None:
    name = "enhet.yaml"
    write(tmp_path, name, MINIMAL + "# " + "x" * (3 * 1024 * 1024) + "\n")
    t0 = time.perf_counter()
    code, out, err = spur("grade", name, "-o", "out.json")
    print(f"3 MB file rejected in {(time.perf_counter() - t0) * 1000:.1f} ms")
    lines = assert_rejected(tmp_path, name, code, out, err)
    assert lines[0].startswith(f"{name}:1:1: filen är 3,0 MB, gränsen är 1 MB"), lines[0]


def test_syntax_error_message_is_swedish(spur, tmp_path: Path) -> None:
    # libyaml's wording ("... in this context") differs from pure PyYAML's ("... here")
    name = "enhet.yaml"
    write(tmp_path, name, "enhet:\n  namn: a: b\n")
    code, out, err = spur("grade", name, "-o", "out.json")
    lines = assert_rejected(tmp_path, name, code, out, err)
    assert lines[0] == (
        f"{name}:2:10: YAML-syntaxfel: ett kolon står där det inte får stå: 'namn' har redan ett värde på raden. "
        "Sätt citattecken runt värdet om kolonet hör till texten, t.ex. namn: 'a: b'."
    )
    assert "mapping values" not in err


@pytest.mark.parametrize("order", ["good_first", "bad_first"])
def test_validate_good_and_bad(spur, tmp_path: Path, order: str) -> None:
    write(tmp_path, "bra.yaml", MINIMAL)
    write(tmp_path, "fel.yaml", MINIMAL + PERSON + "    iup: {finns: kanske}\n")
    files = ["bra.yaml", "fel.yaml"] if order == "good_first" else ["fel.yaml", "bra.yaml"]
    code, out, err = spur("validate", *files)
    assert code == 3
    assert "Traceback" not in out + err
    assert out.startswith("bra.yaml: giltig (Testenheten"), out
    assert err.splitlines() == ["fel.yaml:14:11: st_lakare[1].iup.finns: ska vara ja eller nej, inte 'kanske'."], err


def test_validate_all_good(spur, tmp_path: Path) -> None:
    write(tmp_path, "bra.yaml", MINIMAL)
    code, out, err = spur("validate", "bra.yaml", str(GOOD_UNIT))
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 2 and "Vårdcentralen Test, 1 ST-läkare" in out


def test_validate_tells_missing_st_lakare_from_none(spur, tmp_path: Path) -> None:
    """Without the key the ST-läkare are missing evidence (as `spur grade` says); an empty list is zero of them."""
    write(tmp_path, "utan.yaml", MINIMAL)
    write(tmp_path, "tom.yaml", MINIMAL + "st_lakare: []\n")
    code, out, err = spur("validate", "utan.yaml", "tom.yaml")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "utan.yaml: giltig (Testenheten, ST-läkare saknas i underlaget, bedömd 2025-03-14)",
        "tom.yaml: giltig (Testenheten, 0 ST-läkare, bedömd 2025-03-14)",
    ]


def test_target_date_may_lie_after_the_assessment(spur, tmp_path: Path) -> None:
    """An indicator's maldatum is a target, not something that happened: it may lie after bedomning.datum."""
    indicator = (
        "{namn: CRP, riktning: minska, startvarde: 38, startdatum: 2024-01-10, malvarde: 20, maldatum: 2026-12-31}"
    )
    write(
        tmp_path,
        "bra.yaml",
        MINIMAL + PERSON + f"    forbattringsarbete:\n      - titel: CRP\n        status: pågående\n"
        f"        indikatorer: [{indicator}]\n",
    )
    code, out, err = spur("validate", "bra.yaml")
    assert (code, err) == (0, "") and out.startswith("bra.yaml: giltig"), err


def test_other_numbers_in_free_text_are_not_personnummer(spur, tmp_path: Path) -> None:
    """Free text is checked for real personnummer only (a possible date and a correct check digit), so phone
    numbers, diarienummer, dates and times pass; 811218-9875 has the wrong check digit."""
    text = "Ring 0701234567 eller se dnr 2024-1234 och 20250301 1030; 811218-9875; 19991332-1234."
    write(tmp_path, "bra.yaml", MINIMAL + f"observationer:\n  D:\n    text: {text}\n")
    code, out, err = spur("validate", "bra.yaml")
    print(out, err)
    assert (code, err) == (0, "")


def test_unknown_option_is_usage_error(spur, tmp_path: Path) -> None:
    write(tmp_path, "bra.yaml", MINIMAL)
    code, out, err = spur("grade", "--bogus", "bra.yaml", "-o", "out.json")
    assert code == 2
    assert "Traceback" not in out + err
    assert "okänt alternativ" in err and "'--bogus'" in err, err
    assert "Error" not in err and "Usage" not in err, err
    assert not (tmp_path / "out.json").exists()


def test_fail_on(spur, tmp_path: Path) -> None:
    write(tmp_path, "minimal.yaml", MINIMAL)
    # the minimal unit lacks nearly all evidence: every area is (provisionally) D
    assert spur("grade", "minimal.yaml", "--fail-on", "D")[0] == 1
    # the complete unit is A everywhere: D is not reached, A is ("this grade or worse")
    code, out, err = spur("grade", str(GOOD_UNIT), "--fail-on", "D", "--format", "json", "-o", "ok.json")
    assert (code, out, err) == (0, "", "")
    assert {a["grade"] for a in json.loads((tmp_path / "ok.json").read_text())["areas"]} == {"A"}
    assert spur("grade", str(GOOD_UNIT), "--fail-on", "B")[0] == 0
    assert spur("grade", str(GOOD_UNIT), "--fail-on", "A")[0] == 1
    assert spur("grade", str(GOOD_UNIT))[0] == 0


def test_decomposed_letters_read_as_composed(tmp_path, capsys):
    """Text saved decomposed (NFD, as macOS often does) reads as the composed letters: a literal value matches and
    the unit name equals the plan's, so the plan applies."""
    import unicodedata

    root = Path(__file__).resolve().parent.parent / "evidence" / "examples"
    text = (root / "vardcentralen_linden.yaml").read_text(encoding="utf-8")
    text = text.replace("typ: förbedömning", "typ: självvärdering", 1)
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text and "självvärdering" not in nfd
    evidence = tmp_path / "linden_nfd.yaml"
    evidence.write_text(nfd, encoding="utf-8")
    plan = root / "handlingsplaner" / "vardcentralen_linden.yaml"
    assert cli.run(["grade", str(evidence), "--plan", str(plan), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == "Vårdcentralen Linden" and data["assessment_kind"] == "självvärdering"
    assert [a["adjusted_grade"] for a in data["areas"] if a["area"] == "D"] == ["C"]


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\nx: " + "[" * 70 + "]" * 70 + "\n",
        "version: 1\nenhet:\n  a: " + "{k: " * 70 + "1" + "}" * 70 + "\n",
        "version: 1\nx:\n " + "- " * 70 + "a\n",
        "version: 1\nst: [{a: [1, {b: " + "[" * 70 + "]" * 70 + "}]}]\n",
    ],
    ids=["flow", "mappings", "block", "mixed"],
)
def test_deep_nesting_reads_the_same_from_the_event_scan(monkeypatch, text: str) -> None:
    """Past _DEEP_SCAN nesting characters the depth is checked from libyaml's events before composing; the message
    (line, column, key path) must be the one the composed tree gives."""
    from evidence import yamlsafe
    from evidence.errors import InputError

    said = []
    for threshold in (10**9, 0):
        monkeypatch.setattr(yamlsafe, "_DEEP_SCAN", threshold)
        with pytest.raises(InputError) as caught:
            yamlsafe.parse(text, "f.yaml")
        said.append(caught.value.lines)
    print(said[1][0][:100])
    assert said[0] == said[1] and "för djupt nästlad" in said[0][0]
