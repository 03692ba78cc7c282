"""Consistency checks declared in the questionnaires, evaluated the same way everywhere: in the
dialogue, `aap verifier`, after `aap remplir` and before the Word export.

Each rule kind is a small function from (rule, dossier) to findings. Sums and comparisons are
exact (`Decimal`): 40 000,00 € passes a 40 000 € cap, 40 000,01 € does not.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .dossier import Dossier
from .i18n import N_, _, format_amount, format_date, typography
from .model import (
    AllTickedRule,
    CapRule,
    ComparisonRule,
    CountRule,
    DeadlineRule,
    EqualsRule,
    FieldType,
    Operand,
    RequiredRule,
    RolesRule,
    Severity,
)
from .text import fold
from .values import display, group_sum

SEVERITY_LABELS = {
    Severity.BLOCKING: N_("Bloquant"),
    Severity.ERROR: N_("Erreur"),
    Severity.WARNING: N_("Avertissement"),
}
SEVERITY_ORDER = {Severity.BLOCKING: 0, Severity.ERROR: 1, Severity.WARNING: 2}

# The placeholders each rule kind offers its message (checked when the questionnaire loads).
PLACEHOLDERS = {
    "plafond": {"montant", "plafond"},
    "comparaison": {"gauche", "droite", "numero", "element"},
    "obligatoire": {"question"},
    "nombre": {"nombre", "min", "max"},
    "roles": {"nom", "role", "fonction", "numero", "longueur_min"},
    "tous_coches": {"manquants", "nombre"},
    "egal_a": {"valeur", "attendu"},
    "date_limite": {"date"},
}
MISSING_ANSWER = "reponse_manquante"
MISSING_ANNEX_FILE = "annexe_introuvable"


@dataclass(frozen=True)
class _Ref:
    """What a finding needs of its rule; the implicit "required answer missing" rule has no
    declaration in the questionnaire."""

    id: str
    kind: str
    severity: Severity


_MISSING = _Ref(MISSING_ANSWER, MISSING_ANSWER, Severity.ERROR)
# Built in, like the missing answers: every call whose `document` block declares annexes.
_ANNEX_FILE = _Ref(MISSING_ANNEX_FILE, MISSING_ANNEX_FILE, Severity.ERROR)
# An annex cited without any file yet: allowed while writing, but the committee would not
# receive it — said in `verifier` and on the review version's first page.
_ANNEX_NO_FILE = _Ref("annexe_sans_fichier", "annexe_sans_fichier", Severity.WARNING)


@dataclass(frozen=True)
class Finding:
    rule: str
    kind: str
    severity: Severity
    message: str
    section: str | None = None
    section_title: str | None = None
    question: str | None = None
    question_label: str | None = None
    item: str | None = None
    values: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "regle": self.rule, "type": self.kind, "gravite": self.severity.value, "section": self.section,
            "titre_section": self.section_title, "question": self.question, "libelle_question": self.question_label,
            "element": self.item, "message": self.message, "valeurs": self.values,
        }


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that stop a submission: blocking ones and errors."""
    return [f for f in findings if f.severity in (Severity.BLOCKING, Severity.ERROR)]


def blocks_submission(findings: list[Finding]) -> bool:
    return bool(blocking(findings))


def counts(findings: list[Finding]) -> dict[Severity, int]:
    return {severity: sum(1 for f in findings if f.severity is severity) for severity in Severity}


def check(dossier: Dossier, today: date | None = None) -> list[Finding]:
    """Every finding of every rule, plus the required answers still missing, in section order."""
    context = _Context(dossier, today or date.today())
    findings = [f for rule in dossier.appel.rules for f in _EVALUATORS[rule.kind](context, rule)]
    # A declared rule says more than "missing" about its question: keep only its finding.
    covered = {f.question for f in findings}
    findings += [f for f in _missing_answers(context) if f.question not in covered]
    findings += _missing_annex_files(context)
    order = {s.id: n for n, s in enumerate(dossier.appel.sections)}
    return sorted(findings, key=lambda f: (order.get(f.section or "", -1), SEVERITY_ORDER[f.severity]))


@dataclass
class _Context:
    dossier: Dossier
    today: date

    def finding(self, rule: Any, message: str, question_id: str | None, item: str | None = None,
                severity: Severity | None = None, **values: str) -> Finding:
        appel = self.dossier.appel
        section = appel.section_of(question_id) if question_id else None
        question = appel.question(question_id) if question_id else None
        return Finding(
            rule=rule.id, kind=rule.kind, severity=severity or rule.severity,
            message=_safe_format(message, values), section=section.id if section else None,
            section_title=section.title if section else None, question=question_id,
            question_label=question.label if question else None, item=item, values=values,
        )

    def amount(self, question_id: str) -> Decimal | None:
        value = self.dossier.get(question_id)
        return value if isinstance(value, Decimal | int) else None

    def sum(self, reference: str) -> Decimal:
        group_id, field_id = reference.split(".")
        return group_sum(self.dossier.get(group_id), field_id)


def _safe_format(message: str, values: dict[str, str]) -> str:
    try:
        return typography(message.format(**values))
    except (KeyError, IndexError, ValueError):
        return message  # the questionnaire check reports bad placeholders; never crash here


def _missing_answers(context: _Context) -> Iterator[Finding]:
    for question in context.dossier.missing_required():
        yield context.finding(_MISSING, _("Réponse obligatoire manquante : {question}."), question.id,
                              question=question.label)


def _missing_annex_files(context: _Context) -> Iterator[Finding]:
    """An annex whose declared file is not there: the deposit would lack it. The message names
    the file, never its folder (it is shown in the review version, read by others)."""
    from .annexes import annexes

    layout = context.dossier.appel.document.annex_list
    for annex in annexes(context.dossier):
        title = annex.title or _("sans titre")
        if annex.path is None:
            yield context.finding(
                _ANNEX_NO_FILE, _("Annexe {numero} « {titre} » : aucun fichier n'est joint ; elle est citée dans le "
                                  "dossier mais ne partira pas avec lui."),
                layout.group, item=_("annexe {numero} — {titre}").format(numero=annex.number, titre=title),
                numero=str(annex.number), titre=title)
            continue
        if annex.exists:
            continue
        yield context.finding(
            _ANNEX_FILE, _("Annexe {numero} « {titre} » : le fichier « {fichier} » est introuvable ; corrigez son "
                           "chemin ou joignez le fichier avant le dépôt."),
            layout.group, item=_("annexe {numero} — {titre}").format(numero=annex.number, titre=title),
            numero=str(annex.number), titre=title, fichier=annex.file_name or "")


def _cap(context: _Context, rule: CapRule) -> Iterator[Finding]:
    amount = context.amount(rule.question)
    if amount is not None and amount > rule.amount:
        yield context.finding(rule, rule.message, rule.question, montant=format_amount(amount),
                              plafond=format_amount(rule.amount))


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le, "<": operator.lt, "=": operator.eq, ">=": operator.ge, ">": operator.gt}


def _comparison(context: _Context, rule: ComparisonRule) -> Iterator[Finding]:
    compare = _OPERATORS[rule.operator]
    appel = context.dossier.appel
    if rule.for_each:
        group = appel.question(rule.for_each)
        for number, item in enumerate(context.dossier.get(rule.for_each) or [], start=1):
            left = _operands(context, rule.left, item)
            right = _operands(context, rule.right, item)
            if left is None or right is None or compare(left, right):
                continue
            name = _item_name(group, item)
            yield context.finding(rule, rule.message, rule.for_each, item=_("ligne {n} — {nom}").format(n=number, nom=name),
                                  gauche=format_amount(left), droite=format_amount(right), numero=str(number), element=name)
        return
    left, right = _operands(context, rule.left), _operands(context, rule.right)
    if left is None or right is None or compare(left, right):
        return
    anchor = next((o.question or o.sum.split(".")[0] for o in (*rule.left, *rule.right) if o.question or o.sum), None)
    yield context.finding(rule, rule.message, anchor, gauche=format_amount(left), droite=format_amount(right))


def _operands(context: _Context, operands: tuple[Operand, ...], item: dict | None = None) -> Decimal | None:
    """The exact sum of the terms; None when a question it needs is not answered yet."""
    total = Decimal(0)
    for operand in operands:
        if operand.question:
            value = context.amount(operand.question)
            if value is None:
                return None
            total += value
        elif operand.sum:
            total += context.sum(operand.sum)
        elif item is not None and operand.field:
            value = item.get(operand.field)
            if value is None:
                return None
            total += Decimal(value)
    return total


def _item_name(group: Any, item: dict) -> str:
    """How a person names an item: its first text field (a member's name, a line's label)."""
    for candidate in ("nom", "libelle", "titre", "etape", "financeur"):
        if item.get(candidate):
            return str(item[candidate])
    texts = [str(item[f.id]) for f in group.fields if f.type is FieldType.TEXT and item.get(f.id)]
    return texts[0] if texts else "?"


def _required(context: _Context, rule: RequiredRule) -> Iterator[Finding]:
    appel = context.dossier.appel
    for question_id in rule.questions:
        question = appel.question(question_id)
        zero_amount = question is not None and question.type is FieldType.AMOUNT and context.dossier.get(question_id) == 0
        if not context.dossier.has(question_id) or zero_amount:
            yield context.finding(rule, rule.message, question_id, question=question.label if question else question_id)


def _count(context: _Context, rule: CountRule) -> Iterator[Finding]:
    count = len(context.dossier.get(rule.group) or [])
    too_few = rule.minimum is not None and count < rule.minimum
    too_many = rule.maximum is not None and count > rule.maximum
    if too_few or too_many:
        yield context.finding(rule, rule.message, rule.group, nombre=str(count),
                              min=str(rule.minimum if rule.minimum is not None else ""),
                              max=str(rule.maximum if rule.maximum is not None else ""))


def _roles(context: _Context, rule: RolesRule) -> Iterator[Finding]:
    members = context.dossier.get(rule.group) or []
    vague = {fold(term).strip(" .!?;:") for term in rule.vague_terms}
    for number, member in enumerate(members, start=1):
        role = str(member.get(rule.role_field) or "").strip()
        folded = fold(role).strip(" .!?;:")
        if len(role) < rule.min_length or not folded or folded in vague:
            name = str(member.get(rule.name_field) or _("membre {n}").format(n=number))
            yield context.finding(rule, rule.message, rule.group, item=name, nom=name, role=role,
                                  fonction=str(member.get(rule.function_field) or ""), numero=str(number),
                                  longueur_min=str(rule.min_length))
    for required in rule.required_functions:
        patterns = [re.compile(r"(?<!\w)" + re.escape(fold(p)) + r"(?!\w)") for p in required.patterns]
        texts = [fold(f"{m.get(rule.function_field) or ''} {m.get(rule.role_field) or ''}") for m in members]
        if not any(p.search(text) for p in patterns for text in texts):
            yield context.finding(rule, required.message, rule.group, severity=required.severity)


def _all_ticked(context: _Context, rule: AllTickedRule) -> Iterator[Finding]:
    question = context.dossier.appel.question(rule.question)
    ticked = set(context.dossier.get(rule.question) or [])
    missing = [c.label for c in question.choices if c.id not in ticked]
    if missing:
        yield context.finding(rule, rule.message, rule.question, manquants=" ; ".join(missing), nombre=str(len(missing)))


def _equals(context: _Context, rule: EqualsRule) -> Iterator[Finding]:
    question = context.dossier.appel.question(rule.question)
    value = context.dossier.get(rule.question)
    if value is not None and value != rule.value:
        yield context.finding(rule, rule.message, rule.question, valeur=display(question, value),
                              attendu=display(question, rule.value))


def _deadline(context: _Context, rule: DeadlineRule) -> Iterator[Finding]:
    deadline = context.dossier.appel.deadline
    if deadline is not None and context.today > deadline:
        yield context.finding(rule, rule.message, None, date=format_date(deadline))


_EVALUATORS: dict[str, Callable[[_Context, Any], Iterator[Finding]]] = {
    "plafond": _cap, "comparaison": _comparison, "obligatoire": _required, "nombre": _count, "roles": _roles,
    "tous_coches": _all_ticked, "egal_a": _equals, "date_limite": _deadline,
}
