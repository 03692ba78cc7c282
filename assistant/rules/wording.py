"""What a free text says, as the rules read it: whether it names a term, an amount, a date, or
nothing but vague words. Accents, case and Word's apostrophe aside (`fold`)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import fold

# An amount in euros as people write it: « 18 000 € », « 6 500 euros », « 40 k€ », « 40 000 EUR »,
# « € 40 000 », « 1,2 million d'euros ».
_AMOUNT_IN_TEXT = re.compile(
    r"\d[\d\s.,]*\s?(?:€|euros?\b|eur\b|k€|keur\b|m€|millions?\s+(?:d'euros?\b|€))|€\s?\d")
_MONTHS = "|".join((
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"))
# A date as people write it, in a folded text: « 03/04/2023 », « 2023-04-03 », « 3 avril », « avril
# 2023 », « en 2024 », « fin 2023 ». A bare number (« 2000 patients », « 0.5 ETP ») is not one.
_DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{4}\b"
    rf"|\b(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{4}}\b"
    r"|\b(?:\d(?:er|e|eme)?\s+(?:semestre|trimestre)|t[1-4]|s[12]|printemps|ete|automne|hiver)\s+(?:19|20)\d{2}\b"
    rf"|\b(?:en|fin|debut|mi|courant|d'ici|avant|apres|depuis|in|by)[\s-](?:(?:19|20)\d{{2}}|{_MONTHS})\b")
# Words that carry no meaning of their own in a label: « Frais divers » and « Autres dépenses »
# say nothing once the call's vague terms are taken away.
_FILLERS = frozenset((
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par", "pour", "sur", "un", "une"))


def mentions_amount(text: str) -> bool:
    return bool(_AMOUNT_IN_TEXT.search(folded(text)))


def mentions_date(text: str) -> bool:
    return bool(_DATE_IN_TEXT.search(folded(text)))


def mentions(text: str, terms: tuple[str, ...]) -> bool:
    """The text names one of the terms, as a word or words (accents and case aside)."""
    return bool(_words(terms).search(folded(text)))


def is_vague(text: str, terms: tuple[str, ...]) -> bool:
    """Nothing is left of the text once the vague terms, the small words, figures and
    punctuation are taken away: « Divers », « Frais divers », « Autres dépenses : 40 000 € »."""
    left = _words(terms).sub(" ", folded(text))
    return not any(w not in _FILLERS and len(w) > 1 for w in re.findall(r"[^\W\d_]+", left))


@lru_cache(maxsize=256)
def _words(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a rule's terms, built once: the checks run over every line of a budget."""
    folded = sorted({fold(t) for t in terms if fold(t)}, key=len, reverse=True)  # « frais divers » before « frais »
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, folded)) + r")(?!\w)" if folded else r"(?!x)x")


_SHORT = 500  # characters: a label or a role, met again for each rule that reads it


def folded(text: str) -> str:
    """`fold`, kept for the short texts the rules read over and over (every budget line, for
    each of the rules about lines); a long text is folded each time rather than kept."""
    return _folded_short(text) if len(text) <= _SHORT else fold(text)


@lru_cache(maxsize=4096)
def _folded_short(text: str) -> str:
    return fold(text)
