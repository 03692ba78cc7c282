"""The `aap` command: parses arguments and calls one core function per command.

Only argparse and the translation module are imported at start-up; each command imports what it
needs, so `aap --help` pays for neither python-docx nor prompt-toolkit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import AapError, ExitCode
from .i18n import _, set_language


def _translate_argparse() -> None:
    # argparse looks its own messages up through module-level gettext functions; pointing them
    # at our catalogs gives French usage and error lines (see cli_messages.py).
    from . import cli_messages  # noqa: F401  (marks argparse's strings for extraction)
    from . import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help=_("afficher cette aide et quitter"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aap",
        description=_(
            "Assistant pour rédiger un dossier de réponse à un appel à projets d'une ARS : "
            "il pose les questions section par section, vérifie chaque réponse, enregistre "
            "après chaque réponse et produit le dossier Word."
        ),
        epilog=_("Sans commande, aap propose de reprendre un dossier ou d'en commencer un nouveau."),
    )
    parser.add_argument("--version", action="version", version=f"aap {__version__}",
                        help=_("afficher la version et quitter"))
    parser.add_argument("--langue", metavar="LANGUE", choices=("fr", "en"),
                        help=_("langue de l'assistant : fr (par défaut) ou en ; aussi AAP_LANGUE"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMANDE"), title=_("commandes"),
                                     parser_class=_Parser)

    appels = commands.add_parser("appels", help=_("lister les appels à projets disponibles"),
                                 description=_("Liste les appels à projets disponibles, ou vérifie un fichier de questionnaire."))
    appels.add_argument("--valider", metavar=_("FICHIER"), type=Path,
                        help=_("vérifier un fichier de questionnaire YAML et signaler chaque problème"))
    appels.set_defaults(handler=_appels)
    return parser


def _appels(args: argparse.Namespace) -> int:
    from . import loading, output

    if args.valider is not None:
        problems, _appel = loading.check_file(args.valider)
        output.show_validation(str(args.valider), problems)
        return ExitCode.BAD_INPUT if problems else ExitCode.OK
    output.show_appels(loading.load_all(), str(loading.questionnaires_dir()))
    return ExitCode.OK


def _language_from(argv: Sequence[str]) -> str | None:
    for position, arg in enumerate(argv):
        if arg == "--langue" and position + 1 < len(argv):
            return argv[position + 1]
        if arg.startswith("--langue="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # The language is needed before the parser is built, for its help texts.
        set_language(_language_from(argv))
        _translate_argparse()
        args = build_parser().parse_args(argv)
        handler = getattr(args, "handler", None) or _default
        return int(handler(args))
    except AapError as error:
        from . import output

        output.error(error.message, error.details)
        return int(error.exit_code)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)


def _default(args: argparse.Namespace) -> int:
    return _appels(argparse.Namespace(valider=None))
