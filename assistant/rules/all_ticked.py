"""`tous_coches`: every choice of a multiple choice is ticked (the call's commitments)."""

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


class AllTickedRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"manquants", "nombre"})

    kind: Literal["tous_coches"] = Field(alias="type")
    question: Identifier

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        return expect(appel, self.question, {FieldType.MULTIPLE_CHOICE}, _("un choix multiple"))

    def evaluate(self, context: Context) -> Iterator[Finding]:
        question = context.dossier.appel.question(self.question)
        ticked = set(context.dossier.answer(self.question) or [])
        missing = [c.label for c in (question.choices if question else ()) if c.id not in ticked]
        if missing:
            yield context.finding(self, self.message, self.question, manquants=" ; ".join(missing),
                                  nombre=str(len(missing)))
