"""The field types of a questionnaire, one `FieldKind` object each, and their registry.

`kind_of(question)` gives the object that parses, encodes, strictly decodes and shows the
question's answers, and says how it is asked and laid out (its hint, numeric or not, one line
or long…). Adding a field type: a `FieldType` value in `model.py`, and one `FieldKind` subclass
in the module of this package it belongs with (each subclass registers itself).
"""

from __future__ import annotations

from typing import Any

from ..model import FieldType, Question
from . import choices, dates, groups, numbers, texts
from .base import _REGISTRY, JSON, FieldKind, kind_of

KINDS: dict[FieldType, FieldKind] = _REGISTRY
assert set(KINDS) == set(FieldType), set(FieldType) - set(KINDS)
NUMERIC_TYPES = frozenset(t for t, kind in KINDS.items() if kind.numeric)
CHOICE_TYPES = frozenset(t for t, kind in KINDS.items() if kind.has_choices)

__all__ = ["CHOICE_TYPES", "JSON", "KINDS", "NUMERIC_TYPES", "FieldKind", "choices", "dates", "decode", "display",
           "encode", "groups", "kind_of", "numbers", "parse", "texts"]


def parse(question: Question, raw: Any) -> Any:
    return kind_of(question).parse(question, raw)


def decode(question: Question, data: JSON) -> Any:
    return kind_of(question).decode(question, data)


def encode(question: Question, value: Any) -> JSON:
    return kind_of(question).encode(question, value)


def display(question: Question, value: Any) -> str:
    return kind_of(question).display(question, value)
