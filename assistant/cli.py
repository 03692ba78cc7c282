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
from .i18n import LANGUAGES, _, set_language


def _translate_argparse() -> None:
    # argparse looks its own messages up through module-level gettext functions; pointing them
    # at our catalogs gives French usage and error lines (cli_messages.py marks them for extraction).
    from . import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help=_("afficher cette aide et quitter"))


def build_parser() -> argparse.ArgumentParser:
    # Options accepted before or after the command (`aap --dossiers X liste` = `aap liste --dossiers X`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--langue", metavar=_("LANGUE"), choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=_("langue de l'assistant : {langues} ; fr par défaut ; aussi AAP_LANGUE").format(
                            langues=", ".join(LANGUAGES)))
    common.add_argument("--dossiers", metavar=_("REPERTOIRE"), type=Path, default=argparse.SUPPRESS,
                        help=_("répertoire des dossiers (par défaut le répertoire de données de l'utilisateur ; aussi AAP_DOSSIERS)"))
    parser = _Parser(
        prog="aap", parents=[common],
        description=_(
            "Assistant pour rédiger un dossier de réponse à un appel à projets d'une ARS : "
            "il pose les questions section par section, vérifie chaque réponse, enregistre "
            "après chaque réponse et produit le dossier Word."
        ),
        epilog=_("Sans commande, aap propose de reprendre un dossier ou d'en commencer un nouveau."),
    )
    parser.add_argument("--version", action="version", version=f"aap {__version__}",
                        help=_("afficher la version et quitter"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMANDE"), title=_("commandes"),
                                     parser_class=_Parser)

    def command(name: str, handler, summary: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=description, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    appels = command("appels", _appels, _("lister les appels à projets disponibles"),
                     _("Liste les appels à projets disponibles, ou vérifie un fichier de questionnaire."))
    appels.add_argument("--valider", metavar=_("FICHIER"), type=Path,
                        help=_("vérifier un fichier de questionnaire YAML et signaler chaque problème"))

    command("liste", _liste, _("lister vos dossiers"),
            _("Liste les dossiers enregistrés : nom, appel, avancement, dernière modification."))

    nouveau = command("nouveau", _nouveau, _("commencer un nouveau dossier"),
                      _("Crée un dossier et pose les questions de l'appel, section par section."))
    nouveau.add_argument("--appel", metavar="ID", help=_("identifiant de l'appel (voir « aap appels »)"))
    nouveau.add_argument("--nom", metavar=_("NOM"), help=_("nom du dossier, par exemple ch-saint-denis-2022"))

    reprendre = command("reprendre", _reprendre, _("reprendre un dossier là où vous l'avez laissé"),
                        _("Rouvre un dossier par son nom, ou par le chemin d'un fichier .json reçu d'un collègue."))
    reprendre.add_argument("dossier", nargs="?", metavar=_("NOM_OU_CHEMIN"), help=_("nom du dossier ou chemin du fichier .json"))
    reprendre.add_argument("--depuis-sauvegarde", action="store_true",
                           help=_("restaurer la sauvegarde (.bak) d'un dossier endommagé ; le fichier endommagé est conservé à part"))

    dupliquer = command("dupliquer", _dupliquer, _("copier un dossier sous un autre nom"),
                        _("Copie un dossier, pour répondre à un autre appel ou pour un second projet."))
    dupliquer.add_argument("source", metavar=_("NOM"), help=_("dossier à copier"))
    dupliquer.add_argument("cible", metavar=_("NOUVEAU_NOM"), help=_("nom de la copie"))
    dupliquer.add_argument("--appel", metavar="ID",
                           help=_("appel auquel la copie répond (les réponses aux questions communes sont reprises)"))

    remplir = command("remplir", _remplir, _("remplir un dossier depuis un fichier de réponses"),
                      _("Crée ou complète un dossier, sans dialogue, depuis un fichier YAML ou JSON de la forme "
                        "{appel: ID, nom: NOM, reponses: {question: réponse}}. Les réponses que le fichier ne "
                        "mentionne pas sont conservées."))
    remplir.add_argument("--reponses", metavar=_("FICHIER"), type=Path, required=True, help=_("fichier de réponses"))
    remplir.add_argument("--appel", metavar="ID", help=_("identifiant de l'appel (sinon celui du fichier)"))
    remplir.add_argument("--nom", metavar=_("NOM"), help=_("nom du dossier (sinon celui du fichier)"))

    verifier = command("verifier", _verifier, _("vérifier la cohérence d'un dossier"),
                       _("Vérifie la cohérence d'un dossier (plafond, budget, rôles, engagements…) ; code de sortie 0 "
                         "s'il n'y a rien de bloquant ni d'erreur, 1 sinon."))
    verifier.add_argument("dossier", metavar=_("NOM_OU_CHEMIN"), help=_("nom du dossier ou chemin du fichier .json"))
    verifier.add_argument("--json", action="store_true", help=_("écrire les constats en JSON, pour un script"))

    exporter = command("exporter", _exporter, _("produire le document Word du dossier"),
                       _("Écrit le dossier en Word : version de relecture (par défaut, avec les réponses manquantes "
                         "surlignées et les points à vérifier) ou version de dépôt."))
    exporter.add_argument("dossier", metavar=_("NOM_OU_CHEMIN"), help=_("nom du dossier ou chemin du fichier .json"))
    version = exporter.add_mutually_exclusive_group()
    version.add_argument("--relecture", dest="mode", action="store_const", const="relecture",
                         help=_("version de travail pour la relecture interne (par défaut)"))
    version.add_argument("--depot", dest="mode", action="store_const", const="depot",
                         help=_("version à déposer : refusée tant qu'un point bloquant ou une erreur demeure"))
    exporter.add_argument("--sortie", metavar=_("FICHIER"), type=Path,
                          help=_("fichier à écrire (par défaut sorties/NOM-AAAA-MM-JJ.docx)"))
    exporter.add_argument("--ecraser", action="store_true", help=_("remplacer le fichier s'il existe"))
    exporter.add_argument("--forcer", action="store_true",
                          help=_("produire la version de dépôt malgré les points bloquants ou les erreurs"))

    command("demo", _demo, _("voir le résultat sur un dossier d'exemple, sans rien saisir"),
            _("Charge le dossier d'exemple (appel Île-de-France 2022) sous le nom « exemple » et en produit "
              "les deux versions Word."))

    montrer = command("montrer", _montrer, _("afficher les réponses d'un dossier"),
                      _("Affiche les réponses d'un dossier, section par section."))
    montrer.add_argument("dossier", metavar=_("NOM_OU_CHEMIN"), help=_("nom du dossier ou chemin du fichier .json"))
    montrer.add_argument("--reponses", action="store_true",
                         help=_("écrire les réponses sous forme de fichier de réponses (YAML), relisible par « aap remplir »"))
    return parser


def _appels(args: argparse.Namespace) -> int:
    from . import loading, output

    if getattr(args, "valider", None) is not None:
        problems = loading.check_all_languages(args.valider)
        output.show_validation(str(args.valider), problems)
        return ExitCode.BAD_INPUT if problems else ExitCode.OK
    output.show_appels(loading.load_all(), str(loading.questionnaires_dir()))
    return ExitCode.OK


def _store(args: argparse.Namespace, folder: Path | None = None):
    from .loading import find_appel
    from .store import Store, default_folder

    return Store(folder or default_folder(getattr(args, "dossiers", None)), find_appel)


def _open(args: argparse.Namespace, reference: str):
    """A dossier by name in the store, or by the path of a .json file (its folder is then the store)."""
    from .dossier import slugify

    path = Path(reference).expanduser()
    if reference.endswith(".json") and path.is_file():
        return _store(args, path.parent.resolve()), path.name.removesuffix(".json")
    return _store(args), slugify(reference)


def _require_terminal() -> None:
    from .interactive import require_terminal

    require_terminal()


def _liste(args: argparse.Namespace) -> int:
    from . import output

    store = _store(args)
    output.show_summaries(store.summaries(), store.folder)
    return ExitCode.OK


def _nouveau(args: argparse.Namespace) -> int:
    _require_terminal()
    from .interactive import start_new

    return start_new(_store(args), args.appel, args.nom)


def _reprendre(args: argparse.Namespace) -> int:
    from . import output

    if args.dossier is None:
        _require_terminal()
        from .interactive import pick_dossier

        return pick_dossier(_store(args), offer_new=False)
    store, name = _open(args, args.dossier)
    if args.depuis_sauvegarde:
        with store.lock(name):
            dossier = store.restore_backup(name)
        output.backup_restored(dossier.name, store.path(dossier.name))
        return ExitCode.OK
    from .interactive import resume

    return resume(store, name)


def _dupliquer(args: argparse.Namespace) -> int:
    from . import loading, output
    from .dossier import slugify

    store = _store(args)
    appel = loading.find_appel(args.appel) if args.appel else None
    copy = store.copy(slugify(args.source), args.cible, appel)
    output.dossier_copied(args.source, copy, store.path(copy.name), other_call=appel is not None)
    return ExitCode.OK


def _remplir(args: argparse.Namespace) -> int:
    from . import output
    from .answers import fill

    store = _store(args)
    dossier, changed = fill(store, args.reponses, args.appel, args.nom)
    output.dossier_filled(dossier, changed, store.path(dossier.name))
    return ExitCode.OK


def _verifier(args: argparse.Namespace) -> int:
    from . import output
    from .checks import blocks_submission, check

    store, name = _open(args, args.dossier)
    dossier = store.load(name)
    findings = check(dossier)
    if args.json:
        output.show_findings_json(findings)
    else:
        output.show_findings(dossier, findings)
    return ExitCode.CHECKS_FAILED if blocks_submission(findings) else ExitCode.OK


def _exporter(args: argparse.Namespace) -> int:
    from . import output
    from .exporting import export_dossier

    store, name = _open(args, args.dossier)
    result = export_dossier(store.load(name), args.mode or "relecture", args.sortie, args.ecraser, args.forcer)
    return output.exported(result)


def _demo(args: argparse.Namespace) -> int:
    from . import output
    from .exporting import demo

    return output.demo_done(demo(_store(args)))


def _montrer(args: argparse.Namespace) -> int:
    from . import output

    store, name = _open(args, args.dossier)
    dossier = store.load(name)
    if args.reponses:
        output.show_answers_file(dossier.answers_file())
    else:
        output.show_dossier(dossier, store.path(name))
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
    except Exception as error:  # a bug: still no traceback on screen, but one kept for the report
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    import tempfile
    import traceback

    report = Path(tempfile.gettempdir()) / "aap-erreur.txt"
    try:
        report.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError:
        report = None
    print(_("aap : erreur inattendue ({type}) ; vos réponses déjà enregistrées sont intactes.").format(
        type=type(error).__name__), file=sys.stderr)
    if report:
        print(_("Le détail est dans {fichier} : joignez-le à votre signalement.").format(fichier=report), file=sys.stderr)
    return int(ExitCode.BAD_INPUT)


def _default(args: argparse.Namespace) -> int:
    _require_terminal()
    from .interactive import pick_dossier

    return pick_dossier(_store(args), offer_new=True)
