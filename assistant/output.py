"""Everything the CLI prints, through rich. The core never imports this module.

One console for results (stdout) and one for problems (stderr); rich honours NO_COLOR and
narrows tables to the terminal width."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .dossier import Dossier
from .i18n import DEFAULT_LANGUAGE, _, format_amount, format_date, format_datetime, format_percent, language, ngettext, typography
from .model import NUMERIC_TYPES, Appel, FieldType, Question
from .values import display, group_sum


@cache
def console() -> Console:
    return Console(highlight=False)


@cache
def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def _long_line(out: Console, text: str) -> None:
    """In a terminal rich wraps between words; written to a file or a pipe, where rich would
    cut at 80 columns, the line is kept whole."""
    out.print(text, soft_wrap=not out.is_terminal)


def error(message: str, details: Iterable[str] = ()) -> None:
    out = err_console()
    _long_line(out, _("[bold red]Erreur :[/] {message}").format(message=_escape(typography(message))))
    for line in details:
        _long_line(out, "  • " + _escape(typography(line)))


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



# -- dossiers ------------------------------------------------------------------------------------


def _resume_hint(name: str) -> str:
    return _("Pour reprendre : aap reprendre {nom}").format(nom=name)


def show_summaries(summaries: list, folder: Path) -> None:
    out = console()
    if not summaries:
        out.print(_("Aucun dossier dans {dossier}.").format(dossier=_escape(str(folder))))
        out.print(_("Commencez-en un avec « aap nouveau » (la liste des appels : « aap appels »)."))
        return
    table = Table(title=_("Vos dossiers"), title_justify="left", caption=_("Répertoire : {dossier}").format(
        dossier=_escape(str(folder))), caption_justify="left")
    table.add_column(_("Nom"), style="bold", overflow="fold")
    table.add_column(_("Appel"), overflow="fold")
    table.add_column(_("Avancement"), justify="right")
    table.add_column(_("Modifié le"))
    for summary in summaries:
        if summary.problem:
            table.add_row(summary.name, Text(summary.problem, style="red"), "—", "—")
            continue
        table.add_row(summary.name, summary.appel, format_percent(summary.completion), format_datetime(summary.modified))
    out.print(table)




def backup_restored(name: str, path: Path) -> None:
    console().print(_("[green]✓[/] Sauvegarde restaurée dans {chemin} ; le fichier endommagé est conservé à côté.").format(
        chemin=_escape(str(path))))
    console().print(_resume_hint(name))


def dossier_copied(source: str, copy: Dossier, path: Path, other_call: bool) -> None:
    console().print(_("[green]✓[/] « {source} » copié dans « {nom} » ({appel}) : {chemin}").format(
        source=source, nom=copy.name, appel=copy.appel.id, chemin=_escape(str(path))))
    questionnaire_changes(copy, other_call)


def dossier_filled(dossier: Dossier, changed: int, path: Path) -> None:
    console().print(ngettext("[green]✓[/] Dossier « {nom} » : {n} réponse enregistrée ({chemin}).",
                             "[green]✓[/] Dossier « {nom} » : {n} réponses enregistrées ({chemin}).", changed).format(
        nom=dossier.name, n=changed, chemin=_escape(str(path))))
    console().print(_("Réponses obligatoires : {avancement}.").format(avancement=format_percent(dossier.completion())))
    from .checks import check

    console().print(findings_summary(check(dossier)))
    console().print(_("Le détail : aap verifier {nom}").format(nom=dossier.name), style="dim")


def questionnaire_changes(dossier: Dossier, other_call: bool = False) -> None:
    """What a newer questionnaire (or another call) left behind: said, never silently dropped."""
    out = err_console()
    if dossier.orphans:
        message = (_("[yellow]Attention :[/] ces réponses portent sur des questions que cet appel ne pose pas ; "
                     "elles restent dans le fichier : {questions}") if other_call else
                   _("[yellow]Attention :[/] ces réponses portent sur des questions que le questionnaire ne pose plus ; "
                     "elles restent dans le fichier : {questions}"))
        _long_line(out, message.format(questions=", ".join(dossier.orphans)))
    for question_id, reason in dossier.invalid.items():
        _long_line(out, _("[yellow]Attention :[/] la réponse à « {question} » n'est plus valide ({raison}) ; elle sera redemandée.").format(
            question=question_id, raison=_escape(reason)))


def show_answers_file(data: dict) -> None:
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        # Long answers keep their paragraphs as readable `|` blocks.
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _text)
    sys.stdout.write(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100))


def show_dossier(dossier: Dossier, path: Path) -> None:
    out = console()
    appel = dossier.appel
    out.print(Panel(_("{titre}\n{agence} — dossier « {nom} » — {avancement} des réponses obligatoires").format(
        titre=_escape(appel.title), agence=_escape(appel.agency), nom=dossier.name, avancement=format_percent(dossier.completion())),
        title=_("Dossier"), title_align="left"))
    for section in appel.sections:
        table = Table(title=section.title, title_justify="left", show_header=False, expand=True)
        table.add_column(_("Question"), ratio=1, style="bold")
        table.add_column(_("Réponse"), ratio=2)
        for question in section.questions:
            if not dossier.applies(question):
                continue
            table.add_row(_escape(question.label), answer_cell(question, dossier.get(question.id)))
        out.print(table)
    out.print(_("Fichier : {chemin}").format(chemin=_escape(str(path))), style="dim")


def answer_cell(question: Question, value: object, short: bool = False):
    """A rich renderable for one answer: groups become tables, a missing answer says so."""
    if value is None or value == []:
        return Text(_("à compléter") if question.required else _("sans réponse"), style="yellow" if question.required else "dim")
    if question.type is FieldType.GROUP and short:
        summary = ngettext("{n} ligne", "{n} lignes", len(value)).format(n=len(value))
        return Text(" · ".join([summary, *group_totals(question, value)]))
    if question.type is FieldType.GROUP:
        table = Table(show_edge=False, pad_edge=False, expand=False)
        table.add_column("#", justify="right", style="dim")
        for field in question.fields:
            table.add_column(_escape(field.label), justify="right" if field.type in NUMERIC_TYPES else "left")
        for number, item in enumerate(value, start=1):
            table.add_row(str(number), *[
                _escape(display(field, item[field.id])) if field.id in item else "" for field in question.fields])
        return table
    text = display(question, value)
    if short:
        text = " ".join(text.split())
        if len(text) > 120:
            text = text[:117].rstrip() + "…"
    return Text(text)


def farewell(dossier: Dossier, outcome) -> int:
    """The last words of a dialogue, and its exit code. The terminal may be gone (SIGHUP):
    the dossier is already saved, so a failing print changes nothing."""
    from .errors import ExitCode
    from .asking import Outcome

    try:
        out = console()
        if outcome is Outcome.DONE:
            out.print(_("[green]✓[/] Dossier « {nom} » enregistré : {avancement} des réponses obligatoires.").format(
                nom=dossier.name, avancement=format_percent(dossier.completion())))
            missing = dossier.missing_required()
            if missing:
                out.print(_("Questions obligatoires restantes :"))
                for question in missing:
                    out.print("  • " + _escape(question.label))
            out.print(_("Pour relire : aap montrer {nom} ; pour compléter : aap reprendre {nom}").format(nom=dossier.name))
        else:
            out.print()
            out.print(_("Réponses enregistrées. ") + _resume_hint(dossier.name))
    except OSError:
        pass
    return int(ExitCode.INTERRUPTED if outcome is Outcome.INTERRUPTED else ExitCode.OK)


def group_totals(question: Question, items: list[dict]) -> list[str]:
    """Running totals of a group's amount fields, e.g. `Total montant : 42 800,00 €`."""
    totals = []
    for field in question.fields:
        if field.type is FieldType.AMOUNT:
            total = group_sum(items, field.id)
            totals.append(_("Total « {champ} » : {montant}").format(champ=field.label, montant=format_amount(total)))
    return totals


# -- findings ------------------------------------------------------------------------------------

_SEVERITY_STYLES = {"bloquant": "bold red", "erreur": "red", "avertissement": "yellow"}


def findings_summary(findings: list) -> Text:
    from .checks import SEVERITY_LABELS, counts

    if not findings:
        return Text(_("✓ Aucun problème de cohérence."), style="green")
    parts = [_("{gravite} : {n}").format(gravite=_(SEVERITY_LABELS[severity]), n=n)
             for severity, n in counts(findings).items()]
    return Text(_("Vérifications : {bilan}").format(bilan=" · ".join(parts)), style="bold")


def findings_table(findings: list, title: str | None = None) -> Table:
    from .checks import SEVERITY_LABELS

    table = Table(title=title, title_justify="left", expand=True, show_lines=False)
    table.add_column(_("Gravité"), no_wrap=True)
    table.add_column(_("Où"), ratio=1)
    table.add_column(_("Constat et que faire"), ratio=3)
    for finding in findings:
        where = " › ".join(x for x in (finding.question_label, finding.item) if x) or _("Dossier")
        table.add_row(Text(_(SEVERITY_LABELS[finding.severity]), style=_SEVERITY_STYLES[finding.severity.value]),
                      Text(where), Text(finding.message))
    return table


def show_findings(dossier: Dossier, findings: list) -> None:
    """`aap verifier`: findings grouped by section, then the summary line."""
    out = console()
    out.print(_("Vérification du dossier « {nom} » ({appel})").format(nom=dossier.name, appel=dossier.appel.id), style="bold")
    general = [f for f in findings if f.section is None]
    if general:
        out.print(findings_table(general, _("Dossier")))
    for section in dossier.appel.sections:
        mine = [f for f in findings if f.section == section.id]
        if mine:
            out.print(findings_table(mine, section.title))
    out.print(findings_summary(findings))


def show_findings_json(findings: list) -> None:
    import json

    from .checks import counts

    data = {"constats": [f.as_json() for f in findings],
            "bilan": {severity.value: n for severity, n in counts(findings).items()}}
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def exported(result) -> int:
    from .errors import ExitCode

    label = _("version de relecture") if result.mode == "relecture" else _("version de dépôt")
    console().print(_("[green]✓[/] {version} écrite : {chemin}").format(version=label.capitalize(), chemin=_escape(str(result.path))))
    if result.mode == "depot" and language() != DEFAULT_LANGUAGE:
        console().print(_("La version de dépôt est en français, la langue de l'agence."), style="dim")
    console().print(findings_summary(result.findings))
    return int(ExitCode.OK)


def demo_done(results: list) -> int:
    from .errors import ExitCode

    console().print(_("Dossier d'exemple chargé sous le nom « exemple » (aap montrer exemple pour le relire)."))
    for result in results:
        exported(result)
    return int(ExitCode.OK)
