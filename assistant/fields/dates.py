"""The date field type: read as people write dates (21/10/2022, 21 octobre 2022, 1er février
2023, October 21, 2022), saved as ISO 8601 (2022-10-21), shown as the language writes it.

A question with `precision: mois` also takes a month (janvier 2023, janv. 2023, 01/2023,
2023-01, January 2023): a `Month`, saved « 2023-01 » and shown « janvier 2023 ». A saved full
date stays a full date; a month saved for a question that no longer takes months is reported
and asked again, like any answer that no longer validates."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, ClassVar

from ..errors import InvalidAnswer
from ..i18n import N_, _, format_date
from ..model import FieldType, Question
from ..text import fold, shorten
from .base import JSON, FieldKind, text_input

# The years a date (or a year asked as a number, `numbers.is_year`) may plausibly have.
PLAUSIBLE_YEARS = (1900, 2200)
# Short forms people write that CLDR does not list (its French « févr. » is also read).
_USUAL_MONTHS = {"fev": 2}


class Month(date):
    """A date known to the month: « janvier 2023 », a step due in January.

    As a date it is the month's last day, so that the rules, which compare dates, read it as a
    due date is read: a step due in January is on time until 31 January (a review due in
    October 2022 comes after a deadline of 21 October 2022; a review six months after a start
    on 3 April 2023 may be due in September or October). It is written « 2023-01 » (ISO 8601's
    month), shown « janvier 2023 » by `i18n.format_date`, and moving it (a rule's offset) gives
    a plain date."""

    # What `i18n.format_date` asks, without importing the field types.
    whole_month: ClassVar[bool] = True

    def __new__(cls, year: int, month: int) -> Month:
        return super().__new__(cls, year, month, calendar.monthrange(year, month)[1])

    def __reduce__(self) -> tuple[type[Month], tuple[int, int]]:
        return Month, (self.year, self.month)

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def last_day(self) -> date:
        return date(self.year, self.month, self.day)

    # datetime builds the result of these with the operand's class, here a month from a day:
    # they give the plain date instead.
    def replace(self, year: int | None = None, month: int | None = None, day: int | None = None) -> date:  # type: ignore[override]
        return self.last_day().replace(year=year or self.year, month=month or self.month, day=day or self.day)

    def __add__(self, other: timedelta) -> date:  # type: ignore[override]
        return self.last_day() + other

    def __radd__(self, other: timedelta) -> date:  # type: ignore[override]
        return self.last_day() + other

    def __sub__(self, other: Any) -> Any:
        return self.last_day() - other


@cache
def _month_numbers() -> dict[str, int]:
    from babel.dates import get_month_names

    from ..i18n import all_babel_locales

    names: dict[str, int] = dict(_USUAL_MONTHS)
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


# On the folded text (no accents, lower case): a full date, then a month and its year.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
# « 1er février 2023 » (« 1ᵉʳ » folds to « 1er »), « le 3 avril 2023 », « 1st February 2023 ».
_DAY_FIRST = re.compile(r"(?:le\s+)?(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)\.?\s*(\d{4})")
# The English order, as dates are shown in English: « October 21, 2022 ».
_MONTH_FIRST = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_NUMERIC_MONTH = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_NAMED_MONTH = re.compile(r"([a-z]+)\.?\s*,?\s*(\d{4})")


def parse_date(raw: Any, months: bool = False) -> date:
    """A date as people write it; with `months`, a month too (« janvier 2023 » → `Month`)."""
    if isinstance(raw, date):
        # From a YAML file, where an unquoted 2023-01-15 is already a date: the same years apply.
        value = raw.date() if isinstance(raw, datetime) else raw
        _plausible(value.year, value.isoformat())
        return value
    text = fold(text_input(raw))
    typed = str(raw).strip()
    expected = (_("une date ou un mois est attendu, par exemple 21/10/2022, 21 octobre 2022 ou octobre 2022") if months
                else _("une date est attendue, par exemple 21/10/2022 ou 21 octobre 2022"))
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
    elif match := _DAY_FIRST.fullmatch(text):
        month = _month(match.group(2), raw, expected)
        day, year = int(match.group(1)), int(match.group(3))
    elif match := _MONTH_FIRST.fullmatch(text):
        month = _month(match.group(1), raw, expected)
        day, year = int(match.group(2)), int(match.group(3))
    else:
        return _parse_month(text, raw, expected, months)
    _plausible(year, typed)
    try:
        return date(year, month, day)
    except ValueError:
        raise _nonexistent(typed) from None


def _parse_month(text: str, raw: Any, expected: str, months: bool) -> Month:
    if match := _ISO_MONTH.fullmatch(text):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _NUMERIC_MONTH.fullmatch(text):
        month, year = int(match.group(1)), int(match.group(2))
    elif (match := _NAMED_MONTH.fullmatch(text)) and match.group(1) != "le":
        month, year = _month(match.group(1), raw, expected), int(match.group(2))
    else:
        raise InvalidAnswer(_("« {saisie} » n'est pas une date : {attendu}").format(
            saisie=shorten(str(raw).strip()), attendu=expected))
    typed = str(raw).strip()
    if not months:
        # A month where a day is asked: said as such, not as « not a date ».
        raise InvalidAnswer(_("« {saisie} » : il manque le jour ; {attendu}").format(
            saisie=shorten(typed), attendu=expected))
    _plausible(year, typed)
    if not 1 <= month <= 12:
        raise _nonexistent(typed)
    return Month(year, month)


def _plausible(year: int, typed: str) -> None:
    if not PLAUSIBLE_YEARS[0] <= year <= PLAUSIBLE_YEARS[1]:
        raise InvalidAnswer(_("« {saisie} » : l'année {annee} n'est pas plausible").format(saisie=typed, annee=year))


def _nonexistent(typed: str) -> InvalidAnswer:
    return InvalidAnswer(_("« {saisie} » : cette date n'existe pas (jour ou mois hors calendrier)").format(saisie=typed))


def takes_months(question: Question) -> bool:
    return question.precision == "mois"


class Date(FieldKind):
    type = FieldType.DATE
    hint = N_("date, par exemple 21/10/2022 ou 21 octobre 2022")
    weight = 1.7

    def hint_for(self, question: Question) -> str | None:
        return N_("date ou mois, par exemple 21/10/2022 ou octobre 2022") if takes_months(question) else self.hint

    def read(self, question: Question, raw: Any) -> date:
        return parse_date(raw, months=takes_months(question))

    def encode(self, question: Question, value: Any) -> JSON:
        return value.isoformat()  # « 2023-01 » for a month

    def display(self, question: Question, value: Any) -> str:
        # « 1er février 2023 », « janvier 2023 »: `format_date` says both.
        return format_date(value)

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        if isinstance(value, Month):
            return f"{value.month:02d}/{value.year}"
        return str(value.strftime("%d/%m/%Y"))
