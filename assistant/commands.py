"""The commands a user types during the dialogue (`/retour`, `/aide`…): one table holding each
command's names, its help line and the prompts where it applies, and the one function that
recognises a typed command. The prompts, the completion menu, `/aide` and the toolbar all derive
from this table, so a command is spelt the same way everywhere. No terminal library here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from .errors import InvalidAnswer
from .i18n import N_, NP_, _, language, pgettext
from .model import FieldType, Question
from .text import fold


class Prompt(Enum):
    """The kinds of prompt that accept commands."""

    TEXT = "text"  # a one-line answer: text, number, amount, date, yes/no, file…
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTIPLE_CHOICE = "multiple_choice"
    GROUP = "group"  # a group's table: add, modify or remove a line
    ITEM = "item"  # one field of a group's line
    REVIEW = "review"


_QUESTIONS = frozenset({Prompt.TEXT, Prompt.LONG_TEXT, Prompt.CHOICE, Prompt.MULTIPLE_CHOICE})
_TYPED = _QUESTIONS - {Prompt.MULTIPLE_CHOICE}  # where the answer is typed, hence can be edited
_EVERYWHERE = frozenset(Prompt)
_OUTSIDE_A_LINE = _EVERYWHERE - {Prompt.ITEM}


@dataclass(frozen=True)
class CommandInfo:
    name: str  # the French name, as the README writes it: what the flow matches on
    help: str  # marked with N_, translated when shown
    prompts: frozenset[Prompt]
    french: tuple[str, ...] = ()  # other spellings, accepted in every language
    english: tuple[str, ...] = ()  # accepted when the interface speaks English
    toolbar: bool = True  # listed in the toolbar and in the « unknown command » message
    help_at: Mapping[Prompt, str] = field(default_factory=dict)  # a help line that differs there

    def word(self) -> str:
        """The name in the current language (`retour` is `back` in English)."""
        return pgettext("commande", self.name)

    def describe(self, prompt: Prompt) -> str:
        marked = self.help_at.get(prompt, self.help)  # marked with N_ where the table is written
        return _(marked)

    def spellings(self) -> set[str]:
        """Everything that designates this command, folded: the French names always (they are
        the README's), the current language's name and its aliases."""
        words = {self.name, *self.french, self.word()}
        if language() == "en":
            words.update(self.english)
        return {fold(word) for word in words}


_CLOSE_REVIEW = N_("fermer le sommaire et reprendre les questions")

COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo(NP_("commande", "aide"), N_("l'aide de la question et la liste des commandes"), _EVERYWHERE,
                english=("help",),
                help_at={Prompt.REVIEW: N_("ce que l'on peut faire dans le sommaire et la liste des commandes")}),
    CommandInfo(NP_("commande", "retour"), N_("revenir à la question précédente"), _EVERYWHERE,
                french=("precedent",), english=("back", "previous"),
                help_at={Prompt.ITEM: N_("revenir au champ précédent ; sur le premier, abandonner la ligne"),
                         Prompt.REVIEW: _CLOSE_REVIEW}),
    CommandInfo(NP_("commande", "passer"), N_("laisser la question pour plus tard"), _OUTSIDE_A_LINE,
                english=("skip",), help_at={Prompt.REVIEW: _CLOSE_REVIEW}),
    CommandInfo(NP_("commande", "sommaire"), N_("voir toutes les réponses et en corriger une"), _OUTSIDE_A_LINE,
                english=("overview", "summary"), help_at={Prompt.REVIEW: _CLOSE_REVIEW}),
    CommandInfo(NP_("commande", "verifier"), N_("vérifier la cohérence du dossier"), _OUTSIDE_A_LINE,
                english=("check",)),
    CommandInfo(NP_("commande", "evaluer"), N_("lire le dossier au regard des critères de sélection de l'appel"),
                _OUTSIDE_A_LINE, french=("grille",), english=("assess", "grid"), toolbar=False),
    CommandInfo(NP_("commande", "exemple"), N_("voir un exemple de réponse (celle d'un établissement fictif)"),
                _QUESTIONS | {Prompt.GROUP, Prompt.ITEM}, english=("example",), toolbar=False),
    # In the toolbar: an edit undone is worth knowing about before it is needed.
    CommandInfo(NP_("commande", "annuler"), N_("annuler la dernière modification"), _OUTSIDE_A_LINE,
                english=("undo",)),
    # The document is the deliverable: at the review, where the dossier is seen whole.
    CommandInfo(NP_("commande", "exporter"), N_("produire le document Word (relecture ou dépôt)"), frozenset({Prompt.REVIEW}),
                french=("word", "document"), english=("export",)),
    CommandInfo(NP_("commande", "quitter"), N_("enregistrer et quitter ; vous reprendrez plus tard"), _EVERYWHERE,
                english=("quit", "exit")),
    CommandInfo(NP_("commande", "editeur"), N_("écrire la réponse dans votre éditeur (ou Ctrl-X Ctrl-E)"),
                _TYPED | {Prompt.ITEM}, french=("editer",), english=("editor", "edit"), toolbar=False),
)
BY_NAME = {command.name: command for command in COMMANDS}


@dataclass(frozen=True)
class Command:
    """A command the user typed, by its French name."""

    name: str


# A slash, then one word of letters: `/retour`, `/ Retour`, `/vérifier`. A path such as
# `/home/moi/devis.pdf` is an answer, not a command.
_ATTEMPT = re.compile(r"/[^\S\n]*([^\W\d_]*)")


def looks_like_command(text: str) -> bool:
    """Whether the text is meant as a command (known or not): what ends a long text's prompt."""
    return _ATTEMPT.fullmatch(text.strip()) is not None


def command_of(text: str, prompt: Prompt | None = None) -> Command | None:
    """`/retour` → Command("retour"); any text that is not a command is an answer (None). A
    command is recognised whatever the case, accents and spaces after the slash, by its French
    name, an alias or its name in the current language. An unknown command raises, and so,
    when a prompt is given, does a command that does not apply there."""
    match = _ATTEMPT.fullmatch(text.strip())
    if match is None:
        return None
    typed = fold(match.group(1))
    found = next((command for command in COMMANDS if typed and typed in command.spellings()), None)
    if found is None:
        raise InvalidAnswer(_("commande inconnue « {commande} » ; commandes : {liste}").format(
            commande=text.strip(), liste=command_list(prompt)))
    if prompt is not None and prompt not in found.prompts:
        raise InvalidAnswer(unavailable(found.name, prompt))
    return Command(found.name)


def applies_at(name: str, prompt: Prompt) -> bool:
    return prompt in BY_NAME[name].prompts


def unavailable(name: str, prompt: Prompt) -> str:
    """Why a known command is refused at this prompt."""
    if prompt is Prompt.ITEM:
        return _("terminez d'abord cette ligne, ou tapez /retour pour l'abandonner")
    return _("« /{commande} » ne s'utilise pas ici ; commandes : {liste}").format(
        commande=BY_NAME[name].word(), liste=command_list(prompt))


def commands_at(prompt: Prompt) -> list[CommandInfo]:
    return [command for command in COMMANDS if prompt in command.prompts]


def command_list(prompt: Prompt | None = None) -> str:
    """The commands of the toolbar at this prompt (by default a question's): `/aide /retour …`."""
    return " ".join("/" + command.word() for command in commands_at(prompt or Prompt.TEXT) if command.toolbar)


def completions(typed: str, prompt: Prompt) -> list[tuple[str, str]]:
    """The commands that complete what was typed (`/ver`, `/ Vér`), as (`/word`, help line)."""
    match = _ATTEMPT.fullmatch(typed.lstrip())
    if match is None:
        return []
    start = fold(match.group(1))
    return [("/" + command.word(), command.describe(prompt)) for command in commands_at(prompt)
            if any(spelling.startswith(start) for spelling in command.spellings())]


def prompt_for(question: Question, item: bool = False) -> Prompt:
    """The prompt a question is asked at; `item` for a field of a group's line."""
    if item:
        return Prompt.ITEM
    return {FieldType.LONG_TEXT: Prompt.LONG_TEXT, FieldType.CHOICE: Prompt.CHOICE,
            FieldType.MULTIPLE_CHOICE: Prompt.MULTIPLE_CHOICE, FieldType.GROUP: Prompt.GROUP}.get(
        question.type, Prompt.TEXT)
