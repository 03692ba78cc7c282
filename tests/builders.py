"""Dossiers for tests and benchmarks: the shipped example, and a large one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "exemples" / "idf-2022-exemple.yaml"
IDF = "idf-2022-actes-interventionnels"


def dossier_from(answers: dict[str, Any], name: str = "essai", appel_id: str = IDF):
    """A dossier holding these answers, parsed as `aap remplir` would."""
    from assistant import loading
    from assistant.answers import apply_answers, parse_answers
    from assistant.dossier import Dossier

    appel = loading.find_appel(appel_id)
    dossier = Dossier.new(name, appel)
    apply_answers(dossier, parse_answers(appel, answers))
    return dossier


def create(store, name: str, appel):
    """A new dossier in the store, made as `aap nouveau` makes it: under its lock."""
    from assistant.dossier import slugify

    with store.session(slugify(name)) as session:
        return session.create(appel)


def save(store, dossier) -> None:
    """Save a dossier as the dialogue does: holding its lock."""
    with store.session(dossier.name) as session:
        session.save(dossier)


def example_answers() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["reponses"]


def large_answers(members: int = 30, lines: int = 300, text_chars: int = 80_000) -> dict[str, Any]:
    """The example grown to the issue's large dossier: 30 members, 300 budget lines, 80,000
    characters of text spread over the long answers."""
    answers = example_answers()
    answers["equipe"] = [
        {"nom": f"Professionnel {n}", "fonction": "Infirmière de coordination",
         "role": f"Coordonne l'étape {n} du parcours et en suit les indicateurs", "etp": "0,1"}
        for n in range(1, members + 1)
    ]
    answers["depenses"] = [
        {"nature": "equipement", "libelle": f"Équipement numéro {n}", "montant": "1 234,56", "part_ars": "100"}
        for n in range(1, lines + 1)
    ]
    long_fields = ["objectifs", "contexte", "description_projet", "parcours_patient", "methode_travail",
                   "information_patient", "evaluation", "affectation"]
    paragraph = "Le parcours du patient est décrit étape par étape, avec les professionnels concernés. "
    per_field = text_chars // len(long_fields)
    for field in long_fields:
        answers[field] = ((paragraph * (per_field // len(paragraph) + 1))[:per_field - 2] + "\n\n").strip()
    return answers
