"""`aap appels --valider` on the shipped calls and on broken copies, one kind of mistake each."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT, plain, run_aap

from assistant import loading

BROKEN = FIXTURES / "questionnaires"


@pytest.mark.parametrize("name", ["idf-2022-actes-interventionnels", "bretagne-2025-chirurgie-ambulatoire"])
def test_shipped_calls_are_valid(name):
    result = run_aap("appels", "--valider", str(ROOT / "questionnaires" / f"{name}.yaml"))
    assert result.returncode == 0, result.stderr
    assert "questionnaire valide" in result.stdout


@pytest.mark.parametrize("fixture, expected", [
    ("syntaxe.yaml", "syntaxe YAML invalide ligne 11"),
    ("cle_inconnue.yaml", "appel: clé inconnue « agnce »"),
    ("type_inconnu.yaml", "section budget › question depenses › champ montant: type inconnu « monnaie »"),
    ("id_en_double.yaml", "section budget › question porteur: identifiant en double"),
    ("condition_inconnue.yaml", "section budget › question depenses: la condition nomme une question inconnue « financemnt »"),
    ("regle_question_inconnue.yaml", "règle plafond: question inconnue « montant_total »"),
    ("regle_mauvais_type.yaml", "règle plafond: la question porteur est de type « texte » ; il faut un montant"),
    ("regle_type_inconnu.yaml", "règle plafond: type de règle inconnu « plafonnement »"),
    ("choix_manquants.yaml", "section budget › question financement: le type « choix » demande une liste « choix »"),
    ("min_plus_grand_que_max.yaml", "section budget › question montant_demande: min (500) est plus grand que max (100)"),
    ("vide.yaml", "le fichier doit décrire un appel"),
])
def test_each_kind_of_mistake_is_reported_with_its_place(fixture, expected):
    result = run_aap("appels", "--valider", str(BROKEN / fixture))
    assert result.returncode == 2
    assert expected in plain(result.stderr)
    assert "Traceback" not in plain(result.stderr)


def test_valid_fixture_passes():
    assert loading.check_file(BROKEN / "valide.yaml")[0] == []


def test_missing_file_is_reported_not_raised(tmp_path):
    result = run_aap("appels", "--valider", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2 and "lecture impossible" in plain(result.stderr)


def test_yaml_is_never_executed(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text("!!python/object/apply:os.system ['touch " + str(tmp_path / "pwned") + "']\n")
    result = run_aap("appels", "--valider", str(evil))
    assert result.returncode == 2
    assert not (tmp_path / "pwned").exists()


def test_binary_file(tmp_path):
    binary = tmp_path / "image.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    result = run_aap("appels", "--valider", str(binary))
    assert result.returncode == 2 and "UTF-8" in plain(result.stderr)
