"""Where each answer is in a review version, and its text as the way back reads it.

The same reading serves twice: on the document aap has just written (the comparison base, kept in
the dossier's versions) and on the file a reviewer sends back; an answer nobody touched therefore
reads back to exactly its base, whatever Word or LibreOffice did to the file's XML.

An answer is found by its bookmark (word/marks.py), else by its heading's or label's text. A
heading's answer runs to the next heading or marked paragraph: its paragraphs, or, for a list of
items, the first table; a row's answer is the other cell of the label's row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..word.marks import BOOKMARK_PREFIX, HEADING
from .docx_reading import Para, Reviewed, Row, TableBlock

# Spaces Word, LibreOffice or French typography put in a text that a person would type as one.
_SPACES = re.compile(r"[\u00a0\u202f\u2007\t ]+")


def plain(text: str) -> str:
    """A text as compared and parsed: each line's spaces made ordinary, its ends trimmed."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip("\n")


QUOTES = str.maketrans({"’": "'", "‘": "'"})


def same_text(first: str, second: str) -> bool:
    """Whether a reviewer changed a text: not when only spaces or an apostrophe's shape differ
    (Word types ’ where aap's author typed ', and the document shows ’ anyway)."""
    return plain(first).translate(QUOTES) == plain(second).translate(QUOTES)


@dataclass
class Region:
    question: str
    kind: str
    by_title: bool                                       # found by its text, its bookmark lost
    paragraphs: list[Para] = field(default_factory=list)  # a text, or a row's answer cell
    table: TableBlock | None = None                      # a list of items

    def text(self) -> str:
        return paragraphs_text(self.paragraphs)

    def authors(self) -> list[str]:
        found: list[str] = []
        for paragraph in self.all_paragraphs():
            found += [a for a in paragraph.authors if a not in found]
        if self.table is not None:
            for row in self.table.rows:
                found += [a for a in row.authors if a not in found]
        return found

    def comment_ids(self) -> list[str]:
        found: list[str] = []
        for paragraph in self.all_paragraphs():
            found += [c for c in paragraph.comments if c not in found]
        return found

    def all_paragraphs(self) -> list[Para]:
        if self.table is None:
            return self.paragraphs
        return [p for row in self.table.rows for cell in row.cells for p in cell.paragraphs]


def paragraphs_text(paragraphs: list[Para]) -> str:
    """Paragraphs as a long answer is typed: a blank line between paragraphs, list items one per
    line with their marker (« - », « 1. ») and their level's indent, as `typography.blocks`
    reads them back."""
    parts: list[str] = []
    previous_item = False
    for paragraph in paragraphs:
        if paragraph.removed:
            continue
        text = paragraph.text.strip()
        if not text:
            continue
        item = paragraph.list_level is not None
        if item:
            text = "  " * (paragraph.list_level or 0) + ("1. " if paragraph.numbered else "- ") + text
        if parts:
            parts.append("\n" if item and previous_item else "\n\n")
        parts.append(text)
        previous_item = item
    return "".join(parts)


def cell_text(paragraphs: list[Para]) -> str:
    return "\n".join(p.text for p in paragraphs if not p.removed).strip()


def live_rows(table: TableBlock) -> list[Row]:
    """The rows left once the changes are accepted. A row whose tracked changes emptied every
    cell is a deleted row too: LibreOffice keeps the row of a tracked row deletion and marks only
    its text as deleted."""
    return [row for row in table.rows if not row.deleted
            and not (row.authors and not any(cell_text(c.paragraphs) for c in row.cells))]


def locate(reviewed: Reviewed, anchors: list[dict[str, Any]]) -> tuple[dict[str, Region], list[str]]:
    """The region of each anchored answer (question id → region) and the questions not found.

    A bookmark is believed when the paragraph it marks still bears the answer's title (as sent,
    or before the tracked changes), or when that title is nowhere else (a reviewer renamed the
    heading). A bookmark that marks another answer's title (moved, swapped) or that appears twice
    is not: the title places the answer, or nothing does."""
    blocks = reviewed.blocks
    marks: dict[str, list[tuple[int | Row, str, str]]] = {}
    headings: list[tuple[int, str]] = []
    label_rows: list[tuple[Row, str]] = []
    for index, block in enumerate(blocks):
        if isinstance(block, TableBlock):
            for row in block.rows:
                if not row.cells:
                    continue
                label = row.cells[0].paragraphs
                text, before = plain(cell_text(label)), plain("\n".join(p.original for p in label))
                for name in {n for paragraph in label for n in paragraph.bookmarks}:
                    marks.setdefault(name, []).append((row, text, before))
                label_rows.append((row, text))
            continue
        for name in set(block.bookmarks):
            marks.setdefault(name, []).append((index, plain(block.text), plain(block.original)))
        if block.heading_level is not None and not block.removed:
            headings.append((index, plain(block.text)))
    titles = {text for _i, text in headings} | {text for _r, text in label_rows}
    found: dict[str, Region] = {}
    lost: list[str] = []
    used: set[tuple[str, int]] = set()

    def key(place: int | Row) -> tuple[str, int]:
        return ("row", id(place)) if isinstance(place, Row) else ("paragraph", place)

    for anchor in anchors:
        question, kind, title = anchor["question"], anchor["kind"], plain(anchor["title"])
        place: int | Row | None = None
        marked = marks.get(anchor["anchor"], [])
        if len(marked) == 1 and (title in marked[0][1:] or title not in titles):
            place = marked[0][0]
        by_title = place is None
        if place is None:
            candidates: list[tuple[Any, str]] = list(headings) if kind == HEADING else list(label_rows)
            place = next((p for p, text in candidates if text == title and key(p) not in used), None)
        region: Region | None = None
        if kind == HEADING and isinstance(place, int) and not isinstance(blocks[place], TableBlock):
            region = _after_heading(blocks, place, question, anchor.get("group", False), by_title)
        elif kind != HEADING and isinstance(place, Row) and len(place.cells) > 1:
            region = Region(question, kind, by_title, paragraphs=[p for c in place.cells[1:] for p in c.paragraphs])
        if region is None or place is None:
            lost.append(question)
            continue
        used.add(key(place))
        found[question] = region
    return found, lost


def _after_heading(blocks: list[Para | TableBlock], index: int, question: str, group: bool, by_title: bool) -> Region:
    region = Region(question, HEADING, by_title)
    for block in blocks[index + 1:]:
        if isinstance(block, TableBlock):
            if group and region.table is None:
                region.table = block
            break
        if block.heading_level is not None and not block.removed:
            break
        if any(name.startswith(BOOKMARK_PREFIX) for name in block.bookmarks):
            break
        if group:
            continue  # what comes before a list's table (nothing aap writes) is not the list
        region.paragraphs.append(block)
    return region


def outside(reviewed: Reviewed, regions: dict[str, Region]) -> list[str]:
    """The texts of the paragraphs where no answer is read (cover, summary, headings, signature
    page), in order: the base keeps them, so that a change there is named, never lost silently."""
    inside = {id(p) for region in regions.values() for p in region.all_paragraphs()}
    return [text for p in reviewed.paragraphs() if id(p) not in inside and not p.removed and (text := plain(p.text))]
