"""French typography for the Word document (STUB: helper B replaces the bodies; keep the API)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """One block of a long answer: a paragraph (whose kept line breaks are "\\n"), or an item of
    a bulleted or numbered list (consecutive items of one kind form one list)."""

    kind: str  # "paragraph", "bullet" or "number"
    text: str
    level: int = 0


def french(text: str) -> str:
    """Typographic apostrophe, « » with no-break spaces, no-break spaces before ; : ! ? and
    inside amounts. (STUB: returns the text unchanged.)"""
    return text


def blocks(text: str) -> list[Block]:
    """A long answer as paragraphs and list items. (STUB: blank-line separated paragraphs.)"""
    return [Block("paragraph", part.strip()) for part in text.split("\n\n") if part.strip()]
