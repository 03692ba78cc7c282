"""A dossier: the answers to one call, where the user stands, and a short history of changes.

On disk it is one JSON file (see `store.py`); `DossierFile` is its validated shape. In memory a
`Dossier` keeps two views of the answers: `raw`, the JSON values exactly as saved (answers to
questions a newer questionnaire removed stay there, never silently dropped), and `answers`, the
typed values of the questions that exist and whose saved value decodes (strictly: only what aap
writes; see `fields`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .errors import InvalidAnswer, UsageError
from .fields import decode, encode, groups
from .i18n import _, ngettext
from .model import Appel, Question
from .schema import Model

SCHEMA_VERSION = 1
# A short history, for undo: bounded in count and in size, since a group's every change records
# the whole group before and after (300 budget lines are some 30 kB).
HISTORY_LIMIT = 50
HISTORY_BYTES = 200_000
JSON = Any


def _saved_moment(value: Any) -> Any:
    """A moment as aap writes it in a dossier file: an ISO date and time with its offset
    (`2026-11-30T10:00:00+01:00`). A date alone, a time without an offset or a number is not
    one of aap's, whatever pydantic's lax mode would make of it."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value  # built by aap itself (`to_file`)
    if not isinstance(value, str) or "T" not in value:
        raise ValueError("not an ISO date and time")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


Moment = Annotated[datetime, BeforeValidator(_saved_moment)]


class Position(Model):
    section: str | None = None
    question: str | None = None


class Change(Model):
    question: str
    at: Moment = Field(alias="quand")
    before: JSON = Field(default=None, alias="avant")
    after: JSON = Field(default=None, alias="apres")


class DossierFile(Model):
    schema_version: int = Field(alias="version_schema")
    name: str = Field(alias="nom")
    appel: str
    fingerprint: str = Field(alias="empreinte_questionnaire")
    created: Moment = Field(alias="cree_le")
    modified: Moment = Field(alias="modifie_le")
    position: Position = Position()
    answers: dict[str, JSON] = Field(default_factory=dict, alias="reponses")
    history: list[Change] = Field(default_factory=list, alias="historique")


def now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f]|^\.|\.\.")
# A file name must fit every file system (255 bytes) with what aap adds to it: `.json.bak.tmp`,
# `.json.endommage-AAAAMMJJ-HHMMSS`, `-AAAA-MM-JJ-relecture.docx`.
MAX_NAME_BYTES = 150
# Names Windows keeps for devices: `con.json` cannot be created there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}


def slugify(name: str) -> str:
    """`CH Saint-Denis 2022` → `ch-saint-denis-2022`; `Проект Москва 2022` → `проект-москва-2022`.

    Latin accents are folded (a name is typed again later, often without them); letters of other
    scripts are kept as they are, so that two names never become one file by losing their
    letters. A name is never cut: one too long for a file name is refused with a shorter one
    proposed. Names that try to be paths are refused."""
    if _UNSAFE_NAME.search(name.strip()):
        raise UsageError(
            _("« {nom} » n'est pas un nom de dossier : pas de « / », de « \\ » ni de « .. » ; "
              "par exemple ch-saint-denis-2022").format(nom=name)
        )
    slug = _words(_fold_latin(name))
    if not slug:
        raise UsageError(_("« {nom} » n'est pas un nom de dossier : utilisez des lettres et des chiffres").format(nom=name))
    if len(slug.encode("utf-8")) > MAX_NAME_BYTES:
        raise UsageError(
            _("« {nom} » est trop long pour un nom de dossier ; par exemple « {proposition} »").format(
                nom=name, proposition=_shortened(slug))
        )
    if slug in _RESERVED:
        raise UsageError(_("« {nom} » est un nom réservé par Windows ; par exemple « {nom}-2 »").format(nom=slug))
    return slug


def name_key(name: str) -> str:
    """What makes two names the same file on Windows and macOS: case and Unicode form."""
    return unicodedata.normalize("NFC", name).casefold()


def _words(text: str) -> str:
    """Letters, digits and the marks that belong to them (the vowel signs of Devanagari or Thai
    are marks: dropping them would make « कि » and « का » one name), joined by hyphens."""
    kept = "".join(c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in text)
    return "-".join(kept.split()).casefold()


def _fold_latin(name: str) -> str:
    folded = []
    for char in unicodedata.normalize("NFC", name.casefold()):
        base = unicodedata.normalize("NFKD", char)
        stripped = "".join(c for c in base if not unicodedata.combining(c))
        folded.append(stripped if stripped.isascii() else char)
    return unicodedata.normalize("NFC", "".join(folded))


def _shortened(slug: str) -> str:
    words, kept = slug.split("-"), list[str]()
    for word in words:
        if len("-".join([*kept, word]).encode("utf-8")) > MAX_NAME_BYTES // 2:
            break
        kept.append(word)
    return "-".join(kept) or slug.encode("utf-8")[: MAX_NAME_BYTES // 2].decode("utf-8", "ignore")


@dataclass
class Dossier:
    name: str
    appel: Appel
    created: datetime
    modified: datetime
    position: Position = field(default_factory=Position)
    raw: dict[str, JSON] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[Change] = field(default_factory=list)
    # What a changed questionnaire left behind: answers to removed questions, answers that no
    # longer validate (question id → why).
    orphans: list[str] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)
    # The `nom` a file holds when it differs from its file name (renamed or copied by hand):
    # reported, never used, since the file's place is its name.
    name_in_file: str | None = None
    # The call the answers were written for, when it is not this one (a copy for another call):
    # what names the questions of `orphans` for the user.
    answered_for: str | None = None
    _history_sizes: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._history_sizes = [_size(change) for change in self.history]

    @classmethod
    def new(cls, name: str, appel: Appel) -> Dossier:
        moment = now()
        return cls(name=name, appel=appel, created=moment, modified=moment)

    @classmethod
    def from_file(cls, data: DossierFile, appel: Appel) -> Dossier:
        dossier = cls(name=data.name, appel=appel, created=data.created, modified=data.modified,
                      position=data.position, raw=dict(data.answers), history=list(data.history),
                      answered_for=data.appel if data.appel != appel.id else None)
        for question_id, value in data.answers.items():
            question = appel.question(question_id)
            if question is None:
                dossier.orphans.append(question_id)
                continue
            # Strictly: a value aap did not write (edited by hand) is reported and asked again,
            # never reinterpreted by the lenient parsers of what people type.
            try:
                dossier.answers[question_id] = decode(question, value)
            except InvalidAnswer as error:
                dossier.invalid[question_id] = unreadable_reason(question, value, error)
        return dossier

    def to_file(self) -> DossierFile:
        order = [q.id for q in self.appel.questions()]
        # Questionnaire order first, then what a newer questionnaire no longer asks: a person
        # reading the file finds the answers where the questions are.
        keys = [k for k in order if k in self.raw] + sorted(k for k in self.raw if k not in set(order))
        return DossierFile(
            schema_version=SCHEMA_VERSION, name=self.name, appel=self.appel.id,
            fingerprint=self.appel.fingerprint, created=self.created, modified=self.modified,
            position=self.position, answers={k: self.raw[k] for k in keys}, history=self.history,
        )

    def get(self, question_id: str) -> Any:
        return self.answers.get(question_id)

    def answer(self, question_id: str) -> Any:
        """The answer of a question that is asked: one kept from before a condition changed stays
        saved (the user may come back to it) but counts for nothing in the checks."""
        question = self.appel.question(question_id)
        return self.answers.get(question_id) if question is not None and self.applies(question) else None

    def has(self, question_id: str) -> bool:
        value = self.answers.get(question_id)
        return value is not None and value not in ([], "")

    def set(self, question_id: str, value: Any) -> bool:
        """Record an already-parsed answer (None clears it), with its history entry.
        Returns whether anything changed."""
        question = self.appel.question(question_id)
        assert question is not None, question_id
        before = self.raw.get(question_id)
        after = None if value is None else encode(question, value)
        # A saved value that does not decode may still equal the new one in Python (1.0 == 1):
        # it is written again, as aap writes it.
        if before == after and question_id not in self.invalid:
            if value is not None:
                self.answers[question_id] = value  # the same answer, as just parsed
            return False
        change = Change(question=question_id, at=now(), before=before, after=after)
        self.history.append(change)
        self._history_sizes.append(_size(change))
        while len(self.history) > 1 and (len(self.history) > HISTORY_LIMIT or sum(self._history_sizes) > HISTORY_BYTES):
            del self.history[0], self._history_sizes[0]
        self._apply(question, value, after)
        return True

    def undo(self) -> Change | None:
        """Undo the last change, from the history; returns it, or None when there is none."""
        while self.history:
            change = self.history.pop()
            self._history_sizes.pop()
            question = self.appel.question(change.question)
            if question is None:
                continue
            try:
                value = None if change.before is None else decode(question, change.before)
            except InvalidAnswer as error:
                # A history edited by hand: the value comes back as saved, reported like any
                # damaged answer.
                self._apply(question, None, None)
                self.raw[question.id] = change.before
                self.invalid[question.id] = unreadable_reason(question, change.before, error)
                return change
            self._apply(question, value, change.before)
            return change
        return None

    def _apply(self, question: Question, value: Any, encoded: JSON) -> None:
        self.invalid.pop(question.id, None)
        if value is None:
            self.raw.pop(question.id, None)
            self.answers.pop(question.id, None)
        else:
            self.raw[question.id] = encoded
            self.answers[question.id] = value
        self.modified = now()

    def applies(self, question: Question) -> bool:
        """Whether a question is asked, given the answers so far (its `si` condition)."""
        return question.condition is None or question.condition.holds(self) is True

    def missing_required(self) -> list[Question]:
        return [q for q in self.appel.questions() if q.required and self.applies(q) and not self.has(q.id)]

    def completion(self) -> int:
        """Percentage of the applicable required questions answered."""
        required = [q for q in self.appel.questions() if q.required and self.applies(q)]
        if not required:
            return 100
        answered = sum(1 for q in required if self.has(q.id))
        return int(100 * answered / len(required))

    def answers_file(self) -> dict[str, JSON]:
        """The dossier as an answers file (`aap remplir` reads it back)."""
        return {"appel": self.appel.id, "nom": self.name, "reponses": self.to_file().answers}


def unreadable_reason(question: Question, value: JSON, error: InvalidAnswer) -> str:
    """Why a saved answer does not read, for a person: a list's faulty line by its number and
    its field by its label (« ligne 1, « Nature » : … »), never by the ids the file uses
    (`[1].nature`). The first problem is said, with how many more there are."""
    rows = groups.saved_rows(question, value) if question.fields else None
    problems: list[str] = []
    for number, (row, entry) in enumerate(zip(rows or [], value if isinstance(value, list) else [], strict=False),
                                         start=1):
        if not isinstance(entry, dict):
            problems.append(_("ligne {n} : ce n'est pas une ligne de cette liste").format(n=number))
            continue
        unknown = [key for key in entry if question.field(str(key)) is None]
        if unknown:
            problems.append(ngettext("ligne {n} : un champ que cette liste n'a pas",
                                     "ligne {n} : {k} champs que cette liste n'a pas", len(unknown)).format(
                n=number, k=len(unknown)))
        for field_id, message in row.problems:
            field_q = question.field(field_id) if field_id is not None else None
            if field_q is not None:
                problems.append(_("ligne {n}, « {champ} » : {raison}").format(
                    n=number, champ=field_q.label, raison=message.removeprefix(f"{field_id}: ")))
    if not problems:  # the whole list (too many lines, too few), or not a list: said as it is
        return error.message.removeprefix(": ")
    more = len(problems) - 1
    if more:
        return ngettext("{probleme} (et {n} autre problème)", "{probleme} (et {n} autres problèmes)", more).format(
            probleme=problems[0], n=more)
    return problems[0]


def _size(change: Change) -> int:
    import json

    return len(json.dumps([change.before, change.after], ensure_ascii=False, default=str))
