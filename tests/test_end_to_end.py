"""A complete IDF dossier typed in a real pseudo-terminal, as a user would: two refused answers
corrected, a /retour, a /passer, a Ctrl-C then `aap reprendre`, an edit from the review."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from assistant import loading
from assistant.answers import parse_answers
from assistant.values import encode

IDF = "idf-2022-actes-interventionnels"
ESC = "\x1b"
BACKSPACE = "\x7f"
PROMPT = "›"  # drawn by prompt-toolkit once it reads the keyboard
CHECKBOX = "Espace : cocher"

EXPECTED = {
    "etablissement": "CH de Villeneuve", "finess_juridique": "930000427", "finess_geographique": "930100425",
    "siret": "26930001800018", "statut_juridique": "public", "activites": ["radiologie"], "autorisation": True,
    "representant_nom": "Isabelle Moreau", "representant_qualite": "Directrice générale",
    "signature_lieu": "Villeneuve", "porteur_nom": "Claire Martin", "porteur_fonction": "Cadre de santé",
    "porteur_email": "claire.martin@ch.fr",
    "porteur_telephone": "01 49 33 00 00", "titre_projet": "Parcours sécurisé",
    "objectifs": "Premier objectif.\n\nSecond objectif.",
    "contexte": "Contexte.", "actes_par_an": 2400, "description_projet": "Description.",
    "parcours_patient": "Parcours.",
    "equipe": [{"nom": "Dr A", "fonction": "Radiologue", "role": "Médecin référent du projet"}],
    "methode_travail": "Méthode.", "information_patient": "Information.",
    "engagements": ["equipe_projet", "documents_patients", "checklist_has", "appels_pre_post", "enquete_prom",
                    "bilans_6_12_mois"],
    "documents_patients": ["livret_accueil", "passeport_ambulatoire", "ordonnance_pre_intervention",
                           "fiches_intervention", "consentement_ecrit", "lettre_liaison"],
    "date_demarrage": "2023-04-03", "calendrier": [{"etape": "Ouverture", "echeance": "2023-03-31"}],
    "evaluation": "Évaluation.", "indicateurs": [{"libelle": "Taux d'appel", "valeur_cible": "90 %"}],
    "depenses": [{"nature": "personnel", "libelle": "IDE", "montant": "18 000", "part_ars": "18 000"}],
    "montant_demande": "18 000", "affectation": "IDE de coordination.",
}


class User:
    """Waits for what the screen should show before typing, as a person reads before typing."""

    def __init__(self, child: pexpect.spawn):
        self.child = child

    def sees(self, *texts: str) -> None:
        for text in texts:
            self.child.expect_exact(text)

    def answers(self, label: str, keys: str, marker: str = PROMPT) -> None:
        self.sees(label, marker)
        self.child.send(keys)


def spawn(*args: str, folder: Path, cwd: Path | None = None) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    env.update({"AAP_DOSSIERS": str(folder), "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1", "TERM": "xterm",
                "LANG": "C.UTF-8"})
    return pexpect.spawn(sys.executable, ["-m", "assistant", *args], env=env, encoding="utf-8",
                         dimensions=(50, 200), timeout=30, cwd=cwd)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_complete_idf_dossier_typed_in_a_terminal(tmp_path):
    folder = tmp_path / "dossiers"
    child = spawn("nouveau", "--appel", IDF, "--nom", "e2e", folder=folder)
    user = User(child)
    user.sees("Dossier « e2e »", "Informations générales et objectifs du projet")
    user.answers("Raison sociale de l'établissement", "CH de Villeneuve\r")
    user.answers("Numéro FINESS juridique", "930000428\r")
    user.sees("la clé de contrôle")                       # refused: the text stays, one key fixes it
    child.send(BACKSPACE + "7\r")
    user.answers("Numéro FINESS géographique", "930100425\r")
    user.answers("Numéro SIRET", "269 300 018 00018\r")
    user.answers("Statut juridique", "1\r")
    user.answers("Activités interventionnelles", " \r", marker=CHECKBOX)
    user.answers("est-il autorisé", "o\r")
    user.answers("Référence de l'autorisation", "\r")      # optional questions: Enter leaves them empty
    user.answers("Date de l'autorisation", "\r")
    user.answers("Nom et prénom du représentant légal", "Isabelle Moreau\r")
    user.answers("Qualité du représentant légal", "Directrice générale\r")
    user.answers("Lieu de signature", "Villeneuve\r")
    user.answers("Nom et prénom du porteur de projet", "Claire Martin\r")
    user.answers("Fonction du porteur de projet", "/passer\r")
    user.answers("Adresse e-mail du porteur", "claire.martin@ch.fr\r")
    user.answers("Téléphone du porteur", "+33 1 49 33 00 00\r")
    user.answers("Titre du projet", "Parcours sécurisé\r")
    user.answers("Objectifs du projet", "Premier objectif.\r\rSecond objectif." + ESC + "\r")
    user.sees("Description du projet et de sa mise en place")
    user.answers("Contexte et état des lieux", "Contexte." + ESC + "\r")
    user.answers("Nombre d'actes interventionnels", "2 400\r")
    user.answers("Activité par type d'acte", "t\r")
    user.answers("Part des actes réalisés aujourd'hui", "\r")
    user.answers("Ce que vous allez mettre en place", "Description." + ESC + "\r")
    user.answers("Axes d'amélioration traités", "\r", marker=CHECKBOX)
    user.answers("Parcours patient visé", "à moitié tap")
    child.sendcontrol("c")                                # interrupted in the middle of an answer
    user.sees("aap reprendre e2e")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    child = spawn("reprendre", "e2e", folder=folder)      # resumes at the question where it stopped
    user = User(child)
    user.sees("Dossier « e2e »")
    user.answers("Parcours patient visé", "Parcours." + ESC + "\r")
    user.answers("Équipe projet", "a\r")
    user.answers("Nom et prénom", "Dr A\r")
    user.answers("Fonction", "Radiologue\r")
    user.answers("Rôle précis dans le projet", "Médecin référent du projet\r")
    user.answers("Temps consacré au projet", "\r")
    user.answers("Origine de ce temps", "\r")
    user.answers("ajouter", "t\r")
    user.answers("Méthode de travail", "Méthode." + ESC + "\r")
    user.answers("Plan de formation", "t\r")
    user.answers("Information du patient et de son entourage", "Information." + ESC + "\r")
    user.answers("Engagements de l'établissement", "123456\r", marker=CHECKBOX)
    user.answers("Questionnaire PROM retenu", "\r")
    user.answers("Moment du recueil", "\r")
    user.answers("Exploitation des résultats", ESC + "\r")
    user.answers("Documents pour les patients", "123456\r", marker=CHECKBOX)
    user.answers("Date de démarrage du projet", "03/04/2023\r")
    user.answers("Calendrier de mise en œuvre", "a\r")
    user.answers("Étape", "Ouverture\r")
    user.answers("Échéance", "31/02/2023\r")
    user.sees("cette date n'existe pas")                  # refused, corrected in place
    child.send(BACKSPACE * 7 + "03/2023\r")
    user.answers("ajouter", "t\r")
    user.answers("Programme d'évaluation", "/retour\r")   # back to the calendar, then forward again
    user.answers("Calendrier de mise en œuvre", "t\r")
    user.answers("Programme d'évaluation", "Évaluation." + ESC + "\r")
    user.answers("Indicateurs de suivi", "a\r")
    user.answers("Indicateur", "Taux d'appel\r")
    user.answers("Valeur initiale", "\r")
    user.answers("Source", "\r")
    user.answers("Fréquence", "\r")
    user.answers("Valeur cible", "90 %\r")
    user.answers("Échéance", "\r")
    user.answers("ajouter", "t\r")
    user.sees("Présentation détaillée du budget")
    user.answers("Dépenses prévues", "a\r")
    user.answers("Nature de la dépense", "personnel\r")
    user.answers("Libellé", "IDE\r")
    user.answers("Montant total de la ligne", "18 000\r")
    user.answers("Part payée par la subvention ARS", "18 000\r")
    user.sees("18\u202f000,00\u00a0€")                       # the running total
    user.answers("ajouter", "t\r")
    user.answers("Cofinancements", "t\r")
    user.answers("Montant de l'aide demandée", "18 000\r")
    user.answers("Affectation de l'aide demandée", "IDE de coordination." + ESC + "\r")
    user.answers("Pérennisation après", ESC + "\r")
    user.answers("Pièces jointes", "t\r")
    user.sees("Sommaire du dossier", "Numéro à modifier")  # the skipped question is still to do
    child.send("14\r")                                    # edit it from the review
    user.answers("Fonction du porteur de projet", "Cadre de santé\r")
    user.sees("Numéro à modifier")
    child.send("\r")                                      # the review's next page, then its last
    user.sees("Numéro à modifier (Entrée pour continuer)")
    child.send("\r")
    user.sees("Produire le document Word maintenant ?", "Plus tard", PROMPT)
    child.send("4\r")                                     # later: the test's folder stays clean
    user.sees("enregistré : 100")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    saved = json.loads((folder / "e2e.json").read_text(encoding="utf-8"))["reponses"]
    appel = loading.find_appel(IDF)
    expected = {qid: encode(appel.question(qid), value) for qid, value in parse_answers(appel, EXPECTED).items()}
    assert saved == expected


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_aap_alone_offers_new_then_resume(tmp_path):
    folder = tmp_path / "dossiers"
    child = spawn(folder=folder)                          # nothing yet: a new dossier, the call asked
    user = User(child)
    user.answers("À quel appel à projets répondez-vous ?", "2\r")
    user.answers("Nom du dossier", "CH Saint-Denis\r")  # typed as a new user would: nothing to clear first
    user.answers("Raison sociale de l'établissement", "CH de Saint-Denis\r")
    user.answers("Numéro FINESS juridique", "/quitter\r")
    user.sees("aap reprendre ch-saint-denis")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    child = spawn(folder=folder)                          # now: resume it (most recent first) or start anew
    user = User(child)
    user.sees("Que voulez-vous faire ?", "Reprendre « ch-saint-denis »", "Commencer un nouveau dossier")
    child.expect_exact("›")
    child.send("1\r")
    user.answers("Numéro FINESS juridique", "\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = json.loads((folder / "ch-saint-denis.json").read_text(encoding="utf-8"))
    assert saved["reponses"] == {"etablissement": "CH de Saint-Denis"}
    assert saved["appel"] == IDF and saved["position"]["question"] == "finess_juridique"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_second_aap_on_the_same_dossier_is_refused(tmp_path):
    folder = tmp_path / "dossiers"
    first = spawn("nouveau", "--appel", IDF, "--nom", "partage", folder=folder)
    User(first).answers("Raison sociale", "")
    second = spawn("reprendre", "partage", folder=folder)
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 2
    assert f"processus {first.pid}" in second.before
    first.sendcontrol("c")
    first.expect(pexpect.EOF)


@pytest.mark.skipif(sys.platform == "win32", reason="signals are POSIX")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_closed_terminal_or_sigterm_saves_and_says_how_to_resume(tmp_path, signal_name):
    import signal

    folder = tmp_path / "dossiers"
    child = spawn("nouveau", "--appel", IDF, "--nom", "signal", folder=folder)
    user = User(child)
    user.answers("Raison sociale de l'établissement", "CH Signal\r")
    user.answers("Numéro FINESS juridique", "9300")          # half typed when the terminal goes away
    child.kill(getattr(signal, signal_name))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 and child.signalstatus is None  # saved, then a clean exit
    saved = json.loads((folder / "signal.json").read_text(encoding="utf-8"))
    assert saved["reponses"] == {"etablissement": "CH Signal"}
    assert saved["position"]["question"] == "finess_juridique"
    assert (folder / "signal.json.lock").read_text() == ""  # released
