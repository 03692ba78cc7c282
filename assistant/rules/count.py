"""`nombre`: a group has at least `min` and at most `max` items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..i18n import _
from ..limits import MAX_GROUP_ITEMS
from ..schema import Identifier
from .base import RuleKind, expect

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel


class CountRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"nombre", "min", "max"})

    kind: Literal["nombre"] = Field(alias="type")
    group: Identifier = Field(alias="groupe")
    minimum: int | None = Field(default=None, ge=0, le=MAX_GROUP_ITEMS, alias="min")
    maximum: int | None = Field(default=None, ge=0, le=MAX_GROUP_ITEMS, alias="max")

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        problems = expect(appel, self.group, {FieldType.GROUP}, _("un groupe"))
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            problems.append(_("min ({min}) est plus grand que max ({max})").format(min=self.minimum, max=self.maximum))
        return problems

    def evaluate(self, context: Context) -> Iterator[Finding]:
        count = len(context.dossier.answer(self.group) or [])
        too_few = self.minimum is not None and count < self.minimum
        too_many = self.maximum is not None and count > self.maximum
        if too_few or too_many:
            yield context.finding(self, self.message, self.group, nombre=str(count),
                                  min=str(self.minimum if self.minimum is not None else ""),
                                  max=str(self.maximum if self.maximum is not None else ""))
