"""The export commands' core: choose the file, refuse a submission version that would be
refused, write; the PDF and the deposit folder beside it; and the demo that shows the result
without typing anything.

Names: `sorties/<nom>-<AAAA-MM-JJ>-relecture.docx` and `…-depot.docx`, the PDF under the same
name with `.pdf`, the deposit folder `sorties/<nom>-depot/`. A name already taken gets a number
(`-2`), unless `--ecraser` was asked for.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import unicodedata
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .annexes import Annex, annexes
from .checks import SEVERITY_LABELS, SEVERITY_ORDER, Finding, blocking, blocks_submission, check
from .dossier import Dossier
from .errors import AapError, ChecksFailed, UsageError
from .files import (
    FileError,
    FileTooLarge,
    fsync_folder,
    private_folder,
    read_limited,
    reason,
    remove_stale,
    write_private,
)
from .i18n import DEFAULT_LANGUAGE, _, language, use_language
from .resources import questionnaires_dir

if TYPE_CHECKING:  # python-docx is imported only when a document is written
    from .store import Store
    from .word.document import Mode
    from .word.marks import Marking

REVIEW_SUFFIX = "-relecture"
SUBMISSION_SUFFIX = "-depot"
DEPOSIT_FOLDER_SUFFIX = "-depot"
# Démarches simplifiées takes attachments of 200 MB at most: a larger annex cannot be deposited.
MAX_ANNEX_BYTES = 200 * 1024 * 1024
# « Annexe 12 - » and the extension come on top: the whole name stays far below 255 bytes.
MAX_ANNEX_TITLE_BYTES = 120
# Characters no file name may hold on Windows, macOS or Linux.
_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')
_EXTENSION = re.compile(r"\.[0-9A-Za-z]{1,10}")


@dataclass(frozen=True)
class Deposit:
    """The deposit folder: where it is, the files it holds (in upload order), and the annexes
    that could not be put in it (no file given, or a file that does not exist)."""

    folder: Path
    files: list[str]
    missing: list[Annex] = field(default_factory=list)


@dataclass(frozen=True)
class Exported:
    path: Path
    mode: str
    findings: list[Finding]
    pdf: Path | None = None              # the PDF written beside the .docx (`--pdf`)
    deposit: Deposit | None = None       # the deposit folder (`--depot`)
    problems: tuple[AapError, ...] = ()  # what was asked and could not be done: exit code 2
    notes: tuple[AapError, ...] = ()     # what was not done and need not be (no LibreOffice for --depot)

    @property
    def exit_code(self) -> int:
        return max((int(problem.exit_code) for problem in self.problems), default=0)


def export_dossier(dossier: Dossier, mode: str, target: Path | None, overwrite: bool, force: bool,
                   folder: Path | None = None, pdf: bool = False, deposit: bool = False,
                   checked_on: date | None = None, store: Store | None = None,
                   label: str | None = None) -> Exported:
    """Write the Word document; with `pdf`, its PDF beside it; with `deposit` (submission
    version only), the deposit folder. The .docx is written even when the PDF cannot be. The
    checks are made as of `checked_on` (today by default). With the dossier's `store`, the
    export is recorded as a version (named `label`), and the review version is marked for the
    way back (`aap relire`), its comparison base kept in that version."""
    from .word.document import Mode, export
    from .word.marks import Marking

    findings = check(dossier, checked_on)
    chosen = Mode(mode)
    submission = chosen is Mode.SUBMISSION
    if submission and blocks_submission(findings) and not force:
        raise ChecksFailed(
            _("la version de dépôt n'est pas produite : le dossier a encore des points bloquants ou des erreurs "
              "(corrigez-les, ou utilisez --forcer ; la version de relecture est toujours possible)"),
            details=[f"{_(SEVERITY_LABELS[f.severity])} — {f.message}"
                     for f in sorted(blocking(findings), key=lambda f: SEVERITY_ORDER[f.severity])],
        )
    deposit = deposit and submission
    # A submission forced past its blocking findings says « PROJET — NON DÉPOSABLE » on every page.
    forced = submission and force and blocks_submission(findings)
    # The review version speaks the user's language; the agency reads the submission in French.
    french = submission and language() != DEFAULT_LANGUAGE
    companions = (".pdf",) if pdf else ()
    marking = Marking(export_id(dossier), dossier.name) if store is not None and not submission else None
    for _attempt in range(5):
        path = _target(dossier.name, chosen, target, folder, overwrite, companions)
        try:
            with use_language(DEFAULT_LANGUAGE) if french else nullcontext():
                written = _in_current_language(dossier) if french else dossier
                export(written, findings, chosen, path, overwrite=overwrite, forced=forced, marking=marking)
        except FileError:
            if overwrite or not path.exists():
                raise
            continue  # another export took that name meanwhile: the next free one
        break
    else:
        raise FileError(_("aucun nom de fichier libre pour {fichier}").format(fichier=path))
    result = Exported(path, chosen.value, findings)
    if store is not None:
        try:
            _record(store, dossier, path, marking, label)
        except AapError as error:  # the document is written: said, not undone
            result = replace(result, notes=(*result.notes, AapError(
                _("le document est écrit, mais sa version n'est pas enregistrée ({raison}) : aap relire ne "
                  "pourra pas le reprendre").format(raison=error.message))))
    if pdf or deposit:
        result = _pdf_and_deposit(result, dossier, pdf, deposit, overwrite, review=not submission)
    return result


def export_id(dossier: Dossier) -> str:
    """The id a review version carries: the same dossier in the same state and language gives
    the same id (and the same bytes), another dossier or state another id."""
    import hashlib

    key = "|".join((dossier.name, dossier.modified.isoformat(), language(), dossier.appel.fingerprint))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _record(store: Store, dossier: Dossier, path: Path, marking: Marking | None, label: str | None) -> None:
    from . import versions

    kind = versions.Kind.REVIEW_EXPORT if marking is not None else versions.Kind.SUBMISSION_EXPORT
    export = marking.export_id if marking is not None else None
    last = versions.latest(store, dossier.name)
    if last is not None and label is None and last.kind is kind and last.answers == dossier.to_file().answers \
            and last.export_id == export:
        return  # the same export again: its version is there
    marks = None
    if marking is not None:
        from .review.base import make_base

        marks = make_base(path, marking, dossier)
    versions.record(store, dossier, kind, label=label, export_id=export, marks=marks)


def _pdf_and_deposit(result: Exported, dossier: Dossier, pdf: bool, deposit: bool, overwrite: bool,
                     review: bool) -> Exported:
    from . import pdf as converter

    problems: list[AapError] = []
    notes: list[AapError] = []
    data = None
    try:
        # The review version's Word comments are removed from the copy converted: a reader of
        # the PDF gets the document, the findings stay on its first page.
        data = converter.convert(result.path, remove_comments=review)
    except converter.OfficeMissing as missing:
        # The deposit folder is complete without a PDF; only an explicit --pdf needs LibreOffice.
        if pdf:
            problems.append(missing)
        else:
            notes.append(converter.OfficeMissing(deposit=True))
    except converter.PdfError as failed:
        problems.append(failed)
    pdf_path = None
    if pdf and data is not None:
        pdf_path = result.path.with_suffix(".pdf")
        try:
            write_private(pdf_path, data, replace=overwrite)
        except FileError as error:
            problems.append(error)
            pdf_path = None
    folder = None
    if deposit:
        try:
            folder = write_deposit(dossier, result.path, data, overwrite)
        except FileError as error:
            problems.append(error)
    return replace(result, pdf=pdf_path, deposit=folder, problems=tuple(problems), notes=tuple(notes))


# -- the deposit folder ---------------------------------------------------------------------------

def annex_file_name(annex: Annex) -> str:
    """« Annexe 1 - <titre>.<ext> », a name every file system takes: none of / \\ : * ? " < > |,
    no control character, no trailing dot or space, bounded length. French, like the
    submission version: these are the files the agency receives."""
    title = unicodedata.normalize("NFC", annex.title)
    title = "".join(" " if unicodedata.category(c).startswith("C") else c for c in title)
    title = " ".join(_FORBIDDEN.sub(" ", title).split())
    encoded = title.encode("utf-8")
    if len(encoded) > MAX_ANNEX_TITLE_BYTES:
        title = encoded[:MAX_ANNEX_TITLE_BYTES].decode("utf-8", errors="ignore")
    title = title.rstrip(". ")
    stem = f"Annexe {annex.number} - {title}" if title else f"Annexe {annex.number}"
    suffix = annex.path.suffix if annex.path is not None else ""
    return stem + (suffix.lower() if _EXTENSION.fullmatch(suffix) else "")


def write_deposit(dossier: Dossier, docx: Path, pdf_data: bytes | None, overwrite: bool) -> Deposit:
    """`<nom>-depot/` beside the .docx: the document, its PDF, the annexes renamed; nothing else.
    Built in a private temporary folder beside it, then renamed into place: an interrupted run
    never leaves half a folder under the final name."""
    parent = docx.parent
    stem = _file_stem(dossier.name)
    missing: list[Annex] = []
    sources: list[tuple[str, Path | bytes, Annex | None]] = [(docx.name, docx, None)]
    if pdf_data is not None:
        sources.append((docx.with_suffix(".pdf").name, pdf_data, None))
    for annex in annexes(dossier):
        if annex.exists:
            sources.append((annex_file_name(annex), annex.path, annex))  # type: ignore[arg-type]
        else:
            missing.append(annex)
    # What a run killed while building left (SIGKILL, power cut), once it is old.
    remove_stale(parent, f".{stem}{DEPOSIT_FOLDER_SUFFIX}", (".tmp", ".old"))
    try:
        # mkdtemp: 0700 whatever the umask; the files inside are written 0600 by write_private.
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{stem}{DEPOSIT_FOLDER_SUFFIX}.", suffix=".tmp"))
    except OSError as error:
        raise FileError(_("création du répertoire {dossier} impossible : {raison}").format(
            dossier=parent / f"{stem}{DEPOSIT_FOLDER_SUFFIX}", raison=reason(error)), reason(error)) from None
    try:
        for name, source, owner in sources:
            data = source if isinstance(source, bytes) else _read(source, owner)
            write_private(staging / name, data, replace=False)
        final = _place(staging, parent / f"{stem}{DEPOSIT_FOLDER_SUFFIX}", overwrite)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Deposit(final, [name for name, _source, _annex in sources], missing)


def _read(path: Path, annex: Annex | None) -> bytes:
    try:
        return read_limited(path, MAX_ANNEX_BYTES)
    except FileTooLarge:
        raise FileError(_("Annexe {numero} « {titre} » : le fichier « {fichier} » dépasse {n} Mo, la taille "
                          "maximale d'une pièce jointe ; le dossier de dépôt n'est pas écrit").format(
            numero=annex.number if annex else "", titre=annex.title if annex else "", fichier=path.name,
            n=MAX_ANNEX_BYTES // (1024 * 1024))) from None
    except OSError as error:
        raise FileError(_("lecture de {fichier} impossible : {raison} ; le dossier de dépôt n'est pas écrit").format(
            fichier=path.name if annex else path, raison=reason(error)), reason(error)) from None


def _place(staging: Path, wanted: Path, overwrite: bool) -> Path:
    """Rename the finished folder to `wanted`; one that exists is replaced only when asked
    (the old one is moved aside first, then removed), else the next numbered name is used."""
    try:
        if overwrite:
            if wanted.is_symlink() or (wanted.exists() and not wanted.is_dir()):
                raise FileError(_("{dossier} existe et n'est pas un répertoire : il n'est pas remplacé").format(
                    dossier=wanted))
            if wanted.exists():
                aside = wanted.with_name(f".{wanted.name}.{secrets.token_hex(6)}.old")
                os.rename(wanted, aside)
                try:
                    os.rename(staging, wanted)
                except OSError:
                    os.rename(aside, wanted)
                    raise
                fsync_folder(wanted.parent)
                shutil.rmtree(aside, ignore_errors=True)
                return wanted
        for number in range(1, 1000):
            candidate = wanted if number == 1 else wanted.with_name(f"{wanted.name}-{number}")
            if candidate.exists() or candidate.is_symlink():
                continue
            try:
                os.rename(staging, candidate)
            except OSError as error:
                if candidate.exists():  # taken meanwhile by another export
                    continue
                raise error
            fsync_folder(candidate.parent)
            return candidate
    except OSError as error:
        raise FileError(_("écriture de {fichier} impossible : {raison} ; rien n'a été modifié").format(
            fichier=wanted, raison=reason(error)), reason(error)) from None
    raise FileError(_("aucun nom de fichier libre pour {fichier}").format(fichier=wanted))


# -- where the document goes ----------------------------------------------------------------------

def _target(name: str, mode: Mode | str, target: Path | None, folder: Path | None, overwrite: bool,
            companions: tuple[str, ...] = ()) -> Path:
    """Where the document goes: `sorties/` (private) under a name aap makes from the dossier's,
    or the `--sortie` the user chose (a folder: the usual name inside it). `companions` are the
    other files written under the same name (`.pdf`): the name is free only if they are too."""
    try:
        return _checked_target(_file_stem(name), mode, target, folder, overwrite, companions)
    except OSError as error:  # a name too long, a folder we may not read…
        raise FileError(_("{fichier} : {raison}").format(fichier=target, raison=reason(error))) from None


def _checked_target(stem: str, mode: Mode | str, target: Path | None, folder: Path | None, overwrite: bool,
                    companions: tuple[str, ...] = ()) -> Path:
    if target is None:
        return default_path(private_folder(folder or Path.cwd() / "sorties", own=True), stem, date.today(), mode, overwrite,
                            companions)
    target = target.expanduser()
    if target.is_dir():
        return default_path(target, stem, date.today(), mode, overwrite, companions)
    if target.is_symlink():
        raise FileError(_("{fichier} est un lien symbolique : donnez le chemin du fichier lui-même").format(fichier=target))
    if target.exists() and not target.is_file():
        raise FileError(_("{fichier} n'est pas un fichier ordinaire : choisissez un fichier .docx").format(fichier=target))
    if target.suffix.lower() != ".docx":
        # Never replaces the dossier itself (`--sortie dossier.json --ecraser`) or another kind of file.
        target = target.with_name(target.name + ".docx")
    if not target.parent.exists():
        private_folder(target.parent)
    return free_path(target, overwrite, companions)


def default_path(folder: Path, name: str, today: date, mode: Mode | str, overwrite: bool,
                 companions: tuple[str, ...] = ()) -> Path:
    """`sorties/<nom>-<AAAA-MM-JJ>-relecture.docx` or `…-depot.docx`; an existing file gets a
    numbered suffix unless overwriting was asked for."""
    suffix = SUBMISSION_SUFFIX if str(getattr(mode, "value", mode)) == "depot" else REVIEW_SUFFIX
    return free_path(folder / f"{name}-{today:%Y-%m-%d}{suffix}.docx", overwrite, companions)


def free_path(path: Path, overwrite: bool, companions: tuple[str, ...] = ()) -> Path:
    def taken(candidate: Path) -> bool:
        return any(p.exists() or p.is_symlink()
                   for p in (candidate, *(candidate.with_suffix(c) for c in companions)))

    if overwrite or not taken(path):
        return path
    number = 2
    while taken(candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")):
        number += 1
    return candidate


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


def _demo_name(store: Store, example: Path) -> str:
    """`exemple`, unless the user has a dossier of that name of their own: the demo never
    overwrites anyone's answers (`exemple-2`, `exemple-3`… then)."""
    from .answers import parse_answers, read_answers_file
    from .dossier import Dossier
    from .errors import AapError
    from .loading import find_appel

    content = read_answers_file(example)
    appel = find_appel(str(content.appel))
    shipped = Dossier.new("exemple", appel)
    for question_id, value in parse_answers(appel, content.answers).items():
        shipped.set(question_id, value)
    number = 1
    while True:
        name = "exemple" if number == 1 else f"exemple-{number}"
        existing = store.existing(name)
        if existing is None:
            return name
        try:
            if store.load(existing).raw == shipped.raw:  # a previous demo, untouched
                return existing
        except AapError:
            pass
        number += 1


def demo(store: Store) -> tuple[Path, list[Exported], date | None]:
    """Load the shipped example into the dossier `exemple` (or the next free name) and export
    both versions; returns the dossier's file and the exports."""
    from .answers import fill

    example = questionnaires_dir() / "exemples" / "idf-2022-exemple.yaml"
    dossier, _changed = fill(store, example, None, _demo_name(store, example))
    checked_on = demo_date(dossier.appel.deadline)
    return store.path(dossier.name), [export_dossier(dossier, mode, None, overwrite=False, force=False, checked_on=checked_on,
                                                     store=store)
                          for mode in ("relecture", "depot")], checked_on


def demo_date(deadline: date | None) -> date | None:
    """The example's call closed long ago: checked today, it would be refused for its date alone.
    The demo checks it as of the day before the deadline, as if it were being written then."""
    return deadline - timedelta(days=1) if deadline is not None else None
