"""A reviewed Word file read back: each paragraph's text with the reviewers' tracked changes
accepted and rejected, its style, heading and list level, bookmarks, change authors and
comments; the tables row by row; the comments; the document's properties.

python-docx cannot see tracked changes (its `paragraph.text` drops both w:ins and w:del) nor
block content controls, so the package is read here with zipfile and lxml. What Word and
LibreOffice both write is what is read: the reviewed file may have gone through either.

This module is what the rest of aap imports: `read_reviewed`, what it returns, and
`UnreadableFile` (defined with the refusals in `docx_package`, which cannot import from here);
it walks the body. The checks of the file and of the package, with every refusal, are in
`docx_package`; the styles and lists behind a paragraph's heading and list level are in
`docx_styles`: each a reading of its own, kept apart so that this one stays a walk.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _, format_decimal
from ..text import clean_text
from .docx_package import (
    MAX_FILE_MB,
    MAX_XML_MB,
    Element,
    UnreadableFile,
    W,
    _check_file,
    _damaged,
    _Package,
    _unreadable,
    _w,
)
from .docx_styles import PPR, VAL, _int, _Numbering, _outline, _Styles, _val

# The reading's vocabulary and limits, where the callers and the tests have always found them.
__all__ = [
    "AUTHOR", "BOOKMARK_START", "COMMENT_END", "COMMENT_REF", "COMMENT_START", "DATE", "DEL", "DEL_TEXT", "FLD_CHAR",
    "ID", "INS", "MAX_FILE_MB", "MAX_XML_MB", "MOVE_FROM", "MOVE_TO", "NAME", "PPR", "RPR", "SDT", "SDT_CONTENT",
    "TBL", "TC", "TR", "TRPR", "VAL", "Block", "Cell", "Comment", "Element", "P", "Para", "R", "Reviewed", "Row", "T",
    "TableBlock", "UnreadableFile", "W", "read_reviewed",
]

_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_DC = "http://purl.org/dc/elements/1.1/"

P, R, T, TBL, TR, TC, RPR, TRPR = (_w(n) for n in ("p", "r", "t", "tbl", "tr", "tc", "rPr", "trPr"))
INS, DEL, MOVE_TO, MOVE_FROM = (_w(n) for n in ("ins", "del", "moveTo", "moveFrom"))
DEL_TEXT, FLD_CHAR, SDT, SDT_CONTENT = (_w(n) for n in ("delText", "fldChar", "sdt", "sdtContent"))
BOOKMARK_START, COMMENT_START, COMMENT_END, COMMENT_REF = (
    _w(n) for n in ("bookmarkStart", "commentRangeStart", "commentRangeEnd", "commentReference"))
ID, AUTHOR, DATE, NAME = (_w(n) for n in ("id", "author", "date", "name"))
_INSERTED, _DELETED = (INS, MOVE_TO), (DEL, MOVE_FROM)
_CHANGES = (*_INSERTED, *_DELETED)
# Inline containers whose children are read as the paragraph's own (a hyperlink's text, a
# simple field's result, a smart tag…).
_CONTAINERS = frozenset(_w(n) for n in ("hyperlink", "fldSimple", "smartTag", "customXml", "dir", "bdo"))
_BREAK = _w("br")
_CHARACTERS = {_w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str | None
    text: str  # its paragraphs, joined by "\n"


@dataclass(frozen=True)
class Para:
    text: str  # every tracked change accepted
    original: str  # every tracked change rejected
    style: str | None
    heading_level: int | None
    list_level: int | None
    numbered: bool
    bookmarks: list[str]
    authors: list[str]  # of its tracked changes, in order of first appearance
    comments: list[str]  # ids of the comments whose range overlaps it
    removed: bool  # its mark deleted and nothing left once the changes are accepted
    changed: bool


@dataclass(frozen=True)
class Cell:
    paragraphs: list[Para]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs if not p.removed)


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    inserted: bool
    deleted: bool
    authors: list[str]  # of the row's own marks, then of its cells' changes


@dataclass(frozen=True)
class TableBlock:
    rows: list[Row]


Block = Para | TableBlock


@dataclass(frozen=True)
class Reviewed:
    path: Path
    blocks: list[Block]
    comments: dict[str, Comment]
    properties: dict[str, str]
    title: str | None

    def paragraphs(self) -> Iterator[Para]:
        """Every paragraph in reading order, those of the tables' cells included."""
        for block in self.blocks:
            if isinstance(block, Para):
                yield block
            else:
                for row in block.rows:
                    for cell in row.cells:
                        yield from cell.paragraphs


def read_reviewed(path: Path) -> Reviewed:
    """The Word file at `path`, read; `UnreadableFile` when it is not a readable .docx."""
    _check_file(path)
    try:
        with zipfile.ZipFile(path) as package:
            return _read(_Package(path, package))
    except UnreadableFile:
        raise
    except OSError as error:
        raise _unreadable(path, error) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, NotImplementedError):
        # A truncated file, a failed CRC, an encrypted or unknown compression: all « damaged »
        # to the user, who can only ask for the file again or save it again.
        raise _damaged(path) from None


# -- the package's parts read into blocks, comments and properties --------------------------------


# A review version has a few thousand paragraphs (a 300-line budget: some 1,500). Far more is not
# a reviewed dossier, and would cost minutes to compare: refused before anything is built.
MAX_PARAGRAPHS = 200_000


def _read(package: _Package) -> Reviewed:
    body, parts, package_parts = package.document()
    if sum(1 for _p in body.iter(P)) > MAX_PARAGRAPHS:
        raise UnreadableFile(_("{fichier} a plus de {n} paragraphes : ce n'est pas une version de relecture d'un "
                               "dossier ; redemandez le document à son expéditeur").format(
            fichier=package.path, n=format_decimal(MAX_PARAGRAPHS)))
    styles = _Styles(package.xml(parts.get("styles")))
    numbering = _Numbering(package.xml(parts.get("numbering")), styles)
    comments = _read_comments(package.xml(parts.get("comments")), styles, numbering)
    return Reviewed(
        path=package.path,
        blocks=_Body(styles, numbering).blocks(body),
        comments=comments,
        properties=_custom_properties(package.xml(package_parts.get("custom-properties"))),
        title=_title(package.xml(package_parts.get("core-properties"))),
    )


def _custom_properties(root: Element | None) -> dict[str, str]:
    if root is None:
        return {}
    found = {}
    for prop in root.iterfind(f"{{{_CUSTOM}}}property"):
        name = prop.get("name")
        if name:
            found[name] = clean_text("".join("".join(value.itertext()) for value in prop))
    return found


def _title(root: Element | None) -> str | None:
    title = root.find(f"{{{_DC}}}title") if root is not None else None
    return (title.text or None) if title is not None else None


# -- the body -------------------------------------------------------------------------------------


@dataclass
class _Paragraph:
    """What is gathered while a paragraph is read."""

    open_at_start: list[str]
    accepted: list[str] = field(default_factory=list)
    original: list[str] = field(default_factory=list)
    inserted: int = 0  # depth of w:ins / w:moveTo around the current run
    deleted: int = 0
    authors: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    changed: bool = False
    texted: dict[str, None] = field(default_factory=dict)  # comments open while text was read
    started: dict[str, None] = field(default_factory=dict)
    ended: set[str] = field(default_factory=set)
    referenced: dict[str, None] = field(default_factory=dict)

    def change(self, element: Element) -> None:
        self.changed = True
        author = element.get(AUTHOR)
        author = clean_text(author) if author else author
        if author and author not in self.authors:
            self.authors.append(author)


class _Body:
    """Reads blocks in document order, keeping what spans paragraphs: the comments open, the
    fields open, the bookmarks met between paragraphs."""

    def __init__(self, styles: _Styles, numbering: _Numbering):
        self.styles = styles
        self.numbering = numbering
        self.open_comments: dict[str, None] = {}
        self.fields: list[bool] = []  # per open field: True while in its instruction
        self.pending_bookmarks: list[str] = []
        self.paragraph: _Paragraph | None = None

    def blocks(self, container: Element) -> list[Block]:
        found: list[Block] = []
        for child in container:
            tag = child.tag
            if tag == P:
                found.append(self.para(child))
            elif tag == TBL:
                found.append(TableBlock(self.rows(child)))
            elif tag in (SDT, _w("customXml")):
                found += self.blocks(_content(child))
            else:
                self.marker(child)
        return found

    def paragraphs(self, container: Element) -> list[Para]:
        """A cell's paragraphs, a nested table's flattened into them."""
        found: list[Para] = []
        for block in self.blocks(container):
            if isinstance(block, Para):
                found.append(block)
            else:
                found += [p for row in block.rows for cell in row.cells for p in cell.paragraphs]
        return found

    def rows(self, table: Element) -> list[Row]:
        found: list[Row] = []
        for child in _unwrapped(table):
            if child.tag != TR:
                self.marker(child)
                continue
            cells = []
            for cell in _unwrapped(child):
                if cell.tag == TC:
                    cells.append(Cell(self.paragraphs(cell)))
                else:
                    self.marker(cell)
            properties = child.find(TRPR)
            marks = [m for m in properties if m.tag in (INS, DEL)] if properties is not None else []
            authors: list[str] = []
            for author in [clean_text(m.get(AUTHOR) or "") for m in marks] + [a for c in cells for p in c.paragraphs
                                                                              for a in p.authors]:
                if author and author not in authors:
                    authors.append(author)
            paragraphs = [p for cell in cells for p in cell.paragraphs]
            emptied = bool(paragraphs) and all(p.removed for p in paragraphs)
            found.append(Row(cells=cells, inserted=any(m.tag == INS for m in marks),
                             deleted=emptied or any(m.tag == DEL for m in marks), authors=authors))
        return found

    def marker(self, element: Element) -> None:
        """A bookmark or comment boundary, inside a paragraph or between blocks."""
        tag = element.tag
        paragraph = self.paragraph
        if tag == BOOKMARK_START:
            name = element.get(NAME)
            if name:
                (paragraph.bookmarks if paragraph is not None else self.pending_bookmarks).append(name)
        elif tag == COMMENT_START:
            cid = element.get(ID) or ""
            self.open_comments[cid] = None
            if paragraph is not None:
                paragraph.started[cid] = None
        elif tag == COMMENT_END:
            cid = element.get(ID) or ""
            self.open_comments.pop(cid, None)
            if paragraph is not None:
                paragraph.ended.add(cid)

    def para(self, element: Element) -> Para:
        paragraph = self.paragraph = _Paragraph(open_at_start=list(self.open_comments))
        paragraph.bookmarks += self.pending_bookmarks
        self.pending_bookmarks = []
        properties = element.find(PPR)
        mark = properties.find(RPR) if properties is not None else None
        mark_deleted = False
        for change in mark if mark is not None else ():
            if change.tag in _CHANGES:
                paragraph.change(change)
                mark_deleted = mark_deleted or change.tag in _DELETED
        self.inline(element, paragraph)
        self.paragraph = None
        # A field's instruction never spans paragraphs in what Word or LibreOffice write: one left
        # open (a separator missing) must not swallow the rest of the document.
        while self.fields and self.fields[-1]:
            self.fields.pop()
        # Control characters and bidirectional overrides go at once: whatever a file holds reaches
        # the terminal, the JSON and the dossier only through here.
        text, original = clean_text("".join(paragraph.accepted)), clean_text("".join(paragraph.original))
        style = _val(properties.find(_w("pStyle"))) if properties is not None else None
        list_level, numbered = self.list_level(properties, style)
        return Para(
            text=text,
            original=original,
            style=style,
            heading_level=self.heading_level(properties, style),
            list_level=list_level,
            numbered=numbered,
            bookmarks=paragraph.bookmarks,
            authors=paragraph.authors,
            comments=_overlapping(paragraph),
            removed=mark_deleted and not text,
            changed=paragraph.changed,
        )

    def inline(self, container: Element, paragraph: _Paragraph) -> None:
        for child in container:
            tag = child.tag
            if tag == R:
                self.run(child, paragraph)
            elif tag in _CHANGES:
                paragraph.change(child)
                inserted = tag in _INSERTED
                paragraph.inserted += inserted
                paragraph.deleted += not inserted
                self.inline(child, paragraph)
                paragraph.inserted -= inserted
                paragraph.deleted -= not inserted
            elif tag in _CONTAINERS:
                self.inline(child, paragraph)
            elif tag == SDT:
                self.inline(_content(child), paragraph)
            elif tag != PPR:
                self.marker(child)

    def run(self, run: Element, paragraph: _Paragraph) -> None:
        for child in run:
            tag = child.tag
            if tag in (T, DEL_TEXT):
                # All its text: an XML comment or processing instruction inside would stop `.text`.
                self.text("".join(child.itertext()), paragraph, deleted=tag == DEL_TEXT)
            elif tag == _BREAK and child.get(_w("type")) in ("page", "column"):
                # Not a line of the text: LibreOffice turns a page break before a heading into one.
                continue
            elif tag in _CHARACTERS:
                self.text(_CHARACTERS[tag], paragraph)
            elif tag == FLD_CHAR:
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self.fields.append(True)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = False
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == COMMENT_REF:
                paragraph.referenced[child.get(ID) or ""] = None
            # w:instrText, w:sym, drawings, text boxes: nothing a reviewer's text is made of.

    def text(self, text: str, paragraph: _Paragraph, deleted: bool = False) -> None:
        if not text or any(self.fields):  # a field's instruction, or a field inside one
            return
        if not (deleted or paragraph.deleted):
            paragraph.accepted.append(text)
        if not paragraph.inserted:
            paragraph.original.append(text)
        paragraph.texted.update(self.open_comments)

    def heading_level(self, properties: Element | None, style: str | None) -> int | None:
        direct = _int(_val(properties.find(_w("outlineLvl")))) if properties is not None else None
        if direct is not None:
            return _outline(direct)
        return self.styles.heading_level(style)

    def list_level(self, properties: Element | None, style: str | None) -> tuple[int | None, bool]:
        numbers = properties.find(_w("numPr")) if properties is not None else None
        num_id = _val(numbers.find(_w("numId"))) if numbers is not None else None
        ilvl = _val(numbers.find(_w("ilvl"))) if numbers is not None else None
        if num_id is None:
            num_id, style_ilvl = self.styles.list_properties(style)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0":
            return None, False
        found = self.numbering.level(num_id, ilvl, style)
        return found if found is not None else (None, False)


def _content(element: Element) -> Element | tuple[()]:
    """What a content control (its w:sdtContent) or a custom XML element holds."""
    if element.tag != SDT:
        return element
    content = element.find(SDT_CONTENT)
    return content if content is not None else ()


def _unwrapped(container: Element) -> Iterator[Element]:
    """The children of a table or row, those inside a content control or custom XML in place."""
    for child in container:
        if child.tag in (SDT, _w("customXml")):
            yield from _unwrapped(_content(child))
        else:
            yield child


def _overlapping(paragraph: _Paragraph) -> list[str]:
    """The comments whose range overlaps the paragraph: referenced in it, open while some of its
    text was read, open across its whole length, or a point range inside it. A range ending at
    its very start, or starting at its very end, belongs to the neighbour."""
    found: dict[str, None] = {}
    for cid in paragraph.open_at_start:
        if cid in paragraph.texted or cid in paragraph.referenced or cid not in paragraph.ended:
            found[cid] = None
    for cid in paragraph.started:
        if cid in paragraph.texted or cid in paragraph.referenced or cid in paragraph.ended:
            found[cid] = None
    found.update(paragraph.referenced)
    return [cid for cid in found if cid]


def _read_comments(root: Element | None, styles: _Styles, numbering: _Numbering) -> dict[str, Comment]:
    if root is None:
        return {}
    found = {}
    for element in root.iterfind(_w("comment")):
        cid = element.get(ID) or ""
        paragraphs = _Body(styles, numbering).paragraphs(element)
        found[cid] = Comment(id=cid, author=clean_text(element.get(AUTHOR) or ""), date=element.get(DATE),
                             text="\n".join(p.text for p in paragraphs if not p.removed))
    return found
