"""From a text read in a Word document back to an answer, through the same parsers as the dialogue.

The review version writes each answer as a person reads it (« 18 000,00 € », « 21 octobre 2022 »,
« ☑ La charte… » for ticked boxes, French typography); these read it back. Whether an answer's
text reads back at all is decided once, at export (`reads_back`): a table row that only sums a
list up (« 3 », « du 1er janvier au 30 juin ») does not, and a change there is reported rather
than imported.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from .. import typography
from ..errors import InvalidAnswer
from ..fields import kind_of
from ..model import FieldType, Question
from ..text import clean_text
from .regions import QUOTES, plain

_TICKED = ("☑", "☒", "[x]", "[X]")
_BOXES = (*_TICKED, "☐", "[ ]")
_WIDE_SPACES = re.compile(r"[\u00a0\u202f\u2007]")


def read_answer(question: Question, text: str, original: Any = None) -> Any:
    """The value a text gives, or InvalidAnswer with the parser's message. An empty text is
    None (the answer removed). `original`: the answer as the author typed it, whose unchanged
    paragraphs and typing (straight apostrophes, line breaks) are kept (`keep_typing`)."""
    kind = kind_of(question)
    if not text.strip():
        return None
    typed = original if isinstance(original, str) else None
    match question.type:
        case FieldType.LONG_TEXT:
            return kind.parse(question, keep_typing(typed, text) if typed is not None else _WIDE_SPACES.sub(" ", text))
        case FieldType.MULTIPLE_CHOICE:
            lines = [line.strip() for line in plain(text).split("\n") if line.strip()]
            if any(line.startswith(_BOXES) for line in lines):
                lines = [_unboxed(line) for line in lines if line.startswith(_TICKED)]
                return kind.parse(question, [line.translate(QUOTES) for line in lines])
            return kind.parse(question, plain(text).translate(QUOTES))
        case FieldType.CHOICE:
            return kind.parse(question, plain(text).translate(QUOTES))
    return kind.parse(question, _untyped(plain(text), typed) if typed is not None else plain(text))


_CHUNKS = re.compile(r"\n[ \t]*\n")
_GUILLEMETS = re.compile(r"«\s*(.*?)\s*»")


def keep_typing(original: str, text: str) -> str:
    """A long text read in the document, written back as its author typed it: paragraphs the
    reviewers left as they were keep their source (their line breaks, their apostrophes); the
    others take the document's text without the typography aap adds at export (no-break spaces,
    curly apostrophes, « » for "")."""
    old = [chunk for chunk in _CHUNKS.split(original.strip()) if chunk.strip()]
    new = [chunk for chunk in text.split("\n\n") if chunk.strip()]
    matcher = SequenceMatcher(None, [tuple(_shape(c)) for c in old], [tuple(_shape(c)) for c in new], autojunk=False)
    kept: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kept += old[i1:i2] if tag == "equal" else [_untyped(chunk, original) for chunk in new[j1:j2]]
    return "\n\n".join(kept)


def _untyped(text: str, original: str) -> str:
    text = _WIDE_SPACES.sub(" ", text)
    if "’" not in original:
        text = text.replace("’", "'")
    if "«" not in original:
        text = _GUILLEMETS.sub(r'"\1"', text)
    return text


def _unboxed(line: str) -> str:
    for box in _BOXES:
        if line.startswith(box):
            return line[len(box):].strip()
    return line


def same_answer(question: Question, first: Any, second: Any) -> bool:
    """Whether two values show the same in the document (a long text « * a » and « - a » do;
    « l'axe » and « l’axe » do)."""
    if first is None or second is None:
        return first is second
    if question.type is FieldType.LONG_TEXT:
        return _shape(first) == _shape(second)
    if question.type is FieldType.MULTIPLE_CHOICE:
        return set(first) == set(second)
    kind = kind_of(question)
    if kind.encode(question, first) == kind.encode(question, second):
        return True
    return _shown(question, first) == _shown(question, second)


def shown(question: Question, value: Any) -> str:
    """An answer as the review version writes it (French typography included), to compare it
    with what a reviewer sent back."""
    return typography.as_written(kind_of(question).document(question, value))


def _shown(question: Question, value: Any) -> str:
    return plain(typography.french(kind_of(question).document(question, value))).translate(QUOTES)


def _shape(text: str) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, plain(typography.french(b.text)).translate(QUOTES))
            for b in typography.blocks(clean_text(text))]


def reads_back(question: Question, text: str, value: Any) -> bool:
    """Whether the text written for an answer reads back to that answer."""
    try:
        return same_answer(question, read_answer(question, text), value)
    except InvalidAnswer:
        return False
