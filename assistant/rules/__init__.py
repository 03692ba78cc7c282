"""The rules a questionnaire declares in `regles`, one class per kind (its model, the values its
message may name, its check of the questionnaire, its evaluation on a dossier), and the one
registry of kinds from which the questionnaire model, the kinds' names and the places of their
errors are derived.

To add a kind: write its module here (a `RuleKind` subclass) and list it in `KINDS`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Union, get_args

from pydantic import Field

from .all_ticked import AllTickedRule
from .base import RuleKind, Severity, expect, group_field
from .cap import CapRule
from .comparison import ComparisonRule
from .count import CountRule
from .deadline import DeadlineRule
from .elements import ItemsRule
from .equals import EqualsRule
from .required import RequiredRule
from .requirement import RequirementRule
from .roles import RequiredFunction, RolesRule
from .terms import Condition, Offset, Operand

# In this order in the messages that list the kinds.
KINDS: tuple[type[RuleKind], ...] = (
    CapRule, ComparisonRule, RequiredRule, CountRule, RolesRule, AllTickedRule, EqualsRule, DeadlineRule, RequirementRule,
    ItemsRule,
)

if TYPE_CHECKING:
    Rule = RuleKind
else:
    # The YAML's `type` picks the class.
    Rule = Annotated[Union[KINDS], Field(discriminator="kind")]  # noqa: UP007 (a union built from the registry)


def _name(kind: type[RuleKind]) -> str:
    (name,) = get_args(kind.model_fields["kind"].annotation)
    return str(name)


RULE_KINDS: tuple[str, ...] = tuple(_name(kind) for kind in KINDS)
# Lists inside rules whose items an error's place names by id, with the word that names them.
RULE_CONTAINERS: dict[str, str] = {key: word for kind in KINDS for key, word in kind.containers.items()}

__all__ = [
    "KINDS", "RULE_CONTAINERS", "RULE_KINDS", "AllTickedRule", "CapRule", "ComparisonRule", "Condition", "CountRule",
    "DeadlineRule", "EqualsRule", "ItemsRule", "Offset", "Operand", "RequiredFunction", "RequiredRule", "RequirementRule",
    "RolesRule", "Rule", "RuleKind", "Severity", "expect", "group_field",
]
