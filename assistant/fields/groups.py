"""The group field type: a list of items (budget lines, team members), each a set of fields.

A group is parsed and decoded item by item, field by field through each field's own kind, and
reports every faulty field at once, each as `[n].champ: message` (items numbered from 1)."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidAnswer
from ..i18n import _, ngettext
from ..model import MAX_ANSWER_BYTES, FieldType, Question
from ..reading import encoded_size, megabytes
from ..text import shorten
from .base import JSON, FieldKind, kind_of


class Group(FieldKind):
    type = FieldType.GROUP
    short = False

    def parse(self, question: Question, raw: Any) -> list[dict[str, Any]]:
        return _items(question, raw, strict=False)

    def decode(self, question: Question, data: JSON) -> list[dict[str, Any]]:
        return _items(question, data, strict=True)

    def encode(self, question: Question, value: Any) -> JSON:
        return [
            {field.id: kind_of(field).encode(field, item[field.id]) for field in question.fields if field.id in item}
            for item in value
        ]

    def display(self, question: Question, value: Any) -> str:
        return ngettext("{n} élément", "{n} éléments", len(value)).format(n=len(value))

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return self.display(question, value)


def _items(question: Question, raw: Any, strict: bool) -> list[dict[str, Any]]:
    if not isinstance(raw, list | tuple):
        raise InvalidAnswer(_("une liste d'éléments est attendue (une ligne par élément)"))
    if len(raw) > question.item_limit:  # said before reading thousands of items
        message = _(": au plus {n} éléments sont possibles").format(n=question.item_limit)
        raise InvalidAnswer(message, details=[message])
    items: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(_("[{n}]: un élément est un ensemble de champs ({champs})").format(
                n=number, champs=", ".join(f.id for f in question.fields)))
            continue
        item, item_problems = _item(question, entry, strict)
        problems += [f"[{number}].{place}" for place in item_problems]
        items.append(item)
    if len(items) < question.min_items and not problems:
        problems.append(_(": au moins {n} éléments sont attendus").format(n=question.min_items))
    if problems:
        raise InvalidAnswer(problems[0], details=problems)
    check_group_size(question, items)
    return items


def parse_item(question: Question, entry: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Parse one item of a group; returns the item and the problems as `champ: message`."""
    return _item(question, entry, strict=False)


def _item(question: Question, entry: dict[str, Any], strict: bool) -> tuple[dict[str, Any], list[str]]:
    item: dict[str, Any] = {}
    problems: list[str] = []
    for key in entry:
        if question.field(str(key)) is None:
            problems.append(_("{champ}: champ inconnu (champs possibles : {champs})").format(
                champ=shorten(str(key)), champs=", ".join(f.id for f in question.fields)))
    for field in question.fields:
        value = entry.get(field.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                problems.append(_("{champ}: réponse obligatoire").format(champ=field.id))
            continue
        kind = kind_of(field)
        try:
            item[field.id] = kind.decode(field, value) if strict else kind.parse(field, value)
        except InvalidAnswer as error:
            problems.append(f"{field.id}: {error.message}")
    return item, problems


def check_group_size(question: Question, items: list[dict[str, Any]]) -> None:
    """A group is the one answer whose size the other limits do not bound well (items × fields
    × characters): it is measured as the dossier will write it. The dialogue, which builds a
    group item by item, checks it here too."""
    # At the depth of the history's « avant » and « après », the deepest place it is written.
    size = encoded_size(kind_of(question).encode(question, items), depth=4)
    if size > MAX_ANSWER_BYTES:
        message = _(": ces éléments prendraient {taille} Mo dans le dossier ; {max} Mo au plus").format(
            taille=megabytes(size), max=megabytes(MAX_ANSWER_BYTES))
        raise InvalidAnswer(message, details=[message])
