"""Every file aap writes or reads on the user's behalf goes through here.

Writing: files hold names, e-mails and phone numbers, so they are private (0600, folders 0700)
whatever the umask, and atomic (a temporary file beside the target, fsync, rename, fsync of the
folder): an interrupted write or a full disk never leaves a partial file under the final name,
nor a temporary file behind. Reading: bounded while reading, so `/dev/zero` or a pipe cannot
exhaust memory.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

from .errors import AapError
from .i18n import _

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# Temporary files are named `.aap-<name>.<random>.tmp`: a leftover (SIGKILL) is recognisable as
# aap's own and removed by the next write in the same folder once it is older than this. Other
# programs' `.tmp` files are never touched.
TMP_PREFIX = ".aap-"
STALE_TMP_SECONDS = 3600


class FileError(AapError):
    """A file aap could not write or read; the message says which and why, in French."""

    def __init__(self, message: str, why: str = ""):
        super().__init__(message)
        self.why = why or message


def reason(error: OSError) -> str:
    """The OS's reason, in the user's words where we have them."""
    known = {
        errno.ENOSPC: _("le disque est plein"),
        errno.EDQUOT: _("le quota de disque est atteint"),
        errno.EACCES: _("permission refusée"),
        errno.EPERM: _("opération non permise"),
        errno.EROFS: _("le support est en lecture seule"),
        errno.ENAMETOOLONG: _("nom de fichier trop long"),
        errno.ENOENT: _("le répertoire n'existe pas"),
        errno.ENOTDIR: _("un élément du chemin n'est pas un répertoire"),
        errno.EISDIR: _("c'est un répertoire"),
        errno.ELOOP: _("trop de liens symboliques"),
        errno.EEXIST: _("un fichier porte déjà ce nom"),
        errno.ENXIO: _("ce n'est pas un fichier ordinaire"),
        errno.EFBIG: _("le fichier dépasse la taille permise"),
    }
    return known.get(error.errno or 0) or error.strerror or str(error)


def private_folder(folder: Path, own: bool = False) -> Path:
    """Create the folder and any missing parent as 0700 (whatever the umask: a parent left 0777
    would let another user swap the folder for theirs).

    `own` is for the folders aap keeps for itself (the store, `sorties/`, its cache): one that
    belongs to another user is refused, and one others can read is made private. Folders the
    user merely pointed at (a received file's folder, the folder of a `--sortie`) keep their
    mode, and a symbolic link is never followed to change one."""
    try:
        missing = []
        for candidate in (folder, *folder.parents):
            if candidate.exists() or candidate.is_symlink():
                break
            missing.append(candidate)
        for candidate in reversed(missing):
            with suppress(FileExistsError):
                candidate.mkdir(mode=PRIVATE_FOLDER)
            with suppress(OSError):
                os.chmod(candidate, PRIVATE_FOLDER)  # mkdir's mode is cut by the umask
        info = folder.stat()
    except OSError as error:
        raise FileError(_("création du répertoire {dossier} impossible : {raison}").format(
            dossier=folder, raison=reason(error)), reason(error)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise FileError(_("{dossier} n'est pas un répertoire").format(dossier=folder))
    if own and os.name == "posix":
        if info.st_uid != os.getuid():
            raise FileError(_("le répertoire {dossier} appartient à un autre utilisateur : aap n'y écrit pas").format(
                dossier=folder))
        if info.st_mode & 0o077 and not folder.is_symlink():
            with suppress(OSError):
                os.chmod(folder, PRIVATE_FOLDER)
    return folder


def write_private(path: Path, data: bytes, replace: bool = True) -> None:
    """Write `data` to `path` atomically, readable by the user only. With `replace=False` an
    existing file is never replaced (the check and the rename are one step: a hard link)."""
    folder = path.parent
    tmp_name = None
    try:
        remove_stale(folder, TMP_PREFIX, (".tmp",))
        # mkstemp creates the file 0600 whatever the umask.
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f"{TMP_PREFIX}{path.name[:80]}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp_name, path)
        else:
            try:
                os.link(tmp_name, path)
            except FileExistsError:
                raise FileError(_("{fichier} existe déjà : il n'est pas remplacé").format(fichier=path)) from None
            os.unlink(tmp_name)
        tmp_name = None
        fsync_folder(folder)
    except OSError as error:
        raise FileError(_("écriture de {fichier} impossible : {raison} ; rien n'a été modifié").format(
            fichier=path, raison=reason(error)), reason(error)) from None
    finally:
        if tmp_name:
            with suppress(OSError):
                os.unlink(tmp_name)


def remove_stale(folder: Path, prefix: str, suffixes: tuple[str, ...]) -> None:
    """What a killed run of aap left in `folder` (temporary files, half-built folders), named
    `<prefix>…<suffix>` and older than STALE_TMP_SECONDS; never a link, never anything else."""
    import shutil
    import time

    limit = time.time() - STALE_TMP_SECONDS
    with suppress(OSError):
        for entry in os.scandir(folder):
            if not (entry.name.startswith(prefix) and entry.name.endswith(suffixes)):
                continue
            with suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime >= limit:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                elif entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows has no directory fsync; NTFS journals the rename.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def default_folder(option: str | Path | None = None) -> Path:
    """The dossiers' folder: `--dossiers`, else AAP_DOSSIERS, else the user's data folder."""
    if option:
        return Path(option).expanduser()
    if os.environ.get("AAP_DOSSIERS"):
        return Path(os.environ["AAP_DOSSIERS"]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("aap", appauthor=False) / "dossiers"


def dossier_names(folder: Path) -> list[str]:
    """The names of the dossiers in `folder`: its visible `.json` files (none when it cannot
    be read). Here rather than in the store, so that `aap liste` on an empty folder imports
    nothing of the model."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return sorted(e.name[: -len(".json")] for e in entries
                  if e.name.endswith(".json") and not e.name.startswith(".") and _is_file(e))


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def read_limited(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing more than `limit` while reading (a pipe or /dev/zero has no
    size to check beforehand). Raises OSError as open() does, and FileTooLarge past the limit;
    `reading.read_bytes` turns both into a French message for a file the user gave."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(limit)
    return data


class FileTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit
