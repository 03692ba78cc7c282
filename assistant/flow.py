"""The dialogue's logic, without a terminal: which question comes next, conditions, going back,
skipping, groups, the review screen and undo. It asks through an `Asker` (the terminal UI in
`dialogue.py`, or a scripted one in tests) and saves through a callback after every accepted
answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .asking import (
    Ask,
    Asker,
    Command,
    GroupAsk,
    Outcome,
    Overview,
    Place,
    Review,
    ReviewRow,
    SectionState,
    command_of,
    parse_group_action,
)
from .checks import SEVERITY_LABELS
from .commands import Prompt, applies_at, prompt_for, unavailable
from .dossier import Dossier, Position
from .errors import InvalidAnswer
from .fields import kind_of
from .fields.groups import SavedRow, check_group_size, saved_rows
from .i18n import _, ngettext
from .model import FieldType, Question, Section


class _Quit(Exception):
    pass


_NEXT, _BACK, _SKIP = "next", "back", "skip"


@dataclass
class Flow:
    dossier: Dossier
    save: Callable[[Dossier], None]
    asker: Asker
    today: date = field(default_factory=date.today)
    checks: Callable[[Dossier, date], list[Any]] | None = None
    # Writes the Word document of a version (« relecture », « depot ») and returns what the
    # asker shows of it; None: the dialogue ends without offering the document.
    deliver: Callable[[Dossier, str], Any] | None = None
    _shown_section: Section | None = None
    _one_answer_rules: dict[str, str] | None = None

    # -- the order of questions ----------------------------------------------------------------

    def order(self) -> list[tuple[Section, Question]]:
        return [(s, q) for s in self.dossier.appel.sections for q in s.questions if self.dossier.applies(q)]

    def place(self, question_id: str) -> Place:
        order = self.order()
        sections = self.dossier.appel.sections
        section = next(s for s, q in order if q.id == question_id)
        in_section = [q.id for s, q in order if s.id == section.id]
        return Place(sections.index(section) + 1, len(sections), in_section.index(question_id) + 1,
                     len(in_section), self.dossier.completion())

    def _start(self) -> str | None:
        """Where the dialogue resumes: where it was left; a dossier left at its last question
        with every required answer given was finished: it reopens on the review (None)."""
        ids = [q.id for _s, q in self.order()]
        position = self.dossier.position.question
        if ids and position == ids[-1] and self.dossier.completion() == 100:
            return None
        if position in ids:
            return position
        return next((q.id for _s, q in self.order() if not self.dossier.has(q.id)), None)

    def _after(self, question_id: str) -> str | None:
        ids = [q.id for _s, q in self.order()]
        later = ids[ids.index(question_id) + 1:] if question_id in ids else ids
        return later[0] if later else None

    def _before(self, question_id: str) -> str | None:
        ids = [q.id for _s, q in self.order()]
        index = ids.index(question_id) if question_id in ids else len(ids)
        return ids[index - 1] if index > 0 else None

    # -- running -------------------------------------------------------------------------------

    def overview(self) -> Overview:
        states = []
        for section in self.dossier.appel.sections:
            required = [q for q in section.questions if q.required and self.dossier.applies(q)]
            states.append(SectionState(section, sum(self.dossier.has(q.id) for q in required), len(required)))
        deadline = self.dossier.appel.deadline
        return Overview(self.dossier, states, deadline is not None and deadline < self.today)

    def run(self) -> Outcome:
        try:
            self.asker.welcome(self.overview())
            current = self._start()
            while True:
                if current is None:
                    self._review(final=True)
                    self._offer_documents()
                    return Outcome.DONE
                move = self._visit(current)
                # A skipped question stays unanswered: the review and the farewell list it.
                current = (self._before(current) or current) if move == _BACK else self._after(current)
        except _Quit:
            return Outcome.QUIT
        except (KeyboardInterrupt, EOFError):
            return Outcome.INTERRUPTED
        finally:
            self.save(self.dossier)

    def _visit(self, question_id: str) -> str:
        section = self.dossier.appel.section_of(question_id)
        question = self.dossier.appel.question(question_id)
        assert section is not None and question is not None
        if section is not self._shown_section:
            if self._shown_section is not None:
                self._show_findings(self._shown_section)  # the findings of the section just left
            sections = self.dossier.appel.sections
            self.asker.section(section, sections.index(section) + 1, len(sections))
            self._shown_section = section
        self.dossier.position = Position(section=section.id, question=question_id)
        if question.type is FieldType.GROUP:
            return self._ask_group(section, question)
        return self._ask_one(section, question)

    def _handle(self, command: Command, question: Question, prompt: Prompt) -> str | None:
        """Commands that do not move return None: the question is asked again."""
        if not applies_at(command.name, prompt):
            self.asker.notice(unavailable(command.name, prompt))
            return None
        match command.name:
            case "retour":
                return _BACK
            case "passer":
                return _SKIP
            case "quitter":
                raise _Quit
            case "aide":
                self.asker.help(question, prompt)
            case "sommaire":
                self._review(final=False)
            case "verifier":
                self._show_findings(None)
            case "evaluer":
                self._show_grid()
            case "exemple":
                self.asker.example(question)
            case "annuler":
                self._undo()
        return None

    def findings(self) -> list[Any]:
        return self.checks(self.dossier, self.today) if self.checks else []

    def _show_findings(self, section: Section | None) -> None:
        """On leaving a section, its findings; on /verifier (section None), all of them."""
        if self.checks is None:
            self.asker.findings(section, [])
            return
        found = self.findings()
        if section is not None:
            found = [f for f in found if f.section == section.id]
        self.asker.findings(section, found)

    def _offer_documents(self) -> None:
        if self.deliver is not None:
            from .delivery import offer_documents

            offer_documents(self.asker, self.dossier, self.findings(), self.deliver)

    def _show_grid(self) -> None:
        from .criteria import assess

        self.asker.grid(assess(self.dossier, self.findings()))

    def _set(self, question: Question, value: Any) -> None:
        if self.dossier.set(question.id, value):
            self.save(self.dossier)

    def _ask_one(self, section: Section, question: Question) -> str:
        while True:
            value = self.dossier.get(question.id)
            raw = self.dossier.raw.get(question.id)
            error = self.dossier.invalid.get(question.id)
            kind = kind_of(question)
            default = kind.input_text(question, value) if value is not None else (
                str(raw) if error and raw is not None else ([] if kind.checkboxes else ""))
            check = _Parser(question, lambda: self.dossier.has(question.id),
                             _("réponse obligatoire ; tapez /passer pour la laisser pour plus tard"), prompt_for(question))
            reply = self.asker.ask(Ask(question, section, self.place(question.id), default, value is not None,
                                       check, error=error))
            if isinstance(reply, Command):
                move = self._handle(reply, question, prompt_for(question))
                if move:
                    return move
                continue
            if reply in ("", []) or reply is None:
                if self.dossier.has(question.id) or not question.required:
                    return _NEXT
                self.asker.notice(_("réponse obligatoire ; tapez /passer pour la laisser pour plus tard"))
                continue
            try:
                parsed = check.value(reply)
            except InvalidAnswer as refused:
                self.asker.notice(refused.message)
                continue
            self._warn(question, parsed)
            self._set(question, parsed)
            self._tell_checks(question)
            return _NEXT

    def _checks_of(self, question: Question) -> list[Any]:
        """The findings of the rules that read this answer alone (the cap, a line's ARS share):
        for a list, those about one of its lines; what the list lacks as a whole (a profession
        in the team) waits for the end of the section, when every line is there."""
        if self.checks is None:
            return []
        if self._one_answer_rules is None:
            from .checks import rules_of_one_answer

            self._one_answer_rules = rules_of_one_answer(self.dossier.appel)
        rules = {rule for rule, read in self._one_answer_rules.items() if read == question.id}
        if not rules:
            return []
        group = question.type is FieldType.GROUP
        return [f for f in self.findings() if f.rule in rules and f.question == question.id and (f.item or not group)]

    def _tell_checks(self, question: Question, known: list[Any] | None = None) -> None:
        """Say at once what the checks find in the answer just given (it is kept all the same);
        of a list, only what the new or changed line brings."""
        said = {f.message for f in known or []}
        for finding in self._checks_of(question):
            if finding.message not in said:
                self.asker.notice(_("{gravite} : {message}").format(
                    gravite=_(SEVERITY_LABELS[finding.severity]), message=finding.message))

    def _warn(self, question: Question, value: Any) -> None:
        """What is accepted but worth a word: a long text over its advised length, an annex
        file not there yet."""
        for notice in kind_of(question).notices(question, value):
            self.asker.notice(notice)

    # -- groups --------------------------------------------------------------------------------

    def _ask_group(self, section: Section, question: Question) -> str:
        rows: _Rows | None = None
        while True:
            if rows is None or not rows.pending or not rows.still(self.dossier, question):
                rows = _Rows.of(self.dossier, question)
            items = [row.item for row in rows.rows]
            def check(text: str, count: int = len(items)) -> None:
                if not command_of(text, Prompt.GROUP):
                    parse_group_action(text, count)
            reply = self.asker.group(GroupAsk(question, section, self.place(question.id), items, check,
                                              damage=rows.report()))
            if isinstance(reply, Command):
                try:
                    move = self._handle(reply, question, Prompt.GROUP)
                except _Quit:
                    rows.warn_unsaved(self.asker, question)
                    raise
                if move:
                    rows.warn_unsaved(self.asker, question)
                    return move
                continue
            try:
                action, number = parse_group_action(reply, len(items))
            except InvalidAnswer as refused:
                self.asker.notice(refused.message)
                continue
            damaged = rows.damaged()
            if action == "t":
                if damaged:
                    self.asker.notice(_("corrigez (m {n}) ou supprimez (s {n}) la ligne {n}, endommagée, ou tapez /passer "
                                        "pour y revenir plus tard : le dossier garde la liste enregistrée").format(n=damaged[0]))
                    continue
                if len(items) < question.min_items and (question.required or items):
                    self.asker.notice(ngettext(
                        "il faut au moins {n} ligne ; tapez a pour ajouter, ou /passer pour y revenir plus tard",
                        "il faut au moins {n} lignes ; tapez a pour ajouter, ou /passer pour y revenir plus tard",
                        question.min_items).format(n=question.min_items))
                    continue
                return _NEXT
            line = (number or 0) - 1  # the line a `m N` or `s N` names
            if action == "a" and len(items) >= question.item_limit:
                self.asker.notice(_("{n} lignes au plus : modifiez ou supprimez une ligne").format(n=question.item_limit))
                continue
            if action == "s":
                removed = rows.rows.pop(line)
                self._set_rows(question, rows)
                template = (_("ligne {n} supprimée : {ligne}") if rows.damaged() else
                            _("ligne {n} supprimée : {ligne} ; /annuler la rétablit"))
                self.asker.info(template.format(n=number, ligne=_row_text(question, removed)))
                continue
            if action == "m":
                for problem in (message for place, message in rows.rows[line].problems if place is None):
                    self.asker.notice(_("ligne {n} : {probleme} ; la ligne corrigée ne le gardera pas").format(
                        n=number, probleme=problem))
            item = self._ask_item(section, question, rows.rows[line] if action == "m" else SavedRow())
            if item is None:
                continue
            changed = list(rows.rows)
            if action == "m":
                changed[line] = SavedRow(item)
            else:
                changed.append(SavedRow(item))
            try:
                check_group_size(question, [row.item for row in changed])
            except InvalidAnswer as refused:
                self.asker.notice(refused.message.lstrip(": "))
                continue
            known = self._checks_of(question)
            rows.rows = changed
            self._set_rows(question, rows)
            self._tell_checks(question, known)

    def _set_rows(self, question: Question, rows: _Rows) -> None:
        """Save a group's rows; those read from a damaged saved value only once none of them is
        damaged any more: until then the dossier keeps the value as saved."""
        if rows.damaged():
            rows.changed = True
            return
        items = [row.item for row in rows.rows]
        self._set(question, items or None)
        rows.pending = False

    def _ask_item(self, section: Section, group: Question, row: SavedRow) -> dict[str, Any] | None:
        """Ask each field of one item; /retour on the first field cancels the item. A damaged
        row's fields come with their problem, prefilled with what could be read of them."""
        result = dict(row.item)
        problems = {place: message for place, message in row.problems if place is not None}
        index = 0
        while index < len(group.fields):
            field_q = group.fields[index]
            value = result.get(field_q.id)
            def given(field_id: str = field_q.id) -> bool:
                return result.get(field_id) is not None
            check = _Parser(field_q, given, _("réponse obligatoire pour chaque ligne"), Prompt.ITEM)
            default = (kind_of(field_q).input_text(field_q, value) if value is not None
                       else _saved_text(row.raw.get(field_q.id)))
            reply = self.asker.ask(Ask(field_q, section, self.place(group.id), default, value is not None, check,
                                       item_of=group, error=problems.get(field_q.id)))
            if isinstance(reply, Command):
                if not applies_at(reply.name, Prompt.ITEM):
                    self.asker.notice(unavailable(reply.name, Prompt.ITEM))
                elif reply.name == "retour":
                    if index == 0:
                        return None
                    index -= 1
                elif reply.name == "quitter":
                    raise _Quit
                elif reply.name == "aide":
                    self.asker.help(field_q, Prompt.ITEM)
                elif reply.name == "exemple":
                    self.asker.example(field_q)
                continue
            if reply in ("", []) or reply is None:
                if field_q.required and value is None:
                    continue
                index += 1
                continue
            try:
                result[field_q.id] = check.value(reply)
            except InvalidAnswer as refused:
                self.asker.notice(refused.message)
                continue
            self._warn(field_q, result[field_q.id])
            index += 1
        return result

    # -- review and undo -----------------------------------------------------------------------

    def review_data(self, final: bool) -> Review:
        rows: list[tuple[Section, list[ReviewRow]]] = []
        number = 0
        order = [q.id for _s, q in self.order()]
        position = self.dossier.position.question
        # Without a position (a dossier filled from a file) or at the end, every question was put.
        reached = order.index(position) + 1 if not final and position in order else len(order)
        asked_ids = set(order[:reached])
        for section in self.dossier.appel.sections:
            section_rows = []
            for question in section.questions:
                number += 1
                applies = self.dossier.applies(question)
                missing = applies and question.required and not self.dossier.has(question.id)
                section_rows.append(ReviewRow(number, question, self.dossier.get(question.id), applies, missing,
                                              asked=question.id in asked_ids or self.dossier.has(question.id)))
            rows.append((section, section_rows))

        def check(text: str) -> None:
            if command_of(text, Prompt.REVIEW) or not text.strip():
                return
            if not text.strip().isdigit() or not 1 <= int(text) <= number:
                raise InvalidAnswer(_("tapez le numéro d'une question (1 à {n}), ou Entrée pour continuer").format(n=number))
        return Review(rows, self.dossier.completion(), final, check, self.findings())

    def _review(self, final: bool) -> None:
        """The review screen, until the user is done with it."""
        while True:
            review = self.review_data(final)
            reply = self.asker.review(review)
            if isinstance(reply, Command):
                if not applies_at(reply.name, Prompt.REVIEW):
                    self.asker.notice(unavailable(reply.name, Prompt.REVIEW))
                elif reply.name == "quitter":
                    raise _Quit
                elif reply.name == "annuler":
                    self._undo()
                elif reply.name == "verifier":
                    self._show_findings(None)
                elif reply.name == "evaluer":
                    self._show_grid()
                elif reply.name == "exporter":
                    if self.deliver is None:
                        self.asker.notice(_("le document Word se produit avec « aap exporter »"))
                    self._offer_documents()
                elif reply.name == "aide":
                    self.asker.help(None, Prompt.REVIEW)
                elif reply.name in ("retour", "passer", "sommaire"):
                    return
                continue
            text = str(reply).strip()
            if not text:
                return
            rows = [row for _s, section_rows in review.sections for row in section_rows]
            try:
                review.check(text)
            except InvalidAnswer as refused:
                self.asker.notice(refused.message)
                continue
            self._edit(rows[int(text) - 1].question)

    def _edit(self, question: Question) -> None:
        """Edit one answer from the review, then ask what its new value made applicable."""
        before = {q.id for _s, q in self.order()}
        if not self.dossier.applies(question):
            self.asker.notice(_("cette question ne s'applique pas avec les réponses actuelles"))
            return
        # The user stays where they were in the questionnaire: resuming later goes back there.
        where = self.dossier.position
        self._visit(question.id)
        self._follow_conditions(before)
        self.dossier.position = where

    def _follow_conditions(self, before: set[str]) -> None:
        after = [q for _s, q in self.order()]
        for newly in [q for q in after if q.id not in before and not self.dossier.has(q.id)]:
            self._visit(newly.id)
        now_ids = {q.id for q in after}
        dropped = [q for q in self.dossier.appel.questions() if q.id in before and q.id not in now_ids
                   and self.dossier.has(q.id)]
        if dropped:
            self.asker.notice(_("ces réponses ne s'appliquent plus ; elles restent enregistrées : {questions}").format(
                questions=", ".join(q.label for q in dropped)))

    def _undo(self) -> None:
        before = {q.id for _s, q in self.order()}
        change = self.dossier.undo()
        if change is None:
            self.asker.notice(_("rien à annuler"))
            return
        self.save(self.dossier)
        question = self.dossier.appel.question(change.question)
        self.asker.info(_("modification annulée : {question}").format(question=question.label if question else change.question))
        self._follow_conditions(before)


@dataclass
class _Rows:
    """The rows a group's editor works on: the saved group's items or, when the saved value does
    not decode, each of its rows as `saved_rows` reads it, damaged ones included (`pending`):
    those edits stay here until no row is damaged, the dossier keeping the value as saved."""

    rows: list[SavedRow]
    source: Any = None  # the saved value they were read from
    pending: bool = False
    changed: bool = False  # an edit not saved yet
    invalid: str | None = None  # why the saved value does not decode

    @classmethod
    def of(cls, dossier: Dossier, question: Question) -> _Rows:
        raw, invalid = dossier.raw.get(question.id), dossier.invalid.get(question.id)
        if invalid is None or raw is None:
            return cls([SavedRow(item) for item in dossier.get(question.id) or []])
        return cls(saved_rows(question, raw) or [], raw, pending=True, invalid=invalid)

    def still(self, dossier: Dossier, question: Question) -> bool:
        """Whether the saved value is still the one these rows were read from (not undone)."""
        return dossier.raw.get(question.id) is self.source and question.id in dossier.invalid

    def damaged(self) -> list[int]:
        """The numbers of the damaged rows."""
        return [number for number, row in enumerate(self.rows, start=1) if row.problems]

    def report(self) -> list[str]:
        """What the group's screen says of a saved value that does not decode."""
        if not self.pending:
            return []
        damaged = self.damaged()
        if not damaged:
            return [_("La réponse enregistrée n'est plus valide : {raison}").format(raison=self.invalid)]
        lines = [ngettext(
            "{n} ligne enregistrée ne se lit plus : corrigez-la (m N) ou supprimez-la (s N) ; d'ici là, le dossier "
            "garde la liste telle qu'elle est enregistrée.",
            "{n} lignes enregistrées ne se lisent plus : corrigez-les (m N) ou supprimez-les (s N) ; d'ici là, le "
            "dossier garde la liste telle qu'elle est enregistrée.", len(damaged)).format(n=len(damaged))]
        for number in damaged:
            problems = "; ".join(message for _place, message in self.rows[number - 1].problems)
            lines.append(_("ligne {n} : {probleme}").format(n=number, probleme=problems))
        return lines

    def warn_unsaved(self, asker: Asker, question: Question) -> None:
        if self.pending and self.changed:
            asker.notice(_("vos modifications de « {question} » ne sont pas enregistrées tant qu'une ligne reste "
                           "endommagée : le dossier garde la liste enregistrée").format(question=question.label))


def _row_text(group: Question, row: SavedRow) -> str:
    """A line of a group as the user typed it, in short: its first answered fields."""
    shown = []
    for f in group.fields:
        if row.item.get(f.id) is not None:
            # One line; the no-break spaces of « 18 000,00 € » stay.
            shown.append(re.sub(r"[ \t\r\n]+", " ", kind_of(f).display(f, row.item[f.id])).strip())
    text = " · ".join(shown[:3]) or _("ligne vide")
    return text if len(text) <= 120 else text[:119] + "…"


def _saved_text(raw: Any) -> str:
    """A saved value that does not decode, as the text to correct."""
    if raw is None or isinstance(raw, str):
        return (raw or "").strip()
    return json.dumps(raw, ensure_ascii=False)


class _Parser:
    """The question's parser, as the prompt's validator: it refuses what the flow would refuse
    (an unknown /command or one that does not apply there, an empty required answer, text the
    question's kind rejects) and keeps the value it accepted, which the flow then saves: an
    answer is parsed once."""

    def __init__(self, question: Question, answered: Callable[[], bool], required_message: str,
                 prompt: Prompt) -> None:
        self.question, self.answered, self.required_message, self.prompt = question, answered, required_message, prompt
        self._accepted: tuple[Any, Any] | None = None

    def __call__(self, raw: Any) -> None:
        if isinstance(raw, str) and command_of(raw, self.prompt):
            return
        if raw in ("", []) or raw is None:
            if self.question.required and not self.answered():
                raise InvalidAnswer(self.required_message)
            return
        self._accepted = (raw, kind_of(self.question).parse(self.question, raw))

    def value(self, raw: Any) -> Any:
        """The value of the reply: the one accepted at the prompt, or, from an asker that did
        not validate (a script), parsed now."""
        if self._accepted is not None and self._accepted[0] == raw:
            return self._accepted[1]
        return kind_of(self.question).parse(self.question, raw)
