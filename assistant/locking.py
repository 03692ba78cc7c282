"""One writer per dossier: a kernel lock (filelock: flock on POSIX, LockFileEx on Windows) on a
file beside the dossier. The kernel releases it when its process dies, however it dies, so there
is no stale lock to detect and take over, hence no race between two processes doing so.

The lock file also holds its owner's process id, host and start time, only to say who holds it;
nothing is decided from that content, so a damaged or odd lock file is harmless. The file stays
after release (emptied): deleting it would let two processes lock two different files."""

from __future__ import annotations

import errno
import json
import math
import os
import socket
import time
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import DossierError
from .i18n import _, format_datetime

OWNER_BYTES = 1_000


class Lock:
    def __init__(self, path: Path, dossier_path: Path):
        self.path = path
        self.dossier_path = dossier_path
        self.held = False
        self._lock: Any = None

    def acquire(self, wait: float = 0) -> None:
        """Take the lock, waiting at most `wait` seconds for another aap to let it go."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.path, timeout=wait, mode=0o600, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise self._held_elsewhere() from None
        except OSError as error:
            raise self._cannot_lock(error) from None
        self._lock, self.held = lock, True
        self._write_owner({"pid": os.getpid(), "hote": socket.gethostname(), "depuis": time.time()})

    def release(self) -> None:
        if self.held and self._lock is not None:
            self._write_owner(None)
            self._lock.release()
            self._lock, self.held = None, False

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _write_owner(self, owner: dict[str, Any] | None) -> None:
        # Best effort: the owner is only ever shown in a message.
        with suppress(OSError):
            fd = os.open(self.path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                if os.fstat(fd).st_nlink != 1:
                    return  # a hard link to some other file: never written to
                os.ftruncate(fd, 0)
                if owner is not None:
                    os.write(fd, json.dumps(owner).encode("utf-8"))
            finally:
                os.close(fd)

    def _owner(self) -> dict[str, str]:
        """The owner as printable strings; whatever the file holds."""
        try:
            with open(self.path, "rb") as handle:
                data = json.loads(handle.read(OWNER_BYTES).decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict):
            return {}
        owner = {}
        pid, host, since = data.get("pid"), data.get("hote"), data.get("depuis")
        if isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid < 2**31:
            owner["pid"] = str(pid)
        if isinstance(host, str) and host.isprintable() and len(host) <= 255:
            owner["hote"] = host
        if isinstance(since, int | float) and not isinstance(since, bool) and math.isfinite(since):
            with suppress(OverflowError, OSError, ValueError):
                owner["depuis"] = format_datetime(datetime.fromtimestamp(since))
        return owner

    def _held_elsewhere(self) -> DossierError:
        owner = self._owner()
        return DossierError(
            _("le dossier {fichier} est déjà ouvert par un autre aap (processus {pid} sur le poste {hote}, depuis {quand}) ; "
              "fermez-le d'abord, puis recommencez").format(
                fichier=self.dossier_path.name, pid=owner.get("pid", "?"), hote=owner.get("hote", "?"),
                quand=owner.get("depuis", "?"))
        )

    def _cannot_lock(self, error: OSError) -> DossierError:
        from .files import reason

        if error.errno == errno.ELOOP or self.path.is_symlink():
            # A lock that points elsewhere (a received folder could hold one) is never followed.
            return DossierError(
                _("le verrou {verrou} est un lien symbolique : aap ne le suit pas ; supprimez-le puis recommencez").format(
                    verrou=self.path))
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return DossierError(
                _("le répertoire de {fichier} n'est pas modifiable ({raison}) : copiez le fichier dans un répertoire "
                  "à vous, puis ouvrez cette copie").format(
                    fichier=self.dossier_path, raison=reason(error))
            )
        return DossierError(
            _("verrouillage de {fichier} impossible : {raison}").format(fichier=self.dossier_path, raison=reason(error))
        )
