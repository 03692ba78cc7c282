"""The declared rule language of the questionnaires (`regles`, and the `si` of questions and
rules): every rule kind, every term and every condition test, each once where it fires and
once where it does not, at the boundary (the day before / of / after, 50 % / 50,01 %, 12 / 11
characters, N / N-1 words…); the three-valued combinators; what is unknown (a required answer
still to come) and what is not (an item's field left empty is false; an optional group left out
is empty); the answers of questions no longer asked, kept but counting for nothing; a third,
imaginary call written with the language alone (tests/fixtures/questionnaires/appel_imaginaire.yaml),
checked through `aap remplir` and `aap verifier`; and the located lint error of every new
construct misused, said once."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, plain, run_aap

from assistant import loading
from assistant.answers import apply_answers, parse_answers
from assistant.checks import Finding, check
from assistant.dossier import Dossier
from assistant.identifiers import luhn_valid, parse_finess
from assistant.lint import lint
from assistant.model import Appel
from assistant.rules import Condition, Offset, Operand, Severity

IMAGINARY = FIXTURES / "questionnaires" / "appel_imaginaire.yaml"
IMAGINARY_ANSWERS = FIXTURES / "reponses" / "appel_imaginaire.yaml"
IMAGINARY_ID = "ars-cvl-2027-telesurveillance"
DEADLINE = date(2027, 3, 31)  # the deadline of the test call and of the imaginary one
TODAY = date(2027, 1, 15)  # before it: no deadline finding unless a test asks


def _amount(text: str) -> Decimal:
    return Decimal(text)


def _finess(first_eight: str) -> str:
    """A FINESS number with a valid key: `_finess("2A000123")` (Corse's letters count as 21 / 22)."""
    digits = {"2A": "21", "2B": "22"}.get(first_eight[:2], first_eight[:2]) + first_eight[2:]
    key = next(k for k in "0123456789" if luhn_valid(digits + k))
    return parse_finess(first_eight + key)


# -- a small call, built in Python ------------------------------------------------------------------

def _choices(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "libelle": i.capitalize()} for i in ids]


def _questions() -> list[dict[str, Any]]:
    """One question of each type the language reads; all optional, so that only the rule under
    test speaks (a missing required answer hides the findings about it)."""
    questions: list[dict[str, Any]] = [
        {"id": "montant", "libelle": "Montant", "type": "montant"},
        {"id": "demande", "libelle": "Aide demandée", "type": "montant"},
        {"id": "nombre", "libelle": "Nombre de patients", "type": "entier"},
        {"id": "taux", "libelle": "Taux d'occupation", "type": "pourcentage"},
        {"id": "duree", "libelle": "Durée en années", "type": "decimal"},
        {"id": "debut", "libelle": "Début", "type": "date"},
        {"id": "fin", "libelle": "Fin", "type": "date"},
        {"id": "titre", "libelle": "Titre", "type": "texte"},
        {"id": "texte", "libelle": "Description", "type": "texte_long"},
        {"id": "finess", "libelle": "FINESS géographique", "type": "finess"},
        {"id": "accord", "libelle": "Accord", "type": "oui_non"},
        {"id": "statut", "libelle": "Statut", "type": "choix", "choix": _choices("public", "prive")},
        {"id": "activites", "libelle": "Activités", "type": "choix_multiple", "choix": _choices("radio", "cardio")},
        {"id": "equipe", "libelle": "Équipe", "type": "groupe", "champs": [
            {"id": "nom", "libelle": "Nom", "type": "texte"},
            {"id": "fonction", "libelle": "Fonction", "type": "texte"},
            {"id": "role", "libelle": "Rôle", "type": "texte"}]},
        {"id": "lignes", "libelle": "Dépenses", "type": "groupe", "champs": [
            {"id": "nature", "libelle": "Nature", "type": "choix", "choix": _choices("equipement", "formation"),
             "obligatoire": False},
            {"id": "libelle", "libelle": "Libellé", "type": "texte"},
            {"id": "montant", "libelle": "Montant", "type": "montant"},
            {"id": "part", "libelle": "Part ARS", "type": "montant", "obligatoire": False},
            {"id": "echeance", "libelle": "Échéance", "type": "date", "obligatoire": False}]},
        {"id": "detail", "libelle": "Détail", "type": "texte"},
    ]
    return [{**q, "obligatoire": False} for q in questions]


def _required(*ids: str) -> list[dict[str, Any]]:
    """The questions of the small call, these ones required."""
    return [{**q, "obligatoire": q["id"] in ids} for q in _questions()]


def _data(*rules: dict[str, Any], questions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": "essai-langage", "titre": "Essai du langage de règles", "agence": "ARS Essai",
        "texte_reference": "Appel d'essai", "plateforme_depot": "https://exemple.fr/depot",
        "date_limite": DEADLINE.isoformat(), "plafond": 40000,
        "sections": [{"id": "s", "titre": "Section", "questions": questions if questions is not None else _questions()}],
        "regles": [_rule(r) for r in rules],
    }


def _rule(body: dict[str, Any]) -> dict[str, Any]:
    """A rule `r` (unless the body names its id), an error quoting the call."""
    return {"id": "r", "gravite": "erreur", "message": "m", "source": "« La phrase de l'appel. »", **body}


def _appel(*rules: dict[str, Any], questions: list[dict[str, Any]] | None = None) -> Appel:
    appel = Appel.model_validate(_data(*rules, questions=questions))
    assert lint(appel) == [], lint(appel)  # every rule written here is a valid one
    return appel


def _dossier(appel: Appel, **answers: Any) -> Dossier:
    dossier = Dossier.new("essai", appel)
    for question_id, value in answers.items():
        if value is not None:
            dossier.set(question_id, value)
    return dossier


def _findings(appel: Appel, today: date = TODAY, **answers: Any) -> list[Finding]:
    return [f for f in check(_dossier(appel, **answers), today) if f.rule == "r"]


def _fires(appel: Appel, today: date = TODAY, **answers: Any) -> bool:
    return bool(_findings(appel, today, **answers))


def _line(libelle: str, montant: str, **fields: Any) -> dict[str, Any]:
    return {"libelle": libelle, "montant": _amount(montant), **fields}


# -- the kinds that were there before ---------------------------------------------------------------

@pytest.mark.parametrize(("amount", "fires"), [("39999.99", False), ("40000.00", False), ("40000.01", True)])
def test_plafond_fires_one_cent_over_the_cap(amount, fires):
    appel = _appel({"type": "plafond", "question": "montant", "montant": 40000})
    assert _fires(appel, montant=_amount(amount)) is fires


def test_plafond_says_nothing_without_an_answer():
    assert not _fires(_appel({"type": "plafond", "question": "montant", "montant": 40000}))


@pytest.mark.parametrize(("operator", "left", "fires"), [
    ("<=", "100.00", False), ("<=", "100.01", True),
    ("<", "99.99", False), ("<", "100.00", True),
    ("=", "100.00", False), ("=", "100.01", True), ("=", "99.99", True),
    (">=", "100.00", False), (">=", "99.99", True),
    (">", "100.01", False), (">", "100.00", True),
])
def test_comparaison_each_operator_at_the_boundary(operator, left, fires):
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": operator,
                    "droite": {"question": "demande"}})
    assert _fires(appel, montant=_amount(left), demande=_amount("100")) is fires


def test_comparaison_adds_the_terms_of_a_side():
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
                    "droite": [{"question": "demande"}, {"nombre": 10}]})
    assert not _fires(appel, montant=_amount("110"), demande=_amount("100"))
    assert _fires(appel, montant=_amount("110.01"), demande=_amount("100"))


def test_comparaison_concludes_nothing_when_a_term_is_missing():
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
                    "droite": {"question": "demande"}})
    assert not _fires(appel, montant=_amount("1000000"))
    assert not _fires(appel, demande=_amount("-1"))


@pytest.mark.parametrize(("question", "value", "fires"), [
    ("titre", None, True), ("titre", "Un titre", False),
    ("montant", _amount("0"), True), ("montant", _amount("0.01"), False),  # an amount of zero is no answer
    ("lignes", [], True), ("lignes", [_line("Ligne", "1")], False),
])
def test_obligatoire_fires_when_the_answer_is_missing(question, value, fires):
    appel = _appel({"type": "obligatoire", "questions": [question], "message": "Complétez « {question} »."})
    found = _findings(appel, **{question: value})
    assert bool(found) is fires
    if fires:
        assert found[0].question == question


@pytest.mark.parametrize(("items", "fires"), [(0, True), (1, True), (2, False), (3, False), (4, True)])
def test_nombre_fires_below_min_and_above_max(items, fires):
    appel = _appel({"type": "nombre", "groupe": "lignes", "min": 2, "max": 3, "message": "{nombre} ({min}–{max})"})
    lines = [_line(f"Ligne {n}", "1") for n in range(items)]
    found = _findings(appel, lignes=lines or None)
    assert bool(found) is fires
    if fires:
        assert found[0].values == {"nombre": str(items), "min": "2", "max": "3"}


@pytest.mark.parametrize(("role", "fires"), [
    ("Rédige les guides", False),  # 17 characters
    ("Rédige le guide", False),  # 15: the minimum
    ("Rédige un plan", True),  # 14
    ("Participant au projet", True),  # long enough, but a vague term
])
def test_roles_fires_on_a_short_or_vague_role(role, fires):
    appel = _appel({"type": "roles", "groupe": "equipe", "longueur_min": 15, "termes_vagues": ["membre", "participant au projet"],
                    "message": "Le rôle de {nom} (« {role} »)"})
    found = _findings(appel, equipe=[{"nom": "Claire Martin", "fonction": "Cadre de santé", "role": role}])
    assert bool(found) is fires
    if fires:
        assert found[0].item == "Claire Martin" and found[0].values["role"] == role


def test_roles_says_when_a_required_function_is_missing_with_its_own_severity():
    appel = _appel({"type": "roles", "groupe": "equipe", "message": "m", "fonctions_requises": [
        {"libelle": "un médecin", "motifs": ["médecin", "radiologue"], "gravite": "conseil", "message": "Un médecin ?"}]})
    member = {"nom": "Claire Martin", "fonction": "Radiologue interventionnelle", "role": "Valide les protocoles du projet"}
    assert not _fires(appel, equipe=[member])
    found = _findings(appel, equipe=[{**member, "fonction": "Infirmière"}])
    assert [(f.message, f.severity) for f in found] == [("Un médecin ?", Severity.ADVICE)]


@pytest.mark.parametrize(("ticked", "missing"), [(["radio", "cardio"], None), (["cardio"], "Radio"), (["radio"], "Cardio")])
def test_tous_coches_fires_when_a_choice_is_not_ticked(ticked, missing):
    appel = _appel({"type": "tous_coches", "question": "activites", "message": "Il manque {manquants}."})
    found = _findings(appel, activites=ticked)
    assert [f.values["manquants"] for f in found] == ([missing] if missing else [])


@pytest.mark.parametrize(("answer", "fires"), [(True, False), (False, True), (None, False)])
def test_egal_a_fires_on_another_answer_only(answer, fires):
    appel = _appel({"type": "egal_a", "question": "accord", "valeur": True})
    assert _fires(appel, accord=answer) is fires


@pytest.mark.parametrize(("today", "fires"), [(date(2027, 3, 30), False), (DEADLINE, False), (date(2027, 4, 1), True)])
def test_date_limite_fires_from_the_day_after_the_deadline(today, fires):
    appel = _appel({"type": "date_limite", "message": "Passée depuis le {date}."})
    found = _findings(appel, today)
    assert bool(found) is fires
    if fires:
        assert found[0].values["date"] == "31 mars 2027"


# -- the new kinds: condition, elements -----------------------------------------------------------

@pytest.mark.parametrize(("titre", "fires"), [("Un titre assez long", False), ("Court", True), (None, False)])
def test_condition_fires_when_doit_does_not_hold_and_never_on_a_missing_answer(titre, fires):
    appel = _appel({"type": "condition", "doit": {"question": "titre", "longueur_min": 12},
                    "message": "{question} : « {valeur} »"})
    found = _findings(appel, titre=titre)
    assert bool(found) is fires
    if fires:
        assert found[0].question == "titre" and found[0].message == "Titre : « Court »"


@pytest.mark.parametrize(("labels", "fires"), [
    (["Licence de plateforme", "Balances connectées"], False),  # two precise labels: the minimum
    (["Licence de plateforme", "Balances connectées", "Divers"], False),
    (["Licence de plateforme", "Divers"], True),
    ([], True),
])
def test_elements_fires_when_fewer_than_min_items_meet_the_condition(labels, fires):
    appel = _appel({"type": "elements", "groupe": "lignes", "min": 2, "message": "{nombre} sur {min}",
                    "tel_que": {"champ": "libelle", "longueur_min": 12}})
    found = _findings(appel, lignes=[_line(label, "1") for label in labels] or None)
    assert bool(found) is fires
    if fires:
        # The items that do not meet it are named, for the user to rework them.
        assert found[0].values == {"nombre": str(len(labels) - 1 if labels else 0), "min": "2",
                                   "ecartes": "« Divers »" if labels else ""}


def test_elements_counts_an_item_that_cannot_be_told_yet_as_one_that_may_meet_it():
    appel = _appel({"type": "elements", "groupe": "lignes", "tel_que": {"champ": "echeance", "au_plus": {"question": "fin"}}})
    late = [_line("Bilan", "1", echeance=date(2027, 7, 1))]
    assert not _fires(appel, lignes=late)  # `fin` missing: the bound is unknown
    assert _fires(appel, lignes=late, fin=date(2027, 6, 30))
    assert not _fires(appel, lignes=late, fin=date(2027, 7, 1))


@pytest.mark.parametrize(("echeance", "fires"), [(None, True), (date(2027, 12, 31), False), (date(2028, 1, 1), True)])
def test_elements_an_item_whose_optional_field_is_empty_does_not_meet_the_condition(echeance, fires):
    """An item's field left empty is no answer still to come: the item does not meet the test
    (it is not counted as one that may meet it)."""
    appel = _appel({"type": "elements", "groupe": "lignes", "message": "{nombre} sur {min}",
                    "tel_que": {"champ": "echeance", "au_plus": {"date": "2027-12-31"}}})
    line = _line("Bilan", "1") if echeance is None else _line("Bilan", "1", echeance=echeance)
    found = _findings(appel, lignes=[line])
    assert bool(found) is fires
    if fires:
        assert found[0].values == {"nombre": "0", "min": "1", "ecartes": "« Bilan »"}


def test_elements_non_of_a_test_on_an_empty_field_holds():
    appel = _appel({"type": "elements", "groupe": "lignes", "min": 2, "message": "{nombre} sur {min}",
                    "tel_que": {"non": {"champ": "nature", "egal": "formation"}}})
    assert not _fires(appel, lignes=[_line("Sans nature", "1"), _line("Balances", "1", nature="equipement")])
    found = _findings(appel, lignes=[_line("Sans nature", "1"), _line("Formation", "1", nature="formation")])
    # the line without nature meets it: counted
    assert [f.values for f in found] == [{"nombre": "1", "min": "2", "ecartes": "« Formation »"}]


PRECISE_LABELS = {"type": "elements", "groupe": "lignes", "message": "{nombre} sur {min}",
                  "tel_que": {"champ": "libelle", "longueur_min": 12}}


@pytest.mark.parametrize("empty", [None, []])
def test_elements_on_a_required_group_left_empty_gives_only_the_missing_answer_once(empty):
    appel = _appel(PRECISE_LABELS, questions=_required("lignes"))
    findings = check(_dossier(appel, lignes=empty), TODAY)
    assert [(f.rule, f.question) for f in findings] == [("reponse_manquante", "lignes")]
    # answered, the rule speaks again
    findings = check(_dossier(appel, lignes=[_line("Divers", "1")]), TODAY)
    assert [(f.rule, f.question) for f in findings] == [("r", "lignes")]


@pytest.mark.parametrize("empty", [None, []])
def test_elements_on_an_optional_group_left_empty_fires(empty):
    appel = _appel(PRECISE_LABELS)
    findings = check(_dossier(appel, lignes=empty), TODAY)
    assert [(f.rule, f.question, f.values) for f in findings] == [("r", "lignes", {"nombre": "0", "min": "1", "ecartes": ""})]


def test_elements_on_a_required_group_that_is_not_asked_says_nothing():
    questions = _required("lignes")
    next(q for q in questions if q["id"] == "lignes")["si"] = {"question": "accord", "egal": True}
    appel = _appel(PRECISE_LABELS, questions=questions)
    assert check(_dossier(appel, accord=False), TODAY) == []
    assert [f.rule for f in check(_dossier(appel, accord=True), TODAY)] == ["reponse_manquante"]


# -- terms (operands) -------------------------------------------------------------------------------

@pytest.mark.parametrize(("second", "fires"), [("400.00", False), ("400.01", True)])
def test_somme_adds_a_field_of_every_item(second, fires):
    appel = _appel({"type": "comparaison", "gauche": {"somme": "lignes.montant"}, "operateur": "<=", "droite": {"nombre": 1000}})
    assert _fires(appel, lignes=[_line("A", "600"), _line("B", second)]) is fires


def test_somme_of_an_empty_group_is_zero():
    """An optional group left out is an empty one (no co-funding is 0 €)."""
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
                    "droite": {"somme": "lignes.montant"}})
    assert _fires(appel, montant=_amount("0.01"))
    assert not _fires(appel, montant=_amount("0"))
    assert _fires(appel, montant=_amount("0.01"), lignes=[])


@pytest.mark.parametrize("term", [
    {"somme": "lignes.montant"},
    {"somme": "lignes.montant", "si": {"champ": "nature", "egal": "equipement"}},
    {"pourcentage": 50, "de": {"somme": "lignes.montant"}},
], ids=["somme", "somme filtree", "pourcentage d'une somme"])
@pytest.mark.parametrize("empty", [None, []])
def test_a_sum_over_a_required_group_not_answered_makes_the_comparison_conclude_nothing(term, empty):
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=", "droite": term},
                   questions=_required("lignes"))
    findings = check(_dossier(appel, montant=_amount("0.02"), lignes=empty), TODAY)
    assert [(f.rule, f.question) for f in findings] == [("reponse_manquante", "lignes")]
    # answered, the sum is known and the comparison concludes
    assert _fires(appel, montant=_amount("0.02"), lignes=[_line("Balances", "0.01", nature="equipement")])


@pytest.mark.parametrize(("second", "fires"), [("400.00", False), ("400.01", True)])
def test_a_filtered_sum_counts_only_the_matching_items(second, fires):
    appel = _appel({"type": "comparaison", "operateur": "<=", "droite": {"nombre": 1000}, "message": "{gauche} > {droite}",
                    "gauche": {"somme": "lignes.montant", "si": {"champ": "nature", "egal": "equipement"}}})
    lines = [
        _line("Balances", "600", nature="equipement"),
        _line("Formation des patients", "50000", nature="formation"),  # not equipment: not counted
        _line("Tensiomètres", second, nature="equipement"),
        _line("Sans nature", "9999"),  # its nature left empty: not kept by the filter
    ]
    found = _findings(appel, lignes=lines)
    assert bool(found) is fires
    if fires:
        assert plain(found[0].values["gauche"]) == "1 000,01 €"
        assert found[0].question == "lignes"


def test_a_filtered_sum_leaves_out_the_items_without_the_field_and_still_concludes():
    appel = _appel({"type": "comparaison", "operateur": ">=", "droite": {"nombre": 1}, "message": "{gauche} < {droite}",
                    "gauche": {"somme": "lignes.montant", "si": {"champ": "nature", "egal": "equipement"}}})
    found = _findings(appel, lignes=[_line("Sans nature", "9999")])
    assert [plain(f.values["gauche"]) for f in found] == ["0,00 €"]  # a total of 0, not an unknown one
    assert not _fires(appel, lignes=[_line("Sans nature", "9999"), _line("Balances", "1", nature="equipement")])


@pytest.mark.parametrize(("amount", "fires"), [("100.00", False), ("100.01", True)])
def test_a_filtered_sum_with_non_keeps_the_items_without_the_field(amount, fires):
    appel = _appel({"type": "comparaison", "operateur": "<=", "droite": {"nombre": 100},
                    "gauche": {"somme": "lignes.montant", "si": {"non": {"champ": "nature", "egal": "formation"}}}})
    lines = [_line("Sans nature", amount), _line("Formation", "5000", nature="formation")]
    assert _fires(appel, lignes=lines) is fires


def test_a_filtered_sum_takes_a_combined_condition():
    appel = _appel({"type": "comparaison", "operateur": "<=", "droite": {"nombre": 100},
                    "gauche": {"somme": "lignes.montant", "si": {"et": [
                        {"non": {"champ": "nature", "egal": "formation"}}, {"champ": "libelle", "mentionne": ["licence"]}]}}})
    lines = [_line("Licence 3 ans", "100", nature="equipement"), _line("Licence formation", "5000", nature="formation"),
             _line("Balances", "5000", nature="equipement")]
    assert not _fires(appel, lignes=lines)
    lines[0]["montant"] = _amount("100.01")
    assert _fires(appel, lignes=lines)


def test_champ_in_pour_chaque_compares_each_item_and_names_it():
    appel = _appel({"type": "comparaison", "pour_chaque": "lignes", "gauche": {"champ": "part"}, "operateur": "<=",
                    "droite": {"champ": "montant"}, "message": "{numero} {element} : {gauche} > {droite}"})
    lines = [_line("Balances", "100", part=_amount("100")), _line("Licence", "100", part=_amount("100.01")),
             _line("Formation", "100")]  # no part: nothing to compare
    found = _findings(appel, lignes=lines)
    assert [f.item for f in found] == ["ligne 2 — Licence"]
    assert plain(found[0].message) == "2 Licence : 100,01 € > 100,00 €"


def test_pour_chaque_with_tel_que_compares_only_the_items_that_meet_it():
    appel = _appel({"type": "comparaison", "pour_chaque": "lignes", "tel_que": {"champ": "nature", "egal": "equipement"},
                    "gauche": {"champ": "montant"}, "operateur": "<=", "droite": {"nombre": 1000}})
    lines = [_line("Formation", "5000", nature="formation"), _line("Balances", "1000", nature="equipement"),
             _line("Sans nature", "5000")]  # its nature left empty: not compared
    assert not _fires(appel, lignes=lines)
    lines[1]["montant"] = _amount("1000.01")
    assert [f.item for f in _findings(appel, lignes=lines)] == ["ligne 2 — Balances"]


@pytest.mark.parametrize(("number", "fires"), [(2400, False), (2401, True)])
def test_nombre_term_against_an_integer_answer(number, fires):
    appel = _appel({"type": "comparaison", "gauche": {"question": "nombre"}, "operateur": "<=", "droite": {"nombre": 2400}})
    assert _fires(appel, nombre=number) is fires


@pytest.mark.parametrize(("operator", "day", "fires"), [
    ("<=", date(2027, 12, 30), False), ("<=", date(2027, 12, 31), False), ("<=", date(2028, 1, 1), True),
    ("<", date(2027, 12, 30), False), ("<", date(2027, 12, 31), True),
])
def test_a_date_term_at_the_day_before_of_and_after(operator, day, fires):
    appel = _appel({"type": "comparaison", "gauche": {"question": "fin"}, "operateur": operator,
                    "droite": {"date": "2027-12-31"}, "message": "{gauche} / {droite}"})
    found = _findings(appel, fin=day)
    assert bool(found) is fires
    if fires:
        assert found[0].values["droite"] == "31 décembre 2027"


@pytest.mark.parametrize(("day", "fires"), [(date(2027, 3, 30), True), (DEADLINE, True), (date(2027, 4, 1), False)])
def test_date_limite_term_is_the_calls_deadline(day, fires):
    appel = _appel({"type": "comparaison", "gauche": {"question": "debut"}, "operateur": ">", "droite": {"date": "date_limite"}})
    assert _fires(appel, debut=day) is fires


@pytest.mark.parametrize(("day", "fires"), [(date(2028, 3, 31), False), (date(2028, 4, 1), True)])
def test_the_deadline_moved_by_a_year(day, fires):
    appel = _appel({"type": "comparaison", "gauche": {"question": "debut"}, "operateur": "<=",
                    "droite": {"date": "date_limite", "decalage": {"ans": 1}}})
    assert _fires(appel, debut=day) is fires


@pytest.mark.parametrize(("share", "fires"), [("5000.00", False), ("5001.00", True), ("5000.01", True)])
def test_pourcentage_50_percent_passes_and_50_01_percent_fires(share, fires):
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
                    "droite": {"pourcentage": 50, "de": {"question": "demande"}}, "message": "{gauche} > {droite}"})
    found = _findings(appel, montant=_amount(share), demande=_amount("10000"))
    assert bool(found) is fires
    if fires:
        assert plain(found[0].values["droite"]) == "5 000,00 €"  # a share of an amount is an amount


def test_pourcentage_of_a_sum_with_a_decimal_rate_is_exact():
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
                    "droite": {"pourcentage": 12.5, "de": {"somme": "lignes.montant"}}})
    lines = [_line("A", "600"), _line("B", "200")]  # 12,5 % of 800 = 100
    assert not _fires(appel, montant=_amount("100"), lignes=lines)
    assert _fires(appel, montant=_amount("100.01"), lignes=lines)


def test_pourcentage_concludes_nothing_when_its_whole_is_missing():
    appel = _appel({"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
                    "droite": {"pourcentage": 50, "de": {"question": "demande"}}})
    assert not _fires(appel, montant=_amount("1000000"))


@pytest.mark.parametrize(("start", "offset", "expected"), [
    (date(2027, 1, 31), {"mois": 1}, date(2027, 2, 28)),  # the day is kept where the month has it
    (date(2028, 1, 31), {"mois": 1}, date(2028, 2, 29)),  # a leap year
    (date(2027, 3, 31), {"mois": -1}, date(2027, 2, 28)),
    (date(2027, 8, 31), {"mois": 6}, date(2028, 2, 29)),
    (date(2027, 11, 15), {"mois": 3}, date(2028, 2, 15)),  # across a year
    (date(2028, 2, 29), {"ans": 1}, date(2029, 2, 28)),
    (date(2027, 1, 31), {"mois": 1, "jours": 1}, date(2027, 3, 1)),  # months first, then days
    (date(2027, 12, 31), {"jours": 1}, date(2028, 1, 1)),
    (date(2027, 5, 3), {"ans": 1, "mois": 6, "jours": -3}, date(2028, 10, 31)),
])
def test_an_offset_moves_a_date_by_years_months_and_days(start, offset, expected):
    assert Offset.model_validate(offset).apply(start) == expected


def test_an_offset_out_of_the_calendar_gives_no_date():
    assert Offset.model_validate({"ans": 100}).apply(date(9950, 1, 1)) is None


@pytest.mark.parametrize(("start", "end", "fires", "bound"), [
    (date(2027, 1, 31), date(2027, 2, 28), False, "28 février 2027"),
    (date(2027, 1, 31), date(2027, 3, 1), True, "28 février 2027"),
    (date(2028, 1, 31), date(2028, 2, 29), False, "29 février 2028"),  # a leap year
    (date(2028, 1, 31), date(2028, 3, 1), True, "29 février 2028"),
])
def test_decalage_of_one_month_from_31_january_is_the_end_of_february(start, end, fires, bound):
    appel = _appel({"type": "comparaison", "gauche": {"question": "fin"}, "operateur": "<=",
                    "droite": {"question": "debut", "decalage": {"mois": 1}}, "message": "{gauche} > {droite}"})
    found = _findings(appel, debut=start, fin=end)
    assert bool(found) is fires
    if fires:
        assert plain(found[0].values["droite"]) == bound


def test_a_term_is_one_reference_exactly():
    with pytest.raises(ValueError, match="exactement une clé"):
        Operand.model_validate({"question": "montant", "nombre": 1})
    with pytest.raises(ValueError, match="« pourcentage » va avec « de »"):
        Operand.model_validate({"pourcentage": 50})
    with pytest.raises(ValueError, match="ne va qu'avec « somme »"):
        Operand.model_validate({"question": "montant", "si": {"champ": "nature", "egal": "equipement"}})


# -- condition tests --------------------------------------------------------------------------------

TESTS = [
    # (id, condition, the answers where it holds, the answers where it does not)
    ("egal oui_non", {"question": "accord", "egal": True}, {"accord": True}, {"accord": False}),
    ("egal choix", {"question": "statut", "egal": "public"}, {"statut": "public"}, {"statut": "prive"}),
    ("egal entier", {"question": "nombre", "egal": 3}, {"nombre": 3}, {"nombre": 4}),
    ("contient", {"question": "activites", "contient": "radio"}, {"activites": ["cardio", "radio"]}, {"activites": ["cardio"]}),
    ("dans choix", {"question": "statut", "dans": ["public"]}, {"statut": "public"}, {"statut": "prive"}),
    ("dans choix multiple", {"question": "activites", "dans": ["radio"]}, {"activites": ["radio", "cardio"]},
     {"activites": ["cardio"]}),
    ("dans entier", {"question": "nombre", "dans": [1, 2]}, {"nombre": 2}, {"nombre": 3}),
    ("dans texte", {"question": "titre", "dans": ["Oui", "Non"]}, {"titre": "Oui"}, {"titre": "Peut-être"}),
    ("dans texte sans casse", {"question": "titre", "dans": ["Oui", "Non"]}, {"titre": "NON"}, {"titre": "Non merci"}),
    ("dans texte sans accents", {"question": "titre", "dans": ["Électrophysiologie"]}, {"titre": "ELECTROPHYSIOLOGIE"},
     {"titre": "Électrophysiologiste"}),
    ("dans texte apostrophe typographique", {"question": "titre", "dans": ["Chef d'orchestre"]},
     {"titre": "Chef d\u2019orchestre"}, {"titre": "Chef d orchestre"}),
    ("renseigne true", {"question": "titre", "renseigne": True}, {"titre": "x"}, {}),
    ("renseigne false", {"question": "titre", "renseigne": False}, {}, {"titre": "x"}),
    ("renseigne groupe", {"question": "lignes", "renseigne": True}, {"lignes": [_line("A", "1")]}, {"lignes": []}),
    ("mentionne", {"question": "texte", "mentionne": ["bilan", "évaluation"]}, {"texte": "Un BILAN à 6 mois."},
     {"texte": "Des bilans à 6 mois."}),  # a word, not a part of one
    ("mentionne accents", {"question": "texte", "mentionne": ["évaluation"]}, {"texte": "EVALUATION à 12 mois"},
     {"texte": "Évaluer à 12 mois"}),
    ("mentionne plusieurs mots", {"question": "texte", "mentionne": ["point d'étape"]}, {"texte": "Un point  d'étape."},
     {"texte": "Un point, d'étape."}),
    # Word's apostrophe (’) and the modifier letter (ʼ) are the ' people type, in the text and in the term
    ("mentionne apostrophe typographique", {"question": "texte", "mentionne": ["point d'étape"]},
     {"texte": "Un point d\u2019étape."}, {"texte": "Un point d\u2019étapes."}),
    ("mentionne apostrophe lettre modificative", {"question": "texte", "mentionne": ["point d'étape"]},
     {"texte": "Un point d\u02bcétape."}, {"texte": "Un point d\u02bc étape."}),
    ("mentionne terme a l'apostrophe typographique", {"question": "texte", "mentionne": ["point d\u2019étape"]},
     {"texte": "Un point d'étape."}, {"texte": "Un point détape."}),
    ("mentionne_montant", {"question": "texte", "mentionne_montant": True}, {"texte": "Licence : 40 000 €."},
     {"texte": "Licence : 40 000."}),
    ("mentionne_montant en euros", {"question": "texte", "mentionne_montant": True}, {"texte": "12 000 euros"},
     {"texte": "douze mille"}),
    ("mentionne_montant EUR", {"question": "texte", "mentionne_montant": True}, {"texte": "Licence : 40 000 EUR."},
     {"texte": "Licence : 40 000 EURL."}),
    ("mentionne_montant euro devant", {"question": "texte", "mentionne_montant": True}, {"texte": "Licence : € 40 000."},
     {"texte": "Licence : € à définir."}),
    ("mentionne_montant million d'euros", {"question": "texte", "mentionne_montant": True},
     {"texte": "Un budget de 1,2 million d'euros."}, {"texte": "Pour 1,2 million de patients."}),
    ("mentionne_montant millions d'euros", {"question": "texte", "mentionne_montant": True},
     {"texte": "Un budget de 2 millions d'euros."}, {"texte": "Un budget de 2 millions."}),
    ("mentionne_date chiffres", {"question": "texte", "mentionne_date": True}, {"texte": "Revue le 31/12/2027."},
     {"texte": "Revue en fin d'année."}),
    ("mentionne_date mois", {"question": "texte", "mentionne_date": True}, {"texte": "Revue en décembre."},
     {"texte": "Revue à la fin."}),
    # a bare number or year is no date (« 2000 patients », « 0.5 ETP », « 12-15 »), nor English « may »
    ("mentionne_date jj.mm.aaaa", {"question": "texte", "mentionne_date": True}, {"texte": "Revue le 31.12.2027."},
     {"texte": "Revue avec 0.5 ETP."}),
    ("mentionne_date aaaa-mm-jj", {"question": "texte", "mentionne_date": True}, {"texte": "Revue le 2027-12-31."},
     {"texte": "Revue avec 12-15 patients."}),
    ("mentionne_date mm/aaaa", {"question": "texte", "mentionne_date": True}, {"texte": "Revue : 12/2027."},
     {"texte": "Revue notée 12/20."}),
    ("mentionne_date jour mois", {"question": "texte", "mentionne_date": True}, {"texte": "Revue le 3 avril."},
     {"texte": "Revue à 3 mois."}),
    ("mentionne_date 1er", {"question": "texte", "mentionne_date": True}, {"texte": "Démarrage le 1er mars."},
     {"texte": "Démarrage au 1er patient."}),
    ("mentionne_date mois annee", {"question": "texte", "mentionne_date": True}, {"texte": "Démarrage : avril 2023."},
     {"texte": "Démarrage : 2000 patients."}),
    ("mentionne_date en annee", {"question": "texte", "mentionne_date": True}, {"texte": "Démarrage en 2024."},
     {"texte": "Démarrage avec 2024 patients."}),
    ("mentionne_date fin mois", {"question": "texte", "mentionne_date": True}, {"texte": "Revue fin mars."},
     {"texte": "Revue en fin de mois."}),
    ("mentionne_date d'ici", {"question": "texte", "mentionne_date": True}, {"texte": "Achevé d\u2019ici 2025."},
     {"texte": "Achevé d\u2019ici peu."}),
    ("mentionne_date anglais", {"question": "texte", "mentionne_date": True}, {"texte": "Review by 2025."},
     {"texte": "Results in may vary."}),
    ("vague", {"question": "titre", "vague": ["divers", "frais"]}, {"titre": "Frais divers : 4 000 €"},
     {"titre": "Frais de formation des IDE"}),
    ("longueur_min 12", {"question": "titre", "longueur_min": 12}, {"titre": "123456789012"}, {"titre": "12345678901"}),
    ("longueur_min sans les espaces autour", {"question": "titre", "longueur_min": 12}, {"titre": "Abcdefghijkl"},
     {"titre": "  Abcdefghijk  "}),
    ("mots_min 5", {"question": "texte", "mots_min": 5}, {"texte": "un deux trois quatre cinq"},
     {"texte": "un deux trois quatre"}),
    ("departement_finess", {"question": "finess", "departement_finess": [18, 37]}, {"finess": _finess("37000123")},
     {"finess": _finess("75000123")}),
    ("departement_finess 2A", {"question": "finess", "departement_finess": ["2A"]}, {"finess": _finess("2A000123")},
     {"finess": _finess("2B000123")}),
    ("departement_finess 971", {"question": "finess", "departement_finess": [971]}, {"finess": _finess("97100123")},
     {"finess": _finess("97200123")}),
    ("departement_finess zero en tete", {"question": "finess", "departement_finess": [1]}, {"finess": _finess("01000123")},
     {"finess": _finess("10000123")}),
    ("departement_finess un chiffre en texte", {"question": "finess", "departement_finess": ["1"]},
     {"finess": _finess("01000123")}, {"finess": _finess("10000123")}),
    ("au_moins", {"question": "montant", "au_moins": {"nombre": 100}}, {"montant": _amount("100")},
     {"montant": _amount("99.99")}),
    ("au_plus", {"question": "montant", "au_plus": {"nombre": 100}}, {"montant": _amount("100")},
     {"montant": _amount("100.01")}),
    ("au_plus terme", {"question": "montant", "au_plus": {"pourcentage": 50, "de": {"question": "demande"}}},
     {"montant": _amount("500"), "demande": _amount("1000")}, {"montant": _amount("500.01"), "demande": _amount("1000")}),
    ("au_moins entier", {"question": "nombre", "au_moins": {"nombre": 10}}, {"nombre": 10}, {"nombre": 9}),
    ("entre premier jour", {"question": "fin", "entre": [{"date": "2027-01-01"}, {"date": "2027-12-31"}]},
     {"fin": date(2027, 1, 1)}, {"fin": date(2026, 12, 31)}),
    ("entre dernier jour", {"question": "fin", "entre": [{"date": "2027-01-01"}, {"date": "2027-12-31"}]},
     {"fin": date(2027, 12, 31)}, {"fin": date(2028, 1, 1)}),
    ("au_plus date decalee", {"question": "fin", "au_plus": {"question": "debut", "decalage": {"mois": 1}}},
     {"fin": date(2028, 2, 29), "debut": date(2028, 1, 31)}, {"fin": date(2028, 3, 1), "debut": date(2028, 1, 31)}),
]


@pytest.mark.parametrize(("condition", "holding", "failing"), [t[1:] for t in TESTS], ids=[t[0] for t in TESTS])
def test_each_condition_test_holds_on_one_answer_and_not_on_the_other(condition, holding, failing):
    appel = _appel({"type": "condition", "doit": condition})
    assert Condition.model_validate(condition).holds(_dossier(appel, **holding)) is True
    assert Condition.model_validate(condition).holds(_dossier(appel, **failing)) is False
    assert not _fires(appel, **holding)
    assert _fires(appel, **failing)


@pytest.mark.parametrize("condition", [t[1] for t in TESTS if "renseigne" not in t[0]],
                         ids=[t[0] for t in TESTS if "renseigne" not in t[0]])
def test_each_condition_test_is_unknown_on_a_missing_answer_and_concludes_nothing(condition):
    appel = _appel({"type": "condition", "doit": condition})
    assert Condition.model_validate(condition).holds(_dossier(appel)) is None
    assert not _fires(appel)


ITEM_TESTS = [
    {"champ": "nature", "egal": "equipement"},
    {"champ": "nature", "dans": ["equipement", "formation"]},
    {"champ": "libelle", "mentionne": ["licence"]},
    {"champ": "libelle", "mentionne_montant": True},
    {"champ": "libelle", "mentionne_date": True},
    {"champ": "libelle", "vague": ["divers"]},
    {"champ": "libelle", "longueur_min": 1},
    {"champ": "libelle", "mots_min": 1},
    {"champ": "part", "au_moins": {"nombre": 0}},
    {"champ": "echeance", "entre": [{"date": "2000-01-01"}, {"date": "2099-12-31"}]},
    {"champ": "echeance", "au_plus": {"question": "fin"}},  # its bound unknown too
]


@pytest.mark.parametrize("condition", ITEM_TESTS, ids=[next(k for k in c if k != "champ") for c in ITEM_TESTS])
@pytest.mark.parametrize("item", [{}, {"libelle": "", "nature": None}], ids=["absent", "vide"])
def test_a_test_on_an_items_empty_field_is_false_and_its_negation_true(condition, item):
    dossier = _dossier(_appel())
    assert Condition.model_validate(condition).holds(dossier, item) is False
    assert Condition.model_validate({"non": condition}).holds(dossier, item) is True


def test_a_bound_whose_answer_is_missing_is_unknown():
    appel = _appel({"type": "condition", "doit": {"question": "montant", "au_plus": {"question": "demande"}}})
    assert Condition.model_validate({"question": "montant", "au_plus": {"question": "demande"}}).holds(
        _dossier(appel, montant=_amount("1000000"))) is None
    assert not _fires(appel, montant=_amount("1000000"))


def test_departement_finess_codes_are_read_as_departements_one_being_01():
    condition = Condition.model_validate({"question": "finess", "departement_finess": [18, "2A", 971, 1, "2B", 974, "1", "9"]})
    assert condition.departements == ("18", "2A", "971", "01", "2B", "974", "01", "09")


@pytest.mark.parametrize("code", ["3A", "abc", "12345", "00", "20", 0, 20, "0"])
def test_departement_finess_refuses_what_is_not_a_departement(code):
    with pytest.raises(ValueError, match="n'est pas un département"):
        Condition.model_validate({"question": "finess", "departement_finess": [code]})


# -- et / ou / non, three-valued --------------------------------------------------------------------

A = {"question": "accord", "egal": True}
B = {"question": "statut", "egal": "public"}
ACCORD = {True: True, False: False, None: None}
STATUT = {True: "public", False: "prive", None: None}


@pytest.mark.parametrize(("a", "b", "both", "either"), [
    (True, True, True, True), (True, False, False, True), (True, None, None, True),
    (False, True, False, True), (False, False, False, False), (False, None, False, None),
    (None, True, None, True), (None, False, False, None), (None, None, None, None),
])
def test_et_and_ou_follow_three_valued_logic(a, b, both, either):
    dossier = _dossier(_appel(), accord=ACCORD[a], statut=STATUT[b])
    assert Condition.model_validate({"et": [A, B]}).holds(dossier) is both
    assert Condition.model_validate({"ou": [A, B]}).holds(dossier) is either


@pytest.mark.parametrize(("a", "negated"), [(True, False), (False, True), (None, None)])
def test_non_of_an_unknown_stays_unknown(a, negated):
    assert Condition.model_validate({"non": A}).holds(_dossier(_appel(), accord=ACCORD[a])) is negated


def test_renseigne_is_never_unknown_so_non_renseigne_holds_on_a_missing_answer():
    assert Condition.model_validate({"non": {"question": "titre", "renseigne": True}}).holds(_dossier(_appel())) is True


@pytest.mark.parametrize(("doit", "answers", "fires"), [
    ({"et": [A, B]}, {"accord": True, "statut": "public"}, False),
    ({"et": [A, B]}, {"accord": True, "statut": "prive"}, True),
    ({"et": [A, B]}, {"accord": True}, False),  # unknown: nothing concluded
    ({"et": [A, B]}, {"accord": False}, True),  # false whatever the other says
    ({"ou": [A, B]}, {"accord": False, "statut": "prive"}, True),
    ({"ou": [A, B]}, {"accord": False}, False),  # unknown
    ({"ou": [A, B]}, {"statut": "public"}, False),  # true whatever the other says
    ({"non": A}, {"accord": True}, True),
    ({"non": A}, {"accord": False}, False),
    ({"non": A}, {}, False),  # unknown
    ({"et": [A, {"ou": [B, {"non": {"question": "titre", "vague": ["divers"]}}]}]},
     {"accord": True, "statut": "prive", "titre": "Divers"}, True),
    ({"et": [A, {"ou": [B, {"non": {"question": "titre", "vague": ["divers"]}}]}]},
     {"accord": True, "statut": "prive", "titre": "Balances connectées"}, False),
])
def test_a_condition_rule_with_et_ou_non_fires_only_when_it_is_false(doit, answers, fires):
    appel = _appel({"type": "condition", "doit": doit, "message": "{question}"})
    found = _findings(appel, **answers)
    assert bool(found) is fires
    if fires:
        assert found[0].question == "accord"  # the first question the condition reads


def test_a_condition_on_the_items_of_a_group_uses_champ_with_et_ou_non():
    appel = _appel({"type": "elements", "groupe": "lignes", "tel_que": {"et": [
        {"ou": [{"champ": "nature", "egal": "equipement"}, {"champ": "libelle", "mentionne": ["licence"]}]},
        {"non": {"champ": "montant", "au_moins": {"nombre": 10000}}}]}})
    assert not _fires(appel, lignes=[_line("Licence", "9999.99", nature="formation")])
    assert _fires(appel, lignes=[_line("Licence", "10000", nature="formation")])
    assert _fires(appel, lignes=[_line("Formation", "1", nature="formation")])


# -- `si` on a rule, `si` on a question -------------------------------------------------------------

@pytest.mark.parametrize(("accord", "amount", "fires"), [
    (True, "40000.01", True), (True, "40000.00", False), (False, "40000.01", False), (None, "40000.01", False),
])
def test_a_rule_si_switches_the_rule_on_and_off(accord, amount, fires):
    appel = _appel({"type": "plafond", "question": "montant", "montant": 40000, "si": {"question": "accord", "egal": True}})
    assert _fires(appel, accord=accord, montant=_amount(amount)) is fires


@pytest.mark.parametrize(("statut", "accord", "fires"), [
    ("prive", True, True), ("prive", False, False), ("public", True, False), (None, True, False), ("prive", None, False),
])
def test_a_rule_si_with_et_and_non(statut, accord, fires):
    appel = _appel({"type": "obligatoire", "questions": ["detail"],
                    "si": {"et": [{"non": {"question": "statut", "egal": "public"}}, {"question": "accord", "egal": True}]}})
    assert _fires(appel, statut=statut, accord=accord) is fires
    assert not _fires(appel, statut=statut, accord=accord, detail="Précisé")


@pytest.mark.parametrize(("activites", "fires"), [(["cardio"], True), (["radio"], True), ([], False), (None, False)])
def test_a_rule_si_with_ou(activites, fires):
    appel = _appel({"type": "condition", "doit": {"question": "accord", "egal": True},
                    "si": {"ou": [{"question": "activites", "contient": "radio"},
                                  {"question": "activites", "contient": "cardio"}]}})
    assert _fires(appel, activites=activites, accord=False) is fires


DETAIL_OU = {"ou": [{"question": "statut", "egal": "prive"}, {"non": {"question": "accord", "egal": True}}]}
DETAIL_ET = {"et": [{"question": "accord", "egal": True}, {"non": {"question": "statut", "dans": ["public"]}}]}


def _with_detail(condition: dict[str, Any]) -> Appel:
    questions = _questions()
    detail = next(q for q in questions if q["id"] == "detail")
    detail.update(obligatoire=True, si=condition)
    return _appel(questions=questions)


@pytest.mark.parametrize(("condition", "statut", "accord", "asked"), [
    (DETAIL_OU, "prive", True, True),
    (DETAIL_OU, "public", True, False),
    (DETAIL_OU, "public", False, True),
    (DETAIL_OU, None, False, True),  # `non` of false decides the `ou` alone
    (DETAIL_OU, "public", None, False),  # unknown: not asked (yet)
    (DETAIL_OU, None, True, False),
    (DETAIL_OU, None, None, False),
    (DETAIL_ET, "prive", True, True),
    (DETAIL_ET, "public", True, False),
    (DETAIL_ET, None, True, False),  # unknown
    (DETAIL_ET, "prive", False, False),
    (DETAIL_ET, None, False, False),
])
def test_a_question_si_with_et_ou_non_decides_whether_it_is_asked(condition, statut, accord, asked):
    appel = _with_detail(condition)
    detail = appel.question("detail")
    assert detail is not None
    dossier = _dossier(appel, statut=statut, accord=accord)
    assert dossier.applies(detail) is asked
    assert ("detail" in [q.id for q in dossier.missing_required()]) is asked
    missing = [f for f in check(dossier, TODAY) if f.rule == "reponse_manquante"]
    assert ("detail" in [f.question for f in missing]) is asked
    dossier.set("detail", "Précisé")
    assert "detail" not in [q.id for q in dossier.missing_required()]


# -- the answer of a question no longer asked counts for nothing ------------------------------------

# (id, rule, the question asked only when `accord` is yes, its answer left from when it was asked,
#  the other answers)
LEFTOVERS = [
    ("plafond", {"type": "plafond", "question": "montant", "montant": 40000}, "montant", _amount("40000.01"), {}),
    ("comparaison", {"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=", "droite": {"nombre": 100}},
     "montant", _amount("100.01"), {}),
    ("somme", {"type": "comparaison", "gauche": {"somme": "lignes.montant"}, "operateur": "<=", "droite": {"nombre": 100}},
     "lignes", [_line("Balances", "100.01")], {}),
    ("pour_chaque", {"type": "comparaison", "pour_chaque": "lignes", "gauche": {"champ": "montant"}, "operateur": "<=",
                     "droite": {"nombre": 100}}, "lignes", [_line("Balances", "100.01")], {}),
    ("borne d'une condition", {"type": "condition", "doit": {"question": "demande", "au_plus": {"question": "montant"}}},
     "montant", _amount("99.99"), {"demande": _amount("100")}),
    ("tout de pourcentage", {"type": "comparaison", "gauche": {"question": "demande"}, "operateur": "<=",
                             "droite": {"pourcentage": 50, "de": {"question": "montant"}}},
     "montant", _amount("100"), {"demande": _amount("50.01")}),
    ("condition", {"type": "condition", "doit": {"question": "titre", "longueur_min": 12}}, "titre", "Court", {}),
    ("egal_a", {"type": "egal_a", "question": "statut", "valeur": "public"}, "statut", "prive", {}),
    ("tous_coches", {"type": "tous_coches", "question": "activites"}, "activites", ["radio"], {}),
    ("nombre", {"type": "nombre", "groupe": "lignes", "min": 2}, "lignes", [_line("Balances", "1")], {}),
    ("elements", PRECISE_LABELS, "lignes", [_line("Divers", "1")], {}),
    ("roles", {"type": "roles", "groupe": "equipe", "longueur_min": 15}, "equipe",
     [{"nom": "Claire Martin", "fonction": "Cadre de santé", "role": "Coordonne"}], {}),
    ("obligatoire", {"type": "obligatoire", "questions": ["titre"]}, "titre", None, {}),
    ("si d'une regle",
     {"type": "plafond", "question": "demande", "montant": 40000, "si": {"question": "titre", "renseigne": True}}, "titre",
     "Un titre", {"demande": _amount("40000.01")}),
]


@pytest.mark.parametrize(("rule", "question", "leftover", "others"), [t[1:] for t in LEFTOVERS], ids=[t[0] for t in LEFTOVERS])
def test_the_answer_of_a_question_no_longer_asked_counts_for_nothing(rule, question, leftover, others):
    questions = _questions()
    next(q for q in questions if q["id"] == question)["si"] = {"question": "accord", "egal": True}
    appel = _appel(rule, questions=questions)
    assert _fires(appel, accord=True, **{question: leftover}, **others)  # asked, the answer counts
    for switch in (False, None):  # no longer asked, or not yet
        dossier = _dossier(appel, accord=switch, **{question: leftover}, **others)
        assert dossier.get(question) == leftover and dossier.answer(question) is None  # kept, not read
        assert [f for f in check(dossier, TODAY) if f.rule == "r"] == []


# -- the imaginary call (tests/fixtures/questionnaires/appel_imaginaire.yaml) -----------------------

def _imaginary_answers() -> dict[str, Any]:
    return yaml.safe_load(IMAGINARY_ANSWERS.read_text(encoding="utf-8"))["reponses"]


def _imaginary_appel() -> Appel:
    problems, appel = loading.check_file(IMAGINARY)
    assert problems == [] and appel is not None, problems
    return appel


def _imaginary(answers: dict[str, Any]) -> Dossier:
    appel = _imaginary_appel()
    dossier = Dossier.new("essai", appel)
    apply_answers(dossier, parse_answers(appel, answers))
    return dossier


def _fired(answers: dict[str, Any], today: date = DEADLINE) -> set[str]:
    return {f.rule for f in check(_imaginary(answers), today)}


def _set(**changes: Any):
    def plant(answers: dict[str, Any]) -> None:
        answers.update(changes)
    return plant


def _set_item(group: str, index: int, **changes: Any):
    def plant(answers: dict[str, Any]) -> None:
        answers[group][index].update(changes)
    return plant


def _drop(*keys: str):
    def plant(answers: dict[str, Any]) -> None:
        for key in keys:
            answers.pop(key)
    return plant


SHORT_DESCRIPTION = "La télésurveillance suit 200 patients insuffisants cardiaques à domicile."
LONG_WITHOUT_THE_WORD = " ".join(["Le suivi à domicile des patients insuffisants cardiaques et rénaux"] * 5)
SHORT_PLAN = "Sauvegardes au GHT."
SECURITY_PLAN = ("Les données sont chiffrées au repos et en transit sur les serveurs du GHT, sauvegardées chaque nuit sur "
                 "un second site, et l'accès est journalisé.")

# rule id planted → (how the answers are changed, every rule that fires, exit code of `aap verifier`)
FAULTS = {
    "site_en_centre_val_de_loire": (_set(finess_geographique=_finess("75000123")), {"site_en_centre_val_de_loire"}, 1),
    # the total of a required group left empty is unknown: the comparisons with it conclude nothing
    "budget_present": (_drop("depenses"), {"budget_present"}, 1),
    "plafond_aide": (_set(montant_demande="150 000,01"), {"plafond_aide", "demande_inferieure_depenses"}, 1),
    "demande_inferieure_depenses": (_set(montant_demande="120 000,01"), {"demande_inferieure_depenses"}, 1),
    "equipement_moitie_aide": (_set_item("depenses", 0, montant="40 000,01"), {"equipement_moitie_aide"}, 1),
    "mise_en_oeuvre_2027": (_set_item("calendrier", 1, echeance="01/01/2028"), {"mise_en_oeuvre_2027"}, 1),
    "demarrage_apres_depot": (
        lambda a: (a.update(date_demarrage="31/03/2027"), a["calendrier"][2].update(echeance="30/09/2027")),
        {"demarrage_apres_depot"}, 0),
    "revue_six_mois": (_set_item("calendrier", 2, echeance="04/12/2027"), {"revue_six_mois"}, 1),
    "calendrier_detaille": (lambda a: a["calendrier"].pop(1), {"calendrier_detaille"}, 0),
    "hebergement_certifie": (
        lambda a: (a.update(hebergement_hds="non", plan_securite=SECURITY_PLAN), a.pop("hebergeur")),
        {"hebergement_certifie"}, 1),
    "plan_securite_detaille": (_set(statut_juridique="prive_lucratif", plan_securite=SHORT_PLAN), {"plan_securite_detaille"}, 0),
    "trois_engagements": (_set(engagements=["rgpd", "evaluation"]), {"trois_engagements"}, 1),
    "description_telesurveillance": (_set(description=LONG_WITHOUT_THE_WORD), {"description_telesurveillance"}, 0),
    "description_substantielle": (_set(description=SHORT_DESCRIPTION), {"description_substantielle"}, 0),
}


def test_the_imaginary_call_is_valid_for_check_file_and_aap_appels_valider():
    appel = _imaginary_appel()
    assert appel.id == IMAGINARY_ID
    result = run_aap("appels", "--valider", str(IMAGINARY))
    assert result.returncode == 0, result.stderr
    assert "questionnaire valide" in result.stdout


def test_every_rule_of_the_imaginary_call_is_a_planted_fault_here():
    assert {rule.id for rule in _imaginary_appel().rules} == {*FAULTS, "echeance_depot"}
    sources = {rule.id: rule.source for rule in _imaginary_appel().rules}
    assert [rule_id for rule_id, source in sources.items() if not source] == ["description_substantielle"]  # a conseil


def test_the_clean_imaginary_dossier_has_no_finding_even_at_its_boundaries():
    """Equipment exactly 50 % of the aid, the review six months to the day after the start, the
    deadline day itself."""
    assert check(_imaginary(_imaginary_answers()), DEADLINE) == []


def test_the_imaginary_deadline_blocks_from_the_day_after():
    assert _fired(_imaginary_answers(), date(2027, 4, 1)) == {"echeance_depot"}


@pytest.mark.parametrize("rule_id", list(FAULTS))
def test_each_rule_of_the_imaginary_call_fires_on_its_planted_fault(rule_id):
    plant, expected, _code = FAULTS[rule_id]
    answers = copy.deepcopy(_imaginary_answers())
    plant(answers)
    assert _fired(answers) == expected


@pytest.mark.parametrize("departement", ["18", "28", "36", "37", "41", "45"])
def test_every_departement_of_centre_val_de_loire_is_in_the_region(departement):
    assert _fired({**_imaginary_answers(), "finess_geographique": _finess(f"{departement}000456")}) == set()


@pytest.mark.parametrize("departement", ["75", "72", "86", "89", "2A", "97"])
def test_a_departement_outside_the_region_fires(departement):
    first_eight = f"{departement}100456" if departement == "97" else f"{departement}000456"  # 971…
    assert _fired({**_imaginary_answers(), "finess_geographique": _finess(first_eight)}) == {"site_en_centre_val_de_loire"}


@pytest.mark.parametrize(("equipment", "fires"), [("40 000,00", False), ("40 008,00", True)])  # 50 % / 50,01 % of 80 000
def test_the_imaginary_equipment_share_at_50_and_50_01_percent(equipment, fires):
    answers = copy.deepcopy(_imaginary_answers())
    answers["depenses"][0]["montant"] = equipment
    answers["depenses"].append({"nature": "formation", "libelle": "Formation des IDE à la plateforme", "montant": "90 000"})
    assert ("equipement_moitie_aide" in _fired(answers)) is fires


@pytest.mark.parametrize(("review", "fires"), [
    ("02/11/2027", True), ("03/11/2027", False), ("03/12/2027", False), ("04/12/2027", True),
])
def test_the_imaginary_review_six_months_after_the_start_at_its_bounds(review, fires):
    answers = copy.deepcopy(_imaginary_answers())
    answers["calendrier"][2]["echeance"] = review
    assert ("revue_six_mois" in _fired(answers)) is fires


def test_the_imaginary_review_after_a_start_on_31_august_ends_on_29_february():
    answers = copy.deepcopy(_imaginary_answers())
    answers["date_demarrage"] = "31/08/2027"
    answers["calendrier"][2]["echeance"] = "28/02/2028"  # the day before start + 6 months (a leap year)
    assert "revue_six_mois" in _fired(answers)
    answers["calendrier"][2]["echeance"] = "29/02/2028"
    assert "revue_six_mois" not in _fired(answers)


@pytest.mark.parametrize(("pathologies", "fires"), [
    (["insuffisance_cardiaque"], True), (["insuffisance_renale", "diabete"], True), (["diabete"], False),
])
def test_the_imaginary_hds_rule_applies_only_to_heart_or_kidney_failure(pathologies, fires):
    answers = {**_imaginary_answers(), "pathologies": pathologies, "hebergeur": "Hébergeur à définir"}
    assert ("hebergement_certifie" in _fired(answers)) is fires


@pytest.mark.parametrize(("statut", "hds", "asked"), [
    ("public", "oui", False), ("prive_lucratif", "oui", True), ("public", "non", True), ("prive_non_lucratif", "non", True),
])
def test_the_imaginary_security_plan_is_asked_for_profit_or_without_hds(statut, hds, asked):
    answers = {**_imaginary_answers(), "statut_juridique": statut, "hebergement_hds": hds}
    if hds == "non":
        del answers["hebergeur"]
    dossier = _imaginary(answers)
    question = dossier.appel.question("plan_securite")
    assert question is not None and dossier.applies(question) is asked
    assert ("plan_securite" in [q.id for q in dossier.missing_required()]) is asked


# -- the imaginary call through `aap remplir` and `aap verifier` -------------------------------------

@pytest.fixture
def imaginary_store(tmp_path, monkeypatch) -> dict[str, str]:
    """The imaginary call among the questionnaires (`remplir` finds a call by its id in the
    questionnaires folder only), and a store of dossiers of its own."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(IMAGINARY, folder / IMAGINARY.name)
    monkeypatch.setattr(loading, "questionnaires_dir", lambda: folder)
    return {"AAP_DOSSIERS": str(tmp_path / "dossiers")}


def _remplir(tmp_path: Path, env: dict[str, str], answers: dict[str, Any], name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"appel": IMAGINARY_ID, "nom": name, "reponses": answers}, allow_unicode=True),
                    encoding="utf-8")
    filled = run_aap("remplir", "--reponses", str(path), env=env)
    assert filled.returncode == 0, filled.stderr


def _verifier(env: dict[str, str], name: str, day: date = DEADLINE) -> tuple[int, list[dict[str, Any]]]:
    result = run_aap("verifier", name, "--json", "--date", day.isoformat(), env=env)
    return result.returncode, json.loads(result.stdout)["constats"]


def test_the_shipped_answers_of_the_imaginary_call_fill_and_verify_clean(tmp_path, imaginary_store):
    filled = run_aap("remplir", "--reponses", str(IMAGINARY_ANSWERS), env=imaginary_store)
    assert filled.returncode == 0, filled.stderr
    code, findings = _verifier(imaginary_store, "telesurveillance-tours")
    assert (code, findings) == (0, [])
    code, findings = _verifier(imaginary_store, "telesurveillance-tours", date(2027, 4, 1))
    assert code == 1 and [(f["regle"], f["gravite"]) for f in findings] == [("echeance_depot", "bloquant")]
    assert findings[0]["source"] == "Les dossiers déposés après le 31 mars 2027 ne seront pas instruits."


@pytest.mark.parametrize("rule_id", ["site_en_centre_val_de_loire", "equipement_moitie_aide", "mise_en_oeuvre_2027",
                                     "revue_six_mois", "hebergement_certifie", "demarrage_apres_depot",
                                     "description_substantielle", "plan_securite_detaille", "budget_present"])
def test_a_planted_fault_of_the_imaginary_call_through_remplir_and_verifier(tmp_path, imaginary_store, rule_id):
    plant, expected, exit_code = FAULTS[rule_id]
    answers = copy.deepcopy(_imaginary_answers())
    plant(answers)
    _remplir(tmp_path, imaginary_store, answers, "faute")
    code, findings = _verifier(imaginary_store, "faute")
    assert {f["regle"] for f in findings} == expected
    assert code == exit_code
    found = next(f for f in findings if f["regle"] == rule_id)
    rule = next(r for r in _imaginary_appel().rules if r.id == rule_id)
    assert found["gravite"] == rule.severity.value and found["source"] == rule.source and found["section"]


def test_a_leftover_answer_of_a_question_no_longer_asked_is_kept_but_not_checked(tmp_path, imaginary_store):
    """A for-profit applicant writes a short security plan; the status is then corrected to
    public (with an HDS host, the plan is no longer asked): the plan stays in the dossier, and
    the rule about it no longer speaks."""
    _remplir(tmp_path, imaginary_store, {**_imaginary_answers(), "statut_juridique": "prive_lucratif",
                                         "plan_securite": SHORT_PLAN}, "reste")
    assert _verifier(imaginary_store, "reste")[1][0]["regle"] == "plan_securite_detaille"
    _remplir(tmp_path, imaginary_store, {"statut_juridique": "public"}, "reste")
    assert _verifier(imaginary_store, "reste") == (0, [])
    saved = json.loads((Path(imaginary_store["AAP_DOSSIERS"]) / "reste.json").read_text(encoding="utf-8"))
    assert saved["reponses"]["plan_securite"] == SHORT_PLAN


def test_a_conseil_never_blocks_verifier(tmp_path, imaginary_store):
    answers = {**_imaginary_answers(), "description": SHORT_DESCRIPTION}
    _remplir(tmp_path, imaginary_store, answers, "conseil")
    result = run_aap("verifier", "conseil", "--date", DEADLINE.isoformat(), env=imaginary_store)
    assert result.returncode == 0, result.stdout
    assert "Conseil" in result.stdout and "il est conseillé" in plain(result.stdout)


def test_messages_of_the_imaginary_call_name_the_values(tmp_path, imaginary_store):
    answers = copy.deepcopy(_imaginary_answers())
    answers["depenses"][0]["montant"] = "40 000,01"
    answers["calendrier"][1]["echeance"] = "01/01/2028"
    _remplir(tmp_path, imaginary_store, answers, "valeurs")
    _code, findings = _verifier(imaginary_store, "valeurs")
    messages = {f["regle"]: plain(f["message"]) for f in findings}
    assert messages["equipement_moitie_aide"] == "L'équipement (40 000,01 €) dépasse la moitié de l'aide demandée (40 000,00 €)."
    assert messages["mise_en_oeuvre_2027"] == (
        "L'étape « Formation des patients à l'usage des équipements » est datée du 1er janvier 2028, après le "
        "31 décembre 2027 : la mise en œuvre est achevée au plus tard à cette date.")


# -- located lint errors ----------------------------------------------------------------------------

def _validate(tmp_path: Path, data: dict[str, Any]) -> tuple[int, str]:
    path = tmp_path / "appel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_aap("appels", "--valider", str(path))
    assert "Traceback" not in result.stderr
    return result.returncode, plain(result.stderr)


MISUSES = [
    ("unknown field in a filtered sum",
     {"type": "comparaison", "operateur": "<=", "droite": {"nombre": 1},
      "gauche": {"somme": "lignes.montant", "si": {"champ": "natur", "egal": "equipement"}}},
     "règle r: le groupe lignes n'a pas de champ « natur »"),
    ("unknown field in a filtered sum inside a percentage",
     {"type": "comparaison", "operateur": "<=", "gauche": {"question": "montant"},
      "droite": {"pourcentage": 50, "de": {"somme": "lignes.montant", "si": {"champ": "natur", "egal": "equipement"}}}},
     "règle r: le groupe lignes n'a pas de champ « natur »"),
    ("a percentage of a text",
     {"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
      "droite": {"pourcentage": 50, "de": {"question": "titre"}}},
     "règle r: « titre » est de type « texte » ; il faut un nombre, un montant ou une date"),
    ("a percentage of a date",
     {"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=",
      "droite": {"pourcentage": 50, "de": {"question": "debut"}}},
     "règle r: « pourcentage » est la part d'un nombre ou d'un montant, pas d'une date"),
    ("a date offset on an amount",
     {"type": "comparaison", "gauche": {"question": "montant", "decalage": {"mois": 1}}, "operateur": "<=",
      "droite": {"nombre": 1}},
     "règle r: « decalage » ne va qu'avec une date"),
    ("a date offset on a number in a condition",
     {"type": "condition", "doit": {"question": "montant", "au_plus": {"nombre": 1, "decalage": {"jours": 1}}}},
     "règle r: « decalage » ne va qu'avec une date"),
    ("champ outside a group, in a comparison",
     {"type": "comparaison", "gauche": {"champ": "montant"}, "operateur": "<=", "droite": {"nombre": 1}},
     "règle r: « champ » ne va qu'avec « pour_chaque » ou une condition sur les éléments d'un groupe"),
    ("champ outside a group, in a condition",
     {"type": "condition", "doit": {"champ": "montant", "au_plus": {"nombre": 1}}},
     "règle r: « champ » ne va que dans une condition sur les éléments d'un groupe"),
    ("champ outside a group, in a rule si",
     {"type": "plafond", "question": "montant", "montant": 10, "si": {"champ": "nature", "egal": "equipement"}},
     "règle r: si : « champ » ne va que dans une condition sur les éléments d'un groupe"),
    ("a date compared with a number",
     {"type": "comparaison", "gauche": {"question": "debut"}, "operateur": "<=", "droite": {"nombre": 1}},
     "règle r: on ne compare pas une date à un nombre"),
    ("a date bounded by a number",
     {"type": "condition", "doit": {"question": "debut", "au_plus": {"question": "montant"}}},
     "règle r: on ne compare pas une date à un nombre"),
    ("a number between dates",
     {"type": "elements", "groupe": "lignes", "tel_que": {"champ": "montant", "entre": [{"date": "2027-01-01"},
                                                                                          {"date": "2027-12-31"}]}},
     "règle r: on ne compare pas une date à un nombre"),
    ("two dates added",
     {"type": "comparaison", "gauche": [{"question": "debut"}, {"question": "fin"}], "operateur": "<=",
      "droite": {"date": "2027-12-31"}},
     "règle r: des dates ne s'additionnent pas : un seul terme de chaque côté"),
    ("contient on a single choice",
     {"type": "condition", "doit": {"question": "statut", "contient": "public"}},
     "règle r: « contient » ne va qu'avec une question à choix multiple"),
    ("contient naming an unknown choice",
     {"type": "condition", "doit": {"question": "activites", "contient": "neuro"}},
     "règle r: la condition nomme un choix inconnu « neuro » de la question activites"),
    ("departement_finess on a text",
     {"type": "condition", "doit": {"question": "titre", "departement_finess": [18]}},
     "règle r: « departement_finess » porte sur un numéro FINESS ; « titre » est de type « texte »"),
    ("a text test on an amount",
     {"type": "condition", "doit": {"question": "montant", "mots_min": 3}},
     "règle r: ce test porte sur un texte ; « montant » est de type « montant »"),
    ("a si naming an unknown question",
     {"type": "plafond", "question": "montant", "montant": 10, "si": {"question": "inconnue", "egal": True}},
     "règle r: si : la condition nomme une question inconnue « inconnue »"),
    ("a si naming an unknown question inside non",
     {"type": "plafond", "question": "montant", "montant": 10,
      "si": {"et": [{"question": "accord", "egal": True}, {"non": {"question": "inconnue", "renseigne": True}}]}},
     "règle r: si : la condition nomme une question inconnue « inconnue »"),
    ("a rule without source",
     {"type": "plafond", "question": "montant", "montant": 10, "source": None},
     "règle r: une règle « erreur » cite la phrase de l'appel qu'elle applique (« source »)"),
    ("two tests in one condition",
     {"type": "condition", "doit": {"question": "titre", "longueur_min": 3, "mots_min": 2}},
     "règle r: « doit » : une condition fait un seul test parmi : egal, contient"),
    ("two tests in a condition inside et",
     {"type": "condition", "doit": {"et": [{"question": "titre", "egal": "x"},
                                           {"question": "titre", "longueur_min": 3, "mots_min": 2}]}},
     "règle r: « et[2] » : une condition fait un seul test parmi"),
    ("a condition without a test",
     {"type": "condition", "doit": {"question": "titre"}},
     "règle r: « doit » : une condition fait un seul test parmi"),
    ("et with a subject",
     {"type": "condition", "doit": {"question": "titre", "et": [{"question": "titre", "longueur_min": 3}]}},
     "règle r: « doit » : une condition est soit « et », soit « ou », soit « non », seule"),
    ("et and ou together",
     {"type": "condition", "doit": {"et": [{"question": "titre", "longueur_min": 3}],
                                    "ou": [{"question": "titre", "mots_min": 2}]}},
     "règle r: « doit » : une condition est soit « et », soit « ou », soit « non », seule"),
    ("tel_que without pour_chaque",
     {"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=", "droite": {"nombre": 1},
      "tel_que": {"champ": "nature", "egal": "equipement"}},
     "règle r: « tel_que » ne va qu'avec « pour_chaque »"),
    ("a si inside a term that is not a sum",
     {"type": "comparaison", "gauche": {"question": "montant", "si": {"question": "accord", "egal": True}},
      "operateur": "<=", "droite": {"nombre": 1}},
     "règle r: « gauche[1] » : « si » dans un terme ne va qu'avec « somme »"),
    ("an unknown key in a condition",
     {"type": "condition", "doit": {"question": "titre", "longeur_min": 3}},
     "règle r: clé inconnue « longeur_min »"),
    ("a departement that is not one",
     {"type": "condition", "doit": {"question": "finess", "departement_finess": ["3A"]}},
     "règle r: « departement_finess » : « 3A » n'est pas un département"),
    ("departement 00",
     {"type": "condition", "doit": {"question": "finess", "departement_finess": ["00"]}},
     "règle r: « departement_finess » : « 00 » n'est pas un département"),
    ("departement 0 as an integer",
     {"type": "condition", "doit": {"question": "finess", "departement_finess": [18, 0]}},
     "règle r: « departement_finess » : « 00 » n'est pas un département"),
    ("departement 20, Corse being 2A and 2B",
     {"type": "condition", "doit": {"question": "finess", "departement_finess": [20]}},
     "règle r: « departement_finess » : « 20 » n'est pas un département"),
    ("egal on an amount",
     {"type": "condition", "doit": {"question": "montant", "egal": 40000}},
     "règle r: « egal » ne va pas avec un montant, un nombre décimal ou une date (« montant ») : employez au_moins et au_plus"),
    ("egal on a decimal",
     {"type": "condition", "doit": {"question": "duree", "egal": 2}},
     "règle r: « egal » ne va pas avec un montant, un nombre décimal ou une date (« duree ») : employez au_moins et au_plus"),
    ("egal on a percentage",
     {"type": "condition", "doit": {"question": "taux", "egal": 50}},
     "règle r: « egal » ne va pas avec un montant, un nombre décimal ou une date (« taux ») : employez au_moins et au_plus"),
    ("egal on a date",
     {"type": "condition", "doit": {"question": "debut", "egal": "2027-01-01"}},
     "règle r: « egal » ne va pas avec un montant, un nombre décimal ou une date (« debut ») : employez au_moins et au_plus"),
    ("egal on an amount field of the items",
     {"type": "elements", "groupe": "lignes", "tel_que": {"champ": "montant", "egal": 100}},
     "règle r: « egal » ne va pas avec un montant, un nombre décimal ou une date (« montant ») : employez au_moins et au_plus"),
    ("egal on a date field in a filtered sum",
     {"type": "comparaison", "operateur": "<=", "droite": {"nombre": 1},
      "gauche": {"somme": "lignes.montant", "si": {"champ": "echeance", "egal": "2027-12-31"}}},
     "règle r: « egal » ne va pas avec un montant, un nombre décimal ou une date (« echeance ») : employez au_moins et au_plus"),
    ("egal on an amount in a rule si",
     {"type": "condition", "doit": {"question": "titre", "longueur_min": 3}, "si": {"question": "montant", "egal": 0}},
     "règle r: si : « egal » ne va pas avec un montant"),
    ("an empty vague list",
     {"type": "condition", "doit": {"question": "titre", "vague": []}},
     "règle r: valeur invalide pour « vague » (attendu : une liste non vide)"),
    ("entre dates in the wrong order",
     {"type": "condition", "doit": {"question": "fin", "entre": [{"date": "2027-12-31"}, {"date": "2027-01-01"}]}},
     "règle r: « entre » : la première borne vient après la seconde"),
    ("entre numbers in the wrong order by a cent",
     {"type": "condition", "doit": {"question": "montant", "entre": [{"nombre": 100.01}, {"nombre": 100}]}},
     "règle r: « entre » : la première borne vient après la seconde"),
    ("entre a date moved past the second",
     {"type": "elements", "groupe": "lignes", "tel_que": {"champ": "echeance", "entre": [
         {"date": "2027-06-01", "decalage": {"mois": 1}}, {"date": "2027-06-30"}]}},
     "règle r: « entre » : la première borne vient après la seconde"),
    ("tel_que of elements on no field",
     {"type": "elements", "groupe": "lignes", "tel_que": {"question": "titre", "longueur_min": 3}},
     "règle r: une condition sur les éléments du groupe lignes porte sur leurs champs (« champ: … »)"),
    ("tel_que of elements combining questions only",
     {"type": "elements", "groupe": "lignes", "tel_que": {"et": [{"question": "titre", "longueur_min": 3},
                                                                 {"non": {"question": "accord", "egal": True}}]}},
     "règle r: une condition sur les éléments du groupe lignes porte sur leurs champs (« champ: … »)"),
    ("tel_que of pour_chaque on no field",
     {"type": "comparaison", "pour_chaque": "lignes", "tel_que": {"question": "accord", "egal": True},
      "gauche": {"champ": "montant"}, "operateur": "<=", "droite": {"nombre": 1}},
     "règle r: une condition sur les éléments du groupe lignes porte sur leurs champs (« champ: … »)"),
    ("a filtered sum on no field",
     {"type": "comparaison", "operateur": "<=", "droite": {"nombre": 1},
      "gauche": {"somme": "lignes.montant", "si": {"question": "accord", "egal": True}}},
     "règle r: une condition sur les éléments du groupe lignes porte sur leurs champs (« champ: … »)"),
    ("a term with two references",
     {"type": "comparaison", "gauche": {"question": "montant", "nombre": 1}, "operateur": "<=", "droite": {"nombre": 1}},
     "règle r: « gauche[1] » : un terme porte exactement une clé parmi"),
    ("a term with two references in a list",
     {"type": "comparaison", "gauche": [{"question": "demande"}, {"question": "montant", "nombre": 1}], "operateur": "<=",
      "droite": {"nombre": 1}},
     "règle r: « gauche[2] » : un terme porte exactement une clé parmi"),
    ("a percentage without its whole",
     {"type": "comparaison", "gauche": {"question": "montant"}, "operateur": "<=", "droite": {"pourcentage": 50}},
     "règle r: « droite[1] » : « pourcentage » va avec « de »"),
]


@pytest.mark.parametrize(("rule", "expected"), [m[1:] for m in MISUSES], ids=[m[0] for m in MISUSES])
def test_a_misused_construct_is_a_located_lint_error(tmp_path, rule, expected):
    body = _rule(rule)
    if body.get("source", "") is None:
        del body["source"]
    data = _data()
    data["regles"] = [body]
    code, stderr = _validate(tmp_path, data)
    assert code == 2
    assert expected in stderr, stderr
    # said once, and nothing else: an invalid term is not also « une liste non vide » missing
    assert "(1 problème)" in stderr and stderr.count(expected) == 1, stderr
    if "vague" not in rule.get("doit", {}):
        assert "liste non vide" not in stderr, stderr


@pytest.mark.parametrize("rule", [
    {"type": "condition", "doit": {"question": "finess", "departement_finess": ["1", 1, "09", 95, "2A", "2B", 971, 976]}},
    {"type": "condition", "doit": {"question": "nombre", "egal": 0}},  # an integer: egal is exact
    {"type": "condition", "doit": {"question": "fin", "entre": [{"date": "2027-01-01"}, {"date": "2027-01-01"}]}},
    {"type": "condition", "doit": {"question": "montant", "entre": [{"nombre": 100}, {"nombre": 100}]}},
    {"type": "condition", "doit": {"question": "fin", "entre": [{"date": "2027-06-01", "decalage": {"mois": 1}},
                                                                 {"date": "2027-07-01"}]}},
    {"type": "condition", "doit": {"question": "fin", "entre": [{"question": "debut"}, {"date": "2000-01-01"}]}},  # not constant
    {"type": "condition", "doit": {"question": "titre", "vague": ["divers"]}},
    {"type": "elements", "groupe": "lignes", "tel_que": {"et": [{"champ": "libelle", "longueur_min": 3},
                                                               {"question": "accord", "egal": True}]}},
    {"type": "comparaison", "operateur": "<=", "droite": {"nombre": 1},
     "gauche": {"somme": "lignes.montant", "si": {"non": {"champ": "nature", "egal": "formation"}}}},
], ids=["departements", "egal entier", "entre dates egales", "entre nombres egaux", "entre date decalee egale",
        "entre borne non constante", "vague", "tel_que avec un champ", "somme filtree avec un champ"])
def test_the_new_lint_refusals_stop_at_their_boundary(rule):
    _appel(rule)  # lint: []


def test_the_misused_constructs_pass_once_corrected(tmp_path):
    """The base of every misuse above is valid: the error is the misuse's own."""
    code, _stderr = _validate(tmp_path, _data({"type": "condition", "doit": {"question": "titre", "longueur_min": 3}}))
    assert code == 0


def test_a_conseil_needs_no_source_but_an_avertissement_does():
    advice = _data({"type": "condition", "gravite": "conseil", "doit": {"question": "titre", "mots_min": 3}})
    del advice["regles"][0]["source"]
    assert lint(Appel.model_validate(advice)) == []
    advice["regles"][0]["gravite"] = "avertissement"
    assert [p for p in lint(Appel.model_validate(advice)) if "« source »" in p]


@pytest.mark.parametrize("condition", [
    {"ou": [{"question": "statut", "egal": "prive"}, {"question": "detail", "renseigne": True}]},
    {"et": [{"question": "accord", "egal": True}, {"non": {"question": "detail", "mentionne": ["x"]}}]},
    {"question": "montant", "au_plus": {"pourcentage": 50, "de": {"question": "detail"}}},
])
def test_a_question_whose_si_names_itself_is_a_located_lint_error(tmp_path, condition):
    questions = _questions()
    next(q for q in questions if q["id"] == "detail")["si"] = condition
    code, stderr = _validate(tmp_path, _data(questions=questions))
    assert code == 2
    assert "section s › question detail: la condition porte sur la question elle-même" in stderr, stderr


def test_a_question_si_naming_an_unknown_question_inside_ou_is_located(tmp_path):
    questions = _questions()
    next(q for q in questions if q["id"] == "detail")["si"] = {
        "ou": [{"question": "statut", "egal": "prive"}, {"non": {"question": "inconnue", "egal": True}}]}
    code, stderr = _validate(tmp_path, _data(questions=questions))
    assert code == 2
    assert "section s › question detail: la condition nomme une question inconnue « inconnue »" in stderr, stderr


@pytest.mark.parametrize(("condition", "expected"), [
    ({"question": "montant", "egal": 0}, "« egal » ne va pas avec un montant, un nombre décimal ou une date (« montant »)"),
    ({"question": "finess", "departement_finess": [20]}, "« departement_finess » : « 20 » n'est pas un département"),
    ({"question": "fin", "entre": [{"date": "2028-01-01"}, {"date": "2027-12-31"}]},
     "« entre » : la première borne vient après la seconde"),
])
def test_a_new_refusal_in_a_question_si_is_located_at_the_question(tmp_path, condition, expected):
    questions = _questions()
    next(q for q in questions if q["id"] == "detail")["si"] = condition
    code, stderr = _validate(tmp_path, _data(questions=questions))
    assert code == 2
    assert "section s › question detail" in stderr and expected in stderr, stderr


def test_date_limite_term_needs_a_deadline(tmp_path):
    data = _data({"type": "comparaison", "gauche": {"question": "debut"}, "operateur": ">", "droite": {"date": "date_limite"}})
    data["date_limite"] = None
    code, stderr = _validate(tmp_path, data)
    assert code == 2
    assert "règle r: « date: date_limite » : l'appel n'a pas de « date_limite »" in stderr, stderr


# -- regressions of the second review of the language -------------------------------------------------

def test_a_condition_that_fails_is_shown_at_the_first_question_it_reads_that_is_asked():
    """The first question a `doit` names may not be asked; the failure, on another, is still said."""
    questions = [{**q, "si": {"question": "accord", "egal": True}} if q["id"] == "titre" else q for q in _questions()]
    appel = _appel({"type": "condition", "doit": {"et": [{"question": "titre", "longueur_min": 3},
                                                         {"question": "nombre", "au_moins": {"nombre": 10}}]}},
                   questions=questions)
    found = _findings(appel, accord=False, nombre=5)
    assert [(f.rule, f.question) for f in found] == [("r", "nombre")]
    assert not _findings(appel, accord=False, nombre=10)


def test_questions_whose_conditions_name_each_other_are_refused_not_looped_over():
    questions = [
        {"id": "a", "libelle": "A", "type": "oui_non", "si": {"question": "b", "egal": True}},
        {"id": "b", "libelle": "B", "type": "oui_non", "si": {"ou": [{"question": "c", "egal": True},
                                                                    {"question": "a", "egal": True}]}},
        {"id": "c", "libelle": "C", "type": "oui_non"},
    ]
    problems = lint(Appel.model_validate(_data(questions=questions)))
    assert "section s › question a: les conditions « si » forment une boucle : a → b → a" in problems
    assert "section s › question b: les conditions « si » forment une boucle : b → a → b" in problems
    chain = [{**q, "si": {"question": "c", "egal": True}} if q["id"] == "b" else q for q in questions]
    assert lint(Appel.model_validate(_data(questions=chain))) == []  # a chain is no loop


@pytest.mark.parametrize(("question", "value"), [("nombre", "trois"), ("titre", 3), ("nombre", True), ("titre", True)])
def test_egal_with_a_value_of_another_type_is_refused(question, value):
    problems = lint(Appel.model_validate(_data({"type": "condition", "doit": {"question": question, "egal": value}})))
    assert problems == [f"règle r: « egal » compare la réponse à une valeur de son type : « {question} » est de type "
                        f"« {'entier' if question == 'nombre' else 'texte'} »"]


@pytest.mark.parametrize(("text", "found"), [
    ("1,2 million d’euros", True), ("1,5 million €", True), ("1,5 million de patients", False)])
def test_mentionne_montant_reads_word_s_apostrophe_and_millions(text, found):
    appel = _appel({"type": "condition", "doit": {"question": "texte", "mentionne_montant": True}})
    assert _fires(appel, texte=text) is not found


@pytest.mark.parametrize(("text", "found"), [
    ("Bilan au 2e semestre 2024", True), ("Bilan en T3 2025", True), ("Ouverture au printemps 2025", True),
    ("Formation l’été 2025", True), ("Bilan au 2e semestre", False), ("Trois patients", False)])
def test_mentionne_date_reads_semesters_quarters_and_seasons(text, found):
    appel = _appel({"type": "condition", "doit": {"question": "texte", "mentionne_date": True}})
    assert _fires(appel, texte=text) is not found


def test_elements_names_the_items_that_do_not_meet_the_condition_five_at_most():
    appel = _appel({"type": "elements", "groupe": "lignes", "min": 1, "message": "{ecartes}",
                    "tel_que": {"champ": "libelle", "longueur_min": 12}})
    found = _findings(appel, lignes=[_line(f"L{n}", "1") for n in range(1, 8)])
    assert found[0].message == "« L1 » ; « L2 » ; « L3 » ; « L4 » ; « L5 » …"


@pytest.mark.parametrize(("lines", "holds"), [
    (["Divers"], False), (["Divers", "Balances connectées"], True), ([], None)])
def test_compte_holds_when_the_group_has_enough_items_that_meet_its_condition(lines, holds):
    condition = Condition.model_validate({"question": "lignes", "compte": {"min": 1, "tel_que": {
        "non": {"champ": "libelle", "vague": ["divers"]}}}})
    appel = _appel()
    assert condition.lint(appel, None) == []
    dossier = _dossier(appel, lignes=[_line(label, "1") for label in lines] or None)
    assert condition.holds(dossier) is holds


def test_compte_switches_a_rule_on_and_is_a_group_test_only():
    precise = {"question": "lignes", "compte": {"min": 1, "tel_que": {"champ": "libelle", "longueur_min": 12}}}
    appel = _appel({"type": "elements", "groupe": "lignes", "min": 2, "si": precise,
                    "tel_que": {"champ": "libelle", "longueur_min": 12}})
    assert not _fires(appel, lignes=[_line("Divers", "1")])  # no precise line: another rule's say
    assert _fires(appel, lignes=[_line("Balances connectées", "1")])
    problems = lint(Appel.model_validate(_data({"type": "condition", "doit": {
        "question": "titre", "compte": {"tel_que": {"champ": "libelle", "longueur_min": 3}}}})))
    assert problems == ["règle r: « compte » porte sur un groupe ; « titre » est de type « texte »"]


@pytest.mark.parametrize(("bounds", "reported"), [
    ([{"question": "debut", "decalage": {"mois": 7}}, {"question": "debut", "decalage": {"mois": 5}}], True),
    ([{"question": "debut", "decalage": {"mois": 5}}, {"question": "debut", "decalage": {"mois": 7}}], False),
    ([{"question": "debut"}, {"question": "fin"}], False),  # two answers: told only on a dossier
])
def test_entre_with_one_answer_moved_twice_in_the_wrong_order_is_refused(bounds, reported):
    problems = lint(Appel.model_validate(_data({"type": "condition", "doit": {"question": "fin", "entre": bounds}})))
    assert (problems == ["règle r: « entre » : la première borne vient après la seconde"]) is reported
    assert reported or problems == []


@pytest.mark.parametrize(("term", "message"), [
    ({"date": "31/12/2027"}, "« date » vaut une date AAAA-MM-JJ (2024-12-31) ou « date_limite »"),
    ({"date": "demain"}, "« date » vaut une date AAAA-MM-JJ (2024-12-31) ou « date_limite »"),
])
def test_a_date_term_that_is_not_a_date_is_said_in_french(tmp_path, term, message):
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(_data({"type": "comparaison", "gauche": {"question": "fin"}, "operateur": "<=",
                                          "droite": term}), allow_unicode=True), encoding="utf-8")
    result = run_aap("appels", "--valider", str(path))
    assert result.returncode == 2 and message in " ".join(result.stderr.split()) and "literal" not in result.stderr


def test_entre_with_three_bounds_is_said_in_french(tmp_path):
    path = tmp_path / "q.yaml"
    three = [{"nombre": 1}, {"nombre": 2}, {"nombre": 3}]
    path.write_text(yaml.safe_dump(_data({"type": "condition", "doit": {"question": "nombre", "entre": three}}),
                                   allow_unicode=True), encoding="utf-8")
    result = run_aap("appels", "--valider", str(path))
    said = " ".join(result.stderr.split())
    assert result.returncode == 2 and "« entre » prend deux bornes" in said and "Tuple" not in said
