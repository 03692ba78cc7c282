"""Field types whose answer is a number: integers, decimals, amounts (Decimal, never float) and
percentages. The parsers themselves are in `numeric.py`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import InvalidAnswer
from ..i18n import N_, _, decimal_symbol, format_amount, format_decimal, format_number, format_percent
from ..model import FieldType, Question
from ..numeric import parse_amount, parse_decimal, parse_integer, parse_percentage
from .base import JSON, FieldKind
from .dates import PLAUSIBLE_YEARS

_CENTS = Decimal("0.01")


class _Number(FieldKind):
    numeric = True
    weight = 1.2
    # The range a value of this type keeps whatever the questionnaire says (percentages: 0–100).
    bounds: tuple[Decimal | None, Decimal | None] = (None, None)

    def check(self, question: Question, value: Any) -> None:
        minimum = self.bounds[0] if question.minimum is None else question.minimum
        maximum = self.bounds[1] if question.maximum is None else question.maximum
        if minimum is not None and value < minimum:
            raise InvalidAnswer(_("la valeur doit être au moins {min}").format(min=self.limit_text(question, minimum)))
        if maximum is not None and value > maximum:
            raise InvalidAnswer(_("la valeur doit être au plus {max}").format(max=self.limit_text(question, maximum)))

    def limit_text(self, question: Question, limit: Decimal) -> str:
        return format_decimal(limit)

    def encode(self, question: Question, value: Any) -> JSON:
        # Exact decimal as a string: never a float in the file.
        return format(value, "f") if isinstance(value, Decimal) else value

    def display(self, question: Question, value: Any) -> str:
        return format_decimal(value)

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return format(value, "f").replace(".", decimal_symbol())


def is_year(question: Question) -> bool:
    """Whether an integer question asks for a year, shown « 2015 » and never « 2 015 » (the
    answer, the bounds in a refusal, the document): the questionnaire says so with `groupement:
    false` (`true`: a quantity, grouped whatever its bounds); when it says nothing, an integer
    whose two bounds are plausible years (`min: 2015`, `max: 2030`) is a year. Both bounds: a
    count with a floor of 2000 is still a count. The answer is the same integer either way, so
    saved answers keep their meaning."""
    if question.grouping is not None:
        return not question.grouping
    low, high = PLAUSIBLE_YEARS
    bounds = (question.minimum, question.maximum)
    return all(bound is not None and bound == int(bound) and low <= bound <= high for bound in bounds)


class Integer(_Number):
    type = FieldType.INTEGER
    hint = N_("nombre entier")

    def read(self, question: Question, raw: Any) -> int:
        return parse_integer(raw)

    def limit_text(self, question: Question, limit: Decimal) -> str:
        return str(int(limit)) if is_year(question) else format_decimal(limit)

    def display(self, question: Question, value: Any) -> str:
        return str(int(value)) if is_year(question) else format_decimal(value)

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return str(value)


class DecimalNumber(_Number):
    type = FieldType.DECIMAL
    hint = N_("nombre, virgule ou point")

    def read(self, question: Question, raw: Any) -> Decimal:
        return parse_decimal(raw)


class Amount(_Number):
    type = FieldType.AMOUNT
    hint = N_("montant en euros, par exemple 40 000 ou 40 000,50")
    weight = 1.7

    def read(self, question: Question, raw: Any) -> Decimal:
        return parse_amount(raw)

    def limit_text(self, question: Question, limit: Decimal) -> str:
        return format_amount(limit)

    def encode(self, question: Question, value: Any) -> JSON:
        # Always in cents, as `parse` returns it: an amount set as Decimal(100) reads back too.
        return format(Decimal(value).quantize(_CENTS), "f")

    def display(self, question: Question, value: Any) -> str:
        return format_amount(value)

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return format_number(value, 2)


class Percentage(_Number):
    type = FieldType.PERCENTAGE
    hint = N_("pourcentage, par exemple 62 ou 62,5 %")
    bounds = (Decimal(0), Decimal(100))

    def read(self, question: Question, raw: Any) -> Decimal:
        return parse_percentage(raw)

    def display(self, question: Question, value: Any) -> str:
        return format_percent(value)
