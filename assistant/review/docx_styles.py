"""The paragraph styles and the lists of a reviewed Word file: what makes a paragraph a heading
(its outline level, or a style named « heading 2 » / « Titre 2 », through the styles it is based
on) and what makes it a list item (its numbering, direct or through its style, and whether that
list is numbered or bulleted). Kept apart from the walk of the body (`docx_reading`), which asks
these two questions of every paragraph, because answering them means following Word's chains of
styles, lists and overrides, a reading of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .docx_package import Element, W, _w

PPR, VAL = _w("pPr"), _w("val")
# A heading style recognised by its id or name when its outline level is not said: Word's
# built-in « heading 2 » (id « Heading2 », or « Titre2 » in a French Word), LibreOffice's.
_HEADING_NAME = re.compile(r"^(?:heading|titre)\s*([1-9])$", re.IGNORECASE)


class _Styles:
    """The paragraph styles, each with its own outline level and list, and what it is based on."""

    def __init__(self, root: Element | None):
        self.based_on: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self.numbering: dict[str, tuple[str | None, str | None]] = {}  # style → (numId, ilvl)
        if root is None:
            return
        for style in root.iterfind(_w("style")):
            kind = style.get(_w("type"))
            sid = style.get(_w("styleId")) or ""
            if kind == "numbering":  # a list style, that an abstractNum's numStyleLink names
                numbers = style.find(f"{PPR}/{_w('numPr')}")
                if numbers is not None:
                    self.numbering[sid] = (_val(numbers.find(_w("numId"))), None)
            if kind not in (None, "paragraph"):
                continue
            self.names[sid] = _val(style.find(_w("name"))) or ""
            based = _val(style.find(_w("basedOn")))
            if based:
                self.based_on[sid] = based
            properties = style.find(PPR)
            if properties is None:
                continue
            level = _int(_val(properties.find(_w("outlineLvl"))))
            if level is not None:
                self.outline[sid] = level
            numbers = properties.find(_w("numPr"))
            if numbers is not None:
                self.numbering[sid] = (_val(numbers.find(_w("numId"))), _val(numbers.find(_w("ilvl"))))

    def chain(self, sid: str | None) -> Iterator[str]:
        """The style, then those it is based on (a loop in a broken file stops)."""
        seen: set[str] = set()
        while sid and sid not in seen:
            seen.add(sid)
            yield sid
            sid = self.based_on.get(sid)

    def heading_level(self, sid: str | None) -> int | None:
        for each in self.chain(sid):
            if each in self.outline:
                return _outline(self.outline[each])
            named = _HEADING_NAME.match(each) or _HEADING_NAME.match(self.names.get(each, ""))
            if named:
                return int(named.group(1))
        return None

    def list_properties(self, sid: str | None) -> tuple[str | None, str | None]:
        for each in self.chain(sid):
            if each in self.numbering:
                return self.numbering[each]
        return None, None


class _Numbering:
    """Each list's format per level, through num → abstractNum (and its level overrides)."""

    def __init__(self, root: Element | None, styles: _Styles):
        self.styles = styles
        self.abstracts: dict[str, Element] = {}
        self.nums: dict[str, Element] = {}
        if root is None:
            return
        for abstract in root.iterfind(_w("abstractNum")):
            self.abstracts[abstract.get(_w("abstractNumId")) or ""] = abstract
        for num in root.iterfind(_w("num")):
            self.nums[num.get(_w("numId")) or ""] = num

    def level(self, num_id: str, ilvl: str | None, style: str | None) -> tuple[int, bool] | None:
        """(level, numbered) of a list item; None when `num_id` is no list (0, or unknown)."""
        num = self.nums.get(num_id)
        abstract = self._abstract(num, 0)
        if num is None or abstract is None:
            return None
        level = _int(ilvl)
        if level is None:
            # A list reached through the paragraph's style: its level is the one tied to the style.
            tied = abstract.xpath("w:lvl[w:pStyle/@w:val=$s]/@w:ilvl", namespaces={"w": W}, s=style or "")
            level = _int(tied[0]) if tied else 0
        level = level or 0
        definition = None
        for override in num.iterfind(_w("lvlOverride")):
            if override.get(_w("ilvl")) == str(level):
                definition = override.find(_w("lvl"))
        if definition is None:
            definition = abstract.find(f"{_w('lvl')}[@{_w('ilvl')}='{level}']")
        return level, _numbered(definition)

    def _abstract(self, num: Element | None, depth: int) -> Element | None:
        if num is None or depth > 3:
            return None
        abstract = self.abstracts.get(_val(num.find(_w("abstractNumId"))) or "")
        link = _val(abstract.find(_w("numStyleLink"))) if abstract is not None else None
        if link:
            # A list defined by a numbering style: the definition is the style's own list.
            num_id, _ilvl = self.styles.list_properties(link)
            linked = self._abstract(self.nums.get(num_id or ""), depth + 1)
            return linked if linked is not None else abstract
        return abstract


def _numbered(definition: Element | None) -> bool:
    if definition is None:
        return False
    fmt = definition.find(_w("numFmt"))
    if fmt is None:
        # Word 2010 puts a custom format in mc:AlternateContent, with a plain fallback.
        fmt = next(definition.iter(_w("numFmt")), None)
    # A level without a format is decimal (the schema's default).
    return (_val(fmt) or "decimal") not in ("bullet", "none")


# -- property values, read the same way by the body (docx_reading) --------------------------------


def _val(element: Element | None) -> str | None:
    return element.get(VAL) if element is not None else None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _outline(level: int) -> int | None:
    # 0-based; 9 is « body text ».
    return level + 1 if 0 <= level <= 8 else None
