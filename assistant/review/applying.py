"""Applying the changes the author accepted (`aap relire`): each answer through `Dossier.set`, so
that the history (`/annuler`) and the autosave see it; a list's accepted cells, removed and added
lines as one change of the list, checked whole by its parser (a list may not fall under its
minimum)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .. import versions
from ..dossier import Dossier
from ..errors import InvalidAnswer
from ..fields import kind_of
from ..i18n import _
from ..model import FieldType
from .importing import ADD, CHANGE, REMOVE, Proposal


@dataclass
class Decision:
    proposal: Proposal
    value: Any              # what the author accepted, parsed
    reviewers: list[str]


def apply(dossier: Dossier, decisions: list[Decision]) -> tuple[list[str], list[str]]:
    """Apply; returns the questions changed and the problems (a list no longer valid as a whole:
    its changes are then left out, the rest applied)."""
    changed: list[str] = []
    problems: list[str] = lost_to_removals(decisions)
    lists: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        proposal = decision.proposal
        question = dossier.appel.question(proposal.question)
        if question is None:
            continue
        if question.type is FieldType.GROUP:
            lists[question.id].append(decision)
        elif dossier.set(question.id, decision.value):
            changed.append(question.id)
    for question_id, accepted in lists.items():
        question = dossier.appel.question(question_id)
        assert question is not None
        try:
            items = _new_items(dossier, question_id, accepted)
            value = kind_of(question).parse(question, kind_of(question).encode(question, items)) if items else None
        except InvalidAnswer as error:
            problems.append(_("{titre} : {raison} ; ces modifications ne sont pas reportées").format(
                titre=accepted[0].proposal.label.split(",")[0], raison=error.message.removeprefix(": ")))
            continue
        if dossier.set(question_id, value):
            changed.append(question_id)
    return changed, problems


def _new_items(dossier: Dossier, question_id: str, accepted: list[Decision]) -> list[dict[str, Any]]:
    items = [dict(item) for item in dossier.get(question_id) or []]
    removed: set[int] = set()
    added: list[dict[str, Any]] = []
    for decision in accepted:
        proposal = decision.proposal
        if proposal.action == ADD:
            added.append(decision.value)
            continue
        if proposal.item is None or proposal.item >= len(items):
            raise InvalidAnswer(_("la liste a changé depuis l'export (ligne {n} introuvable)").format(
                n=(proposal.item or 0) + 1))
        if proposal.action == REMOVE:
            removed.add(proposal.item)
        elif proposal.action == CHANGE and proposal.field_id is not None:
            if decision.value is None:
                items[proposal.item].pop(proposal.field_id, None)
            else:
                items[proposal.item][proposal.field_id] = decision.value
    return [item for index, item in enumerate(items) if index not in removed] + added


def lost_to_removals(decisions: list[Decision]) -> list[str]:
    """The accepted changes of lines that accepted removals take away: said, not silently lost."""
    removed = {(d.proposal.question, d.proposal.item) for d in decisions if d.proposal.action == REMOVE}
    return [_("{ligne} : la ligne est supprimée, cette modification ne s'applique pas").format(ligne=d.proposal.label)
            for d in decisions if d.proposal.action == CHANGE and d.proposal.field_id is not None
            and (d.proposal.question, d.proposal.item) in removed]


def record(store: Any, dossier: Dossier, reviewers: list[str], label: str | None) -> versions.Version:
    return versions.record(store, dossier, versions.Kind.AFTER_REVIEW, label=label, reviewers=reviewers)
