"""The document's look, in one place: one font family, one accent colour, headings that stand
apart, readable tables, A4 pages; and a clean package (modern compatibility mode, no template
traces). Everything else in the export only chooses styles by name.

Arial is the family: it ships with Windows and macOS, and LibreOffice renders it with its own
Liberation Sans, metric-compatible, so lines break at the same places in Word, in LibreOffice
and in the PDF (Calibri needs Microsoft Office on a Mac, and Carlito on Linux).
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle

from .ooxml import Element, child, default_run_properties, set_language

FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)   # a sober dark blue, the only colour of the document
MUTED = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "E3E9F1"                 # the accent, lightened, behind table headers and labels
TEXT_WIDTH_CM = 17.0                   # A4 less two 2 cm margins: every table takes it whole

# Style → (size in points, bold, colour, space before, space after)
_HEADINGS = {
    "Title": (24, True, ACCENT, 0, 6),
    "Subtitle": (13, False, MUTED, 0, 4),
    "Heading 1": (15, True, ACCENT, 18, 8),
    "Heading 2": (12, True, ACCENT, 12, 4),
    "Heading 3": (10.5, True, RGBColor(0, 0, 0), 8, 2),
}


def style_document(document: Document, language_tag: str) -> None:
    """Call once on a fresh python-docx Document, before adding content."""
    _clean_package(document)
    set_language(document, language_tag)
    _set_default_font(document)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.widow_control = True
    for name, (size, bold, colour, before, after) in _HEADINGS.items():
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = colour
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
        if name == "Heading 1":
            _bottom_border(style.element, ACCENT)
    title = styles["Title"]
    _remove_borders(title.element)
    for list_style in ("List Bullet", "List Number"):
        styles[list_style].paragraph_format.space_after = Pt(3)
    _padded_table_style(styles["Table Grid"])
    if "Note" not in [s.name for s in styles]:
        note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = normal
        note.font.size = Pt(9)
        note.font.color.rgb = MUTED
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.header_distance = section.footer_distance = Cm(1)


def _set_default_font(document: Document) -> None:
    """One family everywhere: the defaults and every style, theme fonts removed (the template
    points headings at the theme's « Calibri Light », which would win over a named font)."""
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), FONT)
    fonts = child(default_run_properties(document), "w:rFonts", first=True)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _bottom_border(style_element: Element, colour: RGBColor) -> None:
    paragraph_properties = style_element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "2"), ("w:color", str(colour))):
        bottom.set(qn(key), value)
    borders.append(bottom)
    existing = paragraph_properties.find(qn("w:pBdr"))
    if existing is not None:
        paragraph_properties.remove(existing)
    # w:pBdr comes after keepNext/keepLines/pageBreakBefore/…/numPr in CT_PPr's sequence.
    spacing = paragraph_properties.find(qn("w:spacing"))
    if spacing is not None:
        spacing.addprevious(borders)
    else:
        paragraph_properties.append(borders)


def _remove_borders(style_element: Element) -> None:
    paragraph_properties = style_element.get_or_add_pPr()
    existing = paragraph_properties.find(qn("w:pBdr"))
    if existing is not None:
        paragraph_properties.remove(existing)


def _padded_table_style(style: BaseStyle) -> None:
    """Thin grey borders and room inside the cells, for every table of the document."""
    table_properties = child(style.element, "w:tblPr")
    margins = child(table_properties, "w:tblCellMar")
    for side, twips in (("top", 45), ("left", 100), ("bottom", 45), ("right", 100)):
        cell = OxmlElement(f"w:{side}")
        cell.set(qn("w:w"), str(twips))
        cell.set(qn("w:type"), "dxa")
        old = margins.find(qn(f"w:{side}"))
        if old is not None:
            margins.remove(old)
        margins.append(cell)
    borders = table_properties.find(qn("w:tblBorders"))
    if borders is not None:
        for edge in borders:
            edge.set(qn("w:color"), "A6A6A6")
            edge.set(qn("w:sz"), "4")


def _clean_package(document: Document) -> None:
    """No trace of python-docx's template: Word 2013+ compatibility mode (no « Mode de
    compatibilité »), no leftover bibliography item, no blank thumbnail, no « Microsoft
    Macintosh Word » or Normal.dotm in the extended properties."""
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"):
            part.drop_rel(rel_id)
    package = part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == RT.WEB_SETTINGS:
            part.drop_rel(rel_id)


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>aap</Application><DocSecurity>0</DocSecurity></Properties>"
)
