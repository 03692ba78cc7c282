"""What the dialogue shows, drawn with rich: the welcome screen, section panels, a question's
header, a group's table with its running totals, and the review screen. No input here.

Questionnaire and dossier texts go into `Text` objects (plain) or through consoles' `escape` and
`markup` (strings, which rich reads as markup), never raw into a string."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .asking import Ask, GroupAsk, Overview, Review, ReviewRow
from .commands import Prompt, commands_at, prompt_for
from .consoles import markup
from .fields import kind_of
from .i18n import _, format_amount, format_date, format_decimal, format_percent, ngettext, typography
from .model import Question, Section
from .output import answer_cell, findings_summary, findings_table, grid_disclaimer, grid_view, group_totals
from .values import paragraphs

if TYPE_CHECKING:
    from .checks import Finding


def welcome(console: Console, overview: Overview) -> None:
    """The call (with its summary when there is room for it), the dossier's progress by section,
    then where to submit and whom to ask, kept whole: an address is copied from here."""
    dossier = overview.dossier
    appel = dossier.appel
    facts = []
    if appel.deadline:
        facts.append(Text(_("Date limite de dépôt : {date}").format(date=format_date(appel.deadline))))
        if overview.deadline_passed:
            facts.append(Text(_("⚠ Cette date est passée : vous pouvez continuer à travailler, mais vérifiez auprès "
                                "de l'agence que le dépôt est encore possible."), style="bold yellow"))
    facts.append(Text(_("Plafond de la subvention : {montant}").format(montant=format_amount(appel.cap))
                      if appel.cap is not None else _("Pas de plafond de subvention fixé par l'appel")))
    inner = max(console.width - 4, 20)  # the panel's borders and padding
    progress = _progress(overview, inner)
    title = markup(_("Dossier « {nom} »"), nom=dossier.name)

    def panel(summary: bool) -> Panel:
        head = [Text(appel.title, style="bold"), Text(appel.agency)]
        if summary and appel.summary.strip():
            head.append(Text(re.sub(r"\s*\n\s*", " ", appel.summary.strip()), style="italic"))
        return Panel(Group(*head, *facts, Text(), *progress), title=title, title_align="left")

    after = [(_("Dépôt : "), appel.platform)]
    if appel.contact:
        after.append((_("Contact : "), appel.contact))
    footer = [line for label, value in after for line in _labelled(label, value, console.width)]
    footer.append(Text(_("Tapez / pour les commandes et /aide pour l'aide ; tout est enregistré aussitôt."),
                       style="dim"))
    # The summary only if the whole welcome still fits the terminal's height.
    room = console.size.height - sum(len(console.render_lines(line, pad=False)) for line in footer)
    shown = panel(summary=True)
    if len(console.render_lines(shown, pad=False)) > room:
        shown = panel(summary=False)
    console.print(shown)
    for line in footer:
        # A line holding a single long word (an address) is left to the terminal to wrap: one
        # logical line, copied whole.
        console.print(line, soft_wrap=" " not in line.plain.strip())


def _progress(overview: Overview, width: int) -> list[Text]:
    """One line per section: its title (cut between words), its required answers, its state."""
    states = []
    for state in overview.sections:
        if not state.required:
            label, style = _("facultative"), "dim"
        elif state.answered == state.required:
            label, style = _("complète"), "green"
        elif state.answered:
            label, style = _("en cours"), "yellow"
        else:
            label, style = _("à faire"), "dim"
        states.append((state.section.title, f"{state.answered}/{state.required}", label, style))
    heads = (_("Section"), _("Réponses obligatoires"), _("État"))
    count_width = max(cell_len(heads[1]), *(cell_len(c) for _t, c, _l, _s in states))
    state_width = max(cell_len(heads[2]), *(cell_len(label) for _t, _c, label, _s in states))
    title_width = max(width - count_width - state_width - 4, 10)
    lines = [Text(_pad(heads[0], title_width) + "  " + heads[1].rjust(count_width) + "  " + heads[2], style="bold")]
    for title, count, label, style in states:
        lines.append(Text.assemble(_pad(cut(title, title_width), title_width), "  ", count.rjust(count_width), "  ",
                                   (label, style)))
    return lines


def _labelled(label: str, value: str, width: int) -> list[Text]:
    """`Contact : …` wrapped between words at the width, the label in bold."""
    label = typography(label)
    lines = wrap_words(label + re.sub(r"[ \t\r\n]+", " ", value).strip(), width, long_words=False)
    first = Text.assemble((label.rstrip(), "bold"), lines[0][len(label.rstrip()):])
    return [first, *(Text(line) for line in lines[1:])]


def wrap_words(text: str, width: int, long_words: bool = True) -> list[str]:
    """Lines of at most `width` characters, cut at plain spaces only: a no-break space holds an
    amount and its unit together, a hyphen a compound name. A word longer than a line is cut too
    (`long_words`), or left whole on a line of its own."""
    import textwrap

    return textwrap.wrap(text, max(width, 1), break_on_hyphens=False, break_long_words=long_words) or [""]


def cut(text: str, width: int) -> str:
    """The text on one line of at most `width` cells, cut between words with « … » when longer."""
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    if cell_len(text) <= width:
        return text
    head = set_cell_size(text, max(width - 1, 0))
    space = head.rfind(" ")
    if space > width // 2:  # cut at the last space, unless that leaves too little
        head = head[:space]
    return head.rstrip(" ,;:·") + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - cell_len(text), 0)


def section(console: Console, current: Section, number: int, count: int) -> None:
    console.print()
    body = Text("\n\n".join(paragraphs(current.guidance)))
    console.print(Panel(body, title=markup(_("Section {n}/{total} — {titre}"), n=number, total=count, titre=current.title),
                        title_align="left", border_style="cyan"))


def question(console: Console, ask: Ask, brief: bool = False) -> None:
    """A question's header. `brief` right after its /aide, which said the rest: the label, and
    the choices of a menu, to answer by their number."""
    q = ask.question
    if not brief:
        console.print()
    if ask.item_of is not None:
        console.print(Text.assemble((q.label, "bold"), "  ", (_constraints(q), "dim")))
    else:
        console.print(Text.assemble((f"{ask.place.question_number}/{ask.place.question_count}  ", "dim"),
                                    (q.label, "bold"), "  ", (_constraints(q), "dim")))
    if brief:
        if kind_of(q).menu:
            for number, choice in enumerate(q.choices, start=1):
                console.print(Text(f"  {number}. {choice.label}"))
        return
    if q.help:
        console.print(Text(typography("\n".join(paragraphs(q.help))), style="italic"))
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
        console.print(Text(typography(_("Texte sur plusieurs lignes : Entrée ajoute une ligne ; Échap puis Entrée "
                                        "valide ; /editeur ouvre votre éditeur.")), style="cyan"))
    if ask.error:
        console.print(Text(_("La réponse enregistrée n'est plus valide : {raison}").format(raison=ask.error), style="yellow"))
    elif ask.saved:
        console.print(Text(_("Réponse enregistrée proposée : Entrée la garde, ou modifiez-la."), style="dim"))


def _constraints(q: Question) -> str:
    parts = [_("obligatoire") if q.required else _("facultatif")]
    kind = kind_of(q)
    hint = kind.hint_for(q)
    if hint:
        parts.append(_(hint))
    if q.advised_length:
        parts.append(_("{n} caractères conseillés au plus").format(n=format_decimal(q.advised_length)))
    if q.max_length:
        parts.append(_("{n} caractères au plus").format(n=format_decimal(q.max_length)))
    if q.minimum is not None or q.maximum is not None:
        parts.append(_("de {min} à {max}").format(min=kind.limit_text(q, q.minimum) if q.minimum is not None else "…",
                                                  max=kind.limit_text(q, q.maximum) if q.maximum is not None else "…"))
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
    """The whole review at once (the dialogue shows it page by page: `review_pages`)."""
    console.print()
    for line in review_lines(data, console.width):
        console.print(line, no_wrap=True, overflow="crop")


# The review: one line per question, the findings after them. Each line is given with whether it
# must stay with the next one on a page (a heading).
_Line = tuple[Text, bool]
_SHOWN_FINDINGS = 6  # past them, /verifier shows the rest
_SEVERITY_STYLES = {"bloquant": "bold red", "erreur": "red", "avertissement": "yellow", "conseil": "cyan"}


def review_pages(data: Review, width: int, height: int) -> list[list[Text]]:
    """The review cut into pages of at most `height` lines, a heading never last on a page."""
    height = max(height, 5)
    pages: list[list[_Line]] = [[]]
    for line in _review(data, width):
        if len(pages[-1]) == height:
            carried: list[_Line] = []
            while pages[-1] and pages[-1][-1][1] and len(carried) < height - 1:
                carried.insert(0, pages[-1].pop())
            pages.append(carried)
        pages[-1].append(line)
    return [[text for text, _keep in page] for page in pages if page]


def review_lines(data: Review, width: int) -> list[Text]:
    return [text for text, _keep in _review(data, width)]


def _review(data: Review, width: int) -> list[_Line]:
    rows = [row for _s, section_rows in data.sections for row in section_rows]
    # Questions the dialogue has not put yet: their missing answers are work to come, not findings.
    to_come = {row.question.id for row in rows if row.applies and not row.asked}
    numbers = {row.question.id: row.number for row in rows}
    digits = len(str(max(numbers.values(), default=1)))
    label_width = min(max((cell_len(row.question.label) for row in rows), default=10),
                      max(16, (width - digits - 3) * 11 // 20))
    answer_width = max(width - digits - 1 - label_width - 2, 8)
    title = _("Sommaire du dossier — {avancement} des réponses obligatoires").format(
        avancement=format_percent(data.completion))
    lines: list[_Line] = [(Text(cut(title, width), style="bold magenta"), False)]
    for current, section_rows in data.sections:
        lines.append((Text(cut(current.title, width), style="bold underline"), True))
        for row in section_rows:
            lines.append((_review_row(row, digits, label_width, answer_width), False))
    lines.append((Text(), True))
    kept = [f for f in data.findings if f.question not in to_come]
    lines += _review_findings(kept, numbers, digits, width)
    if to_come:
        lines.append((Text(cut(ngettext("{n} question pas encore posée : le dialogue y viendra.",
                                        "{n} questions pas encore posées : le dialogue y viendra.",
                                        len(to_come)).format(n=len(to_come)), width), style="dim"), False))
    lines.append((Text(cut(findings_summary(kept).plain, width), style=findings_summary(kept).style), False))
    return lines


def _review_row(row: ReviewRow, digits: int, label_width: int, answer_width: int) -> Text:
    label_style = ""
    style: str | Style
    if not row.applies:
        answer, style, label_style = _("ne s'applique pas"), "dim", "dim"
    elif not row.asked:
        answer, style, label_style = _("pas encore posée"), "dim", "dim"
    else:
        cell = answer_cell(row.question, row.value, short=True)
        answer, style = (cell.plain, cell.style) if isinstance(cell, Text) else ("", "")
        label_style = "bold yellow" if row.missing else ""
    label = _pad(cut(row.question.label, label_width), label_width)
    return Text.assemble(str(row.number).rjust(digits), " ", (label, label_style), "  ",
                         (cut(answer, answer_width), style))


def _review_findings(found: list[Finding], numbers: dict[str, int], digits: int, width: int) -> list[_Line]:
    """What is left to check: each point on two lines at most, the missing answers together by
    their numbers (each is already marked « à compléter » in the list)."""
    from .checks import MISSING_ANSWER, SEVERITY_LABELS

    missing = [f for f in found if f.kind == MISSING_ANSWER]
    others = [f for f in found if f.kind != MISSING_ANSWER]
    if not found:
        return []
    lines: list[_Line] = [(Text(_("Points à vérifier :"), style="bold"), True)]
    indent = digits + 1
    for finding in others[:_SHOWN_FINDINGS]:
        number = str(numbers[finding.question]) if finding.question in numbers else ""
        label = _(SEVERITY_LABELS[finding.severity])
        body = wrap_words(typography(_("{gravite} : {constat}").format(gravite=label, constat=finding.message)),
                          width - indent)
        if len(body) > 2:
            body = [body[0], cut(" ".join(body[1:]), width - indent)]
        lines.append((Text.assemble(number.rjust(digits), " ", (label, _SEVERITY_STYLES[finding.severity.value]),
                                    body[0][len(label):]), False))
        lines += [(Text(" " * indent + more), False) for more in body[1:]]
    if len(others) > _SHOWN_FINDINGS:
        rest = len(others) - _SHOWN_FINDINGS
        lines.append((Text(" " * indent + cut(ngettext("… et {n} autre point : /verifier les montre tous.",
                                                        "… et {n} autres points : /verifier les montre tous.",
                                                        rest).format(n=rest), width - indent), style="dim"), False))
    if missing:
        listed = ", ".join(str(numbers[f.question]) for f in missing if f.question in numbers)
        said = typography(ngettext("{n} réponse obligatoire à compléter : n° {numeros}.",
                                   "{n} réponses obligatoires à compléter : n° {numeros}.",
                                   len(missing)).format(n=len(missing), numeros=listed))
        label = _(SEVERITY_LABELS[missing[0].severity])
        body = wrap_words(_("{gravite} : {constat}").format(gravite=label, constat=said), width - indent)
        lines.append((Text.assemble(" " * digits, " ", (label, _SEVERITY_STYLES[missing[0].severity.value]),
                                    body[0][len(label):]), False))
        lines += [(Text(" " * indent + more), False) for more in body[1:]]
    return lines


def help_screen(console: Console, q: Question | None, prompt: Prompt | None = None) -> None:
    """`/aide`: what the question is for, what it accepts, an example, how to answer at this
    prompt, and the other commands that apply there, one line each; at the review, how to edit.
    Kept short: with the question asked again below it, it fits a terminal of 24 lines."""
    where = prompt or (prompt_for(q) if q is not None else Prompt.REVIEW)
    lines: list[Any] = []
    if q is None:
        title = _("Aide — sommaire")
        lines.append(Text(typography(_("Tapez le numéro d'une question puis Entrée pour la modifier : sa réponse est "
                                       "proposée, corrigez-la et validez ; le sommaire revient ensuite."))))
        lines.append(Text(typography(_("Entrée sans numéro montre la suite du sommaire, puis le ferme."))))
    else:
        title = markup(_("Aide — {question}"), question=q.label)
        if q.help:
            lines.append(Text(typography("\n".join(paragraphs(q.help)))))
        constraints = _constraints(q)
        if q.example and not kind_of(q).multiline:
            lines.append(Text(constraints, style="dim"))
            lines.append(Text(_("Exemple : {exemple}").format(exemple=q.example), style="dim"))
        elif q.example or any(f.example for f in q.fields):
            # A long text's example is read on request, so as not to be copied; the pointer to it
            # only where it fits on the line (/exemple is listed below in any case).
            pointed = typography(_("{contraintes} · exemple : tapez /exemple").format(contraintes=constraints))
            lines.append(Text(pointed if cell_len(pointed) <= console.width - 4 else constraints, style="dim"))
        else:
            lines.append(Text(constraints, style="dim"))
        lines.append(Text(typography(_how_to_answer(q, where)), style="cyan"))
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for command in commands_at(where):
        if command.name != "aide":  # the one being read
            table.add_row("/" + command.word(), command.describe(where))
    lines.append(table)
    console.print(Panel(Group(*lines), title=title, title_align="left"))


def _how_to_answer(q: Question, prompt: Prompt) -> str:
    """How an answer is typed at this prompt (the commands are listed apart)."""
    kind = kind_of(q)
    if prompt is Prompt.GROUP:
        how = _("Tapez a pour ajouter une ligne, m et son numéro pour la modifier (m 2), s et son numéro pour la "
                "supprimer (s 2), t ou Entrée pour terminer la liste.")
    elif kind.multiline:
        how = _("Entrée ajoute une ligne ; Échap puis Entrée valide le texte.")
    elif kind.checkboxes:
        how = _("↑↓ pour vous déplacer, Espace ou le numéro d'un choix pour le cocher, Entrée pour valider ; "
                "/ ouvre la ligne de commande.")
    elif kind.menu:
        how = _("Tapez le numéro d'un choix, ou le début de son libellé, puis Entrée.")
    else:
        how = _("Tapez la réponse puis Entrée ; une réponse refusée reste affichée, pour être corrigée.")
    if not q.required and prompt is not Prompt.ITEM:
        how += " " + _("Facultative : Entrée sans rien taper la laisse vide.")
    return how


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
