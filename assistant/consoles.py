"""The consoles aap prints through (rich), and what makes a text safe to give them: one console
for results and one for problems, made by `make_console`; `escape` and `markup` for texts that
come from users, dossiers and questionnaires; lines that rich must not break (a path, a long line
written to a file)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import IO, Any

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

# Wider than any real terminal: a COLUMNS of a billion would have rich pad every line of a table
# to that width (gigabytes for `aap montrer`). A width of 0 (some containers report a 0×0
# terminal) would have rich print nothing at all; below MIN_WIDTH a table shows no word whole.
MAX_WIDTH = 1000
MIN_WIDTH = 20
DEFAULT_WIDTH = 80


# rich breaks a line at any Unicode space (the `\s` of rich/_wrap.py, `str.split` in Text's
# measure), the no-break ones included: babel's « 40 000,00 € » (a narrow no-break space between
# digit groups, a no-break space before €) and French typography's « mot : » were cut there.
# Rather than patch rich's wrapping (private, and shared by the whole process), our consoles
# hand rich a stand-in for each of them: a noncharacter (Unicode keeps U+FDD0–U+FDEF for a
# program's internal use: never in a real text), one cell wide and not a space, so rich measures
# and wraps « 40▯000,00▯€ » as one word; the stand-ins become the real characters again when
# the console writes, so a copy of the screen gives the text as babel wrote it.
_NO_BREAK = "\u00a0\u202f\u2007"
_STAND_INS = "\ufdd0\ufdd1\ufdd2"
_HIDE = str.maketrans(_NO_BREAK, _STAND_INS)
_SHOW = str.maketrans(_STAND_INS, _NO_BREAK)
_HIDDEN = re.compile(f"[{_NO_BREAK}]")


def _hidden(text: Text) -> Text:
    """The text with stand-ins for its no-break spaces: the same length, so its styles stay put."""
    if not _HIDDEN.search(text.plain):
        return text
    copy = text.copy()
    copy.plain = copy.plain.translate(_HIDE)
    return copy


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits with code 1; the reader merely stopped reading (`aap montrer X | head -1`):
        # the rest is discarded and the command ends with its own exit code.
        from .streams import silence_stream

        self.quiet = True
        silence_stream(self.file)

    # Every text reaches the wrapping through one of these two: strings and markup (cells,
    # titles, paragraphs) through render_str, `Text` objects through render.
    def render_str(self, text: str, *args: Any, **kwargs: Any) -> Text:
        return _hidden(super().render_str(text, *args, **kwargs))

    def render(self, renderable: Any, options: Any = None) -> Any:
        return super().render(_hidden(renderable) if isinstance(renderable, Text) else renderable, options)

    # And every output leaves through these: the segments written (also to a legacy Windows
    # console, which does not go through _render_buffer), captured or paged.
    def _check_buffer(self) -> None:
        if self._buffer_index == 0:  # about to be written (a capture or a pager renders its own)
            buffer = self._buffer
            buffer[:] = [Segment(text.translate(_SHOW), style, control) for text, style, control in buffer]
        super()._check_buffer()

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(buffer).translate(_SHOW)


def make_console(stderr: bool = False, file: IO[str] | None = None, width: int | None = None) -> Console:
    """The console of `console()` and `err_console()`; a file and a width for a test."""
    stream = file if file is not None else sys.stderr if stderr else sys.stdout
    try:
        terminal = bool(stream and stream.isatty())
    except (ValueError, OSError):
        terminal = False
    # Emoji codes (`:smile:`) in an answer stay as typed. Legacy Windows rendering goes through
    # the console API, which only a real console has: a redirected stream is written as text.
    out = _Console(stderr=stderr, file=file, width=width, highlight=False, emoji=False,
                   legacy_windows=None if terminal else False)
    if out.width > MAX_WIDTH:
        out.width = MAX_WIDTH
    elif out.width < 1:
        out.width = DEFAULT_WIDTH
    elif out.width < MIN_WIDTH:
        out.width = MIN_WIDTH
    return out


# Control characters other than line breaks and tabs: rich passes ESC through, so a dossier's
# name or an answer key could move the cursor, retitle the terminal or write to its clipboard.
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape(text: object) -> str:
    """A text from a user, a dossier or a questionnaire, inert in rich's markup: `[/]` or
    `[link=…]` are shown as typed instead of being read as tags, control characters as �."""
    from rich.markup import escape as rich_escape

    return rich_escape(CONTROLS.sub("\ufffd", str(text)))


def markup(template: str, **values: object) -> str:
    """One of our messages, which may carry markup, with its values escaped."""
    return template.format(**{key: escape(value) for key, value in values.items()})


def long_line(out: Console, text: str) -> None:
    """In a terminal rich wraps between words; written to a file or a pipe, where rich would
    cut at 80 columns, the line is kept whole."""
    out.print(text, soft_wrap=not out.is_terminal)


def path_line(out: Console, path: object, style: str = "") -> None:
    """A path (or a command that names one) alone on its line, which rich never breaks: a
    terminal narrower than it wraps it by itself, and a copy of it gives it whole."""
    out.print(Text("  " + CONTROLS.sub("\ufffd", str(path)), style=style), soft_wrap=True)
