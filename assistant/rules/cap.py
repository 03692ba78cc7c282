"""`plafond`: a question's amount stays within a cap (40 000,00 € passes a 40 000 € cap,
40 000,01 € does not)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..i18n import _, format_amount
from ..limits import AmountLimit
from ..schema import Identifier
from .base import RuleKind, expect

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel


class CapRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"montant", "plafond"})

    kind: Literal["plafond"] = Field(alias="type")
    question: Identifier
    amount: AmountLimit = Field(alias="montant", gt=0)

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        return expect(appel, self.question, {FieldType.AMOUNT}, _("un montant"))

    def evaluate(self, context: Context) -> Iterator[Finding]:
        amount = context.amount(self.question)
        if amount is not None and amount > self.amount:
            yield context.finding(self, self.message, self.question, montant=format_amount(amount),
                                  plafond=format_amount(self.amount))
