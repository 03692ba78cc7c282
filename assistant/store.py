"""The dossier store: one JSON file per dossier in one folder.

Promises: a save is atomic and durable (temporary file, fsync, rename, fsync of the folder),
private (0600 in a 0700 folder) and keeps the previous good version as `<nom>.json.bak`; a
damaged file is reported, never rewritten; one writer at a time, through a kernel lock: the store
only reads, and writing is done through a `Session`, which exists only while it holds the
dossier's lock (`with store.session(nom) as session: session.save(dossier)`). Creating or copying
never replaces a file (exclusive creation, under the lock).

A dossier's name is its file name: the `nom` written inside is never used to decide where to
write, so a file received from someone else, renamed or copied by hand, is written back where it
was found and nowhere else.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from . import summary_cache
from .dossier import SCHEMA_VERSION, Dossier, DossierFile, Position, name_key, now
from .errors import AapError, DossierError, QuestionnaireError, UsageError
from .files import PRIVATE_FILE, FileError, dossier_names, private_folder, write_private
from .i18n import _
from .locking import Lock
from .model import Appel
from .summary_cache import Summary
from .text import shorten

MAX_DOSSIER_BYTES = 10_000_000


class Store:
    def __init__(self, folder: Path, find_appel: Callable[[str], Appel], own: bool = True):
        self.folder = folder
        self._find_appel = find_appel
        # aap's own store is kept private (see files.private_folder); a received file's folder is not.
        self.own = own

    # -- paths ---------------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def backup_path(self, name: str) -> Path:
        return self.folder / f"{name}.json.bak"

    def names(self) -> list[str]:
        return dossier_names(self.folder)

    def existing(self, name: str) -> str | None:
        """The stored name that is the same as `name` for a file system that ignores case and
        Unicode form (Windows, macOS): two such names are one dossier, never two files."""
        if self.path(name).is_file():
            return name
        key = name_key(name)
        return next((stored for stored in self.names() if name_key(stored) == key), None)

    def exists(self, name: str) -> bool:
        return self.existing(name) is not None

    def find(self, name: str, prefix: bool = False) -> str:
        """The stored dossier a typed name designates: the same name, else the one that differs
        only by case or accents (`projet-ete` finds `projet-été`), else, with `prefix`, the only
        one it begins (`ch-sainte` finds `ch-sainte-helene-radio-interventionnelle`): nobody
        should have to type a long name in full to open a dossier. A beginning shared by several
        is refused with their names. A name that designates none is returned unchanged (loading
        it then says so; `remplir` creates it: it never takes a prefix)."""
        if (found := self.existing(name)) is not None:
            return found
        from .text import fold

        names = self.names()
        key = fold(name)
        matches = [stored for stored in names if fold(stored) == key]
        if len(matches) == 1 or not prefix:
            return matches[0] if len(matches) == 1 else name
        starting = [stored for stored in names if fold(stored).startswith(key)]
        if len(starting) == 1:
            return starting[0]
        if starting:
            raise UsageError(
                _("« {debut} » commence le nom de {n} dossiers : tapez-en un peu plus").format(
                    debut=name, n=len(starting)),
                starting)
        return name

    def lock(self, name: str) -> Lock:
        return Lock(self.folder / f"{name}.json.lock", self.path(name))

    @contextmanager
    def session(self, name: str, wait: float = 0) -> Iterator[Session]:
        """Hold the dossier's lock, waiting at most `wait` seconds for another aap to let it go
        (else a DossierError says who holds it); the session writes the dossier until the end
        of the `with`."""
        self.ensure_folder()
        lock = self.lock(name)
        lock.acquire(wait=wait)
        try:
            yield Session(self, name, lock)
        finally:
            lock.release()

    # -- reading -------------------------------------------------------------------------------

    def load(self, name: str) -> Dossier:
        path = self.path(name)
        try:
            return self._read(path)
        except DossierError as error:
            if path.exists() and self._backup_is_good(name):
                error.details.append(
                    _("Une sauvegarde valide existe ({bak}) : restaurez-la avec "
                      "« aap reprendre {nom} --depuis-sauvegarde ».").format(
                        bak=self.backup_path(name), nom=name)
                )
            raise

    def _backup_is_good(self, name: str) -> bool:
        try:
            self._read(self.backup_path(name))
        except DossierError:
            return False
        return True

    def _read(self, path: Path, name: str | None = None) -> Dossier:
        data = self._read_json(path)
        if not isinstance(data, dict):
            raise DossierError(_("{fichier} n'est pas un dossier aap (le contenu n'est pas un objet JSON)").format(fichier=path))
        version = data.get("version_schema")
        if isinstance(version, bool):
            raise DossierError(_("{fichier} : version de schéma inconnue {version}").format(fichier=path, version=version))
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise DossierError(
                _("{fichier} a été écrit par une version plus récente d'aap (schéma {version}, "
                  "celle-ci lit le schéma {connu}) : mettez aap à jour.").format(
                    fichier=path, version=version, connu=SCHEMA_VERSION)
            )
        from pydantic import ValidationError

        try:
            # Strict: what aap writes, not what pydantic's lax mode can make of a hand edit
            # (`"version_schema": "1"`, a date without its time).
            content = DossierFile.model_validate(data, strict=True)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(step) for step in first["loc"]) or "?"
            template = (_("{fichier} n'est pas un dossier aap valide : la clé « {cle} » n'en fait pas partie")
                        if first["type"] == "extra_forbidden" else
                        _("{fichier} n'est pas un dossier aap valide : « {cle} » est absent ou mal formé"))
            raise DossierError(template.format(fichier=path, cle=shorten(where))) from None
        if content.schema_version != SCHEMA_VERSION:
            raise DossierError(_("{fichier} : version de schéma inconnue {version}").format(
                fichier=path, version=content.schema_version))
        try:
            appel = self._find_appel(content.appel)
        except QuestionnaireError as error:
            raise DossierError(
                _("{fichier} répond à l'appel « {appel} », dont le questionnaire n'est pas valide : {raison}").format(
                    fichier=path, appel=shorten(content.appel), raison=error.message), error.details) from None
        except AapError:
            raise DossierError(
                _("{fichier} répond à l'appel « {appel} », que cette installation ne connaît pas (voir « aap appels »)").format(
                    fichier=path, appel=shorten(content.appel))
            ) from None
        dossier = Dossier.from_file(content, appel)
        # The file's place decides its name; what the content says is only reported.
        dossier.name = name or path.name.removesuffix(".json")
        if content.name != dossier.name:
            dossier.name_in_file = content.name
        return dossier

    def _read_json(self, path: Path) -> object:
        from .reading import DocumentError, parse_json_document, read_bytes

        if path.is_dir():
            raise DossierError(_("{fichier} est un répertoire, pas un fichier de dossier").format(fichier=path))
        try:
            raw = read_bytes(path, MAX_DOSSIER_BYTES)
        except DocumentError as error:
            if error.missing:
                raise DossierError(
                    _("aucun dossier « {nom} » dans {dossier} ; « aap liste » montre les dossiers existants").format(
                        nom=path.name.removesuffix(".json"), dossier=path.parent)
                ) from None
            if error.too_large:
                raise DossierError(
                    _("{fichier} fait plus de 10 Mo : ce n'est pas un dossier aap").format(fichier=path)) from None
            raise DossierError(error.message) from None
        if not raw.strip():
            raise DossierError(_("{fichier} est vide : ce n'est pas (ou plus) un dossier aap").format(fichier=path))
        try:
            return parse_json_document(raw, path)
        except DocumentError as error:
            if error.syntax:
                raise DossierError(
                    _("{fichier} est endommagé (JSON invalide ligne {ligne}, colonne {colonne}) : "
                      "il a peut-être été tronqué ou modifié à la main").format(
                        fichier=path, ligne=error.line, colonne=error.column)) from None
            raise DossierError(error.message) from None

    # -- writing -------------------------------------------------------------------------------

    def _taken(self, name: str, copy: bool = False) -> DossierError:
        existing = self.existing(name) or name
        if copy:
            return DossierError(_("un dossier « {nom} » existe déjà ; choisissez un autre nom").format(nom=existing))
        return DossierError(
            _("un dossier « {nom} » existe déjà ; reprenez-le avec « aap reprendre {nom} » ou choisissez un autre nom").format(
                nom=existing))

    @staticmethod
    def _keep_previous(path: Path, backup: Path) -> None:
        if path.is_symlink():
            # A dossier file that points elsewhere: keep a private copy of what it shows, never
            # a link to (or a change of) the file it points to.
            write_private(backup, path.read_bytes())
            return
        # A hard link makes the backup without copying; the rename makes it atomic.
        staging = backup.with_name(backup.name + ".tmp")
        with suppress(OSError):
            os.unlink(staging)
        try:
            os.link(path, staging, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, staging)
        os.chmod(staging, PRIVATE_FILE)  # a file from an older aap, or copied in, may be readable by others
        os.replace(staging, backup)

    def ensure_folder(self) -> None:
        try:
            private_folder(self.folder, own=self.own)
        except FileError as error:
            raise DossierError(
                _("création du répertoire des dossiers {dossier} impossible : {raison}").format(
                    dossier=self.folder, raison=error.why)
            ) from None

    def summaries(self) -> list[Summary]:
        """What `aap liste` shows of every dossier, the most recently changed first: from the
        cache of summaries when it is fresh (`summary_cache`), else read from the file."""
        return summary_cache.summaries(self.folder, self.names(), self.summary)

    def summary(self, name: str) -> Summary:
        """One dossier's summary, read from its file; a file that does not read gives its
        problem, never an error: one damaged file never hides the others."""
        try:
            dossier = self._read(self.path(name))
        except AapError as error:
            return Summary(name, None, None, None, problem=error.message)
        return Summary(name, dossier.appel.id, dossier.completion(), dossier.modified,
                       unreadable=sum(1 for q in dossier.invalid if dossier.appel.question(q) is not None))


class Session:
    """One dossier's lock, held: the only way to write the dossier. Made by `Store.session`,
    usable until the end of its `with`."""

    def __init__(self, store: Store, name: str, lock: Lock):
        self.store, self.name = store, name
        self._lock = lock

    @property
    def path(self) -> Path:
        return self.store.path(self.name)

    def load(self) -> Dossier:
        return self.store.load(self.name)

    def create(self, appel: Appel) -> Dossier:
        """A new, empty dossier; never replaces an existing one, even one that appeared while
        the lock was being taken (made by hand, or under a name that differs only by case)."""
        dossier = Dossier.new(self.name, appel)
        self.save_new(dossier)
        return dossier

    def copy(self, source: str, appel: Appel | None = None) -> Dossier:
        """A copy of the dossier `source` under this session's name, for `appel` (by default the
        source's call): the answers without their history; never replaces an existing one."""
        original = self.store.load(source)
        if self.store.exists(self.name):
            raise self.store._taken(self.name, copy=True)
        moment = now()
        content = original.to_file().model_copy(update={
            "name": self.name, "created": moment, "modified": moment, "history": [], "position": Position()})
        copy = Dossier.from_file(content, appel or original.appel)
        self._write(copy, new=True, copy=True)
        return copy

    def save(self, dossier: Dossier) -> None:
        self._write(dossier)

    def save_new(self, dossier: Dossier) -> None:
        """Write a dossier that must not exist yet."""
        if self.store.exists(self.name):
            raise self.store._taken(self.name)
        self._write(dossier, new=True)

    def restore_backup(self) -> Dossier:
        """Put the good `.bak` back in place; the damaged file is kept aside, never deleted."""
        backup = self.store.backup_path(self.name)
        if not backup.exists():
            raise DossierError(_("le dossier « {nom} » n'a pas de sauvegarde ({bak})").format(nom=self.name, bak=backup))
        dossier = self.store._read(backup, self.name)
        if self.path.exists():
            aside = self.path.with_name(f"{self.path.name}.endommage-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(self.path, aside)
        self._write(dossier, keep_backup=False)
        return dossier

    def _write(self, dossier: Dossier, new: bool = False, keep_backup: bool = True, copy: bool = False) -> None:
        if not self._lock.held:
            raise RuntimeError(f"the session of {self.name} has ended: its lock is released")
        if dossier.name != self.name:
            raise RuntimeError(f"a session of {self.name} cannot write the dossier {dossier.name}")
        data = dossier.to_file().model_dump_json(by_alias=True, indent=2).encode("utf-8") + b"\n"
        path = self.path
        if len(data) > MAX_DOSSIER_BYTES:
            # Written, it could not be read back: refuse now, while the previous version is whole.
            raise DossierError(
                _("le dossier {nom} dépasserait 10 Mo : raccourcissez des textes ou des listes ; "
                  "la version précédente est intacte").format(
                    nom=dossier.name))
        self.store.ensure_folder()
        try:
            if keep_backup and not new and path.exists():
                self.store._keep_previous(path, self.store.backup_path(dossier.name))
            write_private(path, data, replace=not new)
        except (FileError, OSError) as error:
            if new and path.exists():
                raise self.store._taken(dossier.name, copy=copy) from None
            from .files import reason

            why = error.why if isinstance(error, FileError) else reason(error)
            raise DossierError(
                _("enregistrement de {fichier} impossible : {raison} ; la version précédente est intacte").format(
                    fichier=path, raison=why)
            ) from None
