"""`comparaison`: two sums of terms compared (`gauche` `operateur` `droite`), numbers or dates,
once or for each item of a group (`pour_chaque`, restricted by `tel_que` to the items a
condition keeps)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from ..i18n import _, format_amount, format_date, format_decimal
from ..schema import Identifier
from .base import RuleKind, expect
from .terms import Condition, Operand, as_list, comparable, families, total

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel, Question

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le, "<": operator.lt, "=": operator.eq, ">=": operator.ge, ">": operator.gt}


class ComparisonRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"gauche", "droite", "numero", "element"})

    kind: Literal["comparaison"] = Field(alias="type")
    left: tuple[Operand, ...] = Field(alias="gauche", min_length=1)
    operator: Literal["<=", "<", "=", ">=", ">"] = Field(alias="operateur")
    right: tuple[Operand, ...] = Field(alias="droite", min_length=1)
    for_each: Identifier | None = Field(default=None, alias="pour_chaque")
    items: Condition | None = Field(default=None, alias="tel_que")

    _wrap = field_validator("left", "right", mode="before")(as_list)

    @model_validator(mode="after")
    def _items_of_a_group(self) -> ComparisonRule:
        if self.items is not None and self.for_each is None:
            raise ValueError(_("« tel_que » ne va qu'avec « pour_chaque »"))
        return self

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        problems = []
        if self.for_each:
            problems += expect(appel, self.for_each, {FieldType.GROUP}, _("un groupe"))
        group = self.for_each if not problems else None
        for operand in (*self.left, *self.right):
            problems += operand.lint(appel, group)
        if self.items is not None and group is not None:
            problems += self.items.lint_items(appel, group)
        return problems or comparable(appel, self.left, self.right, group)

    def evaluate(self, context: Context) -> Iterator[Finding]:
        compare = _OPERATORS[self.operator]
        show = self._shown(context.dossier.appel)
        dossier = context.dossier
        if self.for_each:
            group = dossier.appel.question(self.for_each)
            for number, item in enumerate(dossier.answer(self.for_each) or [], start=1):
                if self.items is not None and self.items.holds(dossier, item) is not True:
                    continue
                left, right = total(dossier, self.left, item), total(dossier, self.right, item)
                if left is None or right is None or isinstance(left, date) is not isinstance(right, date) or compare(left, right):
                    continue
                name = item_name(group, item)
                yield context.finding(self, self.message, self.for_each, item=_("ligne {n} — {nom}").format(n=number, nom=name),
                                      gauche=show(left), droite=show(right), numero=str(number), element=name)
            return
        left, right = total(dossier, self.left), total(dossier, self.right)
        if left is None or right is None or isinstance(left, date) is not isinstance(right, date) or compare(left, right):
            return
        anchor = next((o.anchor for o in (*self.left, *self.right) if o.anchor), None)
        yield context.finding(self, self.message, anchor, gauche=show(left), droite=show(right))

    def _shown(self, appel: Appel) -> Callable[[Decimal | date], str]:
        """Dates as dates; numbers as amounts when a term is an amount (a share of an amount too)."""
        found = families(appel, (*self.left, *self.right), self.for_each)

        def shown(value: Decimal | date) -> str:
            if isinstance(value, date):
                return format_date(value)
            return format_amount(value) if "montant" in found else format_decimal(value)
        return shown


def item_name(group: Question | None, item: dict[str, Any]) -> str:
    """How a person names an item: its first text field (a member's name, a line's label)."""
    from ..model import FieldType

    for candidate in ("nom", "libelle", "titre", "etape", "financeur"):
        if item.get(candidate):
            return str(item[candidate])
    fields = group.fields if group is not None else ()
    texts = [str(item[f.id]) for f in fields if f.type is FieldType.TEXT and item.get(f.id)]
    return texts[0] if texts else "?"
