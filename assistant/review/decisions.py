"""What the author already decided in `aap relire` (accepted, edited or refused), so that reading
the same files again brings back only what was left for later.

One JSON list of keys in the dossier's versions folder (`relectures.json`, 0600, written
atomically); the newest MAX_DECIDED are kept. Unreadable, it counts as empty: every proposal is
shown again, nothing is lost."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .. import versions
from ..files import FileError, FileTooLarge, private_folder, read_limited, write_private

if TYPE_CHECKING:
    from .importing import Proposal, Suggestion

DECIDED_FILE = "relectures.json"
MAX_DECIDED = 5000


def keys(proposal: Proposal, suggestion: Suggestion) -> list[str]:
    """What a decision is about: an answer (or a list's field), the text it had in the export and
    the text proposed; not the file's name (reviewers send back files of the same name) nor a
    line's number (lines move)."""
    def words(text: str) -> str:
        return " ".join(text.split())
    return [json.dumps([proposal.question, proposal.action, proposal.field_id, words(proposal.exported),
                        words(suggestion.text)], ensure_ascii=False)]


def undecided(store: Any, name: str, proposals: list[Proposal]) -> tuple[list[Proposal], int]:
    """The proposals less the suggestions already decided; and how many were left out."""
    known = set(_ordered(store, name))
    kept: list[Proposal] = []
    dropped = 0
    for proposal in proposals:
        fresh = [s for s in proposal.suggestions if not all(k in known for k in keys(proposal, s))]
        dropped += len(proposal.suggestions) - len(fresh)
        if fresh:
            proposal.suggestions = fresh
            kept.append(proposal)
    return kept, dropped


def remember(store: Any, name: str, proposals: list[Proposal]) -> None:
    new = [key for proposal in proposals for suggestion in proposal.suggestions for key in keys(proposal, suggestion)]
    if not new:
        return
    fresh = set(new)
    known = [key for key in _ordered(store, name) if key not in fresh]
    folder = private_folder(versions.folder(store, name), own=True)
    data = json.dumps((known + new)[-MAX_DECIDED:], ensure_ascii=False).encode("utf-8")
    write_private(folder / DECIDED_FILE, data)


def _ordered(store: Any, name: str) -> list[str]:
    path = versions.folder(store, name) / DECIDED_FILE
    if not path.is_file():  # none yet; a pipe or a device put there is never read (it would hang)
        return []
    try:
        data = json.loads(read_limited(path, 20_000_000))
    except (FileError, FileTooLarge, OSError, ValueError):
        return []  # none yet, or unreadable: every proposal is shown again, nothing is lost
    return [key for key in data if isinstance(key, str)] if isinstance(data, list) else []
