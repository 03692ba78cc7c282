"""The selection criteria a questionnaire declares in `criteres`: the call's own wording of each
criterion, what the committee looks for, the questions and rules that carry it, and simple
signals of strength. `assess` reads a dossier against them: what it provides, what is missing or
weak, a status and the one thing to do next.

It is a reading aid against the call's grid, not a prediction of the committee's score: the
signals only say whether an answer is there, long enough, and mentions what the call names."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import Field

from .i18n import N_, _, format_decimal, ngettext
from .rules import Condition, Severity
from .schema import Identifier, Model, Text

if TYPE_CHECKING:
    from .checks import Finding
    from .dossier import Dossier
    from .model import Appel, Question

# A long answer shorter than this share of its advised length is said to be brief. The advised
# length is the most the call's form advises (Démarches simplifiées' « taille maximale
# conseillée »), not a target: a fifth of that room is a paragraph, under it a line or two.
BRIEF_SHARE = 5


class Signal(Model):
    """A sign of strength: a condition of the rule language, and what to do when it fails."""

    test: Condition
    advice: Text = Field(alias="sinon", min_length=1)


class Criterion(Model):
    id: Identifier
    label: Text = Field(alias="libelle")          # the call's wording, short enough for a heading
    source: Text | None = None                     # the call's sentence, when the label shortens it
    looks_for: Text = Field(alias="attendu")       # what the committee looks for, concretely
    questions: tuple[Identifier, ...] = Field(min_length=1)
    rules: tuple[Identifier, ...] = Field(default=(), alias="regles")
    signals: tuple[Signal, ...] = Field(default=(), alias="signaux")


def problems(appel: Appel) -> list[str]:
    """Criteria that name unknown questions or rules, or whose signals do not fit: located
    errors, as `critere equipe › signal 2: …`."""
    from .lint import SEP

    found: list[str] = []
    rules = {rule.id for rule in appel.rules}
    seen: set[str] = set()
    for criterion in appel.criteria:
        place = _("critère {c}").format(c=criterion.id)
        if criterion.id in seen:
            found.append(f"{place}: " + _("identifiant en double"))
        seen.add(criterion.id)
        for qid in criterion.questions:
            if appel.question(qid) is None:
                found.append(f"{place}: " + _("question inconnue « {q} »").format(q=qid))
        for rid in criterion.rules:
            if rid not in rules:
                found.append(f"{place}: " + _("règle inconnue « {r} »").format(r=rid))
        for kind, ids in ((_("question"), criterion.questions), (_("règle"), criterion.rules)):
            found += [f"{place}: " + _("{genre} {id} : en double").format(genre=kind, id=i)
                      for i in dict.fromkeys(ids) if ids.count(i) > 1]
        for number, signal in enumerate(criterion.signals, start=1):
            here = place + SEP + _("signal #{n}").format(n=number)
            found += [f"{here}: {p}" for p in signal.test.lint(appel, None)]
    return found


class Status(StrEnum):
    SOLID = "solide"
    TO_STRENGTHEN = "a_renforcer"
    ABSENT = "absent"


STATUS_LABELS = {Status.SOLID: N_("solide"), Status.TO_STRENGTHEN: N_("à renforcer"), Status.ABSENT: N_("absent")}


@dataclass
class Provided:
    question: str
    title: str
    measure: str  # « 1 250 caractères sur 3 000 conseillés », « 4 lignes », "" when nothing to add


@dataclass
class Assessment:
    criterion: Criterion
    status: Status
    provided: list[Provided] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)  # most useful first

    @property
    def next_step(self) -> str | None:
        return self.weak[0] if self.weak else None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.criterion.id, "libelle": self.criterion.label, "source": self.criterion.source,
            "attendu": self.criterion.looks_for,
            "statut": self.status.value, "libelle_statut": _(STATUS_LABELS[self.status]),
            "apporte": [{"question": p.question, "titre": p.title, "mesure": p.measure} for p in self.provided],
            "a_renforcer": self.weak, "prochaine_etape": self.next_step,
        }


# The order of what is weak: what refuses or stops the file, then a required answer missing,
# then the signals (what the committee looks for, said by the call's author), then an optional
# answer missing, a text given twice, a length, then what the checks only warn or advise about.
_URGENT = (Severity.BLOCKING, Severity.ERROR)


def assess(dossier: Dossier, findings: list[Finding]) -> list[Assessment]:
    return [_assess(dossier, criterion, findings) for criterion in dossier.appel.criteria]


def _assess(dossier: Dossier, criterion: Criterion, findings: list[Finding]) -> Assessment:
    from .checks import UNREADABLE_ANSWER

    appel = dossier.appel
    asked = [q for qid in criterion.questions if (q := appel.question(qid)) is not None and dossier.applies(q)]
    provided = [Provided(q.id, q.label, _measure(q, dossier.get(q.id))) for q in asked if dossier.has(q.id)]
    # A saved answer aap cannot read is said as the checks say it, not as an answer to give.
    unreadable = [f for f in findings if f.kind == UNREADABLE_ANSWER and f.question in criterion.questions]
    if not provided and not unreadable:
        first = asked[0] if asked else None
        weak = [_("Répondez à « {titre} ».").format(titre=first.label)] if first else []
        return Assessment(criterion, Status.ABSENT, [], weak)
    mine = unreadable + [f for f in findings if f.rule in criterion.rules]
    urgent = [f.message for f in mine if f.severity in _URGENT]
    minor = [f.message for f in mine if f.severity not in _URGENT]
    missing = [q for q in asked if not dossier.has(q.id) and q.id not in dossier.invalid]
    required = [_("Répondez à « {titre} ».").format(titre=q.label) for q in missing if q.required]
    optional = [_("Répondez à « {titre} ».").format(titre=q.label) for q in missing if not q.required]
    signals = [s.advice for s in criterion.signals if s.test.holds(dossier) is not True]
    lengths = [said for q in asked if (said := _length(q, dossier.get(q.id))) is not None]
    repeated = [said for q in asked if (said := _repeated(dossier, q)) is not None]
    weak = list(dict.fromkeys(urgent + required + signals + optional + repeated + lengths + minor))
    return Assessment(criterion, Status.TO_STRENGTHEN if weak else Status.SOLID, provided, weak)


def _length(question: Question, value: Any) -> str | None:
    """Too brief for what the call gives room for, or over the most it advises."""
    advised = question.advised_length
    if advised is None or not isinstance(value, str):
        return None
    values = {"titre": question.label, "n": _number(len(value)), "conseille": _number(advised)}
    if len(value) * BRIEF_SHARE < advised:
        return _("Développez « {titre} » : {n} caractères, pour {conseille} conseillés au plus.").format(**values)
    if len(value) > advised:
        return _("Raccourcissez « {titre} » : {n} caractères, pour {conseille} conseillés au plus.").format(**values)
    return None


def _repeated(dossier: Dossier, question: Question) -> str | None:
    """A long answer that is word for word another's: each question of the call asks something
    of its own, and a committee reading the same text twice reads it as not answered."""
    from .model import FieldType

    value = dossier.get(question.id)
    if question.type is not FieldType.LONG_TEXT or not isinstance(value, str) or not value.strip():
        return None
    for other in dossier.appel.questions():
        if other.id != question.id and other.type is FieldType.LONG_TEXT and dossier.get(other.id) == value \
                and dossier.applies(other):
            return _("« {titre} » reprend mot pour mot « {autre} » : dites ce que cette question demande.").format(
                titre=question.label, autre=other.label)
    return None


def _measure(question: Question, value: Any) -> str:
    from .model import FieldType

    if question.type is FieldType.LONG_TEXT:
        if question.advised_length:
            return _("{n} caractères, {conseille} conseillés au plus").format(
                n=_number(len(value)), conseille=_number(question.advised_length))
        return ngettext("{n} caractère", "{n} caractères", len(value)).format(n=_number(len(value)))
    if question.type is FieldType.GROUP:
        return ngettext("{n} ligne", "{n} lignes", len(value)).format(n=len(value))
    if question.type is FieldType.MULTIPLE_CHOICE:
        return _("{n} sur {total} cochés").format(n=len(value), total=len(question.choices))
    return ""


def _number(n: int) -> str:
    return format_decimal(n)
