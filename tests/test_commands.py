"""The dossier commands as a user runs them: exit codes, messages, files on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from builders import EXAMPLE, IDF, example_answers
from conftest import plain, run_aap

from assistant import loading
from assistant.answers import parse_answers
from assistant.values import encode


@pytest.fixture
def home(tmp_path) -> dict[str, str]:
    return {"AAP_DOSSIERS": str(tmp_path / "dossiers")}


def test_liste_on_an_empty_store_says_how_to_start(home):
    result = run_aap("liste", env=home)
    assert result.returncode == 0
    assert "Aucun dossier" in result.stdout and "aap nouveau" in result.stdout


def test_remplir_refuses_a_path_as_name(home):
    result = run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", "../../x", env=home)
    assert result.returncode == 2 and "n'est pas un nom de dossier" in plain(result.stderr)
    assert not Path(home["AAP_DOSSIERS"]).exists() or not list(Path(home["AAP_DOSSIERS"]).iterdir())


def test_unknown_call(home):
    result = run_aap("remplir", "--reponses", str(EXAMPLE), "--appel", "idf-2099", env=home)
    assert result.returncode == 2 and "appel inconnu « idf-2099 »" in plain(result.stderr)


@pytest.mark.parametrize("args", [[], ["reprendre"], ["nouveau"], ["nouveau", "--appel", IDF, "--nom", "x"],
                                  ["reprendre", "exemple"]])
def test_interactive_commands_without_a_terminal_point_to_remplir(home, args):
    run_aap("remplir", "--reponses", str(EXAMPLE), env=home)
    before = sorted(p.name for p in Path(home["AAP_DOSSIERS"]).iterdir())
    result = run_aap(*args, env=home)
    assert result.returncode == 2
    assert "aap remplir" in plain(result.stderr)
    assert sorted(p.name for p in Path(home["AAP_DOSSIERS"]).iterdir()) == before


def test_remplir_round_trips_through_montrer(home, tmp_path):
    filled = run_aap("remplir", "--reponses", str(EXAMPLE), env=home)
    assert filled.returncode == 0, filled.stderr
    assert "44 réponses enregistrées" in filled.stdout
    shown = run_aap("montrer", "exemple", "--reponses", env=home)
    assert shown.returncode == 0, shown.stderr
    exported = yaml.safe_load(shown.stdout)
    appel = loading.find_appel(IDF)
    normalised = {qid: encode(appel.question(qid), value)
                  for qid, value in parse_answers(appel, example_answers()).items()}
    assert exported == {"appel": IDF, "nom": "exemple", "reponses": normalised}
    # and the export is itself an answers file that fills an identical dossier
    again = tmp_path / "export.yaml"
    again.write_text(shown.stdout, encoding="utf-8")
    refill = run_aap("remplir", "--reponses", str(again), "--nom", "copie", env=home)
    assert refill.returncode == 0, refill.stderr
    first = json.loads((Path(home["AAP_DOSSIERS"]) / "exemple.json").read_text())["reponses"]
    second = json.loads((Path(home["AAP_DOSSIERS"]) / "copie.json").read_text())["reponses"]
    assert first == second


def test_remplir_lists_every_problem_and_writes_nothing(home, tmp_path):
    answers = example_answers()
    answers["depenses"][1]["montant"] = "12,345"
    answers["porteur_email"] = "claire@"
    answers["question_inventee"] = "?"
    bad = tmp_path / "reponses.yaml"
    bad.write_text(yaml.safe_dump({"appel": IDF, "nom": "ch", "reponses": answers}, allow_unicode=True))
    result = run_aap("remplir", "--reponses", str(bad), env=home)
    assert result.returncode == 2
    assert ("reponses.depenses[2].montant: « 12,345 » n'est pas un montant valide (deux décimales au plus)"
            in plain(result.stderr))
    assert "reponses.porteur_email: « claire@ » n'est pas une adresse e-mail" in plain(result.stderr)
    assert "reponses.question_inventee: question inconnue" in plain(result.stderr)
    assert not (Path(home["AAP_DOSSIERS"]) / "ch.json").exists()


def test_remplir_keeps_answers_the_file_does_not_mention(home, tmp_path):
    first = tmp_path / "a.json"
    first.write_text(json.dumps({"appel": IDF, "nom": "ch", "reponses": {"etablissement": "CH A"}}))
    second = tmp_path / "b.yaml"
    second.write_text("appel: " + IDF + "\nnom: ch\nreponses:\n  montant_demande: 40 000,00 €\n")
    assert run_aap("remplir", "--reponses", str(first), env=home).returncode == 0
    assert run_aap("remplir", "--reponses", str(second), env=home).returncode == 0
    answers = json.loads((Path(home["AAP_DOSSIERS"]) / "ch.json").read_text())["reponses"]
    assert answers == {"etablissement": "CH A", "montant_demande": "40000.00"}


def test_remplir_bad_files(home, tmp_path):
    missing = run_aap("remplir", "--reponses", str(tmp_path / "absent.yaml"), env=home)
    assert missing.returncode == 2 and "n'existe pas" in missing.stderr
    broken = tmp_path / "casse.yaml"
    broken.write_text("appel: [\n")
    assert "syntaxe" in run_aap("remplir", "--reponses", str(broken), env=home).stderr
    no_call = tmp_path / "sans_appel.yaml"
    no_call.write_text("nom: x\nreponses: {}\n")
    result = run_aap("remplir", "--reponses", str(no_call), env=home)
    assert result.returncode == 2 and "--appel" in plain(result.stderr)


def test_reprendre_by_name_by_path_and_damaged(home, tmp_path):
    run_aap("remplir", "--reponses", str(EXAMPLE), env=home)
    run_aap("remplir", "--reponses", str(EXAMPLE), env=home)  # a second save: the .bak is good
    store = Path(home["AAP_DOSSIERS"])
    # a file sent by a colleague, elsewhere on disk
    colleague = tmp_path / "recu" / "dossier-de-claire.json"
    colleague.parent.mkdir()
    colleague.write_bytes((store / "exemple.json").read_bytes())
    shown = run_aap("montrer", str(colleague), env=home)
    assert shown.returncode == 0 and "Villeneuve-sur-Seine" in shown.stdout

    path = store / "exemple.json"
    path.write_bytes(path.read_bytes()[:300])
    damaged = run_aap("reprendre", "exemple", env=home, )
    assert damaged.returncode == 2
    assert "endommagé" in plain(damaged.stderr) and "aap reprendre exemple --depuis-sauvegarde" in plain(damaged.stderr)
    assert len(path.read_bytes()) == 300
    restored = run_aap("reprendre", "exemple", "--depuis-sauvegarde", env=home)
    assert restored.returncode == 0, restored.stderr
    assert run_aap("montrer", "exemple", env=home).returncode == 0


def test_dupliquer(home):
    run_aap("remplir", "--reponses", str(EXAMPLE), env=home)
    result = run_aap("dupliquer", "exemple", "second-projet", env=home)
    assert result.returncode == 0, result.stderr
    other = run_aap("dupliquer", "exemple", "pour-la-bretagne", "--appel", "bretagne-2025-chirurgie-ambulatoire",
                    env=home)
    assert other.returncode == 0
    # Answers the other call does not ask for: said by their questions' labels, never their ids, and kept.
    assert "Engagements de l'établissement" in plain(other.stderr) and "engagements," not in other.stderr
    listing = run_aap("liste", env=home)
    for name in ("exemple", "second-projet", "pour-la-bretagne"):
        assert name in listing.stdout
    assert "100\u00a0%" in listing.stdout


def test_dossiers_option_before_or_after_the_command(tmp_path):
    folder = tmp_path / "ailleurs"
    assert run_aap("--dossiers", str(folder), "remplir", "--reponses", str(EXAMPLE)).returncode == 0
    listing = run_aap("liste", "--dossiers", str(folder))
    assert "exemple" in listing.stdout and str(folder) in listing.stdout


def test_liste_shows_a_damaged_dossier_without_failing(home):
    run_aap("remplir", "--reponses", str(EXAMPLE), env=home)
    (Path(home["AAP_DOSSIERS"]) / "casse.json").write_text("{")
    result = run_aap("liste", env=home)
    assert result.returncode == 0
    assert "casse" in result.stdout and "endommagé" in result.stdout


def test_unknown_dossier(home):
    result = run_aap("montrer", "fantome", env=home)
    assert result.returncode == 2 and "aucun dossier « fantome »" in plain(result.stderr)
