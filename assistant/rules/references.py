"""The checks of a questionnaire's references that rules, their terms and conditions, and
`lint.py`'s check of the `document` block share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..i18n import _

if TYPE_CHECKING:
    from ..model import Appel, FieldType, Question


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
