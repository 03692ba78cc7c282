"""The export commands' core: choose the file, refuse a submission version that would be
refused, write; and the demo that shows the result without typing anything."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .checks import SEVERITY_LABELS, Finding, blocking, blocks_submission, check
from .dossier import Dossier
from .errors import ChecksFailed
from .i18n import DEFAULT_LANGUAGE, _, language, use_language
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
    # The review version speaks the user's language; the agency reads the submission in French.
    french = chosen is Mode.SUBMISSION and language() != DEFAULT_LANGUAGE
    with use_language(DEFAULT_LANGUAGE) if french else nullcontext():
        written = _in_current_language(dossier) if french else dossier
        export(written, findings, chosen, path)
    return Exported(dossier, path, chosen.value, findings)


def _in_current_language(dossier: Dossier) -> Dossier:
    """The same answers, with the questionnaire's texts read again in the current language."""
    from .loading import find_appel

    return replace(dossier, appel=find_appel(dossier.appel.id))


def demo(store) -> list[Exported]:
    """Load the shipped example into the dossier `exemple` and export both versions."""
    from .answers import fill

    example = questionnaires_dir() / "exemples" / "idf-2022-exemple.yaml"
    dossier, _changed = fill(store, example, None, "exemple")
    return [export_dossier(dossier, mode, None, overwrite=False, force=False) for mode in ("relecture", "depot")]
