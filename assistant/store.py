"""The dossier store: one JSON file per dossier in one folder.

Promises: a save is atomic and durable (temporary file, fsync, rename, fsync of the folder),
private (0600 in a 0700 folder) and keeps the previous good version as `<nom>.json.bak`; a
damaged file is reported, never rewritten; one writer at a time, through a kernel lock.

A dossier's name is its file name: the `nom` written inside is never used to decide where to
write, so a file received from someone else, renamed or copied by hand, is written back where it
was found and nowhere else.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .dossier import SCHEMA_VERSION, Dossier, DossierFile, Position, name_key, now, slugify
from .errors import AapError, DossierError, QuestionnaireError
from .files import PRIVATE_FILE, FileError, FileTooLarge, private_folder, read_limited, write_private
from .i18n import _
from .locking import Lock
from .model import Appel
from .text import shorten

MAX_DOSSIER_BYTES = 10_000_000


def default_folder(option: str | Path | None = None) -> Path:
    """`--dossiers`, else AAP_DOSSIERS, else the user's data folder."""
    if option:
        return Path(option).expanduser()
    if os.environ.get("AAP_DOSSIERS"):
        return Path(os.environ["AAP_DOSSIERS"]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("aap", appauthor=False) / "dossiers"


@dataclass(frozen=True)
class Summary:
    name: str
    path: Path
    appel: str | None
    completion: int | None
    modified: datetime | None
    problem: str | None = None


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
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return []
        return sorted(e.name[: -len(".json")] for e in entries
                      if e.name.endswith(".json") and not e.name.startswith(".") and _is_file(e))

    def existing(self, name: str) -> str | None:
        """The stored name that is the same as `name` for a file system that ignores case and
        Unicode form (Windows, macOS): two such names are one dossier, never two files."""
        if self.path(name).is_file():
            return name
        key = name_key(name)
        return next((stored for stored in self.names() if name_key(stored) == key), None)

    def exists(self, name: str) -> bool:
        return self.existing(name) is not None

    def find(self, name: str) -> str:
        """The stored dossier a typed name designates: the same name, else the one that differs
        only by case or accents (`projet-ete` finds `projet-été`); unchanged when none does."""
        if (found := self.existing(name)) is not None:
            return found
        from .text import fold

        matches = [stored for stored in self.names() if fold(stored) == fold(name)]
        return matches[0] if len(matches) == 1 else name

    def lock(self, name: str) -> Lock:
        return Lock(self.folder / f"{name}.json.lock", self.path(name))

    # -- reading -------------------------------------------------------------------------------

    def load(self, name: str) -> Dossier:
        path = self.path(name)
        try:
            return self._read(path)
        except DossierError as error:
            if path.exists() and self._backup_is_good(name):
                error.details.append(
                    _("Une sauvegarde valide existe ({bak}) : restaurez-la avec « aap reprendre {nom} --depuis-sauvegarde ».").format(
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
                _("{fichier} a été écrit par une version plus récente d'aap (schéma {version}, celle-ci lit le schéma {connu}) : mettez aap à jour.").format(
                    fichier=path, version=version, connu=SCHEMA_VERSION)
            )
        from pydantic import ValidationError

        try:
            content = DossierFile.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(step) for step in first["loc"]) or "?"
            raise DossierError(
                _("{fichier} n'est pas un dossier aap valide : « {cle} » est absent ou mal formé").format(
                    fichier=path, cle=shorten(where))
            ) from None
        if content.schema_version != SCHEMA_VERSION:
            raise DossierError(_("{fichier} : version de schéma inconnue {version}").format(fichier=path, version=content.schema_version))
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
        from .reading import DocumentError, parse_json_document

        try:
            if path.is_dir():
                raise DossierError(_("{fichier} est un répertoire, pas un fichier de dossier").format(fichier=path))
            raw = read_limited(path, MAX_DOSSIER_BYTES)
        except FileNotFoundError:
            raise DossierError(
                _("aucun dossier « {nom} » dans {dossier} ; « aap liste » montre les dossiers existants").format(
                    nom=path.name.removesuffix(".json"), dossier=path.parent)
            ) from None
        except FileTooLarge:
            raise DossierError(
                _("{fichier} fait plus de 10 Mo : ce n'est pas un dossier aap").format(fichier=path)) from None
        except OSError as error:
            from .files import reason

            raise DossierError(_("lecture de {fichier} impossible : {raison}").format(fichier=path, raison=reason(error))) from None
        if not raw.strip():
            raise DossierError(_("{fichier} est vide : ce n'est pas (ou plus) un dossier aap").format(fichier=path))
        try:
            return parse_json_document(raw, path)
        except DocumentError as error:
            if error.syntax:
                raise DossierError(
                    _("{fichier} est endommagé (JSON invalide ligne {ligne}, colonne {colonne}) : il a peut-être été tronqué ou modifié à la main").format(
                        fichier=path, ligne=error.line, colonne=error.column)) from None
            raise DossierError(error.message) from None

    def restore_backup(self, name: str) -> Dossier:
        """Put the good `.bak` back in place; the damaged file is kept aside, never deleted."""
        if not self.backup_path(name).exists():
            raise DossierError(_("le dossier « {nom} » n'a pas de sauvegarde ({bak})").format(
                nom=name, bak=self.backup_path(name)))
        dossier = self._read(self.backup_path(name), name)
        path = self.path(name)
        if path.exists():
            aside = path.with_name(f"{path.name}.endommage-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(path, aside)
        self.save(dossier, keep_backup=False)
        return dossier

    # -- writing -------------------------------------------------------------------------------

    def create(self, name: str, appel: Appel) -> Dossier:
        """A new dossier; never replaces an existing one, even one created at the same moment."""
        name = slugify(name)
        if self.exists(name):
            raise self._taken(name)
        dossier = Dossier.new(name, appel)
        self.ensure_folder()
        with self.lock(name):  # another writer (remplir) creating the same name waits for us
            self.save(dossier, exclusive=True)
        return dossier

    def _taken(self, name: str) -> DossierError:
        existing = self.existing(name) or name
        return DossierError(
            _("un dossier « {nom} » existe déjà ; reprenez-le avec « aap reprendre {nom} » ou choisissez un autre nom").format(
                nom=existing))

    def save(self, dossier: Dossier, keep_backup: bool = True, exclusive: bool = False) -> None:
        data = dossier.to_file().model_dump_json(by_alias=True, indent=2).encode("utf-8") + b"\n"
        path = self.path(dossier.name)
        if len(data) > MAX_DOSSIER_BYTES:
            # Written, it could not be read back: refuse now, while the previous version is whole.
            raise DossierError(
                _("le dossier {nom} dépasserait 10 Mo : raccourcissez des textes ou des listes ; la version précédente est intacte").format(
                    nom=dossier.name))
        self.ensure_folder()
        try:
            if keep_backup and not exclusive and path.exists():
                self._keep_previous(path, self.backup_path(dossier.name))
            write_private(path, data, replace=not exclusive)
        except (FileError, OSError) as error:
            if exclusive and path.exists():
                raise self._taken(dossier.name) from None
            from .files import reason

            why = error.why if isinstance(error, FileError) else reason(error)
            raise DossierError(
                _("enregistrement de {fichier} impossible : {raison} ; la version précédente est intacte").format(
                    fichier=path, raison=why)
            ) from None

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

    def copy(self, source: str, target: str, appel: Appel | None = None) -> Dossier:
        original = self.load(source)
        target = slugify(target)
        if self.exists(target):
            raise DossierError(_("un dossier « {nom} » existe déjà ; choisissez un autre nom").format(nom=self.existing(target)))
        moment = now()
        content = original.to_file().model_copy(update={
            "name": target, "created": moment, "modified": moment, "history": [], "position": Position()})
        copy = Dossier.from_file(content, appel or original.appel)
        self.ensure_folder()
        with self.lock(target):
            self.save(copy, exclusive=True)
        return copy

    def summaries(self) -> list[Summary]:
        found = []
        for name in self.names():
            path = self.path(name)
            try:
                dossier = self._read(path)
            except AapError as error:  # one damaged file never hides the others
                found.append(Summary(name, path, None, None, None, problem=error.message))
                continue
            found.append(Summary(name, path, dossier.appel.id, dossier.completion(), dossier.modified))
        return sorted(found, key=lambda s: s.modified.timestamp() if s.modified else 0, reverse=True)


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
