"""What the dialogue asks and how it is answered: the requests the flow sends to an `Asker` (a
question, a group, the review) and the Asker protocol that the terminal UI and the tests'
scripted asker implement. The commands typed at a prompt are in `commands`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from .commands import Command, Prompt, command_of, prompt_for
from .dossier import Dossier
from .errors import InvalidAnswer
from .i18n import NP_, _, pgettext
from .model import Question, Section

# Command and command_of stay where the flow and the tests have always found them.
__all__ = ["Ask", "Asker", "Command", "GroupAsk", "Outcome", "Overview", "Place", "Review", "ReviewRow",
           "SectionState", "command_of", "parse_group_action"]


class Outcome(Enum):
    DONE = "done"
    QUIT = "quit"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Place:
    section_number: int
    section_count: int
    question_number: int
    question_count: int
    completion: int


@dataclass(frozen=True)
class Ask:
    """One question to put to the user. `check` refuses a text the flow would refuse, so the UI
    can keep the prompt open with the text still there."""

    question: Question
    section: Section
    place: Place
    default: str | list[str]
    saved: bool
    check: Callable[[Any], None]
    item_of: Question | None = None
    error: str | None = None

    @property
    def prompt(self) -> Prompt:
        return prompt_for(self.question, item=self.item_of is not None)


@dataclass(frozen=True)
class GroupAsk:
    question: Question
    section: Section
    place: Place
    items: list[dict[str, Any]]
    check: Callable[[str], None]
    # What is wrong with a saved group that does not decode: one line each, shown under its table.
    damage: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewRow:
    number: int
    question: Question
    value: Any
    applies: bool
    missing: bool
    # Whether the dialogue has put this question yet: a missing answer to a question still ahead
    # is work to come, not a finding.
    asked: bool = True


@dataclass(frozen=True)
class Review:
    sections: list[tuple[Section, list[ReviewRow]]]
    completion: int
    final: bool
    check: Callable[[str], None]
    findings: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class SectionState:
    section: Section
    answered: int
    required: int


@dataclass(frozen=True)
class Overview:
    dossier: Dossier
    sections: list[SectionState]
    deadline_passed: bool


class Asker(Protocol):
    def welcome(self, overview: Overview) -> None: ...
    def section(self, section: Section, number: int, count: int) -> None: ...
    def ask(self, ask: Ask) -> Any: ...
    def group(self, ask: GroupAsk) -> Any: ...
    def help(self, question: Question | None, prompt: Prompt) -> None: ...
    def review(self, review: Review) -> Any: ...
    def notice(self, message: str) -> None: ...
    def info(self, message: str) -> None: ...  # what was done (a line removed): not a warning
    def findings(self, section: Section | None, findings: list[Any]) -> None: ...
    def grid(self, grid: list[Any]) -> None: ...
    def example(self, question: Question) -> None: ...
    def choose(self, title: str, options: list[str]) -> int: ...
    def delivered(self, result: Any) -> None: ...


# A group's actions by their French word; each is typed as the word or its first letter, in
# French or in the current language (`s 2` or, in English, `r 2` removes line 2).
_GROUP_ACTIONS = {"a": NP_("action sur une liste", "ajouter"), "m": NP_("action sur une liste", "modifier"),
                  "s": NP_("action sur une liste", "supprimer"), "t": NP_("action sur une liste", "terminer")}
_GROUP_ACTION = re.compile(r"^\s*([^\W\d_]+)\s*(\d+)?\s*$")


def _group_action(word: str) -> str | None:
    for action, french in _GROUP_ACTIONS.items():
        translated = pgettext("action sur une liste", french).lower()
        if word in (french, french[0], translated, translated[0]):
            return action
    return None


def parse_group_action(text: str, count: int) -> tuple[str, int | None]:
    """`a` add, `m 2` modify item 2, `s 2` remove item 2, `t` or Enter done."""
    if not text.strip():
        return "t", None
    match = _GROUP_ACTION.match(text)
    action = _group_action(match.group(1).lower()) if match else None
    if match is None or action is None:
        raise InvalidAnswer(_(
            "tapez a pour ajouter, m et un numéro pour modifier, s et un numéro pour supprimer, t pour terminer"))
    number = match.group(2)
    if action in "ms":
        if number is None or not 1 <= int(number) <= count:
            raise InvalidAnswer(_("indiquez un numéro de ligne entre 1 et {n}").format(n=count) if count else
                                _("la liste est vide : tapez a pour ajouter"))
        return action, int(number)
    return action, None
