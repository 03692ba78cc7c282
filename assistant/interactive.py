"""The interactive commands: pick a call or a dossier, name a new one, then hold the dossier's
lock for the dialogue and say goodbye. The terminal's side of `aap`, `nouveau` and `reprendre`."""

from __future__ import annotations

import sys

from . import loading, output
from .asking import Outcome
from .dialogue import TerminalAsker, run_dialogue
from .dossier import Dossier, slugify
from .errors import ExitCode, InvalidAnswer, UsageError
from .i18n import _, format_datetime, format_percent
from .resources import questionnaires_dir
from .store import Store
from .summary_cache import Summary


def require_terminal() -> None:
    if not sys.stdin.isatty():
        raise UsageError(
            _("cette commande pose des questions et demande un terminal ; pour remplir un dossier sans "
              "dialogue, utilisez « aap remplir --reponses FICHIER »")
        )


def _asker() -> TerminalAsker:
    return TerminalAsker(output.console())


def start_new(store: Store, appel_id: str | None, name: str | None, asker: TerminalAsker | None = None) -> int:
    """`aap nouveau`: the call and the name are asked when not given, then the dialogue."""
    asker = asker or _asker()
    if appel_id is None:
        appels, broken = loading.load_all_reporting()
        output.show_broken_questionnaires(broken)
        if not appels:
            raise UsageError(_("aucun appel à projets utilisable dans {dossier} : voir « aap appels »").format(
                dossier=questionnaires_dir()))
        picked = asker.choose(_("À quel appel à projets répondez-vous ?"),
                              [f"{a.title} — {a.agency} ({a.id})" for a in appels])
        appel = appels[picked]
    else:
        appel = loading.find_appel(appel_id, prefix=True)
    if name is None:
        name = ask_new_name(store, asker)
    # The lock is held from the creation on: nobody can open the new dossier in between.
    with store.session(slugify(name)) as session:
        dossier = session.create(appel)
        outcome = run_dialogue(dossier, session.save, asker, store)
    return _farewell(store, dossier, outcome)


def ask_new_name(store: Store, asker: TerminalAsker | None = None) -> str:
    """A name for a new dossier (or a copy), refused while it is not usable or already taken."""
    def check(text: str) -> None:
        try:
            slug = slugify(text)
        except UsageError as refused:
            raise InvalidAnswer(refused.message) from None
        if store.exists(slug):
            raise InvalidAnswer(_("un dossier « {nom} » existe déjà").format(nom=slug))
    # Nothing prefilled: a name typed after a prefilled suggestion would be glued to it.
    return (asker or _asker()).text(
        _("Nom du dossier (lettres, chiffres et tirets ; par exemple ch-saint-denis-2022) :"), "", check)


def resume(store: Store, name: str, asker: TerminalAsker | None = None) -> int:
    """The dialogue on one dossier, holding its lock; returns the exit code."""
    with store.session(name) as session:
        dossier = session.load()
        require_terminal()  # after loading: a damaged file is worth saying even without a terminal
        output.questionnaire_changes(dossier)
        output.name_in_file(dossier, session.path)
        outcome = run_dialogue(dossier, session.save, asker or _asker(), store)
    return _farewell(store, dossier, outcome)


def _farewell(store: Store, dossier: Dossier, outcome: Outcome) -> int:
    import shlex

    name = dossier.name
    output.farewell(dossier, outcome, name if store.own else shlex.quote(str(store.path(name))))
    return int(ExitCode.INTERRUPTED if outcome is Outcome.INTERRUPTED else ExitCode.OK)


def _options(summaries: list[Summary]) -> list[str]:
    # A summary without a problem has its completion and date: the fallbacks only satisfy the types.
    return [_("« {nom} » ({appel}, {avancement}, modifié le {date})").format(
        nom=s.name, appel=s.appel, avancement=format_percent(s.completion or 0),
        date=format_datetime(s.modified) if s.modified else "?") for s in summaries]


def _readable(store: Store) -> list[Summary]:
    """The dossiers that can be opened, most recent first."""
    return [s for s in store.summaries() if s.problem is None]


def choose_dossier(store: Store, question: str, asker: TerminalAsker | None = None) -> str:
    """The name of a dossier picked from the list (the commands given no name)."""
    summaries = _readable(store)
    if not summaries:
        raise UsageError(_("aucun dossier lisible dans {dossier} : voir « aap liste »").format(dossier=store.folder))
    name: str = summaries[(asker or _asker()).choose(question, _options(summaries))].name
    return name


def pick_dossier(store: Store, offer_new: bool) -> int:
    """Offer the dossiers, most recent first (and a new one); with none, start a new one."""
    asker = _asker()
    summaries = _readable(store)
    if not summaries:
        if not offer_new:
            output.show_summaries([], store.folder)
            return 0
        return start_new(store, None, None, asker)
    options = [_("Reprendre {dossier}").format(dossier=option) for option in _options(summaries)]
    if offer_new:
        options.append(_("Commencer un nouveau dossier"))
    picked = asker.choose(_("Que voulez-vous faire ?") if offer_new else _("Quel dossier reprendre ?"), options)
    if picked == len(summaries):
        return start_new(store, None, None, asker)
    return resume(store, summaries[picked].name, asker)
