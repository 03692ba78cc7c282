"""Checks a questionnaire beyond its shape: duplicate ids, conditions and rules that name
unknown questions, choice types without choices, min greater than max, rules on fields of the
wrong type. Every problem comes with its place, as `section budget › question depenses`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel

from .criteria import problems as criteria_problems
from .fields import kind_of
from .i18n import _
from .layout import Row
from .model import (
    Appel,
    FieldType,
    Question,
)
from .rules import expect, group_field

SEP = " › "


def lint(appel: Appel) -> list[str]:
    problems: list[str] = []
    questions = {q.id: q for q in appel.questions()}
    if not appel.sections:
        problems.append(_("appel: il faut au moins une section"))
    problems += _duplicates(_("section"), [s.id for s in appel.sections], "")
    problems += _duplicates(_("règle"), [r.id for r in appel.rules], "")
    first_section: dict[str, str] = {}
    for section in appel.sections:
        for question in section.questions:
            place = _("section {s}").format(s=section.id) + SEP + _("question {q}").format(q=question.id)
            if question.id in first_section:
                problems.append(f"{place}: " + _("identifiant en double (déjà utilisé dans la section {s})").format(
                    s=first_section[question.id]))
            first_section.setdefault(question.id, section.id)
            problems += _question(question, place, appel, nested=False)
    for rule in appel.rules:
        place = _("règle {r}").format(r=rule.id)
        problems += [f"{place}: {p}" for p in rule.problems(appel)]
    problems += _document(appel, questions)
    problems += criteria_problems(appel)
    return problems


def _duplicates(kind: str, ids: list[str], place: str) -> list[str]:
    return [
        f"{place}{kind} {i}: " + _("identifiant en double")
        for i, n in Counter(ids).items() if n > 1
    ]


def _question(question: Question, place: str, appel: Appel, nested: bool) -> list[str]:
    problems: list[str] = []
    kind = question.type
    if kind_of(question).has_choices and not question.choices:
        problems.append(f"{place}: " + _("le type « {type} » demande une liste « choix »").format(type=kind.value))
    if not kind_of(question).has_choices and question.choices:
        problems.append(f"{place}: " + _("« choix » ne va qu'avec les types choix et choix_multiple"))
    problems += _duplicates(_("choix"), [c.id for c in question.choices], f"{place}: ")
    if question.minimum is not None and question.maximum is not None and question.minimum > question.maximum:
        problems.append(f"{place}: " + _("min ({min}) est plus grand que max ({max})").format(
            min=question.minimum, max=question.maximum))
    if question.max_items is not None and question.min_items > question.max_items:
        problems.append(f"{place}: " + _("min_elements ({min}) est plus grand que max_elements ({max})").format(
            min=question.min_items, max=question.max_items))
    if kind is FieldType.GROUP:
        if nested:
            problems.append(f"{place}: " + _("un groupe ne peut pas contenir de groupe"))
        if not question.fields:
            problems.append(f"{place}: " + _("le type « groupe » demande une liste « champs »"))
        problems += _duplicates(_("champ"), [f.id for f in question.fields], f"{place}: ")
        for field in question.fields:
            problems += _question(field, place + SEP + _("champ {c}").format(c=field.id), appel, nested=True)
    elif question.fields:
        problems.append(f"{place}: " + _("« champs » ne va qu'avec le type groupe"))
    if question.condition:
        if nested:
            problems.append(f"{place}: " + _("une condition « si » n'est pas possible dans un groupe"))
        else:
            problems += [f"{place}: {p}" for p in _condition(question, appel)]
    return problems


def _condition(question: Question, appel: Appel) -> list[str]:
    condition = question.condition
    assert condition is not None
    if question.id in set(condition.questions()):
        return [_("la condition porte sur la question elle-même")]
    cycle = _cycle(question, appel)
    if cycle:
        return [_("les conditions « si » forment une boucle : {boucle}").format(boucle=" → ".join(cycle))]
    return condition.lint(appel, None)


def _cycle(start: Question, appel: Appel) -> list[str]:
    """Questions whose conditions lead back to `start`: whether it is asked would depend on
    itself (and deciding it would never end)."""
    path = [start.id]

    def walk(question: Question) -> bool:
        for name in dict.fromkeys(question.condition.questions() if question.condition else ()):
            if name == start.id:
                return True
            found = appel.question(name)
            if found is None or name in path:
                continue
            path.append(name)
            if walk(found):
                return True
            path.pop()
        return False

    return [*path, start.id] if walk(start) and len(path) > 1 else []


# -- the `document` block: every question it names exists, in its section, of a type that fits -----

def _key(model: type[BaseModel], name: str) -> str:
    """The YAML key of a layout field (« depenses » for Budget.expenses): the places name the
    keys the author wrote, and the code names no word that is also a question id."""
    return model.model_fields[name].alias or name


def _document(appel: Appel, questions: dict[str, Question]) -> list[str]:
    from .layout import Annexes, Budget, Cover, Document, SectionLayout, Signature

    layout = appel.document
    problems: list[str] = []

    def at(*steps: str) -> str:
        return SEP.join(("document", *steps))

    cover = layout.cover
    cover_key = _key(Document, "cover")
    for name, qid in (("title", cover.title), ("applicant", cover.applicant)):
        if qid:
            problems += [f"{at(cover_key, _key(Cover, name))}: {p}" for p in expect(appel, qid, {FieldType.TEXT}, _("un texte"))]
    problems += _rows(appel, questions, cover.rows, at(cover_key, _key(Cover, "rows")))
    problems += _rows(appel, questions, layout.summary, at(_key(Document, "summary")))
    problems += _duplicates(_("section"), [s.section for s in layout.sections], at(_key(Document, "sections")) + ": ")
    sections = {s.id: s for s in appel.sections}
    for declared in layout.sections:
        place = at(_("section {s}").format(s=declared.section))
        section = sections.get(declared.section)
        if section is None:
            problems.append(f"{place}: " + _("section inconnue « {s} »").format(s=declared.section))
            continue
        own = {q.id for q in section.questions}
        problems += _rows(appel, questions, declared.identity, place + SEP + _key(SectionLayout, "identity"), own=own, short=True)
        identity = {row.question for row in declared.identity}
        for qid in declared.headings:
            here = place + SEP + _key(SectionLayout, "headings") + SEP + _("question {q}").format(q=qid)
            question = questions.get(qid)
            if question is None:
                problems.append(f"{here}: " + _("question inconnue « {q} »").format(q=qid))
            elif qid not in own:
                problems.append(f"{here}: " + _elsewhere(appel, qid))
            elif kind_of(question).short:
                problems.append(f"{here}: " + _(
                    "une réponse courte (type « {type} ») va dans la fiche, pas sous un titre").format(type=question.type.value))
            elif qid in identity:
                problems.append(f"{here}: " + _("la question est déjà dans la fiche de la section"))
    budget = layout.budget
    if budget is not None:
        amount, key = _("un montant"), _key(Document, "budget")
        problems += [f"{at(key, _key(Budget, 'expenses'))}: {p}"
                     for p in group_field(appel, budget.expenses, budget.amount, frozenset({FieldType.AMOUNT}), amount)]
        if budget.requested:
            problems += [f"{at(key, _key(Budget, 'requested'))}: {p}"
                         for p in expect(appel, budget.requested, {FieldType.AMOUNT}, amount)]
        if budget.cofunding:
            problems += [f"{at(key, _key(Budget, 'cofunding'))}: {p}" for p in group_field(
                appel, budget.cofunding, budget.cofunding_amount, frozenset({FieldType.AMOUNT}), amount)]
    for qid in layout.commitments:
        problems += [f"{at(_key(Document, 'commitments'))}: {p}"
                     for p in expect(appel, qid, {FieldType.MULTIPLE_CHOICE}, _("un choix multiple"))]
    signature = layout.signature
    if signature is not None:
        for name in ("name", "position", "place"):
            problems += [f"{at(_key(Document, 'signature'), _key(Signature, name))}: {p}"
                         for p in expect(appel, getattr(signature, name), {FieldType.TEXT}, _("un texte"))]
    annexes = layout.annex_list
    if annexes is not None:
        key = _key(Document, "annex_list")
        problems += [f"{at(key, _key(Annexes, 'title'))}: {p}" for p in group_field(
            appel, annexes.group, annexes.title, frozenset({FieldType.TEXT}), _("un texte"))]
        problems += [f"{at(key, _key(Annexes, 'file'))}: {p}" for p in group_field(
            appel, annexes.group, annexes.file, frozenset({FieldType.FILE}), _("un fichier"))]
    return problems


def _rows(appel: Appel, questions: dict[str, Question], rows: Iterable[Row], place: str, own: set[str] | None = None,
          short: bool = False) -> list[str]:
    """Label/value rows (cover, summary, identity table): known questions, in their section for
    an identity table, a `forme` only for a group and one its fields allow."""
    problems: list[str] = []
    seen: set[str] = set()
    for row in rows:
        here = place + SEP + _("question {q}").format(q=row.question)
        question = questions.get(row.question)
        if question is None:
            problems.append(f"{here}: " + _("question inconnue « {q} »").format(q=row.question))
            continue
        if row.question in seen:
            problems.append(f"{here}: " + _("la question est déjà dans ce tableau"))
        seen.add(row.question)
        if own is not None and row.question not in own:
            problems.append(f"{here}: " + _elsewhere(appel, row.question))
        if short and question.type is FieldType.LONG_TEXT:
            problems.append(f"{here}: " + _("un texte long ne va pas dans une fiche : donnez-lui un titre dans « titres »"))
        if row.form is not None:
            problems += [f"{here}: {p}" for p in _form(question, row.form)]
    return problems


def _form(question: Question, form: str) -> list[str]:
    if question.type is not FieldType.GROUP:
        return [_("« forme » ne va qu'avec une question de type groupe")]
    needed = {"periode": FieldType.DATE, "total": FieldType.AMOUNT}.get(form)
    if needed is not None and not any(f.type is needed for f in question.fields):
        return [_("la forme « {forme} » demande un champ de type « {type} » dans le groupe {g}").format(
            forme=form, type=needed.value, g=question.id)]
    return []


def _elsewhere(appel: Appel, question_id: str) -> str:
    section = appel.section_of(question_id)
    return _("la question {q} est dans la section {s}, pas dans celle-ci").format(q=question_id, s=section.id if section else "?")
