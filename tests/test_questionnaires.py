"""Both calls load, their contract ids exist with the stated types and choices, every condition
and rule names existing questions, and every example in them passes its own parser."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant import loading
from assistant.lint import lint
from assistant.model import FieldType as T
from assistant.parsing import parse_answer

IDF = "idf-2022-actes-interventionnels"
BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"
EXAMPLES = Path(__file__).resolve().parent.parent / "questionnaires" / "exemples"

IDF_CONTRACT = {
    "informations_generales": {
        "etablissement": T.TEXT, "finess_juridique": T.FINESS, "finess_geographique": T.FINESS, "siret": T.SIRET,
        "statut_juridique": T.CHOICE, "activites": T.MULTIPLE_CHOICE, "autorisation": T.YES_NO,
        "autorisation_reference": T.TEXT, "autorisation_date": T.DATE,
        "porteur_nom": T.TEXT, "porteur_fonction": T.TEXT, "porteur_email": T.EMAIL,
        "porteur_telephone": T.PHONE, "titre_projet": T.TEXT, "objectifs": T.LONG_TEXT,
    },
    "description": {
        "contexte": T.LONG_TEXT, "actes_par_an": T.INTEGER, "activite_par_acte": T.GROUP,
        "part_ambulatoire_actuelle": T.PERCENTAGE, "description_projet": T.LONG_TEXT,
        "axes_amelioration": T.MULTIPLE_CHOICE, "parcours_patient": T.LONG_TEXT, "equipe": T.GROUP,
        "methode_travail": T.LONG_TEXT, "formation": T.GROUP, "information_patient": T.LONG_TEXT,
        "engagements": T.MULTIPLE_CHOICE, "prom_instrument": T.TEXT, "prom_moment": T.TEXT,
        "prom_exploitation": T.LONG_TEXT,
        "documents_patients": T.MULTIPLE_CHOICE, "date_demarrage": T.DATE, "calendrier": T.GROUP, "evaluation": T.LONG_TEXT,
        "indicateurs": T.GROUP,
    },
    "budget": {"depenses": T.GROUP, "cofinancements": T.GROUP, "montant_demande": T.AMOUNT, "affectation": T.LONG_TEXT,
               "perennisation": T.LONG_TEXT},
    "annexes": {"annexes": T.GROUP},
}
IDF_CHOICES = {
    "statut_juridique": ["public", "prive_non_lucratif", "prive_lucratif"],
    "activites": ["radiologie", "cardiologie"],
    "engagements": ["equipe_projet", "documents_patients", "checklist_has", "appels_pre_post", "enquete_prom",
                    "bilans_6_12_mois"],
    "documents_patients": ["livret_accueil", "passeport_ambulatoire", "ordonnance_pre_intervention",
                           "fiches_intervention", "consentement_ecrit", "lettre_liaison"],
    "axes_amelioration": ["charte", "passeport", "prescription_anticipee", "consultation_infirmiere", "roles",
                          "appels_pre_post", "circuit_formalise"],
}
IDF_FIELDS = {
    "equipe": ["nom", "fonction", "role", "etp", "origine_temps"], "calendrier": ["etape", "echeance"],
    "indicateurs": ["libelle", "valeur_initiale", "source", "frequence", "valeur_cible", "moment"],
    "activite_par_acte": ["type_acte", "nombre", "part_ambulatoire"], "formation": ["public", "contenu", "heures", "echeance"],
    "depenses": ["nature", "libelle", "montant", "part_ars"],
    "cofinancements": ["financeur", "montant"], "annexes": ["titre", "fichier", "description"],
}


@pytest.fixture(scope="module")
def idf():
    return loading.find_appel(IDF)


def test_both_calls_are_shipped_and_load():
    ids = [appel.id for appel in loading.load_all()]
    assert sorted(ids) == sorted([IDF, BRETAGNE])


def test_idf_call_facts(idf):
    assert idf.deadline == date(2022, 10, 21)
    assert idf.cap == Decimal(40000)
    assert "demarches-simplifiees.fr" in idf.platform
    assert [s.id for s in idf.sections] == list(IDF_CONTRACT)


def test_idf_contract_ids_types_and_choices(idf):
    for section in idf.sections:
        for qid, kind in IDF_CONTRACT[section.id].items():
            question = next((q for q in section.questions if q.id == qid), None)
            assert question is not None, f"{section.id}.{qid} missing"
            assert question.type is kind, qid
    for qid, choices in IDF_CHOICES.items():
        assert [c.id for c in idf.question(qid).choices] == choices
    for qid, fields in IDF_FIELDS.items():
        assert [f.id for f in idf.question(qid).fields] == fields
    nature = idf.question("depenses").field("nature")
    assert [c.id for c in nature.choices] == ["personnel", "formation", "equipement", "numerique", "documents",
                                              "prestation", "autre"]
    annexes = idf.question("annexes")
    assert not annexes.field("fichier").required and not annexes.field("description").required


def test_idf_declares_the_rules_the_call_implies(idf):
    kinds = {rule.kind for rule in idf.rules}
    assert kinds == {"plafond", "comparaison", "obligatoire", "nombre", "roles", "tous_coches", "egal_a", "date_limite",
                     "condition", "elements"}
    cap = next(rule for rule in idf.rules if rule.kind == "plafond")
    assert cap.amount == Decimal(40000) and cap.question == "montant_demande" and cap.severity == "erreur"
    refusal = next(rule for rule in idf.rules if rule.kind == "obligatoire")
    assert refusal.id == "refus_prealable" and refusal.severity == "bloquant"
    assert set(refusal.questions) == {"depenses", "montant_demande", "affectation"}


# What the call sanctions with an outright refusal is blocking; what it asks for is an error;
# what it does not ask for but helps the dossier is advice (and quotes no sentence of the call).
IDF_SEVERITIES = {
    "echeance_depot": "bloquant", "perimetre_autorisation": "bloquant", "site_en_ile_de_france": "avertissement",
    "refus_prealable": "bloquant", "budget_detaille": "bloquant", "budget_trois_lignes": "avertissement",
    "annexes_jointes": "avertissement", "ligne_vague_limitee": "erreur",
    "affectation_detaillee": "erreur", "plafond_subvention": "erreur", "demande_sous_la_subvention": "conseil",
    "demande_inferieure_depenses": "erreur", "parts_ars_egales_demande": "erreur", "part_ars_par_ligne": "erreur",
    "budget_equilibre": "avertissement", "roles_precis": "erreur", "equipe_pluriprofessionnelle": "conseil",
    "six_engagements": "erreur", "six_documents": "erreur", "bilan_6_mois": "erreur", "bilan_12_mois": "erreur",
    "bilans_apres_depot": "erreur", "demarrage_apres_depot": "conseil",
}
BRETAGNE_SEVERITIES = {
    "echeance_depot": "erreur", "site_en_bretagne": "avertissement", "budget_complet": "erreur",
    "investissements_precis": "conseil", "demande_inferieure_depenses": "erreur", "parts_ars_egales_demande": "erreur",
    "part_ars_par_ligne": "erreur", "aide_sur_des_investissements": "avertissement", "budget_equilibre": "conseil",
    "etapes_ciblees_renseignees": "erreur",
    "outils_decrits": "conseil", "roles_precis": "conseil",
}


@pytest.mark.parametrize(("appel_id", "severities"), [(IDF, IDF_SEVERITIES), (BRETAGNE, BRETAGNE_SEVERITIES)])
def test_each_rule_has_its_severity_and_quotes_the_call_unless_advice(appel_id, severities):
    appel = loading.find_appel(appel_id)
    assert {rule.id: rule.severity.value for rule in appel.rules} == severities
    for rule in appel.rules:
        if rule.severity.value != "conseil":
            assert rule.source and len(rule.source) > 40, rule.id


def test_bretagne_text_has_no_outright_refusal():
    """The Bretagne call provides no refusal: nothing in it is blocking."""
    appel = loading.find_appel(BRETAGNE)
    assert not [rule.id for rule in appel.rules if rule.severity.value == "bloquant"]


def test_bretagne_has_no_cap_and_its_deadline():
    appel = loading.find_appel(BRETAGNE)
    assert appel.cap is None
    assert appel.deadline == date(2025, 7, 11)
    assert not any(rule.kind == "plafond" for rule in appel.rules)
    assert appel.question("etapes_ciblees").type is T.MULTIPLE_CHOICE
    assert {c.id for c in appel.question("etapes_ciblees").choices} == {"pre_admission", "coordination",
                                                                        "sortie_suivi", "logistique"}


@pytest.mark.parametrize("appel_id", [IDF, BRETAGNE])
def test_every_condition_and_rule_names_existing_questions(appel_id):
    appel = loading.find_appel(appel_id)
    assert lint(appel) == []
    ids = {q.id for q in appel.questions()}
    for question in appel.questions():
        if question.condition:
            assert question.condition.question in ids
    for rule in appel.rules:
        for name in ("question", "group"):
            if hasattr(rule, name):
                assert getattr(rule, name) in ids, rule.id
        for qid in getattr(rule, "questions", ()):
            assert qid in ids
        for operand in (*getattr(rule, "left", ()), *getattr(rule, "right", ())):
            if operand.question:
                assert operand.question in ids
            if operand.sum:
                assert operand.sum.split(".")[0] in ids


@pytest.mark.parametrize("appel_id", [IDF, BRETAGNE])
def test_every_example_passes_its_own_parser(appel_id):
    appel = loading.find_appel(appel_id)
    for question in appel.questions():
        for item in (question, *question.fields):
            if item.example:
                parse_answer(item, item.example)


@pytest.mark.parametrize("appel_id", [IDF, BRETAGNE])
def test_the_shipped_example_answers_every_required_question_and_parse(appel_id):
    from assistant.answers import apply_answers, parse_answers
    from assistant.dossier import Dossier

    path = next(p for p in EXAMPLES.glob("*.yaml") if yaml.safe_load(p.read_text(encoding="utf-8"))["appel"] == appel_id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    appel = loading.find_appel(appel_id)
    assert data["nom"] and set(data["reponses"]) <= {q.id for q in appel.questions()}
    dossier = Dossier.new(data["nom"], appel)
    apply_answers(dossier, parse_answers(appel, data["reponses"]))  # raises on an answer that does not parse
    assert dossier.invalid == {} and list(dossier.missing_required()) == []


def test_every_section_has_guidance():
    for appel in loading.load_all():
        assert all(section.guidance.strip() for section in appel.sections), appel.id


def test_idf_guidance_warns_about_outright_refusal(idf):
    budget = next(s for s in idf.sections if s.id == "budget")
    assert "refus préalable" in budget.guidance
