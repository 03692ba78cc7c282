"""Every rule of both shipped calls, through the real commands: a fault planted in the clean
example answers goes through `aap remplir --reponses` and `aap verifier --json --date …`, each in a
subprocess, and the rule fires with its severity, its section and the sentence of the call it
applies; the exit code is 1 for a blocking point or an error, 0 for a warning or a piece of advice.
The clean examples have nothing to say but their annexes without a file.

The dossiers are filled and checked once, in a module fixture, a few subprocesses at a time."""

from __future__ import annotations

import copy
import json
import os
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from conftest import ROOT, plain, run_aap_process

IDF = "idf-2022-actes-interventionnels"
BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"
EXAMPLES = {IDF: ROOT / "questionnaires" / "exemples" / "idf-2022-exemple.yaml",
            BRETAGNE: ROOT / "questionnaires" / "exemples" / "bretagne-2025-exemple.yaml"}
# The day each clean example is checked on: before its call's deadline.
CLEAN_DAY = {IDF: "2022-10-20", BRETAGNE: "2025-07-01"}
SEVERE = {"bloquant", "erreur"}
ANNEX_WITHOUT_FILE = "annexe_sans_fichier"
# A finding of aap itself, not of a call's rule: it quotes no sentence of the call.
MISSING_ANSWER = "reponse_manquante"


def _questionnaire(appel_id: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "questionnaires" / f"{appel_id}.yaml").read_text(encoding="utf-8"))


def _text(value: Any) -> Any:
    """A questionnaire text: one string, or one per language (the French one is the reference)."""
    return value["fr"] if isinstance(value, dict) else value


RULES = {appel_id: {rule["id"]: rule for rule in _questionnaire(appel_id)["regles"]} for appel_id in (IDF, BRETAGNE)}


def _quoted(rule: dict[str, Any], finding: dict[str, Any]) -> str | None:
    """The call's sentence a finding must quote: its rule's, but for a team's required function,
    which quotes its own (advice quotes none: it is not the call's word)."""
    for required in rule.get("fonctions_requises", ()):
        if plain(_text(required["message"])) == plain(finding["message"]):
            own = required.get("source")
            return _text(own) if own else None if required["gravite"] == "conseil" else _text(rule.get("source"))
    return _text(rule.get("source"))


def _example(appel_id: str) -> dict[str, Any]:
    return yaml.safe_load(EXAMPLES[appel_id].read_text(encoding="utf-8"))["reponses"]


@dataclass(frozen=True)
class Expected:
    """A finding the planted fault must produce, once: picked by its rule and the words of its message."""

    rule: str
    severity: str
    section: str | None
    words: tuple[str, ...] = ()
    item: str | None = None


@dataclass(frozen=True)
class Fault:
    name: str  # also the dossier's name
    appel: str
    plant: Callable[[dict[str, Any]], Any]
    # Every finding the dossier gets (annexes without a file aside): nothing else may fire.
    expected: tuple[Expected, ...]


# -- the planted faults ---------------------------------------------------------------------------

def _idf_several_independent_errors(a):
    """Six faults on six different answers that no other rule reads together."""
    a["autorisation"] = "non"
    a["engagements"].remove("enquete_prom")
    a["documents_patients"].remove("lettre_liaison")
    a["equipe"][3]["role"] = "membre"
    a["affectation"] = "Voir budget."
    a["calendrier"].insert(0, {"etape": "Point d'étape avec l'ARS", "echeance": "2022-09-01"})


def _one_line_budget(a):
    a["depenses"] = [{"nature": "autre", "libelle": "Divers", "montant": "40 000", "part_ars": "40 000"}]
    a["cofinancements"] = []


def _two_line_budget(a):
    a["depenses"] = [
        {"nature": "personnel", "libelle": "Infirmière de coordination du parcours, 0,5 ETP pendant 12 mois",
         "montant": "30 000", "part_ars": "30 000"},
        {"nature": "formation", "libelle": "Formation check-list HAS et accueil ambulatoire de 12 MERM",
         "montant": "10 000", "part_ars": "10 000"}]
    a["cofinancements"] = []


def _vague_line_at_exactly_a_fifth(a):
    # The other lines make 33 000 €: a line of 8 250 € is 20 % of 41 250 €, to the cent.
    a["depenses"][2].update(libelle="Frais divers", montant="8 250")
    a["cofinancements"][0]["montant"] = "1 250"  # the plan stays balanced


def _over_the_cap(a):
    a["montant_demande"] = "45 000"
    a["depenses"][0].update(montant="23 000", part_ars="23 000")


def _under_the_grant(a):
    a["montant_demande"] = "35 000"
    a["depenses"][0]["part_ars"] = "13 000"
    a["cofinancements"][0]["montant"] = "7 800"


def _request_over_the_expenses(a):
    # Σ ARS shares = request > Σ expenses: a share exceeds its line and the plan cannot balance.
    a["depenses"][2]["montant"] = "6 000"
    a["cofinancements"] = []


def _share_over_its_line(a):
    a["depenses"][2]["part_ars"] = "9 900"  # the line is 9 800 €
    a["depenses"][0]["part_ars"] = "15 100"  # the shares still add up to the request


def _without_physicians(a):
    a["equipe"] = [m for m in a["equipe"] if not m["nom"].startswith("Dr")]


def _physician_named(function):
    def plant(a):
        a["equipe"][0].update(fonction=function, role="Valide les chemins cliniques et la check-list HAS")
        a["equipe"].pop(4)  # the anesthetist: the head of department is the only physician
    return plant


def _no_coordination(a):
    for member in a["equipe"]:
        member.update(fonction="IDE", role="Participe aux réunions du projet")


def _lone_member(a):
    a["equipe"] = [{"nom": "Dr Antoine Leroy", "fonction": "Radiologue interventionnel, chef de service",
                    "role": "Pilote le projet et valide les chemins cliniques"}]


def _idf_warning_and_advice(a):
    """A warning and a piece of advice on two answers no other rule reads: still exit 0."""
    a["finess_geographique"] = "290000017"  # Finistère
    _lone_member(a)


def _step(a, index, **change):
    a["calendrier"][index].update(change)


def _no_review(a):
    a["calendrier"] = a["calendrier"][:3]  # the two reviews were the last steps


def _reviews_a_day_outside(a):
    # Started on 3 April 2023: the 6-month review is due from 3 September to 3 November 2023,
    # the 12-month one from 3 March to 3 May 2024.
    _step(a, 3, echeance="2023-09-02")
    _step(a, 4, echeance="2024-05-04")


def _twelve_months_before_six(a):
    _step(a, 4, echeance="2023-09-15")  # the 6-month review is on 2 October 2023


def _reviews_swapped(a):
    # The dates stay six and twelve months after the start; the labels say the other review.
    _step(a, 3, etape="Bilan de mise en œuvre à 12 mois")
    _step(a, 4, etape="Bilan de mise en œuvre à six mois")


def _review_on_the_deadline_day(a):
    a["calendrier"].insert(0, {"etape": "Point d\u2019étape avec l'ARS", "echeance": "2022-10-21"})


def _start_before_the_deadline(a):
    # Started on 3 October 2022, before the deadline (21 October 2022); the reviews move with the
    # start (six and twelve months later): the start date alone is at fault.
    a["date_demarrage"] = "2022-10-03"
    _step(a, 3, echeance="2023-04-03")
    _step(a, 4, echeance="2023-10-03")


def _start_before_the_deadline_calendar_unchanged(a):
    # The reviews (2 October 2023, 1 April 2024) are now twelve and eighteen months after the start.
    a["date_demarrage"] = "2022-10-03"


def _radiographer_of_interventional_radiology(a):
    _without_physicians(a)
    a["equipe"][0]["fonction"] = "Manipulateur en radiologie interventionnelle"


def _bretagne_vague_lines(a):
    a["depenses"][0]["libelle"] = "Matériel divers"
    a["depenses"][1]["libelle"] = "Frais"
    a["depenses"][2]["libelle"] = "Prestations"


def _bretagne_share_over_its_line(a):
    a["depenses"][2]["part_ars"] = "9 700"  # the line is 9 600 €
    a["depenses"][0]["part_ars"] = "20 300"  # the shares still add up to the request


def _bretagne_warning_and_advice(a):
    """A warning and two pieces of advice on answers no other rule reads together: still exit 0."""
    a["finess_geographique"] = "930100425"  # Seine-Saint-Denis
    a["outils_numeriques"] = "Un logiciel."
    a["parties_prenantes"][3]["role"] = "membre"


def _bretagne_two_missing(a):
    del a["affectation"]
    del a["etapes_ciblees"]


NO_PHYSICIAN = ("médecin de l'activité interventionnelle",)
NO_SIX_MONTH_REVIEW = Expected("bilan_6_mois", "erreur", "description", (
    "Le calendrier n'a pas d'étape de bilan datée six mois après le démarrage (à un mois près) : l'appel engage à un bilan "
    "à 6 mois ; ajoutez l'étape « Bilan à 6 mois », ou corrigez sa date.",))
NO_TWELVE_MONTH_REVIEW = Expected("bilan_12_mois", "erreur", "description", (
    "Le calendrier n'a pas d'étape de bilan datée douze mois après le démarrage (à un mois près) : l'appel engage à un bilan "
    "à 12 mois ; ajoutez l'étape « Bilan à 12 mois », ou corrigez sa date.",))
START_BEFORE_THE_DEADLINE = Expected("demarrage_apres_depot", "conseil", "description", (
    "Le démarrage est fixé au 3 octobre 2022, avant la date limite de dépôt : il est conseillé de le situer après le "
    "dépôt",))
FAULTS = (
    # -- Île-de-France 2022 --
    Fault("idf-erreurs-independantes", IDF, _idf_several_independent_errors, (
        Expected("perimetre_autorisation", "bloquant", "informations_generales", ("hors périmètre",)),
        Expected("six_engagements", "erreur", "description", ("il manque : Mettre en place une enquête PROM",)),
        Expected("six_documents", "erreur", "description", ("il manque : Lettre de liaison",)),
        Expected("roles_precis", "erreur", "description",
                 ("Le rôle de Karim Benali (« membre ») n'est pas assez précis",), "Karim Benali"),
        Expected("affectation_detaillee", "erreur", "budget", ("L'affectation (« Voir budget. ») ne dit pas",)),
        Expected("bilans_apres_depot", "erreur", "description",
                 ("L'étape « Point d'étape avec l'ARS » (échéance : 1er septembre 2022) précède le dépôt du dossier "
                  "(date limite : 21 octobre 2022) : un bilan de mise en œuvre vient après.",),
                 "ligne 1 — Point d'étape avec l'ARS"),
    )),
    Fault("idf-site-hors-region-et-equipe-d-un-membre", IDF, _idf_warning_and_advice, (
        Expected("site_en_ile_de_france", "avertissement", "informations_generales",
                 ("Le FINESS géographique 290000017 n'est pas celui d'un site d'Île-de-France",)),
        Expected("equipe_pluriprofessionnelle", "conseil", "description",
                 ("L'équipe projet compte 1 membre ; il est conseillé de réunir au moins 2 professionnels",)),
    )),
    Fault("idf-sans-affectation", IDF, lambda a: a.pop("affectation"), (
        Expected("refus_prealable", "bloquant", "budget", ("refus préalable", "complétez « Affectation de l'aide demandée »")),
    )),
    # The budget left out: said once, by the call's rule; its sums are unknown, so no comparison concludes.
    Fault("idf-sans-depenses", IDF, lambda a: a.pop("depenses"), (
        Expected("refus_prealable", "bloquant", "budget", ("refus préalable", "complétez « Dépenses prévues »")),
    )),
    # One vague line and nothing else: one finding, the refusal (the 3-line and 20 % rules give way).
    Fault("idf-budget-divers", IDF, _one_line_budget, (
        Expected("budget_detaille", "bloquant", "budget",
                 ("Aucune ligne du budget ne dit ce qu'elle paie (« Divers »)", "refus préalable")),
    )),
    Fault("idf-sans-annexe", IDF, lambda a: a.pop("annexes"), (
        Expected("annexes_jointes", "avertissement", "annexes", ("Le dossier n'a aucune annexe",)),
    )),
    Fault("idf-frais-divers", IDF, lambda a: a["depenses"][0].update(libelle="Frais divers"), (
        Expected("ligne_vague_limitee", "erreur", "budget",
                 ("La ligne « Frais divers » (18 000,00 €, plus de 20 % du budget : 8 560,00 €)",), "ligne 1 — Frais divers"),
    )),
    # Two precise lines (the 40 000 € on them): detailed, but thinner than usual.
    Fault("idf-deux-lignes", IDF, _two_line_budget, (
        Expected("budget_trois_lignes", "avertissement", "budget",
                 ("Lignes du budget au libellé précis : 2 ; un budget détaillé en compte d'ordinaire au moins 3",)),
    )),
    Fault("idf-frais-divers-a-20-pourcent", IDF, _vague_line_at_exactly_a_fifth, ()),
    Fault("idf-plafond", IDF, _over_the_cap, (
        Expected("plafond_subvention", "erreur", "budget",
                 ("Montant demandé : 45 000,00 € ; l'appel accorde 40 000,00 € à chaque établissement retenu : "
                  "ramenez la demande à 40 000,00 € au plus.",)),
    )),
    Fault("idf-sous-la-subvention", IDF, _under_the_grant, (
        Expected("demande_sous_la_subvention", "conseil", "budget", ("Vous demandez 35 000,00 €, moins que les 40 000,00 €",)),
    )),
    Fault("idf-demande-superieure-aux-depenses", IDF, _request_over_the_expenses, (
        Expected("demande_inferieure_depenses", "erreur", "budget",
                 ("Le montant demandé (40 000,00 €) dépasse le total des dépenses (39 000,00 €)",)),
        Expected("part_ars_par_ligne", "erreur", "budget",
                 ("La part ARS (7 000,00 €) dépasse le montant de la ligne (6 000,00 €)",),
                 "ligne 3 — Deux fauteuils de repos pour la salle de surveillance"),
        Expected("budget_equilibre", "avertissement", "budget", ("(39 000,00 €) n'est pas égal", "(40 000,00 €)")),
    )),
    Fault("idf-parts-ars", IDF, lambda a: a["depenses"][4].update(part_ars="3 000"), (
        Expected("parts_ars_egales_demande", "erreur", "budget",
                 ("La somme des parts ARS des dépenses (39 900,00 €) doit être égale au montant demandé (40 000,00 €)",)),
    )),
    Fault("idf-part-ars-d-une-ligne", IDF, _share_over_its_line, (
        Expected("part_ars_par_ligne", "erreur", "budget",
                 ("La part ARS (9 900,00 €) dépasse le montant de la ligne (9 800,00 €)",),
                 "ligne 3 — Deux fauteuils de repos pour la salle de surveillance"),
    )),
    Fault("idf-budget-desequilibre", IDF, lambda a: a.update(cofinancements=[]), (
        Expected("budget_equilibre", "avertissement", "budget",
                 ("Le total des dépenses (42 800,00 €) n'est pas égal à l'aide demandée plus les cofinancements (40 000,00 €)",)),
    )),
    Fault("idf-sans-medecin", IDF, _without_physicians, (
        Expected("roles_precis", "conseil", "description", NO_PHYSICIAN),
    )),
    Fault("idf-manipulateur-en-radiologie-interventionnelle", IDF, _radiographer_of_interventional_radiology, (
        Expected("roles_precis", "conseil", "description", NO_PHYSICIAN),
    )),
    Fault("idf-chef-du-service", IDF, _physician_named("Chef du service d'imagerie interventionnelle"), ()),
    Fault("idf-ph", IDF, _physician_named("PH en imagerie interventionnelle"), ()),
    # Everyone an « IDE » who « participe aux réunions »: no coordination anywhere; the two members
    # named « Dr … » still count as the team's physicians (who they are, not what they do).
    Fault("idf-sans-coordination", IDF, _no_coordination, (
        Expected("roles_precis", "conseil", "description", ("confier à un membre de l'équipe la coordination du parcours",)),
    )),
    Fault("idf-sans-bilan", IDF, _no_review, (NO_SIX_MONTH_REVIEW, NO_TWELVE_MONTH_REVIEW)),
    Fault("idf-bilans-hors-fenetre", IDF, _reviews_a_day_outside, (NO_SIX_MONTH_REVIEW, NO_TWELVE_MONTH_REVIEW)),
    Fault("idf-bilan-12-avant-6", IDF, _twelve_months_before_six, (NO_TWELVE_MONTH_REVIEW,)),
    Fault("idf-bilans-intervertis", IDF, _reviews_swapped, (NO_SIX_MONTH_REVIEW, NO_TWELVE_MONTH_REVIEW)),
    # A missing calendar is a missing answer, not a missing review.
    Fault("idf-sans-calendrier", IDF, lambda a: a.pop("calendrier"), (
        Expected(MISSING_ANSWER, "erreur", "description", ("Réponse obligatoire manquante : Calendrier de mise en œuvre.",)),
    )),
    # On the deadline day a review is not after the submission (and ’ reads as ').
    Fault("idf-point-d-etape-le-jour-du-depot", IDF, _review_on_the_deadline_day, (
        Expected("bilans_apres_depot", "erreur", "description",
                 ("L'étape « Point d\u2019étape avec l'ARS » (échéance : 21 octobre 2022) précède le dépôt du dossier "
                  "(date limite : 21 octobre 2022) : un bilan de mise en œuvre vient après.",),
                 "ligne 1 — Point d\u2019étape avec l'ARS"),
    )),
    Fault("idf-demarrage-avant-depot", IDF, _start_before_the_deadline, (START_BEFORE_THE_DEADLINE,)),
    Fault("idf-demarrage-avant-depot-calendrier-inchange", IDF, _start_before_the_deadline_calendar_unchanged, (
        START_BEFORE_THE_DEADLINE, NO_SIX_MONTH_REVIEW, NO_TWELVE_MONTH_REVIEW)),
    # -- Bretagne 2025 --
    Fault("bzh-site-hors-region-outils-et-role", BRETAGNE, _bretagne_warning_and_advice, (
        Expected("site_en_bretagne", "avertissement", "identification",
                 ("Le FINESS géographique 930100425 n'est pas celui d'un site de Bretagne",)),
        Expected("outils_decrits", "conseil", "projet",
                 ("Les outils numériques sont décrits en quelques mots (« Un logiciel. »)",)),
        Expected("roles_precis", "conseil", "projet",
                 ("Rôle de « Bloc opératoire » peu précis (« membre ») : il est conseillé de dire ce que ce service",),
                 "Bloc opératoire"),
    )),
    Fault("bzh-sans-affectation-ni-etapes", BRETAGNE, _bretagne_two_missing, (
        Expected("budget_complet", "erreur", "budget", ("complétez « Affectation de l'aide demandée »",)),
        Expected("etapes_ciblees_renseignees", "erreur", "projet",
                 ("complétez « Étapes critiques du circuit que le projet améliore »",)),
    )),
    Fault("bzh-sans-depenses", BRETAGNE, lambda a: a.pop("depenses"), (
        Expected("budget_complet", "erreur", "budget", ("complétez « Investissements prévus »",)),
    )),
    # The call asks for no schedule: left out, it is a missing answer, not the call's words.
    Fault("bzh-sans-calendrier", BRETAGNE, lambda a: a.pop("calendrier"), (
        Expected(MISSING_ANSWER, "erreur", "mise_en_oeuvre", ("Réponse obligatoire manquante : Calendrier",)),
    )),
    Fault("bzh-libelles-vagues", BRETAGNE, _bretagne_vague_lines, (
        Expected("investissements_precis", "conseil", "budget",
                 ("Lignes du budget au libellé précis : 1 ; il est conseillé d'en détailler au moins 2",)),
    )),
    Fault("bzh-demande-superieure-aux-depenses", BRETAGNE, lambda a: a.update(montant_demande="70 000", cofinancements=[]), (
        Expected("demande_inferieure_depenses", "erreur", "budget",
                 ("Le montant demandé (70 000,00 €) dépasse le total des investissements (60 200,00 €)",)),
        Expected("parts_ars_egales_demande", "erreur", "budget",
                 ("(48 600,00 €) doit être égale au montant demandé (70 000,00 €)",)),
        Expected("budget_equilibre", "conseil", "budget", ("(60 200,00 €) n'est pas égal", "(70 000,00 €)")),
    )),
    Fault("bzh-parts-ars", BRETAGNE, lambda a: a["depenses"][3].update(part_ars="4 000"), (
        Expected("parts_ars_egales_demande", "erreur", "budget",
                 ("La somme des parts demandées à l'ARS (48 400,00 €) doit être égale au montant demandé (48 600,00 €)",)),
    )),
    Fault("bzh-part-ars-d-une-ligne", BRETAGNE, _bretagne_share_over_its_line, (
        Expected("part_ars_par_ligne", "erreur", "budget",
                 ("La part demandée à l'ARS (9 700,00 €) dépasse le montant de la ligne (9 600,00 €)",),
                 "ligne 3 — Signalétique du circuit ambulatoire et écran d'appel en salle d'attente"),
    )),
    # The call funds investments in goods or services: aid on an « Autre » line is said.
    Fault("bzh-aide-sur-une-ligne-autre", BRETAGNE, lambda a: a["depenses"][0].update(nature="autre"), (
        Expected("aide_sur_des_investissements", "avertissement", "budget",
                 ("Une part de l'aide (",  "va à des lignes de nature « Autre »")),
    )),
    Fault("bzh-budget-desequilibre", BRETAGNE, lambda a: a.pop("cofinancements"), (
        Expected("budget_equilibre", "conseil", "budget",
                 ("Le total des investissements (60 200,00 €) n'est pas égal à l'aide demandée plus les cofinancements "
                  "(48 600,00 €)",)),
    )),
)
FAULTS_BY_NAME = {fault.name: fault for fault in FAULTS}
CLEAN = {IDF: "idf-propre", BRETAGNE: "bzh-propre"}
# The clean dossiers are also checked on their call's deadline and the day after.
DEADLINE_DAYS = {IDF: ("2022-10-21", "2022-10-22"), BRETAGNE: ("2025-07-11", "2025-07-12")}


@dataclass
class Run:
    filled: Any  # subprocess.CompletedProcess of `aap remplir`
    checked: dict[str, Any]  # day → CompletedProcess of `aap verifier --json --date day`


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("planted")
    jobs: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {}
    for appel_id, name in CLEAN.items():
        jobs[name] = (appel_id, _example(appel_id), (CLEAN_DAY[appel_id], *DEADLINE_DAYS[appel_id]))
    for fault in FAULTS:
        answers = copy.deepcopy(_example(fault.appel))
        fault.plant(answers)
        jobs[fault.name] = (fault.appel, answers, (CLEAN_DAY[fault.appel],))

    def run(name: str) -> Run:
        appel_id, answers, days = jobs[name]
        folder = base / name
        folder.mkdir()
        path = folder / "reponses.yaml"
        path.write_text(yaml.safe_dump({"appel": appel_id, "nom": name, "reponses": answers}, allow_unicode=True),
                        encoding="utf-8")
        env = {"AAP_DOSSIERS": str(folder / "dossiers")}
        filled = run_aap_process("remplir", "--reponses", str(path), env=env, cwd=folder)
        checked = {day: run_aap_process("verifier", name, "--json", "--date", day, env=env, cwd=folder) for day in days}
        return Run(filled, checked)

    # Each command is its own process; a few dossiers at a time keep the run short.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return dict(zip(jobs, pool.map(run, jobs)))


def _findings(result) -> list[dict[str, Any]]:
    assert result.stderr == "", result.stderr
    return json.loads(result.stdout)["constats"]


def _said(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings but the annexes cited without a file (the examples ship no files)."""
    return [f for f in findings if f["regle"] != ANNEX_WITHOUT_FILE]


def test_every_rule_of_both_calls_has_a_planted_fault():
    covered = {(fault.appel, e.rule) for fault in FAULTS for e in fault.expected if e.rule != MISSING_ANSWER}
    covered |= {(appel_id, "echeance_depot") for appel_id in DEADLINE_DAYS}  # by the checks after the deadline
    declared = {(appel_id, rule_id) for appel_id, rules in RULES.items() for rule_id in rules}
    assert declared - covered == set()
    assert covered - declared == set()  # no fault names a rule the calls do not have


@pytest.mark.parametrize("appel_id", [IDF, BRETAGNE])
def test_the_clean_example_has_nothing_but_its_annexes_without_file_and_exits_0(runs, appel_id):
    run = runs[CLEAN[appel_id]]
    assert run.filled.returncode == 0, run.filled.stderr
    assert "Vérifications" in run.filled.stdout
    checked = run.checked[CLEAN_DAY[appel_id]]
    findings = _findings(checked)
    assert _said(findings) == []
    annexes = _example(appel_id)["annexes"]
    assert [f["element"] for f in findings] == [f"annexe {n} — {a['titre']}" for n, a in enumerate(annexes, start=1)]
    assert {f["gravite"] for f in findings} == {"avertissement"}
    assert checked.returncode == 0


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_a_planted_fault_fires_its_rule_with_severity_section_source_and_exit_code(runs, fault):
    run = runs[fault.name]
    assert run.filled.returncode == 0, run.filled.stderr
    checked = run.checked[CLEAN_DAY[fault.appel]]
    findings = _said(_findings(checked))
    for expected in fault.expected:
        rule = {} if expected.rule == MISSING_ANSWER else RULES[fault.appel][expected.rule]
        found = [f for f in findings if f["regle"] == expected.rule and all(w in plain(f["message"]) for w in expected.words)]
        assert len(found) == 1, (expected, findings)
        finding = found[0]
        assert finding["gravite"] == expected.severity
        assert finding["section"] == expected.section
        assert (finding["titre_section"] is None) == (expected.section is None)
        assert finding["source"] == _quoted(rule, finding), expected.rule
        if expected.item is not None:
            assert finding["element"] == expected.item
    # Nothing else fires: the fault is the one planted.
    assert len(findings) == len(fault.expected), findings
    severe = any(e.severity in SEVERE for e in fault.expected)
    assert checked.returncode == (1 if severe else 0), findings


@pytest.mark.parametrize(("appel_id", "severity"), [(IDF, "bloquant"), (BRETAGNE, "erreur")])
def test_the_deadline_fires_the_day_after_with_the_call_severity(runs, appel_id, severity):
    on_the_day, day_after = DEADLINE_DAYS[appel_id]
    checked = runs[CLEAN[appel_id]].checked
    assert _said(_findings(checked[on_the_day])) == [] and checked[on_the_day].returncode == 0
    late = _said(_findings(checked[day_after]))
    assert [(f["regle"], f["type"], f["gravite"], f["section"]) for f in late] == [
        ("echeance_depot", "date_limite", severity, None)]
    assert late[0]["source"] == _text(RULES[appel_id]["echeance_depot"]["source"])
    assert "est passée" in late[0]["message"]
    assert checked[day_after].returncode == 1


def test_demo_writes_the_review_and_the_deposit_versions_as_of_the_day_before_the_deadline(tmp_path):
    result = run_aap_process("demo", env={"AAP_DOSSIERS": str(tmp_path / "dossiers")}, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 octobre 2022" in plain(result.stdout)
    demo = tmp_path / "dossiers" / "exemples" / "exemple.json"
    assert f"(comme aap verifier {demo} --date 2022-10-20)" in plain(result.stdout)  # how to check it again
    written = sorted(p.name for p in (tmp_path / "sorties").glob("*.docx"))
    assert len(written) == 2, written
    assert written[0].endswith("-depot.docx") and written[1].endswith("-relecture.docx")
    for name in written:
        assert zipfile.is_zipfile(tmp_path / "sorties" / name)
    assert demo.is_file() and not (tmp_path / "dossiers" / "exemple.json").exists()

