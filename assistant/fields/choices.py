"""Field types answered by choosing: yes or no, one choice of a list, several choices."""

from __future__ import annotations

import re
from typing import Any

from ..errors import InvalidAnswer
from ..i18n import N_, _
from ..model import FieldType, Question
from ..text import fold, shorten
from .base import JSON, FieldKind, text_input

_YES = frozenset({"o", "oui", "y", "yes", "vrai", "true"})
_NO = frozenset({"n", "non", "no", "faux", "false"})


def parse_yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = fold(text_input(raw))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidAnswer(_("« {saisie} » : répondez oui ou non (o / n)").format(saisie=shorten(str(raw).strip())))


class YesNo(FieldKind):
    type = FieldType.YES_NO
    hint = N_("oui ou non (o / n)")

    def read(self, question: Question, raw: Any) -> bool:
        return parse_yes_no(raw)

    def display(self, question: Question, value: Any) -> str:
        return _("Oui") if value else _("Non")

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return _("oui") if value else _("non")

    def completions(self, question: Question) -> list[str]:
        return [_("oui"), _("non")]


def resolve_choice(question: Question, raw: Any) -> str:
    """A choice's id from its id, its label (forgiving case and accents) or its number."""
    text = text_input(raw)
    folded = fold(text)
    for number, choice in enumerate(question.choices, start=1):
        if folded in (choice.id, fold(choice.label), str(number)):
            return choice.id
    options = ", ".join(f"{n} = {c.label}" for n, c in enumerate(question.choices, start=1))
    raise InvalidAnswer(_("« {saisie} » n'est pas un choix possible ; choix : {choix}").format(
        saisie=shorten(text), choix=options))


def _label(question: Question, choice_id: str) -> str:
    choice = question.choice(choice_id)
    return choice.label if choice else str(choice_id)


class Choice(FieldKind):
    type = FieldType.CHOICE
    has_choices = True
    menu = True
    weight = 2.2

    def read(self, question: Question, raw: Any) -> str:
        return resolve_choice(question, raw)

    def decode(self, question: Question, data: JSON) -> Any:
        if isinstance(data, str) and question.choice(data) is not None:
            return data
        return super().decode(question, data)  # which says what was expected

    def display(self, question: Question, value: Any) -> str:
        return _label(question, value)

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return _label(question, value)

    def completions(self, question: Question) -> list[str]:
        return [c.label for c in question.choices]


class MultipleChoice(FieldKind):
    type = FieldType.MULTIPLE_CHOICE
    has_choices = True
    checkboxes = True
    short = False

    def read(self, question: Question, raw: Any) -> list[str]:
        if isinstance(raw, str):
            items: list[Any] = [part for part in re.split(r"[,;\n]", raw) if part.strip()]
        elif isinstance(raw, list | tuple):
            items = list(raw)
        else:
            raise InvalidAnswer(_("une liste de choix est attendue"))
        chosen = {resolve_choice(question, item) for item in items}
        return [c.id for c in question.choices if c.id in chosen]

    def check(self, question: Question, value: Any) -> None:
        if not value and question.required:
            raise InvalidAnswer(_("choisissez au moins une option"))

    def decode(self, question: Question, data: JSON) -> Any:
        # Known ids, each once; in any order, since a questionnaire may reorder its choices.
        if (isinstance(data, list) and all(isinstance(i, str) and question.choice(i) for i in data)
                and len(set(data)) == len(data)):
            value = [c.id for c in question.choices if c.id in data]
            self.check(question, value)
            return value
        return super().decode(question, data)

    def encode(self, question: Question, value: Any) -> JSON:
        return list(value)

    def display(self, question: Question, value: Any) -> str:
        return ", ".join(c.label for c in question.choices if c.id in value) or _("aucun")

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        return list(value)
