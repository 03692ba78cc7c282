"""`elements`: a group has at least `min` items that meet a condition (`tel_que`): three budget
lines with a precise label, a review dated six months after the start…"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..i18n import _
from ..limits import MAX_GROUP_ITEMS
from ..schema import Identifier
from .base import RuleKind, expect
from .comparison import item_name
from .terms import Condition

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel

_NAMED = 5  # items a message names at most


class ItemsRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"nombre", "min", "ecartes"})

    kind: Literal["elements"] = Field(alias="type")
    group: Identifier = Field(alias="groupe")
    items: Condition = Field(alias="tel_que")
    minimum: int = Field(default=1, ge=1, le=MAX_GROUP_ITEMS, alias="min")

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        return expect(appel, self.group, {FieldType.GROUP}, _("un groupe")) or self.items.lint_items(appel, self.group)

    def evaluate(self, context: Context) -> Iterator[Finding]:
        items = context.dossier.answer(self.group) or []
        question = context.dossier.appel.question(self.group)
        if not items and question is not None and question.required:
            return  # the missing answer is the finding
        # An item that cannot be told yet (a date bound whose answer is missing) may still meet it.
        if self.items.met_by(context.dossier, items, self.minimum) is False:
            results = [self.items.holds(context.dossier, item) for item in items]
            met = results.count(True)
            # The items that do not meet it, by name, so that the user knows which to rework.
            left_out = [f"« {item_name(question, item)} »" for item, result in zip(items, results, strict=True)
                        if result is False]
            shown = " ; ".join(left_out[:_NAMED]) + (" …" if len(left_out) > _NAMED else "")
            yield context.finding(self, self.message, self.group, nombre=str(met), min=str(self.minimum), ecartes=shown)
