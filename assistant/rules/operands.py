"""The terms a rule computes with: a question's amount, the sum of a group's field
(`somme: depenses.montant`), or, inside `pour_chaque`, a field of the current item."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from ..i18n import _
from ..schema import Identifier, Model
from .base import expect, group_field

if TYPE_CHECKING:
    from ..checks import Context
    from ..model import Appel


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

    @property
    def anchor(self) -> str | None:
        """The question a finding about this term is shown at: the question, or the summed group."""
        return self.question or (self.sum.split(".")[0] if self.sum else None)

    def lint(self, appel: Appel, group: str | None) -> list[str]:
        """The term names a number; `group` is the `pour_chaque` group, if any and valid."""
        from ..fields import NUMERIC_TYPES

        number = _("un nombre ou un montant")
        if self.question:
            return expect(appel, self.question, NUMERIC_TYPES, number)
        if self.sum:
            group_id, field_id = self.sum.split(".")
            return group_field(appel, group_id, field_id, NUMERIC_TYPES, number)
        if group is None:
            return [_("« champ » ne va qu'avec « pour_chaque »")]
        return group_field(appel, group, self.field or "", NUMERIC_TYPES, number)

    def value(self, context: Context, item: dict[str, Any] | None = None) -> Decimal | None:
        """The term's value; None when a question it needs is not answered yet."""
        if self.question:
            return context.amount(self.question)
        if self.sum:
            return context.sum(self.sum)
        if item is not None and self.field:
            value = item.get(self.field)
            return None if value is None else Decimal(value)
        return Decimal(0)


def as_list(value: Any) -> Any:
    """One term or a list of terms: `gauche: {question: x}` is `gauche: [{question: x}]`."""
    return value if isinstance(value, list | tuple) else [value]


def total(context: Context, operands: tuple[Operand, ...], item: dict[str, Any] | None = None) -> Decimal | None:
    """The exact sum of the terms; None when a question it needs is not answered yet."""
    result = Decimal(0)
    for operand in operands:
        value = operand.value(context, item)
        if value is None:
            return None
        result += value
    return result
