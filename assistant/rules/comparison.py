"""`comparaison`: two sums of terms compared (`gauche` `operateur` `droite`), once or for each
item of a group (`pour_chaque`)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator

from ..i18n import _, format_amount
from ..schema import Identifier
from .base import RuleKind, expect
from .operands import Operand, as_list, total

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

    _wrap = field_validator("left", "right", mode="before")(as_list)

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        problems = []
        if self.for_each:
            problems += expect(appel, self.for_each, {FieldType.GROUP}, _("un groupe"))
        group = self.for_each if not problems else None
        for operand in (*self.left, *self.right):
            problems += operand.lint(appel, group)
        return problems

    def evaluate(self, context: Context) -> Iterator[Finding]:
        compare = _OPERATORS[self.operator]
        if self.for_each:
            group = context.dossier.appel.question(self.for_each)
            for number, item in enumerate(context.dossier.get(self.for_each) or [], start=1):
                left, right = total(context, self.left, item), total(context, self.right, item)
                if left is None or right is None or compare(left, right):
                    continue
                name = _item_name(group, item)
                yield context.finding(self, self.message, self.for_each, item=_("ligne {n} — {nom}").format(n=number, nom=name),
                                      gauche=format_amount(left), droite=format_amount(right), numero=str(number),
                                      element=name)
            return
        left, right = total(context, self.left), total(context, self.right)
        if left is None or right is None or compare(left, right):
            return
        anchor = next((o.anchor for o in (*self.left, *self.right) if o.anchor), None)
        yield context.finding(self, self.message, anchor, gauche=format_amount(left), droite=format_amount(right))


def _item_name(group: Question | None, item: dict[str, Any]) -> str:
    """How a person names an item: its first text field (a member's name, a line's label)."""
    from ..model import FieldType

    for candidate in ("nom", "libelle", "titre", "etape", "financeur"):
        if item.get(candidate):
            return str(item[candidate])
    fields = group.fields if group is not None else ()
    texts = [str(item[f.id]) for f in fields if f.type is FieldType.TEXT and item.get(f.id)]
    return texts[0] if texts else "?"
