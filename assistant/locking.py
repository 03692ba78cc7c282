"""One writer per dossier: a lock file beside it, created atomically (O_CREAT | O_EXCL), holding
the process id and host of its owner. A lock left by a dead process on this host is taken over;
one held from another host is reported with the way to remove it."""

from __future__ import annotations

import json
import os
import socket
import time
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from .errors import DossierError
from .i18n import _, format_datetime

# A lock file with no readable owner (its writer died between creating and filling it) is
# considered abandoned after this many seconds.
UNREADABLE_GRACE_SECONDS = 30


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        # os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead.
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Lock:
    def __init__(self, path: Path, dossier_path: Path):
        self.path = path
        self.dossier_path = dossier_path
        self.held = False

    def acquire(self) -> None:
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                if self._abandoned():
                    with suppress(FileNotFoundError):
                        os.unlink(self.path)
                    continue
                raise self._held_elsewhere() from None
            except OSError as error:
                raise DossierError(
                    _("verrouillage de {fichier} impossible : {raison}").format(fichier=self.dossier_path, raison=error.strerror)
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"pid": os.getpid(), "hote": socket.gethostname(), "depuis": time.time()}, handle)
            self.held = True
            return
        raise self._held_elsewhere()

    def release(self) -> None:
        if self.held:
            owner = self._owner()
            if owner and owner.get("pid") == os.getpid():
                with suppress(FileNotFoundError):
                    os.unlink(self.path)
            self.held = False

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _owner(self) -> dict | None:
        try:
            owner = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return owner if isinstance(owner, dict) else None

    def _abandoned(self) -> bool:
        owner = self._owner()
        if owner is None:
            try:
                return time.time() - self.path.stat().st_mtime > UNREADABLE_GRACE_SECONDS
            except FileNotFoundError:
                return True
        pid = owner.get("pid")
        return owner.get("hote") == socket.gethostname() and isinstance(pid, int) and not pid_alive(pid)

    def _held_elsewhere(self) -> DossierError:
        owner = self._owner() or {}
        since = owner.get("depuis")
        when = format_datetime(datetime.fromtimestamp(since)) if isinstance(since, int | float) else "?"
        return DossierError(
            _("le dossier {fichier} est déjà ouvert par un autre aap (processus {pid} sur le poste {hote}, depuis {quand}) ; "
              "fermez-le d'abord. S'il n'est plus ouvert, supprimez {verrou}").format(
                fichier=self.dossier_path.name, pid=owner.get("pid", "?"), hote=owner.get("hote", "?"), quand=when,
                verrou=self.path)
        )
