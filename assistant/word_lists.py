"""Real Word lists (STUB: helper B replaces the bodies; keep the API)."""

from __future__ import annotations

from docx.document import Document
from docx.text.paragraph import Paragraph


def new_list(document: Document, kind: str) -> int:
    """A new list of `kind` ("bullet" or "number") whose numbering starts at 1; its id."""
    return 0


def add_list_item(document: Document, text: str, kind: str, list_id: int, level: int = 0) -> Paragraph:
    """One item of the list `list_id`, appended at the end of the body."""
    from .word import add_paragraph

    return add_paragraph(document, text, "List Bullet" if kind == "bullet" else "List Number")
