"""The questionnaire model: a call (appel), its sections, questions and declared rules.

The YAML keys are French, for the agencies that write the calls; attribute names are English.
Every model forbids unknown keys so a typo in a questionnaire is reported, never ignored.
Cross-references (conditions and rules naming questions) are checked in `lint.py`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator

from .criteria import Criterion
from .i18n import DEFAULT_LANGUAGE, _
from .layout import Document
from .limits import LONG_TEXT_MAX_LENGTH, MAX_GROUP_ITEMS, AmountLimit, NumberLimit
from .limits import MAX_ANSWER_BYTES as MAX_ANSWER_BYTES  # noqa: PLC0414 (still imported from here)
from .limits import MAX_ANSWERS_BYTES as MAX_ANSWERS_BYTES  # noqa: PLC0414 (still imported from here)
from .rules import Condition as Condition  # noqa: PLC0414 (`si` on questions and rules alike)
from .rules import Rule  # one class per rule kind, in rules/
from .rules import Severity as Severity  # noqa: PLC0414 (the model's word too)
from .schema import Identifier, Model, Text


class FieldType(StrEnum):
    TEXT = "texte"
    LONG_TEXT = "texte_long"
    INTEGER = "entier"
    DECIMAL = "decimal"
    AMOUNT = "montant"
    PERCENTAGE = "pourcentage"
    DATE = "date"
    EMAIL = "email"
    PHONE = "telephone"
    FINESS = "finess"
    SIRET = "siret"
    YES_NO = "oui_non"
    CHOICE = "choix"
    MULTIPLE_CHOICE = "choix_multiple"
    FILE = "fichier"
    GROUP = "groupe"




def _type_length_limit(kind: FieldType | None) -> int | None:
    # What each type holds at most is said by its kind (`fields`), which is built on this model.
    from .fields import KINDS

    return KINDS[kind].length_limit if kind is not None else None


class Choice(Model):
    id: Identifier
    label: Text = Field(alias="libelle")


class Question(Model):
    id: Identifier
    label: Text = Field(alias="libelle")
    type: FieldType
    help: Text = Field(default="", alias="aide")
    example: Text | None = Field(default=None, alias="exemple")
    required: bool = Field(default=True, alias="obligatoire")
    max_length: int | None = Field(default=None, gt=0, alias="longueur_max")
    advised_length: int | None = Field(default=None, gt=0, le=LONG_TEXT_MAX_LENGTH, alias="longueur_conseillee")
    minimum: NumberLimit | None = Field(default=None, alias="min")
    maximum: NumberLimit | None = Field(default=None, alias="max")
    choices: tuple[Choice, ...] = Field(default=(), alias="choix")
    condition: Condition | None = Field(default=None, alias="si")
    fields: tuple[Question, ...] = Field(default=(), alias="champs")
    min_items: int = Field(default=0, ge=0, le=MAX_GROUP_ITEMS, alias="min_elements")
    max_items: int | None = Field(default=None, ge=1, le=MAX_GROUP_ITEMS, alias="max_elements")
    # `groupement: false` (type entier only): a number that is not a quantity — a year, a
    # count used as a label — is shown without thousands separators, « 2024 » and not
    # « 2 024 », in the terminal and in the document; `true` groups it whatever its bounds.
    # Unsaid (None), an integer is a year when its bounds are years (`fields/numbers.py`).
    grouping: bool | None = Field(default=None, alias="groupement")
    # `precision: mois` (type date only): the answer may be a month, « janvier 2023 », as well
    # as a day: a plan's steps are known to the month. How a month is kept, shown and compared
    # is said by the date field type (`fields/dates.py`).
    precision: Literal["jour", "mois"] = Field(default="jour", alias="precision")

    @field_validator("grouping")
    @classmethod
    def _grouping_for_integers(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        kind = info.data.get("type")
        if value is False and kind is not None and kind is not FieldType.INTEGER:
            raise ValueError(_("seulement pour le type « entier »"))
        return value

    @field_validator("precision")
    @classmethod
    def _precision_for_dates(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("type")
        if value != "jour" and kind is not None and kind is not FieldType.DATE:
            raise ValueError(_("seulement pour le type « date »"))
        return value

    @field_validator("max_length")
    @classmethod
    def _length_within_limit(cls, value: int | None, info: ValidationInfo) -> int | None:
        limit = _type_length_limit(info.data.get("type"))
        if value is not None and limit is not None and value > limit:
            raise ValueError(_("{max} au plus pour le type « {type} »").format(max=limit, type=info.data["type"].value))
        return value

    @property
    def length_limit(self) -> int | None:
        """The most characters an answer may have: the questionnaire's `longueur_max`, within
        the type's own limit; None for a type that is not a text."""
        limit = _type_length_limit(self.type)
        return min(self.max_length or limit, limit) if limit is not None else None

    @property
    def item_limit(self) -> int:
        """The most items a group may have: `max_elements`, within MAX_GROUP_ITEMS."""
        return min(self.max_items or MAX_GROUP_ITEMS, MAX_GROUP_ITEMS)

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def field(self, field_id: str) -> Question | None:
        return next((f for f in self.fields if f.id == field_id), None)


class Section(Model):
    id: Identifier
    title: Text = Field(alias="titre")
    guidance: Text = Field(default="", alias="guide")
    questions: tuple[Question, ...] = ()




class Appel(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text = Field(alias="titre")
    agency: str = Field(alias="agence")
    summary: Text = Field(default="", alias="resume")
    reference: str = Field(alias="texte_reference")
    platform: str = Field(alias="plateforme_depot")
    contact: str | None = None
    deadline: date | None = Field(alias="date_limite")
    cap: AmountLimit | None = Field(alias="plafond", gt=0)
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = Field(default=(), alias="regles")
    criteria: tuple[Criterion, ...] = Field(default=(), alias="criteres")
    document: Document = Field(default_factory=Document)
    _source_fingerprint: str | None = PrivateAttr(default=None)

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @cached_property
    def _index(self) -> dict[str, tuple[Section, Question]]:
        return {q.id: (s, q) for s in self.sections for q in s.questions}

    def question(self, question_id: str) -> Question | None:
        found = self._index.get(question_id)
        return found[1] if found else None

    def section_of(self, question_id: str) -> Section | None:
        found = self._index.get(question_id)
        return found[0] if found else None

    @classmethod
    def from_data(cls, data: dict[str, Any], language: str = DEFAULT_LANGUAGE) -> Appel:
        """Validate a questionnaire's data in one language; its fingerprint is the same in all."""
        appel = cls.model_validate(data, context={"langue": language})
        appel._source_fingerprint = _digest(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False))
        return appel

    @cached_property
    def fingerprint(self) -> str:
        """Changes when the questionnaire's content changes, not its comments or layout."""
        return self._source_fingerprint or _digest(self.model_dump_json(by_alias=True))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
