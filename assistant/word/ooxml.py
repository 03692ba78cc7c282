"""Low-level Word (OOXML) helpers that python-docx has no API for: fields (table of contents,
page numbers), the document language, repeated table header rows, and a reproducible save."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import datetime
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

# An OOXML element: python-docx's own classes or plain lxml ones (lxml ships no type stubs).
Element = Any


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "", dirty: bool = False) -> None:
    """A simple field (`PAGE`, `NUMPAGES`, `TOC …`) whose shown result is `placeholder` until
    Word updates it; `dirty` makes Word offer the update on opening."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate):
        run = paragraph.add_run()
        run._r.append(element)
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(end)


def child(parent: Element, tag: str, first: bool = False) -> Element:
    """The element's child `tag` (« w:rPr »…), added (last, or first) when it has none."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def default_run_properties(document: Document) -> Element:
    """The run properties every style inherits (`w:docDefaults/w:rPrDefault/w:rPr`)."""
    defaults = child(document.styles.element, "w:docDefaults", first=True)
    return child(child(defaults, "w:rPrDefault"), "w:rPr")


def set_language(document: Document, tag: str) -> None:
    """The proofing language of the whole document (its default run properties)."""
    lang = child(default_run_properties(document), "w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def keep_rows_whole(table: Table) -> None:
    """No row is split across two pages (a budget line stays readable)."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.append(OxmlElement("w:cantSplit"))


def set_widths(table: Table, widths: list[Any]) -> None:
    """Fixed column widths (Word and LibreOffice both read the cells' widths, not the grid's)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def add_rows(table: Table, rows: list[list[str]], right_aligned: list[bool], bold: bool = False) -> None:
    """Many rows at once: one row is built through python-docx (widths, alignment, whole row),
    then its XML is copied for every line and only the texts change. python-docx's own
    add_row and cells walk the table each time, which costs seconds on a 300-line budget."""
    template = table.add_row()  # type: ignore[no-untyped-call]
    for cell, right in zip(template.cells, right_aligned):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run("x")
        run.bold = bold or None
        if right:
            paragraph.alignment = 2  # WD_ALIGN_PARAGRAPH.RIGHT
    template._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    tr = template._tr
    texts_tag = qn("w:t")
    for t in tr.iter(texts_tag):
        t.set(qn("xml:space"), "preserve")
    parent = tr.getparent()
    parent.remove(tr)
    for values in rows:
        row = copy.deepcopy(tr)
        for t, value in zip(row.iter(texts_tag), values):
            t.text = value
        parent.append(row)


def repeat_header_row(table: Table) -> None:
    """The first row is repeated at the top of every page the table spans."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def reproducible_bytes(document: Document, moment: datetime) -> bytes:
    """The .docx as bytes such that the same content gives the same bytes: python-docx stamps
    every zip entry with the current time, so the package is rewritten with one fixed time, in
    the same order."""
    buffer = io.BytesIO()
    document.save(buffer)
    stamp = (min(max(moment.year, 1980), 2107), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


# python-docx inserts each block before the body's final section properties by scanning the
# whole body for them, which makes a long document quadratic (80,000 paragraphs: 25 s). These
# append in constant time, at the same place.


def _append_block(document: Document, element: Element) -> None:
    body = document.element.body
    try:
        last = body[-1]  # lxml finds the last child without walking the others (len() would)
    except IndexError:
        last = None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(element)
    else:
        body.append(element)


def add_paragraph(document: Document, text: str = "", style: str | None = None) -> Paragraph:
    element = OxmlElement("w:p")
    _append_block(document, element)
    paragraph = Paragraph(element, document._body)
    if text:
        paragraph.add_run(text)
    if style is not None:
        paragraph.style = document.styles[style]
    return paragraph


def add_heading(document: Document, text: str, level: int) -> Paragraph:
    return add_paragraph(document, text, "Title" if level == 0 else f"Heading {level}")


def add_table(document: Document, rows: int, cols: int) -> Table:
    from docx.oxml.table import CT_Tbl

    element = CT_Tbl.new_tbl(rows, cols, document._block_width)
    _append_block(document, element)
    return Table(element, document._body)
