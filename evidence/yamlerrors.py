"""A YAML syntax error as one Swedish line: `fil.yaml:LINE:COL: YAML-syntaxfel: what is wrong. How to fix it.`

Every message that libyaml (the C parser) or PyYAML's own parser can raise is given in Swedish here; the two word
the same mistake differently ("… in this context" / "… here", "did not find expected key" / "expected <block end>,
but found …"), so each is matched by a pattern that covers both. tests/test_yaml_errors.py feeds each one and fails on
English words.

For the mistakes people who do not write YAML every day make, the parser's position is often not where the mistake
is: a missing colon is found at the next line's colon, an over-indented list item as a colon inside it, the odd one
out of a list's items at whichever item comes second. Those get the line of the mistake and advice in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

MAX_DEPTH = 64  # levels of nesting a file may have (evidence/yamlsafe.py checks it)
NESTING = "exceeded maximum nesting depth"  # libyaml's own limit, in PyYAML 6.0.4


class Error:
    """What the parser said, and the text it said it about."""

    def __init__(self, exc: yaml.MarkedYAMLError, text: str) -> None:
        self.problem = (exc.problem or "").strip()
        self.context = (exc.context or "").strip()
        self.problem_mark = exc.problem_mark
        self.context_mark = exc.context_mark
        self.lines = text.split("\n")

    def char(self) -> str:
        """The character at the problem's position ('' past the end)."""
        mark = self.problem_mark or self.context_mark
        if mark is None or mark.line >= len(self.lines):
            return ""
        line = self.lines[mark.line]
        return line[mark.column] if mark.column < len(line) else ""


Where = tuple[int, int]  # 0-based line and column
Said = tuple[Where | None, str]  # None: at the parser's own position


def syntax_error(exc: yaml.MarkedYAMLError, text: str, name: str) -> str:
    err = Error(exc, text)
    where, said = explain(err)
    if where is None:
        mark = err.problem_mark or err.context_mark
        where = (mark.line, mark.column) if mark is not None else None
    place = f"{name}:{where[0] + 1}:{where[1] + 1}" if where is not None else name
    return f"{place}: YAML-syntaxfel: {said}"


def explain(err: Error) -> Said:
    for problem, context, answer in _RULES:
        if problem.search(err.problem) and (context is None or context.search(err.context)):
            if not callable(answer):
                return None, answer
            try:
                return answer(err)
            except Exception:  # pragma: no cover - a hint is a guess from the text; a failed guess is no crash
                return None, _GENERIC
    for context, answer in _CONTEXTS:
        if context.search(err.context):
            return None, answer
    return None, _GENERIC


_GENERIC = "texten går inte att läsa som YAML här. Kontrollera indraget, kolonen och citattecknen på raden."
_QUOTE_IT = "Sätt citattecken runt värdet om tecknet hör till texten"
_TAB = "tabbtecken i indraget. Dra in med mellanslag i stället."


# --- reading lines, for the hints ------------------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _code(line: str) -> str:
    """The line without a trailing comment (a # after a space, outside quotes)."""
    quote = ""
    for i, c in enumerate(line):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _blank(line: str) -> bool:
    return not _code(line).strip()


_DASH = re.compile(r"^ *-(?: |$)")  # a list item
_KEY = re.compile(r"""^((?:[^\s'"#:][^:#]*?)|'[^']*'|"[^"]*")\s*:(?:\s|$)""")  # `key:` at the start of `text`


def _body(line: str) -> tuple[int, str]:
    """The column where the line's content starts after any '- ' list dashes, and that content."""
    code = _code(line)
    col = _indent(code)
    while m := re.match(r"-(?: +|$)", code[col:]):
        col += m.end()
    return col, code[col:]


def _key(line: str) -> str | None:
    """The key of a `key: …` line (also after a list dash), or None."""
    m = _KEY.match(_body(line)[1])
    return m.group(1).strip("'\"").strip() if m else None


def _value(line: str) -> str:
    """What stands after the key's colon on a `key: value` line."""
    _, body = _body(line)
    m = _KEY.match(body)
    return body[m.end() :].strip() if m else body.strip()


def _above(err: Error, line: int) -> int | None:
    """The nearest line above `line` with content."""
    for i in range(line - 1, -1, -1):
        if not _blank(err.lines[i]):
            return i
    return None


def _word(text: str) -> str:
    return text.split()[0] if text.split() else text


# --- the mistakes people make ----------------------------------------------------------------------------------------


def _missing_colon_at(err: Error, line: int) -> Said:
    col, body = _body(err.lines[line])
    word = _word(body).rstrip(":")
    rest = body[len(_word(body)) :].strip()
    example = f" Skriv '{word}: {rest}'." if rest else f" Skriv '{word}:' och värdet efter kolonet."
    return (line, col + len(word)), f"saknas kolon efter '{word}'?{example}"


def _colon_not_allowed(err: Error) -> Said:
    """A colon the parser cannot place. Either the line above lacks its colon (its text ran on into this line's key),
    or this line is indented under a key that already has a value, or the colon stands inside a value."""
    mark = err.problem_mark
    if mark is None:
        return None, _COLON
    here = err.lines[mark.line] if mark.line < len(err.lines) else ""
    start, body = _body(here)
    first_colon = start + len(body.split(":")[0])
    up = _above(err, mark.line)
    if mark.column != first_colon or up is None:
        key = _key(here)
        return None, (
            f"ett kolon står där det inte får stå: '{key}' har redan ett värde på raden. Sätt citattecken runt "
            "värdet om kolonet hör till texten, t.ex. "
            f"{key}: '{_value(here)}'."
            if key and mark.column > first_colon
            else _COLON
        )
    # the line where the text that runs on into this line began: climb over lines without a colon
    top = up
    while _key(err.lines[top]) is None and (nxt := _above(err, top)) is not None and _key(err.lines[nxt]) is None:
        if _body(err.lines[nxt])[0] != _body(err.lines[top])[0]:
            break
        top = nxt
    parent = _above(err, top)
    runs_on = (
        parent is not None
        and _key(err.lines[parent]) is not None
        and _value(err.lines[parent]) != ""
        and _body(err.lines[parent])[0] < _body(err.lines[top])[0]
    )
    if _key(err.lines[top]) is None and not runs_on and _body(err.lines[top])[0] == start:
        return _missing_colon_at(err, top)
    if _key(err.lines[up]) is not None and _value(err.lines[up]) and start > _body(err.lines[up])[0]:
        what = "listpunkten" if _DASH.match(_code(here)) else "raden"
        return (mark.line, _indent(here)), (
            f"{what} är mer indragen än '{_key(err.lines[up])}' på rad {up + 1}, som redan har ett värde. Rätta "
            f"indraget så att {what} står under rätt nyckel; hör texten till värdet ovanför, sätt citattecken runt "
            "hela värdet."
        )
    return None, _COLON


_COLON = (
    "ett kolon (:) står där det inte får stå. Sätt citattecken runt värdet om kolonet hör till texten, t.ex. "
    "titel: 'Mål: bättre handledning'; annars rätta indraget."
)


def _missing_colon(err: Error) -> Said:
    """libyaml read a key that never got its colon: the key starts at the context mark."""
    if err.context_mark is None or err.context_mark.line >= len(err.lines):
        return None, "saknas ett kolon efter nyckeln? Skriv 'nyckel: värde'."
    return _missing_colon_at(err, err.context_mark.line)


def _items(err: Error, line: int) -> tuple[int, list[int]] | None:
    """The line of the key whose list `line` (a list item) belongs to, and the lines of that list's items."""
    dash = _indent(err.lines[line])
    owner = next(
        (
            i
            for i in range(line - 1, -1, -1)
            if not _blank(err.lines[i]) and not _DASH.match(err.lines[i]) and _indent(err.lines[i]) < dash
        ),
        None,
    )
    if owner is None:
        return None
    first = next((i for i in range(owner + 1, len(err.lines)) if not _blank(err.lines[i])), None)
    if first is None or not _DASH.match(err.lines[first]):
        return None
    limit = _indent(err.lines[first]) + 2  # items nested deeper belong to lists inside the items
    out = []
    for i in range(first, len(err.lines)):
        text = err.lines[i]
        if _blank(text):
            continue
        if _indent(text) < _indent(err.lines[owner]) or (
            _indent(text) == _indent(err.lines[owner]) and not _DASH.match(text)
        ):
            break
        if _DASH.match(text) and _indent(text) < limit:
            out.append(i)
    return owner, out


def _misplaced(err: Error) -> Said:
    """A line that fits no level of the structure above it: a list item indented unlike the list's other items, a
    key indented unlike its neighbours, a key among list items or a list item among keys."""
    mark = err.problem_mark
    if mark is None or mark.line >= len(err.lines):
        return None, _INDENT
    line = mark.line
    here = err.lines[line]
    column = _indent(here)
    if mark.column > _body(here)[0]:  # within the line, after a value: text after its closing quote
        return None, (
            "text efter ett avslutande citattecken. Sätt citattecknen runt hela värdet, eller skriv värdet utan "
            "citattecken."
        )
    if re.match(r" *-[^\s-]", here):
        return (line, column + 1), f"saknas mellanslag efter strecket? Skriv '- {here.strip()[1:]}'."
    if _DASH.match(here):
        return _misplaced_item(err, line)
    for i in range(line - 1, -1, -1):  # the nearest line above at the same indentation, if the structure goes there
        if _blank(err.lines[i]) or _indent(err.lines[i]) > column:
            continue
        if _indent(err.lines[i]) == column and _DASH.match(err.lines[i]) and _key(here):
            return (line, column), (
                f"'{_key(here)}' står på samma nivå som listpunkten på rad {i + 1}. Gör raden till en egen "
                f"listpunkt ('- {_code(here).strip()}') eller dra in den under punkten."
            )
        break
    levels = _levels(err, line)
    if column not in levels and levels:
        below = max((c for c in levels if c < column), default=None)
        above = min((c for c in levels if c > column), default=None)
        named = " och ".join(
            f"{_name(err, levels[c], c)} på rad {levels[c] + 1} {_at(c)}" for c in (below, above) if c is not None
        )
        return (line, column), (
            f"raden {_at(column)}, men {named}. Nycklar på samma nivå ska stå exakt under varandra."
        )
    return (line, column), _INDENT


def _misplaced_item(err: Error, line: int) -> Said:
    column = _indent(err.lines[line])
    found = _items(err, line)
    if found is not None:
        owner, items = found
        columns = [_indent(err.lines[i]) for i in items]
        if len(set(columns)) > 1:
            usual = max(set(columns), key=lambda c: (columns.count(c), c == _indent(err.lines[owner]) + 2))
            odd = next(i for i in items if _indent(err.lines[i]) != usual)
            other = next(i for i in items if _indent(err.lines[i]) == usual)
            key = _key(err.lines[owner])
            return (odd, _indent(err.lines[odd])), (
                f"listpunkten {_at(_indent(err.lines[odd]))}, men punkten på rad {other + 1} i samma lista"
                f"{f' ({key})' if key else ''} {_at(usual)}. Ställ listans streck (-) exakt under varandra."
            )
    for i in range(line - 1, -1, -1):
        text = err.lines[i]
        if _blank(text) or (_indent(text) > column and not _DASH.match(text)):
            continue
        if _DASH.match(text):
            if _indent(text) == column:
                break
            return (line, column), (
                f"listpunkten {_at(column)}, men punkten på rad {i + 1} ovanför {_at(_indent(text))}. Ställ listans "
                "streck (-) exakt under varandra, och en lista under sin nyckel."
            )
        if _indent(text) == column and _key(text) is not None:
            item = next(
                (d for d in range(i, -1, -1) if _DASH.match(err.lines[d]) and _body(err.lines[d])[0] == column), None
            )
            if item is not None:
                return (line, column), (
                    f"listpunkten {_at(column)}, lika mycket som nycklarna i punkten på rad {item + 1}. Är det en ny "
                    f"punkt i samma lista: ställ strecket under strecket på rad {item + 1} "
                    f"({_at(_indent(err.lines[item])).removeprefix('är ').removeprefix('står ')})."
                )
            return (line, column), (
                f"ett streck (-) inleder en listpunkt, men '{_key(text)}' på rad {i + 1} på samma nivå är en nyckel. "
                "Ta bort strecket, eller rätta indraget."
            )
        break
    return (
        line,
        column,
    ), "listpunkten passar inte in i strukturen ovanför. Ställ listans streck (-) exakt under varandra."


def _name(err: Error, line: int, column: int) -> str:
    """What stands at `column` on `line`: a list item's dash, or a key."""
    text = err.lines[line]
    if _DASH.match(text) and _indent(text) == column:
        return "listpunkten"
    return f"'{_key(text) or _word(_body(text)[1])}'"


def _levels(err: Error, line: int) -> dict[int, int]:
    """The columns at which the structure open above `line` has keys or list dashes, with the line of each."""
    levels: dict[int, int] = {}
    lowest = None
    for i in range(line - 1, -1, -1):
        text = err.lines[i]
        if _blank(text):
            continue
        cols = [_indent(text)] + ([_body(text)[0]] if _DASH.match(text) and _key(text) else [])
        for col in sorted(cols, reverse=True):
            if lowest is None or col < lowest:
                levels.setdefault(col, i)
                lowest = col
        if _indent(text) == 0:
            break
    return levels


def _at(n: int) -> str:
    return "står längst till vänster" if n == 0 else f"är indragen {n} mellanslag"


_INDENT = "raden passar inte in i strukturen ovanför. Kontrollera indraget: nycklar på samma nivå ska stå exakt under varandra."


def _unclosed_quote(err: Error) -> Said:
    mark = err.context_mark
    if mark is None or mark.line >= len(err.lines):
        return None, "filen tar slut inuti en citerad text. Saknas ett avslutande citattecken?"
    quote = err.lines[mark.line][mark.column : mark.column + 1] or "'"
    return (
        mark.line,
        mark.column,
    ), f"citattecknet {quote} här avslutas aldrig. Lägg till ett {quote} i slutet av texten."


def _unclosed_flow(closer: str, what: str) -> Callable[[Error], Said]:
    def said(err: Error) -> Said:
        mark = err.problem_mark
        if err.char() == ":" and mark is not None:  # `{titel: Mål: bättre}`: a colon inside a text
            line = _code(err.lines[mark.line])
            before = re.split(r"[:,{\[]\s", line[: mark.column])[-1].strip()
            after = re.split(r"[,}\]]", line[mark.column + 1 :])[0].strip()
            return None, f"ett kolon i en text inom {{ }} eller [ ]. Sätt citattecken runt texten: '{before}: {after}'."
        opener = "[" if closer == "]" else "{"
        start = err.context_mark
        where = (
            f" på rad {start.line + 1}"
            if start is not None and err.problem_mark and start.line != err.problem_mark.line
            else ""
        )
        return None, (
            f"hittar inte ',' eller '{closer}' här: stängs {what} som börjar med '{opener}'{where} med '{closer}'? "
            "Saknas ett kommatecken? Innehåller en text ett kolon eller kommatecken, sätt citattecken runt texten."
        )

    return said


def _no_content(err: Error) -> Said:
    """A value expected and none found: at the end of the file, most often a [ or { never closed."""
    mark = err.problem_mark
    if mark is not None and all(_blank(text) for text in err.lines[mark.line :]):
        opened = _unclosed(err.lines)
        if opened is not None:
            (line, col), opener = opened
            closer = "]" if opener == "[" else "}"
            return (line, col), f"'{opener}' här stängs aldrig med '{closer}'. Lägg till '{closer}' efter sista värdet."
    if err.char() == ":":
        return None, "ett kolon utan något framför. Sätt citattecken runt texten om kolonet hör till den."
    if err.char() == ",":
        return None, "ett värde saknas före kommatecknet. Ta bort kommatecknet eller skriv värdet."
    return None, "ett värde saknas här. Stängs varje [ med ] och varje { med }? Står ett kommatecken för mycket?"


def _unclosed(lines: list[str]) -> tuple[Where, str] | None:
    """The last [ or { in `lines` that is never closed (outside quotes and comments)."""
    stack: list[tuple[Where, str]] = []
    for i, line in enumerate(lines):
        code = _code(line)
        quote = ""
        for j, c in enumerate(code):
            if quote:
                quote = "" if c == quote else quote
            elif c in "'\"" and (j == 0 or code[j - 1] in " [{,:"):
                quote = c
            elif c in "[{":
                stack.append(((i, j), c))
            elif c in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _cannot_start(err: Error) -> Said:
    c = err.char()
    if c == "\t":
        return None, _TAB
    if c in ("@", "`"):
        return None, f"tecknet {c} får inte inleda ett värde. Sätt citattecken runt värdet, t.ex. '{c}…'."
    shown = f"tecknet {c}" if c and c.isprintable() else f"tecknet U+{ord(c):04X}" if c else "tecknet"
    return None, f"{shown} kan inte inleda ett värde här. {_QUOTE_IT}."


def _escape(err: Error) -> Said:
    mark = err.problem_mark
    c = err.char() if mark is not None else ""
    if c == "\\" and mark is not None:  # libyaml points at the backslash, PyYAML at the letter after it
        c = err.lines[mark.line][mark.column + 1 : mark.column + 2]
    seq = f" (\\{c})" if c and c.isprintable() and c != "\\" else ""
    return None, (
        f"okänd escape-sekvens{seq} i text inom dubbla citattecken. Skriv \\\\ för ett snedstreck, eller använd "
        "enkla citattecken."
    )


def _nesting(err: Error) -> Said:
    return None, f"för djupt nästlad (mer än {MAX_DEPTH} nivåer)."


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_DIRECTIVE = (
    "en rad som börjar med % (ett YAML-direktiv) går inte att läsa. Ta bort raden, eller sätt citattecken runt "
    "värdet om %-tecknet hör till texten."
)
_TAG = (
    "ett !-tecken (en YAML-tagg) går inte att läsa. Ta bort taggen, eller sätt citattecken runt värdet om !-tecknet "
    "hör till texten."
)
_ANCHOR = (
    "efter & eller * ska ett namn stå (ankare och alias stöds ändå inte). Sätt citattecken runt värdet om tecknet hör "
    "till texten."
)
_BLOCK_SCALAR = (
    "efter | eller > får bara +, -, en siffra 1–9 eller en kommentar stå på raden. Skriv texten på raderna under, "
    "indragen."
)

# (problem, context or None, answer): the first that matches wins. Each problem in libyaml's and in PyYAML's words.
_RULES: list[tuple[re.Pattern[str], re.Pattern[str] | None, str | Callable[[Error], Said]]] = [
    (_p(r"^(exceeded maximum nesting depth|Maximum nesting level reached)"), None, _nesting),
    (_p(r"^found character (.+ )?that cannot start any token"), None, _cannot_start),
    (_p(r"^could not find expected ':'"), None, _missing_colon),
    (_p(r"^mapping values are not allowed"), None, _colon_not_allowed),
    (
        _p(r"^found unexpected ':'"),
        None,
        "ett kolon följt av [, ], { eller } inom [ ] eller { }. Skriv ett mellanslag efter kolonet, eller sätt "
        "citattecken runt texten.",
    ),
    (
        _p(r"^(block )?sequence entries are not allowed"),
        None,
        "ett streck (-) som inleder en listpunkt får inte stå här. Rätta indraget, eller sätt citattecken runt "
        "texten om strecket hör till den.",
    ),
    (
        _p(r"^mapping keys are not allowed"),
        None,
        "ett frågetecken (?) får inte inleda ett värde här. Sätt citattecken runt texten.",
    ),
    (_p(r"tab character"), None, _TAB),
    (_p(r"^found unexpected end of stream"), _p(r"quoted scalar"), _unclosed_quote),
    (
        _p(r"^found unexpected document (indicator|separator)"),
        None,
        "en rad som börjar med '---' eller '...' står inuti en citerad text. Saknas ett avslutande citattecken?",
    ),
    (_p(r"^found unknown escape character"), None, _escape),
    (
        _p(r"^(did not find expected hexdecimal number|expected escape sequence of \d+ hexadecimal numbers)"),
        None,
        "ofullständig escape-sekvens: efter \\x, \\u och \\U ska 2, 4 och 8 hexadecimala siffror stå. Skriv \\\\ "
        "för ett snedstreck, eller använd enkla citattecken.",
    ),
    (
        _p(r"^found invalid Unicode character escape code"),
        None,
        "ogiltig Unicode-escape (\\u…) i citerad text: koden är inget tecken. Skriv tecknet som det är.",
    ),
    (
        _p(r"^(found an indentation indicator equal to 0|expected indentation indicator in the range 1-9)"),
        None,
        "efter | eller > ska en indragssiffra vara 1–9, inte 0.",
    ),
    (_p(r""), _p(r"block scalar"), _BLOCK_SCALAR),
    (_p(r""), _p(r"directive"), _DIRECTIVE),
    (_p(r""), _p(r"an? (anchor|alias)$"), _ANCHOR),
    (_p(r"^(found )?(undefined tag handle|non-specific tag)"), None, _TAG),
    (_p(r""), _p(r"\btag\b"), _TAG),
    (_p(r"^(found duplicate %TAG directive|duplicate tag handle)"), None, "dubblerat %TAG-direktiv. Ta bort det ena."),
    (_p(r"^found duplicate (%)?YAML directive"), None, "dubblerat %YAML-direktiv. Ta bort det ena."),
    (_p(r"^found incompatible YAML document"), None, "YAML-versionen stöds inte. Ta bort raden som börjar med %YAML."),
    (_p(r"^(did not find expected key|did not find expected '-' indicator|expected <block end>)"), None, _misplaced),
    (_p(r"^(did not find expected ',' or '\]'|expected ',' or '\]')"), None, _unclosed_flow("]", "listan")),
    (_p(r"^(did not find expected ',' or '\}'|expected ',' or '\})"), None, _unclosed_flow("}", "mappningen")),
    (_p(r"^(did not find expected node content|expected the node content)"), None, _no_content),
    (
        _p(r"^invalid indentation or unclosed '\[' or '\{'"),
        None,
        "indraget stämmer inte, eller så stängs inte en [ eller {. Kontrollera indraget och att varje [ har ett ] "
        "och varje { ett }.",
    ),
    (
        _p(r"^(did not find expected <document start>|expected '<document start>')"),
        None,
        "oväntad text efter dokumentets slut. Står det en rad '...' mitt i filen, eller är raden för lite indragen?",
    ),
    (_p(r"^(did not find expected <stream-start>|expected STREAM-START)"), None, _GENERIC),
    (
        _p(r"^but found another document"),
        _p(r"^expected a single document"),
        "filen får bara innehålla ett YAML-dokument. Ta bort raden '---' och det som följer, eller lägg det i en egen fil.",
    ),
    (_p(r"^found undefined alias"), None, "okänt alias (*namn). Alias stöds inte: skriv ut värdet i stället."),
    (
        _p(r"^second occurrence"),
        _p(r"^found duplicate anchor"),
        "samma ankare (&namn) används två gånger. Ankare stöds inte: ta bort &namn.",
    ),
]
# What the parser was doing, for a problem no rule above knows.
_CONTEXTS: list[tuple[re.Pattern[str], str]] = [
    (_p(r"quoted scalar"), "en citerad text går inte att läsa. Kontrollera att den avslutas med samma citattecken."),
    (_p(r"simple key"), "en nyckel går inte att läsa. Saknas ett kolon efter nyckeln?"),
    (_p(r"flow (sequence|mapping|node)"), "en lista inom [ ] eller mappning inom { } går inte att läsa."),
    (_p(r"block (collection|mapping|node)"), _INDENT),
]
