"""The checks the evidence schema runs on single values (ja/nej, free text, names, the format version).

They are referred to by the compiled evidence schema (evidence/shape.py), so this module must not import pydantic:
a `spur` process validates evidence with pydantic-core alone.
"""

import re
from datetime import date, datetime

from pydantic_core import PydanticCustomError

# One way to read every yes/no answer and every ja / nej / ej tillämpligt answer, whatever the field: the words in
# any case, and YAML's true / false (the YAML loader reads only those as booleans, never yes/no/on/off or 1/0).
JA = frozenset({"ja", "true"})
NEJ = frozenset({"nej", "false"})
EJ_TILLAMPLIGT = "ej tillämpligt"


def _word(value: str) -> str:
    """An answer as written, without case or extra spaces ('Ej  Tillämpligt' → 'ej tillämpligt')."""
    return " ".join(value.split()).casefold()


def ja_nej(value: object) -> object:
    """True for ja, False for nej (also true/false); anything else, 1 and 0 too, is refused with the words."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        word = _word(value)
        if word in JA:
            return True
        if word in NEJ:
            return False
    raise PydanticCustomError("ja_nej", "Input should be ja or nej")


def svar(value: object) -> object:
    """An attestation's answer: 'ja', 'nej' or 'ej tillämpligt' in any case (true/false for ja/nej)."""
    if value is None or isinstance(value, bool):
        return None if value is None else ("ja" if value else "nej")
    if isinstance(value, str):
        word = _word(value)
        if word in JA or word in NEJ:
            return "ja" if word in JA else "nej"
        if word == EJ_TILLAMPLIGT:
            return EJ_TILLAMPLIGT
        if not word:
            return None
    return value


class Words:
    """A word from a closed set as written in any case and spacing ('Ej uppfyllt' → 'ej uppfyllt', 'åtgärd krävs'
    → 'Åtgärd krävs'); anything else is left for the set to refuse with its words. A class, not a closure, so the
    compiled schema that refers to it can be kept on disk (evidence/shape.py)."""

    def __init__(self, *allowed: str) -> None:
        self.read = {_word(word): word for word in allowed}

    def __call__(self, value: object) -> object:
        return self.read.get(_word(value), value) if isinstance(value, str) else value

    def __eq__(self, other: object) -> bool:  # the same set read back from the disk cache is the same check
        return isinstance(other, Words) and other.read == self.read

    def __hash__(self) -> int:
        return hash(tuple(self.read.values()))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Invisible characters that change how text around them is shown: zero-width spaces and joiners, and the
# bidirectional controls that can make a name or a date read differently from what it is.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# In a name, anything shaped like a personnummer (YYMMDD-NNNN, with or without century, -, + or a space).
PERSONNUMMER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")
# In free text, which may hold other numbers, only a real one: a possible date (day + 60 for a samordningsnummer)
# and a correct check digit.
_PERSONNUMMER_PARTS = re.compile(r"(?<!\d)(?:\d{2})?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{3})(\d)(?!\d)")
# Both shapes have six digits in a row: text without them is passed over (the patterns above take five times longer
# to find nothing in a long text).
_SIX_DIGITS = re.compile(r"\d{6}")


def check_text(value: str) -> str:
    """Free text: printable, nothing invisible that changes how it reads, and no personnummer."""
    if _CONTROL.search(value):
        raise ValueError("innehåller ett styrtecken (osynligt tecken). Skriv om texten utan det")
    if found := _INVISIBLE.search(value):
        raise ValueError(
            f"innehåller ett osynligt tecken (U+{ord(found.group()):04X}) som ändrar hur texten visas. "
            "Skriv om texten utan det"
        )
    _no_personnummer_in_text(value)
    return value


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(digits):
        n = int(d) * (2 - i % 2)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _no_personnummer_in_text(value: str) -> None:
    if not _SIX_DIGITS.search(value):
        return
    for m in _PERSONNUMMER_PARTS.finditer(value):
        yy, mm, dd, serial, check = m.groups()
        day = int(dd) - 60 if int(dd) > 60 else int(dd)
        if 1 <= int(mm) <= 12 and 1 <= day <= 31 and _luhn_ok(yy + mm + dd + serial + check):
            raise ValueError(
                "innehåller något som ser ut som ett personnummer. Personnummer ska inte stå i filen; "
                "skriv namn eller pseudonym (är det något annat, t.ex. ett telefonnummer: skriv det med bindestreck "
                "eller mellanslag på ett annat ställe)"
            )


def not_personnummer(value: str) -> str:
    if _SIX_DIGITS.search(value) and PERSONNUMMER.search(value):
        raise ValueError("ser ut som ett personnummer. Ange namn eller pseudonym; personnummer ska inte stå i filen")
    return value


def namn_eller_nej(value: object) -> object:
    if value is False or (isinstance(value, str) and _word(value) in NEJ):
        return False
    if value is True or (isinstance(value, str) and _word(value) in JA):
        raise ValueError("ange personens namn i stället för ja, eller nej om ingen är utsedd")
    if value is not None and not isinstance(value, str):
        raise PydanticCustomError("namn_eller_nej", "Input should be a name or false")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: object) -> object:
    """A date as the file format writes it, ÅÅÅÅ-MM-DD (pydantic then checks that the day exists). pydantic alone
    would read a number, or digits, as Unix time (`datum: 1751241600` was 2025-06-30) and a time at midnight as
    its day."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date as YYYY-MM-DD")


def version_is_int(value: object) -> object:
    # Lax validation would take true and 1.0 for Literal[1] (they compare equal to 1); only the integer is the format.
    if isinstance(value, (bool, float)):
        raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": "1"})
    return value


def direction_contradicts(direction: str, start: float, target: float) -> bool:
    """An indicator's direction its start and target contradict: 'öka' with a target below the start, 'minska'
    with one above it (a target equal to the start contradicts neither)."""
    return (direction == "öka" and target < start) or (direction == "minska" and target > start)
