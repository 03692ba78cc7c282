"""Versions of a dossier: its answers as they were at a moment, and why that moment was kept (an
export, a review taken in, a restoration).

Where: next to the dossier's file, in the folder `<nom>.versions/` (0700), one file per version
`0001.json`, `0002.json`… (0600, written atomically, never replaced: two aap recording at once
get two numbers). A dossier opened by the path of a received file keeps its versions next to that
file. `aap liste` lists only the `.json` files of the dossiers' folder: a `.versions` folder is
never taken for a dossier.

Bound: at most MAX_VERSIONS (200) versions and MAX_VERSIONS_BYTES (20 MB) per dossier. Past
either, the oldest versions without a name (`nom`) go first, then the oldest named ones; the
version just recorded always stays. Restoring never loses anything: the current state is
recorded as a version before the old answers are put back.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import ConfigDict, Field

from .dossier import JSON, Dossier, Moment, now
from .errors import DossierError, InvalidAnswer, UsageError
from .files import FileError, FileTooLarge, private_folder, read_limited, write_private
from .i18n import _
from .schema import Model

if TYPE_CHECKING:
    from .model import Appel, Question
    from .store import Session, Store

MAX_VERSIONS = 200
MAX_VERSIONS_BYTES = 20_000_000
# One version alone never exceeds the whole bound: larger, it is refused when recorded (and a
# file that large is not read).
MAX_VERSION_FILE_BYTES = 20_000_000
FOLDER_SUFFIX = ".versions"
_FILE = re.compile(r"^(\d{4,9})\.json$")


class Kind(StrEnum):
    REVIEW_EXPORT = "export-relecture"
    SUBMISSION_EXPORT = "export-depot"
    AFTER_REVIEW = "apres-relecture"
    BEFORE_RESTORE = "avant-restauration"
    RESTORED = "restauration"


class Header(Model):
    """What a listing shows of a version: read without building its answers (`listing`)."""

    model_config = ConfigDict(extra="ignore")
    number: int = Field(alias="numero", ge=1)
    at: Moment = Field(alias="quand")
    kind: Kind = Field(alias="genre")
    label: str | None = Field(default=None, alias="nom")
    reviewers: list[str] = Field(default_factory=list, alias="relecteurs")
    export_id: str | None = Field(default=None, alias="export")
    # The version a restoration put back (RESTORED), or was about to (BEFORE_RESTORE).
    restored: int | None = Field(default=None, alias="version_retablie")


class Version(Header):
    model_config = ConfigDict(extra="forbid")
    appel: str
    fingerprint: str = Field(alias="empreinte_questionnaire")
    answers: dict[str, JSON] = Field(default_factory=dict, alias="reponses")
    # Opaque here: the export's comparison base, kept for `aap relire`.
    marks: JSON = Field(default=None, alias="reperes")


H = TypeVar("H", bound=Header)


class Versions(list[H], Generic[H]):
    """A dossier's versions, oldest first, with the files that did not read (their name and
    why): skipped, never an error, so that one damaged file hides none of the others."""

    def __init__(self, versions: Iterable[H] = (), unreadable: list[str] | None = None):
        super().__init__(versions)
        self.unreadable: list[str] = unreadable or []


@dataclass(frozen=True)
class Difference:
    """One answer that differs, as the user sees it (None: no answer)."""

    question_id: str
    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Comparison:
    """`aap comparer`: version `first` against `second` (None: the dossier now)."""

    name: str
    first: Version
    second: Version | None
    differences: list[Difference]


@dataclass
class Restoration:
    """What `restore` did: the dossier as restored, the version that keeps the state before, the
    version that records the restoration, and the answers of the old version that could not be
    put back (their question's label, or its id when the questionnaire no longer has it)."""

    dossier: Dossier
    before: Version
    after: Version
    skipped: list[str] = field(default_factory=list)


# -- places --------------------------------------------------------------------------------------


def folder(store: Store, name: str) -> Path:
    return store.folder / f"{name}{FOLDER_SUFFIX}"


def _file(store: Store, name: str, number: int) -> Path:
    return folder(store, name) / f"{number:04d}.json"


def _numbered(place: Path) -> list[tuple[int, Path, int]]:
    """(number, path, size) of the version files in `place`, by number; nothing when it is absent."""
    found = []
    try:
        entries = list(os.scandir(place))
    except OSError:
        return []
    for entry in entries:
        match = _FILE.match(entry.name)
        if match is None or entry.name != f"{int(match.group(1)):04d}.json":  # one name per number
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
        found.append((int(match.group(1)), Path(entry.path), size))
    return sorted(found)


# -- reading -------------------------------------------------------------------------------------


def _read(path: Path, model: type[H]) -> H:
    from pydantic import ValidationError

    try:
        raw = read_limited(path, MAX_VERSION_FILE_BYTES)
    except FileTooLarge:
        raise DossierError(_("le fichier fait plus de 20 Mo")) from None
    except OSError as error:
        from .files import reason

        raise DossierError(reason(error)) from None
    try:
        # Strict: what aap writes, not what a lax reading could make of a hand edit.
        return model.model_validate_json(raw, strict=True)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(step) for step in first["loc"]) or "?"
        raise DossierError(_("« {cle} » est absent ou mal formé").format(cle=where)) from None


def _numbered_read(path: Path, number: int, model: type[H]) -> H:
    version = _read(path, model)
    if version.number != number:  # copied or renamed by hand: the file's place decides
        version = version.model_copy(update={"number": number})
    return version


def _files(store: Store, name: str) -> list[tuple[int, Path, int]]:
    """The dossier's version files; a dossier that has neither a file nor versions is an error,
    as loading it is."""
    place = folder(store, name)
    files = _numbered(place)
    if not files and not store.path(name).is_file() and not place.is_dir():
        raise DossierError(
            _("aucun dossier « {nom} » dans {dossier} ; « aap liste » montre les dossiers existants").format(
                nom=name, dossier=store.folder))
    return files


def _all(store: Store, name: str, model: type[H]) -> Versions[H]:
    found, unreadable = [], []
    for number, path, _size in _files(store, name):
        try:
            found.append(_numbered_read(path, number, model))
        except DossierError as error:
            unreadable.append(_("{fichier} : {raison}").format(fichier=path.name, raison=error.message))
    return Versions(found, unreadable)


def versions(store: Store, name: str) -> Versions[Version]:
    """The dossier's versions, by number, answers included; a file that does not read is skipped
    and named in `.unreadable`. A dossier that has neither a file nor versions is an error, as
    loading it is."""
    return _all(store, name, Version)


def listing(store: Store, name: str) -> Versions[Header]:
    """As `versions`, without the answers and the marks: what `aap versions` shows, read fast
    (the JSON is scanned, never built, past the header)."""
    return _all(store, name, Header)


def latest(store: Store, name: str) -> Version | None:
    """The most recent readable version, None when there is none: reads one file, not all."""
    for number, path, _size in reversed(_numbered(folder(store, name))):
        try:
            return _numbered_read(path, number, Version)
        except DossierError:
            continue
    return None


def get(store: Store, name: str, number: int) -> Version:
    """Version `number`; a number that does not exist is refused with those that do."""
    files = {entry[0]: entry[1] for entry in _files(store, name)}
    if number in files:
        try:
            return _numbered_read(files[number], number, Version)
        except DossierError as error:
            raise DossierError(_("la version {numero} du dossier « {nom} » est illisible : {raison}").format(
                numero=number, nom=name, raison=error.message)) from None
    if not files:
        raise UsageError(_("le dossier « {nom} » n'a encore aucune version ; chaque export en enregistre une").format(
            nom=name))
    raise UsageError(_("le dossier « {nom} » n'a pas de version {numero} ; versions enregistrées : {numeros}").format(
        nom=name, numero=number, numeros=_ranges(sorted(files))))


def _ranges(numbers: list[int]) -> str:
    """« 1, 2 », « 4 à 200, 203 »: two hundred numbers said in a few words."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(_("{debut} à {fin}").format(debut=run[0], fin=run[-1]))
        else:
            parts.extend(str(n) for n in run)
    return ", ".join(parts)


def by_export(store: Store, name: str, export_id: str) -> Version | None:
    """The version an export recorded (its id is in the document), None when there is none
    (pruned, or an export of another copy of the dossier)."""
    header = next((v for v in reversed(listing(store, name)) if v.export_id == export_id), None)
    return get(store, name, header.number) if header is not None else None


# -- writing -------------------------------------------------------------------------------------


def _ensure_folder(store: Store, name: str) -> Path:
    place = folder(store, name)
    try:
        # aap's own folder, even next to a received file: private, and never someone else's.
        return private_folder(place, own=True)
    except FileError as error:
        raise DossierError(_("les versions du dossier « {nom} » ne peuvent pas être enregistrées : {raison}").format(
            nom=name, raison=error.message)) from None


def _write_new(store: Store, name: str, version: Version) -> Version:
    """Write `version` under the first free number from its own: never replaces a file, so two
    aap recording at the same moment each keep theirs."""
    _ensure_folder(store, name)
    for _attempt in range(100):
        data = version.model_dump_json(by_alias=True, indent=1).encode("utf-8") + b"\n"
        if len(data) > MAX_VERSION_FILE_BYTES:
            raise DossierError(_("la version du dossier « {nom} » dépasserait 20 Mo : elle n'est pas enregistrée").format(
                nom=name))
        path = _file(store, name, version.number)
        try:
            write_private(path, data, replace=False)
            return version
        except FileError as error:
            if not os.path.lexists(path):
                raise DossierError(_("les versions du dossier « {nom} » ne peuvent pas être enregistrées : {raison}").format(
                    nom=name, raison=error.message)) from None
        version = version.model_copy(update={"number": version.number + 1})
    raise DossierError(_("les versions du dossier « {nom} » ne peuvent pas être enregistrées : {raison}").format(
        nom=name, raison=_("trop d'enregistrements simultanés")))


def _last_number(store: Store, name: str) -> int:
    files = _numbered(folder(store, name))
    return files[-1][0] if files else 0


def record(store: Store, dossier: Dossier, kind: Kind, label: str | None = None, reviewers: tuple[str, ...] | list[str] = (),
           export_id: str | None = None, marks: JSON = None, restored: int | None = None) -> Version:
    """Keep the dossier's answers as they are now, as a new version; then hold the bound."""
    version = _record(store, dossier, kind, label, reviewers, export_id, marks, restored)
    prune(store, dossier.name, keep={version.number})
    return version


def _record(store: Store, dossier: Dossier, kind: Kind, label: str | None = None,
            reviewers: tuple[str, ...] | list[str] = (), export_id: str | None = None, marks: JSON = None,
            restored: int | None = None) -> Version:
    version = Version(number=_last_number(store, dossier.name) + 1, at=now(), kind=kind, label=label,
                      reviewers=list(reviewers), export_id=export_id, restored=restored, appel=dossier.appel.id,
                      fingerprint=dossier.appel.fingerprint, answers=dict(dossier.to_file().answers), marks=marks)
    return _write_new(store, dossier.name, version)


def prune(store: Store, name: str, keep: Collection[int] = ()) -> list[int]:
    """Hold the bound (MAX_VERSIONS, MAX_VERSIONS_BYTES): the oldest versions without a name go
    first, then the oldest named ones; `keep` (the versions just recorded) always stays.
    Returns the numbers removed."""
    files = _numbered(folder(store, name))
    count, size = len(files), sum(entry[2] for entry in files)
    if count <= MAX_VERSIONS and size <= MAX_VERSIONS_BYTES:
        return []  # the usual case: no file is read
    removed = []
    # Oldest first, unnamed ones on the first pass, named ones on the second: a header is read
    # only for the versions that may go, usually one or two.
    for named_pass in (False, True):
        for number, path, file_size in files:
            if count <= MAX_VERSIONS and size <= MAX_VERSIONS_BYTES:
                break
            if number in keep or number in removed or _has_label(path) != named_pass:
                continue
            try:
                os.unlink(path)
            except OSError:
                continue
            count, size = count - 1, size - file_size
            removed.append(number)
    return sorted(removed)


def _has_label(path: Path) -> bool:
    try:
        return bool(_read(path, Header).label)
    except DossierError:
        return False  # unreadable: nothing a name could protect


def copy_all(store: Store, source: str, target: str) -> int:
    """Give the copy `target` the versions of `source` (`aap dupliquer`); returns how many. A
    copy whose name already has versions (left by a dossier removed by hand) keeps them, and
    the source's come after them."""
    files = _numbered(folder(store, source))
    if not files:
        return 0
    place = _ensure_folder(store, target)
    offset = _last_number(store, target)
    for number, path, _size in files:
        data = read_limited(path, MAX_VERSION_FILE_BYTES)
        if offset:
            try:
                version = _read(path, Version)
            except DossierError:
                pass  # unreadable either way: copied as it is, under its new number
            else:
                version = version.model_copy(update={
                    "number": number + offset,
                    "restored": version.restored + offset if version.restored is not None else None})
                data = version.model_dump_json(by_alias=True, indent=1).encode("utf-8") + b"\n"
        try:
            write_private(place / f"{number + offset:04d}.json", data, replace=False)
        except FileError as error:
            raise DossierError(_("les versions du dossier « {nom} » ne peuvent pas être enregistrées : {raison}").format(
                nom=target, raison=error.message)) from None
    return len(files)


# -- comparing and restoring ---------------------------------------------------------------------


def shown(question: Question, saved: JSON) -> str | None:
    """A saved answer as the user reads it; a list, one line per item; None for no answer. A
    value that does not read back (edited by hand) is shown as it is written in the file."""
    from .fields import decode, kind_of
    from .model import FieldType

    if saved is None or saved in ([], ""):
        return None
    try:
        value = decode(question, saved)
    except InvalidAnswer:
        return json.dumps(saved, ensure_ascii=False)
    if question.type is not FieldType.GROUP:
        return kind_of(question).display(question, value)
    lines = []
    for number, item in enumerate(value, start=1):
        cells = [_("{champ} : {valeur}").format(champ=f.label, valeur=kind_of(f).display(f, item[f.id]))
                 for f in question.fields if f.id in item and item[f.id] is not None]
        lines.append(f"{number}. " + " · ".join(cells))
    return "\n".join(lines)


def differences(first: Dossier | dict[str, JSON], second: dict[str, JSON], appel: Appel) -> list[Difference]:
    """The answers whose saved value differs between `first` (a dossier, or a version's answers)
    and `second`, in the questionnaire's order, then the answers to questions it does not ask
    (by their id, as saved)."""
    before = first.raw if isinstance(first, Dossier) else first
    found = []
    asked = set()
    for question in appel.questions():
        asked.add(question.id)
        old, new = before.get(question.id), second.get(question.id)
        if _same(old, new):
            continue
        shown_old, shown_new = shown(question, old), shown(question, new)
        if shown_old != shown_new:
            found.append(Difference(question.id, question.label, shown_old, shown_new))
    for key in sorted((set(before) | set(second)) - asked):
        old, new = before.get(key), second.get(key)
        if not _same(old, new):
            found.append(Difference(key, key, _as_saved(old), _as_saved(new)))
    return found


def _same(a: JSON, b: JSON) -> bool:
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True, ensure_ascii=False)


def _as_saved(value: JSON) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def compare(store: Store, dossier: Dossier, first: int, second: int | None = None) -> Comparison:
    """Version `first` against version `second`, or against the dossier now."""
    old = get(store, dossier.name, first)
    new = get(store, dossier.name, second) if second is not None else None
    return Comparison(dossier.name, old, new,
                      differences(old.answers, new.answers if new is not None else dossier.raw, dossier.appel))


def restore(store: Store, session: Session, number: int) -> Restoration:
    """Put the answers of version `number` back in the dossier, through `Dossier.set` (so the
    history and /annuler see each change), after keeping the current state as a version: nothing
    is lost. An answer the version lacks is cleared; one whose question the questionnaire no
    longer asks, or that no longer reads, is left as it is now and named in `skipped`."""
    from .fields import decode

    old = get(store, session.name, number)
    dossier = session.load()
    before = _record(store, dossier, Kind.BEFORE_RESTORE, restored=number)
    skipped = []
    for question in dossier.appel.questions():
        saved = old.answers.get(question.id)
        if saved is None:
            if question.id in dossier.raw:
                dossier.set(question.id, None)
            continue
        try:
            value = decode(question, saved)
        except InvalidAnswer:
            skipped.append(question.label)
            continue
        dossier.set(question.id, value)
    asked = {question.id for question in dossier.appel.questions()}
    skipped += sorted(key for key in old.answers if key not in asked and not _same(old.answers[key], dossier.raw.get(key)))
    session.save(dossier)
    after = _record(store, dossier, Kind.RESTORED, restored=number)
    # Both stay whatever the bound: the state before is what makes the restoration undoable.
    prune(store, dossier.name, keep={before.number, after.number})
    return Restoration(dossier, before, after, skipped)
