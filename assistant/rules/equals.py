"""`egal_a`: a yes/no or a choice has the answer the call requires."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..i18n import _
from ..schema import Identifier
from .base import RuleKind, expect

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel


class EqualsRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"valeur", "attendu"})

    kind: Literal["egal_a"] = Field(alias="type")
    question: Identifier
    value: str | bool = Field(alias="valeur")

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        problems = expect(appel, self.question, {FieldType.YES_NO, FieldType.CHOICE}, _("un oui/non ou un choix"))
        question = appel.question(self.question)
        if problems or question is None:
            return problems
        if question.type is FieldType.YES_NO and not isinstance(self.value, bool):
            return [_("la question {q} est oui/non : « valeur » vaut true ou false").format(q=question.id)]
        if question.type is FieldType.CHOICE and question.choice(str(self.value)) is None:
            return [_("la valeur « {v} » n'est pas un choix de la question {q}").format(v=self.value, q=question.id)]
        return []

    def evaluate(self, context: Context) -> Iterator[Finding]:
        question = context.dossier.appel.question(self.question)
        value = context.dossier.answer(self.question)
        if question is not None and value is not None and value != self.value:
            yield context.finding(self, self.message, self.question, valeur=context.display(question, value),
                                  attendu=context.display(question, self.value))
