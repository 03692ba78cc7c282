"""The questionnaire model: a call (appel), its sections, questions and declared rules.

The YAML keys are French, for the agencies that write the calls; attribute names are English.
Every model forbids unknown keys so a typo in a questionnaire is reported, never ignored.
Cross-references (conditions and rules naming questions) are checked in `lint.py`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .errors import InvalidAnswer
from .i18n import DEFAULT_LANGUAGE, _
from .layout import Document
from .numeric import check_amount, check_decimal
from .schema import Identifier, Model, Text

# What one answer may hold, whatever the questionnaire says: a dossier aap accepted must be one
# it can save and read back (the store reads at most 10 MB), and one it can export (Word's
# document properties, such as the author taken from `porteur_nom`, hold 255 characters).
TEXT_MAX_LENGTH = 255
LONG_TEXT_MAX_LENGTH = 200_000  # some sixty pages
FILE_MAX_LENGTH = 1_024
MAX_GROUP_ITEMS = 1_000
# The bytes one group, and all the answers of an answers file, may take in the dossier file
# (texts are bounded by their length: 200,000 characters are 800 kB at most). The history keeps
# at most 200,000 characters of changes (dossier.HISTORY_BYTES, 800 kB), or the last change
# alone, before and after: 2 × 1 MB. A dossier filled from answers files that each stay within
# these limits is then at most 4 + 2 + a few kB of MB, under the store's 10 MB; measured at
# 5.9 MB in the worst case (tests/test_hardening_inputs.py). Answers added over several files
# or in the dialogue add up: only the dossier as a whole can be checked against 10 MB.
MAX_ANSWER_BYTES = 1_000_000
MAX_ANSWERS_BYTES = 4_000_000


def _checked(check: Any) -> Any:
    """A questionnaire's number within the limits an answer has (a cap of 1e400 would pass
    validation and then break every display of the call)."""
    def validate(value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        try:
            check(value, format(value, "f") if value.is_finite() else str(value))
        except InvalidAnswer as refused:
            raise ValueError(refused.message) from None
        return value
    return AfterValidator(validate)


AmountLimit = Annotated[Decimal, _checked(check_amount)]
NumberLimit = Annotated[Decimal, _checked(check_decimal)]




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


NUMERIC_TYPES = frozenset(
    {FieldType.INTEGER, FieldType.DECIMAL, FieldType.AMOUNT, FieldType.PERCENTAGE}
)
CHOICE_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTIPLE_CHOICE})
_LENGTH_LIMITS = {FieldType.TEXT: TEXT_MAX_LENGTH, FieldType.LONG_TEXT: LONG_TEXT_MAX_LENGTH,
                  FieldType.FILE: FILE_MAX_LENGTH}


class Choice(Model):
    id: Identifier
    label: Text = Field(alias="libelle")


class Condition(Model):
    """Show a question only when another one has a given answer (or, for a multiple choice,
    contains a given choice)."""

    question: Identifier
    equals: str | bool | int | None = Field(default=None, alias="egal")
    contains: Identifier | None = Field(default=None, alias="contient")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.equals is None) == (self.contains is None):
            raise ValueError(_("une condition porte soit « egal », soit « contient »"))
        return self


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
    # « 2 024 », in the terminal and in the document. Quantities keep the default, true.
    grouping: bool = Field(default=True, alias="groupement")

    @field_validator("grouping")
    @classmethod
    def _grouping_for_integers(cls, value: bool, info: ValidationInfo) -> bool:
        kind = info.data.get("type")
        if not value and kind is not None and kind is not FieldType.INTEGER:
            raise ValueError(_("seulement pour le type « entier »"))
        return value

    @field_validator("max_length")
    @classmethod
    def _length_within_limit(cls, value: int | None, info: ValidationInfo) -> int | None:
        limit = _LENGTH_LIMITS.get(info.data.get("type"))  # type: ignore[arg-type]
        if value is not None and limit is not None and value > limit:
            raise ValueError(_("{max} au plus pour le type « {type} »").format(max=limit, type=info.data["type"].value))
        return value

    @property
    def length_limit(self) -> int | None:
        """The most characters an answer may have: the questionnaire's `longueur_max`, within
        the type's own limit; None for a type that is not a text."""
        limit = _LENGTH_LIMITS.get(self.type)
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


class Severity(StrEnum):
    BLOCKING = "bloquant"
    ERROR = "erreur"
    WARNING = "avertissement"


class Operand(Model):
    """One term of a comparison: a question's amount, the sum of a group's field
    (`somme: depenses.montant`), or, inside `pour_chaque`, a field of the current item."""

    question: Identifier | None = None
    sum: str | None = Field(default=None, alias="somme", pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    field: Identifier | None = Field(default=None, alias="champ")

    @model_validator(mode="after")
    def _one_reference(self) -> Operand:
        if sum(x is not None for x in (self.question, self.sum, self.field)) != 1:
            raise ValueError(_("un terme porte exactement une clé parmi « question », « somme », « champ »"))
        return self


def _as_list(value: Any) -> Any:
    return value if isinstance(value, list | tuple) else [value]


class _Rule(Model):
    id: Identifier
    severity: Severity = Field(alias="gravite")
    message: Text


class CapRule(_Rule):
    kind: Literal["plafond"] = Field(alias="type")
    question: Identifier
    amount: AmountLimit = Field(alias="montant", gt=0)


class ComparisonRule(_Rule):
    kind: Literal["comparaison"] = Field(alias="type")
    left: tuple[Operand, ...] = Field(alias="gauche", min_length=1)
    operator: Literal["<=", "<", "=", ">=", ">"] = Field(alias="operateur")
    right: tuple[Operand, ...] = Field(alias="droite", min_length=1)
    for_each: Identifier | None = Field(default=None, alias="pour_chaque")

    _wrap = field_validator("left", "right", mode="before")(_as_list)


class RequiredRule(_Rule):
    kind: Literal["obligatoire"] = Field(alias="type")
    questions: tuple[Identifier, ...] = Field(min_length=1)


class CountRule(_Rule):
    kind: Literal["nombre"] = Field(alias="type")
    group: Identifier = Field(alias="groupe")
    minimum: int | None = Field(default=None, ge=0, le=MAX_GROUP_ITEMS, alias="min")
    maximum: int | None = Field(default=None, ge=0, le=MAX_GROUP_ITEMS, alias="max")


class RequiredFunction(Model):
    label: Text = Field(alias="libelle")
    patterns: tuple[str, ...] = Field(alias="motifs", min_length=1)
    severity: Severity = Field(alias="gravite")
    message: Text


class RolesRule(_Rule):
    kind: Literal["roles"] = Field(alias="type")
    group: Identifier = Field(alias="groupe")
    role_field: Identifier = Field(default="role", alias="champ_role")
    function_field: Identifier = Field(default="fonction", alias="champ_fonction")
    name_field: Identifier = Field(default="nom", alias="champ_nom")
    min_length: int = Field(default=15, ge=1, le=TEXT_MAX_LENGTH, alias="longueur_min")
    vague_terms: tuple[str, ...] = Field(default=(), alias="termes_vagues")
    required_functions: tuple[RequiredFunction, ...] = Field(default=(), alias="fonctions_requises")


class AllTickedRule(_Rule):
    kind: Literal["tous_coches"] = Field(alias="type")
    question: Identifier


class EqualsRule(_Rule):
    kind: Literal["egal_a"] = Field(alias="type")
    question: Identifier
    value: str | bool = Field(alias="valeur")


class DeadlineRule(_Rule):
    kind: Literal["date_limite"] = Field(alias="type")


Rule = Annotated[
    CapRule | ComparisonRule | RequiredRule | CountRule | RolesRule | AllTickedRule | EqualsRule | DeadlineRule,
    Field(discriminator="kind"),
]
RULE_KINDS = ("plafond", "comparaison", "obligatoire", "nombre", "roles", "tous_coches", "egal_a", "date_limite")


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
