"""The standard streams as aap needs them: present whatever the environment (a closed
descriptor), safe for any encoding, and quiet when their reader went away (`aap montrer X |
head -1`). Used by the CLI at start and by the output when a pipe closes."""

from __future__ import annotations

import sys
from typing import Any


def standard_streams() -> None:
    """Standard streams that work whatever the environment. A closed descriptor (`aap nouveau
    <&-`) gets /dev/null, so that no file aap opens later takes its number and Python's missing
    stream becomes an empty or a discarding one; characters the output encodings cannot show
    are replaced (see i18n.console_safe)."""
    import os

    from .i18n import console_safe

    for number, name, flags, mode in ((0, "stdin", os.O_RDONLY, "r"), (1, "stdout", os.O_WRONLY, "w"),
                                      (2, "stderr", os.O_WRONLY, "w")):
        if getattr(sys, name, None) is not None:
            continue
        try:
            try:
                os.fstat(number)
            except OSError:
                # Numbers 0 to 2 are taken in order, so the lowest free one is this one.
                opened = os.open(os.devnull, flags)
                if opened != number:
                    os.dup2(opened, number)
                    os.close(opened)
            # Kept open for the life of the process: it stands in for the missing standard stream.
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115
        except OSError:
            pass
    console_safe(sys.stdout)
    console_safe(sys.stderr)


def silence_stream(stream: Any) -> None:
    """The reader of this stream went away: what is left to write goes to /dev/null, so neither
    a later print nor Python's last flush at exit fails ("Exception ignored", exit 120)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def flush_stdout(quietly: bool = False) -> None:
    """Flush now, where a closed pipe can still be caught, rather than at exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stream(sys.stdout)
    except (OSError, ValueError):
        if not quietly:
            raise
