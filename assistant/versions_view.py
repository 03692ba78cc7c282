"""What `aap versions`, `aap comparer` and `aap reprendre --version` print, and the confirmation
before a restoration. The versions themselves are `versions.py` (the core).

Texts from a dossier (answers, labels, reviewers' names) are plain `Text`, never markup; a
difference is shown word by word: deleted words struck through in red, inserted ones underlined
in green, or `[-…-]{+…+}` where there are no colours (NO_COLOR, a pipe, a file)."""

from __future__ import annotations

import shlex
import sys
from typing import TYPE_CHECKING

from rich.text import Text

from .consoles import CONTROLS, escape, long_line, markup, path_line
from .errors import ExitCode, UsageError
from .i18n import _, format_datetime, ngettext
from .rows import Cell, Rows

if TYPE_CHECKING:
    from rich.console import Console

    from .store import Store
    from .versions import Comparison, Difference, Header, Versions


def _reference(store: Store, name: str) -> str:
    """How the user names the dossier again: its name, or the path of a file opened by its path."""
    return name if store.own else shlex.quote(str(store.path(name)))


def _inert(text: str) -> str:
    return CONTROLS.sub("\ufffd", text)


def kind_text(version: Header) -> str:
    """A version's kind in words: « export relecture », « après relecture (Dr Martin) »…"""
    from .versions import Kind

    if version.kind is Kind.REVIEW_EXPORT:
        return _("export relecture")
    if version.kind is Kind.SUBMISSION_EXPORT:
        return _("export dépôt")
    if version.kind is Kind.AFTER_REVIEW:
        if version.reviewers:
            return _("après relecture ({relecteurs})").format(relecteurs=", ".join(version.reviewers))
        return _("après relecture")
    if version.kind is Kind.BEFORE_RESTORE:
        if version.restored is not None:
            return _("avant restauration de la version {numero}").format(numero=version.restored)
        return _("avant restauration")
    if version.restored is not None:
        return _("restauration de la version {numero}").format(numero=version.restored)
    return _("restauration")


def _unreadable(found: Versions[Header]) -> None:
    from .output import err_console

    problems = found.unreadable
    if not problems:
        return
    out = err_console()
    long_line(out, ngettext("[yellow]Attention :[/] {n} version illisible est ignorée :",
                            "[yellow]Attention :[/] {n} versions illisibles sont ignorées :", len(problems)).format(
        n=len(problems)))
    for problem in problems:
        long_line(out, "  • " + escape(problem))


def show_versions(store: Store, name: str, found: Versions[Header]) -> None:
    """`aap versions`: one line per version, the oldest first."""
    from .output import console

    out = console()
    reference = _reference(store, name)
    if not found:
        long_line(out, markup(_("Le dossier « {nom} » n'a encore aucune version : chaque export (aap exporter) en "
                                "enregistre une."), nom=name))
        _unreadable(found)
        return
    rows: list[list[Cell]] = [[str(version.number), format_datetime(version.at), kind_text(version), version.label or ""]
                              for version in found]
    out.print(Rows([_("N°"), _("Date"), _("Genre"), _("Nom")], rows, whole={0}, right={0},
                   title=_("Versions du dossier « {nom} »").format(nom=name)), crop=False)
    _unreadable(found)
    out.print(_("Pour comparer une version à l'état actuel :"), style="dim")
    number = _("NUMÉRO")  # what the user replaces, in the user's language
    path_line(out, f"aap comparer {reference} {number}", style="dim")
    out.print(_("Pour la rétablir :"), style="dim")
    path_line(out, f"aap reprendre {reference} --version {number}", style="dim")


# -- differences ---------------------------------------------------------------------------------


def _coloured(out: Console) -> bool:
    return out.color_system is not None and not out.no_color


def _legend(out: Console, before: str, after: str) -> None:
    deleted, inserted = ((_("[-…-], barré en rouge"), _("{+…+}, souligné en vert")) if _coloured(out)
                         else ("[-…-]", "{+…+}"))
    long_line(out, escape(_("{retire} : ce qui n'est que dans {avant} ; {ajoute} : ce qui n'est que dans {apres}.").format(
        retire=deleted, avant=before, ajoute=inserted, apres=after)))


def difference_text(difference: Difference, coloured: bool) -> Text:
    """One answer's difference, word by word."""
    return diff_text(difference.before or "", difference.after or "", coloured)


def diff_text(before: str, after: str, coloured: bool, short: bool = False, whole: bool = False) -> Text:
    """A difference word by word, marked [-…-] and {+…+} (a copy into an e-mail, or a reader who
    does not tell red from green, still sees it), and in colours where the terminal has them
    (removed: red struck through; added: green underlined); « ¶ » marks a paragraph break added
    or removed. `short`: long unchanged runs keep only the words next to a change. `whole`: one
    value replaced by another (a number, an amount, a date), not compared word by word."""
    from .diffing import Op, Piece, glued, plain, trimmed, word_diff

    if whole and before and after and "\n" not in before + after:
        pieces = [Piece(Op.DELETED, _inert(before)), Piece(Op.INSERTED, _inert(after))]
    else:
        pieces = word_diff(_inert(before), _inert(after))
    if short:
        pieces = trimmed(pieces)
    if not coloured:
        return Text(plain(pieces))
    styles = {Op.SAME: "", Op.DELETED: "red strike", Op.INSERTED: "green underline"}
    text = Text()
    marks = {Op.DELETED: ("[-", "-]"), Op.INSERTED: ("{+", "+}")}
    for index, piece in enumerate(pieces):
        core = piece.text.rstrip()  # the blanks after a changed word stay unmarked, as in plain()
        if piece.op is Op.SAME:
            text.append(core)
        else:
            text.append(marks[piece.op][0] + (core or "¶") + marks[piece.op][1], style=styles[piece.op])
        text.append(piece.text[len(core):] or (" " if glued(pieces, index) else ""))
    return text


def coloured(out: Console) -> bool:
    return _coloured(out)


def show_differences(out: Console, differences: list[Difference]) -> None:
    """Each difference under its question's label, indented: in a terminal rich wraps it under
    its indent; in a file or a pipe each line is kept whole."""
    from rich.padding import Padding

    coloured = _coloured(out)
    for difference in differences:
        out.print()
        if difference.before is None:
            title = _("{question} — réponse ajoutée").format(question=difference.label)
        elif difference.after is None:
            title = _("{question} — réponse retirée").format(question=difference.label)
        else:
            title = difference.label
        text = difference_text(difference, coloured)
        if out.is_terminal:
            out.print(Text(_inert(title), style="bold"))
            out.print(Padding(text, (0, 0, 0, 2), expand=False))
            continue
        out.print(Text(_inert(title), style="bold"), soft_wrap=True)
        lines = text.split("\n", allow_blank=True)
        for line in lines:
            out.print(Text("  ") + line if line.plain else line, soft_wrap=True)


def _version_name(version: Header) -> str:
    return _("la version {numero} ({quand}, {genre})").format(
        numero=version.number, quand=format_datetime(version.at), genre=kind_text(version))


def show_comparison(comparison: Comparison) -> None:
    """`aap comparer`: each answer that differs, word by word."""
    from .output import console
    from .paging import paged

    out = console()
    before = _version_name(comparison.first)
    after = _version_name(comparison.second) if comparison.second is not None else _("l'état actuel")
    with paged(out):
        long_line(out, "[bold]" + markup(_("Dossier « {nom} » : {avant} comparée à {apres}"),
                                         nom=comparison.name, avant=before, apres=after) + "[/]")
        if not comparison.differences:
            out.print(_("Aucune différence : les réponses sont les mêmes."))
            return
        _legend(out, _("la version {numero}").format(numero=comparison.first.number),
                _("la version {numero}").format(numero=comparison.second.number) if comparison.second is not None
                else _("l'état actuel"))
        show_differences(out, comparison.differences)
        out.print()
        out.print(ngettext("{n} réponse diffère.", "{n} réponses diffèrent.", len(comparison.differences)).format(
            n=len(comparison.differences)), style="bold")


def show_comparison_json(comparison: Comparison) -> None:
    import json

    from .i18n import is_unicode
    from .output import _write_stdout

    data = {"dossier": comparison.name, "version": comparison.first.number,
            "comparee_a": comparison.second.number if comparison.second is not None else None,
            "differences": [{"question": d.question_id, "libelle": d.label, "avant": d.before, "apres": d.after}
                            for d in comparison.differences]}
    _write_stdout(json.dumps(data, ensure_ascii=not is_unicode(sys.stdout), indent=2) + "\n")


# -- restoring -----------------------------------------------------------------------------------


def restore_version(store: Store, name: str, number: int, confirmed: bool) -> int:
    """`aap reprendre NOM --version N`: what would change, a confirmation (or `--oui`), the
    restoration, then the dialogue in a terminal (a script is told how to go on)."""
    from . import versions
    from .output import console

    out = console()
    dossier = store.load(name)
    old = versions.get(store, name, number)
    changes = versions.differences(dossier, old.answers, dossier.appel)
    if not changes:
        out.print(_("La version {numero} a les mêmes réponses que le dossier : rien à rétablir.").format(numero=number))
        return _go_on(store, name)
    long_line(out, "[bold]" + markup(ngettext("Rétablir {version} changerait {n} réponse :",
                                              "Rétablir {version} changerait {n} réponses :", len(changes)),
                                     version=_version_name(old), n=len(changes)) + "[/]")
    _legend(out, _("l'état actuel"), _("la version {numero}").format(numero=number))
    show_differences(out, changes)
    out.print()
    if not confirmed and not _confirm(number):
        out.print(_("Rien n'a été changé."))
        return int(ExitCode.OK)
    with store.session(name) as session:
        restoration = versions.restore(store, session, number)
    out.print(_("[green]✓[/] version {numero} rétablie ; l'état d'avant est la version {avant}").format(
        numero=number, avant=restoration.before.number))
    if restoration.skipped:
        long_line(out, ngettext(
            "[yellow]Attention :[/] {n} réponse de la version {numero} n'a pas été rétablie (sa question n'existe "
            "plus, ou la réponse n'est plus valide) ; elle reste dans la version {numero} :",
            "[yellow]Attention :[/] {n} réponses de la version {numero} n'ont pas été rétablies (leur question "
            "n'existe plus, ou la réponse n'est plus valide) ; elles restent dans la version {numero} :",
            len(restoration.skipped)).format(n=len(restoration.skipped), numero=number))
        for label in restoration.skipped:
            long_line(out, "  • " + escape(label))
    return _go_on(store, name)


def _confirm(number: int) -> bool:
    if not sys.stdin.isatty():
        raise UsageError(_("sans terminal, aap ne peut pas demander de confirmation : ajoutez --oui pour rétablir "
                           "la version {numero}").format(numero=number))
    from .dialogue import TerminalAsker
    from .output import console

    asker = TerminalAsker(console())
    return asker.choose(_("Rétablir la version {numero} ? L'état actuel est d'abord gardé comme une version.").format(
        numero=number), [_("Oui"), _("Non")]) == 0


def _go_on(store: Store, name: str) -> int:
    """The dialogue, in a terminal, as `aap reprendre NOM`; a script is told the command."""
    if sys.stdin.isatty():
        from .interactive import resume

        return resume(store, name)
    from .output import console

    console().print(markup(_("Pour reprendre : aap reprendre {nom}"), nom=_reference(store, name)))
    return int(ExitCode.OK)
