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
from .i18n import _, ngettext
from .review.answers import read_answer
from .review.applying import Decision, apply, record
from .review.importing import ADD, CELLS, CHANGE, REMOVE, Proposal, Reading, Suggestion, read_reviews
from .review.regions import plain
from .store import Store
from .versions_view import coloured, diff_text

_ACCEPT, _REJECT, _EDIT, _LATER = "a", "r", "m", "p"


def relire(store: Store, name: str, paths: list[Path], accept_all: bool = False, as_json: bool = False,
           label: str | None = None, by_titles: bool = False, asker: Any = None, checked_on: date | None = None) -> int:
    with store.session(name) as session:
        dossier = session.load()
        reading = read_reviews(store, dossier, paths, by_titles)
        console = asker.console if asker is not None else output.console()
        if as_json:
            print(json.dumps(_as_json(reading), ensure_ascii=False, indent=2))
            return ExitCode.OK
        _heading(console, reading)
        if accept_all:
            decisions = [Decision(p, p.suggestions[0].value, p.suggestions[0].reviewers)
                         for p in reading.proposals if _automatic(p)]
            left = [p for p in reading.proposals if not _automatic(p)]
        else:
            if reading.proposals and asker is None:
                if not sys.stdin.isatty():
                    raise UsageError(_("aap relire demande, pour chaque modification, de l'accepter ou non : sans terminal, "
                                       "utilisez --tout-accepter (ou --json pour les voir)"))
                from .interactive import _asker

                asker = _asker()
            decisions, left = _ask_each(console, asker, dossier, reading.proposals)
        changed, problems = apply(dossier, decisions)
        for problem in problems:
            console.print(Text("⚠ " + problem, style="yellow"))
        if changed:
            session.save(dossier)
            reviewers = [r for d in decisions for r in d.reviewers]
            version = record(store, dossier, list(dict.fromkeys(reviewers)) or reading.files, label)
        _closing(console, name, reading, len(changed), left, version.number if changed else None)
        if changed:  # the same checks as after an answer in the dialogue
            from .checks import check

            findings = check(dossier, checked_on)
            console.print(output.findings_summary(findings))
            mine = [f for f in findings if f.question in changed]
            if mine:
                console.print(output.findings_table(mine))
    return ExitCode.CHECKS_FAILED if accept_all and left else ExitCode.OK


def _automatic(proposal: Proposal) -> bool:
    """What `--tout-accepter` takes: one proposal, that reads, on an answer unchanged since."""
    return not proposal.conflict and proposal.suggestions[0].error is None and proposal.current is None


def _heading(console: Console, reading: Reading) -> None:
    console.print(Text(ngettext("{n} fichier relu : {fichiers}", "{n} fichiers relus : {fichiers}",
                                len(reading.files)).format(n=len(reading.files), fichiers=", ".join(reading.files)),
                       style="bold"))
    if reading.reviewers:
        console.print(_("Relecteurs : {noms}").format(noms=", ".join(reading.reviewers)))
    count = len(reading.proposals)
    console.print(ngettext("{n} modification proposée", "{n} modifications proposées", count).format(n=count)
                  if count else _("Aucune modification proposée dans les réponses."))
    for title in reading.by_title:
        console.print(Text("⚠ " + _("retrouvée par son titre (repère perdu) : {titre}").format(titre=title),
                           style="yellow"))
    for title in reading.lost:
        console.print(Text("⚠ " + _("introuvable dans le fichier : {titre}").format(titre=title), style="yellow"))


def _diff(console: Console, before: str, after: str) -> Text:
    return diff_text(before, after, coloured(console), short=True)


def _show(console: Console, number: int, count: int, proposal: Proposal) -> None:
    console.print()
    console.print(Text(f"{number}/{count} · {proposal.label}", style="bold"))
    if proposal.action == REMOVE:
        who = ", ".join(proposal.suggestions[0].reviewers or proposal.suggestions[0].files)
        console.print(_("Ligne supprimée par {qui} : {ligne}").format(qui=who, ligne=proposal.exported))
    elif proposal.action == ADD:
        who = ", ".join(proposal.suggestions[0].reviewers or proposal.suggestions[0].files)
        console.print(_("Ligne ajoutée par {qui} : {ligne}").format(qui=who, ligne=proposal.suggestions[0].text))
    for number_, suggestion in enumerate(proposal.suggestions, start=1):
        if proposal.action != CHANGE:
            break
        lead = f"{number_}. " if proposal.conflict else ""
        files = ", ".join(suggestion.files)
        said = (_("Proposé par {qui} ({fichiers}) :").format(qui=", ".join(suggestion.reviewers), fichiers=files)
                if suggestion.reviewers else _("Modifié sans suivi des modifications ({fichiers}) :").format(fichiers=files))
        console.print(Text(lead + said, style="cyan"))
        console.print(_diff(console, proposal.exported, suggestion.text), soft_wrap=False)
    if proposal.current is not None:
        console.print(Text(_("Modifié dans le dossier depuis l'export ; la réponse actuelle :"), style="yellow"))
        console.print(_diff(console, proposal.exported, proposal.current))
    for remark in proposal.remarks:
        console.print(Text("💬 " + _("{auteur} : {texte}").format(auteur=remark.author, texte=remark.text), style="magenta"))
    for suggestion in proposal.suggestions:
        if suggestion.error:
            console.print(Text("⚠ " + _("cette proposition ne se lit pas : {raison}").format(raison=suggestion.error),
                               style="yellow"))


def _ask_each(console: Console, asker: Any, dossier: Any, proposals: list[Proposal]) -> tuple[list[Decision], list[Proposal]]:
    decisions: list[Decision] = []
    left: list[Proposal] = []
    for number, proposal in enumerate(proposals, start=1):
        _show(console, number, len(proposals), proposal)
        readable = [s for s in proposal.suggestions if s.error is None]
        options = ([str(n) for n in range(1, len(proposal.suggestions) + 1)] if proposal.conflict else
                   [_ACCEPT] if readable else [])
        options += [_REJECT, _EDIT, _LATER] if proposal.action != REMOVE else [_REJECT, _LATER]
        labels = {_ACCEPT: _("a : accepter"), _REJECT: _("r : refuser"), _EDIT: _("m : modifier"),
                  _LATER: _("p : plus tard")}
        prompt = " · ".join(labels.get(o, _("{n} : la proposition {n}").format(n=o)) for o in options)

        def check(text: str, options: list[str] = options) -> None:
            if text.strip().lower() not in options:
                raise InvalidAnswer(_("tapez {choix}").format(choix=", ".join(options)))
        choice = asker.text(prompt, "", check).lower()
        if choice == _REJECT:
            continue
        if choice == _LATER:
            left.append(proposal)
            continue
        if choice == _EDIT:
            value = _edit(asker, dossier, proposal)
            decisions.append(Decision(proposal, value, proposal.suggestions[0].reviewers))
            continue
        chosen: Suggestion = proposal.suggestions[int(choice) - 1] if choice.isdigit() else readable[0]
        if chosen.error is not None:
            value = _edit(asker, dossier, proposal, chosen)
        else:
            value = chosen.value
        decisions.append(Decision(proposal, value, chosen.reviewers))
    return decisions, left


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
        console.print(_("Rien n'est modifié dans le dossier."))
    if left:
        console.print(ngettext("{n} proposition laissée pour plus tard : relancez aap relire avec les mêmes fichiers",
                               "{n} propositions laissées pour plus tard : relancez aap relire avec les mêmes fichiers",
                               len(left)).format(n=len(left)))


def _as_json(reading: Reading) -> dict[str, Any]:
    return {
        "fichiers": reading.files, "relecteurs": reading.reviewers,
        "propositions": [{
            "question": p.question, "libelle": p.label, "action": p.action, "ligne": None if p.item is None else p.item + 1,
            "champ": p.field_id, "exporte": p.exported, "actuel": p.current, "conflit": p.conflict,
            "propositions": [{"texte": s.text, "fichiers": s.files, "relecteurs": s.reviewers, "erreur": s.error}
                             for s in p.suggestions],
            "commentaires": [{"auteur": r.author, "texte": r.text, "fichier": r.file} for r in p.remarks],
        } for p in reading.proposals],
        "commentaires_sans_modification": [{"reponse": t, "auteur": r.author, "texte": r.text, "fichier": r.file}
                                           for t, r in reading.notes],
        "commentaires_hors_reponses": [{"auteur": r.author, "texte": r.text, "fichier": r.file} for r in reading.elsewhere],
        "non_reportees": reading.not_imported, "retrouvees_par_titre": reading.by_title, "introuvables": reading.lost,
    }
