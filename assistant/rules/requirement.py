"""`condition`: what the call requires of one or more answers, said as a condition that must
hold (`doit`): a text of substance, a FINESS in the region, a date within a bound…"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..text import shorten
from .base import RuleKind
from .terms import Condition

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel

_SHOWN = 80  # characters of the answer a message may quote


class RequirementRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"question", "valeur"})

    kind: Literal["condition"] = Field(alias="type")
    requirement: Condition = Field(alias="doit")

    def lint(self, appel: Appel) -> list[str]:
        return self.requirement.lint(appel, None)

    def evaluate(self, context: Context) -> Iterator[Finding]:
        if self.requirement.holds(context.dossier) is not False:
            return
        # Shown at the first question it reads that is asked (one not asked counts for nothing).
        dossier = context.dossier
        anchor = next((q for q in self.requirement.questions()
                       if (question := dossier.appel.question(q)) is not None and dossier.applies(question)), None)
        question = context.dossier.appel.question(anchor) if anchor else None
        value = context.dossier.answer(anchor) if anchor else None
        shown = shorten(context.display(question, value), _SHOWN) if question is not None and value is not None else ""
        yield context.finding(self, self.message, anchor, question=question.label if question else "", valeur=shown)
