"""The date field type: read as people write dates (21/10/2022, 21 octobre 2022, October 21,
2022), saved as ISO 8601, shown as the language writes it."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any

from ..errors import InvalidAnswer
from ..i18n import DEFAULT_LANGUAGE, N_, _, format_date, language
from ..model import FieldType, Question
from ..text import fold, shorten
from .base import JSON, FieldKind, text_input


@cache
def _month_numbers() -> dict[str, int]:
    from babel.dates import get_month_names

    from ..i18n import all_babel_locales

    names: dict[str, int] = {}
    # Month names are accepted in every language, whatever the interface's.
    for locale in all_babel_locales():
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[fold(name).rstrip(".")] = number
    return names


def _month(name: str, raw: Any, expected: str) -> int:
    month = _month_numbers().get(name, 0)
    if not month:
        raise InvalidAnswer(_("« {saisie} » : mois inconnu ; {attendu}").format(
            saisie=shorten(str(raw).strip()), attendu=expected))
    return month


_YEARS = (1900, 2200)


def parse_date(raw: Any) -> date:
    if isinstance(raw, date):
        # From a YAML file, where an unquoted 2023-01-15 is already a date: the same years apply.
        value = raw.date() if isinstance(raw, datetime) else raw
        if not _YEARS[0] <= value.year <= _YEARS[1]:
            raise InvalidAnswer(_("« {saisie} » : l'année {annee} n'est pas plausible").format(
                saisie=value.isoformat(), annee=value.year))
        return value
    text = fold(text_input(raw))
    expected = _("une date est attendue, par exemple 21/10/2022 ou 21 octobre 2022")
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})", text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
    elif match := re.fullmatch(r"(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})", text):
        month = _month(match.group(2), raw, expected)
        day, year = int(match.group(1)), int(match.group(3))
    elif match := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})", text):
        # The English order, as dates are shown in English: « October 21, 2022 ».
        month = _month(match.group(1), raw, expected)
        day, year = int(match.group(2)), int(match.group(3))
    else:
        raise InvalidAnswer(_("« {saisie} » n'est pas une date : {attendu}").format(
            saisie=shorten(str(raw).strip()), attendu=expected))
    if not _YEARS[0] <= year <= _YEARS[1]:
        raise InvalidAnswer(_("« {saisie} » : l'année {annee} n'est pas plausible").format(saisie=str(raw).strip(), annee=year))
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidAnswer(
            _("« {saisie} » : cette date n'existe pas (jour ou mois hors calendrier)").format(saisie=str(raw).strip())
        ) from None


def long_date(value: date) -> str:
    """A date as a document writes it, « 1er avril 2024 » for the first of a month in French."""
    text = format_date(value)
    if value.day == 1 and language() == DEFAULT_LANGUAGE and text.startswith("1 "):
        text = "1er" + text[1:]
    return text


class Date(FieldKind):
    type = FieldType.DATE
    hint = N_("date, par exemple 21/10/2022 ou 21 octobre 2022")
    weight = 1.7

    def read(self, question: Question, raw: Any) -> date:
        return parse_date(raw)

    def encode(self, question: Question, value: Any) -> JSON:
        return value.isoformat()

    def display(self, question: Question, value: Any) -> str:
        return format_date(value)

    def document(self, question: Question, value: Any) -> str:
        return long_date(value)

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return str(value.strftime("%d/%m/%Y"))
