"""The cache of checked questionnaires, in the user's cache folder, so that a start does not read
and check every YAML file again.

One file per questionnaire and language, holding what checking it found: its problems, or the
document the strict reader gave (from which `loading` builds the `Appel`, skipping YAML and
lint but not pydantic's validation) and the summary `aap appels` shows (enough on its own:
`aap appels` and the calls offered by `aap nouveau` never import pydantic when the cache is
warm).

An entry is used only when its key matches: the questionnaire's bytes, the language, the cache's
format, aap's version and its code (the newest of its modules' modification times, for a
checkout whose code changes under one version). A damaged entry is never used: its payload
carries its SHA-256, every value is checked for its type as it is read back, and anything
unexpected (a missing, truncated, damaged, oversized or foreign file, a folder in the way) means
« no entry »: the questionnaire is read again and the entry rewritten. Written private and atomically
(`files.write_private`), in a private folder. The SHA-256 detects damage, not a forgery: an
entry written on purpose by the user themself is taken as checked, as is anything in their own
private folders.

Beside it, the validated `Appel` itself (`…-fr.appel`, pickled), so that the dialogue starts
without building pydantic's validators (`schema.Model` defers them) and without validating the
questionnaire again: some hundred milliseconds of every `aap nouveau` and `aap reprendre`.
Unpickling runs code, so that file is read only when nobody else could have written it: a
regular file (not a link) owned by the user and private, in a folder owned by the user and
private; and it is the entry of this questionnaire's bytes, language and code (its key comes
first). Someone who can write there can already change what the user's shell runs: the cache
opens no new door. Anything unexpected means « no model »: the JSON entry is validated again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import sys
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Appel

FORMAT = 1
# A questionnaire is at most 2 MB; its document, escaped to ASCII, a few times that.
MAX_ENTRY_BYTES = 16_000_000
_MAGIC = "aap-questionnaire-cache"
# Values JSON has no type for, written as a one-key object; a questionnaire's own one-key
# mapping whose key is one of these is wrapped in `$dict`, so that reading back is unambiguous.
_TAGS = ("$decimal", "$date", "$datetime", "$dict")
# Read counters, for the tests and the benchmark: how often the cache answered, how often the
# questionnaire had to be read.
hits = 0
misses = 0


@dataclass(frozen=True)
class CallSummary:
    """What `aap appels` shows of a call; the same attributes as `Appel`'s."""

    id: str
    title: str
    agency: str
    deadline: date | None
    cap: Decimal | None
    questions: int


@dataclass(frozen=True)
class Entry:
    """What checking a questionnaire found: its problems, or its document and summary."""

    problems: list[str]
    data: Any = None
    summary: CallSummary | None = None


def folder() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("aap", appauthor=False) / "questionnaires"


def load(path: Path, content: bytes, language: str, document: bool = True) -> Entry | None:
    """The entry for this questionnaire's `content` in `language`, or None (absent, stale or
    unusable: never an error). Without `document`, its document is left out (`data` is None):
    a summary is all `aap appels` needs."""
    global hits, misses
    from .files import read_limited

    try:
        raw = read_limited(_entry_file(path, language), MAX_ENTRY_BYTES)
        entry = _decode_file(raw, key(content, language), document)
    except Exception:  # whatever the file holds, the questionnaire itself is the answer
        entry = None
    if entry is None:
        misses += 1
    else:
        hits += 1
    return entry


def store(path: Path, content: bytes, language: str, entry: Entry) -> None:
    """Write the entry; a cache that cannot be written (read-only home, full disk, a file where
    the folder should be) is only a slower next start."""
    from .files import FileError, private_folder, write_private

    try:
        payload = json.dumps(_entry_json(entry), ensure_ascii=True, separators=(",", ":"))
        document = {"format": _MAGIC, "key": key(content, language),
                    "sha256": hashlib.sha256(payload.encode("ascii")).hexdigest(), "payload": payload}
        data = json.dumps(document, ensure_ascii=True).encode("ascii")
        if len(data) > MAX_ENTRY_BYTES:
            return
        target = _entry_file(path, language)
        private_folder(target.parent, own=True)
        write_private(target, data)
    except (FileError, OSError, ValueError, TypeError, RecursionError):
        pass


def load_appel(path: Path, content: bytes, language: str) -> Appel | None:
    """The validated `Appel` kept for this questionnaire's `content` in `language`, or None."""
    from .model import Appel

    try:
        raw = _read_private(_entry_file(path, language).with_suffix(".appel"))
        expected = key(content, language).encode("ascii") + b"\n"
        if raw is None or not raw.startswith(expected):
            return None
        appel = pickle.loads(raw[len(expected):])
    except Exception:  # whatever the file holds, the questionnaire itself is the answer
        return None
    return appel if type(appel) is Appel else None


def store_appel(path: Path, content: bytes, language: str, appel: Appel) -> None:
    """Keep the validated `Appel`; like `store`, a cache that cannot be written changes nothing."""
    from .files import FileError, private_folder, write_private

    try:
        data = key(content, language).encode("ascii") + b"\n" + pickle.dumps(appel, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > MAX_ENTRY_BYTES:
            return
        target = _entry_file(path, language).with_suffix(".appel")
        private_folder(target.parent, own=True)
        write_private(target, data)
    except (FileError, OSError, ValueError, TypeError, RecursionError, pickle.PicklingError):
        pass


def _read_private(file: Path) -> bytes | None:
    """The bytes of `file` if it and its folder are the user's own and private, else None."""
    folder_stat = os.stat(file.parent, follow_symlinks=False)
    descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as stream:
        file_stat = os.fstat(stream.fileno())
        for found, kind in ((folder_stat, stat.S_ISDIR), (file_stat, stat.S_ISREG)):
            if not kind(found.st_mode):
                return None
            # On Windows the profile's permissions guard the cache; the mode bits say nothing.
            if hasattr(os, "getuid") and (found.st_uid != os.getuid() or found.st_mode & 0o077):
                return None
        if file_stat.st_size > MAX_ENTRY_BYTES:
            return None
        return stream.read(MAX_ENTRY_BYTES + 1)


def key(content: bytes, language: str) -> str:
    from . import __version__

    digest = hashlib.sha256()
    for part in (_MAGIC, str(FORMAT), __version__, _code_stamp(), language):
        digest.update(part.encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()


@cache
def _code_stamp() -> str:
    """The newest modification time among aap's modules: an edited checkout is another code.
    A frozen executable has no module files: the executable itself is the code."""
    if getattr(sys, "frozen", False):
        executable = os.stat(sys.executable)
        return f"frozen-{executable.st_mtime_ns}-{executable.st_size}"
    package = Path(__file__).resolve().parent
    newest = 0
    for root, folders, files in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__" and not name.startswith(".")]
        for name in files:
            if name.endswith(".py"):
                with suppress(OSError):
                    newest = max(newest, os.stat(os.path.join(root, name)).st_mtime_ns)
    return str(newest)


def place(path: Path) -> str:
    """A questionnaire's place, as the caches name it. A one-file executable unpacks its data
    into a new temporary folder at every start (sys._MEIPASS): its own questionnaires are named
    by the executable and their place inside it, or every start would miss the cache and leave
    new entries behind."""
    absolute = os.path.abspath(path)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None and Path(absolute).is_relative_to(bundle):
        return os.path.abspath(sys.executable) + "!" + Path(absolute).relative_to(bundle).as_posix()
    return absolute


def _entry_file(path: Path, language: str) -> Path:
    where = hashlib.sha256(os.fsencode(place(path))).hexdigest()[:32]
    return folder() / f"{where}-{language}.json"


# -- reading back --------------------------------------------------------------------------------


class _Unusable(Exception):
    pass


def _decode_file(raw: bytes, expected_key: str, document_too: bool) -> Entry | None:
    document = json.loads(raw.decode("ascii"))
    if not isinstance(document, dict) or document.get("format") != _MAGIC or document.get("key") != expected_key:
        return None
    payload = document.get("payload")
    if not isinstance(payload, str) or not isinstance(document.get("sha256"), str):
        return None
    if hashlib.sha256(payload.encode("ascii")).hexdigest() != document["sha256"]:
        return None
    try:
        return _entry_from(json.loads(payload), document_too)
    except _Unusable:
        return None


def _entry_from(value: Any, document: bool) -> Entry:
    _expect(isinstance(value, dict) and set(value) == {"problems", "data", "summary"})
    problems = value["problems"]
    _expect(isinstance(problems, list) and all(isinstance(p, str) for p in problems))
    if problems:
        _expect(value["data"] is None and value["summary"] is None)
        return Entry(problems)
    _expect(isinstance(value["data"], dict))
    return Entry([], _decoded(value["data"]) if document else None, _summary_from(value["summary"]))


def _summary_from(value: Any) -> CallSummary:
    _expect(isinstance(value, dict) and set(value) == {"id", "title", "agency", "deadline", "cap", "questions"})
    _expect(all(isinstance(value[name], str) for name in ("id", "title", "agency")))
    _expect(isinstance(value["questions"], int) and not isinstance(value["questions"], bool))
    deadline, cap = value["deadline"], value["cap"]
    _expect(deadline is None or isinstance(deadline, str))
    _expect(cap is None or isinstance(cap, str))
    amount = Decimal(cap) if cap is not None else None
    _expect(amount is None or amount.is_finite())
    return CallSummary(value["id"], value["title"], value["agency"],
                       date.fromisoformat(deadline) if deadline is not None else None, amount, value["questions"])


def _decoded(value: Any) -> Any:
    """A document as the strict reader gave it, from its JSON form."""
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, inner), = value.items()
            if tag == "$decimal":
                _expect(isinstance(inner, str))
                number = Decimal(inner)
                _expect(number.is_finite())
                return number
            if tag == "$date":
                _expect(isinstance(inner, str))
                return date.fromisoformat(inner)
            if tag == "$datetime":
                _expect(isinstance(inner, str))
                return datetime.fromisoformat(inner)
            if tag == "$dict":
                _expect(isinstance(inner, dict) and len(inner) == 1)
                return {key: _decoded(item) for key, item in inner.items()}
        return {key: _decoded(item) for key, item in value.items()}
    _expect(value is None or isinstance(value, (str, int, bool)))
    return value


def _expect(condition: bool) -> None:
    if not condition:
        raise _Unusable


# -- writing -------------------------------------------------------------------------------------


def _entry_json(entry: Entry) -> dict[str, Any]:
    summary = entry.summary
    return {
        "problems": entry.problems,
        "data": _encoded(entry.data) if not entry.problems else None,
        "summary": None if summary is None or entry.problems else {
            "id": summary.id, "title": summary.title, "agency": summary.agency,
            "deadline": summary.deadline.isoformat() if summary.deadline else None,
            "cap": str(summary.cap) if summary.cap is not None else None, "questions": summary.questions},
    }


def _encoded(value: Any) -> Any:
    if isinstance(value, list):
        return [_encoded(item) for item in value]
    if isinstance(value, dict):
        encoded = {key: _encoded(item) for key, item in value.items()}
        return {"$dict": encoded} if len(value) == 1 and next(iter(value)) in _TAGS else encoded
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(type(value).__name__)  # nothing the strict reader gives: no entry written
