"""What every field type is: one `FieldKind` object that reads, writes and shows its answers.

A kind is a stateless singleton; its methods take the question (limits, choices, fields) and a
value. Defining a subclass with a `type` registers it (see `fields/__init__.py`), so adding a
type is one class here plus its `FieldType` value.

- `parse` reads what a person typed or an answers file holds, leniently, and returns the typed
  value, or raises `InvalidAnswer` with one message (as rich's `Prompt.process_response`).
- `encode` writes the value for the dossier file; `decode` reads it back STRICTLY: it accepts
  exactly what `encode` writes, so that loosening or tightening `parse` later never changes the
  meaning of a saved file.
- `display` (terminal), `document` (Word), `input_text` (the editable default) show it.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from ..errors import InvalidAnswer
from ..i18n import _
from ..model import FieldType, Question
from ..text import clean_text, shorten

JSON = Any
_REGISTRY: dict[FieldType, FieldKind] = {}


class FieldKind:
    type: ClassVar[FieldType]
    # The input hint shown beside the label (an N_() message), None when the label says it all.
    hint: ClassVar[str | None] = None
    # Right-aligned in tables; usable in comparisons and sums.
    numeric: ClassVar[bool] = False
    # One line: fits a row of an identity table (a long text, a list or a group does not).
    short: ClassVar[bool] = True
    # Typed on several lines (Enter adds a line), with a character counter.
    multiline: ClassVar[bool] = False
    # Declares `choix`; `menu`: its choices are numbered on screen and offered at once.
    has_choices: ClassVar[bool] = False
    menu: ClassVar[bool] = False
    # Answered by ticking boxes rather than typing.
    checkboxes: ClassVar[bool] = False
    # The answer is a path, completed from the file system.
    completes_paths: ClassVar[bool] = False
    # The most characters an answer may have, whatever the questionnaire says (None: no text).
    length_limit: ClassVar[int | None] = None
    # How much of a Word table's width a column of this type deserves.
    weight: ClassVar[float] = 2.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            _REGISTRY[cls.type] = cls()

    def hint_for(self, question: Question) -> str | None:
        """The input hint of this question (an N_() message): the type's, unless an option of
        the question changes what it takes (a date that may be a month)."""
        return self.hint

    def limit_text(self, question: Question, limit: Any) -> str:
        """A bound of the question (`min`, `max`) as its answers are shown (a year ungrouped)."""
        return str(limit)

    # -- reading -------------------------------------------------------------------------------

    def parse(self, question: Question, raw: Any) -> Any:
        """What a person typed (or an answers file holds) → the value, within its limits."""
        value = self.read(question, raw)
        self.check(question, value)
        return value

    def read(self, question: Question, raw: Any) -> Any:
        raise NotImplementedError

    def check(self, question: Question, value: Any) -> None:
        limit = question.length_limit
        if limit is not None and isinstance(value, str) and len(value) > limit:
            raise InvalidAnswer(_("la réponse fait {n} caractères ; {max} au plus").format(n=len(value), max=limit))

    def decode(self, question: Question, data: JSON) -> Any:
        """A saved value → the value; only what `encode` writes is accepted. By default: the
        value `parse` reads from it, provided `encode` writes it back identically."""
        value = self.parse(question, data)
        written = self.encode(question, value)
        if _canonical(written) != _canonical(data):
            raise not_as_saved(data, written)
        return value

    # -- writing -------------------------------------------------------------------------------

    def encode(self, question: Question, value: Any) -> JSON:
        return value

    def display(self, question: Question, value: Any) -> str:
        """One line (or a long text) a person reads in the terminal."""
        return str(value)

    def document(self, question: Question, value: Any) -> str:
        """The answer in the Word document."""
        return self.display(question, value)

    def input_text(self, question: Question, value: Any) -> str | list[str]:
        """The saved answer as the user would type it: `parse` reads it back to the same value."""
        return str(value)

    def completions(self, question: Question) -> list[str]:
        """Words the prompt completes."""
        return []

    def notices(self, question: Question, value: Any) -> list[str]:
        """What is accepted but worth a word once the answer is given."""
        if question.advised_length and isinstance(value, str) and len(value) > question.advised_length:
            return [_("{n} caractères pour {conseil} conseillés : pensez à raccourcir").format(
                n=len(value), conseil=question.advised_length)]
        return []


def kind_of(question: Question) -> FieldKind:
    """The kind of a question's answers."""
    return _REGISTRY[question.type]


def _canonical(data: JSON) -> str:
    # JSON text, not Python equality: 1 == 1.0 == True, but a file holding 1.0 for an integer
    # was not written by aap.
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr)


def not_as_saved(data: JSON, written: JSON) -> InvalidAnswer:
    return InvalidAnswer(_("« {valeur} » n'est pas écrit comme aap l'enregistre ({forme})").format(
        valeur=shorten(str(data)), forme=shorten(json.dumps(written, ensure_ascii=False))))


def text_input(raw: Any) -> str:
    if isinstance(raw, bool) or raw is None or isinstance(raw, list | dict | tuple):
        raise InvalidAnswer(_("un texte est attendu"))
    return clean_text(str(raw)).strip()


def not_empty(text: str) -> str:
    if not text:
        raise InvalidAnswer(_("la réponse est vide"))
    return text


_BLANKS = re.compile(r"\s+")


def one_line(raw: Any) -> str:
    return not_empty(_BLANKS.sub(" ", text_input(raw)))
