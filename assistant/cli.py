"""The `aap` command: parses arguments and calls one core function per command.

Only argparse and the translation module are imported at start-up; each command imports what it
needs, so `aap --help` pays for neither python-docx nor prompt-toolkit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import __version__
from .errors import AapError, ExitCode, UsageError
from .i18n import LANGUAGES, _, set_language
from .streams import flush_stdout, silence_stream, standard_streams


def _translate_argparse() -> None:
    # argparse looks its own messages up through module-level gettext functions; pointing them
    # at our catalogs gives French usage and error lines (cli_messages.py marks them for extraction).
    from . import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """A parser whose -h/--help line is translated; `add_help=False` leaves it out (the options
    shared by every command, given to each as a parent)."""

    def __init__(self, *, add_help: bool = True, **kwargs):
        super().__init__(add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", help=_("afficher cette aide et quitter"))


def _name_help() -> str:
    return _("nom du dossier (ou le début de son nom, ou rien pour le choisir dans une liste) ou chemin "
             "du fichier .json")


def build_parser() -> argparse.ArgumentParser:
    # Options accepted before or after the command (`aap --dossiers X liste` = `aap liste --dossiers X`).
    common = _Parser(add_help=False)
    common.add_argument("--langue", metavar=_("LANGUE"), choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=_("langue de l'assistant : {langues} ; fr par défaut ; aussi AAP_LANGUE").format(
                            langues=", ".join(LANGUAGES)))
    common.add_argument("--dossiers", metavar=_("REPERTOIRE"), type=Path, default=argparse.SUPPRESS,
                        help=_("répertoire des dossiers (par défaut le répertoire de données de l'utilisateur ; "
                               "aussi AAP_DOSSIERS)"))
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

    appels = command("appels", _appels, _("lister les appels à projets disponibles, ou en montrer un"),
                     _("Liste les appels à projets disponibles ; avec un identifiant, montre l'appel en entier "
                       "(résumé, date limite, plafond, contacts, sections) ; ou vérifie un fichier de questionnaire."))
    appels.add_argument("appel", nargs="?", metavar="ID",
                        help=_("identifiant de l'appel à montrer (ou le début de cet identifiant)"))
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
    reprendre.add_argument("dossier", nargs="?", metavar=_("NOM_OU_CHEMIN"), help=_name_help())
    restoring = reprendre.add_mutually_exclusive_group()
    restoring.add_argument("--depuis-sauvegarde", action="store_true",
                           help=_("restaurer la sauvegarde (.bak) d'un dossier endommagé ; "
                                  "le fichier endommagé est conservé à part"))
    restoring.add_argument("--version", metavar="N", type=_version_number, dest="restored_version",
                           help=_("rétablir d'abord la version N (voir « aap versions ») ; l'état actuel est "
                                  "gardé comme une version"))
    reprendre.add_argument("--oui", action="store_true",
                           help=_("rétablir la version sans demander de confirmation (pour un script)"))

    dupliquer = command("dupliquer", _dupliquer, _("copier un dossier sous un autre nom"),
                        _("Copie un dossier, pour répondre à un autre appel ou pour un second projet."))
    dupliquer.add_argument("source", nargs="?", metavar=_("NOM"),
                           help=_("dossier à copier (son nom, ou le début de son nom)"))
    dupliquer.add_argument("cible", nargs="?", metavar=_("NOUVEAU_NOM"), help=_("nom de la copie"))
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
    verifier.add_argument("dossier", nargs="?", metavar=_("NOM_OU_CHEMIN"), help=_name_help())
    verifier.add_argument("--json", action="store_true", help=_("écrire les constats en JSON, pour un script"))
    verifier.add_argument("--date", metavar=_("AAAA-MM-JJ"), type=_reference_date, dest="checked_on",
                          help=_("vérifier le dossier à cette date (par défaut aujourd'hui), par exemple la date du dépôt"))

    evaluer = command("evaluer", _evaluer, _("lire le dossier au regard des critères de sélection de l'appel"),
                      _("Affiche la grille des critères de sélection de l'appel : pour chacun, ce que le dossier "
                        "apporte, ce qui manque ou reste faible, un état (solide, à renforcer, absent) et la prochaine "
                        "chose à faire. C'est une aide à la relecture, pas une prévision de la note du comité."))
    evaluer.add_argument("dossier", nargs="?", metavar=_("NOM_OU_CHEMIN"), help=_name_help())
    evaluer.add_argument("--json", action="store_true", help=_("écrire la grille en JSON, pour un script"))
    evaluer.add_argument("--date", metavar=_("AAAA-MM-JJ"), type=_reference_date, dest="checked_on",
                         help=_("faire les vérifications à cette date (par défaut aujourd'hui)"))

    exporter = command("exporter", _exporter, _("produire le document Word du dossier"),
                       _("Écrit le dossier en Word : version de relecture (par défaut, avec les réponses manquantes "
                         "surlignées et les points à vérifier) ou version de dépôt."))
    exporter.add_argument("dossier", nargs="?", metavar=_("NOM_OU_CHEMIN"), help=_name_help())
    version = exporter.add_mutually_exclusive_group()
    version.add_argument("--relecture", dest="mode", action="store_const", const="relecture",
                         help=_("version de travail pour la relecture interne (par défaut)"))
    version.add_argument("--depot", dest="mode", action="store_const", const="depot",
                         help=_("version à déposer : refusée tant qu'un point bloquant ou une erreur demeure ; "
                                "écrit aussi le dossier de dépôt sorties/NOM-depot/ (le document, son PDF si "
                                "LibreOffice est installé, les annexes renommées)"))
    exporter.add_argument("--pdf", action="store_true",
                          help=_("écrire aussi le PDF (PDF/A-2b) à côté du document Word, avec LibreOffice"))
    exporter.add_argument("--sortie", metavar=_("FICHIER"),
                          help=_("fichier à écrire (par défaut sorties/NOM-AAAA-MM-JJ-relecture.docx ou "
                                 "-depot.docx) ; un dossier (qui finit par /) reçoit le fichier sous ce nom"))
    exporter.add_argument("--ecraser", action="store_true",
                          help=_("remplacer le fichier (et le PDF, le dossier de dépôt) s'il existe"))
    exporter.add_argument("--forcer", action="store_true",
                          help=_("produire la version de dépôt malgré les points bloquants ou les erreurs"))
    exporter.add_argument("--date", metavar=_("AAAA-MM-JJ"), type=_reference_date, dest="checked_on",
                          help=_("faire les vérifications à cette date (par défaut aujourd'hui)"))
    exporter.add_argument("--version-nom", metavar=_("NOM"),
                          help=_("nom de la version que l'export enregistre (aap versions la montre)"))

    command("demo", _demo, _("voir le résultat sur un dossier d'exemple, sans rien saisir"),
            _("Charge le dossier d'exemple (appel Île-de-France 2022), à part de vos dossiers (dans le sous-dossier "
              "« exemples » du répertoire des dossiers : aap liste ne le montre pas), et en produit les deux "
              "versions Word."))

    relire = command("relire", _relire, _("reprendre les modifications des relecteurs d'une version de relecture"),
                     _("Lit une ou plusieurs versions de relecture revenues des relecteurs (modifications suivies ou non, "
                       "commentaires) et propose, réponse par réponse, chaque modification : accepter, refuser, "
                       "modifier ou plus tard. Chaque modification acceptée est vérifiée comme dans le dialogue ; "
                       "l'état d'après est enregistré comme une version du dossier."))
    relire.usage = _("aap relire [NOM] FICHIER.docx [FICHIER.docx …] [--tout-accepter | --json] [--version-nom NOM]")
    relire.add_argument("elements", nargs="+", metavar=_("[NOM] FICHIER.docx"),
                        help=_("le dossier (son nom, ou le début de son nom ; facultatif dans un terminal), puis le ou "
                               "les fichiers .docx relus, un par relecteur"))
    how = relire.add_mutually_exclusive_group()
    how.add_argument("--tout-accepter", action="store_true",
                        help=_("appliquer sans rien demander chaque modification qui se lit et n'est ni en conflit ni "
                               "faite sur une réponse modifiée depuis l'export (code 1 s'il en reste)"))
    how.add_argument("--json", action="store_true",
                     help=_("écrire les modifications proposées en JSON, sans rien appliquer"))
    relire.add_argument("--version-nom", metavar=_("NOM"), help=_("nom de la version enregistrée après la relecture"))
    relire.add_argument("--date", metavar=_("AAAA-MM-JJ"), type=_reference_date, dest="checked_on",
                        help=_("faire les vérifications à cette date (par défaut aujourd'hui)"))
    relire.add_argument("--par-titres", action="store_true",
                        help=_("relire un fichier dont les repères ont été perdus, en retrouvant les réponses par leur titre"))

    montrer = command("montrer", _montrer, _("afficher les réponses d'un dossier"),
                      _("Affiche les réponses d'un dossier, section par section."))
    montrer.add_argument("dossier", nargs="?", metavar=_("NOM_OU_CHEMIN"), help=_name_help())
    montrer.add_argument("--reponses", action="store_true",
                         help=_("écrire les réponses sous forme de fichier de réponses (YAML), relisible par « aap remplir »"))

    versions = command("versions", _versions, _("lister les versions d'un dossier"),
                       _("Liste les versions enregistrées d'un dossier (chaque export en enregistre une) : numéro, "
                         "date, genre, nom."))
    versions.add_argument("dossier", nargs="?", metavar=_("NOM_OU_CHEMIN"), help=_name_help())

    comparer = command("comparer", _comparer, _("comparer deux versions d'un dossier"),
                       _("Montre, réponse par réponse et mot par mot, ce qui diffère entre la version V1 et la "
                         "version V2, ou, sans V2, entre la version V1 et l'état actuel du dossier ; sans numéro, "
                         "entre la dernière version et l'état actuel."))
    comparer.add_argument("dossier", metavar=_("NOM_OU_CHEMIN"), help=_name_help())
    comparer.add_argument("first", nargs="?", metavar="V1", type=_version_number,
                          help=_("numéro de la première version (par défaut : la dernière)"))
    comparer.add_argument("second", nargs="?", metavar="V2", type=_version_number,
                          help=_("numéro de la seconde version (par défaut : l'état actuel)"))
    comparer.add_argument("--json", action="store_true", help=_("écrire les différences en JSON, pour un script"))
    return parser


def _appels(args: argparse.Namespace) -> int:
    from . import loading, output, resources

    if getattr(args, "valider", None) is not None:
        problems = loading.check_all_languages(args.valider)
        output.show_validation(str(args.valider), problems)
        return ExitCode.BAD_INPUT if problems else ExitCode.OK
    if args.appel is not None:
        output.show_appel(loading.find_appel(args.appel, prefix=True), date.today())
        return ExitCode.OK
    # Summaries, from the cache of checked questionnaires when it is fresh: no model to import.
    appels, broken = loading.offered()
    output.show_appels(appels, str(resources.questionnaires_dir()))
    output.show_broken_questionnaires(broken)
    return ExitCode.OK


# A received dossier's file name, with what aap adds to it (`.endommage-AAAAMMJJ-HHMMSS`), must
# fit the 255 bytes of a file name.
MAX_RECEIVED_NAME_BYTES = 220
# The demo's store, inside the dossiers' folder (which lists only its own .json files).
DEMO_FOLDER = "exemples"


def _store(args: argparse.Namespace, folder: Path | None = None, received: bool = False):
    from .files import default_folder
    from .loading import find_appel
    from .store import Store

    # A received file's folder is the user's (Downloads, a shared folder): aap writes there but
    # leaves the folder as it is; the store is aap's own.
    return Store(folder or default_folder(getattr(args, "dossiers", None)), find_appel, own=not received)


def _open(args: argparse.Namespace, reference: str | None, question: str | None = None):
    """A dossier by name (or the beginning of one) in the store, by the path of a .json file (its
    folder is then the store and its file name the dossier's name, so it is written back there
    and nowhere else), or, with no name, picked from the list in a terminal."""
    from .dossier import slugify
    from .errors import DossierError

    if reference is None:
        store = _store(args)
        return store, _pick(store, question or _("Quel dossier ?"))
    path = Path(reference).expanduser()
    file_name = reference.endswith(".json")  # a file's name is typed whole: never a beginning
    if reference.endswith(".json") and "/" not in reference and "\\" not in reference and not path.exists():
        reference = reference.removesuffix(".json")  # `aap reprendre exemple.json`: the stored dossier
    elif reference.endswith(".json") or any(sep in reference for sep in ("/", "\\")):
        if not path.is_file():
            raise DossierError(_("le fichier {fichier} n'existe pas").format(fichier=path))
        if not path.name.endswith(".json"):
            raise DossierError(_("{fichier} n'est pas un fichier de dossier (.json)").format(fichier=path))
        if len(path.name.encode("utf-8")) > MAX_RECEIVED_NAME_BYTES:
            # Its backup and damaged copies (`.bak`, `.endommage-…`) would not fit a file name.
            raise DossierError(_("le nom du fichier {fichier} est trop long pour qu'aap l'enregistre : renommez-le").format(
                fichier=path.name))
        return _store(args, path.parent.resolve(), received=True), path.name.removesuffix(".json")
    store = _store(args)
    if store.names() and reference in store.names():
        return store, reference  # the name as stored, accents and case included (`projet-été`)
    return store, store.find(slugify(reference), prefix=not file_name)


def _pick(store, question: str) -> str:
    """The dossier a command without a name works on: chosen from the list in a terminal; a
    script is told the names it could have given (exit 2)."""
    from .files import dossier_names

    names = dossier_names(store.folder)
    if not names:
        raise UsageError(_("aucun dossier dans {dossier} : « aap nouveau » en commence un").format(dossier=store.folder))
    if not sys.stdin.isatty():
        raise UsageError(_("indiquez le nom du dossier (ou le début de son nom) ; dossiers enregistrés :"), names)
    from .interactive import choose_dossier

    return choose_dossier(store, question)


def _load(store, name: str):
    from . import output

    dossier = store.load(name)
    output.name_in_file(dossier, store.path(name))
    return dossier


def _require_terminal() -> None:
    from .interactive import require_terminal

    require_terminal()


def _liste(args: argparse.Namespace) -> int:
    from . import output
    from .files import default_folder, dossier_names

    folder = default_folder(getattr(args, "dossiers", None))
    names = dossier_names(folder)
    if not names:  # nothing to read: the store (and its model) is not imported
        output.show_summaries([], folder)
        return ExitCode.OK
    from functools import cache

    from . import summary_cache
    from .summary_cache import Summary

    # The cache of summaries answers for every dossier it knows: the store (and its model) is
    # imported only for a dossier it does not.
    store = cache(lambda: _store(args))

    def read(name: str) -> Summary:
        summary: Summary = store().summary(name)
        return summary

    output.show_summaries(summary_cache.summaries(folder, names, read), folder)
    return ExitCode.OK


def _nouveau(args: argparse.Namespace) -> int:
    _require_terminal()
    from .interactive import start_new

    return start_new(_store(args), args.appel, args.nom)


def _reprendre(args: argparse.Namespace) -> int:
    from . import output

    if args.restored_version is not None:  # a name, or one picked from the list
        from .versions_view import restore_version

        store, name = _open(args, args.dossier, _("Dans quel dossier rétablir une version ?"))
        return restore_version(store, name, args.restored_version, confirmed=args.oui)
    if args.dossier is None:
        try:
            _require_terminal()
        except UsageError as error:  # no terminal: why, and the names it could be given (exit 2)
            from .files import default_folder, dossier_names

            names = dossier_names(default_folder(getattr(args, "dossiers", None)))
            if names:
                error.details.append(_("dossiers enregistrés : {noms}").format(noms=", ".join(names)))
            raise
        from .interactive import pick_dossier

        return pick_dossier(_store(args), offer_new=False)
    store, name = _open(args, args.dossier)
    if args.depuis_sauvegarde:
        with store.session(name) as session:
            dossier = session.restore_backup()
        output.backup_restored(dossier.name, store.path(dossier.name))
        return ExitCode.OK
    from .interactive import resume

    return resume(store, name)


def _dupliquer(args: argparse.Namespace) -> int:
    from . import loading, output
    from .dossier import slugify

    store = _store(args)
    appel = loading.find_appel(args.appel, prefix=True) if args.appel else None
    source = (store.find(slugify(args.source), prefix=True) if args.source is not None
              else _pick(store, _("Quel dossier copier ?")))
    if args.cible is None:
        if not sys.stdin.isatty():
            raise UsageError(_("indiquez le nom de la copie : aap dupliquer {source} NOUVEAU_NOM").format(source=source))
        _require_terminal()
        from .interactive import ask_new_name

        args.cible = ask_new_name(store)
    # Like remplir, dupliquer has nobody to retry: it waits for a writer of the same name.
    from .answers import LOCK_WAIT_SECONDS

    with store.session(slugify(args.cible), wait=LOCK_WAIT_SECONDS) as session:
        copy = session.copy(source, appel)
        from .versions import copy_all

        copy_all(store, source, copy.name)  # the copy keeps the source's versions
    output.dossier_copied(source, copy, store.path(copy.name), other_call=appel is not None)
    return ExitCode.OK


def _remplir(args: argparse.Namespace) -> int:
    from . import output
    from .answers import fill

    store = _store(args)
    from .checks import check

    dossier, changed = fill(store, args.reponses, args.appel, args.nom)
    output.dossier_filled(dossier, changed, store.path(dossier.name), check(dossier))
    return ExitCode.OK


def _reference_date(text: str) -> date:
    """`--date`: the day the checks are made as of (a deadline passed or not), ISO as scripts write it."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("« {saisie} » n'est pas une date AAAA-MM-JJ, par exemple 2022-10-21").format(saisie=text)) from None


def _verifier(args: argparse.Namespace) -> int:
    from . import output
    from .checks import blocks_submission, check

    store, name = _open(args, args.dossier, _("Quel dossier vérifier ?"))
    dossier = _load(store, name)
    checked_on = args.checked_on or date.today()
    findings = check(dossier, checked_on)
    if args.json:
        output.show_findings_json(findings, checked_on)
    else:
        output.show_findings(dossier, findings, checked_on)
    return ExitCode.CHECKS_FAILED if blocks_submission(findings) else ExitCode.OK


def _evaluer(args: argparse.Namespace) -> int:
    from . import output
    from .checks import check
    from .criteria import assess

    store, name = _open(args, args.dossier, _("Quel dossier lire au regard des critères de l'appel ?"))
    dossier = _load(store, name)
    checked_on = args.checked_on or date.today()
    grid = assess(dossier, check(dossier, checked_on))
    if args.json:
        output.show_grid_json(dossier, grid, checked_on)
    else:
        output.show_grid(dossier, grid)
    return ExitCode.OK


def _exporter(args: argparse.Namespace) -> int:
    from . import output
    from .export import export_dossier

    store, name = _open(args, args.dossier, _("Quel dossier écrire en Word ?"))
    mode = args.mode or "relecture"
    target = Path(args.sortie) if args.sortie else None
    if target is not None and args.sortie.endswith(("/", "\\")):
        from .files import private_folder

        private_folder(target.expanduser())  # `--sortie envois/`: a folder, made if it is not there
    result = export_dossier(_load(store, name), mode, target, args.ecraser, args.forcer,
                            pdf=args.pdf, deposit=mode == "depot", checked_on=args.checked_on,
                            store=store, label=args.version_nom)
    output.exported(result)
    output.pdf_and_deposit(result)
    return result.exit_code or ExitCode.OK


_DOCUMENTS = (".docx", ".doc", ".odt", ".pdf", ".rtf", ".docm")


def _relire(args: argparse.Namespace) -> int:
    from .review_dialogue import relire

    # The dossier's name is whichever element is not a document, wherever it was typed; without
    # one, the dossier the files were exported from.
    names = [e for e in args.elements if not e.lower().endswith(_DOCUMENTS)]
    files = [Path(e).expanduser() for e in args.elements if e.lower().endswith(_DOCUMENTS)]
    if len(names) > 1:
        raise UsageError(_("un seul dossier à la fois : {noms} ; les fichiers relus finissent par .docx").format(
            noms=", ".join(names)))
    if not files:
        raise UsageError(_("indiquez le ou les fichiers relus : aap relire NOM FICHIER.docx [FICHIER.docx …]"))
    reference = names[0] if names else _exported_from(args, files)
    unique = list(dict.fromkeys(f.resolve() for f in files))  # a file given twice is read once
    files = [next(f for f in files if f.resolve() == u) for u in unique]
    store, name = _open(args, reference, _("Quel dossier ces relectures concernent-elles ?"))
    return relire(store, name, files, accept_all=args.tout_accepter,
                  as_json=args.json, label=args.version_nom, by_titles=args.par_titres, checked_on=args.checked_on)


def _exported_from(args: argparse.Namespace, files: list[Path]) -> str | None:
    """The dossier the reviewed files name (each review version says which it was exported from),
    when they all name the same one and it is in the store."""
    from .files import default_folder, dossier_names
    from .review.importing import exported_from
    from .text import shorten

    named = exported_from(files)
    if len(named) > 1:
        raise UsageError(_("ces fichiers viennent de dossiers différents ({noms}) : relisez-les dossier par dossier").format(
            noms=", ".join(sorted(shorten(n, 40) for n in named))))
    name = next(iter(named), None)
    return name if name in dossier_names(default_folder(getattr(args, "dossiers", None))) else None


def _demo(args: argparse.Namespace) -> int:
    from . import output
    from .export import demo
    from .files import default_folder

    # The example lives apart from the user's own dossiers: `aap liste` shows only theirs.
    output.demo_done(*demo(_store(args, default_folder(getattr(args, "dossiers", None)) / DEMO_FOLDER)))
    return ExitCode.OK


def _montrer(args: argparse.Namespace) -> int:
    from . import output

    store, name = _open(args, args.dossier, _("Quel dossier afficher ?"))
    dossier = _load(store, name)
    if args.reponses:
        output.show_answers_file(dossier.answers_file())
    else:
        output.show_dossier(dossier, store.path(name))
    return ExitCode.OK


def _version_number(text: str) -> int:
    """A version's number, as `aap versions` shows it."""
    if not text.strip().isdigit() or not 0 < int(text) < 10**9:
        raise argparse.ArgumentTypeError(
            _("« {saisie} » n'est pas un numéro de version (1, 2, 3… ; voir « aap versions »)").format(saisie=text))
    return int(text)


def _versions(args: argparse.Namespace) -> int:
    from . import versions, versions_view

    store, name = _open(args, args.dossier, _("De quel dossier voir les versions ?"))
    versions_view.show_versions(store, name, versions.listing(store, name))
    return ExitCode.OK


def _comparer(args: argparse.Namespace) -> int:
    from . import versions, versions_view

    store, name = _open(args, args.dossier)
    first = args.first
    if first is None:  # the last version against now: what changed since
        last = versions.latest(store, name)
        if last is None:
            raise UsageError(_("le dossier « {nom} » n'a encore aucune version ; chaque export en enregistre une").format(
                nom=name))
        first = last.number
    comparison = versions.compare(store, _load(store, name), first, args.second)
    if args.json:
        versions_view.show_comparison_json(comparison)
    else:
        versions_view.show_comparison(comparison)
    return ExitCode.OK


def _language_from(argv: Sequence[str]) -> str | None:
    for position, arg in enumerate(argv):
        if arg == "--langue" and position + 1 < len(argv):
            return argv[position + 1]
        if arg.startswith("--langue="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    # The language this run chooses (--langue, AAP_LANGUE) is the caller's again when it returns:
    # a second `main()` in the same process starts afresh.
    from .i18n import kept_language

    with kept_language():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    from .i18n import tolerate_bad_timezone

    standard_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    command = None
    try:
        tolerate_bad_timezone()
        # The language is needed before the parser is built, for its help texts.
        set_language(_language_from(argv))
        _translate_argparse()
        args = build_parser().parse_args(argv)
        command = getattr(args, "command", None)
        handler = getattr(args, "handler", None) or _default
        code = int(handler(args))
        flush_stdout()
        return code
    except SystemExit:
        # argparse's help or usage error: its text may still wait in the buffer.
        flush_stdout(quietly=True)
        raise
    except AapError as error:
        from . import output

        output.error(error.message, error.details)
        return int(error.exit_code)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except EOFError:
        # Ctrl-D at a question asked before any dossier is opened, or a terminal gone.
        from . import output

        output.error(_("l'entrée est fermée (Ctrl-D ou fin de fichier) : aap s'arrête ; "
                       "ce qui était déjà enregistré est conservé"))
        return int(ExitCode.BAD_INPUT)
    except BrokenPipeError:
        # The reader left (`aap montrer X | head -1`): nothing more to say to anyone.
        silence_stream(sys.stdout)
        return int(ExitCode.OK)
    except OSError as error:
        # The environment, not a bug: a path too long or not searchable, a device that fails.
        from . import output
        from .files import reason

        message = (_("accès impossible à {fichier} : {raison}").format(fichier=error.filename, raison=reason(error))
                   if error.filename else _("erreur du système : {raison}").format(raison=reason(error)))
        output.error(message)
        return int(ExitCode.BAD_INPUT)
    except Exception as error:  # a bug: still no traceback on screen, but one kept for the report
        return _internal_error(error, command)


def _internal_error(error: BaseException, command: str | None = None) -> int:
    """Say that aap failed, and keep a report for the bug report. It must never fail itself."""
    try:
        report = _write_crash_report(error, command)
    except Exception:
        report = None
    try:
        print(_("aap : erreur inattendue ({type}) ; vos réponses déjà enregistrées sont intactes.").format(
            type=type(error).__name__), file=sys.stderr)
        if report:
            print(_("Le détail est dans {fichier} : joignez-le à votre signalement.").format(fichier=report),
                  file=sys.stderr)
    except Exception:
        pass
    return int(ExitCode.BAD_INPUT)


def _default(args: argparse.Namespace) -> int:
    _require_terminal()
    from .interactive import pick_dossier

    return pick_dossier(_store(args), offer_new=True)


# -- the environment -----------------------------------------------------------------------------


def _write_crash_report(error: BaseException, command: str | None) -> Path:
    """The report goes to the user's private cache folder, under a name no one else holds. It
    names the command and the error's type and place, never the error's message nor the
    command's arguments: both can hold an answer (a person's name)."""
    import os
    import time

    from platformdirs import user_cache_path

    from .files import FileError, private_folder, write_private

    folder = private_folder(user_cache_path("aap", appauthor=False), own=True)
    data = _crash_text(error, command).encode("utf-8")
    stem = f"aap-erreur-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    for attempt in range(1, 20):
        path = folder / (f"{stem}.txt" if attempt == 1 else f"{stem}-{attempt}.txt")
        try:
            write_private(path, data, replace=False)
            return path
        except FileError:
            if not os.path.lexists(path):
                raise
    raise FileError(str(folder))


def _crash_text(error: BaseException, command: str | None) -> str:
    import platform

    lines = [f"aap {__version__}", f"python {platform.python_version()} ({platform.system()})",
             f"command: {command or '-'}"]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{'error' if current is error else 'while handling'}: {kind.__module__}.{kind.__qualname__}")
        for frame in _frames(current):
            lines.append(f"  {frame}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines) + "\n"


def _frames(error: BaseException) -> list[str]:
    import traceback

    return [f"{_source_name(frame.filename)}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_tb(error.__traceback__)]


def _source_name(filename: str) -> str:
    """A source file's place without the user's folders (a home folder names its owner)."""
    path = Path(filename)
    parts = path.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            last = len(parts) - 1 - parts[::-1].index(marker)
            return "/".join(parts[last + 1:])
    try:
        return "assistant/" + path.resolve().relative_to(Path(__file__).resolve().parent).as_posix()
    except (ValueError, OSError):
        return path.name
