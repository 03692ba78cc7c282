"""The export commands' core: choose the file, refuse a submission version that would be
refused, write; and the demo that shows the result without typing anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .checks import SEVERITY_LABELS, Finding, blocking, blocks_submission, check
from .dossier import Dossier
from .errors import ChecksFailed
from .i18n import _
from .resources import questionnaires_dir


@dataclass(frozen=True)
class Exported:
    dossier: Dossier
    path: Path
    mode: str
    findings: list[Finding]


def export_dossier(dossier: Dossier, mode: str, target: Path | None, overwrite: bool, force: bool,
                   folder: Path | None = None) -> Exported:
    from .export import Mode, default_path, export, free_path

    findings = check(dossier)
    chosen = Mode(mode)
    if chosen is Mode.SUBMISSION and blocks_submission(findings) and not force:
        raise ChecksFailed(
            _("la version de dépôt n'est pas produite : le dossier a encore des points bloquants ou des erreurs "
              "(corrigez-les, ou utilisez --forcer ; la version de relecture est toujours possible)"),
            details=[f"{_(SEVERITY_LABELS[f.severity])} — {f.message}" for f in blocking(findings)],
        )
    if target is None:
        path = default_path(folder or Path.cwd() / "sorties", dossier.name, date.today(), chosen, overwrite)
    else:
        path = free_path(target.expanduser(), overwrite)
    export(dossier, findings, chosen, path)
    return Exported(dossier, path, chosen.value, findings)


def demo(store) -> list[Exported]:
    """Load the shipped example into the dossier `exemple` and export both versions."""
    from .answers import fill

    example = questionnaires_dir() / "exemples" / "idf-2022-exemple.yaml"
    dossier, _changed = fill(store, example, None, "exemple")
    return [export_dossier(dossier, mode, None, overwrite=False, force=False) for mode in ("relecture", "depot")]
