"""Long output through a pager, in a terminal only: `aap montrer` and `aap appels ID`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console


def _on_screen(out: Console) -> bool:
    try:
        return out.is_terminal and out.file.isatty()
    except (ValueError, OSError):  # a closed or odd stream: not a screen to page on
        return False


@contextmanager
def paged(out: Console) -> Iterator[None]:
    """What is printed inside, through the pager when it is longer than the screen of a
    terminal; as is otherwise, and always in a pipe or a file. Rendered once, with its colours."""
    if not _on_screen(out):
        yield
        return
    with out.capture() as captured:
        yield
    text = captured.get()
    if text.count("\n") < out.height or not _page(text, out.encoding):
        out.file.write(text)
        out.file.flush()


def _page(text: str, encoding: str) -> bool:
    """Whether a pager showed the text: PAGER, else less. Not rich's `console.pager()`: through
    pydoc, a PAGER that does not exist leaves the screen empty but for the shell's complaint;
    here the text is then printed instead, as when there is no pager at all (Windows). less
    shows colours with -R, given when the user's LESS says nothing (theirs is kept as it is)."""
    import os
    import shutil
    import subprocess

    command = os.environ.get("PAGER", "").strip() or ("less" if shutil.which("less") else "")
    if not command:
        return False
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, encoding=encoding, errors="replace",
                                 env={**os.environ, "LESS": _less_options(os.environ.get("LESS"))})
    except OSError:
        return False
    stdin = pager.stdin
    assert stdin is not None  # asked for by stdin=PIPE
    try:
        with stdin:
            stdin.write(text)
    except (OSError, KeyboardInterrupt):
        pass  # the reader quit before the end (or pressed Ctrl-C, which the pager handles)
    while True:
        try:
            # Anything but a clean exit (the shell's « cannot run » 126 and « not found » 127, a
            # pager that fails, PAGER=false) may have shown nothing: the text is printed then.
            return pager.wait() == 0
        except KeyboardInterrupt:
            continue


def _less_options(users: str | None = None) -> str:
    """less for someone who has never met it: colours (-R), the text left on screen after it
    quits (-X), and a prompt that says how to go on and how to leave (its `:` escaped). A user's
    own LESS is kept, with -R added: without it, the colours would show as escape codes."""
    from .i18n import _

    if users is not None and users.strip():
        return users if "R" in users.replace("-", "") else f"{users} -R"

    # ASCII: less shows other characters by their codes unless its charset says UTF-8.
    prompt = _("Espace : suite, b : retour, q : quitter").replace(":", "\\:").replace("?", "\\?")
    return f"-RX -Ps{prompt}$"
