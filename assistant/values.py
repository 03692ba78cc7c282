"""Typed answers to JSON (for the dossier file) and to display text (for people).

Reading back is `parsing.parse_answer`: the parsers accept their own normalised output.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from .i18n import _, decimal_symbol, format_amount, format_date, format_decimal, format_number, format_percent, ngettext
from .model import FieldType, Question

JSON = Any


def group_sum(items: list[dict[str, Any]] | None, field_id: str) -> Decimal:
    """The exact sum of one numeric field over a group's items (a missing value counts 0)."""
    return sum((Decimal(item.get(field_id) or 0) for item in items or []), Decimal(0))


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
        case FieldType.INTEGER if not question.grouping:
            return str(int(value))  # a year: « 2024 », never « 2 024 »
        case FieldType.DECIMAL | FieldType.INTEGER:
            return format_decimal(value)
        case FieldType.PERCENTAGE:
            return format_percent(value)
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
        case FieldType.PHONE:
            return value.replace(" ", "\u00a0")  # a number never breaks across two lines
        case FieldType.SIRET:
            return siret(value)
    return str(value)  # a FINESS number as typed: its 9 characters


def siret(value: str) -> str:
    """A SIRET as INSEE writes it, « 267 500 452 00011 »: the SIREN in three groups of three,
    then the NIC, with no-break spaces (the stored value stays 14 digits)."""
    if len(value) != 14 or not value.isdigit():
        return str(value)
    return "\u00a0".join((value[0:3], value[3:6], value[6:9], value[9:]))


def input_text(question: Question, value: Any) -> str | list[str]:
    """The saved answer as the user would type it, to be offered as the editable default
    (parseable again: amounts and decimals as the language writes them, dates as DD/MM/YYYY,
    choice labels)."""
    match question.type:
        case FieldType.AMOUNT:
            return format_number(value, 2)
        case FieldType.DECIMAL | FieldType.PERCENTAGE:
            return format(value, "f").replace(".", decimal_symbol())
        case FieldType.DATE:
            return value.strftime("%d/%m/%Y")
        case FieldType.YES_NO:
            return _("oui") if value else _("non")
        case FieldType.CHOICE:
            choice = question.choice(value)
            return choice.label if choice else str(value)
        case FieldType.MULTIPLE_CHOICE:
            return list(value)
    return str(value)


def paragraphs(text: str) -> list[str]:
    """A questionnaire text as paragraphs: the YAML's line breaks inside a paragraph are only
    layout and are joined; blank lines and list items (•, -, 1.) start a new line."""
    result: list[str] = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if lines and not _starts_item(stripped):
                lines[-1] += " " + stripped
            else:
                lines.append(stripped)
        result.append("\n".join(lines))
    return [p for p in result if p]


_ITEM = re.compile(r"^(?:[•\-–*]|\d{1,2}[.)])\s")


def _starts_item(line: str) -> bool:
    """A list item: a bullet, or a number of one or two digits with « . » or « ) », then a space
    (« 2022) et » is not one)."""
    return bool(_ITEM.match(line))
