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
from assistant.checks import blocks_submission, check
from assistant.dossier import Dossier
from assistant.lint import lint
from assistant.model import Appel

BEFORE_DEADLINE = date(2022, 10, 1)
APPEL = loading.find_appel(IDF)


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


FAULTS = {
    # rule id: (planted fault, severity, words expected in the message, where)
    "plafond_subvention": (_over_cap, "bloquant",
                           ["Montant demandé : 45 000,00 € ; plafond de l'appel : 40 000,00 €"], "Montant de l'aide demandée"),
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
    "equipe_au_moins_deux": (lambda a: a.update(equipe=a["equipe"][:1]), "erreur", ["compte 1 membre"], "Équipe"),
    "roles_precis": (_vague_role, "erreur", ["Le rôle de Karim Benali (« membre ») n'est pas assez précis"], "Karim Benali"),
    "six_engagements": (lambda a: a["engagements"].remove("enquete_prom"), "erreur",
                        ["il manque : Mettre en place une enquête PROM"], "Engagements"),
    "six_documents": (lambda a: a["documents_patients"].remove("lettre_liaison"), "avertissement",
                      ["il manque : Lettre de liaison"], "Documents"),
    "perimetre_autorisation": (lambda a: a.update(autorisation="non"), "bloquant", ["hors périmètre"], "autorisé"),
}


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
    assert len(doctors) == 1 and doctors[0].severity.value == "erreur"
    answers = _plant(lambda a: [m.update(role="Participe aux réunions du projet", fonction="IDE") for m in a["equipe"]])
    messages = [f.message for f in findings_of(answers) if f.rule == "roles_precis"]
    assert any("coordination" in m for m in messages)


def test_deadline_warning_after_the_date():
    late = [f for f in findings_of(example_answers(), today=date(2022, 10, 22)) if f.rule == "echeance_depot"]
    assert late and "21 octobre 2022" in late[0].message and late[0].severity.value == "avertissement"
    assert not [f for f in findings_of(example_answers(), today=date(2022, 10, 21)) if f.rule == "echeance_depot"]


@pytest.mark.parametrize("amount, reported", [("40 000,00", False), ("40 000,01", True), ("39 999,99", False)])
def test_cap_boundary_is_exact(amount, reported):
    answers = _plant(lambda a: a.update(montant_demande=amount))
    assert any(f.rule == "plafond_subvention" for f in findings_of(answers)) is reported


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
    assert {"refus_prealable", "equipe_au_moins_deux", "six_engagements"} <= kinds
    # an empty group is reported once, by its rule, not again as a missing answer
    assert [f.question for f in findings].count("depenses") == 1


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
    result = run_aap("verifier", "propre", env=env)
    assert result.returncode == 0, result.stdout
    assert "Bloquant : 0 · Erreur : 0" in result.stdout


@pytest.mark.parametrize("rule_id", ["plafond_subvention", "part_ars_par_ligne", "roles_precis", "budget_equilibre"])
def test_planted_faults_through_remplir_and_verifier(tmp_path, rule_id):
    plant, severity, words, _where = FAULTS[rule_id]
    env = _fill(tmp_path, _plant(plant), "faute")
    result = run_aap("verifier", "faute", env=env)
    assert result.returncode == (0 if severity == "avertissement" else 1)
    flat = result.stdout.replace("\u202f", " ").replace("\u00a0", " ")
    assert {"bloquant": "Bloquant", "erreur": "Erreur", "avertissement": "Avertissement"}[severity] in flat
    as_json = json.loads(run_aap("verifier", "faute", "--json", env=env).stdout)
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


def test_a_required_answer_left_out_stays_an_error_whatever_warning_covers_it(tmp_path):
    # Issue 13, point 1: `documents_patients` carries a warning rule (six_documents); left
    # unanswered, the warning used to replace the missing answer and verifier said « Erreur : 0 ».
    answers = example_answers()
    del answers["documents_patients"]
    env = _fill(tmp_path, answers, "sans-documents")
    result = run_aap("verifier", "sans-documents", "--json", env=env)
    assert result.returncode == 1
    about = [f for f in json.loads(result.stdout)["constats"] if f["question"] == "documents_patients"]
    assert [(f["regle"], f["gravite"]) for f in about] == [("reponse_manquante", "erreur")]  # once, as an error


def test_a_rule_that_says_more_than_missing_speaks_for_the_question():
    answers = example_answers()
    del answers["equipe"]  # required; the roles and count rules (errors) say what is missing
    found = findings_of(answers)
    about = {(f.rule, f.severity.value) for f in found if f.question == "equipe"}
    assert ("reponse_manquante", "erreur") not in about
    assert any(severity in ("erreur", "bloquant") for _rule, severity in about)


@pytest.mark.parametrize(("day", "late"), [("2022-10-20", False), ("2022-10-21", False), ("2022-10-22", True)])
def test_verifier_and_exporter_check_as_of_the_date_given(tmp_path, day, late):
    # Issue 13, point 3 (its option): the deadline of the IDF call is 21 October 2022.
    env = _fill(tmp_path, example_answers(), "date")
    result = run_aap("verifier", "date", "--json", "--date", day, env=env)
    kinds = {f["type"] for f in json.loads(result.stdout)["constats"]}
    assert ("date_limite" in kinds) is late
    exported = run_aap("exporter", "date", "--date", day, "--sortie", str(tmp_path / f"{day}.docx"), env=env)
    assert exported.returncode == 0
    assert ("Avertissement : 4" in exported.stdout) is late  # the deadline warning comes on top of the three annexes


def test_a_date_that_is_not_iso_is_a_usage_error(tmp_path):
    env = _fill(tmp_path, example_answers(), "date")
    result = run_aap("verifier", "date", "--date", "21/10/2022", env=env)
    assert result.returncode == 2 and "AAAA-MM-JJ" in result.stderr
