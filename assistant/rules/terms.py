"""The terms a rule computes with: a question's answer, a (filtered) sum of a group's field, a
field of the current item, a number, a date (the call's deadline too), a percentage of a term,
a date moved by an offset. A term is a number (an amount or not) or a date.

Terms and conditions (`conditions.py`) are built of each other: a filtered sum adds up the items
a condition keeps, a condition's bound is a term. This module is the one the others import;
`Condition` is imported at its end."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..i18n import _
from ..limits import NumberLimit
from ..schema import Identifier, Model
from .references import group_field

if TYPE_CHECKING:
    from ..dossier import Dossier
    from ..model import Appel, Question

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

    @field_validator("day", mode="before")
    @classmethod
    def _a_date(cls, value: Any) -> Any:
        """YAML reads `2024-12-31` as a date; anything else but `date_limite` is said in French."""
        if isinstance(value, str) and value != DEADLINE:
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError(_("« date » vaut une date AAAA-MM-JJ (2024-12-31) ou « date_limite »")) from None
        return value

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
        return family_of(target) if target is not None else None

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
            if target is not None and family_of(target) is None:
                where = self.question or self.sum or self.field
                problems.append(_("« {terme} » est de type « {type} » ; il faut un nombre, un montant ou une date").format(
                    terme=where, type=target.type.value))
            if self.where is not None and self.sum and not problems:
                problems += self.where.lint_items(appel, self.sum.split(".")[0])
            elif self.sum and target is not None and not problems and family_of(target) == "date":
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
            from ..values import group_sum  # values imports the model, which is built of the rules

            group_id, field_id = self.sum.split(".")
            items = dossier.answer(group_id) or []
            if not items and _awaited(dossier, group_id):
                return None  # a required group not filled in yet: its total is not 0, it is unknown
            if self.where is not None:
                items = [i for i in items if self.where.holds(dossier, i)]
            return group_sum(items, field_id)
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


def family_of(question: Question) -> Family | None:
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


def reversed_bounds(low: Operand, high: Operand) -> bool:
    """Bounds that can be compared without a dossier come in the wrong order: two constants, or
    one answer moved by two offsets (`date_demarrage` + 7 months, then + 5)."""
    if constant(low) is not None and constant(high) is not None:
        return constant(low) > constant(high)  # type: ignore[operator]
    same = (low.question, low.field, low.day) == (high.question, high.field, high.day) and low.day is None \
        and (low.question or low.field) is not None
    if not same or (low.offset is None and high.offset is None):
        return False
    # Offsets compared on every day of a leap year: one that puts the first bound after the second.
    none = Offset()
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(366)]
    return any((low.offset or none).apply(day) > (high.offset or none).apply(day)  # type: ignore[operator]
               for day in days)


def constant(operand: Operand) -> Decimal | date | None:
    """A term's value when it names no answer (a number, a date other than the deadline)."""
    if operand.number is not None:
        return operand.number
    if isinstance(operand.day, date):
        return operand.offset.apply(operand.day) if operand.offset is not None else operand.day
    return None


# The conditions a term's `si` holds, and that hold terms as bounds: imported last, once `Operand`
# exists, for pydantic to resolve the annotations that name it.
from .conditions import Condition  # noqa: E402

__all__ = ["DEADLINE", "Condition", "Family", "Item", "Offset", "Operand", "as_list", "comparable", "families", "total"]
