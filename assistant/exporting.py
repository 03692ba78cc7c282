"""The export commands' core: choose the file, refuse a submission version that would be
refused, write; and the demo that shows the result without typing anything."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .checks import SEVERITY_LABELS, Finding, blocking, blocks_submission, check
from .dossier import Dossier
from .errors import ChecksFailed, UsageError
from .files import FileError, private_folder
from .i18n import DEFAULT_LANGUAGE, _, language, use_language
from .resources import questionnaires_dir


@dataclass(frozen=True)
class Exported:
    path: Path
    mode: str
    findings: list[Finding]


def export_dossier(dossier: Dossier, mode: str, target: Path | None, overwrite: bool, force: bool,
                   folder: Path | None = None) -> Exported:
    from .export import Mode, export

    findings = check(dossier)
    chosen = Mode(mode)
    if chosen is Mode.SUBMISSION and blocks_submission(findings) and not force:
        raise ChecksFailed(
            _("la version de dépôt n'est pas produite : le dossier a encore des points bloquants ou des erreurs "
              "(corrigez-les, ou utilisez --forcer ; la version de relecture est toujours possible)"),
            details=[f"{_(SEVERITY_LABELS[f.severity])} — {f.message}" for f in blocking(findings)],
        )
    # The review version speaks the user's language; the agency reads the submission in French.
    french = chosen is Mode.SUBMISSION and language() != DEFAULT_LANGUAGE
    for _attempt in range(5):
        path = _target(dossier.name, chosen, target, folder, overwrite)
        try:
            with use_language(DEFAULT_LANGUAGE) if french else nullcontext():
                written = _in_current_language(dossier) if french else dossier
                export(written, findings, chosen, path, overwrite=overwrite)
        except FileError:
            if overwrite or not path.exists():
                raise
            continue  # another export took that name meanwhile: the next free one
        return Exported(path, chosen.value, findings)
    raise FileError(_("aucun nom de fichier libre pour {fichier}").format(fichier=path))


def _target(name: str, mode, target: Path | None, folder: Path | None, overwrite: bool) -> Path:
    """Where the document goes: `sorties/` (private) under a name aap makes from the dossier's,
    or the `--sortie` the user chose (a folder: the usual name inside it)."""
    try:
        return _checked_target(_file_stem(name), mode, target, folder, overwrite)
    except OSError as error:  # a name too long, a folder we may not read…
        from .files import reason

        raise FileError(_("{fichier} : {raison}").format(fichier=target, raison=reason(error))) from None


def _checked_target(stem: str, mode, target: Path | None, folder: Path | None, overwrite: bool) -> Path:
    from .export import default_path, free_path

    if target is None:
        return default_path(private_folder(folder or Path.cwd() / "sorties"), stem, date.today(), mode, overwrite)
    target = target.expanduser()
    if target.is_dir():
        return default_path(target, stem, date.today(), mode, overwrite)
    if target.is_symlink():
        raise FileError(_("{fichier} est un lien symbolique : donnez le chemin du fichier lui-même").format(fichier=target))
    if target.exists() and not target.is_file():
        raise FileError(_("{fichier} n'est pas un fichier ordinaire : choisissez un fichier .docx").format(fichier=target))
    if target.suffix.lower() != ".docx":
        # Never replaces the dossier itself (`--sortie dossier.json --ecraser`) or another kind of file.
        target = target.with_name(target.name + ".docx")
    if not target.parent.exists():
        private_folder(target.parent)
    return free_path(target, overwrite)


def _file_stem(name: str) -> str:
    """A dossier received under any file name still exports under a plain one."""
    from .dossier import slugify

    try:
        return slugify(name)
    except UsageError:
        return "dossier"


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
