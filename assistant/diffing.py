"""Word-level differences between two texts, for a reviewer's changes (`aap relire`) and for two
versions of a dossier (`aap comparer`).

The unit is a word with the blanks that follow it, so that joining the pieces of either side
gives that side back exactly; a line break is a piece of its own, so a change never seems to
swallow a paragraph's end. difflib's matcher is enough at this size (an answer is a few thousand
characters at most)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

_PIECES = re.compile(r"\n|[^\S\n]+|[^\s]+[^\S\n]*")


class Op(StrEnum):
    SAME = "="
    DELETED = "-"
    INSERTED = "+"


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


def pieces(text: str) -> list[str]:
    return _PIECES.findall(text)


def word_diff(before: str, after: str) -> list[Piece]:
    """The pieces of `before` and `after`: kept, deleted, inserted, in reading order (a replaced
    run of words reads as its deletion, then its insertion). Consecutive pieces of one kind are
    merged."""
    old, new = pieces(before), pieces(after)
    # Without autojunk: in long texts « de » or « la » would otherwise be ignored as too common.
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    result: list[Piece] = []

    def add(op: Op, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if result and result[-1].op is op:
            result[-1] = Piece(op, result[-1].text + text)
        else:
            result.append(Piece(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(Op.SAME, old[i1:i2])
            continue
        add(Op.DELETED, old[i1:i2])
        add(Op.INSERTED, new[j1:j2])
    return result


def plain(diff: list[Piece]) -> str:
    """The difference as plain text, for a file or a terminal without colours:
    « réduire les [-passages-]{+hospitalisations évitables+} ». Spaces stay outside the marks."""
    out: list[str] = []
    for piece in diff:
        if piece.op is Op.SAME:
            out.append(piece.text)
            continue
        core = piece.text.rstrip()
        trail = piece.text[len(core):]
        mark = ("[-", "-]") if piece.op is Op.DELETED else ("{+", "+}")
        out.append(f"{mark[0]}{core}{mark[1]}{trail}" if core else piece.text)
    return "".join(out)
