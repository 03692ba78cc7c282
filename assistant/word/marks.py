"""The marks that let a reviewed review version come back (`aap relire`), without changing how it
looks: a bookmark on the one paragraph that opens each answer (its heading, or the label cell of
its table row) and the export's id in the document's custom properties.

Both survive Word and LibreOffice (a bookmark on a single paragraph, custom properties: checked
with LibreOffice 7.4); content-control tags and bookmarks over several paragraphs do not, and
are not used. Where a bookmark is lost, the heading's or the label's text is the fallback: each
mark keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..i18n import N_

if TYPE_CHECKING:  # python-docx is imported where a document is written; the way back reads without it
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

# What the review version writes where an answer is missing: the way back reads it as no answer.
TO_COMPLETE = N_("[À compléter]")
NO_ANSWER = N_("Sans réponse (facultatif)")
EXPORT_PROPERTY = "aap-export"
DOSSIER_PROPERTY = "aap-dossier"
# Which version a document is (`depot` for the submission version): `aap relire` names it.
VERSION_PROPERTY = "aap-version"
BOOKMARK_PREFIX = "aap_"
# Heading: the answer follows the paragraph; row: it is the other cell of the label's row.
HEADING, ROW = "heading", "row"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the id Word gives user-defined properties


@dataclass(frozen=True)
class Anchor:
    name: str      # the bookmark's name
    question: str
    kind: str      # HEADING or ROW
    title: str     # the heading's or the label's text, as written


@dataclass
class Marking:
    """What the writer is asked to mark, and what it marked."""

    export_id: str
    dossier: str
    anchors: list[Anchor] = field(default_factory=list)

    def anchor(self, paragraph: Paragraph, question: str, kind: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if any(a.question == question for a in self.anchors):
            return  # an answer has one place the way back reads
        name = f"{BOOKMARK_PREFIX}{len(self.anchors) + 1}"
        # Bookmark ids are their own numbering in Word; python-docx writes none.
        number = str(len(self.anchors) + 1)
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), number)
        element = paragraph._p
        properties = element.pPr
        if properties is not None:
            properties.addnext(start)
        else:
            element.insert(0, start)
        element.append(end)
        self.anchors.append(Anchor(name, question, kind, paragraph.text))

    def write_properties(self, document: WordDocument) -> None:
        write_properties(document, {EXPORT_PROPERTY: self.export_id, DOSSIER_PROPERTY: self.dossier})


def write_properties(document: WordDocument, properties: dict[str, str]) -> None:
    """The document's custom properties (`docProps/custom.xml`), which python-docx does not write."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    entries = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name)}"><vt:lpwstr>{escape(value)}</vt:lpwstr>'
        "</property>" for pid, (name, value) in enumerate(properties.items(), start=2))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f"{entries}</Properties>")
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, xml.encode("utf-8"), package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)
