"""No command needs a name typed in full: a unique beginning opens the dossier (or the call), an
ambiguous one lists the candidates, no name at all offers the list in a terminal and tells a
script the names (exit 2). And, in a real terminal, the end of the dialogue offers the document."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
import pytest
from builders import EXAMPLE
from conftest import plain, run_aap
from test_end_to_end import User, spawn

LONG = "ch-sainte-helene-radio-interventionnelle"
COMMANDS = [("verifier", "--date", "2022-10-20"), ("evaluer",), ("montrer",), ("exporter", "--sortie", "{tmp}/x.docx")]


@pytest.fixture
def store(tmp_path):
    folder = tmp_path / "dossiers"
    for name in (LONG, "ch-sainte-anne"):
        result = run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", name, env={"AAP_DOSSIERS": str(folder)})
        assert result.returncode == 0, result.stderr
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_a_unique_beginning_opens_the_dossier(store, tmp_path, command):
    args = [part.format(tmp=tmp_path) for part in command]
    result = run_aap(args[0], "ch-sainte-h", *args[1:], env={"AAP_DOSSIERS": str(store)})
    assert result.returncode in (0, 1), result.stderr  # verifier may find points: never « aucun dossier »
    assert "aucun dossier" not in result.stderr


@pytest.mark.parametrize("command", ["verifier", "evaluer", "montrer", "exporter", "reprendre"])
def test_an_ambiguous_beginning_lists_the_candidates(store, command):
    result = run_aap(command, "ch-sainte", env={"AAP_DOSSIERS": str(store)})
    assert result.returncode == 2
    error = plain(result.stderr)
    assert "« ch-sainte » commence le nom de 2 dossiers" in error
    assert LONG in error and "ch-sainte-anne" in error


@pytest.mark.parametrize("command", ["verifier", "evaluer", "montrer", "exporter", "reprendre", "dupliquer"])
def test_no_name_without_a_terminal_lists_the_dossiers(store, command):
    result = run_aap(command, env={"AAP_DOSSIERS": str(store)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert LONG in result.stderr and "ch-sainte-anne" in result.stderr
    # reprendre asks questions: it says so first (and points to aap remplir), then the names.
    assert ("indiquez le nom du dossier" if command != "reprendre" else "demande un terminal") in plain(result.stderr)


def test_no_name_and_no_dossier_says_how_to_start(tmp_path):
    result = run_aap("verifier", env={"AAP_DOSSIERS": str(tmp_path / "vide")})
    assert result.returncode == 2 and "aap nouveau" in plain(result.stderr)


def test_remplir_never_takes_a_beginning(store):
    # `remplir --nom ch` creates « ch »: it must not fill an existing dossier that begins so.
    result = run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", "ch-sainte-h", env={"AAP_DOSSIERS": str(store)})
    assert result.returncode == 0 and (store / "ch-sainte-h.json").exists()


def test_dupliquer_takes_a_beginning(store):
    result = run_aap("dupliquer", "ch-sainte-h", "copie", env={"AAP_DOSSIERS": str(store)})
    assert result.returncode == 0, result.stderr
    assert (store / "copie.json").exists()


def test_a_call_by_the_beginning_of_its_id(tmp_path):
    result = run_aap("appels", "idf", env={"AAP_DOSSIERS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Île-de-France" in result.stdout
    unknown = run_aap("appels", "zz", env={"AAP_DOSSIERS": str(tmp_path)})
    assert unknown.returncode == 2 and "bretagne-2025-chirurgie-ambulatoire" in unknown.stderr


pty = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


@pty
def test_no_name_in_a_terminal_offers_the_picker(store):
    child = spawn("verifier", "--date", "2022-10-20", folder=store)
    user = User(child)
    user.sees("Quel dossier vérifier ?", "ch-sainte-anne", LONG, "›")
    child.send("2\r")  # the list is most recent first: either is a real dossier
    user.sees("Vérifications")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1)


@pty
def test_the_end_of_the_dialogue_offers_the_document_and_writes_it(store, tmp_path):
    # The example is complete: opened by the beginning of its name, it reopens on the review.
    child = spawn("reprendre", "ch-sainte-h", folder=store, cwd=tmp_path)
    user = User(child)
    user.sees("Sommaire du dossier")
    while child.expect_exact(["Entrée : suite du sommaire", "Entrée pour continuer"]) == 0:
        user.sees("›")
        child.send("\r")  # the review's next page
    user.sees("›")
    child.send("\r")
    user.sees("Produire le document Word maintenant ?", "Les deux", "Plus tard", "›")
    child.send("1\r")
    user.sees("Version de relecture écrite")
    child.expect(pexpect.EOF)
    written = plain(child.before.replace("\r", ""))
    child.close()
    assert child.exitstatus == 0
    paths = re.findall(r"^\s*(/\S+\.docx)$", written, re.MULTILINE)  # on a line of its own, whole
    assert paths and Path(paths[0]).exists(), written
    assert Path(paths[0]).parent == tmp_path / "sorties"


def test_a_name_as_stored_wins_over_one_that_differs_by_accents_or_case(tmp_path):
    folder = tmp_path / "dossiers"
    env = {"AAP_DOSSIERS": str(folder)}
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", "PROJET-ETE", env=env).returncode == 0
    # A second file made by hand (or received): aap itself never makes two names that differ so.
    [made] = folder.glob("*.json")  # slugified: projet-ete
    (folder / "projet-été.json").write_bytes(made.read_bytes())
    if len(list(folder.glob("*.json"))) < 2:
        pytest.skip("this file system takes PROJET-ETE and projet-été for one name")
    shown = run_aap("verifier", "projet-été", "--date", "2022-10-20", env=env)
    assert "« projet-été »" in plain(shown.stdout) and "« projet-ete »" not in plain(shown.stdout)


def test_a_file_name_is_never_a_beginning(store):
    result = run_aap("verifier", "ch-sainte-h.json", env={"AAP_DOSSIERS": str(store)})
    assert result.returncode == 2 and "aucun dossier" in result.stderr


def test_dupliquer_without_a_new_name_and_without_a_terminal_says_to_give_it(store):
    result = run_aap("dupliquer", "ch-sainte-h", env={"AAP_DOSSIERS": str(store)})
    assert result.returncode == 2 and "NOUVEAU_NOM" in result.stderr and "aap remplir" not in result.stderr


@pytest.mark.parametrize("typed", ["IDF", " idf"])
def test_a_call_id_is_typed_as_a_person_types_it(tmp_path, typed):
    result = run_aap("appels", typed, env={"AAP_DOSSIERS": str(tmp_path)})
    assert result.returncode == 0 and "Île-de-France" in result.stdout


def test_an_output_folder_given_with_a_slash_is_made_and_receives_the_file(store, tmp_path):
    folder = tmp_path / "envois"
    result = run_aap("exporter", "ch-sainte-h", "--sortie", f"{folder}/", env={"AAP_DOSSIERS": str(store)})
    assert result.returncode == 0, result.stderr
    assert [p.suffix for p in folder.iterdir()] == [".docx"] and not (tmp_path / "envois.docx").exists()
