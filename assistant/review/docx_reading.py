"""A reviewed Word file read back: each paragraph's text with the reviewers' tracked changes
accepted and rejected, its style, heading and list level, bookmarks, change authors and
comments; the tables row by row; the comments; the document's properties.

python-docx cannot see tracked changes (its `paragraph.text` drops both w:ins and w:del) nor
block content controls, so the package is read here with zipfile and lxml. What Word and
LibreOffice both write is what is read: the reviewed file may have gone through either.

The file comes from outside: the decision is made on its bytes, never on its name (an .odt
renamed .docx gets the .odt advice), it is bounded in size before anything is decompressed,
and its XML is parsed without entities nor network. Every refusal is one French sentence that
says what the file is and what to do.
"""

from __future__ import annotations

import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AapError, ExitCode
from ..files import reason
from ..i18n import _

Element = Any  # an lxml element (lxml ships no type stubs)

MAX_FILE_MB = 50
MAX_XML_MB = 100  # all the XML parts read, decompressed: a zip bomb stops here
_MB = 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream name of an Office file encrypted with a password (an OLE container), in UTF-16.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


P, R, T, TBL, TR, TC, PPR, RPR, TRPR = (_w(n) for n in ("p", "r", "t", "tbl", "tr", "tc", "pPr", "rPr", "trPr"))
INS, DEL, MOVE_TO, MOVE_FROM = (_w(n) for n in ("ins", "del", "moveTo", "moveFrom"))
DEL_TEXT, FLD_CHAR, SDT, SDT_CONTENT = (_w(n) for n in ("delText", "fldChar", "sdt", "sdtContent"))
BOOKMARK_START, COMMENT_START, COMMENT_END, COMMENT_REF = (
    _w(n) for n in ("bookmarkStart", "commentRangeStart", "commentRangeEnd", "commentReference"))
VAL, ID, AUTHOR, DATE, NAME = (_w(n) for n in ("val", "id", "author", "date", "name"))
_INSERTED, _DELETED = (INS, MOVE_TO), (DEL, MOVE_FROM)
_CHANGES = (*_INSERTED, *_DELETED)
# Inline containers whose children are read as the paragraph's own (a hyperlink's text, a
# simple field's result, a smart tag…).
_CONTAINERS = frozenset(_w(n) for n in ("hyperlink", "fldSimple", "smartTag", "customXml", "dir", "bdo"))
_BREAK = _w("br")
_CHARACTERS = {_w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}
# A heading style recognised by its id or name when its outline level is not said: Word's
# built-in « heading 2 » (id « Heading2 », or « Titre2 » in a French Word), LibreOffice's.
_HEADING_NAME = re.compile(r"^(?:heading|titre)\s*([1-9])$", re.IGNORECASE)


class UnreadableFile(AapError):
    """A reviewed file aap cannot read; the message says what it is and what to do."""

    exit_code = ExitCode.BAD_INPUT


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
            return _Package(path, package).read()
    except UnreadableFile:
        raise
    except OSError as error:
        raise _unreadable(path, error) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, NotImplementedError):
        # A truncated file, a failed CRC, an encrypted or unknown compression: all « damaged »
        # to the user, who can only ask for the file again or save it again.
        raise _damaged(path) from None


# -- refusals, decided on the bytes -------------------------------------------------------------


def _check_file(path: Path) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise UnreadableFile(_("le fichier {fichier} n'existe pas : vérifiez son nom et son dossier").format(
            fichier=path)) from None
    except OSError as error:
        raise _unreadable(path, error) from None
    if stat.S_ISDIR(status.st_mode):
        raise UnreadableFile(_("{fichier} est un dossier : donnez le chemin du fichier Word (.docx) relu").format(
            fichier=path))
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableFile(_("lecture de {fichier} impossible : {raison}").format(
            fichier=path, raison=_("ce n'est pas un fichier ordinaire")))
    if status.st_size > MAX_FILE_MB * _MB:
        raise UnreadableFile(_("{fichier} dépasse {n} Mo, la taille qu'aap lit pour un document relu : enregistrez-en "
                               "une copie sans les images ajoutées et donnez-la à aap").format(fichier=path, n=MAX_FILE_MB))
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            if head == _OLE_MAGIC:
                # A password-protected .docx is an OLE container too: only its stream name tells.
                encrypted = _ENCRYPTED in stream.read()
    except OSError as error:
        raise _unreadable(path, error) from None
    if head == _OLE_MAGIC and encrypted:
        raise UnreadableFile(_("{fichier} est protégé par un mot de passe : ouvrez-le dans Word, retirez le mot de passe "
                               "(Fichier > Informations > Protéger le document > Chiffrer avec mot de passe, laissez-le "
                               "vide), enregistrez-le, puis donnez-le de nouveau à aap").format(fichier=path))
    if head == _OLE_MAGIC:
        raise UnreadableFile(_("{fichier} est au format Word 97-2003 (.doc), qu'aap ne lit pas : ouvrez-le dans Word ou "
                               "LibreOffice, « Enregistrer sous », type « Document Word (.docx) », puis donnez ce "
                               "fichier .docx à aap").format(fichier=path))
    if head.startswith(b"%PDF"):
        raise UnreadableFile(_("{fichier} est un PDF : aap ne relit pas les PDF ; demandez au relecteur le fichier Word "
                               "(.docx) qu'il a annoté").format(fichier=path))
    if head.startswith(b"{\\rtf"):
        raise UnreadableFile(_("{fichier} est au format RTF, qu'aap ne lit pas : ouvrez-le dans Word ou LibreOffice, "
                               "« Enregistrer sous », type « Document Word (.docx) », puis donnez ce fichier .docx à "
                               "aap").format(fichier=path))


def _damaged(path: Path) -> UnreadableFile:
    return UnreadableFile(_("{fichier} est endommagé ou incomplet : ouvrez-le dans Word ou LibreOffice et enregistrez-le "
                            "de nouveau en .docx, ou redemandez-le à son expéditeur").format(fichier=path))


def _unreadable(path: Path, error: OSError) -> UnreadableFile:
    return UnreadableFile(_("lecture de {fichier} impossible : {raison}").format(fichier=path, raison=reason(error)))


# -- the package: its parts, found by their relationships ---------------------------------------


class _Package:
    def __init__(self, path: Path, package: zipfile.ZipFile):
        self.path = path
        self.package = package
        # Part names are case-insensitive in OOXML, zip names are not.
        self.names = {info.filename.lower(): info for info in package.infolist()}
        self.budget = MAX_XML_MB * _MB

    def read(self) -> Reviewed:
        mimetype = self.names.get("mimetype")
        if mimetype is not None and self._bytes(mimetype, 200).startswith(b"application/vnd.oasis.opendocument"):
            raise UnreadableFile(_("{fichier} est au format OpenDocument (.odt), qu'aap ne lit pas : ouvrez-le dans "
                                   "LibreOffice, « Enregistrer sous », type « Word 2007-365 (.docx) », confirmez "
                                   "« Utiliser le format Word 2007-365 ! », puis donnez ce fichier .docx à aap").format(
                fichier=self.path))
        package_parts = self._targets("")
        main = package_parts.get("officeDocument", "word/document.xml")
        document = self._xml(main)
        if document is None:
            raise UnreadableFile(_("{fichier} n'est pas un document Word (.docx) : donnez le fichier .docx que le "
                                   "relecteur a renvoyé").format(fichier=self.path))
        if document.tag == f"{{{_STRICT_W}}}document":
            raise UnreadableFile(_("{fichier} est au format « Document Word Strict Open XML », qu'aap ne lit pas : "
                                   "ouvrez-le dans Word, « Enregistrer sous », type « Document Word (.docx) », puis "
                                   "donnez ce fichier à aap").format(fichier=self.path))
        body = document.find(_w("body"))
        if document.tag != _w("document") or body is None:
            raise UnreadableFile(_("{fichier} n'est pas un document Word (.docx) : donnez le fichier .docx que le "
                                   "relecteur a renvoyé").format(fichier=self.path))
        parts = self._targets(main)
        styles = _Styles(self._xml(parts.get("styles")))
        numbering = _Numbering(self._xml(parts.get("numbering")), styles)
        comments = _read_comments(self._xml(parts.get("comments")), styles, numbering)
        return Reviewed(
            path=self.path,
            blocks=_Body(styles, numbering).blocks(body),
            comments=comments,
            properties=_custom_properties(self._xml(package_parts.get("custom-properties"))),
            title=_title(self._xml(package_parts.get("core-properties"))),
        )

    def _targets(self, source: str) -> dict[str, str]:
        """The parts `source` points at, by the last word of their relationship type."""
        folder, name = posixpath.split(source)
        rels = self._xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        found: dict[str, str] = {}
        if rels is None:
            return found
        for relationship in rels.iterfind(f"{{{_RELS}}}Relationship"):
            target = relationship.get("Target") or ""
            if relationship.get("TargetMode") == "External" or not target:
                continue
            kind = (relationship.get("Type") or "").rsplit("/", 1)[-1]
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(folder, target))
            found.setdefault(kind, part)
        return found

    def _bytes(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        with self.package.open(info) as member:
            return member.read(limit)

    def _xml(self, name: str | None) -> Element | None:
        """The part `name` parsed, None when the package has none; counted against the budget
        before anything is decompressed."""
        from lxml import etree

        info = self.names.get(name.lower()) if name else None
        if info is None:
            return None
        self.budget -= info.file_size
        if self.budget < 0:
            raise UnreadableFile(_("{fichier} contient plus de {n} Mo de texte une fois décompressé : aap ne le lit pas, "
                                   "par prudence ; redemandez le document à son expéditeur").format(
                fichier=self.path, n=MAX_XML_MB))
        # The size is the zip's own claim: reading one byte more tells a lie.
        content = self._bytes(info, info.file_size + 1)
        if len(content) > info.file_size:
            raise _damaged(self.path)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        try:
            return etree.fromstring(content, parser)
        except etree.XMLSyntaxError:
            raise _damaged(self.path) from None


def _custom_properties(root: Element | None) -> dict[str, str]:
    if root is None:
        return {}
    found = {}
    for prop in root.iterfind(f"{{{_CUSTOM}}}property"):
        name = prop.get("name")
        if name:
            found[name] = "".join("".join(value.itertext()) for value in prop)
    return found


def _title(root: Element | None) -> str | None:
    title = root.find(f"{{{_DC}}}title") if root is not None else None
    return (title.text or None) if title is not None else None


# -- styles and numbering: heading and list levels ---------------------------------------------


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
            for author in [m.get(AUTHOR) for m in marks] + [a for c in cells for p in c.paragraphs for a in p.authors]:
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
        text, original = "".join(paragraph.accepted), "".join(paragraph.original)
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
                self.text(child.text or "", paragraph, deleted=tag == DEL_TEXT)
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
        found[cid] = Comment(id=cid, author=element.get(AUTHOR) or "", date=element.get(DATE),
                             text="\n".join(p.text for p in paragraphs if not p.removed))
    return found
