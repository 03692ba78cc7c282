"""The terms a rule computes with (`Operand`) and the conditions it tests (`Condition`), in one
module because each is built of the other: a filtered sum adds up the items a condition keeps,
and a condition's bound is a term.

A term is a number (an amount or not) or a date. A condition is three-valued: it holds (True),
does not (False), or cannot be told yet (None, an answer it needs is missing): a rule concludes
only on True or False, so that an unanswered question is reported once, as missing."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..i18n import _
from ..limits import TEXT_MAX_LENGTH, NumberLimit
from ..schema import Identifier, Model
from ..text import fold
from .references import group_field

if TYPE_CHECKING:
    from ..dossier import Dossier
    from ..model import Appel, Question

# What a term is: an amount, another number, or a date. Amounts and numbers compare together
# (a share of an amount is an amount); dates only with dates.
Family = Literal["montant", "nombre", "date"]
DEADLINE = "date_limite"  # `date: date_limite`: the call's own deadline
Item = dict[str, Any]


class Offset(Model):
    """`decalage: {mois: 6}`: a date moved by whole days, months and years (31 January + 1 month
    is 28 or 29 February: the day is kept where the month has it)."""

    days: int = Field(default=0, alias="jours", ge=-36_600, le=36_600)
    months: int = Field(default=0, alias="mois", ge=-1_200, le=1_200)
    years: int = Field(default=0, alias="ans", ge=-100, le=100)

    def apply(self, day: date) -> date | None:
        from datetime import timedelta

        months = day.year * 12 + day.month - 1 + self.months + 12 * self.years
        year, month = divmod(months, 12)
        if not 1 <= year <= 9999:
            return None
        moved = day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))
        try:
            return moved + timedelta(days=self.days)
        except OverflowError:
            return None


class Operand(Model):
    """One term: a question's answer, the sum of a group's field (`somme: depenses.montant`,
    restricted by `si` to the items a condition keeps), inside `pour_chaque` a field of the
    current item, a number (`nombre: 40000`), a date (`date: 2024-12-31`, or `date: date_limite`
    for the call's deadline), or a percentage of another term (`pourcentage: 50, de: {…}`).
    A date may be moved: `decalage: {mois: 6}`."""

    question: Identifier | None = None
    sum: str | None = Field(default=None, alias="somme", pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    field: Identifier | None = Field(default=None, alias="champ")
    number: NumberLimit | None = Field(default=None, alias="nombre")
    day: date | Literal["date_limite"] | None = Field(default=None, alias="date")
    percentage: NumberLimit | None = Field(default=None, alias="pourcentage", ge=0, le=10_000)
    of: Operand | None = Field(default=None, alias="de")
    where: Condition | None = Field(default=None, alias="si")
    offset: Offset | None = Field(default=None, alias="decalage")

    @model_validator(mode="after")
    def _one_reference(self) -> Operand:
        keys = (self.question, self.sum, self.field, self.number, self.day, self.percentage)
        if sum(x is not None for x in keys) != 1:
            raise ValueError(_("un terme porte exactement une clé parmi « question », « somme », « champ », « nombre », "
                               "« date », « pourcentage »"))
        if (self.percentage is None) != (self.of is None):
            raise ValueError(_("« pourcentage » va avec « de » (le terme dont il est la part)"))
        if self.where is not None and self.sum is None:
            raise ValueError(_("« si » dans un terme ne va qu'avec « somme » (les éléments à additionner)"))
        return self

    @property
    def anchor(self) -> str | None:
        """The question a finding about this term is shown at: the question, or the summed group."""
        if self.of is not None:
            return self.of.anchor
        return self.question or (self.sum.split(".")[0] if self.sum else None)

    def _target(self, appel: Appel, group: str | None) -> tuple[Question | None, list[str]]:
        """The question or field this term reads, or what is wrong with its reference."""
        if self.question:
            question = appel.question(self.question)
            return question, ([] if question else [_("question inconnue « {q} »").format(q=self.question)])
        if self.sum:
            group_id, field_id = self.sum.split(".")
            problems = group_field(appel, group_id, field_id, None, "")
            summed = appel.question(group_id)
            return (summed.field(field_id) if summed and not problems else None), problems
        if group is None:
            return None, [_("« champ » ne va qu'avec « pour_chaque » ou une condition sur les éléments d'un groupe")]
        problems = group_field(appel, group, self.field or "", None, "")
        owner = appel.question(group)
        return (owner.field(self.field or "") if owner and not problems else None), problems

    def family(self, appel: Appel, group: str | None) -> Family | None:
        """What the term is; None when its reference is wrong (`lint` says why)."""
        if self.number is not None:
            return "nombre"
        if self.day is not None:
            return "date"
        if self.of is not None:
            return self.of.family(appel, group)
        target, _problems = self._target(appel, group)
        return _family_of(target) if target is not None else None

    def lint(self, appel: Appel, group: str | None) -> list[str]:
        """The term names a number or a date that exists; `group` is the group whose items
        `champ` reads, if any."""
        problems: list[str] = []
        if self.of is not None:
            problems += self.of.lint(appel, group)
            if not problems and self.of.family(appel, group) == "date":
                problems.append(_("« pourcentage » est la part d'un nombre ou d'un montant, pas d'une date"))
        elif self.day == DEADLINE and appel.deadline is None:
            problems.append(_("« date: date_limite » : l'appel n'a pas de « date_limite »"))
        elif self.number is None and self.day is None:
            target, problems = self._target(appel, group)
            if target is not None and _family_of(target) is None:
                where = self.question or self.sum or self.field
                problems.append(_("« {terme} » est de type « {type} » ; il faut un nombre, un montant ou une date").format(
                    terme=where, type=target.type.value))
            if self.where is not None and self.sum and not problems:
                problems += self.where.lint_items(appel, self.sum.split(".")[0])
            elif self.sum and target is not None and not problems and _family_of(target) == "date":
                problems.append(_("la somme « {s} » additionnerait des dates").format(s=self.sum))
        if self.offset is not None and not problems and self.family(appel, group) != "date":
            problems.append(_("« decalage » ne va qu'avec une date"))
        return problems

    def value(self, dossier: Dossier, item: Item | None = None) -> Decimal | date | None:
        """The term's value; None when an answer it needs is missing."""
        value: Any
        if self.number is not None:
            value = self.number
        elif self.day is not None:
            value = dossier.appel.deadline if self.day == DEADLINE else self.day
        elif self.of is not None:
            whole = self.of.value(dossier, item)
            return None if not isinstance(whole, Decimal) else whole * (self.percentage or 0) / 100
        elif self.question:
            value = dossier.answer(self.question)
        elif self.sum:
            group_id, field_id = self.sum.split(".")
            items = dossier.answer(group_id) or []
            if not items and _awaited(dossier, group_id):
                return None  # a required group not filled in yet: its total is not 0, it is unknown
            if self.where is not None:
                items = [i for i in items if self.where.holds(dossier, i)]
            return sum((Decimal(i.get(field_id) or 0) for i in items), Decimal(0))
        else:
            value = item.get(self.field or "") if item is not None else None
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, date):
            return self.offset.apply(value) if self.offset is not None else value
        return Decimal(value) if isinstance(value, int | Decimal) else None


def _awaited(dossier: Dossier, question_id: str) -> bool:
    """A required question, asked, still without answer: what depends on it is not known yet
    (an optional group left out is an empty one: no co-funding is 0 €)."""
    question = dossier.appel.question(question_id)
    return question is not None and question.required and dossier.applies(question) and not dossier.has(question_id)


def _family_of(question: Question) -> Family | None:
    from ..model import FieldType

    if question.type is FieldType.AMOUNT:
        return "montant"
    if question.type in (FieldType.INTEGER, FieldType.DECIMAL, FieldType.PERCENTAGE):
        return "nombre"
    return "date" if question.type is FieldType.DATE else None


def families(appel: Appel, operands: tuple[Operand, ...], group: str | None) -> set[Family]:
    return {f for f in (o.family(appel, group) for o in operands) if f is not None}


def comparable(appel: Appel, left: tuple[Operand, ...], right: tuple[Operand, ...], group: str | None) -> list[str]:
    """Both sides are numbers, or both are one date each."""
    found = families(appel, (*left, *right), group)
    if "date" in found and found != {"date"}:
        return [_("on ne compare pas une date à un nombre")]
    if "date" in found and (len(left) > 1 or len(right) > 1):
        return [_("des dates ne s'additionnent pas : un seul terme de chaque côté")]
    return []


def as_list(value: Any) -> Any:
    """One term or a list of terms: `gauche: {question: x}` is `gauche: [{question: x}]`."""
    return value if isinstance(value, list | tuple) else [value]


def total(dossier: Dossier, operands: tuple[Operand, ...], item: Item | None = None) -> Decimal | date | None:
    """The exact sum of the terms (a date stands alone); None when an answer it needs is missing."""
    values = [operand.value(dossier, item) for operand in operands]
    if any(v is None for v in values):
        return None
    if len(values) == 1:
        return values[0]
    return sum((v for v in values if isinstance(v, Decimal)), Decimal(0))


# -- conditions -------------------------------------------------------------------------------------

# An amount in euros as people write it: « 18 000 € », « 6 500 euros », « 40 k€ », « 40 000 EUR »,
# « € 40 000 », « 1,2 million d'euros ».
_AMOUNT_IN_TEXT = re.compile(
    r"\d[\d\s.,]*\s?(?:€|euros?\b|eur\b|k€|keur\b|m€|millions?\s+(?:d'euros?\b|€))|€\s?\d")
_MONTHS = "|".join((
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"))
# A date as people write it, in a folded text: « 03/04/2023 », « 2023-04-03 », « 3 avril », « avril
# 2023 », « en 2024 », « fin 2023 ». A bare number (« 2000 patients », « 0.5 ETP ») is not one.
_DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{4}\b"
    rf"|\b(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{4}}\b"
    r"|\b(?:\d(?:er|e|eme)?\s+(?:semestre|trimestre)|t[1-4]|s[12]|printemps|ete|automne|hiver)\s+(?:19|20)\d{2}\b"
    rf"|\b(?:en|fin|debut|mi|courant|d'ici|avant|apres|depuis|in|by)[\s-](?:(?:19|20)\d{{2}}|{_MONTHS})\b")
# Words that carry no meaning of their own in a label: « Frais divers » and « Autres dépenses »
# say nothing once the call's vague terms are taken away.
_FILLERS = frozenset((
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par", "pour", "sur", "un", "une"))

_TESTS = ("equals", "contains", "among", "answered", "mentions", "mentions_amount", "mentions_date", "vague",
          "min_length", "min_words", "departements", "at_least", "at_most", "between")


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

    @field_validator("departements", mode="before")
    @classmethod
    def _departement_codes(cls, value: Any) -> Any:
        """`[18, 36, 2A, 971]`: YAML reads the numbers as integers; « 1 » is « 01 »."""
        if not isinstance(value, list | tuple):
            return value
        return [f"{v:02d}" if isinstance(v, int) and not isinstance(v, bool) else
                f"0{v}" if isinstance(v, str) and len(v) == 1 else v for v in value]

    @field_validator("departements")
    @classmethod
    def _departement_shape(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for code in value or ():
            if not re.fullmatch(r"\d{2,3}|2[AB]", code) or code in ("00", "20"):
                raise ValueError(_("« {code} » n'est pas un département (01 à 95, 2A, 2B, 971…)").format(code=code))
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
                               "au_moins, au_plus, entre"))
        return self

    def parts(self) -> tuple[Condition, ...]:
        return self.all_of or self.any_of or ((self.negated,) if self.negated else ())

    def questions(self) -> Iterator[str]:
        """Every question the condition reads, bounds included."""
        for part in self.parts():
            yield from part.questions()
        if self.question:
            yield self.question
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
        if self.contains is not None:
            if kind is not FieldType.MULTIPLE_CHOICE:
                return [_("« contient » ne va qu'avec une question à choix multiple")]
            return self._choices(subject, (self.contains,))
        if self.equals is not None:
            if kind is FieldType.YES_NO and not isinstance(self.equals, bool):
                return [_("la question {q} est oui/non : « egal » vaut true ou false").format(q=subject.id)]
            if _family_of(subject) not in (None, "nombre") or kind in (FieldType.DECIMAL, FieldType.PERCENTAGE):
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
            mine = _family_of(subject)
            if mine is None:
                return [_("« au_moins », « au_plus » et « entre » portent sur un nombre, un montant ou une date ; « {q} » "
                          "est de type « {type} »").format(q=subject.id, type=kind.value)]
            problems = [p for b in bounds for p in b.lint(appel, group)]
            if not problems and any((b.family(appel, group) == "date") != (mine == "date") for b in bounds):
                problems.append(_("on ne compare pas une date à un nombre"))
            low, high = self.between or (None, None)
            if not problems and low is not None and high is not None and _constant(low) is not None \
                    and _constant(high) is not None and _constant(low) > _constant(high):  # type: ignore[operator]
                problems.append(_("« entre » : la première borne vient après la seconde"))
            return problems
        return []

    @staticmethod
    def _choices(subject: Question, values: tuple[str, ...]) -> list[str]:
        return [_("la condition nomme un choix inconnu « {c} » de la question {q}").format(c=v, q=subject.id)
                for v in values if subject.choice(v) is None]

    # -- evaluation -----------------------------------------------------------------------------

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
            return bool(_AMOUNT_IN_TEXT.search(fold(text)))
        if self.mentions_date:
            return bool(_DATE_IN_TEXT.search(fold(text)))
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


def _constant(operand: Operand) -> Decimal | date | None:
    """A term's value when it names no answer (a number, a date other than the deadline)."""
    if operand.number is not None:
        return operand.number
    if isinstance(operand.day, date):
        return operand.offset.apply(operand.day) if operand.offset is not None else operand.day
    return None


def _terms(operand: Operand) -> Iterator[Operand]:
    yield operand
    if operand.of is not None:
        yield from _terms(operand.of)


def mentions(text: str, terms: tuple[str, ...]) -> bool:
    """The text names one of the terms, as a word or words (accents and case aside)."""
    return bool(_words(terms).search(fold(text)))


def is_vague(text: str, terms: tuple[str, ...]) -> bool:
    """Nothing is left of the text once the vague terms, the small words, figures and
    punctuation are taken away: « Divers », « Frais divers », « Autres dépenses : 40 000 € »."""
    left = _words(terms).sub(" ", fold(text))
    return not any(w not in _FILLERS and len(w) > 1 for w in re.findall(r"[^\W\d_]+", left))


@lru_cache(maxsize=256)
def _words(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a rule's terms, built once: the checks run over every line of a budget."""
    folded = sorted({fold(t) for t in terms if fold(t)}, key=len, reverse=True)  # « frais divers » before « frais »
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, folded)) + r")(?!\w)" if folded else r"(?!x)x")
