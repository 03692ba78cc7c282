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
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, _

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


def _localized(value: Any, info: ValidationInfo) -> Any:
    """A text is French, or a mapping of translations `{fr: …, en: …}`; the language asked for
    (the validation context's `langue`) is kept, French where it has no translation."""
    if not isinstance(value, dict):
        return value
    unknown = sorted(str(key) for key in value if key not in LANGUAGES)
    if unknown:
        raise ValueError(_("langue inconnue « {langue} » (langues disponibles : {disponibles})").format(
            langue=unknown[0], disponibles=", ".join(LANGUAGES)))
    if not isinstance(value.get(DEFAULT_LANGUAGE), str) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(_("chaque traduction est un texte, et le texte français (fr) est obligatoire"))
    language = (info.context or {}).get("langue", DEFAULT_LANGUAGE)
    return value.get(language) or value[DEFAULT_LANGUAGE]


# A text shown to the user: label, help, guidance, title, rule message.
Text = Annotated[str, BeforeValidator(_localized)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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
    advised_length: int | None = Field(default=None, gt=0, alias="longueur_conseillee")
    minimum: Decimal | None = Field(default=None, alias="min")
    maximum: Decimal | None = Field(default=None, alias="max")
    choices: tuple[Choice, ...] = Field(default=(), alias="choix")
    condition: Condition | None = Field(default=None, alias="si")
    fields: tuple[Question, ...] = Field(default=(), alias="champs")
    min_items: int = Field(default=0, ge=0, alias="min_elements")
    max_items: int | None = Field(default=None, ge=1, alias="max_elements")

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
    amount: Decimal = Field(alias="montant", gt=0)


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
    minimum: int | None = Field(default=None, ge=0, alias="min")
    maximum: int | None = Field(default=None, ge=0, alias="max")


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
    min_length: int = Field(default=15, ge=1, alias="longueur_min")
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
    Union[
        CapRule, ComparisonRule, RequiredRule, CountRule, RolesRule, AllTickedRule, EqualsRule,
        DeadlineRule,
    ],
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
    cap: Decimal | None = Field(alias="plafond", gt=0)
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = Field(default=(), alias="regles")
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
