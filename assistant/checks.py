"""Consistency checks declared in the questionnaires, evaluated the same way everywhere: in the
dialogue, `aap verifier`, after `aap remplir` and before the Word export.

Each rule kind is a class of `rules/` whose `evaluate` gives its findings through the `Context`
here; the checks every call has (answers missing, annexes without their file) are built in.
Sums and comparisons are exact (`Decimal`): 40 000,00 € passes a 40 000 € cap, 40 000,01 € does
not. Messages are plain text: typography is added where a person reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .dossier import Dossier
from .i18n import N_, _, plain
from .model import Question
from .rules import RuleKind, Severity
from .values import display

SEVERITY_LABELS = {
    Severity.BLOCKING: N_("Bloquant"),
    Severity.ERROR: N_("Erreur"),
    Severity.WARNING: N_("Avertissement"),
    Severity.ADVICE: N_("Conseil"),
}
SEVERITY_ORDER = {Severity.BLOCKING: 0, Severity.ERROR: 1, Severity.WARNING: 2, Severity.ADVICE: 3}

MISSING_ANSWER = "reponse_manquante"
UNREADABLE_ANSWER = "reponse_illisible"
MISSING_ANNEX_FILE = "annexe_introuvable"


@dataclass(frozen=True)
class _Ref:
    """What a finding needs of its rule; the implicit "required answer missing" rule has no
    declaration in the questionnaire."""

    id: str
    kind: str
    severity: Severity


_MISSING = _Ref(MISSING_ANSWER, MISSING_ANSWER, Severity.ERROR)
# A saved answer that does not read back (edited by hand, or from another version): it is in the
# file but counts for nothing until it is corrected, so every command must say so.
_UNREADABLE = _Ref(UNREADABLE_ANSWER, UNREADABLE_ANSWER, Severity.ERROR)
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
    # The sentence of the call the rule enforces (None for built-in checks and advice).
    source: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "regle": self.rule, "type": self.kind, "gravite": self.severity.value, "section": self.section,
            "titre_section": self.section_title, "question": self.question, "libelle_question": self.question_label,
            "element": self.item, "message": self.message, "valeurs": self.values, "source": self.source,
        }


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that stop a submission: blocking ones and errors."""
    return [f for f in findings if f.severity in (Severity.BLOCKING, Severity.ERROR)]


def blocks_submission(findings: list[Finding]) -> bool:
    return bool(blocking(findings))


def rules_of_one_answer(appel: Any) -> dict[str, str]:
    """The rules that read one question only (a cap on the amount, a line's ARS share within its
    line), by rule id, with that question: their findings can be told as soon as the answer is
    typed. A rule that compares answers (the ARS shares against the amount) waits for the end of
    the section: told earlier, it would blame an answer not given yet. The questions a rule reads
    are the question ids among its declared values (`question`, `groupe`, `somme: depenses.x`…),
    whatever its kind: no kind has to list them."""
    ids = {q.id for q in appel.questions()}

    def read(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            head = value.split(".", 1)[0]
            if head in ids:
                yield head
        elif isinstance(value, dict):
            for item in value.values():
                yield from read(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                yield from read(item)

    single = {}
    for rule in appel.rules:
        dumped = rule.model_dump()
        dumped.pop("id", None)  # a rule's own id may be spelt like a question's
        questions = set(read(dumped))
        if len(questions) == 1:
            single[rule.id] = questions.pop()
    return single


def counts(findings: list[Finding]) -> dict[Severity, int]:
    return {severity: sum(1 for f in findings if f.severity is severity) for severity in Severity}


def check(dossier: Dossier, today: date | None = None) -> list[Finding]:
    """Every finding of every rule, plus the required answers still missing, in section order."""
    context = Context(dossier, today or date.today())
    unreadable = list(_unreadable_answers(context))
    # What rules conclude about an answer that could not be read (« 0 membre ») would mislead:
    # the unreadable answer is the finding.
    damaged = {f.question for f in unreadable}
    # A finding about a question that is not asked (its condition no longer holds) would be about
    # an answer that counts for nothing.
    asked = {q.id for q in dossier.appel.questions() if dossier.applies(q)}
    findings = [f for rule in dossier.appel.rules if rule.condition is None or rule.condition.holds(dossier) is True
                for f in rule.evaluate(context) if f.question not in damaged and (f.question is None or f.question in asked)]
    findings += unreadable
    # A required answer that is missing is always at least an error. A rule that says as much
    # or more about the question (an error, or blocking) speaks for it; a mere warning about an
    # answer that is not there would only repeat the missing answer, weaker: it gives way.
    said = {f.question for f in findings if SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[Severity.ERROR]}
    missing = [f for f in _missing_answers(context) if f.question not in said]
    absent = {f.question for f in missing}
    findings = [f for f in findings if f.question not in absent] + missing
    findings += _missing_annex_files(context)
    order = {s.id: n for n, s in enumerate(dossier.appel.sections)}
    return sorted(findings, key=lambda f: (order.get(f.section or "", -1), SEVERITY_ORDER[f.severity]))


@dataclass
class Context:
    """What a rule's evaluation sees: the dossier, today's date, and how to make a finding."""

    dossier: Dossier
    today: date

    def finding(self, rule: RuleKind | _Ref, message: str, question_id: str | None, item: str | None = None,
                severity: Severity | None = None, source: str | None = None, **values: str) -> Finding:
        """A finding in plain text, no-break spaces included (babel's, in amounts): typography
        is for a person reading (`output`, the Word document), not for the data (`--json`)."""
        appel = self.dossier.appel
        section = appel.section_of(question_id) if question_id else None
        question = appel.question(question_id) if question_id else None
        values = {name: plain(value) for name, value in values.items()}
        return Finding(
            rule=rule.id, kind=rule.kind, severity=severity or rule.severity,
            message=plain(_safe_format(message, values)), section=section.id if section else None,
            section_title=section.title if section else None, question=question_id,
            question_label=question.label if question else None, item=item, values=values,
            source=plain(quoted) if (quoted := _source(rule, severity, source)) else None,
        )

    def amount(self, question_id: str) -> Decimal | None:
        value = self.dossier.answer(question_id)
        if isinstance(value, int):  # an integer question's answer
            return Decimal(value)
        return value if isinstance(value, Decimal) else None

    def display(self, question: Question, value: Any) -> str:
        return display(question, value)


def _source(rule: RuleKind | _Ref, severity: Severity | None, given: str | None) -> str | None:
    """The call's sentence a finding quotes: its rule's, unless the finding has a severity of its
    own (a required function of a team), which quotes what it is given."""
    if given is not None or severity is not None:
        return given
    return rule.source if isinstance(rule, RuleKind) else None


def _safe_format(message: str, values: dict[str, str]) -> str:
    try:
        return message.format(**values)
    except (KeyError, IndexError, ValueError):
        return message  # the questionnaire check reports bad placeholders; never crash here


def _missing_answers(context: Context) -> Iterator[Finding]:
    for question in context.dossier.missing_required():
        yield context.finding(_MISSING, _("Réponse obligatoire manquante : {question}."), question.id,
                              question=question.label)


def _unreadable_answers(context: Context) -> Iterator[Finding]:
    for question_id, why in context.dossier.invalid.items():
        question = context.dossier.appel.question(question_id)
        if question is None or not context.dossier.applies(question):
            continue
        yield context.finding(
            _UNREADABLE, _("Réponse enregistrée illisible : {question} — {raison} ; aap reprendre la repose pour "
                           "la corriger."), question_id, question=question.label, raison=why)


def _missing_annex_files(context: Context) -> Iterator[Finding]:
    """An annex whose declared file is not there: the deposit would lack it. The message names
    the file, never its folder (it is shown in the review version, read by others)."""
    from .annexes import annexes

    layout = context.dossier.appel.document.annex_list
    if layout is None:
        return
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
