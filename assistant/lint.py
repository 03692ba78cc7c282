"""Checks a questionnaire beyond its shape: duplicate ids, conditions and rules that name
unknown questions, choice types without choices, min greater than max, rules on fields of the
wrong type. Every problem comes with its place, as `section budget › question depenses`."""

from __future__ import annotations

from collections import Counter

from .i18n import _
from .model import (
    CHOICE_TYPES, NUMERIC_TYPES, AllTickedRule, Appel, CapRule, ComparisonRule, CountRule,
    DeadlineRule, EqualsRule, FieldType, Operand, Question, RequiredRule, RolesRule,
)

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
            problems += _question(question, place, questions, nested=False)
    for rule in appel.rules:
        place = _("règle {r}").format(r=rule.id)
        problems += [f"{place}: {p}" for p in _rule(appel, rule, questions)]
        messages = [rule.message, *(f.message for f in getattr(rule, "required_functions", ()))]
        problems += [f"{place}: {p}" for m in messages for p in _placeholders(rule.kind, m)]
    return problems


def _placeholders(kind: str, message: str) -> list[str]:
    """A message may only name the values its rule kind provides (`{montant}`, `{plafond}`…)."""
    from string import Formatter

    from .checks import PLACEHOLDERS

    try:
        names = {name for _text, name, _spec, _conv in Formatter().parse(message) if name is not None}
    except ValueError:
        return [_("message mal formé (accolade seule ?) : {message}").format(message=message)]
    unknown = sorted(n for n in names if n not in PLACEHOLDERS[kind])
    if not unknown:
        return []
    return [_("le message emploie {inconnus}, que le type « {type} » ne fournit pas (possibles : {possibles})").format(
        inconnus=", ".join("{" + n + "}" for n in unknown), type=kind,
        possibles=", ".join("{" + n + "}" for n in sorted(PLACEHOLDERS[kind])))]


def _duplicates(kind: str, ids: list[str], place: str) -> list[str]:
    return [
        f"{place}{kind} {i}: " + _("identifiant en double")
        for i, n in Counter(ids).items() if n > 1
    ]


def _question(question: Question, place: str, questions: dict[str, Question], nested: bool) -> list[str]:
    problems: list[str] = []
    kind = question.type
    if kind in CHOICE_TYPES and not question.choices:
        problems.append(f"{place}: " + _("le type « {type} » demande une liste « choix »").format(type=kind.value))
    if kind not in CHOICE_TYPES and question.choices:
        problems.append(f"{place}: " + _("« choix » ne va qu'avec les types choix et choix_multiple"))
    problems += _duplicates(_("choix"), [c.id for c in question.choices], f"{place}: ")
    if question.minimum is not None and question.maximum is not None and question.minimum > question.maximum:
        problems.append(f"{place}: " + _("min ({min}) est plus grand que max ({max})").format(min=question.minimum, max=question.maximum))
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
            problems += _question(field, place + SEP + _("champ {c}").format(c=field.id), questions, nested=True)
    elif question.fields:
        problems.append(f"{place}: " + _("« champs » ne va qu'avec le type groupe"))
    if question.condition:
        if nested:
            problems.append(f"{place}: " + _("une condition « si » n'est pas possible dans un groupe"))
        else:
            problems += [f"{place}: {p}" for p in _condition(question, questions)]
    return problems


def _condition(question: Question, questions: dict[str, Question]) -> list[str]:
    condition = question.condition
    assert condition is not None
    target = questions.get(condition.question)
    if target is None:
        return [_("la condition nomme une question inconnue « {q} »").format(q=condition.question)]
    if target.id == question.id:
        return [_("la condition porte sur la question elle-même")]
    if condition.contains is not None:
        if target.type is not FieldType.MULTIPLE_CHOICE:
            return [_("« contient » ne va qu'avec une question à choix multiple")]
        if target.choice(condition.contains) is None:
            return [_("la condition nomme un choix inconnu « {c} » de la question {q}").format(c=condition.contains, q=target.id)]
    if condition.equals is not None and target.type is FieldType.CHOICE and target.choice(str(condition.equals)) is None:
        return [_("la condition nomme un choix inconnu « {c} » de la question {q}").format(c=condition.equals, q=target.id)]
    if condition.equals is not None and target.type is FieldType.YES_NO and not isinstance(condition.equals, bool):
        return [_("la question {q} est oui/non : « egal » vaut true ou false").format(q=target.id)]
    return []


def _expect(questions: dict[str, Question], qid: str, types: frozenset[FieldType] | set[FieldType], what: str) -> list[str]:
    question = questions.get(qid)
    if question is None:
        return [_("question inconnue « {q} »").format(q=qid)]
    if question.type not in types:
        return [_("la question {q} est de type « {type} » ; il faut {attendu}").format(q=qid, type=question.type.value, attendu=what)]
    return []


def _group_field(questions: dict[str, Question], group_id: str, field_id: str, types: frozenset[FieldType] | None, what: str) -> list[str]:
    problems = _expect(questions, group_id, {FieldType.GROUP}, _("un groupe"))
    if problems:
        return problems
    field = questions[group_id].field(field_id)
    if field is None:
        return [_("le groupe {g} n'a pas de champ « {c} »").format(g=group_id, c=field_id)]
    if types is not None and field.type not in types:
        return [_("le champ {g}.{c} est de type « {type} » ; il faut {attendu}").format(g=group_id, c=field_id, type=field.type.value, attendu=what)]
    return []


def _operand(questions: dict[str, Question], operand: Operand, group: str | None) -> list[str]:
    number = _("un nombre ou un montant")
    if operand.question:
        return _expect(questions, operand.question, NUMERIC_TYPES, number)
    if operand.sum:
        group_id, field_id = operand.sum.split(".")
        return _group_field(questions, group_id, field_id, NUMERIC_TYPES, number)
    if group is None:
        return [_("« champ » ne va qu'avec « pour_chaque »")]
    return _group_field(questions, group, operand.field or "", NUMERIC_TYPES, number)


def _rule(appel: Appel, rule: object, questions: dict[str, Question]) -> list[str]:
    match rule:
        case CapRule():
            return _expect(questions, rule.question, {FieldType.AMOUNT}, _("un montant"))
        case ComparisonRule():
            problems = []
            if rule.for_each:
                problems += _expect(questions, rule.for_each, {FieldType.GROUP}, _("un groupe"))
            group = rule.for_each if not problems else None
            for operand in (*rule.left, *rule.right):
                problems += _operand(questions, operand, group)
            return problems
        case RequiredRule():
            return [p for q in rule.questions for p in _expect(questions, q, set(FieldType), "")]
        case CountRule():
            problems = _expect(questions, rule.group, {FieldType.GROUP}, _("un groupe"))
            if rule.minimum is not None and rule.maximum is not None and rule.minimum > rule.maximum:
                problems.append(_("min ({min}) est plus grand que max ({max})").format(min=rule.minimum, max=rule.maximum))
            return problems
        case RolesRule():
            text = {FieldType.TEXT, FieldType.LONG_TEXT}
            return [
                p
                for field in (rule.role_field, rule.function_field, rule.name_field)
                for p in _group_field(questions, rule.group, field, frozenset(text), _("un texte"))
            ]
        case AllTickedRule():
            return _expect(questions, rule.question, {FieldType.MULTIPLE_CHOICE}, _("un choix multiple"))
        case EqualsRule():
            problems = _expect(questions, rule.question, {FieldType.YES_NO, FieldType.CHOICE}, _("un oui/non ou un choix"))
            if problems:
                return problems
            question = questions[rule.question]
            if question.type is FieldType.YES_NO and not isinstance(rule.value, bool):
                return [_("la question {q} est oui/non : « valeur » vaut true ou false").format(q=question.id)]
            if question.type is FieldType.CHOICE and question.choice(str(rule.value)) is None:
                return [_("la valeur « {v} » n'est pas un choix de la question {q}").format(v=rule.value, q=question.id)]
            return []
        case DeadlineRule():
            return [] if appel.deadline else [_("l'appel n'a pas de « date_limite »")]
    return []
