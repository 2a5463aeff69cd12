"""Checks of the Swedish a user reads: English words from a short deny-list, and number-agreement errors.

The deny-list holds the English words that library messages and half-translated text are made of ("found",
"expected", "while", "Usage", "Options" …), none of which is a Swedish word; technical names the tool shows on
purpose (YAML, JSON, HTML, CSV, ICS, key names such as st_lakare) are not in it. Words are compared whole and in any
case; a word joined to a Swedish one with a hyphen ("escape-sekvens") is part of that word.
"""

from __future__ import annotations

import re

ENGLISH = frozenset(
    """
    a about above after allowed an and any are at but by cannot character characters choose
    column could default did does document error errors expected false field file files find for found from got has
    have here indentation input integer invalid is it key line mapping may missing must name no not of on option
    options or parsing please required scalar scanning sequence should show stream string such than that the this
    stderr stdin stdout to token true try type unexpected unknown usage valid value values was when where while with yes you
    your
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Words that are Swedish as well as English, or that our messages quote on purpose as what YAML reads as a boolean.
SWEDISH_TOO = frozenset({"true", "false", "yes", "no", "on", "a", "by"})
DENY = ENGLISH - SWEDISH_TOO

_WORD = re.compile(r"(?<![\w-])[A-Za-z]+(?![\w-])")
_CODE = re.compile(
    r"`[^`]*`|'[^']*'|\"[^\"]*\"|\([a-z_\[\]0-9.]+\)|https?://\S+|[\w.-]+\.(?:yaml|yml|json|csv|ics|html|md)"
)


def english_words(text: str) -> list[str]:
    """English words of the deny-list in `text`, outside quoted values, key paths and file names (soft hyphens, which
    a reader does not see, are read as not there)."""
    plain = _CODE.sub(" ", re.sub(r"<[^>]+>", " ", text.replace("\xad", "")))
    return sorted({w for w in _WORD.findall(plain) if w.lower() in DENY})


# Number agreement: a count of one with a plural word, and "Alla 2" where Swedish says "Båda".
_ONE_PLURAL = re.compile(
    r"(?<![\d,.])\b1 (?:av \d+ )?(?:ej |inte )?(?:uppfyllda|rader|filer|enheter|uppgifter|områden|handlingsplaner"
    r"|ogiltiga|nya|befintliga|dagar|månader|personer|betyg är preliminära|st\. är)\b"
)
_ALL_TWO = re.compile(r"\b[Aa]lla 2\b")
_ONE_REQUIREMENT_PLURAL = re.compile(r"\b1 krav\b[^\n]{0,80}?\bkraven är\b")


def agreement_errors(text: str) -> list[str]:
    """Phrases where the number does not agree: '1 ej uppfyllda', 'Alla 2', '1 krav … kraven är'."""
    found = []
    for pattern in (_ONE_PLURAL, _ALL_TWO, _ONE_REQUIREMENT_PLURAL):
        found += [m.group(0) for m in pattern.finditer(text)]
    return found
