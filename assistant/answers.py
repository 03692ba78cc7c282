"""Answers files for `aap remplir`: `{appel: ID, nom: NOM, reponses: {question_id: value}}`, in
YAML or JSON. Every answer goes through the dialogue's parsers; every problem is listed with its
path (`reponses.depenses[2].montant: …`) and nothing is written unless all of them pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dossier import Dossier, slugify
from .errors import AapError, InvalidAnswer, UsageError
from .i18n import _, ngettext
from .model import MAX_ANSWERS_BYTES, Appel
from .parsing import parse_answer
from .text import shorten

if TYPE_CHECKING:
    from .store import Store

# Read while bounded: `--reponses /dev/zero` stops here. Whatever a file holds, the answers it
# may set are bounded in turn (model.MAX_ANSWERS_BYTES) so that the dossier stays readable.
MAX_ANSWERS_FILE_BYTES = 5_000_000
# A file of thousands of mistakes is reported by its first ones, not by pages of them.
MAX_REPORTED_PROBLEMS = 50
_KEYS = ("appel", "nom", "reponses")


@dataclass(frozen=True)
class AnswersFile:
    appel: str | None
    name: str | None
    answers: dict[str, Any]


def read_answers_file(path: Path) -> AnswersFile:
    """Read an answers file through the strict reader (YAML or JSON); AapError with every problem
    of its shape."""
    from .reading import parse_document, read_text

    data = parse_document(read_text(path, MAX_ANSWERS_FILE_BYTES), path)
    problems = []
    if not isinstance(data, dict):
        raise AapError(_("{fichier} doit contenir les clés appel, nom et reponses").format(fichier=path))
    problems += [_("{cle}: clé inconnue (clés possibles : appel, nom, reponses)").format(cle=shorten(k))
                 for k in data if k not in _KEYS]
    answers = data.get("reponses", {})
    if not isinstance(answers, dict):
        problems.append(_("reponses: un ensemble « question: réponse » est attendu"))
    for key in ("appel", "nom"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(_("{cle}: un texte est attendu").format(cle=key))
    if problems:
        raise AapError(_("{fichier} n'est pas un fichier de réponses valide").format(fichier=path),
                       details=_bounded(problems))
    return AnswersFile(appel=data.get("appel"), name=data.get("nom"), answers=answers or {})


def parse_answers(appel: Appel, answers: dict[str, Any]) -> dict[str, Any]:
    """Parse every answer; raise one error listing every problem. None means: clear the answer.
    All the answers together must fit in a dossier aap can read back (MAX_ANSWERS_BYTES)."""
    from .reading import encoded_size, megabytes
    from .values import encode

    parsed: dict[str, Any] = {}
    problems: list[str] = []
    size = 0
    for question_id, raw in answers.items():
        place = f"reponses.{shorten(str(question_id))}"
        question = appel.question(str(question_id))
        if question is None:
            problems.append(_("{place}: question inconnue de l'appel {appel}").format(place=place, appel=appel.id))
            continue
        if raw is None:
            parsed[question.id] = None
            continue
        try:
            parsed[question.id] = parse_answer(question, raw)
        except InvalidAnswer as error:
            problems += [f"{place}{d}" for d in error.details] or [f"{place}: {error.message}"]
            continue
        size += encoded_size(encode(question, parsed[question.id]), depth=2)
    if size > MAX_ANSWERS_BYTES and not problems:
        problems.append(_("les réponses prendraient {taille} Mo dans le dossier ; {max} Mo au plus : "
                          "raccourcissez les textes ou répartissez-les entre plusieurs dossiers").format(
            taille=megabytes(size), max=megabytes(MAX_ANSWERS_BYTES)))
    if problems:
        raise AapError(
            _("aucune réponse n'a été enregistrée : corrigez le fichier de réponses puis relancez la commande"),
            details=_bounded(problems),
        )
    return parsed


def _bounded(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_REPORTED_PROBLEMS:
        return problems
    rest = len(problems) - MAX_REPORTED_PROBLEMS
    return [*problems[:MAX_REPORTED_PROBLEMS],
            ngettext("… et {n} autre problème", "… et {n} autres problèmes", rest).format(n=rest)]


def apply_answers(dossier: Dossier, parsed: dict[str, Any]) -> int:
    """Set the parsed answers; answers the file does not mention are kept. Returns how many changed."""
    return sum(dossier.set(question_id, value) for question_id, value in parsed.items())


# Without a dialogue nobody is there to retry: `remplir` waits this long for another writer.
LOCK_WAIT_SECONDS = 10


def fill(store: Store, path: Path, appel_id: str | None, name: str | None) -> tuple[Dossier, int]:
    """`aap remplir`: create or update a dossier from an answers file, all or nothing."""
    from .loading import find_appel

    content = read_answers_file(path)
    appel_id, name = appel_id or content.appel, name or content.name
    if not appel_id:
        raise UsageError(_("le fichier de réponses ne dit pas à quel appel il répond : "
                           "ajoutez « appel: ID » ou utilisez --appel"))
    if not name:
        raise UsageError(_("le fichier de réponses ne donne pas de nom de dossier : ajoutez « nom: NOM » ou utilisez --nom"))
    appel = find_appel(appel_id)
    name = slugify(name)
    name = store.find(name)  # an existing `projet-été` is the dossier `projet ete` designates
    parsed = parse_answers(appel, content.answers)
    with store.session(name, wait=LOCK_WAIT_SECONDS) as session:
        new = not store.exists(name)
        dossier = Dossier.new(name, appel) if new else session.load()
        if dossier.appel.id != appel.id:
            raise UsageError(_("le dossier « {nom} » répond à l'appel {appel}, pas à {autre}").format(
                nom=name, appel=dossier.appel.id, autre=appel.id))
        changed = apply_answers(dossier, parsed)
        if new:
            session.save_new(dossier)
        else:
            session.save(dossier)
    return dossier, changed
