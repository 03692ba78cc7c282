"""Reading answers as people type them: `parse_answer`, and each type's parser by name.

The parsers live with their field type (`assistant.fields`); this module gathers them for the
places that read one answer without caring about its type (answers files, tests)."""

from __future__ import annotations

from typing import Any

from .fields import kind_of
from .fields.choices import parse_yes_no
from .fields.dates import parse_date
from .fields.groups import check_group_size, parse_item
from .fields.texts import parse_email, parse_long_text, parse_path, parse_phone, parse_text
from .model import Question
from .numeric import parse_amount, parse_decimal, parse_integer, parse_percentage
from .text import clean_text

__all__ = ["check_group_size", "clean_text", "parse_amount", "parse_answer", "parse_date", "parse_decimal",
           "parse_email", "parse_integer", "parse_item", "parse_long_text", "parse_path", "parse_percentage",
           "parse_phone", "parse_text", "parse_yes_no"]


def parse_answer(question: Question, raw: Any) -> Any:
    """Parse one answer to `question` and check its limits; `InvalidAnswer` says what was
    expected (for a group, every faulty item field in its `details`)."""
    return kind_of(question).parse(question, raw)
