"""Everything the CLI prints, through rich. The core never imports this module.

One console for results (stdout) and one for problems (stderr); rich honours NO_COLOR and
narrows tables to the terminal width.

Markup: strings given to rich are markup, and only our own messages carry any. Every text that
comes from a user, a dossier file or a questionnaire (names, titles, labels, answers, paths,
messages) is escaped where it is inserted: through `markup` for a message with values, through
`escape` for a cell or a title; a `Text` holds plain text and is never escaped (it would show
the backslashes)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .i18n import (
    DEFAULT_LANGUAGE,
    _,
    format_amount,
    format_date,
    format_datetime,
    format_percent,
    is_unicode,
    language,
    ngettext,
    typography,
)
from .text import shorten

if TYPE_CHECKING:
    # Only for annotations: `aap liste` and `aap appels` print through this module without the
    # questionnaire model (pydantic); what needs it imports it where it is used.
    from datetime import date

    from .dossier import Dossier
    from .model import Question

# Wider than any real terminal: a COLUMNS of a billion would have rich pad every line of a table
# to that width (gigabytes for `aap montrer`). A width of 0 (some containers report a 0×0
# terminal) would have rich print nothing at all; below MIN_WIDTH a table shows no word whole.
MAX_WIDTH = 1000
MIN_WIDTH = 20
DEFAULT_WIDTH = 80


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits with code 1; the reader merely stopped reading (`aap montrer X | head -1`):
        # the rest is discarded and the command ends with its own exit code.
        from .streams import silence_stream

        self.quiet = True
        silence_stream(self.file)


def _make_console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    try:
        terminal = bool(stream and stream.isatty())
    except (ValueError, OSError):
        terminal = False
    # Emoji codes (`:smile:`) in an answer stay as typed. Legacy Windows rendering goes through
    # the console API, which only a real console has: a redirected stream is written as text.
    out = _Console(stderr=stderr, highlight=False, emoji=False, legacy_windows=None if terminal else False)
    if out.width > MAX_WIDTH:
        out.width = MAX_WIDTH
    elif out.width < 1:
        out.width = DEFAULT_WIDTH
    elif out.width < MIN_WIDTH:
        out.width = MIN_WIDTH
    return out


@cache
def console() -> Console:
    return _make_console(stderr=False)


@cache
def err_console() -> Console:
    return _make_console(stderr=True)


def _long_line(out: Console, text: str) -> None:
    """In a terminal rich wraps between words; written to a file or a pipe, where rich would
    cut at 80 columns, the line is kept whole."""
    out.print(text, soft_wrap=not out.is_terminal)


def error(message: str, details: Iterable[str] = ()) -> None:
    out = err_console()
    _long_line(out, markup(_("[bold red]Erreur :[/] {message}"), message=typography(message)))
    for line in details:
        _long_line(out, "  • " + escape(typography(line)))


# Control characters other than line breaks and tabs: rich passes ESC through, so a dossier's
# name or an answer key could move the cursor, retitle the terminal or write to its clipboard.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape(text: object) -> str:
    """A text from a user, a dossier or a questionnaire, inert in rich's markup: `[/]` or
    `[link=…]` are shown as typed instead of being read as tags, control characters as �."""
    from rich.markup import escape as rich_escape

    return rich_escape(_CONTROLS.sub("\ufffd", str(text)))


def markup(template: str, **values: object) -> str:
    """One of our messages, which may carry markup, with its values escaped."""
    return template.format(**{key: escape(value) for key, value in values.items()})


def show_appels(appels: list[Any], folder: str) -> None:
    """The calls (`Appel`s, or the cache's summaries of them: the same attributes)."""
    table = Table(title=_("Appels à projets disponibles"), title_justify="left")
    table.add_column(_("Identifiant"), style="bold", overflow="fold")
    table.add_column(_("Titre"), ratio=2)
    table.add_column(_("Agence"))
    table.add_column(_("Date limite"))
    table.add_column(_("Plafond"), justify="right")
    for appel in appels:
        table.add_row(
            escape(appel.id),
            escape(appel.title),
            escape(appel.agency),
            format_date(appel.deadline) if appel.deadline else _("aucune"),
            format_amount(appel.cap) if appel.cap is not None else _("aucun"),
        )
    console().print(table)
    console().print(markup(_("Questionnaires lus dans {dossier}"), dossier=folder), style="dim")


def show_validation(path: str, problems: list[str]) -> None:
    if not problems:
        console().print(markup(_("[green]✓[/] {fichier} est un questionnaire valide."), fichier=path))
        return
    error(
        ngettext("{fichier} n'est pas un questionnaire valide ({n} problème) :",
                 "{fichier} n'est pas un questionnaire valide ({n} problèmes) :", len(problems)).format(
            fichier=path, n=len(problems)),
        problems,
    )



# -- dossiers ------------------------------------------------------------------------------------


def _resume_hint(name: str) -> str:
    return markup(_("Pour reprendre : aap reprendre {nom}"), nom=name)


def show_summaries(summaries: list[Any], folder: Path) -> None:
    out = console()
    if not summaries:
        out.print(markup(_("Aucun dossier dans {dossier}."), dossier=folder))
        out.print(_("Commencez-en un avec « aap nouveau » (la liste des appels : « aap appels »)."))
        return
    table = Table(title=_("Vos dossiers"), title_justify="left",
                  caption=markup(_("Répertoire : {dossier}"), dossier=folder), caption_justify="left")
    table.add_column(_("Nom"), style="bold", overflow="fold")
    table.add_column(_("Appel"), overflow="fold")
    table.add_column(_("Avancement"), justify="right")
    table.add_column(_("Modifié le"))
    for summary in summaries:
        if summary.problem:
            table.add_row(escape(summary.name), Text(typography(summary.problem), style="red"), "—", "—")
            continue
        progress = Text(format_percent(summary.completion))
        if summary.unreadable:  # in the file but not readable: counted as missing, and said
            progress.append("\n" + ngettext("{n} réponse illisible", "{n} réponses illisibles", summary.unreadable).format(
                n=summary.unreadable), style="yellow")
        table.add_row(escape(summary.name), escape(summary.appel), progress, format_datetime(summary.modified))
    out.print(table)




def backup_restored(name: str, path: Path) -> None:
    console().print(markup(_("[green]✓[/] Sauvegarde restaurée dans {chemin} ; le fichier endommagé est conservé à côté."),
                            chemin=path))
    console().print(_resume_hint(name))


def dossier_copied(source: str, copy: Dossier, path: Path, other_call: bool) -> None:
    console().print(markup(_("[green]✓[/] « {source} » copié dans « {nom} » ({appel}) : {chemin}"),
                            source=source, nom=copy.name, appel=copy.appel.id, chemin=path))
    questionnaire_changes(copy, other_call)


def dossier_filled(dossier: Dossier, changed: int, path: Path, findings: list[Any]) -> None:
    console().print(markup(ngettext("[green]✓[/] Dossier « {nom} » : {n} réponse enregistrée ({chemin}).",
                                     "[green]✓[/] Dossier « {nom} » : {n} réponses enregistrées ({chemin}).", changed),
                            nom=dossier.name, n=changed, chemin=path))
    console().print(_("Réponses obligatoires : {avancement}.").format(avancement=format_percent(dossier.completion())))
    console().print(findings_summary(findings))
    console().print(markup(_("Le détail : aap verifier {nom}"), nom=dossier.name), style="dim")


def questionnaire_changes(dossier: Dossier, other_call: bool = False) -> None:
    """What a newer questionnaire (or another call) left behind: said, never silently dropped."""
    out = err_console()
    if dossier.orphans:
        message = (_("[yellow]Attention :[/] ces réponses portent sur des questions que cet appel ne pose pas ; "
                     "elles restent dans le fichier : {questions}") if other_call else
                   _("[yellow]Attention :[/] ces réponses portent sur des questions que le questionnaire ne pose plus ; "
                     "elles restent dans le fichier : {questions}"))
        _long_line(out, markup(message, questions=", ".join(dossier.orphans)))
    for question_id, reason in dossier.invalid.items():
        _long_line(out, markup(
            _("[yellow]Attention :[/] la réponse à « {question} » n'est plus valide ({raison}) ; elle sera redemandée."),
            question=question_id, raison=reason))


def name_in_file(dossier: Dossier, path: Path) -> None:
    """A file renamed or copied by hand: its name is its file name; what it says inside is only shown."""
    if dossier.name_in_file is not None:
        _long_line(err_console(), markup(
            _("[yellow]Attention :[/] le fichier {fichier} se dit « {autre} » ; il reste le dossier « {nom} », "
              "enregistré à sa place."), fichier=path, autre=shorten(dossier.name_in_file), nom=dossier.name))


def show_broken_questionnaires(broken: list[Any]) -> None:
    """Questionnaires that do not load: said, while the others stay available."""
    out = err_console()
    for file in broken:
        _long_line(out, markup(
            _("[yellow]Attention :[/] le questionnaire {fichier} n'est pas valide ({probleme}) ; "
              "le détail : aap appels --valider {fichier}"), fichier=file.path,
            probleme=shorten(file.problems[0] if file.problems else "?", 120)))


def show_answers_file(data: dict[str, Any]) -> None:
    import yaml

    class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
        pass

    def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        # Long answers keep their paragraphs as readable `|` blocks.
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _text)
    # A console that cannot show « é » gets YAML's escapes: the file must read back as written.
    _write_stdout(yaml.dump(data, Dumper=_Dumper, allow_unicode=is_unicode(sys.stdout), sort_keys=False, width=100))


def _write_stdout(text: str) -> None:
    """Data for a program (JSON, YAML) written as is, not through rich."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        from .streams import silence_stream

        silence_stream(sys.stdout)


def show_dossier(dossier: Dossier, path: Path) -> None:
    out = console()
    appel = dossier.appel
    out.print(Panel(markup(_("{titre}\n{agence} — dossier « {nom} » — {avancement} des réponses obligatoires"),
                            titre=appel.title, agence=appel.agency, nom=dossier.name,
                            avancement=format_percent(dossier.completion())),
                    title=_("Dossier"), title_align="left"))
    for section in appel.sections:
        table = Table(title=escape(section.title), title_justify="left", show_header=False, expand=True)
        table.add_column(_("Question"), ratio=1, style="bold")
        table.add_column(_("Réponse"), ratio=2)
        for question in section.questions:
            if not dossier.applies(question):
                continue
            why = dossier.invalid.get(question.id)
            if why is not None:  # in the file, but not as aap writes it: say so, never « sans réponse »
                cell: Any = Text(_("réponse enregistrée illisible ({raison}) : aap reprendre la repose").format(raison=why),
                                 style="yellow")
            else:
                cell = answer_cell(question, dossier.get(question.id))
            table.add_row(escape(question.label), cell)
        out.print(table)
    out.print(markup(_("Fichier : {chemin}"), chemin=path), style="dim")


def answer_cell(question: Question, value: Any, short: bool = False):
    """A rich renderable for one answer: groups become tables, a missing answer says so."""
    from .fields import kind_of
    from .model import FieldType
    from .values import display
    if value is None or value == []:
        return Text(_("à compléter") if question.required else _("sans réponse"), style="yellow" if question.required else "dim")
    if question.type is FieldType.GROUP and short:
        summary = ngettext("{n} ligne", "{n} lignes", len(value)).format(n=len(value))
        return Text(" · ".join([summary, *group_totals(question, value)]))
    if question.type is FieldType.GROUP:
        table = Table(show_edge=False, pad_edge=False, expand=False)
        table.add_column("#", justify="right", style="dim")
        for field in question.fields:
            table.add_column(escape(field.label), justify="right" if kind_of(field).numeric else "left")
        for number, item in enumerate(value, start=1):
            table.add_row(str(number), *[
                escape(display(field, item[field.id])) if field.id in item else "" for field in question.fields])
        return table
    text = display(question, value)
    if short:
        text = " ".join(text.split())
        if len(text) > 120:
            text = text[:117].rstrip() + "…"
    return Text(text)


def farewell(dossier: Dossier, outcome, reference: str | None = None) -> None:
    """The last words of a dialogue. The terminal may be gone (SIGHUP):
    the dossier is already saved, so a failing print changes nothing. `reference` is how the
    user opens it again: its name in the store, or the path of a file opened by its path."""
    from .asking import Outcome

    try:
        out = console()
        if outcome is Outcome.DONE:
            out.print(markup(_("[green]✓[/] Dossier « {nom} » enregistré : {avancement} des réponses obligatoires."),
                              nom=dossier.name, avancement=format_percent(dossier.completion())))
            missing = dossier.missing_required()
            if missing:
                out.print(_("Questions obligatoires restantes :"))
                for question in missing:
                    out.print("  • " + escape(question.label))
            out.print(markup(_("Pour relire : aap montrer {nom} ; pour compléter : aap reprendre {nom}"),
                             nom=reference or dossier.name))
        else:
            out.print()
            out.print(escape(_("Réponses enregistrées. ")) + _resume_hint(reference or dossier.name))
    except OSError:
        pass


def group_totals(question: Question, items: list[dict[str, Any]]) -> list[str]:
    """Running totals of a group's amount fields, e.g. `Total montant : 42 800,00 €`."""
    from .model import FieldType
    from .values import group_sum
    totals = []
    for field in question.fields:
        if field.type is FieldType.AMOUNT:
            total = group_sum(items, field.id)
            totals.append(_("Total « {champ} » : {montant}").format(champ=field.label, montant=format_amount(total)))
    return totals


# -- findings ------------------------------------------------------------------------------------

_SEVERITY_STYLES = {"bloquant": "bold red", "erreur": "red", "avertissement": "yellow", "conseil": "cyan"}


def findings_summary(findings: list[Any]) -> Text:
    from .checks import SEVERITY_LABELS, counts

    if not findings:
        return Text(_("✓ Aucun problème de cohérence."), style="green")
    parts = [_("{gravite} : {n}").format(gravite=_(SEVERITY_LABELS[severity]), n=n)
             for severity, n in counts(findings).items()]
    return Text(_("Vérifications : {bilan}").format(bilan=" · ".join(parts)), style="bold")


def findings_table(findings: list[Any], title: str | None = None) -> Table:
    from .checks import SEVERITY_LABELS

    table = Table(title=escape(title) if title is not None else None, title_justify="left", expand=True, show_lines=False)
    table.add_column(_("Gravité"), no_wrap=True)
    table.add_column(_("Où"), ratio=1)
    table.add_column(_("Constat et que faire"), ratio=3)
    for finding in findings:
        where = " › ".join(x for x in (finding.question_label, finding.item) if x) or _("Dossier")
        said = Text(typography(finding.message))
        if finding.source:
            said.append("\n" + typography(_("L'appel : « {source} »").format(source=finding.source)), style="dim italic")
        table.add_row(Text(_(SEVERITY_LABELS[finding.severity]), style=_SEVERITY_STYLES[finding.severity.value]),
                      Text(where), said)
    return table


def show_findings(dossier: Dossier, findings: list[Any], checked_on: date) -> None:
    """`aap verifier`: findings grouped by section, then the summary line."""
    out = console()
    out.print(markup(_("Vérification du dossier « {nom} » ({appel}) au {date}"), nom=dossier.name, appel=dossier.appel.id,
                     date=format_date(checked_on)), style="bold")
    general = [f for f in findings if f.section is None]
    if general:
        out.print(findings_table(general, _("Dossier")))
    for section in dossier.appel.sections:
        mine = [f for f in findings if f.section == section.id]
        if mine:
            out.print(findings_table(mine, section.title))
    out.print(findings_summary(findings))


def show_findings_json(findings: list[Any], checked_on: date) -> None:
    import json

    from .checks import counts

    data = {"date": checked_on.isoformat(), "constats": [f.as_json() for f in findings],
            "bilan": {severity.value: n for severity, n in counts(findings).items()}}
    # JSON's \u escapes where the console cannot show a character: the data stays exact.
    _write_stdout(json.dumps(data, ensure_ascii=not is_unicode(sys.stdout), indent=2) + "\n")


# -- the grid of the call's selection criteria ----------------------------------------------------

_STATUS_STYLES = {"solide": "green", "a_renforcer": "yellow", "absent": "red"}
_STATUS_MARKS = {"solide": "✓", "a_renforcer": "◐", "absent": "✗"}
_GRID_POINTS = 4  # per criterion in the terminal: the first thing to do and three more, the rest counted


def grid_disclaimer() -> str:
    return _("Une aide à la relecture au regard des critères de sélection que l'appel annonce : elle repère les "
             "réponses données, leur longueur et les mots que l'appel attend, pas la qualité du propos ; elle ne "
             "prédit pas la note du comité.")


def grid_view(grid: list[Any]) -> Text:
    """One block per criterion: its wording and status, what the dossier provides, what is
    weak, the next thing to do. Also shown by `/evaluer` in the dialogue."""
    from .criteria import STATUS_LABELS

    view = Text()
    if not grid:
        return Text(_("L'appel ne déclare pas de critères de sélection."))
    for number, row in enumerate(grid, start=1):
        status = row.status.value
        view.append(f"{number}. {_STATUS_MARKS[status]} {_(STATUS_LABELS[row.status])} — ",
                    style=f"bold {_STATUS_STYLES[status]}")
        view.append(typography(row.criterion.label) + "\n", style="bold")
        view.append(typography(_("   Le comité regarde : {attendu}").format(attendu=row.criterion.looks_for)) + "\n",
                    style="dim")
        provided = _(" ; ").join(f"{p.title} ({p.measure})" if p.measure else p.title for p in row.provided)
        view.append(typography(_("   Le dossier apporte : {apport}").format(apport=provided or "—")) + "\n")
        if row.next_step:
            view.append(typography(_("   ➜ À faire d'abord : {etape}").format(etape=row.next_step)) + "\n",
                        style=_STATUS_STYLES[status])
        for weak in row.weak[1:_GRID_POINTS]:
            view.append(typography(_("   Ensuite : {point}").format(point=weak)) + "\n")
        more = len(row.weak) - _GRID_POINTS
        if more > 0:
            view.append(typography(ngettext(
                "   … et {n} autre point (la version de relecture et --json les donnent tous)",
                "   … et {n} autres points (la version de relecture et --json les donnent tous)", more).format(n=more))
                + "\n", style="dim")
        view.append("\n")
    return view


def show_grid(dossier: Dossier, grid: list[Any]) -> None:
    """`aap evaluer`: the grid, then how many criteria stand where."""
    from .criteria import STATUS_LABELS, Status

    out = console()
    out.print(markup(_("Grille de lecture du dossier « {nom} » ({appel})"), nom=dossier.name, appel=dossier.appel.id),
              style="bold")
    out.print(Text(typography(grid_disclaimer()), style="italic"))
    out.print()
    out.print(grid_view(grid), end="")
    if grid:
        parts = [_("{etat} : {n}").format(etat=_(STATUS_LABELS[status]), n=sum(1 for r in grid if r.status is status))
                 for status in Status]
        out.print(Text(_("Critères : {bilan}").format(bilan=" · ".join(parts)), style="bold"))


def show_grid_json(dossier: Dossier, grid: list[Any], checked_on: date) -> None:
    import json

    data = {"dossier": dossier.name, "appel": dossier.appel.id, "date": checked_on.isoformat(),
            "avertissement": grid_disclaimer(), "criteres": [row.as_json() for row in grid]}
    _write_stdout(json.dumps(data, ensure_ascii=not is_unicode(sys.stdout), indent=2) + "\n")


def exported(result) -> None:
    label = _("version de relecture") if result.mode == "relecture" else _("version de dépôt")
    console().print(markup(_("[green]✓[/] {version} écrite : {chemin}"), version=label.capitalize(), chemin=result.path))
    if result.mode == "depot" and language() != DEFAULT_LANGUAGE:
        console().print(_("La version de dépôt est en français, la langue de l'agence."), style="dim")
    from .checks import blocks_submission

    if result.mode == "depot" and blocks_submission(result.findings):
        # Forced: the file says so on every page; the terminal must not look like a success.
        _long_line(err_console(), _("[yellow]Attention :[/] version forcée malgré des points bloquants ou des erreurs : "
                                    "chaque page porte « PROJET — NON DÉPOSABLE » ; ne la déposez pas telle quelle."))
    console().print(findings_summary(result.findings))


def pdf_and_deposit(result) -> None:
    """After `exported`: the PDF, the deposit folder and the files it holds, the annexes left
    out, and what could not be done (LibreOffice missing, a conversion that failed)."""
    out = console()
    if result.pdf is not None:
        out.print(markup(_("[green]✓[/] PDF (PDF/A-2b) écrit : {chemin}"), chemin=result.pdf))
    deposit = result.deposit
    if deposit is not None:
        out.print(markup(_("[green]✓[/] Dossier de dépôt écrit : {chemin}"), chemin=deposit.folder))
        out.print(markup(ngettext("Il contient le fichier à déposer :", "Il contient les {n} fichiers à déposer :",
                                  len(deposit.files)), n=len(deposit.files)))
        for name in deposit.files:
            _long_line(out, "  • " + escape(name))
        for annex in deposit.missing:
            template = (_("[yellow]Attention :[/] l'annexe {numero} « {titre} » n'a pas de fichier : "
                          "elle manque au dossier de dépôt")
                        if annex.path is None else
                        _("[yellow]Attention :[/] l'annexe {numero} « {titre} » manque au dossier de dépôt "
                          "(fichier « {fichier} » introuvable)"))
            _long_line(out, markup(template, numero=annex.number, titre=annex.title, fichier=annex.file_name or ""))
    for note in result.notes:
        _long_line(err_console(), markup(_("[yellow]Attention :[/] {message}"), message=typography(note.message)))
        for line in note.details:
            _long_line(err_console(), "  • " + escape(typography(line)))
    for problem in result.problems:
        error(problem.message, problem.details)


def demo_done(name: str, results: list[Any], checked_on: date | None) -> None:
    console().print(markup(_("Dossier d'exemple chargé sous le nom « {nom} » (aap montrer {nom} pour le relire)."), nom=name))
    if checked_on is not None:
        console().print(markup(_("L'appel de l'exemple est clos : le dossier est vérifié à la date du {date}, veille de sa "
                                 "date limite (comme aap verifier {nom} --date {iso})."),
                               date=format_date(checked_on), nom=name, iso=checked_on.isoformat()))
    for result in results:
        exported(result)
