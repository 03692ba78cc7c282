"""The selection criteria a questionnaire declares (`criteres`) and the grid `aap evaluer` reads
from them: validated at load with located errors, statuses from the answers, the rules and the
signals, the same grid in the terminal, in JSON, in the dialogue and in the review document."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, plain, run_aap

from assistant import loading
from assistant.answers import apply_answers, parse_answers
from assistant.checks import check
from assistant.criteria import Status, assess
from assistant.dossier import Dossier
from assistant.model import Appel

IMAGINARY = FIXTURES / "questionnaires" / "appel_imaginaire.yaml"
IMAGINARY_ANSWERS = FIXTURES / "reponses" / "appel_imaginaire.yaml"
TODAY = date(2027, 1, 15)

# Criteria for the imaginary call, written with the questionnaire language alone.
CRITERIA: list[dict[str, Any]] = [
    {"id": "projet_decrit", "libelle": "Description du projet", "attendu": "Ce que fait le dispositif, pour qui.",
     "questions": ["description", "pathologies"],
     "signaux": [{"test": {"question": "description", "mentionne": ["infirmière", "infirmier"]},
                  "sinon": "Dites qui traite les alertes."}]},
    {"id": "calendrier", "libelle": "Un calendrier réaliste", "attendu": "Des étapes datées.",
     "questions": ["calendrier"],
     "signaux": [{"test": {"question": "calendrier", "compte": {"min": 3, "tel_que": {"champ": "echeance", "renseigne": True}}},
                  "sinon": "Datez au moins trois étapes."}]},
    {"id": "budget", "libelle": "Un budget justifié", "attendu": "Chaque ligne dit ce qu'elle paie.",
     "questions": ["depenses", "montant_demande"], "regles": ["budget_present"],
     "signaux": [{"test": {"question": "depenses", "compte": {"max": 0, "tel_que": {"champ": "libelle", "longueur_min": 60}}},
                  "sinon": "Gardez des libellés courts."}]},
]


def _questionnaire(tmp_path: Path, criteria: list[dict[str, Any]]) -> Path:
    data = yaml.safe_load(IMAGINARY.read_text(encoding="utf-8"))
    data["criteres"] = copy.deepcopy(criteria)
    path = tmp_path / "appel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _appel(tmp_path: Path, criteria: list[dict[str, Any]] = CRITERIA) -> Appel:
    problems, appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert problems == [] and appel is not None, problems
    return appel


def _answers() -> dict[str, Any]:
    """The imaginary call's complete dossier, its description over a fifth of its advised length."""
    answers = yaml.safe_load(IMAGINARY_ANSWERS.read_text(encoding="utf-8"))["reponses"]
    answers["description"] = "\n\n".join([answers["description"].strip()] * 5)
    return answers


def _grid(appel: Appel, answers: dict[str, Any]) -> dict[str, Any]:
    dossier = Dossier.new("essai", appel)
    apply_answers(dossier, parse_answers(appel, answers))
    return {row.criterion.id: row for row in assess(dossier, check(dossier, TODAY))}


# -- declared and checked at load ---------------------------------------------------------------

@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c[0]["questions"].append("budget_total"), "critère projet_decrit: question inconnue « budget_total »"),
    (lambda c: c[2]["regles"].append("plafond"), "critère budget: règle inconnue « plafond »"),
    (lambda c: c[0]["signaux"][0]["test"].update(question="resume"),
     "critère projet_decrit › signal #1: la condition nomme une question inconnue « resume »"),
    (lambda c: c[1]["signaux"][0]["test"]["compte"]["tel_que"].update(champ="date"),
     "critère calendrier › signal #1: le groupe calendrier n'a pas de champ « date »"),
    (lambda c: c.append(copy.deepcopy(c[0])), "critère projet_decrit: identifiant en double"),
])
def test_a_criterion_that_names_what_the_call_lacks_is_a_located_error(tmp_path, change, expected):
    criteria = copy.deepcopy(CRITERIA)
    change(criteria)
    problems, _appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert expected in [plain(p) for p in problems], problems


def test_a_criterion_with_a_key_of_its_own_or_no_question_is_refused(tmp_path):
    criteria = copy.deepcopy(CRITERIA)
    criteria[0]["poids"] = 3
    criteria[1]["questions"] = []
    problems, _appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert sorted(plain(p) for p in problems) == [
        "critère calendrier: valeur invalide pour « questions » (attendu : une liste non vide)",
        "critère projet_decrit: clé inconnue « poids »"], problems


def test_aap_appels_valider_locates_a_criterion_error(tmp_path):
    criteria = copy.deepcopy(CRITERIA)
    criteria[2]["questions"].append("cout_total")
    result = run_aap("appels", "--valider", str(_questionnaire(tmp_path, criteria)))
    assert result.returncode == 2
    assert "critère budget: question inconnue « cout_total »" in plain(result.stdout + result.stderr)


# -- the statuses ------------------------------------------------------------------------------

def test_the_complete_imaginary_dossier_reads_solid_where_it_is(tmp_path):
    grid = _grid(_appel(tmp_path), _answers())
    assert grid["projet_decrit"].status is Status.SOLID, grid["projet_decrit"].weak
    assert grid["budget"].status is Status.SOLID, grid["budget"].weak
    assert grid["budget"].next_step is None
    # Three dated steps: the signal holds; what it provides is said with its measure.
    assert grid["calendrier"].status is Status.SOLID
    assert [(p.question, p.measure) for p in grid["calendrier"].provided] == [("calendrier", "3 lignes")]


def test_a_long_answer_under_a_third_of_its_advised_length_is_said_brief(tmp_path):
    answers = _answers()
    answers["description"] = "Une infirmière traite les alertes du matin. " * 16 + "Une infirmi"  # 715 characters
    grid = _grid(_appel(tmp_path), answers)
    assert [plain(w) for w in grid["projet_decrit"].weak] == [
        "Développez « Description du projet » : 715 caractères, pour 4 000 conseillés au plus."]
    assert plain(grid["projet_decrit"].provided[0].measure) == "715 caractères, 4 000 conseillés au plus"


def test_a_criterion_none_of_whose_questions_is_answered_is_absent(tmp_path):
    answers = _answers()
    del answers["calendrier"]
    grid = _grid(_appel(tmp_path), answers)
    assert grid["calendrier"].status is Status.ABSENT
    assert grid["calendrier"].provided == []
    assert plain(grid["calendrier"].next_step) == "Répondez à « Calendrier de mise en œuvre »."


def test_a_failing_signal_makes_the_criterion_to_strengthen_with_its_advice_first(tmp_path):
    answers = _answers()
    answers["calendrier"] = answers["calendrier"][:2]
    grid = _grid(_appel(tmp_path), answers)
    assert grid["calendrier"].status is Status.TO_STRENGTHEN
    assert grid["calendrier"].next_step == "Datez au moins trois étapes."
    assert grid["projet_decrit"].status is Status.SOLID  # only that one is flagged


def test_a_missing_question_of_a_partly_answered_criterion_comes_before_its_signals(tmp_path):
    answers = _answers()
    del answers["pathologies"]
    answers["description"] = "La télésurveillance suit les patients à domicile."
    grid = _grid(_appel(tmp_path), answers)
    row = grid["projet_decrit"]
    assert row.status is Status.TO_STRENGTHEN
    assert [plain(w) for w in row.weak] == [
        "Répondez à « Pathologies suivies en télésurveillance ».", "Dites qui traite les alertes.",
        "Développez « Description du projet » : 49 caractères, pour 4 000 conseillés au plus."]


def test_a_finding_of_a_rule_the_criterion_names_is_what_to_do_first(tmp_path):
    answers = _answers()
    del answers["montant_demande"]
    grid = _grid(_appel(tmp_path), answers)
    row = grid["budget"]
    assert row.status is Status.TO_STRENGTHEN
    assert "montant" in row.next_step.lower(), row.weak


def test_count_with_max_zero_says_no_item_meets_the_condition(tmp_path):
    answers = _answers()
    answers["depenses"][0]["libelle"] = "Balances connectées et tensiomètres, 200 kits livrés et installés chez les patients"
    grid = _grid(_appel(tmp_path), answers)
    assert grid["budget"].weak == ["Gardez des libellés courts."]


def test_a_call_without_criteria_has_an_empty_grid_and_says_so(tmp_path):
    appel = _appel(tmp_path, [])
    dossier = Dossier.new("essai", appel)
    assert assess(dossier, []) == []
