"""A seeded mutator of the example evidence files and the example handlingsplan, for tests/test_fuzz.py.

`mutate(index, seed)` returns case number `index` of the run `seed`: one source file (an example unit, the test
suite's complete unit, or the example plan) with one to three mutations applied to its text, and the bytes to write.
The same (index, seed) always gives the same bytes. Mutations work on the text as a person would damage it, so the
file keeps its layout (comments, flow mappings, indentation) everywhere the mutation does not touch:

deleted keys, wrong types, unknown keys, swapped and integer dates, huge and negative numbers, Unicode oddities,
deep nesting, very long strings, anchors and aliases, tags, duplicate keys at depth, BOMs, CRLF and lone CR line
ends, NUL and other control characters, Latin-1 bytes, tabs, truncation and stray YAML document markers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "evidence" / "examples"
UNITS = (*sorted(EXAMPLES.glob("*.yaml")), ROOT / "tests" / "data" / "good_unit.yaml")
PLAN = EXAMPLES / "handlingsplaner" / "vardcentralen_linden.yaml"
LINDEN = EXAMPLES / "vardcentralen_linden.yaml"

_KEY_LINE = re.compile(r"^( *)(?:- )?([A-Za-z_][\w-]*): ?(.*)$")
_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
_NUMBER = re.compile(r"(?<=: )-?\d+(?:\.\d+)?(?=[,}\s]|$)")
_FLOW_VALUE = re.compile(r"(?<=: )[^,{}\[\]\n#]+")

WRONG_TYPES = ("[]", "{}", "[1, 2]", "{a: 1}", "123", "1.5", "true", "false", "null", "~", "''", '"text"', "ja")
NUMBERS = (
    "1e400",
    "-1e400",
    ".nan",
    ".inf",
    "-.inf",
    "-1",
    "-0.0",
    "0",
    "9" * 40,
    "-" + "9" * 25,
    "1" + "0" * 5000,
    "0x7fffffffffffffff",
    "0o777",
    "1_000",
    "1:30",
    "2147483648",
    "-9223372036854775809",
    "1e-400",
)
INTEGER_DATES = ("1751241600", "1767225600", "20250314", "0", "-1", "45000", "1e9", "2025", "99999999999999")
ODDITIES = (
    "\u200b",  # zero-width space
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u0301",  # combining acute accent
    "a\u0308",  # decomposed ä
    "\U0001f600",  # an emoji outside the BMP
    "\ufffe",  # a noncharacter
    "\uffff",
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\x85",  # next line
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
    "\uff11\uff12",  # full-width digits
    "\ud7ff",
    "\ue000",  # private use
    "\x7f",  # delete
    "\x1b[31m",  # an escape sequence
    "\r",
    "\t",
    "\x0c",
)
ESCAPES = ("\\0", "\\x01", "\\r", "\\u202e", "\\ud800", "\\U0010ffff", "\\e", "\\N", "\\_", "\\L", "\\P", "\\x85")
TAGS = (
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!!binary aGVq",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!pairs [a: 1]",
    "!!timestamp 2025-03-14",
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!map",
    "!!seq",
    "!egen",
    "!<tag:yaml.org,2002:str>",
    "!<tag:example.com,2000:x>",
)
WORDS = ("okand", "typp", "namnn", "Datum", "NAMN", "x", "svar_", "kommentarer", "é", "名前", "k" * 300)


class Case(NamedTuple):
    index: int
    seed: int
    kind: str  # evidence | plan
    source: Path
    mutations: tuple[str, ...]
    data: bytes

    def describe(self) -> str:
        return f"fall {self.index} (frö {self.seed}): {self.source.name} med {', '.join(self.mutations)}"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _key_lines(lines: list[str], min_indent: int = 0) -> list[int]:
    return [i for i, line in enumerate(lines) if (m := _KEY_LINE.match(line)) and len(m.group(1)) >= min_indent]


def _block_end(lines: list[str], i: int) -> int:
    """The line after the block that starts at line `i` (its key line and every more indented line after it)."""
    indent = len(lines[i]) - len(lines[i].lstrip(" "))
    if lines[i].lstrip(" ").startswith("- "):
        indent += 1  # a list item's continuation lines are indented past its dash
    j = i + 1
    while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip(" ")) > indent):
        j += 1
    return j


def delete_key(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    keys = _key_lines(lines)
    if not keys:
        return text
    i = rng.choice(keys)
    if lines[i].lstrip(" ").startswith("- "):  # keep the list item: drop only its first key
        m = _KEY_LINE.match(lines[i])
        assert m is not None
        rest = lines[_block_end(lines, i) :]
        return "\n".join([*lines[:i], m.group(1) + "- {}", *rest])
    return "\n".join(lines[:i] + lines[_block_end(lines, i) :])


def _replace_value(rng: random.Random, text: str, values: tuple[str, ...] | Callable[[], str]) -> str:
    lines = _lines(text)
    keys = _key_lines(lines)
    if not keys:
        return text
    i = rng.choice(keys)
    m = _KEY_LINE.match(lines[i])
    assert m is not None
    value = values() if callable(values) else rng.choice(values)
    head = lines[i][: m.start(3)]
    if m.group(3).startswith("{") and rng.random() < 0.7:  # a value inside the flow mapping
        spans = list(_FLOW_VALUE.finditer(lines[i], m.start(3)))
        if spans:
            s = rng.choice(spans)
            lines[i] = lines[i][: s.start()] + value + lines[i][s.end() :]
            return "\n".join(lines)
    if not m.group(3).strip():  # a block below the key: replace the whole block
        lines[i : _block_end(lines, i)] = [head + (" " if not head.endswith(" ") else "") + value]
        return "\n".join(lines)
    lines[i] = head + value
    return "\n".join(lines)


def wrong_type(rng: random.Random, text: str) -> str:
    return _replace_value(rng, text, WRONG_TYPES)


def unknown_key(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    keys = _key_lines(lines)
    word = rng.choice(WORDS)
    value = rng.choice(("ja", "1", "text", "[]", "{}", "2025-01-01"))
    if not keys or rng.random() < 0.2:
        return f"{word}: {value}\n{text}"
    i = rng.choice(keys)
    m = _KEY_LINE.match(lines[i])
    assert m is not None
    if m.group(3).startswith("{") and rng.random() < 0.5:
        lines[i] = lines[i][: m.start(3) + 1] + f"{word}: {value}, " + lines[i][m.start(3) + 1 :]
        return "\n".join(lines)
    indent = m.group(1) + ("  " if lines[i].lstrip(" ").startswith("- ") else "")
    lines.insert(i + 1 if m.group(3).strip() else _block_end(lines, i), f"{indent}{word}: {value}")
    return "\n".join(lines)


def swap_dates(rng: random.Random, text: str) -> str:
    found = list(_DATE.finditer(text))
    if len(found) < 2:
        return text
    a, b = sorted(rng.sample(found, 2), key=lambda m: m.start())
    return text[: a.start()] + b.group() + text[a.end() : b.start()] + a.group() + text[b.end() :]


def integer_date(rng: random.Random, text: str) -> str:
    found = list(_DATE.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    return text[: m.start()] + rng.choice(INTEGER_DATES) + text[m.end() :]


def odd_date(rng: random.Random, text: str) -> str:
    found = list(_DATE.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    other = rng.choice(
        ("2025-02-30", "2025-13-01", "0000-01-01", "9999-12-31", "2025-03-14T10:00:00", "2025-3-4", "14/3/2025")
    )
    return text[: m.start()] + other + text[m.end() :]


def number(rng: random.Random, text: str) -> str:
    found = list(_NUMBER.finditer(text))
    if found and rng.random() < 0.6:
        m = rng.choice(found)
        return text[: m.start()] + rng.choice(NUMBERS) + text[m.end() :]
    return _replace_value(rng, text, NUMBERS)


def _scalar_positions(text: str) -> list[int]:
    """Places inside plain values: after ': ' and before the end of the line or the next flow separator."""
    return [m.end() - 1 for m in re.finditer(r": [^\s\[{'\"&*!|>#-][^,\n]", text)]


def unicode_oddity(rng: random.Random, text: str) -> str:
    spots = _scalar_positions(text)
    odd = "".join(rng.choice(ODDITIES) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.3:  # as an escape in a double-quoted value
        return _replace_value(rng, text, lambda: '"Text ' + rng.choice(ESCAPES) + ' mer"')
    if not spots:
        return odd + text
    at = rng.choice(spots)
    return text[:at] + odd + text[at:]


def decompose(rng: random.Random, text: str) -> str:
    import unicodedata

    return unicodedata.normalize(rng.choice(("NFD", "NFKD", "NFKC")), text)


def deep_nesting(rng: random.Random, text: str) -> str:
    depth = rng.choice((20, 63, 64, 65, 66, 100, 1000, 5000))
    value = "[" * depth + "x" + "]" * depth if rng.random() < 0.5 else "{a: " * depth + "x" + "}" * depth
    if rng.random() < 0.2:  # a block nesting, one level per line
        value = "\n" + "".join("  " * (k + 1) + "a:\n" for k in range(min(depth, 200)))
        value = value.rstrip("\n") + " x"
    return _replace_value(rng, text, (value,))


def long_string(rng: random.Random, text: str) -> str:
    size = rng.choice((1000, 65_536, 300_000, 900_000, 2_000_000))
    piece = rng.choice(("a", "å", "ab cd ", "x" * 99 + " ", "\U0001f600"))
    value = (piece * (size // len(piece) + 1))[:size]
    if rng.random() < 0.5:
        value = '"' + value + '"'
    return _replace_value(rng, text, (value,))


def long_key(rng: random.Random, text: str) -> str:
    return ("k" * rng.choice((1023, 1024, 1025, 5000))) + ": x\n" + text


def anchor(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    keys = [i for i in _key_lines(lines) if _KEY_LINE.match(lines[i]).group(3).strip()]  # type: ignore[union-attr]
    if len(keys) < 2:
        return text
    a, b = sorted(rng.sample(keys, 2))
    ma, mb = _KEY_LINE.match(lines[a]), _KEY_LINE.match(lines[b])
    assert ma is not None and mb is not None
    lines[a] = lines[a][: ma.start(3)] + "&ankare " + lines[a][ma.start(3) :]
    if rng.random() < 0.2:
        lines.insert(b + 1, mb.group(1) + "<<: *ankare")
    else:
        lines[b] = lines[b][: mb.start(3)] + "*ankare"
    return "\n".join(lines)


def tag(rng: random.Random, text: str) -> str:
    tagged = rng.choice(TAGS)
    if rng.random() < 0.1:
        return "%TAG !e! tag:example.com,2000:\n---\n" + text
    return _replace_value(rng, text, lambda: tagged if " " in tagged else tagged + " x")


def duplicate_key(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    keys = _key_lines(lines, min_indent=rng.choice((0, 2, 4)))
    if not keys:
        return text
    i = rng.choice(keys)
    m = _KEY_LINE.match(lines[i])
    assert m is not None
    if m.group(3).startswith("{") and "," in m.group(3):  # within the flow mapping
        first = m.group(3)[1:].split(",", 1)[0]
        lines[i] = lines[i][: m.start(3) + 1] + first + "," + lines[i][m.start(3) + 1 :]
        return "\n".join(lines)
    copy = lines[i]
    if copy.lstrip(" ").startswith("- "):
        copy = copy.replace("- ", "  ", 1)
    lines.insert(i + 1, copy if m.group(3).strip() else copy + " x")
    return "\n".join(lines)


def bom(rng: random.Random, text: str) -> str:
    where = rng.random()
    if where < 0.6:
        return "\ufeff" * rng.randint(1, 3) + text
    at = rng.randrange(len(text) + 1)
    return text[:at] + "\ufeff" + text[at:]


def line_ends(rng: random.Random, text: str) -> str:
    style = rng.choice(("crlf", "crlf", "cr", "mixed", "nel"))
    if style == "crlf":
        return text.replace("\n", "\r\n")
    if style == "cr":
        return text.replace("\n", "\r")
    if style == "nel":
        return text.replace("\n", rng.choice(("\x85", "\u2028")), rng.randint(1, 5))
    return text.replace("\n", "\r\n", rng.randint(1, 20))  # mixed: the first lines CRLF, the rest LF


def control(rng: random.Random, text: str) -> str:
    char = rng.choice(("\x00", "\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x9b", "\ud800"))
    at = rng.randrange(len(text) + 1)
    return text[:at] + char + text[at:]


def tab(rng: random.Random, text: str) -> str:
    spots = [m.start() for m in re.finditer(r"(?<=:) (?=\S)", text)]
    where = rng.random()
    if spots and where < 0.6:  # `key:\tvalue`
        at = rng.choice(spots)
        return text[:at] + "\t" + text[at + 1 :]
    if where < 0.8:  # a tab in the indentation
        lines = _lines(text)
        indented = [i for i, line in enumerate(lines) if line.startswith("  ")]
        if indented:
            i = rng.choice(indented)
            lines[i] = "\t" + lines[i][2:]
            return "\n".join(lines)
    spots = _scalar_positions(text)  # inside a value, or after it
    if not spots:
        return text
    at = rng.choice(spots)
    return text[:at] + "\t" + text[at:]


def truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


def drop_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def reindent(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice((" ", "   ", "")) + lines[i].lstrip(" ") if rng.random() < 0.5 else " " + lines[i]
    return "\n".join(lines)


def documents(rng: random.Random, text: str) -> str:
    return rng.choice(
        (
            "---\n" + text,
            text + "\n---\n" + text,
            text + "\n...\n",
            "%YAML 1.1\n---\n" + text,
            "%YAML 1.3\n---\n" + text,
            "%YAML 2.0\n---\n" + text,
            "--- |\n  " + text[:40] + "\n",
            "- " + text.replace("\n", "\n  "),
            "",
            "   \n",
            "# bara en kommentar\n",
        )
    )


TEXT_MUTATIONS: dict[str, Callable[[random.Random, str], str]] = {
    "borttagen nyckel": delete_key,
    "fel typ": wrong_type,
    "okänd nyckel": unknown_key,
    "bytta datum": swap_dates,
    "datum som heltal": integer_date,
    "ogiltigt datum": odd_date,
    "stora och negativa tal": number,
    "Unicode": unicode_oddity,
    "NFD/NFKC": decompose,
    "djup nästling": deep_nesting,
    "lång sträng": long_string,
    "lång nyckel": long_key,
    "ankare": anchor,
    "tagg": tag,
    "dubblerad nyckel": duplicate_key,
    "BOM": bom,
    "radslut": line_ends,
    "styrtecken/NUL": control,
    "tabb": tab,
    "avkortad": truncate,
    "borttagen rad": drop_line,
    "indrag": reindent,
    "dokumentmarkörer": documents,
}
# Mutations of the bytes after encoding: Latin-1 for the whole file or a single stray byte.
BYTE_MUTATIONS = ("Latin-1", "Latin-1-byte", "ogiltig UTF-8")


def _encode(rng: random.Random, text: str, how: str | None) -> bytes:
    if how == "Latin-1":
        return text.encode("latin-1", errors="replace")
    data = text.encode("utf-8", errors="surrogatepass")
    if how in ("Latin-1-byte", "ogiltig UTF-8"):
        at = rng.randrange(len(data) + 1)
        stray = b"\xe5" if how == "Latin-1-byte" else rng.choice((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88"))
        data = data[:at] + stray + data[at:]
    return data


def mutate(index: int, seed: int) -> Case:
    rng = random.Random(f"{seed}:{index}")
    kind = "plan" if rng.random() < 0.3 else "evidence"
    source = PLAN if kind == "plan" else rng.choice(UNITS)
    text = source.read_text(encoding="utf-8")
    names = list(TEXT_MUTATIONS)
    applied: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        name = rng.choice(names)
        text = TEXT_MUTATIONS[name](rng, text)
        applied.append(name)
    how = rng.choice(BYTE_MUTATIONS) if rng.random() < 0.08 else None
    if how:
        applied.append(how)
    return Case(index, seed, kind, source, tuple(applied), _encode(rng, text, how))
