"""What the dialogue shows, drawn with rich: the welcome screen, section panels, a question's
header, a group's table with its running totals, and the review screen. No input here.

Questionnaire and dossier texts go into `Text` objects (plain) or through output's `escape` and
`markup` (strings, which rich reads as markup), never raw into a string."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .asking import Ask, GroupAsk, Overview, Review
from .commands import Prompt, commands_at, prompt_for
from .fields import kind_of
from .i18n import _, format_amount, format_date, format_decimal, format_percent, ngettext, typography
from .model import Question, Section
from .output import answer_cell, escape, findings_summary, findings_table, grid_disclaimer, grid_view, group_totals, markup
from .values import paragraphs

if TYPE_CHECKING:
    from .checks import Finding


def welcome(console: Console, overview: Overview) -> None:
    dossier = overview.dossier
    appel = dossier.appel
    lines = [Text(appel.title, style="bold"), Text(appel.agency)]
    if appel.deadline:
        deadline = _("Date limite de dépôt : {date}").format(date=format_date(appel.deadline))
        lines.append(Text(deadline))
        if overview.deadline_passed:
            lines.append(Text(_("⚠ Cette date est passée : vous pouvez continuer à travailler, mais vérifiez auprès "
                                "de l'agence que le dépôt est encore possible."), style="bold yellow"))
    lines.append(Text(_("Plafond de la subvention : {montant}").format(montant=format_amount(appel.cap))
                      if appel.cap is not None else _("Pas de plafond de subvention fixé par l'appel")))
    lines.append(Text(_("Dépôt : {plateforme}").format(plateforme=appel.platform), style="dim"))
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column(_("Section"))
    table.add_column(_("Réponses obligatoires"), justify="right")
    table.add_column(_("État"))
    for state in overview.sections:
        if not state.required:
            label, style = _("facultative"), "dim"
        elif state.answered == state.required:
            label, style = _("complète"), "green"
        elif state.answered:
            label, style = _("en cours"), "yellow"
        else:
            label, style = _("à faire"), "dim"
        table.add_row(escape(state.section.title), f"{state.answered}/{state.required}", Text(label, style=style))
    console.print(Panel(Group(*lines, Text(), table), title=markup(_("Dossier « {nom} »"), nom=dossier.name),
                        title_align="left"))
    console.print(_("Tapez /aide à tout moment pour la liste des commandes. Chaque réponse est enregistrée aussitôt."),
                  style="dim")


def section(console: Console, current: Section, number: int, count: int) -> None:
    console.print()
    body = Text("\n\n".join(paragraphs(current.guidance)))
    console.print(Panel(body, title=markup(_("Section {n}/{total} — {titre}"), n=number, total=count, titre=current.title),
                        title_align="left", border_style="cyan"))


def question(console: Console, ask: Ask) -> None:
    q = ask.question
    console.print()
    if ask.item_of is not None:
        console.print(Text.assemble((q.label, "bold"), "  ", (_constraints(q), "dim")))
    else:
        console.print(Text.assemble((f"{ask.place.question_number}/{ask.place.question_count}  ", "dim"),
                                    (q.label, "bold"), "  ", (_constraints(q), "dim")))
    if q.help:
        console.print(Text("\n".join(paragraphs(q.help)), style="italic"))
    if q.example and kind_of(q).multiline:
        # A long example is shown on request: read before writing, it would be copied.
        console.print(Text(_("Tapez /exemple pour voir un exemple de réponse."), style="dim"))
    elif q.example:
        console.print(Text(_("Exemple : {exemple}").format(exemple=q.example), style="dim"))
    if kind_of(q).menu:
        for number, choice in enumerate(q.choices, start=1):
            console.print(Text(f"  {number}. {choice.label}"))
    if kind_of(q).multiline:
        # Printed, not only in the toolbar: without cursor position reports the toolbar is hidden.
        console.print(Text(_("Texte sur plusieurs lignes : Entrée ajoute une ligne ; Échap puis Entrée valide ; "
                             "/editeur ouvre votre éditeur."), style="cyan"))
    if ask.error:
        console.print(Text(_("La réponse enregistrée n'est plus valide : {raison}").format(raison=ask.error), style="yellow"))
    elif ask.saved:
        console.print(Text(_("Réponse enregistrée proposée : Entrée la garde, ou modifiez-la."), style="dim"))


def _constraints(q: Question) -> str:
    parts = [_("obligatoire") if q.required else _("facultatif")]
    hint = kind_of(q).hint
    if hint:
        parts.append(_(hint))
    if q.advised_length:
        parts.append(_("{n} caractères conseillés au plus").format(n=format_decimal(q.advised_length)))
    if q.max_length:
        parts.append(_("{n} caractères au plus").format(n=q.max_length))
    if q.minimum is not None or q.maximum is not None:
        parts.append(_("de {min} à {max}").format(min=q.minimum if q.minimum is not None else "…",
                                                  max=q.maximum if q.maximum is not None else "…"))
    return "(" + " · ".join(parts) + ")"


def group(console: Console, ask: GroupAsk) -> None:
    q = ask.question
    console.print()
    console.print(Text.assemble((f"{ask.place.question_number}/{ask.place.question_count}  ", "dim"),
                                (q.label, "bold"), "  ", (_group_limits(q), "dim")))
    if q.help:
        console.print(Text(q.help, style="italic"))
    if ask.items:
        console.print(answer_cell(q, ask.items))
        totals = group_totals(q, ask.items)
        if totals:
            console.print(Text(" · ".join(totals), style="bold"))
    else:
        console.print(Text(_("Aucune ligne pour l'instant."), style="dim"))
    for line in ask.damage:
        console.print(Text("⚠ " + line, style="yellow"))
    console.print(_("[bold]a[/] ajouter · [bold]m N[/] modifier la ligne N · [bold]s N[/] supprimer la ligne N · "
                    "[bold]t[/] ou Entrée : terminer"))


def _group_limits(q: Question) -> str:
    parts = [_("obligatoire") if q.required else _("facultatif")]
    if q.min_items:
        parts.append(ngettext("au moins {n} ligne", "au moins {n} lignes", q.min_items).format(n=q.min_items))
    if q.max_items:
        parts.append(ngettext("au plus {n} ligne", "au plus {n} lignes", q.max_items).format(n=q.max_items))
    return "(" + " · ".join(parts) + ")"


def review(console: Console, data: Review) -> None:
    console.print()
    title = _("Sommaire du dossier — {avancement} des réponses obligatoires").format(avancement=format_percent(data.completion))
    console.print(Panel(Text(_("Tapez le numéro d'une question pour la modifier, /annuler pour annuler la dernière "
                               "modification, Entrée pour continuer.")),
                        title=title, title_align="left", border_style="magenta"))
    for current, rows in data.sections:
        table = Table(title=escape(current.title), title_justify="left", expand=True, show_header=False)
        table.add_column("#", justify="right", width=3)
        table.add_column(_("Question"), ratio=2)
        table.add_column(_("Réponse"), ratio=3)
        for row in rows:
            if not row.applies:
                table.add_row(str(row.number), Text(row.question.label, style="dim"), Text(_("ne s'applique pas"), style="dim"))
                continue
            label = Text(row.question.label, style="bold yellow" if row.missing else "")
            table.add_row(str(row.number), label, answer_cell(row.question, row.value, short=True))
        console.print(table)
    if data.findings:
        console.print(findings_table(data.findings, _("Points à vérifier")))
    console.print(findings_summary(data.findings))


def help_screen(console: Console, q: Question | None, prompt: Prompt | None = None) -> None:
    """A question's help (none for the review) and the commands that apply at its prompt."""
    if q is None:
        lines = [Text(_("Tapez le numéro d'une question pour la modifier, /annuler pour annuler la dernière "
                        "modification, Entrée pour continuer."))]
    else:
        lines = [Text(q.label, style="bold")]
        if q.help:
            lines.append(Text(q.help))
        lines.append(Text(_constraints(q), style="dim"))
    lines.append(Text())
    lines.append(Text(_("Commandes :"), style="bold"))
    where = prompt or (prompt_for(q) if q is not None else Prompt.REVIEW)
    for command in commands_at(where):
        lines.append(Text.assemble(("/" + command.word(), "bold"), "  ", command.describe(where)))
    console.print(Panel(Group(*lines), title=_("Aide"), title_align="left"))


def example(console: Console, q: Question) -> None:
    """`/exemple`: the question's example answer, said to be a fictitious establishment's; for a
    group, one line of it, field by field."""
    if q.example:
        body = Text("\n\n".join(paragraphs(q.example)))
    elif any(f.example for f in q.fields):
        body = Text("\n".join(_("{libelle} : {exemple}").format(libelle=f.label, exemple=f.example)
                               for f in q.fields if f.example))
    else:
        console.print(Text("⚠ " + _("pas d'exemple pour cette question"), style="yellow"))
        return
    console.print(Panel(body, title=markup(_("Exemple — {titre}"), titre=q.label), title_align="left",
                        subtitle=_("un exemple pour vous guider, à ne pas recopier"), subtitle_align="right",
                        border_style="dim"))


def grid(console: Console, assessments: list[Any]) -> None:
    """`/evaluer`: the grid of the call's selection criteria."""
    console.print()
    console.print(Text(_("Grille de lecture du dossier"), style="bold"))
    console.print(Text(typography(grid_disclaimer()), style="italic"))
    console.print()
    console.print(grid_view(assessments), end="")


def findings(console: Console, current: Section | None, found: list[Finding]) -> None:
    """A section's findings when the user leaves it (nothing when it is clean), or all of them."""
    if current is not None and not found:
        return
    console.print()
    title = _("Vérifications — {section}").format(section=current.title) if current else _("Vérifications du dossier")
    if found:
        console.print(findings_table(found, title))
    console.print(findings_summary(found))
