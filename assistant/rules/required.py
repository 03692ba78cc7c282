"""`obligatoire`: questions that must be answered, with the rule's own message and severity
(an amount of zero counts as no answer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..schema import Identifier
from .base import RuleKind, expect

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel


class RequiredRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"question"})

    kind: Literal["obligatoire"] = Field(alias="type")
    questions: tuple[Identifier, ...] = Field(min_length=1)

    def lint(self, appel: Appel) -> list[str]:
        return [p for q in self.questions for p in expect(appel, q, None, "")]

    def evaluate(self, context: Context) -> Iterator[Finding]:
        from ..model import FieldType

        dossier = context.dossier
        for question_id in self.questions:
            question = dossier.appel.question(question_id)
            if question is None or not dossier.applies(question):
                continue  # a question that is not asked is not missing
            zero_amount = question.type is FieldType.AMOUNT and dossier.get(question_id) == 0
            if not dossier.has(question_id) or zero_amount:
                yield context.finding(self, self.message, question_id, question=question.label)
