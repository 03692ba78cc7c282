"""Answers files for `aap remplir`: `{appel: ID, nom: NOM, reponses: {question_id: value}}`, in
YAML or JSON. Every answer goes through the dialogue's parsers; every problem is listed with its
path (`reponses.depenses[2].montant: …`) and nothing is written unless all of them pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dossier import Dossier, slugify
from .errors import AapError, InvalidAnswer, UsageError
from .i18n import _
from .model import Appel
from .parsing import parse_answer

if TYPE_CHECKING:
    from .store import Store

MAX_ANSWERS_BYTES = 10_000_000
_KEYS = ("appel", "nom", "reponses")


@dataclass(frozen=True)
class AnswersFile:
    appel: str | None
    name: str | None
    answers: dict[str, Any]


def read_answers_file(path: Path) -> AnswersFile:
    import yaml

    from .loading import safe_yaml

    try:
        if path.stat().st_size > MAX_ANSWERS_BYTES:
            raise AapError(_("{fichier} est trop volumineux pour un fichier de réponses").format(fichier=path))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AapError(_("le fichier de réponses {fichier} n'existe pas").format(fichier=path)) from None
    except IsADirectoryError:
        raise AapError(_("{fichier} est un répertoire, pas un fichier de réponses").format(fichier=path)) from None
    except UnicodeDecodeError:
        raise AapError(_("{fichier} n'est pas un fichier texte UTF-8").format(fichier=path)) from None
    except OSError as error:
        raise AapError(_("lecture de {fichier} impossible : {raison}").format(fichier=path, raison=error.strerror)) from None
    try:
        data = safe_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise AapError(_("{fichier} : syntaxe YAML ou JSON invalide ligne {ligne}").format(fichier=path, ligne=line)) from None
    problems = []
    if not isinstance(data, dict):
        raise AapError(_("{fichier} doit contenir les clés appel, nom et reponses").format(fichier=path))
    problems += [_("{cle}: clé inconnue (clés possibles : appel, nom, reponses)").format(cle=k) for k in data if k not in _KEYS]
    answers = data.get("reponses", {})
    if not isinstance(answers, dict):
        problems.append(_("reponses: un ensemble « question: réponse » est attendu"))
    for key in ("appel", "nom"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(_("{cle}: un texte est attendu").format(cle=key))
    if problems:
        raise AapError(_("{fichier} n'est pas un fichier de réponses valide").format(fichier=path), details=problems)
    return AnswersFile(appel=data.get("appel"), name=data.get("nom"), answers=answers or {})


def parse_answers(appel: Appel, answers: dict[str, Any]) -> dict[str, Any]:
    """Parse every answer; raise one error listing every problem. None means: clear the answer."""
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    for question_id, raw in answers.items():
        place = f"reponses.{question_id}"
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
    if problems:
        raise AapError(
            _("aucune réponse n'a été enregistrée : corrigez le fichier de réponses puis relancez la commande"),
            details=problems,
        )
    return parsed


def apply_answers(dossier: Dossier, parsed: dict[str, Any]) -> int:
    """Set the parsed answers; answers the file does not mention are kept. Returns how many changed."""
    return sum(dossier.set(question_id, value) for question_id, value in parsed.items())


def fill(store: Store, path: Path, appel_id: str | None, name: str | None) -> tuple[Dossier, int]:
    """`aap remplir`: create or update a dossier from an answers file, all or nothing."""
    from .loading import find_appel

    content = read_answers_file(path)
    appel_id, name = appel_id or content.appel, name or content.name
    if not appel_id:
        raise UsageError(_("le fichier de réponses ne dit pas à quel appel il répond : ajoutez « appel: ID » ou utilisez --appel"))
    if not name:
        raise UsageError(_("le fichier de réponses ne donne pas de nom de dossier : ajoutez « nom: NOM » ou utilisez --nom"))
    appel = find_appel(appel_id)
    name = slugify(name)
    parsed = parse_answers(appel, content.answers)
    store.ensure_folder()
    with store.lock(name):
        dossier = store.load(name) if store.exists(name) else Dossier.new(name, appel)
        if dossier.appel.id != appel.id:
            raise UsageError(_("le dossier « {nom} » répond à l'appel {appel}, pas à {autre}").format(
                nom=name, appel=dossier.appel.id, autre=appel.id))
        changed = apply_answers(dossier, parsed)
        store.save(dossier)
    return dossier, changed
