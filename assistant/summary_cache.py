"""The cache of what `aap liste` shows of each dossier, in the user's cache folder, so that a
listing does not read every dossier through the model (pydantic, the questionnaire, the strict
decoder) to say its call, its progress and its last change.

One small JSON file per dossier file and language, holding numbers and an ISO time, never text
formatted for a language: the table is formatted when it is shown. An entry is used only when
its key matches: the dossier file's bytes, and what the dossier's reading depends on besides
them, every questionnaire (its path and its `questionnaire_cache.key`: its bytes, the language,
aap's version and its code). An edited dossier, an edited or added questionnaire, another aap
read the dossier again. It is never trusted blindly: every value is checked for its type and
range as it is read back, and anything unexpected (a missing, truncated, damaged, oversized or
foreign file) means « no entry »: the dossier is read the slow way and the entry rewritten.
Written private and atomically (`files.write_private`), in a private folder.

A dossier that does not read (damaged, or answering an unknown or invalid call) has no entry:
it is read the slow way every time, so that its message is always today's and in the current
language. Such files are rare.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

FORMAT = 2  # 2: the number of answers that do not read back
_MAGIC = "aap-dossier-summary-cache"
MAX_ENTRY_BYTES = 64_000
# The store's limit (store.MAX_DOSSIER_BYTES, not imported: the store imports the model); a
# larger file is damaged and read the slow way, which says so.
MAX_DOSSIER_BYTES = 10_000_000
# Read counters, for the tests: how often the cache answered, how often a dossier had to be read.
hits = 0
misses = 0


@dataclass(frozen=True)
class Summary:
    """A line of `aap liste`: a dossier's call, progress (percent) and last change, or why it
    does not read."""

    name: str
    appel: str | None
    completion: int | None
    modified: datetime | None
    problem: str | None = None
    unreadable: int = 0  # saved answers that do not read back (edited by hand): said by `liste`


def folder() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("aap", appauthor=False) / "dossiers"


def summaries(dossiers: Path, names: list[str], read: Callable[[str], Summary]) -> list[Summary]:
    """The summaries of the dossiers `names` of the folder `dossiers`, the most recently changed
    first: from the cache when it is fresh, else from `read` (the store's slow way), whose
    answer is then kept."""
    global hits, misses
    stamp = _questionnaires_stamp()
    found = []
    for name in names:
        path = dossiers / f"{name}.json"
        key = _key(path, stamp)
        summary = _load(name, path, key) if key is not None else None
        if summary is not None:
            hits += 1
        else:
            misses += 1
            summary = read(name)
            # Kept only if neither the dossier nor a questionnaire changed while it was read:
            # the entry then says what these bytes give.
            if key is not None and summary.problem is None and _key(path, _questionnaires_stamp()) == key:
                _store(path, key, summary)
        found.append(summary)
    return sorted(found, key=lambda s: s.modified.timestamp() if s.modified else 0, reverse=True)


def _questionnaires_stamp() -> str:
    """What a dossier's reading depends on besides its own bytes: the questionnaires, as
    `loading.find_appel` finds them (by their file name, else by the id one declares), each with
    its questionnaire cache key (bytes, language, aap's version and code)."""
    from . import loading, questionnaire_cache
    from .files import read_limited
    from .i18n import language

    digest = hashlib.sha256(f"{_MAGIC}\0{FORMAT}\0{language()}\0".encode())
    for path in loading.questionnaire_files():
        digest.update(os.fsencode(questionnaire_cache.place(path)) + b"\0")
        try:
            content = read_limited(path, loading.MAX_QUESTIONNAIRE_BYTES)
        except Exception:  # unreadable now: a stamp of its own, changed once it reads again
            digest.update(b"\1unreadable\0")
            continue
        digest.update(questionnaire_cache.key(content, language()).encode() + b"\0")
    return digest.hexdigest()


def _key(path: Path, stamp: str) -> str | None:
    """The key of the dossier file's current bytes, or None when it does not read (the slow way
    then says why)."""
    from .files import read_limited

    try:
        content = read_limited(path, MAX_DOSSIER_BYTES)
    except Exception:
        return None
    return hashlib.sha256(stamp.encode() + b"\0" + content).hexdigest()


def _entry_file(path: Path) -> Path:
    from .i18n import language

    where = hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:32]
    return folder() / f"{where}-{language()}.json"


def _load(name: str, path: Path, key: str) -> Summary | None:
    """The kept summary of the dossier file `path` if its entry has this `key`, else None (absent,
    stale or unusable: never an error)."""
    from .files import read_limited

    try:
        document = json.loads(read_limited(_entry_file(path), MAX_ENTRY_BYTES).decode("ascii"))
        return _summary_from(name, document, key)
    except Exception:  # whatever the file holds, the dossier itself is the answer
        return None


def _summary_from(name: str, document: Any, key: str) -> Summary | None:
    if not isinstance(document, dict) or set(document) != {"format", "key", "appel", "completion", "modified",
                                                           "unreadable"}:
        return None
    if document["format"] != _MAGIC or document["key"] != key:
        return None
    appel, completion, modified = document["appel"], document["completion"], document["modified"]
    unreadable = document["unreadable"]
    if not isinstance(appel, str) or not isinstance(modified, str):
        return None
    if not isinstance(completion, int) or isinstance(completion, bool) or not 0 <= completion <= 100:
        return None
    if not isinstance(unreadable, int) or isinstance(unreadable, bool) or unreadable < 0:
        return None
    return Summary(name, appel, completion, datetime.fromisoformat(modified), unreadable=unreadable)


def _store(path: Path, key: str, summary: Summary) -> None:
    """Keep the summary; a cache that cannot be written (read-only home, full disk, a file where
    the folder should be) is only a slower next listing."""
    from .files import FileError, private_folder, write_private

    if summary.appel is None or summary.completion is None or summary.modified is None:
        return
    try:
        data = json.dumps({"format": _MAGIC, "key": key, "appel": summary.appel, "completion": summary.completion,
                           "modified": summary.modified.isoformat(), "unreadable": summary.unreadable},
                          ensure_ascii=True).encode("ascii")
        if len(data) > MAX_ENTRY_BYTES:
            return
        target = _entry_file(path)
        private_folder(target.parent, own=True)
        write_private(target, data)
    except (FileError, OSError, ValueError, TypeError):
        pass
