"""Consistency checks: one planted fault per rule, boundaries, exact sums, and the command."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from builders import IDF, dossier_from, example_answers
from conftest import run_aap
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import loading
from assistant.checks import Context, blocks_submission, check
from assistant.dossier import Dossier
from assistant.lint import lint
from assistant.model import Appel

BEFORE_DEADLINE = date(2022, 10, 1)
APPEL = loading.find_appel(IDF)
BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"


def findings_of(answers: dict, today: date = BEFORE_DEADLINE):
    return check(dossier_from(answers), today)


def test_the_clean_example_has_no_finding_before_the_deadline():
    # Its annexes are titles only (the example ships no files): said, and nothing else.
    assert [f for f in findings_of(example_answers()) if f.rule != "annexe_sans_fichier"] == []


def _plant(change) -> dict:
    answers = copy.deepcopy(example_answers())
    change(answers)
    return answers


def _over_cap(a):
    a["montant_demande"] = "45 000"
    a["depenses"][0]["montant"] = a["depenses"][0]["part_ars"] = "23 000"


def _vague_role(a):
    a["equipe"][3]["role"] = "membre"


def _one_line_budget(a):
    a["depenses"] = [{"nature": "autre", "libelle": "Divers", "montant": "40 000", "part_ars": "40 000"}]
    a["cofinancements"] = []


def _under_the_grant(a):
    a["montant_demande"] = "35 000"
    a["depenses"][0]["part_ars"] = "13 000"
    a["cofinancements"][0]["montant"] = "7 800"


def _start_before_the_deadline(a):
    # Started on 3 October 2022, before the deadline (21 October 2022); the reviews move with the
    # start (six and twelve months later), so that nothing but the start date is at fault.
    a["date_demarrage"] = "2022-10-03"
    a["calendrier"][3]["echeance"] = "2023-04-03"
    a["calendrier"][4]["echeance"] = "2023-10-03"


FAULTS = {
    # rule id: (planted fault, severity, words expected in the message, where)
    "plafond_subvention": (_over_cap, "erreur",
                           ["Montant demandé : 45 000,00 € ; l'appel accorde 40 000,00 € à chaque établissement retenu : "
                            "ramenez la demande à 40 000,00 € au plus."], "Montant de l'aide demandée"),
    "refus_prealable": (lambda a: a.pop("affectation"), "bloquant", ["refus préalable", "Affectation de l'aide demandée"],
                        "Affectation"),
    "demande_inferieure_depenses": (lambda a: a.update(montant_demande="50 000", cofinancements=[]), "erreur",
                                    ["(50 000,00 €) dépasse le total des dépenses (42 800,00 €)"], "Montant"),
    "parts_ars_egales_demande": (lambda a: a["depenses"][4].update(part_ars="3 000"), "erreur",
                                 ["(39 900,00 €) doit être égale au montant demandé (40 000,00 €)"], "Dépenses"),
    "part_ars_par_ligne": (lambda a: a["depenses"][2].update(part_ars="9 900", montant="9 800"), "erreur",
                           ["La part ARS (9 900,00 €) dépasse le montant de la ligne (9 800,00 €)"], "ligne 3 — Deux fauteuils"),
    "budget_equilibre": (lambda a: a.update(cofinancements=[]), "avertissement",
                         ["(42 800,00 €) n'est pas égal", "(40 000,00 €)"], "Dépenses"),
    "equipe_pluriprofessionnelle": (lambda a: a.update(equipe=a["equipe"][:1]), "conseil",
                                    ["compte 1 membre ; il est conseillé de réunir au moins 2 professionnels"], "Équipe"),
    "roles_precis": (_vague_role, "erreur", ["Le rôle de Karim Benali (« membre ») n'est pas assez précis"], "Karim Benali"),
    "six_engagements": (lambda a: a["engagements"].remove("enquete_prom"), "erreur",
                        ["il manque : Mettre en place une enquête PROM"], "Engagements"),
    "six_documents": (lambda a: a["documents_patients"].remove("lettre_liaison"), "erreur",
                      ["il manque : Lettre de liaison"], "Documents"),
    "perimetre_autorisation": (lambda a: a.update(autorisation="non"), "bloquant", ["hors périmètre"], "autorisé"),
    "site_en_ile_de_france": (lambda a: a.update(finess_geographique="290000017"), "avertissement",
                              ["Le FINESS géographique 290000017 n'est pas celui d'un site d'Île-de-France"],
                              "FINESS géographique"),
    "budget_detaille": (_one_line_budget, "bloquant",
                        ["Aucune ligne du budget ne dit ce qu'elle paie (« Divers »)", "refus préalable"],
                        "Dépenses prévues"),
    "budget_trois_lignes": (lambda a: a.update(depenses=a["depenses"][:2]), "avertissement",
                            ["Lignes du budget au libellé précis : 2 ; un budget détaillé en compte d'ordinaire au moins 3"],
                            "Dépenses prévues"),
    "ligne_vague_limitee": (lambda a: a["depenses"][0].update(libelle="Frais divers"), "erreur",
                            ["La ligne « Frais divers » (18 000,00 €, plus de 20 % du budget : 8 560,00 €) ne dit pas ce "
                             "qu'elle paie"], "ligne 1 — Frais divers"),
    "annexes_jointes": (lambda a: a.pop("annexes"), "avertissement", ["Le dossier n'a aucune annexe"], "Pièces jointes"),
    "affectation_detaillee": (lambda a: a.update(affectation="Voir budget."), "erreur", ["L'affectation (« Voir budget. »)"],
                              "Affectation"),
    "demande_sous_la_subvention": (_under_the_grant, "conseil", ["Vous demandez 35 000,00 €, moins que les 40 000,00 €"],
                                   "Montant de l'aide demandée"),
    "bilan_6_mois": (lambda a: a["calendrier"].pop(3), "erreur",
                     ["Le calendrier n'a pas d'étape de bilan datée six mois après le démarrage (à un mois près)",
                      "ajoutez l'étape « Bilan à 6 mois », ou corrigez sa date."], "Calendrier"),
    "bilan_12_mois": (lambda a: a["calendrier"].pop(4), "erreur",
                      ["Le calendrier n'a pas d'étape de bilan datée douze mois après le démarrage (à un mois près)",
                       "ajoutez l'étape « Bilan à 12 mois », ou corrigez sa date."], "Calendrier"),
    "bilans_apres_depot": (lambda a: a["calendrier"].insert(0, {"etape": "Point d'étape avec l'ARS", "echeance": "2022-09-01"}),
                           "erreur", ["L'étape « Point d'étape avec l'ARS » (échéance : 1er septembre 2022) précède le dépôt du "
                                      "dossier (date limite : 21 octobre 2022) : un bilan de mise en œuvre vient après."],
                           "ligne 1 — Point d'étape avec l'ARS"),
    "demarrage_apres_depot": (_start_before_the_deadline, "conseil",
                              ["Le démarrage est fixé au 3 octobre 2022, avant la date limite de dépôt : il est conseillé"],
                              "Date de démarrage du projet"),
}


def test_every_rule_of_the_idf_call_has_a_fault_here_but_the_deadline():
    assert {rule.id for rule in APPEL.rules} - set(FAULTS) == {"echeance_depot"}


@pytest.mark.parametrize("rule_id", sorted(FAULTS))
def test_each_planted_fault_is_reported_with_its_severity_place_and_figures(rule_id):
    plant, severity, words, where = FAULTS[rule_id]
    findings = [f for f in findings_of(_plant(plant)) if f.rule == rule_id]
    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding.severity.value == severity
    flat = finding.message.replace("\u202f", " ").replace("\u00a0", " ")
    for word in words:
        assert word in flat
    assert where in f"{finding.question_label} {finding.item or ''}"
    assert finding.section is not None and finding.section_title


def test_required_functions_of_the_team():
    answers = _plant(lambda a: a.update(equipe=[m for m in a["equipe"] if not m["nom"].startswith("Dr")]))
    doctors = [f for f in findings_of(answers) if f.rule == "roles_precis" and "médecin" in f.message]
    assert len(doctors) == 1 and doctors[0].severity.value == "conseil"
    assert doctors[0].source is None  # advice does not quote the call's sentence on roles
    answers = _plant(lambda a: [m.update(role="Participe aux réunions du projet", fonction="IDE") for m in a["equipe"]])
    messages = [f.message for f in findings_of(answers) if f.rule == "roles_precis"]
    assert any("coordination" in m for m in messages)


def test_deadline_blocks_after_the_date():
    late = [f for f in findings_of(example_answers(), today=date(2022, 10, 22)) if f.rule == "echeance_depot"]
    assert late and "21 octobre 2022" in late[0].message and late[0].severity.value == "bloquant"
    assert "refus préalable" in late[0].source
    assert not [f for f in findings_of(example_answers(), today=date(2022, 10, 21)) if f.rule == "echeance_depot"]


@pytest.mark.parametrize("amount, reported", [("40 000,00", False), ("40 000,01", True), ("39 999,99", False)])
def test_cap_boundary_is_exact(amount, reported):
    answers = _plant(lambda a: a.update(montant_demande=amount))
    assert any(f.rule == "plafond_subvention" for f in findings_of(answers)) is reported


@pytest.mark.parametrize(("amount", "cofunding", "reported"), [("8 250", "1 250", False), ("8 250,01", "1 250,01", True)])
def test_a_vague_line_may_be_a_fifth_of_the_budget_to_the_cent(amount, cofunding, reported):
    # The other lines make 33 000 €: 8 250 € is 20 % of 41 250 € exactly.
    def change(a):
        a["depenses"][2].update(libelle="Frais divers", montant=amount)
        a["cofinancements"][0]["montant"] = cofunding
    rules = [f.rule for f in findings_of(_plant(change))]
    assert ("ligne_vague_limitee" in rules) is reported
    assert [r for r in rules if r not in ("annexe_sans_fichier", "ligne_vague_limitee")] == []


@pytest.mark.parametrize(("six", "twelve", "fired"), [
    ("2023-09-03", "2024-03-03", set()),  # start (3 April 2023) + 5 and + 11 months: within a month
    ("2023-11-03", "2024-05-03", set()),  # + 7 and + 13 months
    ("2023-09-02", "2024-03-02", {"bilan_6_mois", "bilan_12_mois"}),  # a day early
    ("2023-11-04", "2024-05-04", {"bilan_6_mois", "bilan_12_mois"}),  # a day late
    ("2023-10-02", "2023-09-15", {"bilan_12_mois"}),  # the 12-month review before the 6-month one
])
def test_reviews_six_and_twelve_months_after_the_start_within_a_month(six, twelve, fired):
    def change(a):
        a["calendrier"][3]["echeance"] = six
        a["calendrier"][4]["echeance"] = twelve
    rules = {f.rule for f in findings_of(_plant(change))}
    assert rules & {"bilan_6_mois", "bilan_12_mois"} == fired
    assert rules - fired == {"annexe_sans_fichier"}


def test_reviews_whose_labels_are_swapped_fire_both_review_rules():
    # « Bilan à 12 mois » dated six months after the start, « Bilan à 6 mois » twelve months after:
    # neither review is where the call wants it, whatever the dates.
    def change(a):
        a["calendrier"][3]["etape"] = "Bilan de mise en œuvre à 12 mois"
        a["calendrier"][4]["etape"] = "Bilan de mise en œuvre à six mois"
    rules = sorted(f.rule for f in findings_of(_plant(change)) if f.rule != "annexe_sans_fichier")
    assert rules == ["bilan_12_mois", "bilan_6_mois"]


def test_a_missing_calendar_is_reported_as_missing_not_as_a_missing_review():
    findings = [f for f in findings_of(_plant(lambda a: a.pop("calendrier"))) if f.rule != "annexe_sans_fichier"]
    assert [(f.rule, f.severity.value, f.question) for f in findings] == [("reponse_manquante", "erreur", "calendrier")]


@pytest.mark.parametrize(("label", "day", "reported"), [
    ("Point d'étape avec l'ARS", "2022-10-20", True),
    ("Point d'étape avec l'ARS", "2022-10-21", True),  # on the deadline day: not after the submission
    ("Point d\u2019étape avec l'ARS", "2022-10-21", True),  # the typographic apostrophe reads as the plain one
    ("Point d'étape avec l'ARS", "2022-10-22", False),
    # What comes before a project is no review of it: a baseline audit, a state of play.
    ("Évaluation initiale des pratiques (audit de la check-list)", "2022-06-30", False),
    ("Bilan initial : état des lieux du circuit", "2022-06-30", False),
    ("Bilan de l'existant et audit de la check-list", "2022-06-01", False),
    ("Revue des événements indésirables", "2022-06-30", False),
])
def test_a_review_dated_up_to_the_deadline_day_is_said_to_come_after_the_submission(label, day, reported):
    answers = _plant(lambda a: a["calendrier"].insert(0, {"etape": label, "echeance": day}))
    findings = [f for f in findings_of(answers) if f.rule != "annexe_sans_fichier"]
    assert [f.rule for f in findings] == (["bilans_apres_depot"] if reported else [])
    if reported:
        dated = {"2022-10-20": "20 octobre 2022", "2022-10-21": "21 octobre 2022"}[day]
        assert findings[0].message.replace("\u202f", " ").replace("\u00a0", " ") == (
            f"L'étape « {label} » (échéance : {dated}) précède le dépôt du dossier "
            "(date limite : 21 octobre 2022) : un bilan de mise en œuvre vient après.")
        assert findings[0].item == f"ligne 1 — {label}"


@pytest.mark.parametrize(("start", "reported"), [("2022-10-20", True), ("2022-10-21", False)])
def test_a_start_before_the_deadline_gets_the_advice_and_on_the_deadline_day_does_not(start, reported):
    def change(a):
        a["date_demarrage"] = start
        a["calendrier"][3]["echeance"] = "2023-04-20"  # within a month of six months after either start
        a["calendrier"][4]["echeance"] = "2023-10-20"
    findings = [f for f in findings_of(_plant(change)) if f.rule != "annexe_sans_fichier"]
    assert [(f.rule, f.severity.value, f.question) for f in findings] == (
        [("demarrage_apres_depot", "conseil", "date_demarrage")] if reported else [])
    if reported:
        assert "fixé au 20 octobre 2022, avant la date limite de dépôt" in findings[0].message.replace("\u00a0", " ")
        assert findings[0].source is None  # advice: the call does not ask for it


def test_a_start_before_the_deadline_with_the_calendar_unchanged_also_moves_the_reviews_out_of_their_windows():
    # The example's reviews (2 October 2023, 1 April 2024) are six and twelve months after 3 April
    # 2023; counted from 3 October 2022 they are twelve and eighteen months after.
    findings = findings_of(_plant(lambda a: a.update(date_demarrage="2022-10-03")))
    assert sorted((f.rule, f.severity.value) for f in findings if f.rule != "annexe_sans_fichier") == [
        ("bilan_12_mois", "erreur"), ("bilan_6_mois", "erreur"), ("demarrage_apres_depot", "conseil")]


@pytest.mark.parametrize("function", ["Chef du service d'imagerie interventionnelle", "PH en imagerie interventionnelle",
                                      "Radiologue", "Cardiologue interventionnel", "Praticien hospitalier"])
def test_a_physician_named_by_function_only_is_recognised(function):
    def change(a):
        a["equipe"][0].update(fonction=function, role="Valide les chemins cliniques et la check-list HAS")
        a["equipe"].pop(4)  # the anesthetist
    assert not [f for f in findings_of(_plant(change)) if f.rule == "roles_precis"]


@pytest.mark.parametrize("function", ["Manipulateur en radiologie interventionnelle",
                                      "Cadre de santé du plateau d'imagerie interventionnelle"])
def test_a_team_without_physician_gets_the_advice_whatever_the_unit_is_called(function):
    # Regression: « interventionnel(le) » counted as a physician's function (a MERM in interventional radiology).
    def change(a):
        a["equipe"] = [m for m in a["equipe"] if not m["nom"].startswith("Dr")]
        a["equipe"][0]["fonction"] = function
    doctors = [f for f in findings_of(_plant(change)) if f.rule == "roles_precis" and "médecin" in f.message]
    assert len(doctors) == 1


# The physician patterns are looked for in who the members are (function, name), not in what they
# do: a nurse whose role names a physician (« assiste le radiologue ») is not one.
@pytest.mark.parametrize("role", ["Prépare la salle et assiste le radiologue pendant l'acte",
                                  "Appelle le patient et fait le lien avec le médecin traitant"])
def test_a_team_without_physician_gets_the_advice_though_a_role_names_one(role):
    def change(a):
        a["equipe"] = [m for m in a["equipe"] if not m["nom"].startswith("Dr")]
        a["equipe"][2]["role"] = role  # the coordination nurse
    doctors = [f for f in findings_of(_plant(change)) if f.rule == "roles_precis" and "médecin" in f.message]
    assert len(doctors) == 1


def test_fourteen_and_fifteen_characters_exactly():
    fourteen, fifteen = "Anime le comit", "Anime le comité"
    assert (len(fourteen), len(fifteen)) == (14, 15)
    for role, reported in ((fourteen, True), (fifteen, False)):
        answers = _plant(lambda a, role=role: a["equipe"][1].update(role=role))
        assert any(f.rule == "roles_precis" and f.item == "Claire Martin" for f in findings_of(answers)) is reported


def test_empty_groups_and_empty_dossier():
    findings = check(Dossier.new("vide", APPEL), BEFORE_DEADLINE)
    assert blocks_submission(findings)
    kinds = {f.rule for f in findings}
    assert {"refus_prealable", "six_engagements", "six_documents"} <= kinds
    # the team's advice (too few members, no physician) gives way to the missing answer
    assert [(f.rule, f.severity.value) for f in findings if f.question == "equipe"] == [("reponse_manquante", "erreur")]


@pytest.mark.parametrize(("appel_id", "rule"), [(IDF, "refus_prealable"), (BRETAGNE, "budget_complet")])
def test_an_empty_budget_is_reported_once_by_its_rule(appel_id, rule):
    # Regression: budget_detaille (investissements_precis) also counted « 0 line(s) with a precise label ».
    findings = check(Dossier.new("vide", loading.find_appel(appel_id)), BEFORE_DEADLINE)
    # an empty group is reported once, by its rule, not again as a missing answer
    assert [f.rule for f in findings if f.question == "depenses"] == [rule]


BRETAGNE_EXAMPLE = Path(__file__).resolve().parent.parent / "questionnaires" / "exemples" / "bretagne-2025-exemple.yaml"


@pytest.mark.parametrize(("appel_id", "rule", "severity"), [(IDF, "refus_prealable", "bloquant"),
                                                           (BRETAGNE, "budget_complet", "erreur")])
def test_a_budget_left_out_is_the_only_finding_not_a_comparison_of_empty_sums(appel_id, rule, severity):
    # The sums of the expenses are unknown, not 0: the request is not « more than the expenses »,
    # the shares do not « differ from the request », the plan is not « unbalanced ».
    answers = example_answers() if appel_id == IDF else yaml.safe_load(BRETAGNE_EXAMPLE.read_text(encoding="utf-8"))["reponses"]
    del answers["depenses"]
    today = BEFORE_DEADLINE if appel_id == IDF else date(2025, 7, 1)
    findings = [f for f in check(dossier_from(answers, appel_id=appel_id), today) if f.rule != "annexe_sans_fichier"]
    assert [(f.rule, f.severity.value, f.question) for f in findings] == [(rule, severity, "depenses")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2),
                          st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)), min_size=1, max_size=40))
def test_sums_are_the_exact_decimal_sums_of_the_lines(lines):
    answers = example_answers()
    answers["depenses"] = [{"nature": "autre", "libelle": f"Ligne {n}", "montant": str(m), "part_ars": str(p)}
                           for n, (m, p) in enumerate(lines, start=1)]
    total_parts = sum((p for _m, p in lines), Decimal(0))
    answers["montant_demande"] = str(total_parts) if total_parts < Decimal("10") ** 11 else "1"
    findings = [f for f in findings_of(answers) if f.rule == "parts_ars_egales_demande"]
    assert findings == []  # Σ part_ars = requested amount, exactly
    answers["montant_demande"] = str(total_parts + Decimal("0.01"))
    assert [f.rule for f in findings_of(answers)].count("parts_ars_egales_demande") == 1


def test_bretagne_rules_without_a_cap():
    bretagne = loading.find_appel("bretagne-2025-chirurgie-ambulatoire")
    dossier = Dossier.new("b", bretagne)
    dossier.set("montant_demande", Decimal("1000000"))
    rules = {f.rule for f in check(dossier, date(2025, 7, 1))}
    assert "budget_complet" in rules and "etapes_ciblees_renseignees" in rules
    assert not any(r.kind == "plafond" for r in bretagne.rules)
    assert "echeance_depot" in {f.rule for f in check(dossier, date(2025, 7, 12))}


def _with_rule(rule: dict) -> list[str]:
    data = json.loads(APPEL.model_dump_json(by_alias=True, exclude_none=True))
    data["regles"].append(rule)
    return lint(Appel.model_validate(data))


def test_questionnaire_check_reports_unknown_placeholders_and_wrong_types():
    problems = _with_rule({"id": "x", "type": "plafond", "gravite": "erreur", "question": "montant_demande",
                           "montant": 10, "message": "Trop : {montnat}"})
    assert any("règle x" in p and "{montnat}" in p for p in problems)
    problems = _with_rule({"id": "y", "type": "plafond", "gravite": "erreur", "question": "titre_projet",
                           "montant": 10, "message": "x"})
    assert any("règle y" in p and "texte" in p for p in problems)
    problems = _with_rule({"id": "z", "type": "comparaison", "gravite": "erreur", "gauche": {"somme": "equipe.nom"},
                           "operateur": "<=", "droite": {"question": "montant_demande"}, "message": "x"})
    assert any("règle z" in p and "equipe.nom" in p for p in problems)


# -- through the commands -----------------------------------------------------------------------

def _fill(tmp_path: Path, answers: dict, name: str) -> dict[str, str]:
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"appel": IDF, "nom": name, "reponses": answers}, allow_unicode=True), encoding="utf-8")
    filled = run_aap("remplir", "--reponses", str(path), env=env)
    assert filled.returncode == 0, filled.stderr
    assert "Vérifications" in filled.stdout
    return env


def test_clean_example_verifies_with_exit_0(tmp_path):
    env = _fill(tmp_path, example_answers(), "propre")
    result = run_aap("verifier", "propre", "--date", "2022-10-20", env=env)
    assert result.returncode == 0, result.stdout
    assert "Bloquant : 0 · Erreur : 0" in result.stdout


@pytest.mark.parametrize("rule_id", ["plafond_subvention", "part_ars_par_ligne", "roles_precis", "budget_equilibre",
                                     "demande_sous_la_subvention"])
def test_planted_faults_through_remplir_and_verifier(tmp_path, rule_id):
    plant, severity, words, _where = FAULTS[rule_id]
    env = _fill(tmp_path, _plant(plant), "faute")
    result = run_aap("verifier", "faute", "--date", "2022-10-20", env=env)
    assert result.returncode == (0 if severity in ("avertissement", "conseil") else 1)
    flat = result.stdout.replace("\u202f", " ").replace("\u00a0", " ")
    assert {"bloquant": "Bloquant", "erreur": "Erreur", "avertissement": "Avertissement", "conseil": "Conseil"}[severity] in flat
    as_json = json.loads(run_aap("verifier", "faute", "--json", "--date", "2022-10-20", env=env).stdout)
    found = [f for f in as_json["constats"] if f["regle"] == rule_id]
    assert found and found[0]["gravite"] == severity and found[0]["section"]
    for word in words:
        assert word in found[0]["message"].replace("\u202f", " ").replace("\u00a0", " ")


def test_an_annex_cited_without_a_file_is_a_warning():
    """It is allowed while writing, but the committee would not receive it: said, not blocking."""
    answers = example_answers()
    dossier = dossier_from(answers)
    without = [f for f in check(dossier, date(2022, 10, 1)) if f.rule == "annexe_sans_fichier"]
    assert len(without) == len(answers["annexes"]) and {f.severity.value for f in without} == {"avertissement"}
    assert "Annexe 1 « Chemin clinique de la biopsie hépatique »" in without[0].message.replace("\u00a0", " ")
    assert not blocks_submission(without)


@pytest.mark.parametrize(("question_id", "edit"), [
    ("montant_demande", lambda value: 40000),  # a bare number, not the "40000.00" aap writes
    ("cofinancements", lambda value: [{**value[0], "montant": "2 800,00"}, *value[1:]]),  # optional
    ("equipe", lambda value: [{**value[0], "inconnu": "x"}, *value[1:]]),
])
def test_a_hand_edited_answer_that_does_not_read_back_is_a_finding_of_every_command(tmp_path, question_id, edit):
    env = _fill(tmp_path, example_answers(), "edite")
    path = tmp_path / "dossiers" / "edite.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reponses"][question_id] = edit(data["reponses"][question_id])
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()

    as_json = run_aap("verifier", "edite", "--json", env=env)
    assert as_json.returncode == 1
    found = [f for f in json.loads(as_json.stdout)["constats"] if f["question"] == question_id]
    # One finding, the true one: not « missing », nor what a rule concludes from an empty group.
    assert [f["regle"] for f in found] == ["reponse_illisible"], found
    assert found[0]["gravite"] == "erreur" and "aap reprendre" in found[0]["message"]
    text = run_aap("verifier", "edite", env=env)
    assert text.returncode == 1 and "illisible" in text.stdout
    shown = run_aap("montrer", "edite", env=env)
    assert shown.returncode == 0 and "illisible" in shown.stdout
    deposit = run_aap("exporter", "edite", "--depot", "--sortie", str(tmp_path / "sorties"), env=env)
    assert deposit.returncode == 1  # the submission version is refused while it cannot be read
    assert path.read_bytes() == before  # reported, never rewritten


def test_a_required_answer_left_out_stays_an_error_whatever_advice_covers_it(tmp_path):
    # Issue 13, point 1: a question that carries a weaker rule, left unanswered, used to get the
    # weaker finding instead of the missing answer, and verifier said « Erreur : 0 ». The team
    # carries only advice: too few members (equipe_pluriprofessionnelle), no physician, no
    # coordination (roles_precis's required functions); all three hold of an empty team.
    answers = example_answers()
    del answers["equipe"]
    dossier = dossier_from(answers)
    context = Context(dossier, BEFORE_DEADLINE)
    advice = [f for rule in APPEL.rules if rule.id in ("equipe_pluriprofessionnelle", "roles_precis")
              for f in rule.evaluate(context)]
    assert len(advice) == 3 and {f.severity.value for f in advice} == {"conseil"}
    env = _fill(tmp_path, answers, "sans-equipe")
    result = run_aap("verifier", "sans-equipe", "--json", "--date", "2022-10-20", env=env)
    assert result.returncode == 1
    about = [f for f in json.loads(result.stdout)["constats"] if f["question"] == "equipe"]
    assert [(f["regle"], f["gravite"]) for f in about] == [("reponse_manquante", "erreur")]  # once, as an error


def test_a_rule_that_says_more_than_missing_speaks_for_the_question():
    answers = example_answers()
    del answers["affectation"]  # required; refus_prealable (blocking) says what missing it costs
    about = [(f.rule, f.severity.value) for f in findings_of(answers) if f.question == "affectation"]
    assert about == [("refus_prealable", "bloquant")]  # once, and not again as a missing answer


@pytest.mark.parametrize(("day", "late"), [("2022-10-20", False), ("2022-10-21", False), ("2022-10-22", True)])
def test_verifier_and_exporter_check_as_of_the_date_given(tmp_path, day, late):
    # Issue 13, point 3 (its option): the deadline of the IDF call is 21 October 2022.
    env = _fill(tmp_path, example_answers(), "date")
    result = run_aap("verifier", "date", "--json", "--date", day, env=env)
    kinds = {f["type"] for f in json.loads(result.stdout)["constats"]}
    assert ("date_limite" in kinds) is late
    exported = run_aap("exporter", "date", "--date", day, "--sortie", str(tmp_path / f"{day}.docx"), env=env)
    assert exported.returncode == 0  # the review version is written, late or not
    # the deadline blocks once passed; the three annexes without a file are warned about either way
    assert f"Bloquant : {int(late)} · Erreur : 0 · Avertissement : 3" in exported.stdout


def test_a_date_that_is_not_iso_is_a_usage_error(tmp_path):
    env = _fill(tmp_path, example_answers(), "date")
    result = run_aap("verifier", "date", "--date", "21/10/2022", env=env)
    assert result.returncode == 2 and "AAAA-MM-JJ" in result.stderr


def test_a_twelve_month_review_that_compares_with_the_six_month_one_is_the_twelve_month_one():
    label = "Bilan à 12 mois et comparaison avec le bilan à 6 mois"
    answers = _plant(lambda a: a["calendrier"][4].update(etape=label))
    assert [f.rule for f in findings_of(answers) if f.rule != "annexe_sans_fichier"] == []


@pytest.mark.parametrize(("text", "reported"), [
    ("Voir budget.", True),
    ("L'aide de 40 000 € servira au projet.", True),  # an amount, but not a sentence of what it pays
    ("La subvention paie l'infirmière de coordination (18 000 €) et la formation des MERM (6 500 €).", False),
])
def test_an_allocation_says_what_the_aid_pays_for(text, reported):
    rules = [f.rule for f in findings_of(_plant(lambda a: a.update(affectation=text)))]
    assert ("affectation_detaillee" in rules) is reported


def test_a_refused_submission_lists_what_blocks_first_and_verifier_says_its_date(tmp_path):
    def change(a):  # an error in the description, a blocking point in the budget, further on
        a["documents_patients"].remove("lettre_liaison")
        a["depenses"] = [{"nature": "autre", "libelle": "Divers", "montant": "40 000", "part_ars": "40 000"}]
        a["cofinancements"] = []
    answers = _plant(change)
    env = _fill(tmp_path, answers, "refus")
    refused = run_aap("exporter", "refus", "--depot", "--date", "2022-10-20", "--sortie", str(tmp_path / "x.docx"), env=env)
    assert refused.returncode == 1
    listed = [line.strip() for line in refused.stderr.splitlines() if line.strip().startswith("•")]
    assert listed[0].startswith("• Bloquant") and listed[-1].startswith("• Erreur"), listed
    shown = run_aap("verifier", "refus", "--date", "2022-10-20", env=env)
    assert "au 20 octobre 2022" in " ".join(shown.stdout.split())
    as_json = json.loads(run_aap("verifier", "refus", "--json", "--date", "2022-10-20", env=env).stdout)
    assert as_json["date"] == "2022-10-20"
