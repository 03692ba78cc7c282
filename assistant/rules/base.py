"""What every rule kind shares: its severity, its message and the values the message may name,
and the checks of a questionnaire's references that several kinds make.

A kind's module imports no questionnaire or dossier module at its top: `model.py` builds the
`Appel` model from the kinds, so they name `Appel`, `Question` and the checks' `Context` for
annotations only, and take the field types where a check runs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from string import Formatter
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from ..i18n import _
from ..schema import Identifier, Model, Text

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel, FieldType, Question


class Severity(StrEnum):
    BLOCKING = "bloquant"
    ERROR = "erreur"
    WARNING = "avertissement"


class RuleKind(Model):
    """A rule declared in a questionnaire's `regles`. Each kind is a subclass with its own
    `kind: Literal[...] = Field(alias="type")`, the values its message may name
    (`placeholders`), what it checks in the questionnaire (`lint`) and in a dossier (`evaluate`)."""

    placeholders: ClassVar[frozenset[str]] = frozenset()
    # Lists inside the kind whose items an error's place names by id (`fonction medecin`).
    containers: ClassVar[dict[str, str]] = {}

    id: Identifier
    severity: Severity = Field(alias="gravite")
    message: Text

    if TYPE_CHECKING:
        kind: str

    def lint(self, appel: Appel) -> list[str]:
        """The problems of the questions this rule names (unknown, of the wrong type…)."""
        return []

    def evaluate(self, context: Context) -> Iterator[Finding]:
        """The findings of this rule on the context's dossier."""
        raise NotImplementedError

    def messages(self) -> tuple[str, ...]:
        """Every message the rule may show, for the check of their placeholders."""
        return (self.message,)

    def problems(self, appel: Appel) -> list[str]:
        """Everything wrong with this rule in this questionnaire."""
        return [*self.lint(appel), *(p for m in self.messages() for p in self._placeholders(m))]

    def _placeholders(self, message: str) -> list[str]:
        """A message may only name the values its rule kind provides (`{montant}`, `{plafond}`…)."""
        try:
            names = {name for _text, name, _spec, _conv in Formatter().parse(message) if name is not None}
        except ValueError:
            return [_("message mal formé (accolade seule ?) : {message}").format(message=message)]
        unknown = sorted(n for n in names if n not in self.placeholders)
        if not unknown:
            return []
        return [_("le message emploie {inconnus}, que le type « {type} » ne fournit pas (possibles : {possibles})").format(
            inconnus=", ".join("{" + n + "}" for n in unknown), type=self.kind,
            possibles=", ".join("{" + n + "}" for n in sorted(self.placeholders)))]


# -- checks of a questionnaire's references, shared with lint.py's check of the `document` block --


def expect(appel: Appel, question_id: str, types: Iterable[FieldType] | None, what: str) -> list[str]:
    """The question exists and (unless `types` is None) is of one of these types."""
    question = appel.question(question_id)
    if question is None:
        return [_("question inconnue « {q} »").format(q=question_id)]
    if types is not None and question.type not in set(types):
        return [_("la question {q} est de type « {type} » ; il faut {attendu}").format(
            q=question_id, type=question.type.value, attendu=what)]
    return []


def group_field(appel: Appel, group_id: str, field_id: str, types: Iterable[FieldType] | None, what: str) -> list[str]:
    """The group exists, has this field, and (unless `types` is None) of one of these types."""
    from ..model import FieldType

    problems = expect(appel, group_id, {FieldType.GROUP}, _("un groupe"))
    if problems:
        return problems
    group: Question | None = appel.question(group_id)
    assert group is not None
    field = group.field(field_id)
    if field is None:
        return [_("le groupe {g} n'a pas de champ « {c} »").format(g=group_id, c=field_id)]
    if types is not None and field.type not in set(types):
        return [_("le champ {g}.{c} est de type « {type} » ; il faut {attendu}").format(
            g=group_id, c=field_id, type=field.type.value, attendu=what)]
    return []
