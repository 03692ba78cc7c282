"""Typed answers to JSON (for the dossier file) and to display text (for people).

Reading back is `parsing.parse_answer`: the parsers accept their own normalised output.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .i18n import _, format_amount, format_date, format_decimal, ngettext
from .model import FieldType, Question

JSON = Any


def encode(question: Question, value: Any) -> JSON:
    if question.type is FieldType.GROUP:
        return [
            {field.id: encode(field, item[field.id]) for field in question.fields if field.id in item}
            for item in value
        ]
    if isinstance(value, Decimal):
        # Exact decimal as a string: never a float in the file.
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def display(question: Question, value: Any) -> str:
    """One line (or a long text) a person reads: French amounts, dates and choice labels."""
    match question.type:
        case FieldType.AMOUNT:
            return format_amount(value)
        case FieldType.DECIMAL | FieldType.INTEGER:
            return format_decimal(value)
        case FieldType.PERCENTAGE:
            return format_decimal(value) + "\u00a0%"
        case FieldType.DATE:
            return format_date(value)
        case FieldType.YES_NO:
            return _("Oui") if value else _("Non")
        case FieldType.CHOICE:
            choice = question.choice(value)
            return choice.label if choice else str(value)
        case FieldType.MULTIPLE_CHOICE:
            return ", ".join(c.label for c in question.choices if c.id in value) or _("aucun")
        case FieldType.GROUP:
            return ngettext("{n} élément", "{n} éléments", len(value)).format(n=len(value))
    return str(value)
