"""The dossier store: one JSON file per dossier in one folder.

Promises: a save is atomic and durable (temporary file, fsync, rename, fsync of the folder) and
keeps the previous good version as `<nom>.json.bak`; a damaged file is reported, never
rewritten; one writer at a time, through a lock file.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import suppress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .dossier import SCHEMA_VERSION, Dossier, DossierFile, Position, now, slugify
from .errors import AapError, DossierError
from .i18n import _
from .locking import Lock
from .model import Appel

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
    def __init__(self, folder: Path, find_appel: Callable[[str], Appel]):
        self.folder = folder
        self._find_appel = find_appel

    # -- paths ---------------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def backup_path(self, name: str) -> Path:
        return self.folder / f"{name}.json.bak"

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name[: -len(".json")] for p in self.folder.glob("*.json") if p.is_file())

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

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

    def _read(self, path: Path) -> Dossier:
        data = self._read_json(path)
        if not isinstance(data, dict):
            raise DossierError(_("{fichier} n'est pas un dossier aap (le contenu n'est pas un objet JSON)").format(fichier=path))
        version = data.get("version_schema")
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
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
                    fichier=path, cle=where)
            ) from None
        if content.schema_version != SCHEMA_VERSION:
            raise DossierError(_("{fichier} : version de schéma inconnue {version}").format(fichier=path, version=content.schema_version))
        try:
            appel = self._find_appel(content.appel)
        except AapError:
            raise DossierError(
                _("{fichier} répond à l'appel « {appel} », que cette installation ne connaît pas (voir « aap appels »)").format(
                    fichier=path, appel=content.appel)
            ) from None
        return Dossier.from_file(content, appel)

    def _read_json(self, path: Path) -> object:
        try:
            if path.is_dir():
                raise DossierError(_("{fichier} est un répertoire, pas un fichier de dossier").format(fichier=path))
            size = path.stat().st_size
            if size > MAX_DOSSIER_BYTES:
                raise DossierError(
                    _("{fichier} fait {taille} Mo : ce n'est pas un dossier aap (10 Mo au plus)").format(
                        fichier=path, taille=size // 1_000_000)
                )
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DossierError(
                _("aucun dossier « {nom} » dans {dossier} ; « aap liste » montre les dossiers existants").format(
                    nom=path.name.removesuffix(".json"), dossier=path.parent)
            ) from None
        except PermissionError:
            raise DossierError(_("lecture de {fichier} impossible : permission refusée").format(fichier=path)) from None
        except OSError as error:
            raise DossierError(_("lecture de {fichier} impossible : {raison}").format(fichier=path, raison=error.strerror)) from None
        if not raw.strip():
            raise DossierError(_("{fichier} est vide : ce n'est pas (ou plus) un dossier aap").format(fichier=path))
        try:
            return json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise DossierError(_("{fichier} n'est pas un fichier texte UTF-8 : ce n'est pas un dossier aap").format(fichier=path)) from None
        except json.JSONDecodeError as error:
            raise DossierError(
                _("{fichier} est endommagé (JSON invalide ligne {ligne}, colonne {colonne}) : il a peut-être été tronqué ou modifié à la main").format(
                    fichier=path, ligne=error.lineno, colonne=error.colno)
            ) from None

    def restore_backup(self, name: str) -> Dossier:
        """Put the good `.bak` back in place; the damaged file is kept aside, never deleted."""
        dossier = self._read(self.backup_path(name))
        dossier.name = name
        path = self.path(name)
        if path.exists():
            aside = path.with_name(f"{path.name}.endommage-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(path, aside)
        self.save(dossier, keep_backup=False)
        return dossier

    # -- writing -------------------------------------------------------------------------------

    def create(self, name: str, appel: Appel) -> Dossier:
        name = slugify(name)
        if self.exists(name):
            raise DossierError(
                _("un dossier « {nom} » existe déjà ; reprenez-le avec « aap reprendre {nom} » ou choisissez un autre nom").format(nom=name)
            )
        dossier = Dossier.new(name, appel)
        self.save(dossier)
        return dossier

    def save(self, dossier: Dossier, keep_backup: bool = True) -> None:
        data = dossier.to_file().model_dump_json(by_alias=True, indent=2).encode("utf-8") + b"\n"
        path = self.path(dossier.name)
        self.ensure_folder()
        tmp_name = None
        try:
            fd, tmp_name = tempfile.mkstemp(dir=self.folder, prefix=f".{dossier.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if keep_backup and path.exists():
                self._keep_previous(path, self.backup_path(dossier.name))
            os.replace(tmp_name, path)
            tmp_name = None
            _fsync_folder(self.folder)
        except OSError as error:
            raise DossierError(
                _("enregistrement de {fichier} impossible : {raison} ; la version précédente est intacte").format(
                    fichier=path, raison=error.strerror or error)
            ) from None
        finally:
            if tmp_name:
                with suppress(OSError):
                    os.unlink(tmp_name)

    @staticmethod
    def _keep_previous(path: Path, backup: Path) -> None:
        # A hard link makes the backup without copying; the rename makes it atomic.
        staging = backup.with_name(backup.name + ".tmp")
        with suppress(OSError):
            os.unlink(staging)
        try:
            os.link(path, staging)
        except OSError:
            shutil.copy2(path, staging)
        os.replace(staging, backup)

    def ensure_folder(self) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise DossierError(
                _("création du répertoire des dossiers {dossier} impossible : {raison}").format(
                    dossier=self.folder, raison=error.strerror or error)
            ) from None

    def copy(self, source: str, target: str, appel: Appel | None = None) -> Dossier:
        original = self.load(source)
        target = slugify(target)
        if self.exists(target):
            raise DossierError(_("un dossier « {nom} » existe déjà ; choisissez un autre nom").format(nom=target))
        moment = now()
        content = original.to_file().model_copy(update={
            "name": target, "created": moment, "modified": moment, "history": [], "position": Position()})
        copy = Dossier.from_file(content, appel or original.appel)
        self.save(copy)
        return copy

    def summaries(self) -> list[Summary]:
        found = []
        for name in self.names():
            path = self.path(name)
            try:
                dossier = self._read(path)
            except DossierError as error:
                found.append(Summary(name, path, None, None, None, problem=error.message))
                continue
            found.append(Summary(name, path, dossier.appel.id, dossier.completion(), dossier.modified))
        return sorted(found, key=lambda s: s.modified.timestamp() if s.modified else 0, reverse=True)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows has no directory fsync; NTFS journals the rename.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

