"""French typography for the Word document: `french` sets a text as a French typesetter would,
`blocks` cuts a long answer into paragraphs and list items.

The spaces, and why:

- U+00A0 (no-break space, word width) before « : » and inside « » — the Imprimerie nationale's
  « espace mot insécable »; it also joins a number to its unit (« 18 000 € », « 62 % »), as
  babel does in every amount and percentage aap formats itself;
- U+202F (narrow no-break space, « espace fine insécable ») before « ; », « ! » and « ? », and
  between the groups of a number (« 40 000 »): the thousands separator of CLDR's French, the
  one babel already writes in every amount of the document, so typed and formatted numbers look
  alike. Arial, Calibri, Liberation Sans (LibreOffice's Arial), Carlito and DejaVu all have the
  glyph, and Word and LibreOffice never break a line at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

NBSP = "\u00a0"    # no-break space
NNBSP = "\u202f"   # narrow no-break space
_H = " \t\u00a0\u202f\u2009"  # the horizontal spaces a text may hold (never a line break)
_MASK = "\ue000"    # stands for a protected span (a private-use character)


@dataclass(frozen=True)
class Block:
    """One block of a long answer: a paragraph (whose kept line breaks are "\\n"), or an item of
    a bulleted or numbered list (consecutive items of one kind form one list)."""

    kind: str  # "paragraph", "bullet" or "number"
    text: str
    level: int = 0


# -- french ------------------------------------------------------------------------------------

# Nothing to do in a text that has none of these (most table cells, names, identifiers).
_TRIGGER = re.compile(rf"['\"«»;:!?%‰€]|\d[{_H}]")
_MASKED = re.compile(_MASK)
_WORD = re.compile(r"\w")

# Every pattern starts with a literal or a small set of characters, and what comes before a match
# is checked in Python: a pattern opening on a look-behind is tried at every position of the
# text (ten times slower on a page of prose).

# What is left exactly as typed: code between backquotes, web addresses, e-mail addresses,
# file paths, and the mask character itself (so that masking can be undone without ambiguity).
# Each kind is searched only when its mark is in the text.
_URL_END = r"[^\s<>«»\"`.,;:!?)\]}'’]"
_CODE = re.compile(r"`[^`\n]*`")
_URL = re.compile(rf"[hHfF](?:ttps?|TTPS?|tp|TP|ile|ILE)://(?:[^\s<>«»\"`]*{_URL_END})?")
_WWW = re.compile(rf"www\.[^\s<>«»\"`]*{_URL_END}")
_EMAIL = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LOCAL = re.compile(r"[\w.+'-]")
_PATH = re.compile(r"/[^\s«»\"`]+")
_WINDOWS_PATH = re.compile(r":\\[^\s«»\"`]*")

# An apostrophe between two letters (l'ARS, aujourd'hui, O'Neil).
_APOSTROPHE = re.compile(r"'(?<=[^\W\d_]')(?=[^\W\d_])")
# « followed by spaces, or directly by a character.
_AFTER_OPENING = re.compile(rf"«(?:[{_H}]+|(?=\S))")
# A space between digit groups: 40 000, 1 250 000 (a U+00A0 already there is kept: it does not
# break either, and a SIRET shown « 267 500 452 00011 » keeps its word spaces).
_GROUP_END = r"\d{3}(?!\d|(?![kM]€)\w)"  # a group of three, then no digit or letter (but 40 000k€)
_GROUP_SEPARATORS = {" ": re.compile(rf" (?<=\d )(?={_GROUP_END})"),
                     "\u2009": re.compile(rf"\u2009(?<=\d\u2009)(?={_GROUP_END})")}
_WORD_UNIT = re.compile(rf"(?<=\d)[{_H}]+(?=(?:euros?|EUR)\b)")
# The marks that take a space before them, and the space.
_SPACE_BEFORE = {":": NBSP, "»": NBSP, ";": NNBSP, "!": NNBSP, "?": NNBSP, "€": NBSP, "%": NBSP, "‰": NBSP}
_SCHEMES = ("http", "https", "ftp", "mailto", "file")
# A space is added before : ; ! ? typed right after one of these (a word, a closing bracket or
# quote, a unit)…
_ENDS_PHRASE = re.compile(r"[\w)\]}»”%€‰…\ue000]")
# … when the mark is followed by one of these, or ends the text (10:30, a;b, ?x are left alone).
_AFTER_MARK = frozenset("!?;:.,…)]}»”\"'’")
# After these (or a space, or the start), a straight double quote may open a quotation.
_OPENS_AFTER = set("([{«“‘—–-/'’\"»")


def as_written(text: object) -> str:
    """A text as the Word document writes it: control characters and lone surrogates removed
    (python-docx refuses them, XML cannot hold them), and, in French, its typography. The
    document writes every text through here, and `aap relire` compares with what it wrote."""
    from .i18n import DEFAULT_LANGUAGE, language
    from .text import clean_text

    cleaned = clean_text(str(text))
    return french(cleaned) if language() == DEFAULT_LANGUAGE else cleaned


def french(text: str) -> str:
    """The text as a French typesetter would set it; letters and digits are never changed, and
    only spaces and quotation marks are added, removed or replaced:

    - l'ARS → l’ARS (an apostrophe between two letters);
    - "mot" → « mot » (straight double quotes that open after a space or a bracket and close
      before a space or a punctuation mark, paired on one line), with no-break spaces inside
      every « »;
    - a no-break space before : (« Objectif : »; not in 10:30, https:, C:\\) and a narrow one
      before ; ! ? (« Pourquoi ? »), added when missing after a word;
    - 40 000 → 40 000 with narrow no-break spaces between the groups; 18 000 € and 62 %
      joined to their number by a no-break space (also k€, M€, ‰, euros, EUR);
    - code between backquotes, web and e-mail addresses and file paths are left as typed.

    Idempotent: french(french(text)) == french(text). It applies French rules to any text: the
    caller passes it French texts only."""
    if len(text) <= 200:
        return _french_short(text)
    return _french(text)


@lru_cache(maxsize=8192)
def _french_short(text: str) -> str:
    # Table cells and labels repeat (amounts, choices, headings): each is set once.
    return _french(text)


def _french(text: str) -> str:
    if not _TRIGGER.search(text):
        return text
    spans = _protected(text)
    kept: list[str] = []
    if spans:
        parts, start = [], 0
        for begin, end in spans:
            parts.append(text[start:begin])
            parts.append(_MASK)
            kept.append(text[begin:end])
            start = end
        parts.append(text[start:])
        text = "".join(parts)
    if '"' in text:
        text = _quotes(text)
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)
    if "«" in text:
        text = _AFTER_OPENING.sub("«" + NBSP, text)
    # The spaces: every change is found on this text, then all are made in one pass.
    edits: list[tuple[int, int, str]] = []
    for separator, pattern in _GROUP_SEPARATORS.items():
        if separator in text:
            edits += [(m.start(), m.end(), NNBSP) for m in pattern.finditer(text) if _starts_number(text, m.start())]
    if "euro" in text or "EUR" in text:
        edits += [(m.start(), m.end(), NBSP) for m in _WORD_UNIT.finditer(text)]
    for mark, space in _SPACE_BEFORE.items():
        position = text.find(mark)
        while position != -1:
            edit = _space_before(text, position, space)
            if edit is not None:
                edits.append(edit)
            position = text.find(mark, position + 1)
    if edits:
        edits.sort()
        parts, start = [], 0
        for begin, end, replacement in edits:
            parts.append(text[start:begin])
            parts.append(replacement)
            start = end
        parts.append(text[start:])
        text = "".join(parts)
    if kept:
        restored = iter(kept)
        text = _MASKED.sub(lambda _match: next(restored), text)
    return text


def _starts_number(text: str, separator: int) -> bool:
    """Whether the digits before this group separator are a number's first group or follow
    another separator: 1 to 3 digits after a character that is not part of a number."""
    begin = separator - 1
    while begin > 0 and text[begin - 1].isdecimal() and separator - begin < 3:
        begin -= 1
    if begin == 0:
        return True
    before = text[begin - 1]
    if before.isdecimal():
        return False  # four digits or more: 12345 678 is not grouped
    if before in " \u202f\u2009":
        return True  # the group before, or a number alone after a space
    return not (before in ".," or _WORD.match(before))


def _space_before(text: str, position: int, space: str) -> tuple[int, int, str] | None:
    """The edit that puts `space` before the mark at `position`, if it takes one there."""
    mark = text[position]
    end = position
    if mark == "€" and end and text[end - 1] in "kM":
        end -= 1  # k€, M€
    begin = end
    while begin and text[begin - 1] in _H:
        begin -= 1
    before = text[begin - 1] if begin else ""
    if mark in "€%‰":
        # Joined to its number: 18 000 €, 62 %, 40 k€.
        return (begin, end, space) if before.isdecimal() and text[begin:end] != space else None
    if begin < end:
        # Spaces typed before the mark become one no-break space, unless they are the line's
        # indentation (and « » takes its space even there).
        if (before and not before.isspace()) or mark == "»":
            return (begin, end, space) if text[begin:end] != space else None
        return None
    if not before or before.isspace():
        return None
    if mark == "»":
        return (position, position, space)
    after = text[position + 1] if position + 1 < len(text) else ""
    if (after and not after.isspace() and after not in _AFTER_MARK) or not _ENDS_PHRASE.match(before):
        return None
    if mark == ":":
        for scheme in _SCHEMES:
            if text.endswith(scheme, 0, position) and not _before(text, position - len(scheme), r"\w"):
                return None
    return (position, position, space)


def _protected(text: str) -> list[tuple[int, int]]:
    """The spans left as typed, in order, none overlapping (the first one found wins)."""
    spans: list[tuple[int, int]] = []
    if "`" in text:
        spans += [m.span() for m in _CODE.finditer(text)]
    if "://" in text:
        spans += [m.span() for m in _URL.finditer(text)]
    if "www." in text:
        spans += [m.span() for m in _WWW.finditer(text) if not _before(text, m.start(), r"[\w.]")]
    if "@" in text:
        for match in _EMAIL.finditer(text):
            begin = match.start()
            while begin and _EMAIL_LOCAL.match(text[begin - 1]):
                begin -= 1
            if begin < match.start():
                if text.endswith("mailto:", 0, begin):
                    begin -= len("mailto:")
                spans.append((begin, match.end()))
    if "/" in text:
        for match in _PATH.finditer(text):
            begin = match.start()
            if text.endswith("..", 0, begin):
                begin -= 2
            elif begin and text[begin - 1] in "~.":
                begin -= 1
            if begin == 0 or text[begin - 1].isspace():
                spans.append((begin, match.end()))
    if ":\\" in text:
        spans += [(m.start() - 1, m.end()) for m in _WINDOWS_PATH.finditer(text)
                  if _before(text, m.start(), r"[A-Za-z]") and not _before(text, m.start() - 1, r"\w")]
    if _MASK in text:
        spans += [m.span() for m in _MASKED.finditer(text)]
    if not spans:
        return spans
    spans.sort()
    kept: list[tuple[int, int]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _before(text: str, position: int, pattern: str) -> bool:
    """Whether the character before `position` matches the one-character `pattern`."""
    return position > 0 and re.match(pattern, text[position - 1]) is not None


def _quotes(text: str) -> str:
    """Straight double quotes paired as « »: a quote may open after the start, a space or an
    opening bracket, before a non-space; it may close after a non-space, before anything but a
    letter or digit. Pairs nest, never across a line break; a quote left alone stays."""
    stack: list[int] = []
    pairs: dict[int, str] = {}
    last = -1
    length = len(text)
    position = text.find('"')
    while position != -1:
        if stack and text.find("\n", last + 1, position) != -1:
            stack.clear()
        last = position
        before = text[position - 1] if position else ""
        after = text[position + 1] if position + 1 < length else ""
        can_close = before != "" and not before.isspace() and (after == "" or not _WORD.match(after))
        can_open = (before == "" or before.isspace() or before in _OPENS_AFTER) and after != "" and not after.isspace()
        if can_close and stack:
            pairs[stack.pop()] = "«" + NBSP
            pairs[position] = NBSP + "»"
        elif can_open:
            stack.append(position)
        position = text.find('"', position + 1)
    if not pairs:
        return text
    parts: list[str] = []
    start = 0
    for position in sorted(pairs):
        parts.append(text[start:position])
        parts.append(pairs[position])
        start = position + 1
    parts.append(text[start:])
    return "".join(parts)


# -- blocks ------------------------------------------------------------------------------------

_ITEM = re.compile(r"(?P<indent>[ \t]*)(?:(?P<bullet>[-–•*])|(?P<number>\d{1,2}[.)]|[a-z]\)))[ \t]+(?P<text>\S.*)")
_OPENING_PUNCTUATION = "«\"'“‘([—–"
WRAP_WIDTH = 40  # a line at least this long may have been wrapped by a terminal or an editor
_MID_SENTENCE = re.compile(r"[\w,'’(\-]")  # a line ending on one of these stops mid-sentence


def blocks(text: str) -> list[Block]:
    """A long answer as paragraphs and list items, by these rules:

    - blank lines separate paragraphs;
    - a line starting with « - », « – », « • » or « * » then a space is a bullet item; « 1. »,
      « 1) » (one or two digits) or « a) » a numbered item (the number typed is not kept: Word
      numbers the list). An item indented by 2 spaces or a tab more than the first item of its
      list has level 1. Consecutive items of one kind form one list, blank lines between them
      or not; a paragraph ends the list, and the next one starts again at 1;
    - a line that follows an item without a blank line continues the item (joined with a space)
      when it is indented more than the item's marker, starts with a lower-case letter, or
      follows a line of 40 characters or more that ends mid-sentence (« (audit de mars » /
      « 2022) et … »); otherwise it starts a paragraph;
    - a paragraph of several lines is prose wrapped by a terminal or an editor when one of its
      lines starts with a lower-case letter after a line of 40 characters or more that does not
      end with « : » or « ; » (a sentence broken in its middle): its lines are joined with
      spaces. Otherwise the author wrote one item per line (« Personnel : 18 000 € » then
      « Formation : 6 500 € ») and the lines are kept: the block's text holds "\\n", which the
      caller writes as line breaks inside one paragraph.

    Texts of items and paragraphs are stripped; nothing else in them is changed."""
    result: list[Block] = []
    paragraph: list[str] = []
    item: list[str] = []          # the current item's lines
    item_kind, item_level, item_indent = "", 0, 0
    list_base: int | None = None   # indentation of the current list's first (shallowest) item
    blank_after_item = False

    def end_paragraph() -> None:
        if paragraph:
            result.append(Block("paragraph", _join_paragraph(paragraph)))
            paragraph.clear()

    def end_item() -> None:
        if item:
            result.append(Block(item_kind, " ".join(item), item_level))
            item.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            end_paragraph()
            if item:
                blank_after_item = True
            continue
        match = _ITEM.fullmatch(line.rstrip())
        if match:
            end_paragraph()
            end_item()
            indent = _width(match.group("indent"))
            list_base = indent if list_base is None else min(list_base, indent)
            item_kind = "bullet" if match.group("bullet") else "number"
            item_level = 1 if indent >= list_base + 2 else 0
            item_indent = indent
            item.append(match.group("text").strip())
            blank_after_item = False
            continue
        if item and not blank_after_item and (
            _width(line[: len(line) - len(line.lstrip())]) > item_indent
            or _starts_lower(stripped)
            or (len(item[-1]) >= WRAP_WIDTH and _MID_SENTENCE.match(item[-1][-1]))
        ):
            item.append(stripped)
            continue
        end_item()
        list_base = None
        blank_after_item = False
        paragraph.append(stripped)
    end_paragraph()
    end_item()
    return result


def _width(indent: str) -> int:
    return indent.count(" ") + 4 * indent.count("\t")


def _starts_lower(line: str) -> bool:
    for char in line:
        if char in _OPENING_PUNCTUATION:
            continue
        return char.islower()
    return False


def _join_paragraph(lines: list[str]) -> str:
    if len(lines) == 1:
        return lines[0]
    for previous, line in pairwise(lines):
        if len(previous) >= WRAP_WIDTH and previous[-1] not in ":;" and _starts_lower(line):
            return " ".join(lines)
    return "\n".join(lines)
