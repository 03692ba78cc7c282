"""Everything the CLI prints, through rich. The core never imports this module.

One console for results (stdout) and one for problems (stderr); rich honours NO_COLOR and
narrows tables to the terminal width.

Markup: strings given to rich are markup, and only our own messages carry any. Every text that
comes from a user, a dossier file or a questionnaire (names, titles, labels, answers, paths,
messages) is escaped where it is inserted: through `markup` for a message with values, through
`escape` for a cell or a title; a `Text` holds plain text and is never escaped (it would show
the backslashes)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .consoles import escape, long_line, make_console, markup, path_line
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
from .paging import paged
from .rows import Cell, Rows
from .text import shorten

if TYPE_CHECKING:
    # Only for annotations: `aap liste` and `aap appels` print through this module without the
    # questionnaire model (pydantic); what needs it imports it where it is used.
    from datetime import date

    from .dossier import Dossier
    from .model import Question

@cache
def console() -> Console:
    return make_console(stderr=False)


@cache
def err_console() -> Console:
    return make_console(stderr=True)


def error(message: str, details: Iterable[str] = (), path: object = None) -> None:
    """A problem, with the file it concerns (if any) alone on the next line, then its details."""
    out = err_console()
    long_line(out, markup(_("[bold red]Erreur :[/] {message}"), message=typography(message)))
    if path is not None:
        path_line(out, path)
    for line in details:
        long_line(out, "  • " + escape(typography(line)))


def show_appels(appels: list[Any], folder: str) -> None:
    """The calls (`Appel`s, or the cache's summaries of them: the same attributes)."""
    out = console()
    rows: list[list[Cell]] = [[appel.id, appel.title, appel.agency,
                               format_date(appel.deadline) if appel.deadline else _("aucune"),
                               format_amount(appel.cap) if appel.cap is not None else _("aucun")] for appel in appels]
    out.print(Rows([_("Identifiant"), _("Titre"), _("Agence"), _("Date limite"), _("Plafond")], rows,
                    whole={0, 4}, right={4}, title=_("Appels à projets disponibles")), crop=False)
    out.print(_("Pour voir un appel en entier : aap appels IDENTIFIANT"), style="dim")
    out.print(_("Questionnaires lus dans :"), style="dim")
    path_line(out, folder, style="dim")


def _pieces(text: str) -> list[str]:
    """A list written in one line (« A (a@x.fr), B (b@x.fr) », « a@x.fr, objet : … »), one
    piece per item: cut at the commas and semicolons outside parentheses."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth <= 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return [" ".join(piece.split()) for piece in pieces if piece.strip()]


def _deadline_text(deadline: date | None, today: date) -> str:
    if deadline is None:
        return _("aucune")
    left = (deadline - today).days
    if left < 0:
        when = _("passée")
    elif left == 0:
        when = _("aujourd'hui")
    else:
        when = ngettext("dans {n} jour", "dans {n} jours", left).format(n=left)
    return _("{date} ({quand})").format(date=format_date(deadline), quand=when)


def show_appel(appel: Any, today: date) -> None:
    """`aap appels ID`: one call in full, from its title to its sections. What a user copies
    (the deposit platform, each contact, an e-mail's required subject) is alone on its line and
    never broken by rich; the long texts wrap between words."""
    out = console()

    def heading(label: str) -> None:
        out.print()
        out.print(Text(typography(label), style="bold"))

    def indented(text: str) -> None:
        out.print(Padding(Text(typography(text)), (0, 0, 0, 2), expand=False))

    def numbered(items: list[str]) -> None:  # a long item wraps under its own text, not its number
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()
        for number, item in enumerate(items, start=1):
            grid.add_row(f"{number}.", Text(typography(item)))
        out.print(Padding(grid, (0, 0, 0, 2), expand=False))

    with paged(out):  # longer than a screen: read through the pager, from its title
        out.print(Text(appel.title, style="bold"))
        out.print(Text(appel.agency))
        if appel.summary:
            out.print()
            out.print(Text(typography(appel.summary)))
        out.print()
        out.print(Text(typography(_("Date limite : {date}").format(date=_deadline_text(appel.deadline, today))),
                       style="yellow" if appel.deadline is not None and appel.deadline < today else ""))
        out.print(Text(typography(_("Plafond de la subvention : {montant}").format(montant=format_amount(appel.cap))
                                  if appel.cap is not None else _("Pas de plafond de subvention fixé par l'appel"))))
        heading(_("Dépôt :"))
        path_line(out, appel.platform)
        if appel.contact:
            heading(_("Contacts :"))
            for piece in _pieces(appel.contact):
                path_line(out, typography(piece))
        heading(_("Texte de référence :"))
        indented(appel.reference)
        if appel.criteria:
            heading(ngettext("Critère de sélection ({n}) :", "Critères de sélection ({n}) :", len(appel.criteria)).format(
                n=len(appel.criteria)))
            numbered([criterion.label for criterion in appel.criteria])
        questions = appel.questions()
        heading(ngettext("Sections ({n} question) :", "Sections ({n} questions) :", len(questions)).format(n=len(questions)))
        numbered([_("{titre} ({questions})").format(titre=section.title, questions=ngettext(
            "{n} question", "{n} questions", len(section.questions)).format(n=len(section.questions)))
            for section in appel.sections])
        conditional = sum(1 for question in questions if question.condition is not None)
        if conditional:
            indented(ngettext("dont {n} posée selon les réponses précédentes", "dont {n} posées selon les réponses précédentes",
                              conditional).format(n=conditional))
        out.print()
        out.print(_("Pour commencer un dossier sur cet appel :"), style="dim")
        path_line(out, "aap nouveau --appel " + appel.id, style="dim")


def show_validation(path: str, problems: list[str]) -> None:
    if not problems:
        console().print(_("[green]✓[/] Ce fichier est un questionnaire valide :"))
        path_line(console(), path)
        return
    error(
        ngettext("ce questionnaire n'est pas valide ({n} problème) :",
                 "ce questionnaire n'est pas valide ({n} problèmes) :", len(problems)).format(n=len(problems)),
        problems, path=path,
    )



# -- dossiers ------------------------------------------------------------------------------------


def _resume_hint(name: str) -> str:
    return markup(_("Pour reprendre : aap reprendre {nom}"), nom=name)


def show_summaries(summaries: list[Any], folder: Path) -> None:
    out = console()
    if not summaries:
        out.print(_("Aucun dossier dans :"))
        path_line(out, folder)
        out.print(_("Commencez-en un avec « aap nouveau » (la liste des appels : « aap appels »)."))
        return
    rows: list[list[Cell]] = []
    for summary in summaries:
        if summary.problem:
            rows.append([summary.name, Text(typography(summary.problem), style="red"), "—", "—"])
            continue
        progress = Text(format_percent(summary.completion))
        if summary.unreadable:  # in the file but not readable: counted as missing, and said
            progress.append("\n" + ngettext("{n} réponse illisible", "{n} réponses illisibles", summary.unreadable).format(
                n=summary.unreadable), style="yellow")
        rows.append([summary.name, summary.appel, progress, format_datetime(summary.modified)])
    out.print(Rows([_("Nom"), _("Appel"), _("Avancement"), _("Modifié le")], rows, whole={0, 1}, right={2},
                    title=_("Vos dossiers")), crop=False)
    out.print(_("Répertoire :"), style="dim")
    path_line(out, folder, style="dim")


def backup_restored(name: str, path: Path) -> None:
    console().print(_("[green]✓[/] Sauvegarde restaurée ; le fichier endommagé est conservé à côté de :"))
    path_line(console(), path)
    console().print(_resume_hint(name))


def dossier_copied(source: str, copy: Dossier, path: Path, other_call: bool) -> None:
    console().print(markup(_("[green]✓[/] « {source} » copié dans « {nom} » ({appel}) :"),
                            source=source, nom=copy.name, appel=copy.appel.id))
    path_line(console(), path)
    questionnaire_changes(copy, other_call)


def dossier_filled(dossier: Dossier, changed: int, path: Path, findings: list[Any]) -> None:
    console().print(markup(ngettext("[green]✓[/] Dossier « {nom} » : {n} réponse enregistrée dans :",
                                     "[green]✓[/] Dossier « {nom} » : {n} réponses enregistrées dans :", changed),
                            nom=dossier.name, n=changed))
    path_line(console(), path)
    console().print(_("Réponses obligatoires : {avancement}.").format(avancement=format_percent(dossier.completion())))
    console().print(findings_summary(findings))
    console().print(markup(_("Le détail : aap verifier {nom}"), nom=dossier.name), style="dim")


def questionnaire_changes(dossier: Dossier, other_call: bool = False) -> None:
    """What a newer questionnaire (or another call) left behind: said, never silently dropped,
    with the questions' labels (their ids are the file's business)."""
    out = err_console()
    labels = _orphan_labels(dossier) if dossier.orphans else []
    if labels:
        long_line(out, ngettext(
            "[yellow]Attention :[/] {n} réponse porte sur une question que cet appel ne pose pas ; elle reste dans "
            "le fichier :",
            "[yellow]Attention :[/] {n} réponses portent sur des questions que cet appel ne pose pas ; elles restent "
            "dans le fichier :", len(labels)).format(n=len(labels)))
        for label in labels:
            long_line(out, "  • " + escape(typography(label)))
    elif dossier.orphans:  # questions no questionnaire knows any more: their names in the file are all there is
        message = (_("[yellow]Attention :[/] ces réponses portent sur des questions que cet appel ne pose pas ; "
                     "elles restent dans le fichier : {questions}") if other_call else
                   _("[yellow]Attention :[/] ces réponses portent sur des questions que le questionnaire ne pose plus ; "
                     "elles restent dans le fichier : {questions}"))
        long_line(out, markup(message, questions=", ".join(dossier.orphans)))
    for question_id, reason in dossier.invalid.items():
        question = dossier.appel.question(question_id)
        long_line(out, markup(
            _("[yellow]Attention :[/] la réponse à « {question} » n'est plus valide ({raison}) ; elle sera redemandée."),
            question=question.label if question is not None else question_id, raison=typography(reason)))


def _orphan_labels(dossier: Dossier) -> list[str]:
    """The labels of the questions a copy's answers were given to, in the call they were written
    for; none when that call is not known (then only their number is said)."""
    from . import loading
    from .errors import AapError

    if dossier.answered_for is None:
        return []
    try:
        origin = loading.find_appel(dossier.answered_for)
    except AapError:
        return []
    questions = [origin.question(question_id) for question_id in dossier.orphans]
    return [question.label for question in questions if question is not None] if all(questions) else []


def name_in_file(dossier: Dossier, path: Path) -> None:
    """A file renamed or copied by hand: its name is its file name; what it says inside is only shown."""
    if dossier.name_in_file is not None:
        long_line(err_console(), markup(
            _("[yellow]Attention :[/] ce fichier se dit « {autre} » ; il reste le dossier « {nom} », "
              "enregistré à sa place :"), autre=shorten(dossier.name_in_file), nom=dossier.name))
        path_line(err_console(), path)


def show_broken_questionnaires(broken: list[Any]) -> None:
    """Questionnaires that do not load: said, while the others stay available."""
    import shlex

    out = err_console()
    for file in broken:
        long_line(out, markup(
            _("[yellow]Attention :[/] un questionnaire n'est pas valide ({probleme}) ; le détail :"),
            probleme=shorten(file.problems[0] if file.problems else "?", 120)))
        path_line(out, "aap appels --valider " + shlex.quote(str(file.path)))


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


# Below this width a question's label beside its answer leaves neither room for their words:
# each answer then comes under its question.
_SIDE_BY_SIDE = 70


def show_dossier(dossier: Dossier, path: Path) -> None:
    out = console()
    appel = dossier.appel
    with paged(out):
        out.print(Panel(markup(_("{titre}\n{agence} — dossier « {nom} » — {avancement} des réponses obligatoires"),
                                titre=appel.title, agence=appel.agency, nom=dossier.name,
                                avancement=format_percent(dossier.completion())),
                        title=_("Dossier"), title_align="left"))
        for section in appel.sections:
            answers = [(question, _answer(dossier, question)) for question in section.questions
                       if dossier.applies(question)]
            if out.width >= _SIDE_BY_SIDE:
                table = Table(title=escape(section.title), title_justify="left", show_header=False, expand=True)
                table.add_column(_("Question"), ratio=1, style="bold")
                table.add_column(_("Réponse"), ratio=2)
                for question, cell in answers:
                    table.add_row(escape(question.label), cell)
                out.print(table)
                continue
            out.print()
            out.print(Text(section.title, style="bold underline"))
            for question, cell in answers:
                out.print(Text(question.label, style="bold"))
                out.print(Padding(cell, (0, 0, 0, 2), expand=False))
        out.print(_("Fichier :"), style="dim")
        path_line(out, path, style="dim")


def _answer(dossier: Dossier, question: Question) -> Any:
    why = dossier.invalid.get(question.id)
    if why is not None:  # in the file, but not as aap writes it: say so, never « sans réponse »
        return Text(_("réponse enregistrée illisible ({raison}) : aap reprendre la repose").format(raison=why),
                    style="yellow")
    return answer_cell(question, dossier.get(question.id))


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
    if question.type is FieldType.GROUP:  # a table, or one block per line where it does not fit
        numeric = {index for index, field in enumerate(question.fields, start=1) if kind_of(field).numeric}
        rows: list[list[Cell]] = [[str(number), *[display(field, item[field.id]) if field.id in item else ""
                                                  for field in question.fields]]
                                  for number, item in enumerate(value, start=1)]
        return Rows(["#", *[field.label for field in question.fields]], rows, right={0, *numeric}, edge=False,
                     first_style="dim", heading=_("Ligne {cellule}"))
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
            out.print(markup(_("Pour relire : aap montrer {nom} ; pour compléter : aap reprendre {nom} ; pour le "
                               "document Word : aap exporter {nom} (--depot pour la version à déposer)"),
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


def findings_table(findings: list[Any], title: str | None = None) -> Rows:
    """The findings: a table where its words fit whole, else one block per finding (a narrow
    terminal): a word is never cut nor shortened to « … »."""
    from .checks import SEVERITY_LABELS

    rows: list[list[Cell]] = []
    for finding in findings:
        where = " › ".join(x for x in (finding.question_label, finding.item) if x) or _("Dossier")
        said = Text(typography(finding.message))
        if finding.source:
            said.append("\n" + typography(_("L'appel : « {source} »").format(source=finding.source)), style="dim italic")
        rows.append([Text(_(SEVERITY_LABELS[finding.severity]), style=_SEVERITY_STYLES[finding.severity.value]),
                     Text(where), said])
    return Rows([_("Gravité"), _("Où"), _("Constat et que faire")], rows, whole={0}, title=title, first_style="")


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
    console().print(markup(_("[green]✓[/] {version} écrite :"), version=label.capitalize()))
    path_line(console(), result.path)
    if result.mode == "depot" and language() != DEFAULT_LANGUAGE:
        console().print(_("La version de dépôt est en français, la langue de l'agence."), style="dim")
    from .checks import blocks_submission

    if result.mode == "depot" and blocks_submission(result.findings):
        # Forced: the file says so on every page; the terminal must not look like a success.
        long_line(err_console(), _("[yellow]Attention :[/] version forcée malgré des points bloquants ou des erreurs : "
                                    "chaque page porte « PROJET — NON DÉPOSABLE » ; ne la déposez pas telle quelle."))
    console().print(findings_summary(result.findings))


def pdf_and_deposit(result) -> None:
    """After `exported`: the PDF, the deposit folder and the files it holds, the annexes left
    out, and what could not be done (LibreOffice missing, a conversion that failed)."""
    out = console()
    if result.pdf is not None:
        out.print(_("[green]✓[/] PDF (PDF/A-2b) écrit :"))
        path_line(out, result.pdf)
    deposit = result.deposit
    if deposit is not None:
        out.print(_("[green]✓[/] Dossier de dépôt écrit :"))
        path_line(out, deposit.folder)
        out.print(markup(ngettext("Il contient le fichier à déposer :", "Il contient les {n} fichiers à déposer :",
                                  len(deposit.files)), n=len(deposit.files)))
        for name in deposit.files:
            long_line(out, "  • " + escape(name))
        for annex in deposit.missing:
            template = (_("[yellow]Attention :[/] l'annexe {numero} « {titre} » n'a pas de fichier : "
                          "elle manque au dossier de dépôt")
                        if annex.path is None else
                        _("[yellow]Attention :[/] l'annexe {numero} « {titre} » manque au dossier de dépôt "
                          "(fichier « {fichier} » introuvable)"))
            long_line(out, markup(template, numero=annex.number, titre=annex.title, fichier=annex.file_name or ""))
    for note in result.notes:
        long_line(err_console(), markup(_("[yellow]Attention :[/] {message}"), message=typography(note.message)))
        for line in note.details:
            long_line(err_console(), "  • " + escape(typography(line)))
    for problem in result.problems:
        error(problem.message, problem.details)


def demo_done(path: Path, results: list[Any], checked_on: date | None) -> None:
    """The example, apart from the user's own dossiers: said where it is, and how to open it."""
    import shlex

    out = console()
    out.print(_("Dossier d'exemple chargé à part de vos dossiers (aap liste ne le montre pas) :"))
    path_line(out, path)
    reference = shlex.quote(str(path))
    long_line(out, markup(_("Pour le relire : aap montrer {chemin} ; pour essayer le dialogue : aap reprendre {chemin}"),
                          chemin=reference))
    if checked_on is not None:
        long_line(out, markup(_("L'appel de l'exemple est clos : le dossier est vérifié à la date du {date}, veille de sa "
                                "date limite (comme aap verifier {chemin} --date {iso})."),
                              date=format_date(checked_on), chemin=reference, iso=checked_on.isoformat()))
    for result in results:
        exported(result)
