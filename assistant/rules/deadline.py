"""`date_limite`: said once the call's deadline has passed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..i18n import _, format_date
from .base import RuleKind

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel


class DeadlineRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"date"})

    kind: Literal["date_limite"] = Field(alias="type")

    def lint(self, appel: Appel) -> list[str]:
        return [] if appel.deadline else [_("l'appel n'a pas de « date_limite »")]

    def evaluate(self, context: Context) -> Iterator[Finding]:
        deadline = context.dossier.appel.deadline
        if deadline is not None and context.today > deadline:
            yield context.finding(self, self.message, None, date=format_date(deadline))
