"""The annexes of a dossier, numbered once for everyone who cites them: the annex list and the
text of the document, the checks (a declared file that does not exist) and the deposit folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .dossier import Dossier


@dataclass(frozen=True)
class Annex:
    number: int
    title: str
    path: Path | None  # as declared, `~` expanded; relative to where aap runs

    @property
    def file_name(self) -> str | None:
        """What the document shows: the file's name, never its folder (a path typed on Windows,
        `C:\\Users\\…\\programme.pdf`, included)."""
        from pathlib import PureWindowsPath

        return PureWindowsPath(str(self.path)).name if self.path is not None else None

    @property
    def exists(self) -> bool:
        try:
            return self.path is not None and self.path.is_file()
        except OSError:
            return False


def annexes(dossier: Dossier) -> list[Annex]:
    """The annexes in the order they were declared, numbered from 1."""
    layout = dossier.appel.document.annex_list
    if layout is None:
        return []
    found = []
    for number, item in enumerate(dossier.get(layout.group) or [], start=1):
        declared = item.get(layout.file)
        path = Path(str(declared)).expanduser() if declared else None
        found.append(Annex(number, str(item.get(layout.title) or ""), path))
    return found
