"""The dossier as a Word application file, laid out as its call's `document` block says
(assistant/layout.py): a cover, a one-page summary, the call's parts numbered « 1. … » with the
short answers in an identity table and each substantive answer under a noun heading, tables for
the groups and the funding plan, the numbered annexes, and a commitment and signature page.

The review version opens on where the dossier stands (completion, findings by severity and
section), marks what is missing, and carries each finding as a Word comment on the answer it
concerns. A submission forced past its findings says « PROJET — NON DÉPOSABLE » on every page.

The code knows no question id: everything comes from the layout, and a call without one gets a
default (numbered sections, short answers in an identity table, the others under their label).
Every text goes through `_safe` (control characters removed, French typography).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .. import typography
from ..annexes import annexes
from ..checks import MISSING_ANSWER, SEVERITY_LABELS, SEVERITY_ORDER, Finding, blocks_submission
from ..dossier import Dossier
from ..fields import KINDS, kind_of
from ..fields.dates import Month
from ..fields.texts import file_name as _file_name
from ..files import write_private
from ..i18n import (
    N_,
    _,
    format_amount,
    format_date,
    format_percent,
    language_tag,
    ngettext,
)
from ..layout import Row, SectionLayout
from ..model import FieldType, Question, Section, Severity
from ..text import clean_text
from ..values import group_sum
from .lists import add_list_item, new_list
from .marks import DOSSIER_PROPERTY, HEADING, NO_ANSWER, ROW, TO_COMPLETE, VERSION_PROPERTY, Marking, write_properties
from .ooxml import (
    Element,
    add_field,
    add_heading,
    add_paragraph,
    add_rows,
    add_table,
    keep_rows_whole,
    repeat_header_row,
    reproducible_bytes,
    set_widths,
    shade,
)
from .style import HEADER_FILL, TEXT_WIDTH_CM, style_document

LABEL_WIDTH_CM = 5.5
# A table this short is kept on one page; a longer one keeps its last lines with its total.
_SHORT_TABLE_ROWS = 15
_SEVERITY_COLOURS = {Severity.BLOCKING: RGBColor(0xC0, 0x00, 0x00), Severity.ERROR: RGBColor(0xC0, 0x50, 0x00),
                     Severity.WARNING: RGBColor(0x80, 0x60, 0x00), Severity.ADVICE: RGBColor(0x1F, 0x4E, 0x79)}
_SEVERITY_TITLES = {Severity.BLOCKING: N_("Points bloquants"), Severity.ERROR: N_("Erreurs"),
                    Severity.WARNING: N_("Avertissements"), Severity.ADVICE: N_("Conseils")}
_BLANK = "………………………"  # a blank a signatory fills in by hand
# A group's period, by whether its first and last dates are months (« janvier 2023 ») or days.
_SPANS = {(False, False): N_("du {debut} au {fin}"), (True, True): N_("de {debut} à {fin}"),
          (False, True): N_("du {debut} à {fin}"), (True, False): N_("de {debut} au {fin}")}
# Paragraph styles of the document that python-docx's template lacks: style.py defines their
# look; these are the fallbacks (name → size, bold, space before, space after in points).
_OWN_STYLES = {
    "Cover Agency": (14, True, 0, 40),
    "Cover Project": (17, True, 36, 6),
    "Cover Applicant": (13, False, 0, 30),
    "Table Text": (None, None, 0, 0),
}
# A question turned into a statement: « L'établissement est-il autorisé … ? » → « L'établissement
# est autorisé … », « Le projet digitalise-t-il … ? » → « Le projet digitalise … ».
_INVERSION = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)\b")
_ASKING = re.compile(r"^(?:est-ce que\s+|est-ce qu['’])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


class Mode(StrEnum):
    REVIEW = "relecture"
    SUBMISSION = "depot"


def _safe(text: Any) -> str:
    """Every text goes through here, once: see `typography.as_written`."""
    return typography.as_written(text)


def _property(text: Any) -> str:
    """A document property: Word allows 255 characters at most (python-docx refuses more)."""
    cleaned = _safe(text)
    return cleaned if len(cleaned) <= 255 else cleaned[:254] + "…"


def export(dossier: Dossier, findings: list[Finding], mode: Mode, path: Path, overwrite: bool = True,
           forced: bool = False, marking: Marking | None = None) -> Path:
    """Write the document at `path`, atomically and privately (it holds names, e-mails and phone
    numbers): an interrupted export leaves the previous file, never half a file. `forced`: the
    submission version was asked for despite blocking findings (it is marked as not depositable).
    `marking`: the review version is marked for the way back (word/marks.py)."""
    data = reproducible_bytes(build(dossier, findings, mode, forced, marking), dossier.modified)
    write_private(path, data, replace=overwrite)
    return path


def build(dossier: Dossier, findings: list[Finding], mode: Mode, forced: bool = False,
          marking: Marking | None = None) -> WordDocument:
    writer = _Writer(dossier, findings, mode, forced, marking if mode is Mode.REVIEW else None)
    writer.write()
    return writer.document


# -- texts --------------------------------------------------------------------------------------

def noun_label(label: str) -> str:
    """A question's label as a document label: a question form loses its « ? » and its
    inversion (« L'établissement est-il autorisé ? » → « L'établissement est autorisé »)."""
    text = label.strip()
    if not text.endswith("?"):
        return text
    text = _ASKING.sub("", text[:-1].rstrip())
    text = _INVERSION.sub("", text)
    return text[:1].upper() + text[1:]


def _value(question: Question, value: Any) -> str:
    """One answer as one text (a long text keeps its line breaks)."""
    return kind_of(question).document(question, value)


def _lower_first(text: str) -> str:
    """« Composer une équipe » → « composer une équipe », but « HAS » and « PROM » stay."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _sentence(text: str, last: bool) -> str:
    """A commitment as an item of the sentence « L'établissement s'engage à : … ; … . »."""
    return _lower_first(text.strip().rstrip(" .;,")) + ("." if last else " ;")


def _brief(text: str, limit: int | None) -> list[str]:
    """A long answer as the lines of a table cell: whole paragraphs (a lead-in with its list)
    while they fit within `limit` characters; a first paragraph too long is cut after its
    last whole sentence (or word) that fits."""
    units: list[list[str]] = []
    for block in typography.blocks(clean_text(text)):
        line = " ".join(block.text.split())
        if block.kind == "paragraph":
            units.append([line])
        else:
            item = "–\u00a0" + line
            if units and (units[-1][-1].startswith("–") or units[-1][-1].endswith(":")):
                units[-1].append(item)  # a list stays with its lead-in and its other items
            else:
                units.append([item])
    if limit is None:
        return [line for unit in units for line in unit]
    kept: list[str] = []
    used = 0
    for unit in units:
        size = sum(len(line) for line in unit)
        if used + size > limit:
            break
        kept += unit
        used += size
    if kept or not units:
        return kept
    first = units[0][0]
    ends = [m.end() for m in _SENTENCE_END.finditer(first) if m.end() <= limit]
    if ends:
        return [first[:ends[-1]]]
    return [first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"]


# -- the writer ---------------------------------------------------------------------------------

class _Writer:
    def __init__(self, dossier: Dossier, findings: list[Finding], mode: Mode, forced: bool,
                 marking: Marking | None = None):
        self.dossier, self.findings, self.mode, self.marking = dossier, findings, mode, marking
        self.appel = dossier.appel
        self.layout = self.appel.document
        self.review = mode is Mode.REVIEW
        self.forced = forced and not self.review and blocks_submission(findings)
        self.document = Document()
        style_document(self.document, language_tag())
        self.moment = dossier.modified
        # Where each finding's comment goes: the heading or row of its answer, its section's
        # heading, the cover's title.
        self.anchors: dict[str, list[Run]] = {}
        self.annex_anchors: dict[str, list[Run]] = {}
        self.section_anchors: dict[str, list[Run]] = {}
        self.cover_anchor: list[Run] = []
        self.names: dict[str, str] = {}      # question id → its name in the document
        self.placeholders: set[str] = set()  # questions shown « [À compléter] » somewhere
        self.numbers: dict[str, int] = {s.id: n for n, s in enumerate(self.appel.sections, start=1)}
        # Answers the layout shows elsewhere than in their section: the amount requested in the
        # funding plan, the commitments and the signatory on the signature page.
        budget, signature = self.layout.budget, self.layout.signature
        self.elsewhere = set(self.layout.commitments)
        if budget is not None and budget.requested:
            self.elsewhere.add(budget.requested)
        if signature is not None:
            self.elsewhere |= {signature.name, signature.position, signature.place}

    # -- the whole document --------------------------------------------------------------------

    def write(self) -> None:
        self._properties()
        self._header_footer()
        self._cover()
        cover_end = self._last_block()
        self._summary()
        for section in self.appel.sections:
            self._section(section)
        self._signature()
        if self.review:
            self._status(after=cover_end)
            self._comments()
        if self.marking is not None:
            self.marking.write_properties(self.document)
        elif not self.review:  # `aap relire` says it is the submission version, to be sent back the review one
            write_properties(self.document, {DOSSIER_PROPERTY: self.dossier.name, VERSION_PROPERTY: self.mode.value})

    def _last_block(self) -> Element:
        body = self.document.element.body
        last = body[-1]
        return last.getprevious() if last.tag == qn("w:sectPr") else last

    def _properties(self) -> None:
        appel, cover = self.appel, self.layout.cover
        properties = self.document.core_properties
        properties.title = _property(self._text(cover.title) or appel.title)
        properties.subject = _property(f"{appel.agency} — {appel.title}")
        properties.author = properties.last_modified_by = _property(self._text(cover.applicant) or "")
        properties.comments = ""
        properties.keywords = _property(f"{_('appel à projets')}; {appel.agency}")
        properties.category = _property(_("Dossier de candidature"))
        properties.language = language_tag()
        properties.created = properties.modified = self.moment.replace(tzinfo=None)
        properties.revision = 1

    def _header_footer(self) -> None:
        section = self.document.sections[0]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(_safe(_("Page ")))
        add_field(footer, "PAGE", "1")
        footer.add_run(" / ")
        add_field(footer, "NUMPAGES", "1")
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            paragraph = header.paragraphs[0]
            if self.forced:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(_safe(_("PROJET — NON DÉPOSABLE")))
                run.bold = True
                run.font.size = Pt(12)
                run.font.color.rgb = _SEVERITY_COLOURS[Severity.BLOCKING]
            elif self.review:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = paragraph.add_run(_safe(_("Version de travail — relecture interne — {date}").format(
                    date=format_date(self.moment.date()))))
                run.italic = True
                run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    # -- building blocks -----------------------------------------------------------------------

    def _style(self, name: str) -> str:
        """A style of the document by name, made from Normal if style.py did not define it."""
        styles = self.document.styles
        try:
            styles[name]
        except KeyError:
            size, bold, before, after = _OWN_STYLES[name]
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            if size is not None:
                style.font.size = Pt(size)
            if bold is not None:
                style.font.bold = bold
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
        return name

    def _question(self, question_id: str | None) -> Question | None:
        if not question_id:
            return None
        question = self.appel.question(question_id)
        return question if question is not None and self.dossier.applies(question) else None

    def _text(self, question_id: str | None) -> str | None:
        """An answer as one text, or None (not asked, not answered)."""
        question = self._question(question_id)
        if question is None or not self.dossier.has(question.id):
            return None
        return _value(question, self.dossier.get(question.id))

    def _heading(self, text: str, level: int, new_page: bool = False) -> Paragraph:
        paragraph = add_heading(self.document, _safe(text), level)
        paragraph.paragraph_format.keep_with_next = True
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def _paragraph(self, text: str = "", style: str | None = None, keep_with_next: bool = False) -> Paragraph:
        paragraph = add_paragraph(self.document, _safe(text) if text else "", style)
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def _mark(self, paragraph: Paragraph, question_id: str, kind: str) -> None:
        if self.marking is not None:
            self.marking.anchor(paragraph, question_id, kind)

    def _placeholder(self, paragraph: Paragraph, question_id: str | None) -> None:
        run = paragraph.add_run(_safe(_(TO_COMPLETE)))
        run.bold = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if question_id:
            self.placeholders.add(question_id)

    def _flag(self, paragraph: Paragraph, text: str) -> None:
        """A problem the review version shows where it is (an annex file missing)."""
        run = paragraph.add_run(" " + _safe(text))
        run.bold = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _optional(self, paragraph: Paragraph) -> None:
        run = paragraph.add_run(_safe(_(NO_ANSWER)))
        run.italic = True

    @staticmethod
    def _lines(paragraph: Paragraph, lines: list[str]) -> None:
        """Lines of one paragraph, separated by Word line breaks."""
        for index, line in enumerate(lines):
            run = paragraph.add_run()
            if index:
                run.add_break()
            run.add_text(_safe(line))

    def _name(self, question: Question, layout: SectionLayout | None = None) -> str:
        """What the document calls an answer: its declared heading or row label, else its label
        as a noun."""
        if question.id in self.names:
            return self.names[question.id]
        if layout is None:
            section = self.appel.section_of(question.id)
            layout = self.layout.section(section.id) if section else SectionLayout(section="x")
        row = next((r for r in layout.identity if r.question == question.id), None)
        name = layout.headings.get(question.id) or (row.label if row and row.label else None) or noun_label(question.label)
        return name

    # -- label/value tables (cover, summary, identity) -----------------------------------------

    def _facts(self, entries: Sequence[tuple[str, Question, Row | None]], anchor: bool) -> bool:
        """A two-column table of labels and answers; in the submission version the rows without
        an answer are left out. Whether a table was written."""
        shown = [(label, question, row) for label, question, row in entries
                 if self.review or self.dossier.has(question.id)]
        if not shown:
            return False
        table = add_table(self.document, rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell_style = self._style("Table Text")
        for label, question, row in shown:
            label_cell, value_cell = table.add_row().cells  # type: ignore[no-untyped-call]
            paragraph = _label(label_cell, label, cell_style)
            if anchor:
                self.anchors[question.id] = paragraph.runs
                self.names[question.id] = label
                self._mark(paragraph, question.id, ROW)
            paragraph = value_cell.paragraphs[0]
            paragraph.style = cell_style
            if not self.dossier.has(question.id):
                if question.required:
                    self._placeholder(paragraph, question.id)
                else:
                    self._optional(paragraph)
                continue
            for index, lines in enumerate(self._row_lines(question, self.dossier.get(question.id), row)):
                if index:
                    paragraph = value_cell.add_paragraph(style=cell_style)
                self._lines(paragraph, lines)
        set_widths(table, [Cm(LABEL_WIDTH_CM), Cm(TEXT_WIDTH_CM - LABEL_WIDTH_CM)])
        keep_rows_whole(table)
        _keep_together(table)
        return True

    def _row_lines(self, question: Question, value: Any, row: Row | None) -> list[list[str]]:
        """An answer in a table cell: paragraphs, each a list of lines."""
        match question.type:
            case FieldType.MULTIPLE_CHOICE:
                if self.review:
                    return [[f"{'☑' if c.id in value else '☐'} {c.label}" for c in question.choices]]
                return [[c.label for c in question.choices if c.id in value]]
            case FieldType.GROUP:
                return [self._group_lines(question, value, row)]
            case FieldType.LONG_TEXT:
                return [[line] for line in _brief(value, row.max_chars if row else None)]
        return [_value(question, value).split("\n")]

    def _group_lines(self, question: Question, items: list[dict[str, Any]], row: Row | None) -> list[str]:
        dates = [f for f in question.fields if f.type is FieldType.DATE]
        form = row.form if row is not None and row.form else ("periode" if dates else "nombre")
        if form == "total":
            amount = next((f for f in question.fields if f.type is FieldType.AMOUNT), None)
            return [format_amount(group_sum(items, amount.id))] if amount else [str(len(items))]
        if form == "periode" and dates:
            found = sorted(item[f.id] for f in dates for item in items if item.get(f.id))
            if found:
                return [self._span(found[0], found[-1])]
        if form == "liste":
            return self._item_lines(question, items, row.max_chars if row else None)
        return [str(len(items))]

    @staticmethod
    def _span(start: date, end: date) -> str:
        if start == end and type(start) is type(end):
            return format_date(start)
        months = round((end - start).days / 30.44)
        # « du 15 janvier au 1er avril », but « de janvier 2023 à avril 2024 » for months.
        template = _SPANS[isinstance(start, Month), isinstance(end, Month)]
        span = _(template).format(debut=format_date(start), fin=format_date(end))
        if months:
            span += " (" + ngettext("{n} mois", "{n} mois", months).format(n=months) + ")"
        return span

    @staticmethod
    def _item_lines(question: Question, items: list[dict[str, Any]], limit: int | None) -> list[str]:
        """One line per item: its first field, then the others with their label."""
        lines: list[str] = []
        used = 0
        for number, item in enumerate(items):
            shown = [f for f in question.fields if item.get(f.id) is not None and f.type is not FieldType.FILE]
            if not shown:
                continue
            line = " ".join(_value(shown[0], item[shown[0].id]).split())
            # « label: value; … »: French typography adds its spaces before « : » and « ; ».
            details = "; ".join(f"{_lower_first(f.label)}: {_value(f, item[f.id])}" for f in shown[1:])
            line += f" ({details})" if details else ""
            if limit is not None and lines and used + len(line) > limit:
                rest = len(items) - number
                lines.append(ngettext("… et {n} autre", "… et {n} autres", rest).format(n=rest))
                break
            lines.append(line)
            used += len(line)
        return lines

    # -- cover and summary ---------------------------------------------------------------------

    def _cover(self) -> None:
        appel, cover = self.appel, self.layout.cover
        self._paragraph(appel.agency, self._style("Cover Agency"))
        self._paragraph(_("Appel à projets"), "Subtitle")
        self.cover_anchor = self._paragraph(appel.title, "Title").runs
        self._paragraph(_("Dossier de candidature"), "Subtitle")
        for question_id, style in ((cover.title, "Cover Project"), (cover.applicant, "Cover Applicant")):
            question = self._question(question_id)
            if question is None:
                continue
            text = self._text(question_id)
            if text is not None:
                self._paragraph(text, self._style(style))
            elif self.review:
                self._placeholder(self._paragraph(style=self._style(style)), question.id)
        entries = [(row.label or noun_label(q.label), q, row) for row in cover.rows if (q := self._question(row.question))]
        self._facts(entries, anchor=False)

    def _summary(self) -> None:
        entries = [(row.label or noun_label(q.label), q, row)
                   for row in self.layout.summary if (q := self._question(row.question))]
        if not entries:
            return
        self._heading(_("Synthèse du projet"), 1, new_page=True)
        self._facts(entries, anchor=False)

    # -- sections ------------------------------------------------------------------------------

    def _section(self, section: Section) -> None:
        layout = self.layout.section(section.id)
        number = self.numbers[section.id]
        # The first part starts on a page of its own; the others follow (a heading is never
        # left at the bottom of a page: headings keep with what follows).
        heading = self._heading(f"{number}. {layout.title or section.title}", 1, new_page=number == 1)
        self.section_anchors[section.id] = heading.runs
        applicable = [q for q in section.questions if self.dossier.applies(q)]
        own = {q.id: q for q in applicable}
        annex_group = self.layout.annex_list.group if self.layout.annex_list else None
        declared = [row for row in layout.identity if row.question in own]
        listed = {row.question for row in declared}
        identity: list[tuple[str, Question, Row | None]] = [
            (row.label or noun_label(own[row.question].label), own[row.question], row) for row in declared]
        identity += [(noun_label(q.label), q, None) for q in applicable
                     if kind_of(q).short and q.id not in listed and q.id not in self.elsewhere]
        in_identity = {q.id for _label, q, _row in identity}
        budget = self.layout.budget
        budget_groups = [q.id for q in applicable if budget is not None and q.id in (budget.expenses, budget.cofunding)]
        wrote = False
        identity_written = False
        for question in applicable:
            if question.id in in_identity:
                if not identity_written:
                    identity_written = True
                    wrote |= self._identity(layout, identity)
                continue
            if question.id in self.elsewhere:
                continue
            if question.id == annex_group:
                wrote |= self._annex_list(question, heading.runs)
                continue
            wrote |= self._substantive(question, layout)
            if budget_groups and question.id == budget_groups[-1]:
                self._funding_plan()
                wrote = True
        if not wrote:
            self._paragraph(_("Sans objet."))

    def _identity(self, layout: SectionLayout, entries: Sequence[tuple[str, Question, Row | None]]) -> bool:
        shown = [e for e in entries if self.review or self.dossier.has(e[1].id)]
        if not shown:
            return False
        self._heading(layout.identity_title or _("Fiche d'identification"), 2)
        return self._facts(entries, anchor=True)

    def _substantive(self, question: Question, layout: SectionLayout) -> bool:
        """A long text, a list of choices or a group, under its noun heading."""
        answered = self.dossier.has(question.id)
        if not answered and not self.review:
            return False
        name = self._name(question, layout)
        self.names[question.id] = name
        heading = self._heading(name, 2)
        self.anchors[question.id] = heading.runs
        self._mark(heading, question.id, HEADING)
        if not answered:
            paragraph = self._paragraph()
            if question.required:
                self._placeholder(paragraph, question.id)
            else:
                self._optional(paragraph)
            return True
        value = self.dossier.get(question.id)
        match question.type:
            case FieldType.LONG_TEXT:
                self._long_text(value)
            case FieldType.MULTIPLE_CHOICE:
                self._choices(question, value)
            case FieldType.GROUP:
                self._group(question, value)
            case _:
                self._paragraph(_value(question, value))
        return True

    def _long_text(self, text: str) -> None:
        """Paragraphs and real Word lists; the line breaks the author kept stay."""
        lists: dict[str, int] = {}
        for block in typography.blocks(clean_text(text)):
            if block.kind == "paragraph":
                lists.clear()
                paragraph = add_paragraph(self.document)
                self._lines(paragraph, block.text.split("\n"))
                if block.text.rstrip().endswith(":"):  # a lead-in stays with what it introduces
                    paragraph.paragraph_format.keep_with_next = True
                continue
            if block.level == 0:  # a sub-list under the previous item ends with it: the next restarts
                lists = {kind: number for kind, number in lists.items() if kind == block.kind}
            if block.kind not in lists:  # consecutive items of one kind form one list
                lists[block.kind] = new_list(self.document, block.kind)
            add_list_item(self.document, _safe(block.text), block.kind, lists[block.kind], block.level)

    def _choices(self, question: Question, ticked: list[str]) -> None:
        """The ticked options as a list; the review version shows every option with its box."""
        if self.review:
            for choice in question.choices:
                self._paragraph(f"{'☑' if choice.id in ticked else '☐'} {choice.label}")
            return
        self._bullets([c.label for c in question.choices if c.id in ticked])

    def _bullets(self, texts: list[str]) -> list[Paragraph]:
        list_id = new_list(self.document, "bullet")
        return [add_list_item(self.document, _safe(text), "bullet", list_id, 0) for text in texts]

    # -- tables --------------------------------------------------------------------------------

    def _table(self, labels: list[str], weights: list[float], right: list[bool]) -> Table:
        """A table with its header row (shaded, repeated on every page) and fixed widths that
        take the whole text width."""
        table = add_table(self.document, rows=1, cols=len(labels))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell_style = self._style("Table Text")
        for cell, label, is_right in zip(table.rows[0].cells, labels, right):
            paragraph = cell.paragraphs[0]
            paragraph.style = cell_style
            paragraph.add_run(_safe(label)).bold = True
            shade(cell, HEADER_FILL)
            if is_right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        total = sum(weights)
        set_widths(table, [Cm(TEXT_WIDTH_CM * w / total) for w in weights])
        keep_rows_whole(table)
        repeat_header_row(table)
        return table

    def _group(self, question: Question, items: list[dict[str, Any]]) -> None:
        fields = [f for f in question.fields if self.review or any(item.get(f.id) is not None for item in items)]
        right = [kind_of(f).numeric for f in fields]
        table = self._table([f.label for f in fields], [kind_of(f).weight for f in fields], right)
        add_rows(table, [[self._cell(f, item.get(f.id)) for f in fields] for item in items], right)
        _style_cells(table, self._style("Table Text"), self.document)
        amounts = [f for f in fields if f.type is FieldType.AMOUNT]
        if amounts and len(items) > 1:
            totals = [format_amount(group_sum(items, f.id)) if f.type is FieldType.AMOUNT else "" for f in fields]
            add_rows(table, [[_safe(_("Total")), *(_safe(t) for t in totals[1:])]], right, bold=True)
            _style_cells(table, self._style("Table Text"), self.document)
        _keep_together(table)
        if amounts and len(items) > 1:
            self._subtotals(question, items, amounts)

    def _cell(self, field: Question, value: Any) -> str:
        """A group item's value as one line of a table cell."""
        return "" if value is None else _safe(" ".join(_value(field, value).split("\n")))

    def _subtotals(self, question: Question, items: list[dict[str, Any]], amounts: list[Question]) -> None:
        """Lines by nature: the first choice field of the group, with the amount sums."""
        kind = next((f for f in question.fields if f.type is FieldType.CHOICE), None)
        if kind is None:
            return
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(amounts))
        for item in items:
            for index, field in enumerate(amounts):
                sums[item.get(kind.id) or ""][index] += item.get(field.id) or Decimal(0)
        if len(sums) < 2 or len(sums) == len(items):
            return  # one line per nature: the table itself says it all
        caption = self._paragraph(keep_with_next=True)
        caption.paragraph_format.space_before = Pt(8)
        caption.add_run(_safe(_("Sous-totaux par {champ}").format(champ=_lower_first(kind.label)))).bold = True
        right = [False] + [True] * len(amounts)
        table = self._table([kind.label, *(f.label for f in amounts)],
                            [KINDS[FieldType.TEXT].weight] + [KINDS[FieldType.AMOUNT].weight] * len(amounts), right)
        add_rows(table, [[_safe(choice.label), *(_safe(format_amount(total)) for total in sums[choice.id])]
                         for choice in kind.choices if choice.id in sums], right)
        _style_cells(table, self._style("Table Text"), self.document)
        _keep_together(table)

    def _funding_plan(self) -> None:
        budget = self.layout.budget
        assert budget is not None
        expenses = group_sum(self.dossier.get(budget.expenses), budget.amount)
        requested_question = self._question(budget.requested)
        requested = self.dossier.get(requested_question.id) if requested_question else None
        cofunding = group_sum(self.dossier.get(budget.cofunding), budget.cofunding_amount) if budget.cofunding else None
        self._heading(_("Plan de financement"), 2)
        rows: list[tuple[str, Decimal | None, str | None]] = [(_("Total des dépenses"), expenses, None)]
        if requested_question is not None:
            rows.append((self._name(requested_question), requested, requested_question.id))
        if cofunding is not None:
            rows.append((_("Cofinancements"), cofunding, None))
        rows.append((_("Total des ressources"), (requested or Decimal(0)) + (cofunding or Decimal(0)), None))
        table = add_table(self.document, rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell_style = self._style("Table Text")
        for index, (label, amount, question_id) in enumerate(rows):
            label_cell, amount_cell = table.add_row().cells  # type: ignore[no-untyped-call]
            paragraph = _label(label_cell, label, cell_style)
            if question_id:
                self.anchors[question_id] = paragraph.runs
                self.names[question_id] = label
                self._mark(paragraph, question_id, ROW)
            paragraph = amount_cell.paragraphs[0]
            paragraph.style = cell_style
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if amount is None:
                if self.review:
                    self._placeholder(paragraph, question_id)
            else:
                run = paragraph.add_run(_safe(format_amount(amount)))
                run.bold = index == len(rows) - 1 or None
        set_widths(table, [Cm(TEXT_WIDTH_CM - 5), Cm(5)])
        keep_rows_whole(table)
        _keep_together(table)

    # -- annexes -------------------------------------------------------------------------------

    def _annex_list(self, question: Question, section_runs: list[Run]) -> bool:
        """« Annexe 1 — <titre> (<fichier.pdf>) », numbered as everywhere else; the review
        version says inline when a file is missing."""
        layout = self.layout.annex_list
        assert layout is not None
        found = annexes(self.dossier)
        self.anchors[question.id] = section_runs
        self.names[question.id] = noun_label(question.label)
        if not found:
            if self.review and question.required:
                self._placeholder(self._paragraph(), question.id)
            else:
                self._paragraph(_("Aucune annexe n'est jointe au dossier."))
            return True
        items = self.dossier.get(question.id) or []
        others = [f for f in question.fields if f.id not in (layout.title, layout.file)
                  and f.type in (FieldType.TEXT, FieldType.LONG_TEXT)]
        for annex, item in zip(found, items):
            paragraph = self._paragraph()
            title = annex.title or _("sans titre")
            paragraph.add_run(_safe(_("Annexe {numero} — {titre}").format(numero=annex.number, titre=title))).bold = True
            if annex.path is not None:
                paragraph.add_run(_safe(f" ({_file_name(annex.path)})"))
            self.annex_anchors[str(annex.number)] = list(paragraph.runs)
            if self.review:
                if annex.path is None:
                    self._flag(paragraph, _("[fichier à joindre]"))
                elif not annex.exists:
                    self._flag(paragraph, _("[fichier introuvable]"))
            details = " — ".join(" ".join(_value(f, item[f.id]).split()) for f in others if item.get(f.id))
            if details:
                run = paragraph.add_run()
                run.add_break()
                run.add_text(_safe(details))
                run.italic = True
        return True

    # -- commitments and signature -------------------------------------------------------------

    def _signature(self) -> None:
        questions = [q for qid in self.layout.commitments if (q := self._question(qid)) is not None]
        self._heading(_("Engagements et signature") if questions else _("Signature"), 1, new_page=True)
        if questions:
            ticked = [c.label for q in questions for c in q.choices if c.id in (self.dossier.get(q.id) or [])]
            if ticked or self.review:
                lead = self._paragraph(_("L'établissement s'engage à :"), keep_with_next=True)
                for question in questions:
                    self.anchors[question.id] = lead.runs
                    self.names[question.id] = noun_label(question.label)
            if self.review:
                for question in questions:
                    value = self.dossier.get(question.id) or []
                    for choice in question.choices:
                        self._paragraph(f"{'☑' if choice.id in value else '☐'} {choice.label}", keep_with_next=True)
                    if not value and question.required:
                        self._placeholder(self._paragraph(), question.id)
            elif ticked:
                for item in self._bullets([_sentence(t, n == len(ticked) - 1) for n, t in enumerate(ticked)]):
                    item.paragraph_format.keep_with_next = True
        signature = self.layout.signature
        name, position, place = (signature.name, signature.position, signature.place) if signature else (None, None, None)
        statement = self._paragraph()
        statement.paragraph_format.space_before = Pt(12)
        self._template(statement, _("Je soussigné(e) {nom}, {qualite}, certifie exactes les informations du présent dossier."),
                       lower=("qualite",), nom=name, qualite=position)
        done = self._paragraph(keep_with_next=True)
        done.paragraph_format.space_before = Pt(12)
        self._template(done, _("Fait à {lieu}, le {date}"), lieu=place, date=format_date(self.moment.date()))
        for question_id, runs in ((name, statement.runs), (position, statement.runs), (place, done.runs)):
            if question_id:
                self.anchors[question_id] = runs
                if (signed := self.appel.question(question_id)) is not None:
                    self.names[question_id] = noun_label(signed.label)
        self._signature_boxes(name, position)

    def _template(self, paragraph: Paragraph, message: str, lower: tuple[str, ...] = (), **values: str | None) -> None:
        """A sentence with answers in it: a missing answer is « [À compléter] » in the review
        version and a blank to fill in by hand otherwise. A value that is not a question id is
        written as is (the date); the answers named in `lower` lose their capital (a position
        within a sentence: « …, directrice générale, … »)."""
        for index, part in enumerate(re.split(r"\{(\w+)\}", message)):
            if index % 2 == 0:
                if part:
                    paragraph.add_run(_safe(part))
                continue
            given = values.get(part)
            lowered = part in lower
            if given is None:
                paragraph.add_run(_BLANK)
                continue
            question = self.appel.question(given)
            if question is None:
                paragraph.add_run(_safe(given))
                continue
            text = self._text(given)
            if text is not None:
                paragraph.add_run(_safe(_lower_first(text) if lowered else text))
            elif self.review:
                self._placeholder(paragraph, given)
            else:
                paragraph.add_run(_BLANK)

    def _signature_boxes(self, name: str | None, position: str | None) -> None:
        """Two bordered boxes with room to sign and to stamp."""
        table = add_table(self.document, rows=2, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell_style = self._style("Table Text")
        signatory = ", ".join(t for t in (self._text(name), self._text(position)) if t)
        labels = (_("Signature du représentant légal"), _("Cachet de l'établissement"))
        for cell, label, detail in zip(table.rows[0].cells, labels, (signatory, "")):
            paragraph = cell.paragraphs[0]
            paragraph.style = cell_style
            paragraph.add_run(_safe(label)).bold = True
            shade(cell, HEADER_FILL)
            if detail:
                run = paragraph.add_run()
                run.add_break()
                run.add_text(_safe(detail))
        for cell in table.rows[1].cells:
            cell.paragraphs[0].style = cell_style
        room = table.rows[1]
        room.height = Cm(4)
        room.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        set_widths(table, [Cm(TEXT_WIDTH_CM / 2)] * 2)
        keep_rows_whole(table)
        _keep_together(table)

    # -- the review version: where the dossier stands, and the comments -------------------------

    def _status(self, after: Element) -> None:
        """The first page after the cover: completion, counts by severity, then the findings
        from the most serious, grouped by section. A missing answer already shown
        « [À compléter] » where it belongs is counted, not listed again."""
        body = self.document.element.body
        start = len(body) - 1
        self._heading(_("État du dossier"), 1, new_page=True)
        self._paragraph(_("Réponses obligatoires complétées : {taux}").format(
            taux=format_percent(self.dossier.completion())))
        repeated = [f for f in self.findings if f.kind == MISSING_ANSWER and f.question in self.placeholders]
        listed = [f for f in self.findings if f not in repeated]
        if not self.findings:
            self._paragraph(_("Les vérifications de cohérence n'ont relevé aucun point."))
        else:
            self._counts()
        if repeated:
            self._paragraph(ngettext(
                "{n} réponse obligatoire manque : elle est marquée {marque} dans le document.",
                "{n} réponses obligatoires manquent : elles sont marquées {marque} dans le document.",
                len(repeated)).format(n=len(repeated), marque=_(TO_COMPLETE))).paragraph_format.space_before = Pt(6)
        for severity in sorted({f.severity for f in listed}, key=SEVERITY_ORDER.__getitem__):
            found = [f for f in listed if f.severity is severity]
            heading = self._heading(f"{_(_SEVERITY_TITLES[severity])} ({len(found)})", 2)
            heading.runs[0].font.color.rgb = _SEVERITY_COLOURS[severity]
            order = {s.id: n for n, s in enumerate(self.appel.sections)}
            by_section: dict[str | None, list[Finding]] = defaultdict(list)
            for finding in found:
                by_section[finding.section if finding.section in order else None].append(finding)
            for section_id in sorted(by_section, key=lambda s: -1 if s is None else order[s]):
                if section_id:
                    section_title = self.layout.section(section_id).title or self.appel.sections[order[section_id]].title
                    title = f"{self.numbers[section_id]}. {section_title}"
                else:
                    title = _("Ensemble du dossier")
                self._paragraph(keep_with_next=True).add_run(_safe(title)).bold = True
                list_id = new_list(self.document, "bullet")
                for finding in by_section[section_id]:
                    item = add_list_item(self.document, "", "bullet", list_id, 0)
                    place = self._place(finding)
                    if place:
                        # « Place : finding », the place in bold, the colon as the language sets it.
                        lead, rest = _("{lieu} : {constat}").split("{lieu}", 1)
                        if lead:
                            item.add_run(_safe(lead))
                        item.add_run(_safe(place)).bold = True
                        item.add_run(_safe(rest.format(constat=finding.message)))
                    else:
                        item.add_run(_safe(finding.message))
                    if finding.source:
                        item.add_run(_safe(" " + _("(l'appel : « {source} »)").format(source=finding.source))).italic = True
        if self.appel.criteria:
            from ..criteria import assess
            from .grid import write_grid

            write_grid(self, assess(self.dossier, self.findings))
        # Written last (the placeholders are known then), moved to its place after the cover.
        anchor = after
        for element in list(body)[start:-1]:
            anchor.addnext(element)
            anchor = element

    def _counts(self) -> None:
        severities = list(Severity)
        table = add_table(self.document, rows=2, cols=len(severities))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell_style = self._style("Table Text")
        for severity, head, count in zip(severities, table.rows[0].cells, table.rows[1].cells):
            paragraph = head.paragraphs[0]
            paragraph.style = cell_style
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(_safe(_(SEVERITY_LABELS[severity])))
            run.bold = True
            run.font.color.rgb = _SEVERITY_COLOURS[severity]
            shade(head, HEADER_FILL)
            paragraph = count.paragraphs[0]
            paragraph.style = cell_style
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(str(sum(1 for f in self.findings if f.severity is severity)))
        set_widths(table, [Cm(TEXT_WIDTH_CM / len(severities))] * len(severities))
        keep_rows_whole(table)
        _keep_together(table)

    def _place(self, finding: Finding) -> str:
        """A finding's place within its section: the answer's name in the document, its item."""
        if not finding.question:
            return ""
        question = self.appel.question(finding.question)
        name = self.names.get(finding.question) or (self._name(question) if question else finding.question_label or "")
        # An item the message already names (« Claire Martin », an annex's title) is not repeated.
        if finding.item and finding.item.split(" — ")[-1] not in finding.message:
            return f"{name} › {finding.item}"
        return name

    def _comments(self) -> None:
        for finding in self.findings:
            runs = None
            if finding.values.get("numero") and finding.question and self.layout.annex_list \
                    and finding.question == self.layout.annex_list.group:
                runs = self.annex_anchors.get(finding.values["numero"])
            runs = runs or self.anchors.get(finding.question or "") or self.section_anchors.get(finding.section or "") \
                or self.cover_anchor
            if not runs:
                continue
            label = _(SEVERITY_LABELS[finding.severity])
            where = f" ({finding.item})" if finding.item else ""
            source = " " + _("(l'appel : « {source} »)").format(source=finding.source) if finding.source else ""
            comment = self.document.add_comment(runs, text=_safe(f"{label}{where} — {finding.message}{source}"),
                                                author="aap", initials="aap")
            comment._comment_elm.date = self.moment  # the same dossier gives the same bytes


def _label(cell: _Cell, label: str, style: str) -> Paragraph:
    """A label cell of a two-column table: shaded, bold; its paragraph (to anchor a comment)."""
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.add_run(_safe(label)).bold = True
    shade(cell, HEADER_FILL)
    return paragraph


def _keep_together(table: Table) -> None:
    """A short table stays on one page; a long one keeps its last lines with its total row.
    (Word keeps a row with the next when its paragraphs are « keep with next ».)"""
    rows = table._tbl.tr_lst
    kept = rows[:-1] if len(rows) <= _SHORT_TABLE_ROWS else [rows[0], *rows[-3:-1]]
    for row in kept:
        for paragraph in row.iter(qn("w:p")):
            paragraph.get_or_add_pPr().keepNext_val = True


def _style_cells(table: Table, style_name: str, document: WordDocument) -> None:
    """The compact cell style on every paragraph of the table's rows (rows copied in bulk)."""
    style_id = document.styles[style_name].style_id
    for paragraph in table._tbl.iter(qn("w:p")):
        paragraph.get_or_add_pPr().style = style_id
