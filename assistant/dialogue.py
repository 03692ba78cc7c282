"""The terminal dialogue: prompt-toolkit for input, rich (through `screens`) for output.

Inline prompts only, never a full-screen application: the scrollback keeps the conversation and
screen readers follow it. Validation runs on Enter with the flow's own check, so a refused
answer shows its message under the prompt and the text stays there, cursor at the end.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application, get_app
from prompt_toolkit.completion import (
    Completer,
    Completion,
    PathCompleter,
    WordCompleter,
    merge_completers,
)
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.layout import Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.styles import Style
from prompt_toolkit.validation import ValidationError, Validator
from rich.console import Console
from rich.text import Text

from . import screens
from .asking import Ask, GroupAsk, Outcome, Overview, Place, Review, command_of
from .commands import Prompt, command_list, completions, looks_like_command
from .dossier import Dossier
from .errors import InvalidAnswer
from .fields import kind_of
from .flow import Flow
from .i18n import _, format_decimal, format_percent
from .model import Question, Section

STYLE = Style.from_dict({
    "bottom-toolbar": "noreverse bg:#303030 #e0e0e0",
    "bottom-toolbar.over": "bg:#303030 #ffaf00 bold",
    "checkbox.cursor": "bold",
    "checkbox.hint": "italic",
    "checkbox.error": "#ff5f5f bold",
    "prompt": "bold",
})


class _ChecklistState(TypedDict):
    cursor: int  # the choice the pointer is on
    error: str   # the refusal shown under the list, "" when none


class _Check(Validator):
    def __init__(self, check: Callable[[Any], None]):
        self.check = check

    def validate(self, document) -> None:
        try:
            self.check(document.text)
        except InvalidAnswer as refused:
            width = max(get_app().output.get_size().columns - 1, 20)
            message = textwrap.fill("⚠ " + refused.message, width=width)
            raise ValidationError(message=message, cursor_position=len(document.text)) from None


class _CommandCompleter(Completer):
    """Completes the commands that apply at this prompt as soon as the user types `/`."""

    def __init__(self, prompt: Prompt):
        self.prompt = prompt

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        for word, description in completions(text, self.prompt):
            yield Completion(word, start_position=-len(text), display_meta=description)


class TerminalAsker:
    """Implements flow.Asker in a terminal (or, in tests, over a pipe input and a dummy output)."""

    def __init__(self, console: Console, pt_input=None, pt_output=None):
        self.console = console
        self.session: PromptSession[str] = PromptSession(input=pt_input, output=pt_output)
        _wrap_validation_messages(self.session)
        self._input, self._output = pt_input, pt_output

    # -- screens -------------------------------------------------------------------------------

    def welcome(self, overview: Overview) -> None:
        screens.welcome(self.console, overview)

    def section(self, section: Section, number: int, count: int) -> None:
        screens.section(self.console, section, number, count)

    def help(self, question: Question | None, prompt: Prompt) -> None:
        screens.help_screen(self.console, question, prompt)

    def notice(self, message: str) -> None:
        self.console.print(Text("⚠ " + message, style="yellow"))

    def findings(self, section: Section | None, findings: list[Any]) -> None:
        screens.findings(self.console, section, findings)

    def grid(self, grid: list[Any]) -> None:
        screens.grid(self.console, grid)

    def example(self, question: Question) -> None:
        screens.example(self.console, question)

    # -- input ---------------------------------------------------------------------------------

    def ask(self, ask: Ask) -> Any:
        screens.question(self.console, ask)
        if kind_of(ask.question).checkboxes:
            return self._checkboxes(ask)
        default = ask.default if isinstance(ask.default, str) else ""
        while True:
            text = self._prompt(default, ask.check, ask.place, ask.question, commands=ask.prompt, editor=True)
            if isinstance(text, _EditorRequest):  # Ctrl-X Ctrl-E, with the text typed so far
                edited = self._edit_externally(text.text)
                default = text.text if edited is None else edited
                continue
            command = command_of(text)
            if command and command.name == "editeur":
                edited = self._edit_externally(default)
                if edited is not None:
                    default = edited
                continue
            return command or text

    def group(self, ask: GroupAsk) -> Any:
        screens.group(self.console, ask)
        text = self._prompt("", ask.check, ask.place, None, message="› ", commands=Prompt.GROUP)
        return command_of(text) or text

    def review(self, review: Review) -> Any:
        screens.review(self.console, review)
        text = self._prompt("", review.check, None, None, message=_("Numéro à modifier (Entrée pour continuer) › "),
                            commands=Prompt.REVIEW)
        return command_of(text) or text

    def choose(self, title: str, options: list[str]) -> int:
        """A numbered list; returns the index picked."""
        self.console.print(Text(title, style="bold"))
        for number, option in enumerate(options, start=1):
            # Plain text: an option holds a call's title or a dossier's name.
            self.console.print(Text(f"  {number}. {option}"))

        def check(text: str) -> None:
            if not text.strip().isdigit() or not 1 <= int(text) <= len(options):
                raise InvalidAnswer(_("tapez un numéro entre 1 et {n}").format(n=len(options)))
        return int(self._prompt("", check, None, None, message="› ", commands=None)) - 1

    def text(self, label: str, default: str, check: Callable[[str], None]) -> str:
        self.console.print(Text(label, style="bold"))
        answer: str = self._prompt(default, check, None, None, message="› ", commands=None)  # no editor: text only
        return answer.strip()

    def _prompt(self, default: str, check: Callable[[Any], None], place: Place | None,
                question: Question | None, message: str = "› ", commands: Prompt | None = None,
                editor: bool = False) -> Any:
        """`commands`: the prompt whose commands are accepted and completed; None for none."""
        kind = kind_of(question) if question is not None else None
        long_text = kind is not None and kind.multiline
        completers: list[Completer] = [_CommandCompleter(commands)] if commands else []
        pre_run = None
        menu = question is not None and kind is not None and kind.menu
        if question is not None and kind is not None and kind.completions(question):
            # A menu's labels are matched anywhere, as whole phrases; other words by their start.
            completers.append(WordCompleter(kind.completions(question), ignore_case=True, match_middle=menu, sentence=menu))
            if menu and not default:
                pre_run = lambda: get_app().current_buffer.start_completion(select_first=False)  # noqa: E731
        if kind is not None and kind.completes_paths:
            completers.append(PathCompleter(expanduser=True))
        def typed(text: str) -> str:
            # A /command typed after a prefilled answer is the command, not the answer's end.
            if default and text.startswith(default) and text != default:
                try:
                    if command_of(text[len(default):]):
                        return text[len(default):].strip()
                except InvalidAnswer:
                    pass
            return text

        keys = [_long_text_keys(default)] if long_text else []
        if editor:
            keys.append(_editor_keys())
        answer = self.session.prompt(
            FormattedText([("class:prompt", message)]), default=default, multiline=long_text,
            validator=_Check(lambda text: check(typed(text))), validate_while_typing=False,
            completer=merge_completers(completers) if completers else None, complete_while_typing=True,
            bottom_toolbar=self._toolbar(place, question, commands), key_bindings=merge_key_bindings(keys) if keys else None,
            # prompt-toolkit's own Ctrl-X Ctrl-E fails on an EDITOR it cannot split and shows a
            # traceback; ours (`_editor_keys`) goes through `_edit_externally`, which says why.
            enable_open_in_editor=False, style=STYLE, pre_run=pre_run, mouse_support=False,
            # Room for a menu only where one opens at once (the choices); elsewhere the toolbar
            # stays right under the prompt.
            reserve_space_for_menu=len(question.choices) + 1 if question is not None and menu else 0,
            prompt_continuation=lambda width, line, wrap: "  ",
        )
        return answer if isinstance(answer, _EditorRequest) else typed(answer)

    def _toolbar(self, place: Place | None, question: Question | None, commands: Prompt | None):
        def render() -> FormattedText:
            parts: list[tuple[str, str]] = []
            if place is not None:
                parts.append(("", _(" Section {s}/{ts} · Question {q}/{tq} · {pc} des réponses obligatoires ").format(
                    s=place.section_number, ts=place.section_count, q=place.question_number,
                    tq=place.question_count, pc=format_percent(place.completion))))
            if question is not None and kind_of(question).multiline:
                count = len(get_app().current_buffer.text)
                limit = question.advised_length
                style = "class:bottom-toolbar.over" if limit and count > limit else ""
                counter = (_("{n} / {max} caractères").format(n=format_decimal(count), max=format_decimal(limit)) if limit
                           else _("{n} caractères").format(n=format_decimal(count)))
                parts.append(("", "\n"))
                parts.append((style, " " + counter + " "))
                parts.append(("", _(" · Entrée : nouvelle ligne · Échap puis Entrée : valider ")))
            if commands:
                parts.append(("", "\n " + command_list(commands) + " "))
            return FormattedText(parts)
        return render

    def _checkboxes(self, ask: Ask) -> Any:
        """Space ticks, arrows move, digits tick a numbered choice, Enter validates, `/` opens
        a command prompt. Inline, not full screen."""
        choices = ask.question.choices
        chosen = set(ask.default if isinstance(ask.default, list) else [])
        state: _ChecklistState = {"cursor": 0, "error": ""}
        keys = KeyBindings()

        def render() -> FormattedText:
            lines: list[tuple[str, str]] = []
            for index, choice in enumerate(choices):
                pointer = "›" if index == state["cursor"] else " "
                mark = "[x]" if choice.id in chosen else "[ ]"
                style = "class:checkbox.cursor" if index == state["cursor"] else ""
                lines.append((style, f"{pointer} {mark} {index + 1}. {choice.label}\n"))
            lines.append(("class:checkbox.hint", _("↑↓ se déplacer · Espace : cocher · Entrée : valider · / : commande") + "\n"))
            if state["error"]:
                lines.append(("class:checkbox.error", "⚠ " + state["error"] + "\n"))
            return FormattedText(lines)

        @keys.add("up")
        def _up(event) -> None:
            state["cursor"] = (state["cursor"] - 1) % len(choices)

        @keys.add("down")
        def _down(event) -> None:
            state["cursor"] = (state["cursor"] + 1) % len(choices)

        def toggle(index: int) -> None:
            chosen.symmetric_difference_update({choices[index].id})
            state["error"] = ""

        @keys.add("space")
        def _space(event) -> None:
            toggle(state["cursor"])

        for digit in range(1, min(len(choices), 9) + 1):
            @keys.add(str(digit))
            def _digit(event, index: int = digit - 1) -> None:
                state["cursor"] = index
                toggle(index)

        @keys.add("enter")
        def _enter(event) -> None:
            ordered = [c.id for c in choices if c.id in chosen]
            try:
                ask.check(ordered)
            except InvalidAnswer as refused:
                state["error"] = refused.message
                return
            event.app.exit(result=ordered)

        @keys.add("/")
        def _slash(event) -> None:
            event.app.exit(result="/")

        @keys.add("c-c")
        def _interrupt(event) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        @keys.add("c-d")
        def _eof(event) -> None:
            event.app.exit(exception=EOFError())

        app: Application[list[str] | str] = Application(
            layout=Layout(Window(FormattedTextControl(render, focusable=True, show_cursor=False), wrap_lines=True)),
            key_bindings=keys, full_screen=False, style=STYLE, input=self._input, output=self._output,
            erase_when_done=False,
        )
        def check(typed: str) -> None:
            # Only a command is typed here: anything else would come back as no answer.
            if typed.strip() and command_of(typed, ask.prompt) is None:
                raise InvalidAnswer(_("commande inconnue « {commande} » ; commandes : {liste}").format(
                    commande=typed.strip(), liste=command_list(ask.prompt)))

        while True:
            result = app.run()
            if result != "/":
                return result
            command = command_of(self._prompt("/", check, ask.place, None, commands=ask.prompt))
            if command is not None:
                return command
            # The command line left empty: back to the list, with the ticks as they were.

    def _edit_externally(self, text: str) -> str | None:
        """The text edited in the user's editor; None (with a notice saying why) when no editor
        could be run or it failed: the text is then left as it was."""
        command = _editor_command()
        if command is None:
            self.notice(_("aucun éditeur trouvé : définissez la variable EDITOR (par exemple EDITOR=nano, ou "
                          "EDITOR=\"code --wait\"), ou écrivez ici : dans un texte long, Entrée ajoute une ligne "
                          "et Échap puis Entrée valide"))
            return None
        if isinstance(command, str):
            self.notice(_("la variable EDITOR ne se lit pas ({editeur}) : vérifiez ses guillemets").format(editeur=command))
            return None
        # The answer is written to a private folder of its own (0700, the file 0600), which also
        # holds the editor's swap and backup files, and all of it is removed afterwards.
        folder = Path(tempfile.mkdtemp(prefix="aap-"))
        try:
            path = folder / "reponse.txt"
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            try:
                code = subprocess.call([*command, str(path)])
            except OSError as error:
                self.notice(_("l'éditeur « {editeur} » n'a pas pu être lancé : {raison}").format(
                    editeur=command[0], raison=_launch_reason(error)))
                return None
            if code != 0:
                self.notice(_("l'éditeur « {editeur} » a échoué (code {code}) : la réponse n'est pas modifiée").format(
                    editeur=command[0], code=code))
                return None
            try:
                return path.read_text(encoding="utf-8").rstrip("\n")
            except FileNotFoundError:
                self.notice(_("l'éditeur n'a pas enregistré le texte : la réponse n'est pas modifiée"))
            except UnicodeDecodeError:
                self.notice(_("le texte écrit n'est pas en UTF-8 : enregistrez-le en UTF-8 dans l'éditeur"))
            except OSError as error:
                self.notice(_("le texte écrit ne se relit pas : {raison}").format(raison=_launch_reason(error)))
            return None
        except OSError as error:
            self.notice(_("le fichier de l'éditeur ne peut pas être écrit : {raison}").format(raison=_launch_reason(error)))
            return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class _EditorRequest:
    """What a prompt returns on Ctrl-X Ctrl-E: the text typed so far, to open in the editor."""

    def __init__(self, text: str):
        self.text = text


def _editor_keys() -> KeyBindings:
    keys = KeyBindings()

    @keys.add("c-x", "c-e")
    def _open_editor(event) -> None:
        event.app.exit(result=_EditorRequest(event.current_buffer.text))

    return keys


def _editor_command() -> list[str] | str | None:
    """The editor to run: VISUAL, EDITOR, else a common one found on this machine. A variable
    that cannot be split (an unclosed quote) is returned as is, to be reported."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor and editor.strip():
        try:
            words = shlex.split(editor, posix=os.name != "nt")
        except ValueError:
            return editor
        if os.name == "nt":
            # Non-POSIX splitting keeps the quotes around "C:\Program Files\…\editor.exe".
            words = [w[1:-1] if len(w) >= 2 and w[0] == w[-1] == '"' else w for w in words]
        return words or None
    fallbacks = ("notepad",) if os.name == "nt" else ("editor", "nano", "vi")
    for name in fallbacks:
        found = shutil.which(name)
        if found:
            return [found]
    return None


def _launch_reason(error: OSError) -> str:
    from .files import reason

    if isinstance(error, FileNotFoundError):
        return _("programme introuvable")
    return reason(error)


def _wrap_validation_messages(session: PromptSession[str]) -> None:
    """prompt-toolkit shows a refused answer's message on one line, cut at the terminal's width;
    our messages say what is expected and must be read whole, so that window wraps and grows.
    (If a later prompt-toolkit lays its toolbar out differently, messages are merely cut.)"""
    from prompt_toolkit.filters import to_filter
    from prompt_toolkit.widgets.toolbars import ValidationToolbar

    for container in session.layout.walk():
        if isinstance(container, Window) and isinstance(container.content, FormattedTextControl):
            text = getattr(container.content, "text", None)
            if callable(text) and ValidationToolbar.__name__ in getattr(text, "__qualname__", ""):
                container.height = None
                container.wrap_lines = to_filter(True)


def _long_text_keys(default: str) -> KeyBindings:
    """In a long text, Enter adds a line, except on an empty answer or a lone /command (typed
    alone or right after the prefilled answer)."""
    keys = KeyBindings()

    @Condition
    def finishes() -> bool:
        text = get_app().current_buffer.text
        if default and text.startswith(default):
            text = text[len(default):]
        return not text.strip() or looks_like_command(text)

    @keys.add("enter", filter=finishes)
    def _accept(event) -> None:
        event.current_buffer.validate_and_handle()

    return keys


def run_dialogue(dossier: Dossier, save: Callable[[Dossier], None], asker: TerminalAsker) -> Outcome:
    """Run the flow; a closed terminal or a SIGTERM saves and stops like Ctrl-C."""
    def stop(signum, frame) -> None:
        raise KeyboardInterrupt

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            number = getattr(signal, name)
            previous[number] = signal.signal(number, stop)
    try:
        from .checks import check

        return Flow(dossier, save, asker, checks=check).run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
