"""Real Word lists: bulleted and numbered paragraphs that Word, LibreOffice and a PDF show as
lists (w:numPr), each numbered list starting again at 1.

The numbering part gets two definitions (w:abstractNum), added the first time a list of their
kind is made: bullets (« • », then « – » at level 1) and numbers (« 1. », then « a) » at level
1). Each list is one w:num pointing at its kind's definition; a numbered list's w:num carries a
start override, so that it starts at 1 instead of continuing the previous list (Word counts
across every w:num sharing a definition unless told otherwise). Ids follow those of the template,
in order of creation: the same document gives the same XML. Items take the « List Bullet » and
« List Number » styles (their spacing), the indentation comes from the definitions: the text of
both kinds starts 1 cm from the margin (2 cm at level 1), the mark hangs in front of it.

What is needed is kept on the document's part, so each item costs the same however long the
document: nothing is searched in the body or the numbering part after the first list.
"""

from __future__ import annotations

import copy
from functools import cache

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .ooxml import Element

KINDS = ("bullet", "number")
_VAL, _NUM_ID = qn("w:val"), qn("w:numId")
LEVELS = 9  # Word's levels 0 to 8
_STYLES = {"bullet": "List Bullet", "number": "List Number"}
_STEP = 567  # 1 cm in twips: where the text of each level starts
# Per level: (format, text of the mark, hanging indent in twips)
_BULLETS = [("bullet", mark, 284) for mark in ("•", "–", "▪", "•", "–", "▪", "•", "–", "▪")]
_NUMBERS = [("decimal", "%1.", 397), ("lowerLetter", "%2)", 397), ("lowerRoman", "%3.", 397),
            ("decimal", "%4.", 397), ("lowerLetter", "%5)", 397), ("lowerRoman", "%6.", 397),
            ("decimal", "%7.", 397), ("lowerLetter", "%8)", 397), ("lowerRoman", "%9.", 397)]


class _Lists:
    """The document's list bookkeeping: the next free ids, the definition of each kind, the
    kind of each list made, and the paragraph properties of each kind's items."""

    def __init__(self, document: Document):
        self.numbering = document.part.numbering_part.element
        nums = [int(n.get(qn("w:numId"))) for n in self.numbering.iterchildren(qn("w:num"))]
        abstracts = [int(a.get(qn("w:abstractNumId"))) for a in self.numbering.iterchildren(qn("w:abstractNum"))]
        # Nums go last, before Word's optional w:numIdMacAtCleanup: found once, here.
        self.cleanup = self.numbering.find(qn("w:numIdMacAtCleanup"))
        self.next_num = max(nums, default=0) + 1
        self.next_abstract = max(abstracts, default=-1) + 1
        self.abstract: dict[str, int] = {}
        self.kinds: dict[int, str] = {}
        self.properties = {}  # kind → the paragraph properties of an item, to be copied
        for kind, name in _STYLES.items():
            properties = OxmlElement("w:pPr")
            try:
                style = OxmlElement("w:pStyle")
                style.set(_VAL, document.styles[name].style_id)
                properties.append(style)
            except KeyError:
                pass  # a template without the style: the item keeps the Normal style
            numbering = OxmlElement("w:numPr")
            numbering.append(OxmlElement("w:ilvl"))
            numbering.append(OxmlElement("w:numId"))
            properties.append(numbering)
            self.properties[kind] = properties

    def definition(self, kind: str) -> int:
        """The abstractNum of `kind`, added before the first w:num (the schema's order)."""
        if kind in self.abstract:
            return self.abstract[kind]
        number = self.next_abstract
        self.next_abstract += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(number))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "hybridMultilevel")
        abstract.append(multi)
        for level, (format_, text, hanging) in enumerate(_BULLETS if kind == "bullet" else _NUMBERS):
            abstract.append(_level(level, format_, text, hanging))
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._append(abstract)
        self.abstract[kind] = number
        return number

    def _append(self, element: Element) -> None:
        if self.cleanup is not None:
            self.cleanup.addprevious(element)
        else:
            self.numbering.append(element)


def _level(level: int, format_: str, text: str, hanging: int) -> Element:
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), str(level))
    for tag, value in (("w:start", "1"), ("w:numFmt", format_), ("w:lvlText", text), ("w:lvlJc", "left")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        lvl.append(child)
    properties = OxmlElement("w:pPr")
    indent = OxmlElement("w:ind")
    indent.set(qn("w:left"), str(_STEP * (level + 1)))
    indent.set(qn("w:hanging"), str(hanging))
    properties.append(indent)
    lvl.append(properties)
    return lvl


def _lists(document: Document) -> _Lists:
    part = document.part
    lists = getattr(part, "_aap_lists", None)
    if lists is None:
        lists = _Lists(document)
        part._aap_lists = lists  # type: ignore[attr-defined]  # one registry per document, kept on it
    return lists


def new_list(document: Document, kind: str) -> int:
    """A new list of `kind` ("bullet" or "number") whose numbering starts at 1; its id."""
    if kind not in KINDS:
        raise ValueError(f"unknown list kind {kind!r} (bullet or number)")
    lists = _lists(document)
    abstract = lists.definition(kind)
    number = lists.next_num
    lists.next_num += 1
    num = copy.deepcopy(_num_template(kind))
    num.set(_NUM_ID, str(number))
    num[0].set(_VAL, str(abstract))
    lists._append(num)
    lists.kinds[number] = kind
    return number


@cache
def _num_template(kind: str) -> Element:
    """<w:num><w:abstractNumId/>, and for numbers a start override at every level</w:num>."""
    num = OxmlElement("w:num")
    num.append(OxmlElement("w:abstractNumId"))
    if kind == "number":
        for level in range(LEVELS):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(level))
            start = OxmlElement("w:startOverride")
            start.set(_VAL, "1")
            override.append(start)
            num.append(override)
    return num


def add_list_item(document: Document, text: str, kind: str, list_id: int, level: int = 0) -> Paragraph:
    """One item of the list `list_id`, appended at the end of the body. `level` is 0 for an
    item, 1 for an item inside it (up to 8). A "\\n" in `text` is a line break in the item."""
    from .ooxml import add_paragraph

    lists = _lists(document)
    if lists.kinds.get(list_id) != kind:
        raise ValueError(f"list {list_id} is not a {kind} list made by new_list")
    paragraph = add_paragraph(document, text)
    # <w:pPr><w:pStyle/><w:numPr><w:ilvl/><w:numId/></w:numPr></w:pPr>, copied from a template:
    # the paragraph is new, nothing needs searching (python-docx's get_or_add would search).
    properties = copy.deepcopy(lists.properties[kind])
    numbering = properties[-1]
    numbering[0].set(_VAL, str(min(max(level, 0), LEVELS - 1)))
    numbering[1].set(_VAL, str(list_id))
    paragraph._p.insert(0, properties)
    return paragraph
