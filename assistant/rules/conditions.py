"""The conditions of the rule language: a test of one answer (`question: …`) or of one field of
a group's items (`champ: …`), combined with `et`, `ou`, `non`.

A condition is three-valued: it holds (True), does not (False), or cannot be told yet (None, an
answer it needs is missing): a rule concludes only on True or False, so that an unanswered
question is reported once, as missing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..i18n import _
from ..limits import MAX_GROUP_ITEMS, TEXT_MAX_LENGTH
from ..schema import Identifier, Model
from ..text import fold
from .references import group_field
from .terms import Item, Operand, family_of, reversed_bounds
from .wording import is_vague, mentions, mentions_amount, mentions_date

if TYPE_CHECKING:
    from ..dossier import Dossier
    from ..model import Appel, Question

_TESTS = ("equals", "contains", "among", "answered", "mentions", "mentions_amount", "mentions_date", "vague",
          "min_length", "min_words", "departements", "at_least", "at_most", "between", "count")


class Condition(Model):
    """A test of one answer (`question: …`) or, on a group's items, of one field (`champ: …`),
    or a combination: `et: [...]`, `ou: [...]`, `non: {...}`."""

    all_of: tuple[Condition, ...] | None = Field(default=None, alias="et", min_length=1)
    any_of: tuple[Condition, ...] | None = Field(default=None, alias="ou", min_length=1)
    negated: Condition | None = Field(default=None, alias="non")
    question: Identifier | None = None
    field: Identifier | None = Field(default=None, alias="champ")
    # the tests, one per condition
    equals: bool | int | str | None = Field(default=None, alias="egal")
    contains: Identifier | None = Field(default=None, alias="contient")
    among: tuple[int | str, ...] | None = Field(default=None, alias="dans", min_length=1)
    answered: bool | None = Field(default=None, alias="renseigne")
    mentions: tuple[str, ...] | None = Field(default=None, alias="mentionne", min_length=1)
    mentions_amount: Literal[True] | None = Field(default=None, alias="mentionne_montant")
    mentions_date: Literal[True] | None = Field(default=None, alias="mentionne_date")
    vague: tuple[str, ...] | None = Field(default=None, alias="vague", min_length=1)
    min_length: int | None = Field(default=None, alias="longueur_min", ge=1, le=TEXT_MAX_LENGTH * 100)
    min_words: int | None = Field(default=None, alias="mots_min", ge=1, le=100_000)
    departements: tuple[str, ...] | None = Field(default=None, alias="departement_finess", min_length=1)
    at_least: Operand | None = Field(default=None, alias="au_moins")
    at_most: Operand | None = Field(default=None, alias="au_plus")
    between: tuple[Operand, Operand] | None = Field(default=None, alias="entre")
    count: ItemCount | None = Field(default=None, alias="compte")

    @field_validator("between", mode="before")
    @classmethod
    def _two_bounds(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise ValueError(_("« entre » prend deux bornes : [la première, la seconde]"))
        return value

    @field_validator("departements", mode="before")
    @classmethod
    def _departement_codes(cls, value: Any) -> Any:
        """`[18, 36, 2A]`: YAML reads the numbers as integers; « 1 » is « 01 »."""
        if not isinstance(value, list | tuple):
            return value
        return [f"{v:02d}" if isinstance(v, int) and not isinstance(v, bool) else
                f"0{v}" if isinstance(v, str) and len(v) == 1 else v for v in value]

    @field_validator("departements")
    @classmethod
    def _departement_shape(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for code in value or ():
            # Overseas, the start of the territory's FINESS numbers as the register writes them.
            if not re.fullmatch(r"\d{2,4}|2[AB]", code) or code in ("00", "20"):
                raise ValueError(_("« {code} » n'est pas un département (01 à 95, 2A, 2B ; outre-mer : le début des numéros "
                                   "FINESS du territoire)").format(code=code))
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        combinators = sum(x is not None for x in (self.all_of, self.any_of, self.negated))
        subjects = sum(x is not None for x in (self.question, self.field))
        tests = sum(getattr(self, name) is not None for name in _TESTS)
        if combinators:
            if combinators > 1 or subjects or tests:
                raise ValueError(_("une condition est soit « et », soit « ou », soit « non », seule"))
            return self
        if subjects != 1:
            raise ValueError(_("une condition porte sur une « question » ou un « champ » (ou combine : et, ou, non)"))
        if tests != 1:
            raise ValueError(_("une condition fait un seul test parmi : egal, contient, dans, renseigne, mentionne, "
                               "mentionne_montant, mentionne_date, vague, longueur_min, mots_min, departement_finess, "
                               "au_moins, au_plus, entre, compte"))
        return self

    def parts(self) -> tuple[Condition, ...]:
        return self.all_of or self.any_of or ((self.negated,) if self.negated else ())

    def questions(self) -> Iterator[str]:
        """Every question the condition reads, bounds included."""
        for part in self.parts():
            yield from part.questions()
        if self.question:
            yield self.question
        if self.count is not None:
            yield from self.count.items.questions()
        for bound in self._bounds():
            for term in _terms(bound):
                if term.question:
                    yield term.question
                elif term.sum:
                    yield term.sum.split(".")[0]

    def fields(self) -> Iterator[str]:
        """Every field of a group's items the condition reads."""
        for part in self.parts():
            yield from part.fields()
        if self.field:
            yield self.field

    def lint_items(self, appel: Appel, group: str) -> list[str]:
        """A condition on a group's items (`tel_que`, a filtered sum): it reads their fields."""
        if not any(True for _field in self.fields()):
            return [_("une condition sur les éléments du groupe {g} porte sur leurs champs (« champ: … »)").format(g=group)]
        return self.lint(appel, group)

    def _bounds(self) -> tuple[Operand, ...]:
        return tuple(b for b in (self.at_least, self.at_most, *(self.between or ())) if b is not None)

    # -- the questionnaire's check --------------------------------------------------------------

    def lint(self, appel: Appel, group: str | None) -> list[str]:
        """What is wrong with this condition; `group` is the group whose items `champ` names."""
        parts = self.parts()
        if parts:
            return [p for part in parts for p in part.lint(appel, group)]
        if self.field is not None and group is None:
            return [_("« champ » ne va que dans une condition sur les éléments d'un groupe")]
        subject = appel.question(self.question) if self.question else None
        if self.question and subject is None:
            return [_("la condition nomme une question inconnue « {q} »").format(q=self.question)]
        if self.field is not None:
            problems = group_field(appel, group or "", self.field, None, "")
            if problems:
                return problems
            owner = appel.question(group or "")
            subject = owner.field(self.field) if owner else None
        assert subject is not None
        return self._test_fits(appel, subject, group)

    def _test_fits(self, appel: Appel, subject: Question, group: str | None) -> list[str]:
        from ..model import FieldType

        kind = subject.type
        texts = {FieldType.TEXT, FieldType.LONG_TEXT}
        if self.count is not None:
            if kind is not FieldType.GROUP:
                return [_("« compte » porte sur un groupe ; « {q} » est de type « {type} »").format(
                    q=subject.id, type=kind.value)]
            return self.count.items.lint_items(appel, subject.id)
        if self.contains is not None:
            if kind is not FieldType.MULTIPLE_CHOICE:
                return [_("« contient » ne va qu'avec une question à choix multiple")]
            return self._choices(subject, (self.contains,))
        if self.equals is not None:
            if kind is FieldType.YES_NO and not isinstance(self.equals, bool):
                return [_("la question {q} est oui/non : « egal » vaut true ou false").format(q=subject.id)]
            if family_of(subject) not in (None, "nombre") or kind in (FieldType.DECIMAL, FieldType.PERCENTAGE):
                return [_("« egal » ne va pas avec un montant, un nombre décimal ou une date (« {q} ») : employez au_moins et "
                          "au_plus").format(q=subject.id)]
            if kind is FieldType.CHOICE:
                return self._choices(subject, (str(self.equals),))
            integer = kind is FieldType.INTEGER
            if kind is not FieldType.YES_NO and (isinstance(self.equals, bool) or isinstance(self.equals, int) != integer):
                return [_("« egal » compare la réponse à une valeur de son type : « {q} » est de type « {type} »").format(
                    q=subject.id, type=kind.value)]
            return []
        if self.among is not None:
            if kind in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE):
                return self._choices(subject, tuple(str(v) for v in self.among))
            return [] if kind in texts or kind is FieldType.INTEGER else [
                _("« dans » ne va qu'avec un choix, un texte ou un entier (« {q} » est de type « {type} »)").format(
                    q=subject.id, type=kind.value)]
        text_tests = (self.mentions, self.mentions_amount, self.mentions_date, self.vague, self.min_length, self.min_words)
        if any(t is not None for t in text_tests) and kind not in texts:
            return [_("ce test porte sur un texte ; « {q} » est de type « {type} »").format(q=subject.id, type=kind.value)]
        if self.departements is not None and kind is not FieldType.FINESS:
            return [_("« departement_finess » porte sur un numéro FINESS ; « {q} » est de type « {type} »").format(
                q=subject.id, type=kind.value)]
        bounds = self._bounds()
        if bounds:
            mine = family_of(subject)
            if mine is None:
                return [_("« au_moins », « au_plus » et « entre » portent sur un nombre, un montant ou une date ; « {q} » "
                          "est de type « {type} »").format(q=subject.id, type=kind.value)]
            problems = [p for b in bounds for p in b.lint(appel, group)]
            if not problems and any((b.family(appel, group) == "date") != (mine == "date") for b in bounds):
                problems.append(_("on ne compare pas une date à un nombre"))
            low, high = self.between or (None, None)
            if not problems and low is not None and high is not None and reversed_bounds(low, high):
                problems.append(_("« entre » : la première borne vient après la seconde"))
            return problems
        return []

    @staticmethod
    def _choices(subject: Question, values: tuple[str, ...]) -> list[str]:
        return [_("la condition nomme un choix inconnu « {c} » de la question {q}").format(c=v, q=subject.id)
                for v in values if subject.choice(v) is None]

    # -- evaluation -----------------------------------------------------------------------------

    def met_by(self, dossier: Dossier, items: list[Item], minimum: int) -> bool | None:
        """Whether at least `minimum` of the items meet the condition (None: only if some that
        cannot be told yet do). It stops as soon as it knows: a budget of 300 lines is read to
        its first precise one, not to its end."""
        met = unknown = 0
        for item in items:
            result = self.holds(dossier, item)
            met += result is True
            unknown += result is None
            if met >= minimum:
                return True
        return None if met + unknown >= minimum else False

    def holds(self, dossier: Dossier, item: Item | None = None) -> bool | None:
        """True, False, or None when an answer it needs is missing."""
        if self.all_of is not None:
            results = [c.holds(dossier, item) for c in self.all_of]
            return False if False in results else (None if None in results else True)
        if self.any_of is not None:
            results = [c.holds(dossier, item) for c in self.any_of]
            return True if True in results else (None if None in results else False)
        if self.negated is not None:
            result = self.negated.holds(dossier, item)
            return None if result is None else not result
        value = dossier.answer(self.question) if self.question else (item or {}).get(self.field or "")
        given = value is not None and value not in ([], "")
        if self.answered is not None:
            return given == self.answered
        if not given:
            # An answer still to come tells nothing yet; an item's field left empty is empty.
            return None if self.question else False
        return self._test(dossier, item, value)

    def _test(self, dossier: Dossier, item: Item | None, value: Any) -> bool | None:
        if self.count is not None:
            return self.count.holds(dossier, value)
        if self.equals is not None:
            return bool(value == self.equals and isinstance(value, bool) == isinstance(self.equals, bool))
        if self.contains is not None:
            return isinstance(value, list) and self.contains in value
        if self.among is not None:
            # Choices by their id; texts as people compare them, accents and case aside.
            wanted = {fold(str(v)) for v in self.among}
            return bool(wanted & {fold(str(v)) for v in value}) if isinstance(value, list) else fold(str(value)) in wanted
        if self.departements is not None:
            return str(value).upper().startswith(self.departements)
        text = str(value)
        if self.mentions is not None:
            return mentions(text, self.mentions)
        if self.mentions_amount:
            return mentions_amount(text)
        if self.mentions_date:
            return mentions_date(text)
        if self.vague is not None:
            return is_vague(text, self.vague)
        if self.min_length is not None:
            return len(text.strip()) >= self.min_length
        if self.min_words is not None:
            return len(re.findall(r"\w+", text)) >= self.min_words
        return self._within(dossier, item, value)

    def _within(self, dossier: Dossier, item: Item | None, value: Any) -> bool | None:
        low = self.at_least or (self.between[0] if self.between else None)
        high = self.at_most or (self.between[1] if self.between else None)
        if isinstance(value, int):
            value = Decimal(value)
        for bound, above in ((low, True), (high, False)):
            if bound is None:
                continue
            limit = bound.value(dossier, item)
            if limit is None or isinstance(limit, date) != isinstance(value, date):
                return None
            if (value < limit) if above else (value > limit):
                return False
        return True


class ItemCount(Model):
    """`compte: {min: 1, tel_que: {…}}`: the group has at least `min` items that meet a condition
    (« si le budget a au moins une ligne précise »); `max: 0` says none does (« aucun membre
    sans temps consacré »). `min` is 1 unless only `max` is given."""

    items: Condition = Field(alias="tel_que")
    minimum: int | None = Field(default=None, alias="min", ge=0, le=MAX_GROUP_ITEMS)
    maximum: int | None = Field(default=None, alias="max", ge=0, le=MAX_GROUP_ITEMS)

    @model_validator(mode="after")
    def _ordered(self) -> ItemCount:
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(_("« compte » : min ({min}) est plus grand que max ({max})").format(
                min=self.minimum, max=self.maximum))
        return self

    def holds(self, dossier: Dossier, items: list[Item]) -> bool | None:
        least = self.minimum if self.minimum is not None else (0 if self.maximum is not None else 1)
        if self.maximum is None:
            return self.items.met_by(dossier, items, least)
        results = [self.items.holds(dossier, item) for item in items]
        met, unknown = results.count(True), results.count(None)
        if met > self.maximum or met + unknown < least:
            return False
        return True if met >= least and met + unknown <= self.maximum else None


def _terms(operand: Operand) -> Iterator[Operand]:
    yield operand
    if operand.of is not None:
        yield from _terms(operand.of)
