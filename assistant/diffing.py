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
from itertools import pairwise

# A paragraph break; a word and the blanks after it (a single line break included); leading blanks.
# A number's groups and its unit stay one word: « 2 400 », « 18 000,00 € », « 22 % » (no-break spaces).
_WORD = r"(?:\S|(?<=\d)[\u00a0\u202f](?=[\d€%]))+"
_PIECES = re.compile(r"\n[^\S\n]*\n\s*|" + _WORD + r"[^\S\n]*(?:\n(?![^\S\n]*\n)[^\S\n]*)?|\s+")
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
    for index, piece in enumerate(diff):
        if piece.op is Op.SAME:
            out.append(piece.text)
            continue
        core = piece.text.rstrip()
        trail = piece.text[len(core):] or (" " if glued(diff, index) else "")
        mark = ("[-", "-]") if piece.op is Op.DELETED else ("{+", "+}")
        # A paragraph break added or removed shows as « ¶ », then the break itself.
        out.append(f"{mark[0]}{core or '¶'}{mark[1]}{trail}")
    return "".join(out)


def glued(diff: list[Piece], index: int) -> bool:
    """Whether a deletion at the end of a text is followed by its insertion with nothing between:
    « [-22 %-] {+25 %+} » reads better with a space, which neither text has."""
    return diff[index].op is Op.DELETED and index + 1 < len(diff) and diff[index + 1].op is Op.INSERTED


def trimmed(diff: list[Piece], context: int = 80) -> list[Piece]:
    """The difference with long unchanged runs cut to the whole words next to a change (at most
    `context` characters on each side): a one-word change in a long answer reads at a glance."""
    result: list[Piece] = []
    for index, piece in enumerate(diff):
        text = piece.text
        if piece.op is not Op.SAME and len(text) > 20 * context:  # a pasted page: its start, and its size
            result.append(Piece(piece.op, text[:10 * context].rsplit(" ", 1)[0] + f" … ({len(text)} car.)"))
            continue
        if piece.op is not Op.SAME or len(text) <= 2 * context + 20:
            result.append(piece)
            continue
        first, last = index == 0, index == len(diff) - 1
        head = "" if first else text[:context].rsplit(" ", 1)[0] + " "
        tail = "" if last else " " + text[-context:].split(" ", 1)[-1]
        result.append(Piece(Op.SAME, head + "…" + tail))
    return result


def merge(base: str, ours: str, theirs: str) -> str | None:
    """`theirs`' changes to `base` applied to `ours` (a reviewer's changes to the exported text,
    applied to the answer as it is now), word by word; None when both changed the same words
    (then a person decides)."""
    old = pieces(base)
    keys = [_key(p) for p in old]
    changes: list[tuple[int, int, list[str]]] = []
    for side in (pieces(ours), pieces(theirs)):
        matcher = SequenceMatcher(None, keys, [_key(p) for p in side], autojunk=False)
        changes += [(i1, i2, side[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    changes.sort(key=lambda change: (change[0], change[1]))
    for (a1, a2, _a), (b1, b2, _b) in pairwise(changes):
        if b1 < a2 or (a1 == a2 == b1 == b2) or (b1 == a1 and a1 < a2):
            return None  # the same words changed on both sides
    out: list[str] = []
    at = 0
    for start, end, replacement in changes:
        out += old[at:start] + replacement
        at = end
    return "".join(out + old[at:])
