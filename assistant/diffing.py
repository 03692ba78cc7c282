"""Word-level differences between two texts, for a reviewer's changes (`aap relire`) and for two
versions of a dossier (`aap comparer`).

The unit is a word with the blanks that follow it, so that joining the pieces of either side
gives that side back exactly; a paragraph break (a blank line) is a piece of its own, so a change
never seems to swallow a paragraph's end. Words are compared without their blanks: a line
wrapped elsewhere, or a no-break space where there was a space, is no change. difflib's matcher
is enough at this size (an answer is a few thousand characters at most)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

# A paragraph break; a word and the blanks after it (a single line break included); leading blanks.
_PIECES = re.compile(r"\n[^\S\n]*\n\s*|\S+[^\S\n]*(?:\n(?![^\S\n]*\n)[^\S\n]*)?|\s+")
_BLANKS = re.compile(r"\s+")


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


def _key(piece: str) -> str:
    return "\n\n" if piece.count("\n") > 1 else _BLANKS.sub(" ", piece).strip() or " "


def word_diff(before: str, after: str) -> list[Piece]:
    """The pieces of `before` and `after`: kept, deleted, inserted, in reading order (a replaced
    run of words reads as its deletion, then its insertion). Consecutive pieces of one kind are
    merged."""
    old, new = pieces(before), pieces(after)
    # Without autojunk: in long texts « de » or « la » would otherwise be ignored as too common.
    matcher = SequenceMatcher(None, [_key(p) for p in old], [_key(p) for p in new], autojunk=False)
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
            add(Op.SAME, new[j1:j2])  # the text as it is now, blanks included
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
        # A paragraph break added or removed shows as « ¶ », then the break itself.
        out.append(f"{mark[0]}{core or '¶'}{mark[1]}{trail}")
    return "".join(out)


def trimmed(diff: list[Piece], context: int = 80) -> list[Piece]:
    """The difference with long unchanged runs cut to the whole words next to a change (at most
    `context` characters on each side): a one-word change in a long answer reads at a glance."""
    result: list[Piece] = []
    for index, piece in enumerate(diff):
        text = piece.text
        if piece.op is not Op.SAME or len(text) <= 2 * context + 20:
            result.append(piece)
            continue
        first, last = index == 0, index == len(diff) - 1
        head = "" if first else text[:context].rsplit(" ", 1)[0] + " "
        tail = "" if last else " " + text[-context:].split(" ", 1)[-1]
        result.append(Piece(Op.SAME, head + "…" + tail))
    return result
