"""Answers as people read them: a typed answer's display and editable text (each field type
says its own, in `assistant.fields`), a group's sums, a questionnaire text's paragraphs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .fields import kind_of
from .fields.texts import siret
from .model import Question

JSON = Any
__all__ = ["display", "encode", "group_sum", "input_text", "paragraphs", "siret"]


def group_sum(items: list[dict[str, Any]] | None, field_id: str) -> Decimal:
    """The exact sum of one numeric field over a group's items (a missing value counts 0)."""
    return sum((Decimal(item.get(field_id) or 0) for item in items or []), Decimal(0))


def encode(question: Question, value: Any) -> JSON:
    return kind_of(question).encode(question, value)


def display(question: Question, value: Any) -> str:
    """One line (or a long text) a person reads: French amounts, dates and choice labels."""
    return kind_of(question).display(question, value)


def input_text(question: Question, value: Any) -> str | list[str]:
    """The saved answer as the user would type it, to be offered as the editable default."""
    return kind_of(question).input_text(question, value)


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
