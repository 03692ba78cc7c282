"""The dossier as a Word document, with python-docx and Word's own styles (so the navigation
pane and the table of contents work): a cover page, one Heading 1 per section, one Heading 2
per question, real tables for groups, a funding plan, and in the review version the missing
answers highlighted and the checks' findings at the end."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.shared import Cm, Pt, RGBColor

from .checks import SEVERITY_LABELS, Finding
from .dossier import Dossier
from .files import write_private
from .i18n import N_, _, format_amount, format_date, language_tag
from .model import NUMERIC_TYPES, FieldType, Question, Section
from .text import clean_text
from .values import display, group_sum, paragraphs
from .word import (
    add_field, add_heading, add_paragraph, add_table, add_rows, ask_to_update_fields, keep_rows_whole, repeat_header_row, reproducible_bytes, set_language,
    set_widths, shade,
)

TO_COMPLETE = N_("[À compléter]")
TEXT_WIDTH_CM = 17.0  # A4 less two 2 cm margins
# How much of a table's width a column of each type deserves: labels wide, amounts narrow.
_WEIGHTS = {FieldType.LONG_TEXT: 4.0, FieldType.TEXT: 3.0, FieldType.FILE: 2.5, FieldType.CHOICE: 2.2,
            FieldType.AMOUNT: 1.7, FieldType.DATE: 1.7, FieldType.DECIMAL: 1.2, FieldType.INTEGER: 1.2,
            FieldType.PERCENTAGE: 1.2}
HEADER_FILL = "D9E2F3"
_SEVERITY_COLOURS = {"bloquant": RGBColor(0xC0, 0x00, 0x00), "erreur": RGBColor(0xC0, 0x50, 0x00),
                     "avertissement": RGBColor(0x80, 0x60, 0x00)}


class Mode(StrEnum):
    REVIEW = "relecture"
    SUBMISSION = "depot"


def _safe(text: Any) -> str:
    """Every text goes through here: python-docx refuses control characters and XML cannot
    hold lone surrogates, so they are removed once, at this single place."""
    return clean_text(str(text))


def _property(text: Any) -> str:
    """A document property: Word allows 255 characters at most (python-docx refuses more)."""
    cleaned = _safe(text)
    return cleaned if len(cleaned) <= 255 else cleaned[:254] + "…"


def export(dossier: Dossier, findings: list[Finding], mode: Mode, path: Path, overwrite: bool = True) -> Path:
    """Write the document at `path`, atomically and privately (it holds names, e-mails and phone
    numbers): an interrupted export leaves the previous file, never half a file."""
    data = reproducible_bytes(build(dossier, findings, mode), dossier.modified)
    write_private(path, data, replace=overwrite)
    return path


def build(dossier: Dossier, findings: list[Finding], mode: Mode):
    writer = _Writer(dossier, findings, mode)
    writer.write()
    return writer.document


class _Writer:
    def __init__(self, dossier: Dossier, findings: list[Finding], mode: Mode):
        self.dossier, self.findings, self.mode = dossier, findings, mode
        self.review = mode is Mode.REVIEW
        self.document = Document()
        self.version_date = format_date(dossier.modified.date())

    # -- the whole document --------------------------------------------------------------------

    def write(self) -> None:
        self._setup()
        self._cover()
        self._contents()
        for section in self.dossier.appel.sections:
            self._section(section)
        if self.review:
            self._points_to_check()

    def _setup(self) -> None:
        document = self.document
        set_language(document, language_tag())
        ask_to_update_fields(document)
        normal = document.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        for section in document.sections:  # French documents are A4
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
        appel, answers = self.dossier.appel, self.dossier
        author = _property(answers.get("porteur_nom") or "")
        properties = document.core_properties
        properties.title = _property(answers.get("titre_projet") or appel.title)
        properties.subject = _property(f"{appel.agency} — {appel.title}")
        properties.author = properties.last_modified_by = author
        properties.comments = ""
        properties.keywords = _property(f"{_('appel à projets')}; {appel.id}")
        properties.category = _("Dossier de candidature")
        properties.language = language_tag()
        properties.created = properties.modified = self.dossier.modified.replace(tzinfo=None)
        properties.revision = 1
        section = document.sections[0]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(_("Page "))
        add_field(footer, "PAGE", "1")
        footer.add_run(" / ")
        add_field(footer, "NUMPAGES", "1")
        if self.review:
            header = section.header.paragraphs[0]
            header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = header.add_run(_("Version de travail — relecture interne — {date}").format(date=self.version_date))
            run.italic = True
            run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    def _cover(self) -> None:
        document, dossier, appel = self.document, self.dossier, self.dossier.appel
        agency = add_paragraph(document, )
        agency.add_run(_safe(appel.agency)).bold = True
        add_paragraph(document, _("Appel à projets"), style="Subtitle")
        add_paragraph(document, _safe(appel.title), style="Title")
        add_paragraph(document, _("Dossier de candidature"), style="Subtitle")
        table = add_table(document, rows=0, cols=2)
        table.style = "Table Grid"
        lead = " — ".join(_safe(dossier.get(q)) for q in ("porteur_nom", "porteur_fonction") if dossier.get(q))
        contact = " · ".join(_safe(display(appel.question(q), dossier.get(q)))
                             for q in ("porteur_email", "porteur_telephone") if appel.question(q) and dossier.get(q))
        amount = dossier.get("montant_demande")
        rows = [
            (_("Établissement"), _safe(dossier.get("etablissement") or ""), "etablissement"),
            (_("Titre du projet"), _safe(dossier.get("titre_projet") or ""), "titre_projet"),
            (_("Porteur de projet"), lead, "porteur_nom"),
            (_("Contact"), contact, "porteur_email"),
            (_("Montant demandé"), format_amount(amount) if amount is not None else "", "montant_demande"),
            (_("Date"), self.version_date, None),
        ]
        for label, value, question_id in rows:
            if question_id and appel.question(question_id) is None:
                continue  # a call that does not ask it
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(label).bold = True
            shade(cells[0], HEADER_FILL)
            if value:
                cells[1].paragraphs[0].add_run(value)
            elif self.review:
                self._placeholder(cells[1].paragraphs[0])
        set_widths(table, [Cm(5), Cm(TEXT_WIDTH_CM - 5)])
        if appel.platform:
            add_paragraph(document, )
            add_paragraph(document, _("Dépôt : {plateforme}").format(plateforme=_safe(appel.platform)))
        if appel.deadline:
            add_paragraph(document, _("Date limite de dépôt : {date}").format(date=format_date(appel.deadline)))
        add_paragraph(document, ).add_run().add_break(WD_BREAK.PAGE)

    def _contents(self) -> None:
        document = self.document
        add_paragraph(document, _("Sommaire"), style="TOC Heading")
        # Word fills the table of contents on opening (the field is dirty); until then, and in
        # viewers that do not update fields, the section titles are shown.
        paragraph = add_paragraph(document, )
        titles = [s.title for s in self.dossier.appel.sections]
        if self.review:
            titles.append(_("Points à vérifier"))
        add_field(paragraph, 'TOC \\o "1-2" \\h \\z \\u', "", dirty=True)
        run = paragraph.runs[3]
        for number, title in enumerate(titles):
            if number:
                run.add_break()
            run.add_text(_safe(title))
        document.add_section(WD_SECTION.NEW_PAGE)

    # -- sections and answers ------------------------------------------------------------------

    def _section(self, section: Section) -> None:
        add_heading(self.document, _safe(section.title), level=1)
        for question in section.questions:
            if not self.dossier.applies(question):
                continue
            value = self.dossier.get(question.id)
            missing = value is None or value == []
            if missing and not (self.review and question.required):
                if self.review:
                    add_heading(self.document, _safe(question.label), level=2)
                    add_paragraph(self.document, _("Sans réponse (facultatif)")).runs[0].italic = True
                continue
            add_heading(self.document, _safe(question.label), level=2)
            if missing:
                self._placeholder(add_paragraph(self.document, ))
            else:
                self._answer(question, value)
        if any(q.id == "depenses" for q in section.questions):
            self._funding_plan()

    def _placeholder(self, paragraph) -> None:
        run = paragraph.add_run(_(TO_COMPLETE))
        run.bold = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _answer(self, question: Question, value: Any) -> None:
        document = self.document
        if question.type is FieldType.LONG_TEXT:
            # Line breaks inside a paragraph come from the terminal or a paste, not from the
            # author: prose is joined, list items keep their own line.
            for block in paragraphs(_safe(value)):
                for line in block.split("\n"):
                    add_paragraph(document, line)
        elif question.type is FieldType.MULTIPLE_CHOICE:
            for choice in question.choices:
                mark = "☑" if choice.id in value else "☐"
                add_paragraph(document, f"{mark} {_safe(choice.label)}")
        elif question.type is FieldType.GROUP:
            self._group(question, value)
        else:
            add_paragraph(document, _safe(display(question, value)))

    def _group(self, question: Question, items: list[dict]) -> None:
        fields = question.fields
        table = self._table([f.label for f in fields], [_WEIGHTS.get(f.type, 2.0) for f in fields],
                            [f.type in NUMERIC_TYPES for f in fields])
        right = [f.type in NUMERIC_TYPES for f in fields]
        add_rows(table, [[_cell(field, item.get(field.id)) for field in fields] for item in items], right)
        amounts = [f for f in fields if f.type is FieldType.AMOUNT]
        if amounts and items:
            totals = [format_amount(group_sum(items, f.id)) if f.type is FieldType.AMOUNT else "" for f in fields]
            add_rows(table, [[_("Total"), *totals[1:]]], right, bold=True)
            self._subtotals(question, items, amounts)

    def _table(self, labels: list[str], weights: list[float], right: list[bool]):
        """A table with its header row (shaded, repeated on every page) and fixed widths."""
        table = add_table(self.document, rows=1, cols=len(labels))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, label, is_right in zip(table.rows[0].cells, labels, right):
            cell.paragraphs[0].add_run(_safe(label)).bold = True
            shade(cell, HEADER_FILL)
            if is_right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        total = sum(weights)
        set_widths(table, [Cm(TEXT_WIDTH_CM * w / total) for w in weights])
        keep_rows_whole(table)
        repeat_header_row(table)
        return table

    def _subtotals(self, question: Question, items: list[dict], amounts: list[Question]) -> None:
        """Budget lines by nature: the first choice field of the group, with the amount sums."""
        kind = next((f for f in question.fields if f.type is FieldType.CHOICE), None)
        if kind is None:
            return
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(amounts))
        for item in items:
            for index, field in enumerate(amounts):
                sums[item.get(kind.id) or ""][index] += item.get(field.id) or Decimal(0)
        caption = add_paragraph(self.document, )
        caption.paragraph_format.space_before = Pt(8)
        caption.add_run(_("Sous-totaux par {champ}").format(champ=_safe(kind.label).lower())).bold = True
        table = self._table([kind.label, *(f.label for f in amounts)],
                            [_WEIGHTS[FieldType.TEXT]] + [_WEIGHTS[FieldType.AMOUNT]] * len(amounts),
                            [False] + [True] * len(amounts))
        add_rows(table, [[_safe(choice.label), *(format_amount(total) for total in sums[choice.id])]
                         for choice in kind.choices if choice.id in sums], [False] + [True] * len(amounts))

    def _funding_plan(self) -> None:
        dossier = self.dossier
        expenses = group_sum(dossier.get("depenses"), "montant")
        cofunding = group_sum(dossier.get("cofinancements"), "montant")
        requested = dossier.get("montant_demande")
        add_heading(self.document, _("Plan de financement"), level=2)
        table = add_table(self.document, rows=0, cols=2)
        table.style = "Table Grid"
        rows = [(_("Total des dépenses"), expenses), (_("Montant demandé"), requested),
                (_("Cofinancements"), cofunding),
                (_("Total des ressources"), (requested or Decimal(0)) + cofunding)]
        for label, amount in rows:
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(label).bold = True
            shade(cells[0], HEADER_FILL)
            paragraph = cells[1].paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if amount is None:
                if self.review:
                    self._placeholder(paragraph)
            else:
                paragraph.add_run(format_amount(amount))
        set_widths(table, [Cm(10), Cm(TEXT_WIDTH_CM - 10)])

    def _points_to_check(self) -> None:
        document = self.document
        add_heading(document, _("Points à vérifier"), level=1)
        if not self.findings:
            add_paragraph(document, _("Les vérifications de cohérence n'ont relevé aucun point."))
            return
        table = self._table([_("Gravité"), _("Où"), _("Constat et que faire")], [2.1, 3.0, 5.4], [False] * 3)
        for finding in self.findings:
            cells = table.add_row().cells
            run = cells[0].paragraphs[0].add_run(_(SEVERITY_LABELS[finding.severity]))
            run.bold = True
            run.font.color.rgb = _SEVERITY_COLOURS[finding.severity.value]
            where = " › ".join(_safe(x) for x in (finding.section_title, finding.question_label, finding.item) if x)
            cells[1].paragraphs[0].add_run(where or _("Dossier"))
            cells[2].paragraphs[0].add_run(_safe(finding.message))
        keep_rows_whole(table)


def _cell(field: Question, value: Any) -> str:
    """A group item's value as one line of a table cell."""
    return "" if value is None else " ".join(_safe(display(field, value)).split("\n"))


def default_path(folder: Path, name: str, today: datetime, mode: Mode, overwrite: bool) -> Path:
    """`sorties/<nom>-<AAAA-MM-JJ>.docx` (with -depot for the submission version); an existing
    file gets a numbered suffix unless overwriting was asked for."""
    suffix = "-depot" if mode is Mode.SUBMISSION else ""
    return free_path(folder / f"{name}-{today:%Y-%m-%d}{suffix}.docx", overwrite)


def free_path(path: Path, overwrite: bool) -> Path:
    if overwrite or not path.exists():
        return path
    number = 2
    while (candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")).exists():
        number += 1
    return candidate
