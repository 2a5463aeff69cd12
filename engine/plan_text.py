"""Edit a handlingsplan's YAML text in place, at the positions libyaml (the loader that validated it) reports.

Every byte this does not change stays as the person wrote it: comments, quotes, key order, indentation of lists,
tabs, line ends (LF, CRLF or CR). Only two edits are made: a row's `kravet_uppfyllt` value (or the key, added at
the end of the row), and new rows in report order among the rows there, written in the style of the rows already there (block or flow,
the same columns for the dash and the keys, the file's line end). Reading the file with one parser only is the
point: ruamel.yaml, which edited plans before, refused files libyaml reads (`status:\tplanerad`, two BOMs).
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from evidence.yamlsafe import Document, mapping_entry

# The line breaks YAML 1.1 (libyaml) knows.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
Edit = tuple[int, int, str]  # replace text[start:end] with the string


def line_break(text: str) -> str:
    """The file's own line end: the first one in it, else LF."""
    found = _LINE_BREAK.search(text)
    return found.group() if found else "\n"


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one `index` is on (the end of the text if there is none); `index` itself if
    a line starts there (a block scalar ends after its line break)."""
    if index == 0 or (_LINE_BREAK.match(text, index - 1) and text[index - 1 : index + 1] != "\r\n"):
        return index
    found = _LINE_BREAK.search(text, index)
    return found.end() if found else len(text)


def _content_end(node: Node) -> int:
    """Where the last value written in `node` ends (its last nested value, not the comments after it)."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        if isinstance(node, MappingNode):
            key, value = last
            empty = isinstance(value, ScalarNode) and value.value == "" and not value.style
            node = key if empty else value
        else:
            node = last
    return node.end_mark.index


def _insert_line(text: str, node: Node, line: str, nl: str) -> Edit:
    """`line` as a new line after the last line of `node`'s content."""
    at = _after_line(text, _content_end(node))
    if at == len(text) and text and not _LINE_BREAK.match(text, len(text) - 1):
        return at, at, nl + line + nl
    return at, at, line + nl


def _insert_in_flow(text: str, node: Node, item: str) -> Edit:
    """`item` as the last entry of the flow collection `node` (`{…}` or `[…]`)."""
    close = node.end_mark.index - 1
    before = text[node.start_mark.index + 1 : close].rstrip()
    comma = "" if not before or before.endswith(",") else ","
    return close, close, f"{comma} {item}"


def flag(text: str, row: MappingNode, value: bool, nl: str) -> Edit:
    """Set the row's `kravet_uppfyllt` to ja or nej (quoted if it was), like the plan's other answers; also where an
    older file wrote true/false."""
    word = "ja" if value else "nej"
    found = mapping_entry(row, "kravet_uppfyllt")
    if found is None:
        entry = f"kravet_uppfyllt: {word}"
        if row.flow_style:
            return _insert_in_flow(text, row, entry)
        return _insert_line(text, row, " " * row.value[0][0].start_mark.column + entry, nl)
    node = found[1]
    if node.style in ("'", '"'):
        word = node.style + word + node.style
    elif node.style in ("|", ">"):  # a block scalar ends after its line break
        word += nl
    return node.start_mark.index, node.end_mark.index, word


def flag_in_english(row: MappingNode) -> bool:
    """The row's `kravet_uppfyllt` is written true/false (older plans): `flag` rewrites it as ja/nej."""
    found = mapping_entry(row, "kravet_uppfyllt")
    return found is not None and isinstance(found[1], ScalarNode) and found[1].value.lower() in ("true", "false")


def writer(flow: bool = False) -> YAML:
    """ruamel.yaml as it writes plans: one line per value, å ä ö as they are, empty values empty."""
    y = YAML()
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    y.preserve_quotes = True
    y.default_flow_style = flow
    aliased = y.representer.ignore_aliases
    # one date object written twice (date.max as due and follow-up date) must not become an &anchor / *alias
    y.representer.ignore_aliases = lambda data: isinstance(data, date) or aliased(data)
    return y


def dump(data: Any, flow: bool = False) -> str:
    out = io.StringIO()
    writer(flow).dump(data, out)
    return out.getvalue()


def _block_rows(rows: list[dict[str, Any]], dash: int, key: int, nl: str) -> str:
    lines = []
    for row in rows:
        first, *rest = dump(row).rstrip("\n").split("\n")
        lines.append(" " * dash + "-" + " " * max(1, key - dash - 1) + first)
        lines.extend(" " * key + line for line in rest)
    return nl.join(lines) + nl


def append_rows(text: str, doc: Document, rows: list[dict[str, Any]], nl: str) -> Edit:
    """`rows` after the plan's last row, in the style of the rows there; `rader:` is added if the plan has none."""
    root = doc.root
    assert isinstance(root, MappingNode), "a validated plan is a mapping"
    found = mapping_entry(root, "rader")
    if found is None:
        if root.flow_style:
            return _insert_in_flow(text, root, "rader: [" + ", ".join(_flow(row) for row in rows) + "]")
        indent = root.value[0][0].start_mark.column
        block = _block_rows(rows, indent + 2, indent + 4, nl)
        return _insert_line(text, root, " " * indent + "rader:" + nl + block[: -len(nl)], nl)
    key, seq = found
    assert isinstance(seq, SequenceNode), "a validated plan's rader is a list"
    if not seq.value:  # `rader: []`: the rows in block style below the key
        indent = key.start_mark.column
        block = _block_rows(rows, indent + 2, indent + 4, nl)
        return key.end_mark.index, seq.end_mark.index, ":" + nl + block[: -len(nl)]
    if seq.flow_style:
        return _insert_in_flow(text, seq, ", ".join(_flow(row) for row in rows))
    first = seq.value[0]
    if isinstance(first, MappingNode) and first.flow_style:
        lines = [" " * seq.start_mark.column + "- " + _flow(row) for row in rows]
        return _insert_line(text, seq, nl.join(lines), nl)
    key_column = first.start_mark.column
    block = _block_rows(rows, seq.start_mark.column, key_column, nl)
    return _insert_line(text, seq, block[: -len(nl)], nl)


def insert_rows(text: str, doc: Document, placed: list[tuple[int, dict[str, Any]]], nl: str) -> list[Edit]:
    """Each new row before the existing row whose index it comes with (after the last one for an index past them),
    in block style like the rows there. Rows written in flow style get the new rows at the end."""
    found = mapping_entry(doc.root, "rader") if isinstance(doc.root, MappingNode) else None
    seq = found[1] if found is not None else None
    rows = seq.value if isinstance(seq, SequenceNode) else []
    block = bool(rows) and not seq.flow_style and not (isinstance(rows[0], MappingNode) and rows[0].flow_style)
    if not block:
        return [append_rows(text, doc, [row for _, row in placed], nl)]
    edits: list[Edit] = []
    key_column = rows[0].start_mark.column
    for n in sorted({at for at, _ in placed}):
        group = [row for at, row in placed if at == n]
        lines = _block_rows(group, seq.start_mark.column, key_column, nl)
        if n == len(rows):
            edits.append(_insert_line(text, rows[-1], lines[: -len(nl)], nl))
        elif n > 0:
            edits.append(_insert_line(text, rows[n - 1], lines[: -len(nl)], nl))
        else:  # before the first row: at the start of its line (the dash's)
            found_break = max(text.rfind(b, 0, rows[0].start_mark.index) for b in ("\n", "\r"))
            at = found_break + 1
            edits.append((at, at, lines))
    return edits


def _flow(row: dict[str, Any]) -> str:
    return dump(row, flow=True).strip()


def apply(text: str, edits: list[Edit]) -> str:
    """`text` with the (non-overlapping) edits made."""
    out, at = [], 0
    for start, end, new in sorted(edits, key=lambda edit: edit[:2]):  # stable: a row's flag before rows after it
        out += [text[at:start], new]
        at = end
    return "".join(out) + text[at:]
