"""What every rule kind shares: its severity, its message and the values the message may name,
and the checks of a questionnaire's references that several kinds make.

A kind's module imports no questionnaire or dossier module at its top: `model.py` builds the
`Appel` model from the kinds, so they name `Appel`, `Question` and the checks' `Context` for
annotations only, and take the field types where a check runs."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from string import Formatter
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from ..i18n import _
from ..schema import Identifier, Model, Text
from .references import expect as expect  # noqa: PLC0414 (shared with lint.py)
from .references import group_field as group_field  # noqa: PLC0414
from .terms import Condition

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel


class Severity(StrEnum):
    BLOCKING = "bloquant"
    ERROR = "erreur"
    WARNING = "avertissement"
    # Good practice the call does not require: never blocks, worded as advice.
    ADVICE = "conseil"


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
    # The sentence of the call the rule enforces, quoted: shown with the finding, so that the
    # user sees why. Every rule but advice has one (`lint`): a rule the call does not contain
    # is at most a piece of advice.
    source: Text | None = None
    # The rule applies only when this holds (`si: {question: digitalisation, egal: true}`).
    condition: Condition | None = Field(default=None, alias="si")

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
        problems = [*self.lint(appel), *(p for m in self.messages() for p in self._placeholders(m))]
        if self.condition is not None:
            problems += [_("si : {p}").format(p=p) for p in self.condition.lint(appel, None)]
        if self.source is None and self.severity is not Severity.ADVICE:
            problems.append(_("une règle « {gravite} » cite la phrase de l'appel qu'elle applique (« source ») ; une bonne "
                              "pratique que l'appel ne demande pas est un « conseil »").format(gravite=self.severity.value))
        return problems

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
