"""The group field type: a list of items (budget lines, team members), each a set of fields.

A group is parsed and decoded item by item, field by field through each field's own kind, and
reports every faulty field at once, each as `[n].champ: message` (items numbered from 1).
`saved_rows` reads a saved group that does not decode row by row, so that the dialogue can start
again from its rows rather than from nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
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
    problems = _unknown_keys(question, entry)
    for field_q in question.fields:
        try:
            value = _field(field_q, entry, strict)
        except InvalidAnswer as error:
            problems.append(error.message)
            continue
        if value is not None:
            item[field_q.id] = value
    return item, problems


def _unknown_keys(question: Question, entry: dict[str, Any]) -> list[str]:
    return [_("{champ}: champ inconnu (champs possibles : {champs})").format(
        champ=shorten(str(key)), champs=", ".join(f.id for f in question.fields))
        for key in entry if question.field(str(key)) is None]


def _field(field_q: Question, entry: dict[str, Any], strict: bool) -> Any:
    """One field of an item: its value, None when it is absent (and may be); refused with a
    message `champ: why`."""
    value = entry.get(field_q.id)
    if value is None or (isinstance(value, str) and not value.strip()):
        if field_q.required:
            raise InvalidAnswer(_("{champ}: réponse obligatoire").format(champ=field_q.id))
        if strict and field_q.id in entry:
            # aap omits an optional field left empty: a saved null or blank was not written by it.
            raise InvalidAnswer(_("{champ}: champ vide ; aap omet un champ sans réponse plutôt que de l'enregistrer vide").format(
                champ=field_q.id))
        return None
    kind = kind_of(field_q)
    try:
        return kind.decode(field_q, value) if strict else kind.parse(field_q, value)
    except InvalidAnswer as error:
        raise InvalidAnswer(f"{field_q.id}: {error.message}") from None


@dataclass
class SavedRow:
    """One row of a saved group: what could be read of it and, for a damaged row, why it does
    not decode. `item` holds each field decoded strictly or, failing that, parsed leniently as
    if typed (shown to the user, never saved unconfirmed); `raw` the saved value of each field
    that did not decode; `problems` the messages, each with its field (None: the whole row)."""

    item: dict[str, Any] = dataclasses.field(default_factory=dict)
    raw: dict[str, Any] = dataclasses.field(default_factory=dict)
    problems: list[tuple[str | None, str]] = dataclasses.field(default_factory=list)


def saved_rows(question: Question, data: JSON) -> list[SavedRow] | None:
    """The rows of a saved group value, one by one (None when it is not a list): those that
    decode as they are, and the damaged ones with what could be read of them."""
    if not isinstance(data, list):
        return None
    rows: list[SavedRow] = []
    for entry in data:
        row = SavedRow()
        rows.append(row)
        if not isinstance(entry, dict):
            row.problems.append((None, _("un élément est un ensemble de champs ({champs}) ; celui-ci vaut « {valeur} »").format(
                champs=", ".join(f.id for f in question.fields), valeur=shorten(str(entry)))))
            continue
        row.problems += [(None, problem) for problem in _unknown_keys(question, entry)]
        for field_q in question.fields:
            try:
                value = _field(field_q, entry, strict=True)
            except InvalidAnswer as error:
                row.problems.append((field_q.id, error.message))
                if field_q.id in entry:
                    row.raw[field_q.id] = entry[field_q.id]
                try:
                    value = _field(field_q, entry, strict=False)
                except InvalidAnswer:
                    value = None
            if value is not None:
                row.item[field_q.id] = value
    return rows


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
