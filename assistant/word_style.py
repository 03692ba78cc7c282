"""The document's look, in one place (STUB: the lead fills it; keep the API)."""

from __future__ import annotations

from docx.document import Document


def style_document(document: Document, language_tag: str) -> None:
    """Fonts, colours, heading sizes, page size and margins, compatibility mode, for a fresh
    python-docx Document. Call it once, before adding content."""
    from docx.shared import Cm, Pt

    from .word import set_language

    set_language(document, language_tag)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
