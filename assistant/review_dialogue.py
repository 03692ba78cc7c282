"""`aap relire`, the terminal's side: each proposed change shown as a word diff with who made it
and the comments on it, and the author's choice — accept, reject, edit, later; then the changes
applied, the dossier saved and a version recorded. `--tout-accepter` decides without asking,
`--json` only shows. The reading and the applying are the core's (assistant/review/)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from . import output
from .errors import ExitCode, InvalidAnswer, UsageError
from .fields import kind_of
from .fields.groups import parse_item
from .i18n import _, is_unicode, ngettext
from .model import FieldType
from .review.answers import read_answer
from .review.applying import Decision, apply, record
from .review.decisions import remember
from .review.importing import ADD, CELLS, CHANGE, REMOVE, Proposal, Reading, Suggestion, read_reviews
from .review.regions import plain
from .store import Store
from .versions_view import coloured, diff_text

_ACCEPT, _REJECT, _EDIT, _LATER = "a", "r", "m", "p"


def relire(store: Store, name: str, paths: list[Path], accept_all: bool = False, as_json: bool = False,
           label: str | None = None, by_titles: bool = False, asker: Any = None, checked_on: date | None = None) -> int:
    if not store.exists(name):
        store.load(name)  # says there is no such dossier, before any lock is taken (and left behind)
    with store.session(name) as session:
        dossier = session.load()
        reading = read_reviews(store, dossier, paths, by_titles)
        console = asker.console if asker is not None else output.console()
        if as_json:
            # As the other --json outputs: \u escapes where the console cannot show a character.
            output._write_stdout(json.dumps(_as_json(reading), ensure_ascii=not is_unicode(sys.stdout), indent=2) + "\n")
            return ExitCode.OK
        _heading(console, reading)
        if accept_all:
            decisions = [Decision(p, _applied(p).value, _credited(p.suggestions[0], p))
                         for p in reading.proposals if _automatic(p)]
            left = [p for p in reading.proposals if not _automatic(p)]
            for decision in decisions:  # what was applied unseen, with the comments on it
                for remark in decision.proposal.remarks:
                    console.print(Text("💬 " + _("{auteur} : {texte}").format(auteur=remark.author, texte=remark.text)
                                       + f" ({decision.proposal.label})", style="magenta"))
            refused: list[Proposal] = []
            interrupted = False
        else:
            if reading.proposals and asker is None:
                if not sys.stdin.isatty():
                    raise UsageError(_("aap relire demande, pour chaque modification, de l'accepter ou non : sans terminal, "
                                       "utilisez --tout-accepter (ou --json pour les voir)"))
                from .interactive import _asker

                asker = _asker()
            decisions, left, refused, interrupted = _ask_each(console, asker, dossier, reading.proposals)
        changed, problems = apply(dossier, decisions)
        for problem in problems:
            console.print(Text("⚠ " + problem, style="yellow"))
        if changed:
            # The version first: if it cannot be written, the dossier is left as it was, as said.
            reviewers = [r for d in decisions for r in d.reviewers]
            version = record(store, dossier, list(dict.fromkeys(reviewers)) or reading.files, label)
            session.save(dossier)
        # Decided, they are not proposed again; left for later, they are.
        remember(store, name, [d.proposal for d in decisions] + refused)
        _closing(console, name, reading, len(changed), left, version.number if changed else None)
        if changed:  # the same checks as after an answer in the dialogue
            from .checks import check

            findings = check(dossier, checked_on)
            console.print(output.findings_summary(findings))
            mine = [f for f in findings if f.question in changed]
            if mine:
                console.print(output.findings_table(mine))
        if interrupted:
            console.print(Text(_("Interrompu : ce qui était décidé est enregistré ; le reste attend le prochain aap relire."),
                               style="yellow"))
            return ExitCode.INTERRUPTED
    return ExitCode.CHECKS_FAILED if accept_all and left else ExitCode.OK


def _credited(suggestion: Suggestion, proposal: Proposal | None = None) -> list[str]:
    """Who a change is credited to: the authors of its tracked changes, else of the comments
    on it from the same files, else the file it came from (an edit made without tracking still
    says where it came from)."""
    commenters = [r.author for r in proposal.remarks if r.file in suggestion.files] if proposal else []
    return suggestion.reviewers or list(dict.fromkeys(commenters)) or suggestion.files


def _automatic(proposal: Proposal) -> bool:
    """What `--tout-accepter` takes: one proposal, that reads, that no other proposal would undo,
    on an answer unchanged since the export or into which it merges cleanly (other words changed
    on each side: nothing is overwritten)."""
    unchanged = proposal.current is None or (proposal.merged is not None and proposal.merged.error is None)
    return not proposal.conflict and proposal.suggestions[0].error is None and unchanged and proposal.clash is None


def _applied(proposal: Proposal) -> Suggestion:
    """What accepting saves: the reviewer's text, or it merged into the answer as it is now."""
    return proposal.merged if proposal.merged is not None and not proposal.conflict else proposal.suggestions[0]


def _heading(console: Console, reading: Reading) -> None:
    console.print(Text(ngettext("{n} fichier relu : {fichiers}", "{n} fichiers relus : {fichiers}",
                                len(reading.files)).format(n=len(reading.files), fichiers=", ".join(reading.files)),
                       style="bold"))
    if reading.reviewers:
        console.print(Text(_("Relecteurs : {noms}").format(noms=", ".join(reading.reviewers))))
    count = len(reading.proposals)
    console.print(Text(ngettext("{n} modification proposée", "{n} modifications proposées", count).format(n=count)
                       if count else _("Aucune modification proposée dans les réponses.")))
    if reading.decided:
        console.print(Text(ngettext("{n} proposition déjà décidée à une relecture précédente (acceptée, modifiée ou "
                                    "refusée) n'est pas reproposée", "{n} propositions déjà décidées à une relecture "
                                    "précédente (acceptées, modifiées ou refusées) ne sont pas reproposées",
                                    reading.decided).format(n=reading.decided), style="dim"))
    for title in reading.by_title:
        console.print(Text("⚠ " + _("retrouvée par son titre (repère perdu) : {titre}").format(titre=title),
                           style="yellow"))
    for title in reading.lost:
        console.print(Text("⚠ " + _("introuvable dans le fichier : {titre}").format(titre=title), style="yellow"))


def _diff(console: Console, before: str, after: str, whole: bool = False) -> Text:
    """`whole`: a number, an amount or a date changes as a whole (« [-9 800,00 €-] {+10 400,00 €+} »),
    not digit group by digit group."""
    return diff_text(before, after, coloured(console), short=True, whole=whole)


def _whole(dossier: Any, proposal: Proposal) -> bool:
    question = dossier.appel.question(proposal.question)
    target = question.field(proposal.field_id) if question is not None and proposal.field_id else question
    return target is not None and (kind_of(target).numeric or target.type is FieldType.DATE)


def _show(console: Console, number: int, count: int, proposal: Proposal, whole: bool = False) -> None:
    console.print()
    console.print(Text(f"{number}/{count} · {proposal.label}", style="bold"))
    if proposal.action == REMOVE:
        who = ", ".join(proposal.suggestions[0].reviewers or proposal.suggestions[0].files)
        console.print(Text(_("Ligne supprimée par {qui} : {ligne}").format(qui=who, ligne=proposal.exported)))
        if proposal.current is not None:
            console.print(Text(_("Cette ligne a changé dans aap depuis l'export ; elle est maintenant : {ligne}").format(
                ligne=proposal.current), style="yellow"))
    elif proposal.action == ADD:
        who = ", ".join(proposal.suggestions[0].reviewers or proposal.suggestions[0].files)
        console.print(Text(_("Ligne ajoutée par {qui} : {ligne}").format(qui=who, ligne=proposal.suggestions[0].text)))
    for number_, suggestion in enumerate(proposal.suggestions, start=1):
        if proposal.action != CHANGE:
            break
        lead = f"{number_}. " if proposal.conflict else ""
        files = ", ".join(suggestion.files)
        said = (_("Proposé par {qui} ({fichiers}) :").format(qui=", ".join(suggestion.reviewers), fichiers=files)
                if suggestion.reviewers else _("Modifié sans suivi des modifications ({fichiers}) :").format(fichiers=files))
        console.print(Text(lead + said, style="cyan"))
        console.print(_diff(console, proposal.exported, suggestion.text, whole), soft_wrap=False)
    if proposal.current is not None:
        console.print(Text(_("Modifié dans aap depuis l'export ; la réponse actuelle :"), style="yellow"))
        console.print(_diff(console, proposal.exported, proposal.current, whole))
        if proposal.merged is not None:
            console.print(Text(_("Accepter reporte la modification du relecteur dans la réponse actuelle :"),
                               style="cyan"))
            console.print(_diff(console, proposal.current, proposal.merged.text))
        else:
            console.print(Text(_("Le relecteur et vous avez changé les mêmes mots : accepter remplace la réponse "
                                 "actuelle par sa proposition."), style="yellow"))
    for remark in proposal.remarks:
        console.print(Text("💬 " + _("{auteur} : {texte}").format(auteur=remark.author, texte=remark.text), style="magenta"))
    if proposal.clash:
        console.print(Text("⚠ " + proposal.clash, style="yellow"))
    for suggestion in proposal.suggestions:
        if suggestion.error:
            console.print(Text("⚠ " + _("cette proposition ne se lit pas : {raison}").format(raison=suggestion.error),
                               style="yellow"))


_WORDS = {"accepter": _ACCEPT, "refuser": _REJECT, "modifier": _EDIT, "plus tard": _LATER, "tard": _LATER}


def _ask_each(console: Console, asker: Any, dossier: Any, proposals: list[Proposal]
              ) -> tuple[list[Decision], list[Proposal], list[Proposal], bool]:
    """Each proposal and the author's choice: the decisions, the proposals left for later, those
    refused, and whether the author stopped (Ctrl-C, Ctrl-D) — what was decided before stands."""
    decisions: list[Decision] = []
    left: list[Proposal] = []
    refused: list[Proposal] = []
    for number, proposal in enumerate(proposals, start=1):
        try:
            decision = _decide(console, asker, dossier, number, len(proposals), proposal)
        except (KeyboardInterrupt, EOFError):
            console.print()
            return decisions, left + proposals[number - 1:], refused, True
        if decision is None:
            left.append(proposal)
            console.print(Text("… " + _("pour plus tard"), style="dim"))
        elif decision is _REFUSED:
            refused.append(proposal)
            console.print(Text("✗ " + _("refusée"), style="dim"))
        else:
            decisions.append(decision)
            console.print(Text("✓ " + _("retenue (enregistrée à la fin de la relecture)"), style="green"))
    return decisions, left, refused, False


_REFUSED = Decision(Proposal("", ""), None, [])  # a sentinel: the proposal refused


def _decide(console: Console, asker: Any, dossier: Any, number: int, count: int, proposal: Proposal) -> Decision | None:
    _show(console, number, count, proposal, _whole(dossier, proposal))
    readable = [s for s in proposal.suggestions if s.error is None]
    accept = _ACCEPT if readable and (proposal.merged is None or proposal.merged.error is None) else None
    options = ([str(n) for n in range(1, len(proposal.suggestions) + 1)] if proposal.conflict else
               [accept] if accept else [])
    options += [_REJECT, _EDIT, _LATER] if proposal.action != REMOVE else [_REJECT, _LATER]
    replaces = proposal.current is not None and proposal.merged is None
    labels = {_ACCEPT: _("a : remplacer la réponse actuelle") if replaces else _("a : accepter"),
              _REJECT: _("r : refuser") if not replaces else _("r : garder la réponse actuelle"),
              _EDIT: _("m : modifier"), _LATER: _("p : plus tard")}
    prompt = " · ".join(labels.get(o, _("{n} : la proposition {n}").format(n=o)) for o in options)

    def choice_of(text: str) -> str:
        typed = text.strip().lower()
        return _WORDS.get(typed, typed)

    def check(text: str) -> None:
        if choice_of(text) not in options:
            raise InvalidAnswer(_("tapez {choix}").format(choix=", ".join(options)))
    choice = choice_of(asker.text(prompt, "", check))
    if choice == _REJECT:
        return _REFUSED
    if choice == _LATER:
        return None
    if choice == _EDIT:
        # The text to correct: the reviewer's change already carried into the current answer, if it can be.
        return Decision(proposal, _edit(asker, dossier, proposal, proposal.merged), _credited(proposal.suggestions[0], proposal))
    chosen: Suggestion = proposal.suggestions[int(choice) - 1] if choice.isdigit() else readable[0]
    if proposal.merged is not None and not proposal.conflict:
        chosen = proposal.merged  # the reviewer's change applied to the answer as it is now
    value = _edit(asker, dossier, proposal, chosen) if chosen.error is not None else chosen.value
    return Decision(proposal, value, _credited(chosen, proposal))


def _edit(asker: Any, dossier: Any, proposal: Proposal, suggestion: Suggestion | None = None) -> Any:
    """The proposed text as the editable default; what is typed goes through the parser and is
    asked again, kept as typed, while it does not read."""
    suggestion = suggestion or proposal.suggestions[0]
    question = dossier.appel.question(proposal.question)
    target = question.field(proposal.field_id) if proposal.field_id else question
    holder: dict[str, Any] = {}

    def check(text: str) -> None:
        if proposal.action == ADD:  # a new line, its cells separated by « · » as shown
            raw = {f.id: c.strip() for f, c in zip(question.fields, text.split(CELLS.strip()), strict=False) if c.strip()}
            item, problems = parse_item(question, raw)
            if problems:
                field_id, _sep, message = problems[0].partition(": ")
                field_q = question.field(field_id)
                raise InvalidAnswer(_("« {champ} » : {raison}").format(champ=field_q.label, raison=message)
                                    if field_q is not None else problems[0])
            holder["value"] = item
            return
        holder["value"] = read_answer(target, text, _original(dossier, proposal))
        if holder["value"] is None and target.required:
            raise InvalidAnswer(_("la réponse est vide, et cette question est obligatoire"))

    long_text = proposal.action != ADD and kind_of(target).multiline
    label = (_("Votre texte (Échap puis Entrée pour valider) :") if long_text
             else _("Votre texte (Entrée pour valider) :"))
    asker.edit(label, suggestion.text if long_text else plain(suggestion.text), check,
               target if proposal.action != ADD else None)
    return holder["value"]


def _original(dossier: Any, proposal: Proposal) -> Any:
    """The answer as typed in aap, whose typing an accepted text keeps where it is unchanged."""
    value = dossier.get(proposal.question)
    if proposal.field_id is None:
        return value
    items = value or []
    return items[proposal.item].get(proposal.field_id) if proposal.item is not None and proposal.item < len(items) else None


def _closing(console: Console, name: str, reading: Reading, changed: int, left: list[Proposal],
             version: int | None) -> None:
    console.print()
    if reading.notes:
        console.print(Text(_("Commentaires sur des réponses inchangées :"), style="bold"))
        for title, remark in reading.notes:
            console.print(Text(f"  💬 {title} — " + _("{auteur} : {texte}").format(auteur=remark.author, texte=remark.text)))
    if reading.elsewhere:
        console.print(Text(_("Commentaires hors des réponses :"), style="bold"))
        for remark in reading.elsewhere:
            console.print(Text("  💬 " + _("{auteur} : {texte}").format(auteur=remark.author, texte=remark.text)
                               + f" ({remark.file})"))
    if reading.not_imported:
        console.print(Text(_("Modifications qu'aap ne reporte pas :"), style="bold"))
        for line in reading.not_imported:
            console.print(Text("  ⚠ " + line, style="yellow"))
    if version is not None:
        console.print(Text("✓ " + ngettext("{n} réponse modifiée et enregistrée ; le dossier après relecture est la "
                                           "version {v} (aap versions, aap comparer {nom} {export} {v})",
                                           "{n} réponses modifiées et enregistrées ; le dossier après relecture est la "
                                           "version {v} (aap versions, aap comparer {nom} {export} {v})", changed).format(
            n=changed, v=version, nom=name, export=reading.exports[0] if reading.exports else version - 1), style="green"))
    else:
        console.print(Text(_("Rien n'est modifié dans le dossier.")))
    if left:
        console.print(Text(ngettext("{n} proposition laissée pour plus tard : relancez aap relire avec les mêmes fichiers",
                                    "{n} propositions laissées pour plus tard : relancez aap relire avec les mêmes "
                                    "fichiers", len(left)).format(n=len(left))))


def _as_json(reading: Reading) -> dict[str, Any]:
    return {
        "fichiers": reading.files, "relecteurs": reading.reviewers,
        "propositions": [{
            "question": p.question, "libelle": p.label, "action": p.action, "ligne": None if p.item is None else p.item + 1,
            "champ": p.field_id, "exporte": p.exported, "actuel": p.current, "conflit": p.conflict,
            "propositions": [{"texte": s.text, "fichiers": s.files, "relecteurs": s.reviewers, "erreur": s.error}
                             for s in p.suggestions],
            # What accepting saves when the answer changed since the export: the reviewer's change
            # carried into it (None: both changed the same words, accepting replaces).
            "fusion": p.merged.text if p.merged is not None else None, "collision": p.clash,
            "commentaires": [{"auteur": r.author, "texte": r.text, "fichier": r.file} for r in p.remarks],
        } for p in reading.proposals],
        "commentaires_sans_modification": [{"reponse": t, "auteur": r.author, "texte": r.text, "fichier": r.file}
                                           for t, r in reading.notes],
        "commentaires_hors_reponses": [{"auteur": r.author, "texte": r.text, "fichier": r.file} for r in reading.elsewhere],
        "deja_decidees": reading.decided,
        "non_reportees": reading.not_imported, "retrouvees_par_titre": reading.by_title, "introuvables": reading.lost,
    }
