"""Rows of cells that never break a name: a table when every cell fits whole, else one block per
row. For the lists whose first cells the user types again (`aap liste`, `aap appels`) and for the
answers of a list."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .consoles import CONTROLS

# A cell is a plain text, or a `Text` for a styled one. Columns in `whole` hold names or
# identifiers, which a break would make wrong to copy or to type again.
Cell = str | Text


def _inert(cell: Cell) -> Text:
    if isinstance(cell, Text):
        return cell
    return Text(CONTROLS.sub("\ufffd", cell))


def _breaks(cell: Cell, whole: bool) -> list[str]:
    """The pieces a cell may not be cut inside: its lines when whole, else its words (ordinary
    spaces only: a no-break space holds « 40 000,00 € » and « 100 % » together)."""
    lines = (cell.plain if isinstance(cell, Text) else cell).split("\n")
    return lines if whole else [word for line in lines for word in re.split(r"[ \t]+", line)]


def _column_widths(header: list[str], rows: list[list[Text]], whole: Collection[int], room: int) -> list[int] | None:
    """Widths that show every cell without cutting a word, nor a name anywhere: each column gets its
    widest unbreakable piece; what is left goes first to the columns that need little more to
    show their lines whole, then in equal shares to the long ones. None when even that does not
    fit in `room` cells. (rich's own layout cannot promise it: it narrows a column below its
    longest word, a no-wrap column too, while another has room to spare.)"""
    from rich.cells import cell_len

    columns = list(zip(header, *rows, strict=True))
    widths = [max(cell_len(piece) for cell in column for piece in _breaks(cell, index in whole))
              for index, column in enumerate(columns)]
    most = [max(cell_len(line) for cell in column for line in _breaks(cell, True)) for column in columns]
    spare = room - sum(widths)
    if spare < 0:
        return None
    wanting = sorted(range(len(columns)), key=lambda i: most[i] - widths[i])
    for rank, index in enumerate(wanting):
        given = min(most[index] - widths[index], spare // (len(wanting) - rank))
        widths[index] += given
        spare -= given
    return widths


class Rows:
    """Rows of cells: a table when every cell fits whole in the width it is given; otherwise one
    block per row, its first cell as a heading, then each other cell after its column's name.
    Either way no cell of a `whole` column is cut, nor any word; long texts wrap between words.
    Printed with `crop=False` at the top level, a heading longer than the screen stays whole."""

    def __init__(self, header: list[str], rows: list[list[Cell]], *, whole: Collection[int] = (),
                 right: Collection[int] = (), title: str | None = None, edge: bool = True,
                 first_style: str = "bold", heading: str = "{cellule}"):
        # Texts from a dossier or a questionnaire: plain (never markup), with no control character.
        self.rows = [[_inert(cell) for cell in row] for row in rows]
        self.header, self.whole, self.right = header, whole, right
        self.title, self.edge, self.first_style, self.heading = title, edge, first_style, heading
        count = len(header)
        # Borders between the columns (and around them with an edge), one cell of padding each side.
        self.extra = (count - 1) + 2 * count + (3 if edge else -2)

    def __rich_measure__(self, console: Console, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.measure import Measurement

        most = [max(cell_len(line) for cell in column for line in _breaks(cell, True))
                for column in zip(self.header, *self.rows, strict=True)]
        return Measurement(min(20, sum(most) + self.extra), sum(most) + self.extra).with_maximum(options.max_width)

    def __rich_console__(self, console: Console, options: Any) -> Iterator[Any]:
        widths = _column_widths(self.header, self.rows, self.whole, options.max_width - self.extra) if self.rows else None
        if widths is not None:
            # A title from a questionnaire (a section's) is plain text, never markup.
            title = _inert(self.title) if self.title is not None else None
            table = Table(title=title, title_justify="left", show_edge=self.edge, pad_edge=self.edge)
            for index, (name, width) in enumerate(zip(self.header, widths, strict=True)):
                table.add_column(_inert(name), width=width, no_wrap=index in self.whole, overflow="fold",
                                 style=self.first_style if index == 0 else None,
                                 justify="right" if index in self.right else "left")
            for row in self.rows:
                table.add_row(*row)
            yield table
            return
        if self.title is not None:
            yield Text(self.title, style="italic")
        for number, row in enumerate(self.rows):
            if self.title is not None or number:
                yield Text()
            yield Text(self.heading.format(cellule=row[0].plain), style=self.first_style, no_wrap=True, overflow="ignore")
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="dim", max_width=max(options.max_width // 3, 12))
            grid.add_column(overflow="fold")
            for index, (name, cell) in enumerate(zip(self.header[1:], row[1:], strict=True), start=1):
                if index in self.whole and " " not in cell.plain.strip():  # an id (not a sentence in its place)
                    # A name or an id on a line of its own, never cut: the terminal wraps it if it must.
                    line = Text.assemble("  ", (_inert(name).plain, "dim"), "  ", cell, no_wrap=True, overflow="ignore")
                    yield line
                else:
                    grid.add_row(_inert(name), cell)
            if grid.row_count:
                yield Padding(grid, (0, 0, 0, 2), expand=False)
