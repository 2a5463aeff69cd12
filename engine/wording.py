"""Number agreement in Swedish, in one place: '1 rad' but '2 rader', 'Båda ST-läkarna' but 'Alla 3 ST-läkarna'.

Every count a user reads goes through these functions, and no message or template picks a form itself. The words
come from rules/vocabulary.yaml: `counted` holds each word spur counts, by its form for one, with its form for none
or many; `collections` the words for the people in the evidence (singular, plural and the definite plural).
"""

from __future__ import annotations

import functools


@functools.cache
def _counted() -> dict[str, str]:
    from engine.catalog import load_catalog

    return load_catalog().vocabulary["counted"]  # spur's own words: the built-in rules/, whatever --regler says


def agree(n: int, word: str, many: str | None = None) -> str:
    """The form of `word` (its form for one) that agrees with `n`: for none or many, `many` where the caller has
    it from other rule data (a kind's label and plural in rules/grading.yaml), else `counted[word]`."""
    if n == 1:
        return word
    return many if many is not None else _counted()[word]


def count(n: int, word: str, many: str | None = None) -> str:
    """`n` with the form of `word` that agrees: '1 rad', '0 rader', '3 rader'."""
    return f"{n} {agree(n, word, many)}"


def everyone(n: int, words: dict[str, str]) -> str:
    """All of a group of `n` ≥ 2 people, for the start of a sentence: 'Båda ST-läkarna', 'Alla 3 ST-läkarna'."""
    return f"Båda {words['definite']}" if n == 2 else f"Alla {n} {words['definite']}"


def none_of(n: int, words: dict[str, str]) -> str:
    """None of a group of `n` ≥ 2 people: 'Ingen av de 2 ST-läkarna'."""
    return f"Ingen av de {n} {words['definite']}"


def some_of(k: int, n: int, words: dict[str, str]) -> str:
    """`k` of `n` people: '1 av 3 ST-läkare'."""
    return f"{k} av {n} {words['plural']}"


def capital(text: str) -> str:
    """`text` as the start of a sentence: 'handledare Eva Sjö' → 'Handledare Eva Sjö' (the rest as written)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """`text` inside a sentence: 'Båda ST-läkarna' → 'båda ST-läkarna' (the rest as written)."""
    return text[:1].lower() + text[1:]
