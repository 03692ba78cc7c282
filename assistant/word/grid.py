"""The review version's grid of the call's selection criteria, after « État du dossier »: one
row per criterion — the call's wording, what the dossier provides, what to strengthen (the
first thing to do in bold), its status. A reading aid, said as such above the table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.shared import Pt, RGBColor
from docx.table import _Cell

from ..criteria import STATUS_LABELS, Assessment, Status
from ..i18n import N_, _
from ..output import grid_disclaimer
from .ooxml import keep_rows_whole

if TYPE_CHECKING:
    from .document import _Writer

_STATUS_COLOURS = {Status.SOLID: RGBColor(0x2E, 0x7D, 0x32), Status.TO_STRENGTHEN: RGBColor(0xB2, 0x6A, 0x00),
                   Status.ABSENT: RGBColor(0xC0, 0x00, 0x00)}
GRID_TITLE = N_("Grille de lecture : les critères de sélection de l'appel")


def write_grid(writer: _Writer, grid: list[Assessment]) -> None:
    from .document import _safe

    writer._heading(_(GRID_TITLE), 1, new_page=True)
    writer._paragraph(grid_disclaimer()).runs[0].italic = True
    labels = [_("Critère de l'appel"), _("Le dossier apporte"), _("À renforcer"), _("État")]
    table = writer._table(labels, [3.4, 3, 4, 1.7], [False] * 4)
    style = writer._style("Table Text")
    for row in grid:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        cells[0].paragraphs[0].add_run(_safe(row.criterion.label)).bold = True
        if row.criterion.source:
            cells[0].add_paragraph().add_run(_safe(_("L'appel : « {source} »").format(
                source=row.criterion.source))).italic = True
        looks_for = cells[0].add_paragraph()
        looks_for.paragraph_format.space_before = Pt(4)
        looks_for.add_run(_safe(_("Le comité regarde : {attendu}").format(attendu=row.criterion.looks_for))).italic = True
        provided = [f"{p.title} ({p.measure})" if p.measure else p.title for p in row.provided] or ["—"]
        _lines(cells[1], provided)
        if row.next_step:
            first = cells[2].paragraphs[0]
            first.add_run(_safe(_("À faire d'abord : "))).bold = True
            first.add_run(_safe(row.next_step))
            _lines(cells[2], row.weak[1:], start=False)
        else:
            cells[2].paragraphs[0].add_run("—")
        status = cells[3].paragraphs[0].add_run(_safe(_(STATUS_LABELS[row.status])))
        status.bold = True
        status.font.color.rgb = _STATUS_COLOURS[row.status]
        for cell in cells:
            for paragraph in cell.paragraphs:
                paragraph.style = style
    keep_rows_whole(table)  # a criterion is read whole, on one page


def _lines(cell: _Cell, texts: list[str], start: bool = True) -> None:
    from .document import _safe

    for number, text in enumerate(texts):
        paragraph = cell.paragraphs[0] if start and number == 0 else cell.add_paragraph()
        paragraph.add_run(_safe(text))
        if paragraph is not cell.paragraphs[0]:
            paragraph.paragraph_format.space_before = Pt(4)  # points apart, in a narrow column
