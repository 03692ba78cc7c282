"""Everything the CLI prints, through rich. The core never imports this module.

One console for results (stdout) and one for problems (stderr); rich honours NO_COLOR and
narrows tables to the terminal width."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache

from rich.console import Console
from rich.table import Table

from .i18n import _, format_amount, format_date, ngettext
from .model import Appel


@cache
def console() -> Console:
    return Console(highlight=False)


@cache
def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def error(message: str, details: Iterable[str] = ()) -> None:
    out = err_console()
    # soft_wrap: let the terminal wrap long lines instead of rich cutting them at 80 columns
    # when stderr is a file or a pipe.
    out.print(_("[bold red]Erreur :[/] {message}").format(message=_escape(message)), soft_wrap=True)
    for line in details:
        out.print("  • " + _escape(line), soft_wrap=True)


def info(message: str) -> None:
    console().print(message)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def show_appels(appels: list[Appel], folder: str) -> None:
    table = Table(title=_("Appels à projets disponibles"), title_justify="left")
    table.add_column(_("Identifiant"), style="bold", overflow="fold")
    table.add_column(_("Titre"), ratio=2)
    table.add_column(_("Agence"))
    table.add_column(_("Date limite"))
    table.add_column(_("Plafond"), justify="right")
    for appel in appels:
        table.add_row(
            appel.id,
            _escape(appel.title),
            _escape(appel.agency),
            format_date(appel.deadline) if appel.deadline else _("aucune"),
            format_amount(appel.cap) if appel.cap is not None else _("aucun"),
        )
    console().print(table)
    console().print(_("Questionnaires lus dans {dossier}").format(dossier=_escape(folder)), style="dim")


def show_validation(path: str, problems: list[str]) -> None:
    if not problems:
        console().print(_("[green]✓[/] {fichier} est un questionnaire valide.").format(fichier=_escape(path)))
        return
    error(
        ngettext("{fichier} n'est pas un questionnaire valide ({n} problème) :",
                 "{fichier} n'est pas un questionnaire valide ({n} problèmes) :", len(problems)).format(
            fichier=path, n=len(problems)),
        problems,
    )


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
