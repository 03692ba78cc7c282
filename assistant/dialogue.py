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
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.layout.processors import Processor, Transformation
from prompt_toolkit.styles import Style
from prompt_toolkit.validation import ValidationError, Validator
from rich.console import Console
from rich.text import Text

from . import screens
from .asking import Ask, Command, GroupAsk, Outcome, Overview, Place, Review, command_of
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
    # prompt-toolkit underlines a no-break space in yellow (class `nbsp`): text pasted from Word is
    # full of them, and French typography puts them before « : ; ? € % ». They are shown as spaces.
    "nbsp": "nounderline",
})

# Spaces that are not U+0020 but must look like one: no-break, narrow no-break, figure space.
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
_MENU_ROWS = 16  # the most entries prompt-toolkit's completion menu shows at once
# The commands that close the review (or the dialogue): the next review starts on its first page.
_CLOSING = frozenset({"retour", "passer", "sommaire", "quitter"})
_BELOW_A_PAGE = 4  # a blank line, the prompt, the toolbar and a line for a refusal


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
    """Completes the commands that apply at this prompt as soon as the user types `/`, alone or
    right after the prefilled answer (where a command is also recognised)."""

    def __init__(self, prompt: Prompt, default: str = ""):
        self.prompt, self.default = prompt, default

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        found = completions(text, self.prompt)
        if not found and self.default and text.startswith(self.default):
            text = text[len(self.default):]
            found = completions(text, self.prompt)
        for word, description in found:
            yield Completion(word, start_position=-len(text), display_meta=description)


class _SpacesShownAsSpaces(Processor):
    """Shows the no-break spaces of the text being typed as plain spaces, one character for one:
    the text itself, what is saved, keeps them."""

    def apply_transformation(self, transformation_input):
        return Transformation([(style, text.translate(_ODD_SPACES), *rest)
                               for style, text, *rest in transformation_input.fragments])


class TerminalAsker:
    """Implements flow.Asker in a terminal (or, in tests, over a pipe input and a dummy output)."""

    def __init__(self, console: Console, pt_input=None, pt_output=None):
        self.console = console
        self.session: PromptSession[str] = PromptSession(input=pt_input, output=pt_output)
        _wrap_validation_messages(self.session)
        _room_for_the_menu(self.session)
        self._input, self._output = pt_input, pt_output
        self._review_page = 0  # the page of the review to show first (0 for a new review)
        self._helped: Question | None = None  # the question whose /aide was just shown

    # -- screens -------------------------------------------------------------------------------

    def welcome(self, overview: Overview) -> None:
        screens.welcome(self.console, overview)

    def section(self, section: Section, number: int, count: int) -> None:
        screens.section(self.console, section, number, count)

    def help(self, question: Question | None, prompt: Prompt) -> None:
        screens.help_screen(self.console, question, prompt)
        self._helped = question

    def notice(self, message: str) -> None:
        self.console.print(Text("⚠ " + message, style="yellow"))

    def info(self, message: str) -> None:
        self.console.print(Text("✓ " + message, style="green"))

    def findings(self, section: Section | None, findings: list[Any]) -> None:
        screens.findings(self.console, section, findings)

    def grid(self, grid: list[Any]) -> None:
        screens.grid(self.console, grid)

    def example(self, question: Question) -> None:
        screens.example(self.console, question)

    def delivered(self, result: Any) -> None:
        from . import output

        output.exported(result)
        output.pdf_and_deposit(result)

    # -- input ---------------------------------------------------------------------------------

    def ask(self, ask: Ask) -> Any:
        # Right after its /aide, the question is not shown again in full: the help would scroll away.
        screens.question(self.console, ask, brief=self._helped is ask.question)
        self._helped = None
        if kind_of(ask.question).checkboxes:
            return self._checkboxes(ask)
        default = ask.default if isinstance(ask.default, str) else ""
        long_text = kind_of(ask.question).multiline
        while True:
            text = self._prompt(default, ask.check, ask.place, ask.question, commands=ask.prompt, editor=True)
            if isinstance(text, _EditorRequest):  # Ctrl-X Ctrl-E, with the text typed so far
                edited = self._edit_externally(text.text, long_text)
                default = text.text if edited is None else edited
                continue
            command = command_of(text)
            if command and command.name == "editeur":
                edited = self._edit_externally(default, long_text)
                if edited is not None:
                    default = edited
                continue
            return command or text

    def group(self, ask: GroupAsk) -> Any:
        screens.group(self.console, ask)
        text = self._prompt("", ask.check, ask.place, None, message="› ", commands=Prompt.GROUP)
        return command_of(text) or text

    def review(self, review: Review) -> Any:
        """The review a page at a time, each as tall as the terminal leaves above the prompt and
        its toolbar: Enter shows the next page, and on the last closes the review. A number or a
        command is taken on any page."""
        pages = screens.review_pages(review, self.console.width, self.console.size.height - _BELOW_A_PAGE)
        # Back from an edit or a command, the review comes back at the page it was left on.
        first = min(self._review_page, len(pages) - 1)
        for number, page in enumerate(pages[first:], start=first + 1):
            self.console.print()
            for line in page:
                self.console.print(line, no_wrap=True, overflow="crop")
            message = (_("Numéro à modifier (Entrée pour continuer) › ") if number == len(pages) else
                       _("Numéro à modifier (Entrée : suite du sommaire, page {page}/{pages}) › ").format(
                           page=number, pages=len(pages)))
            text = self._prompt("", review.check, None, None, message=message, commands=Prompt.REVIEW)
            if text.strip() or number == len(pages):
                reply = command_of(text) or text
                closing = not text.strip() or (isinstance(reply, Command) and reply.name in _CLOSING)
                self._review_page = 0 if closing else number - 1
                return reply
        return ""

    def choose(self, title: str, options: list[str]) -> int:
        """A numbered list; returns the index picked."""
        self.console.print(Text(title, style="bold"))
        digits = len(str(len(options)))
        for number, option in enumerate(options, start=1):
            # Plain text: an option holds a call's title or a dossier's name. A long one goes on
            # under its first word, the numbers standing out on the left.
            prefix = f"  {number:>{digits}}. "
            lines = screens.wrap_words(option, self.console.width - len(prefix), long_words=False)
            # Wrapped here; a name longer than the line is left whole, for the terminal to wrap.
            self.console.print(Text(prefix + ("\n" + " " * len(prefix)).join(lines)), soft_wrap=True)

        def check(text: str) -> None:
            if not text.strip().isdigit() or not 1 <= int(text) <= len(options):
                raise InvalidAnswer(_("tapez un numéro entre 1 et {n}").format(n=len(options)))
        return int(self._prompt("", check, None, None, message="› ", commands=None)) - 1

    def text(self, label: str, default: str, check: Callable[[str], None]) -> str:
        self.console.print(Text(label, style="bold"))
        answer: str = self._prompt(default, check, None, None, message="› ", commands=None)  # no editor: text only
        return answer.strip()

    def edit(self, label: str, default: str, check: Callable[[str], None], question: Question | None) -> str:
        """A text to correct (`aap relire`), typed as the answer to `question` is (a long text
        on several lines, with its counter)."""
        self.console.print(Text(label, style="bold"))
        answer: str = self._prompt(default, check, None, question, message="› ")
        return answer

    def _prompt(self, default: str, check: Callable[[Any], None], place: Place | None,
                question: Question | None, message: str = "› ", commands: Prompt | None = None,
                editor: bool = False, open_menu: bool = False) -> Any:
        """`commands`: the prompt whose commands are accepted and completed; None for none.
        `open_menu`: the completion menu opens at once (the command line of a checkbox list)."""
        kind = kind_of(question) if question is not None else None
        long_text = kind is not None and kind.multiline
        completers: list[Completer] = [_CommandCompleter(commands, default)] if commands else []
        pre_run = _open_menu if open_menu else None
        menu = question is not None and kind is not None and kind.menu
        if question is not None and kind is not None and kind.completions(question):
            # A menu's labels are matched anywhere, as whole phrases; other words by their start.
            completers.append(WordCompleter(kind.completions(question), ignore_case=True, match_middle=menu, sentence=menu))
            if menu and not default:
                pre_run = _open_menu
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
        if commands:
            keys.append(_command_menu_keys(default))
        answer = self.session.prompt(
            FormattedText([("class:prompt", message)]), default=default, multiline=long_text,
            validator=_Check(lambda text: check(typed(text))), validate_while_typing=False,
            completer=merge_completers(completers) if completers else None, complete_while_typing=True,
            bottom_toolbar=self._toolbar(place, question, commands), key_bindings=merge_key_bindings(keys) if keys else None,
            # prompt-toolkit's own Ctrl-X Ctrl-E fails on an EDITOR it cannot split and shows a
            # traceback; ours (`_editor_keys`) goes through `_edit_externally`, which says why.
            enable_open_in_editor=False, style=STYLE, pre_run=pre_run, mouse_support=False,
            input_processors=[_SpacesShownAsSpaces()],
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
                parts.append(("", ("\n" if parts else "") + " " + command_list(commands) + " "))
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
            # The terminal's width now: a resized terminal gets its lines wrapped anew.
            return checkbox_lines([c.label for c in choices], [c.id in chosen for c in choices], state["cursor"],
                                  state["error"], get_app().output.get_size().columns)

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
            command = command_of(self._prompt("/", check, ask.place, None, commands=ask.prompt, open_menu=True))
            if command is not None:
                return command
            # The command line left empty: back to the list, with the ticks as they were.

    def _edit_externally(self, text: str, long_text: bool = True) -> str | None:
        """The text edited in the user's editor; None (with a notice saying why) when no editor
        could be run or it failed: the text is then left as it was."""
        command = _editor_command()
        if command is None:
            # Said to someone who may never have heard of an environment variable: what to do
            # now first, the setting last, for whoever looks after the computer.
            here = (_("écrivez ici, Entrée ajoute une ligne et Échap puis Entrée valide") if long_text
                    else _("écrivez ici votre réponse, puis appuyez sur Entrée"))
            self.notice(_("aucun éditeur de texte n'est configuré sur cet ordinateur : {ici}. Pour écrire dans un "
                          "éditeur, demandez qu'on règle la variable EDITOR (par exemple EDITOR=nano, ou "
                          "EDITOR=notepad sous Windows).").format(ici=here))
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


def _open_menu() -> None:
    get_app().current_buffer.start_completion(select_first=False)


def _room_for_the_menu(session: PromptSession[str]) -> None:
    """prompt-toolkit draws the completion menu within the prompt's own lines. An inline prompt
    at the bottom of the terminal, where the dialogue's prompt always is, has one line: the menu
    had no room and `/` showed nothing. Reserving room at all times (its `reserve_space_for_menu`)
    would leave blank lines between the prompt and the toolbar; so the input grows while a menu is
    open, below the cursor's line, by as many lines as the menu has entries."""
    buffer = session.default_buffer

    def height() -> Dimension:
        state = buffer.complete_state
        if state is None or not state.completions or get_app().is_done:
            return Dimension()
        return Dimension(min=buffer.document.cursor_position_row + 1 + min(len(state.completions), _MENU_ROWS))

    for container in session.layout.walk():
        if isinstance(container, Window) and isinstance(container.content, BufferControl) \
                and container.content.buffer is buffer:
            container.height = height


def checkbox_lines(labels: list[str], ticked: list[bool], cursor: int, error: str, columns: int) -> FormattedText:
    """A checkbox list as lines wrapped between words, never inside one, each label's further
    lines under its first word; the list's window would otherwise cut words at the edge."""
    width = max(columns - 1, 20)
    digits = len(str(len(labels)))
    lines: list[tuple[str, str]] = []
    for index, label in enumerate(labels):
        prefix = f"{'›' if index == cursor else ' '} {'[x]' if ticked[index] else '[ ]'} {index + 1:>{digits}}. "
        style = "class:checkbox.cursor" if index == cursor else ""
        wrapped = screens.wrap_words(label, width - len(prefix))
        lines.append((style, prefix + ("\n" + " " * len(prefix)).join(wrapped) + "\n"))
    hint = _("↑↓ se déplacer · Espace : cocher · Entrée : valider · / : commande")
    lines.append(("class:checkbox.hint", "\n".join(screens.wrap_words(hint, width)) + "\n"))
    if error:
        lines.append(("class:checkbox.error", "\n".join(screens.wrap_words("⚠ " + error, width)) + "\n"))
    return FormattedText(lines)


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
    # Only editors that say on screen how to save and leave: Debian's `editor` is often vi,
    # where someone who has never met it is trapped.
    fallbacks = ("notepad",) if os.name == "nt" else ("nano",)
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


def _command_menu_keys(default: str) -> KeyBindings:
    """Enter while the command menu shows runs the command picked in it, or the only one left
    (`/ver` then Enter is `/verifier`): what the menu offers is what Enter does."""
    keys = KeyBindings()

    def pending() -> Completion | None:
        buffer = get_app().current_buffer
        state = buffer.complete_state
        if state is None:
            return None
        text = buffer.text[len(default):] if default and buffer.text.startswith(default) else buffer.text
        if not looks_like_command(text):
            return None
        # Only a command's entry (`/verifier`), never a path's (`/ho` completing to `/home/`).
        if state.current_completion is not None:
            return state.current_completion if state.current_completion.text.startswith("/") else None
        only = state.completions[0] if len(state.completions) == 1 else None
        return only if only is not None and only.text.startswith("/") else None

    @keys.add("enter", filter=Condition(lambda: pending() is not None))
    def _run(event) -> None:
        completion = pending()
        if completion is not None and event.current_buffer.complete_state.current_completion is None:
            event.current_buffer.apply_completion(completion)
        event.current_buffer.validate_and_handle()

    return keys


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


def run_dialogue(dossier: Dossier, save: Callable[[Dossier], None], asker: TerminalAsker, store: Any = None) -> Outcome:
    """Run the flow; a closed terminal or a SIGTERM saves and stops like Ctrl-C. With the
    dossier's `store`, the documents it writes are recorded as versions."""
    def stop(signum, frame) -> None:
        raise KeyboardInterrupt

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            number = getattr(signal, name)
            previous[number] = signal.signal(number, stop)
    try:
        from .checks import check

        def deliver(written: Dossier, mode: str) -> Any:
            from .export import export_dossier

            # The submission comes with its deposit folder (and its PDF where LibreOffice is).
            return export_dossier(written, mode, None, overwrite=False, force=False, deposit=mode == "depot",
                                  store=store)

        return Flow(dossier, save, asker, checks=check, deliver=deliver).run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
