"""Safe YAML: libyaml composes the node tree; we construct plain data from it ourselves.

Constructing from nodes lets us reject duplicate keys, aliases and unknown tags, keep dates as text for
pydantic to validate, and find the line of any key path when a later stage reports an error.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from msgspec import Struct
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from evidence.errors import InputError, os_reason
from evidence.yamlerrors import MAX_DEPTH, NESTING, syntax_error

# What one unit's evidence can hold, with room to spare: the largest unit we have seen (12 ST-läkare) is 24 KB and
# 1,800 values. The limits keep every file, however built, quick to read or refuse: ten megabytes of `- a` lines
# were 2.6 million values, 15 s and 800 MB; ten megabytes of text took seconds to normalise and check.
MAX_BYTES = 1024 * 1024
MAX_NODES = 25_000  # keys, list items and texts: what libyaml composes in about a tenth of a second
# libyaml's composer recurses in C for each level of nesting and overflows the stack somewhere past 15,000 levels;
# a file with fewer nesting indicators than this cannot come near that, a longer one is checked level by level first.
_DEEP_SCAN = 2000
# Every value but the first follows one of these characters (a line break, `- `, `: `, `? `, `[`, `{` or `,`), at most
# two values per character (`- a: b` starts a mapping and its first key at the dash): a file with fewer than
# MAX_NODES / 2 of them is composed at once, a longer one is counted from its events first.
_SEPARATORS = ("\n", "\r", "\x85", "\u2028", "\u2029", "-", ":", "?", "[", "{", ",")

try:
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader

_RESOLVED: dict[tuple[Any, Any, Any], str] = {}
# First characters for which an implicit resolver exists (digits, signs, y/n/t/f/o, ~ …); a plain scalar starting
# with any other character resolves to str. Only valid without path resolvers and wildcard resolvers (checked).
_FIRST = frozenset(k for k in _Base.yaml_implicit_resolvers if k)
_SHORTCUT = not _Base.yaml_path_resolvers and None not in _Base.yaml_implicit_resolvers


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The C loader with a faster, exactly equivalent tag resolution.

    The C composer calls this Python method for every node. Collections and quoted scalars always get the default
    tag and most plain scalars start with a letter that no implicit resolver claims (names, Swedish text, keys), so
    those are answered at once; the rest (numbers, dates, yes/no words) are memoised by (kind, value, implicit)
    — only short values, and only the first 4096, so the memo stays small however many files are read."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if _SHORTCUT:
            if kind is MappingNode:
                return self.DEFAULT_MAPPING_TAG
            if kind is SequenceNode:
                return self.DEFAULT_SEQUENCE_TAG
            if kind is ScalarNode and (not implicit[0] or (value and value[0] not in _FIRST)):
                return self.DEFAULT_SCALAR_TAG
        key = (kind, value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if (value is None or len(value) <= 40) and len(_RESOLVED) < 4096:
                _RESOLVED[key] = tag
        return tag


# PyYAML's C safe loader with the faster tag resolution above, for other readers of evidence text (the web form).
FastSafeLoader = _Loader

_TAG = "tag:yaml.org,2002:"
_SCALARS = {"str", "int", "float", "bool", "null"}
_TEXT_TAGS = frozenset((_TAG + "str", _TAG + "timestamp"))  # scalars kept as their text
_constructor = yaml.constructor.SafeConstructor()
# The constructors themselves, called directly: SafeConstructor.construct_object would also remember every node
# it built (constructed_objects is only cleared per document), which kept every scalar of every file alive.
_SCALAR_CONSTRUCTORS = {name: _constructor.yaml_constructors[_TAG + name] for name in ("int", "float", "bool")}

class Document(Struct, frozen=True):
    path: str
    data: Any
    root: Node | None
    text: str = ""  # what was parsed: the positions of the nodes are indices into it

    def where(self, loc: tuple[str | int, ...], value: bool = False) -> str:
        """`fil.yaml:42:5` for the deepest node on the key path `loc` (a text value's key, or with `value` the text)."""
        node = node_at(self.root, loc, value)
        if node is None:
            return self.path
        return f"{self.path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def format_loc(loc: tuple[str | int, ...]) -> str:
    """A key path as a person reads it: list positions counted from 1, like the file's lines ('st_lakare[1]' is the
    first ST-läkare)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def node_at(root: Node | None, loc: tuple[str | int, ...], value: bool = False) -> Node | None:
    node = root
    for part in loc:
        if isinstance(node, MappingNode):
            found = mapping_entry(node, str(part))
            if found is None:
                return node
            key, item = found
            node = item if value or part is not loc[-1] or not isinstance(item, ScalarNode) else key
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def mapping_entry(node: MappingNode, key: str) -> tuple[Node, Node] | None:
    """The first (key node, value node) of `node` whose key is `key`. A large mapping is indexed once, on the
    node, so that the lines of many errors in it are not each a search through all of its keys."""
    if len(node.value) < 64:
        return next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)
    index = node.__dict__.get("_spur_index")
    if index is None:
        index = {}
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                index.setdefault(k.value, (k, v))
        node._spur_index = index  # type: ignore[attr-defined]
    return index.get(key)


def read_text(path: str | Path, label: str | None = None) -> str:
    """The file's text as it is parsed (see `normalise`), or an InputError in Swedish."""
    return normalise(read_raw(path, label))


def read_raw(path: str | Path, label: str | None = None) -> str:
    """The file's text exactly as written (UTF-8, at most MAX_BYTES), or an InputError in Swedish. (`spur batch`
    passes strings: a Path interns each file name, and the intern table grows with every file of the run.)"""
    name = label or str(path)
    try:
        if os.path.isdir(path):
            raise InputError(f"{name}: är en katalog, inte en fil. Ange en YAML-fil.")
        with open(path, "rb") as handle:
            return read_from(handle, name)
    except FileNotFoundError:
        raise InputError(f"{name}: filen finns inte. Kontrollera sökvägen.") from None
    except OSError as exc:
        raise InputError(f"{name}: kan inte läsa filen ({os_reason(exc)}).") from None


def read_from(handle: BinaryIO, name: str) -> str:
    """The text of an open file, as `read_raw`. At most MAX_BYTES + 1 bytes are read, so a pipe or a device (whose
    size the file system does not know: /dev/zero, /dev/stdin) is refused at the limit too."""
    limit = f"{MAX_BYTES // 1024 // 1024} MB"
    size = os.fstat(handle.fileno()).st_size
    if size > MAX_BYTES:
        raise InputError(
            f"{name}:1:1: filen är {f'{size / 1024 / 1024:.1f}'.replace('.', ',')} MB, gränsen är "
            f"{limit}. Dela upp filen eller ta bort bilagor."
        )
    raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InputError(f"{name}:1:1: filen är större än gränsen {limit}. Dela upp filen eller ta bort bilagor.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{name}:{line}:{col}: filen är inte giltig UTF-8 (byte 0x{raw[exc.start]:02x}). Spara filen som UTF-8."
        ) from None


def normalise(text: str) -> str:
    """The text as it is parsed: without byte-order marks (libyaml skips any number of them at the start; ruamel.yaml
    read a second one as text), and in one spelling of å ä ö (text saved on macOS is often decomposed, NFD, and
    'Lindén' must equal 'Lindén' when a plan is matched to its unit, and 'självvärdering' must match the allowed
    value)."""
    return unicodedata.normalize("NFC", text.lstrip("\ufeff"))


def load(path: Path, label: str | None = None) -> Document:
    name = label or str(path)
    return parse(read_text(path, name), name)


class YamlText(Struct, frozen=True):
    """YAML already read (an upload, a stored version), named in messages as a file would be."""

    text: str
    name: str


Source = str | Path | YamlText  # a file (named in messages as given) or text already read


def name_of(source: Source) -> str:
    return source.name if isinstance(source, YamlText) else str(source)


def read(source: Source) -> Document:
    """The parsed YAML of a file or of text already read, with the same checks and error lines either way."""
    if isinstance(source, YamlText):
        return parse(normalise(source.text), source.name)
    return load(Path(source), str(source))


def parse(text: str, name: str) -> Document:
    if not text.strip():
        raise InputError(f"{name}:1:1: filen är tom.")
    try:
        if sum(map(text.count, "[{-?")) > _DEEP_SCAN or 2 * sum(map(text.count, _SEPARATORS)) >= MAX_NODES:
            _check_events(text, name)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise InputError(syntax_error(exc, text, name)) from None
    except yaml.reader.ReaderError as exc:
        raise InputError(_reader_error(exc, text, name)) from None
    except yaml.YAMLError:
        raise InputError(f"{name}: YAML-syntaxfel: filen går inte att läsa som YAML.") from None
    except RecursionError:
        raise InputError(f"{name}: filen är för djupt nästlad.") from None
    if root is None:
        raise InputError(f"{name}:1:1: filen innehåller inga uppgifter.")
    data = _Builder(name, text).build(root, (), 0)
    return Document(name, data, root, text)


def _reader_error(exc: yaml.reader.ReaderError, text: str, name: str) -> str:
    """A character YAML does not allow: control characters, and a few others such as U+FFFE and a BOM mid-file."""
    line = text.count("\n", 0, exc.position) + 1
    col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    where = f"{name}:{line}:{col}"
    if not isinstance(exc.character, int):
        return f"{where}: otillåtet tecken. Ta bort det."
    kind = "ett styrtecken" if unicodedata.category(chr(exc.character)) == "Cc" else "ett osynligt eller ogiltigt tecken"
    return f"{where}: otillåtet tecken U+{exc.character:04X} ({kind}). Ta bort det."


def _check_events(text: str, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and more than MAX_NODES values from libyaml's event stream (iterative,
    unlike its composer, and building no nodes), stopping at the first level too deep or the first value too many,
    with the key path that leads there.

    libyaml from PyYAML 6.0.4 stops by itself at 1,000 levels, which its scanner can reach before the parser hands us
    the 65th (in a flow collection it scans up to 1,024 characters ahead). The text before the token where it
    stopped holds the 65th level too, and fewer than 1,000: walked again, it gives the place. Should that text end
    in a way libyaml refuses first, the pure-Python parser (no such limit, but some fifty times slower) walks it all."""
    try:
        _walk_events(text, name, _Loader)
    except yaml.MarkedYAMLError as exc:
        if (exc.problem or "").strip() != NESTING or exc.problem_mark is None:
            raise
        try:
            _walk_events(text[: exc.problem_mark.index], name, _Loader)
        except yaml.MarkedYAMLError:
            _walk_events(text, name, yaml.SafeLoader)
        raise


def _walk_events(text: str, name: str, loader: type) -> None:
    frames: list[list[Any]] = []  # per open collection: [is_mapping, next node is a key, current key or index]
    nodes = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
            if frames and frames[-1][0]:
                frames[-1][1] = True  # the mapping's value is done: a key comes next
            continue
        if not isinstance(event, (yaml.NodeEvent, yaml.CollectionStartEvent)):
            continue
        if frames:
            frame = frames[-1]
            if not frame[0]:
                frame[2] += 1
            elif frame[1]:
                frame[1], frame[2] = False, event.value if isinstance(event, yaml.ScalarEvent) else "?"
            elif not isinstance(event, yaml.CollectionStartEvent):
                frame[1] = True
        nodes += 1
        if nodes > MAX_NODES:
            mark = event.start_mark
            loc = format_loc(tuple(f[2] for f in frames))
            limit = f"{MAX_NODES:,}".replace(",", " ")
            raise InputError(
                f"{name}:{mark.line + 1}:{mark.column + 1}: {loc + ': ' if loc else ''}filen innehåller fler än "
                f"{limit} värden, gränsen för en fil. Ta bort det som inte hör hit."
            )
        if isinstance(event, yaml.CollectionStartEvent):
            if len(frames) > MAX_DEPTH:
                mark = event.start_mark
                loc = format_loc(tuple(f[2] for f in frames))
                raise InputError(
                    f"{name}:{mark.line + 1}:{mark.column + 1}: {loc + ': ' if loc else ''}"
                    f"för djupt nästlad (mer än {MAX_DEPTH} nivåer)."
                )
            frames.append([isinstance(event, yaml.MappingStartEvent), True, -1])


def _show(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


class _Builder:
    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.seen: set[int] = set()
        self.aliases_possible = "&" in text  # an alias needs an anchor (&name) somewhere in the text

    def alias_mark(self) -> yaml.Mark | None:
        """The position of the first alias (`*name`); the composed tree keeps only the anchored node's."""
        for event in yaml.parse(self.text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark
        return None

    def fail(self, node: Node, loc: tuple[str | int, ...], message: str, mark: yaml.Mark | None = None) -> InputError:
        mark = mark or node.start_mark
        where = f"{self.name}:{mark.line + 1}:{mark.column + 1}"
        path = format_loc(loc)
        return InputError(f"{where}: {path + ': ' if path else ''}{message}")

    def build(self, node: Node, loc: tuple[str | int, ...], depth: int) -> Any:
        if self.aliases_possible:
            if id(node) in self.seen:
                raise self.fail(
                    node, loc, "YAML-alias (*namn) stöds inte. Skriv ut värdet i stället.", self.alias_mark()
                )
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, loc, f"för djupt nästlad (mer än {MAX_DEPTH} nivåer).")
        tag = node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
        if isinstance(node, ScalarNode):
            if tag == "str" or tag == "timestamp":
                return node.value
            if tag == "null":
                return None
            if tag not in _SCALARS:
                raise self.fail(node, loc, f"YAML-taggen {_show(node.tag)} är inte tillåten. Ta bort taggen.")
            if tag == "bool" and node.value.lower() not in ("true", "false"):
                return node.value  # yes/no/on/off are words (YAML 1.2): read as written, like ja and nej
            try:
                return _SCALAR_CONSTRUCTORS[tag](_constructor, node)
            except (ValueError, KeyError, yaml.YAMLError):  # `!!int x`, `!!bool x`: the text, for validation to refuse
                return node.value
        # Fast path for the commonest child, a text or date scalar: the same value build() would return, without
        # the call. Only where build() could not object (no aliases possible, the child within MAX_DEPTH).
        fast = not self.aliases_possible and depth < MAX_DEPTH
        if isinstance(node, SequenceNode):
            if tag != "seq":
                raise self.fail(node, loc, f"YAML-taggen {_show(node.tag)} är inte tillåten. Ta bort taggen.")
            return [
                item.value
                if fast and type(item) is ScalarNode and item.tag in _TEXT_TAGS
                else self.build(item, (*loc, i), depth + 1)
                for i, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            if tag != "map":
                raise self.fail(node, loc, f"YAML-taggen {_show(node.tag)} är inte tillåten. Ta bort taggen.")
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise self.fail(key_node, loc, "en nyckel måste vara en enkel text.")
                if key_node.tag.endswith(":merge"):
                    raise self.fail(key_node, loc, "sammanslagning med '<<' stöds inte. Skriv ut nycklarna.")
                key = key_node.value
                if key in out:
                    first = next(k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key)
                    raise self.fail(
                        key_node,
                        (*loc, key),
                        f"nyckeln finns redan på rad {first.start_mark.line + 1}. Ta bort eller slå ihop dubbletten.",
                    )
                if fast and type(value_node) is ScalarNode and value_node.tag in _TEXT_TAGS:
                    out[key] = value_node.value
                else:
                    out[key] = self.build(value_node, (*loc, key), depth + 1)
            return out
        raise self.fail(node, loc, "okänd YAML-nod.")  # pragma: no cover
