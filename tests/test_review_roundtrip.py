"""The review round trip: export the review version, have it edited as reviewers do (tracked
changes, plain edits, comments, table cells, whole paragraphs and rows), read it back with
`aap relire`, and check the dossier answer by answer."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import reviewing as rv
from builders import EXAMPLE
from conftest import plain, run_aap
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAME = "exemple"


@pytest.fixture
def setup(tmp_path):
    return rv.exported_dossier(tmp_path, NAME)


def answers(folder: Path) -> dict:
    return rv.saved_answers(folder, NAME)


def relire(env, *args: str):
    return run_aap("relire", NAME, *map(str, args), env=env)


def proposals(env, *files) -> dict:
    result = relire(env, *files, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_untouched_review_version_proposes_nothing(setup):
    _folder, env, exported = setup
    seen = proposals(env, exported)
    assert seen["propositions"] == [] and seen["commentaires_sans_modification"] == []
    assert seen["non_reportees"] == [] and seen["introuvables"] == [] and seen["retrouvees_par_titre"] == []


def _three_reviewers(exported: Path, tmp_path: Path) -> list[Path]:
    martin = rv.track_replace(exported, tmp_path / "martin.docx", "comité de pilotage mensuel",
                              "comité de pilotage bimensuel", author="Dr Martin")
    durand = rv.plain_replace(exported, tmp_path / "durand-1.docx", "0,3 ETP pendant 12 mois", "0,4 ETP pendant 12 mois")
    durand = rv.comment(durand, tmp_path / "durand.docx", "Taux de réponse visé", "Objectif réaliste ?",
                        author="Mme Durand")
    finance = rv.track_replace(exported, tmp_path / "finance-1.docx", "Radiologue interventionnel, chef de service",
                               "Radiologue interventionnel, chef du service d’imagerie", author="M. Finance")
    finance = rv.comment(finance, tmp_path / "finance-2.docx", "Fonds propres", "Confirmé par la DAF", author="M. Finance")
    finance = rv.track_delete_row(finance, tmp_path / "finance.docx", "Fonds propres", author="M. Finance")
    return [martin, durand, finance]


def _check_three_reviewers_applied(folder: Path, before: dict) -> None:
    after = answers(folder)
    assert "comité de pilotage bimensuel" in after["methode_travail"]
    # The text comes back as the document shows it: its paragraphs, typography and all.
    assert _words(after["methode_travail"]) == _words(before["methode_travail"].replace("pilotage mensuel",
                                                                                         "pilotage bimensuel"))
    # The paragraphs nobody touched keep their source as typed (line breaks, apostrophes).
    assert after["methode_travail"].split("\n\n")[1:] == before["methode_travail"].split("\n\n")[1:]
    assert "’" not in after["methode_travail"]
    assert "0,4 ETP pendant 12 mois" in after["depenses"][0]["libelle"]
    assert after["depenses"][1:] == before["depenses"][1:]
    assert after["equipe"][0]["fonction"] == "Radiologue interventionnel, chef du service d'imagerie"
    assert after["equipe"][1:] == before["equipe"][1:]
    assert len(after.get("cofinancements", [])) == len(before["cofinancements"]) - 1
    changed = {"methode_travail", "depenses", "equipe", "cofinancements"}
    for key, value in before.items():  # every other answer byte for byte
        if key not in changed:
            assert after[key] == value, key


def _words(text: str) -> list[str]:
    return plain(text).replace("’", "'").split()


def test_three_reviewers_at_once(setup, tmp_path):
    folder, env, exported = setup
    files = _three_reviewers(exported, tmp_path)
    seen = proposals(env, *files)
    by_place = {(p["question"], p["action"], p["champ"]): p for p in seen["propositions"]}
    assert set(by_place) == {("methode_travail", "modifier", None), ("depenses", "modifier", "libelle"),
                             ("equipe", "modifier", "fonction"), ("cofinancements", "supprimer", None)}
    assert by_place["methode_travail", "modifier", None]["propositions"][0]["relecteurs"] == ["Dr Martin"]
    assert by_place["equipe", "modifier", "fonction"]["ligne"] == 1
    assert by_place["cofinancements", "supprimer", None]["commentaires"] == [
        {"auteur": "M. Finance", "texte": "Confirmé par la DAF", "fichier": "finance.docx"}]
    assert [(n["reponse"], n["auteur"], n["texte"]) for n in seen["commentaires_sans_modification"]] == [
        ("Exploitation de l’enquête PROM", "Mme Durand", "Objectif réaliste ?")]
    assert set(seen["relecteurs"]) == {"Dr Martin", "Mme Durand", "M. Finance"}
    before = answers(folder)
    result = relire(env, *files, "--tout-accepter", "--version-nom", "après le COPIL")
    assert result.returncode == 0, result.stdout + result.stderr
    _check_three_reviewers_applied(folder, before)
    versions = sorted((folder / f"{NAME}.versions").glob("[0-9]*.json"))
    last = json.loads(versions[-1].read_text(encoding="utf-8"))
    assert last["genre"] == "apres-relecture" and last["nom"] == "après le COPIL"
    assert last["reponses"] == answers(folder)
    # Read again: what was applied is not proposed twice.
    assert proposals(env, *files)["propositions"] == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_three_reviewers_after_a_libreoffice_round_trip(setup, tmp_path):
    folder, env, exported = setup
    files = _three_reviewers(exported, tmp_path)
    converted = []
    for number, path in enumerate(files):
        out = tmp_path / f"lo{number}"
        result = rv.lo_round_trip(path, out)
        assert result is not None and result.exists()
        converted.append(result)
    seen = proposals(env, *converted)
    assert seen["introuvables"] == [] and seen["retrouvees_par_titre"] == []
    assert len(seen["propositions"]) == 4, seen["propositions"]
    before = answers(folder)
    assert relire(env, *converted, "--tout-accepter").returncode == 0
    _check_three_reviewers_applied(folder, before)


def test_two_reviewers_who_disagree_make_one_conflict_that_is_never_decided_alone(setup, tmp_path):
    folder, env, exported = setup
    one = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage hebdomadaire",
                           author="Dr Martin")
    two = rv.track_replace(exported, tmp_path / "b.docx", "comité de pilotage mensuel", "comité de pilotage trimestriel",
                           author="Mme Durand")
    same = rv.track_replace(exported, tmp_path / "c.docx", "comité de pilotage mensuel", "comité de pilotage trimestriel",
                            author="M. Finance")
    seen = proposals(env, one, two, same)
    [proposal] = seen["propositions"]
    assert proposal["conflit"] is True
    assert [(s["relecteurs"], s["fichiers"]) for s in proposal["propositions"]] == [
        (["Dr Martin"], ["a.docx"]), (["Mme Durand", "M. Finance"], ["b.docx", "c.docx"])]
    before = (folder / f"{NAME}.json").read_bytes()
    result = relire(env, one, two, "--tout-accepter")
    assert result.returncode == 1
    assert (folder / f"{NAME}.json").read_bytes() == before


def _changed_in_aap(folder: Path, env, tmp_path: Path, old: str, new: str) -> None:
    data = json.loads((folder / f"{NAME}.json").read_text(encoding="utf-8"))
    text = data["reponses"]["methode_travail"].replace(old, new)
    answers_file = tmp_path / "r.json"
    answers_file.write_text(json.dumps({"appel": data["appel"], "nom": NAME, "reponses": {"methode_travail": text}},
                                       ensure_ascii=False), encoding="utf-8")
    assert run_aap("remplir", "--reponses", str(answers_file), env=env).returncode == 0


def test_an_answer_changed_since_the_export_takes_the_reviewer_change_on_other_words(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "Claire Martin, cadre de santé, anime",
                                "Claire Martin, cadre supérieure de santé, anime")
    _changed_in_aap(folder, env, tmp_path, "pilotage mensuel", "pilotage bimensuel")
    [proposal] = proposals(env, reviewed)["propositions"]
    assert "bimensuel" in proposal["actuel"] and "bimensuel" not in proposal["exporte"]
    assert "bimensuel" in proposal["fusion"] and "cadre supérieure" in proposal["fusion"]
    # Other words on each side: merged, nothing overwritten; both changes are kept.
    assert relire(env, reviewed, "--tout-accepter").returncode == 0
    text = answers(folder)["methode_travail"]
    assert "pilotage bimensuel" in text and "cadre supérieure de santé" in text


def test_an_answer_changed_since_the_export_on_the_same_words_is_never_overwritten_unseen(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage annuel")
    _changed_in_aap(folder, env, tmp_path, "pilotage mensuel", "pilotage bimensuel")
    [proposal] = proposals(env, reviewed)["propositions"]
    assert proposal["fusion"] is None
    assert relire(env, reviewed, "--tout-accepter").returncode == 1
    assert "pilotage bimensuel" in answers(folder)["methode_travail"]


def test_a_value_that_no_longer_reads_is_shown_with_the_parser_message_and_never_saved(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.plain_replace(exported, tmp_path / "a.docx", "9\u202f800,00\u00a0€", "beaucoup")
    [proposal] = proposals(env, reviewed)["propositions"]
    assert proposal["question"] == "depenses" and proposal["propositions"][0]["erreur"]
    before = (folder / f"{NAME}.json").read_bytes()
    assert relire(env, reviewed, "--tout-accepter").returncode == 1
    assert (folder / f"{NAME}.json").read_bytes() == before


def test_a_deleted_paragraph_and_a_pasted_one(setup, tmp_path):
    folder, env, exported = setup
    one = rv.track_delete_paragraph(exported, tmp_path / "a.docx", "un par acte (radiologue, MERM, IDE)")
    two = rv.plain_insert_paragraph_after(one, tmp_path / "b.docx", "Validation avant l’ouverture",
                                          "Un point d’étape est présenté au directoire chaque trimestre.")
    [proposal] = proposals(env, two)["propositions"]
    assert proposal["question"] == "methode_travail"
    assert relire(env, two, "--tout-accepter").returncode == 0
    text = answers(folder)["methode_travail"]
    assert "Groupes de travail" not in text and "directoire chaque trimestre" in text
    assert text.index("Validation avant") < text.index("directoire") < text.index("Amélioration continue")


def _without_bookmarks(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as source, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                import re

                data = re.sub(rb"<w:bookmark(Start|End)[^>]*/>", b"", data)
            target.writestr(entry, data)
    return dst


def test_a_file_that_lost_its_marks_is_refused_and_says_what_its_headings_still_place(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    bare = _without_bookmarks(reviewed, tmp_path / "sans-reperes.docx")
    before = (folder / f"{NAME}.json").read_bytes()
    result = relire(env, bare, "--tout-accepter")
    assert result.returncode == 2
    assert "perdu les repères" in plain(result.stderr) and "Méthode de travail" in plain(result.stderr)
    assert (folder / f"{NAME}.json").read_bytes() == before
    result = relire(env, bare, "--tout-accepter", "--par-titres")
    assert result.returncode == 0, result.stderr
    assert "bimensuel" in answers(folder)["methode_travail"]


def test_wrong_files_are_refused_and_nothing_changes(setup, tmp_path):
    folder, env, exported = setup
    other = tmp_path / "autre"
    other_env = {"AAP_DOSSIERS": str(other)}
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", "autre", env=other_env).returncode == 0
    foreign = tmp_path / "autre.docx"
    assert run_aap("exporter", "autre", "--sortie", str(foreign), env=other_env).returncode == 0
    from docx import Document

    not_aap = tmp_path / "lettre.docx"
    Document().save(str(not_aap))
    broken = tmp_path / "casse.docx"
    broken.write_bytes(exported.read_bytes()[:4000])
    before = (folder / f"{NAME}.json").read_bytes()
    for path, words in ((foreign, "produit pour un autre dossier (« autre »)"), (not_aap, "pas une version de relecture"),
                        (broken, "endommagé")):
        result = relire(env, path)
        assert result.returncode == 2, path
        assert words in plain(result.stderr), result.stderr
    # One bad file among good ones: nothing is read, nothing changes.
    good = rv.track_replace(exported, tmp_path / "ok.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    assert relire(env, good, not_aap, "--tout-accepter").returncode == 2
    assert (folder / f"{NAME}.json").read_bytes() == before


def test_a_missing_answer_filled_in_by_a_reviewer(setup, tmp_path):
    folder, env, _exported = setup
    data = json.loads((folder / f"{NAME}.json").read_text(encoding="utf-8"))
    del data["reponses"]["perennisation"]
    (folder / f"{NAME}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fresh = tmp_path / "trou.docx"
    assert run_aap("exporter", NAME, "--sortie", str(fresh), env=env).returncode == 0
    reviewed = rv.plain_replace(fresh, tmp_path / "a.docx", "Sans réponse (facultatif)",
                                "Le poste est repris sur le budget de l’établissement en 2024.")
    [proposal] = [p for p in proposals(env, reviewed)["propositions"] if p["question"] == "perennisation"]
    assert proposal["exporte"] == ""
    assert relire(env, reviewed, "--tout-accepter").returncode == 0
    assert answers(folder)["perennisation"].startswith("Le poste est repris")


_TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=60)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(_TEXT, min_size=1, max_size=4), items=st.lists(_TEXT, max_size=3),
       role=_TEXT)
def test_export_then_no_change_proposes_nothing(tmp_path_factory, paragraphs, items, role):
    tmp_path = tmp_path_factory.mktemp("prop")
    folder = tmp_path / "d"
    env = {"AAP_DOSSIERS": str(folder)}
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", NAME, env=env).returncode == 0
    text = "\n\n".join(p.strip() or "x" for p in paragraphs)
    if items:
        text += "\n\n" + "\n".join(f"- {i.strip() or 'y'}" for i in items)
    data = json.loads((folder / f"{NAME}.json").read_text(encoding="utf-8"))
    data["reponses"]["methode_travail"] = text
    data["reponses"]["equipe"][1]["fonction"] = role.strip() or "z"
    changed = {"appel": data["appel"], "nom": NAME, "reponses": {k: data["reponses"][k] for k in ("methode_travail", "equipe")}}
    answers_file = tmp_path / "r.json"
    answers_file.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    if run_aap("remplir", "--reponses", str(answers_file), env=env).returncode != 0:
        return  # not an answer the dialogue accepts either
    exported = tmp_path / "x.docx"
    assert run_aap("exporter", NAME, "--sortie", str(exported), env=env).returncode == 0
    seen = proposals(env, exported)
    assert seen["propositions"] == [] and seen["non_reportees"] == []


def test_a_tracked_change_outside_the_answers_is_named_not_imported(setup, tmp_path):
    _folder, env, exported = setup
    # The first paragraph with the project's title is the cover's: a copy, not the answer.
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "Un parcours ambulatoire sécurisé",
                                "Un parcours ambulatoire sûr")
    seen = proposals(env, reviewed)
    assert seen["propositions"] == []
    [said] = seen["non_reportees"]
    assert "hors des réponses (a.docx)" in plain(said) and "Un parcours ambulatoire sûr" in plain(said)


def test_an_untracked_edit_in_the_summary_is_named_not_lost(setup, tmp_path):
    _folder, env, exported = setup
    # The summary repeats the objectives before the answers: a reviewer may edit that copy.
    reviewed = rv.plain_replace(exported, tmp_path / "a.docx", "Un parcours ambulatoire sécurisé",
                                "Un parcours ambulatoire sûr")
    seen = proposals(env, reviewed)
    assert seen["propositions"] == []
    [said] = seen["non_reportees"]
    assert "Un parcours ambulatoire sûr" in plain(said)


def test_a_comment_on_a_line_goes_with_that_line(setup, tmp_path):
    _folder, env, exported = setup
    one = rv.track_replace(exported, tmp_path / "a.docx", "Radiologue interventionnel, chef de service",
                           "Radiologue interventionnel, chef du service d’imagerie", author="M. Finance")
    two = rv.comment(one, tmp_path / "b.docx", "Tient la consultation pré-intervention",
                     "À préciser avec la DRH", author="M. Finance")
    seen = proposals(env, two)
    [proposal] = seen["propositions"]
    assert proposal["commentaires"] == []
    [note] = seen["commentaires_sans_modification"]
    assert note["texte"] == "À préciser avec la DRH" and note["reponse"].startswith("Équipe projet, ligne ")
    assert "ligne 1 " not in note["reponse"]


def test_the_files_name_their_dossier_wherever_the_name_is_typed(setup, tmp_path):
    folder, env, exported = setup
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", "second", env=env).returncode == 0
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    # No name: the dossier the file was exported from; the name after the files: still the name.
    assert run_aap("relire", str(reviewed), "--json", env=env).returncode == 0
    assert run_aap("relire", str(reviewed), NAME, "--tout-accepter", env=env).returncode == 0
    assert "bimensuel" in answers(folder)["methode_travail"]
    # Given to another dossier of the store: the command to type, with the file's path as given.
    result = run_aap("relire", "second", str(reviewed), env=env)
    assert result.returncode == 2
    assert f"aap relire {NAME} {reviewed}" in plain(result.stderr)


def test_the_submission_version_is_named_as_such(setup, tmp_path):
    _folder, env, _exported = setup
    submission = tmp_path / "depot.docx"
    assert run_aap("exporter", NAME, "--depot", "--forcer", "--sortie", str(submission), env=env).returncode == 0
    result = relire(env, submission)
    assert result.returncode == 2 and "est la version de dépôt" in plain(result.stderr)


def test_an_accepted_change_is_not_proposed_again_and_a_later_one_shows_it(setup, tmp_path):
    _folder, env, exported = setup
    one = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    conflict = rv.track_replace(exported, tmp_path / "b.docx", "comité de pilotage mensuel", "comité de pilotage annuel")
    assert relire(env, one, "--tout-accepter").returncode == 0
    # Accepted: not proposed again; the other reviewer's change shows the answer as it is now.
    seen = proposals(env, one, conflict)
    [proposal] = seen["propositions"]
    assert [s["fichiers"] for s in proposal["propositions"]] == [["b.docx"]]
    assert "bimensuel" in proposal["actuel"]


def test_two_reviewers_changing_other_words_of_one_answer_make_one_proposal(setup, tmp_path):
    folder, env, exported = setup
    one = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel",
                           author="Mme Moreau")
    two = rv.track_delete_paragraph(exported, tmp_path / "b.docx", "un par acte (radiologue, MERM, IDE)", author="Pr Henri")
    [proposal] = proposals(env, one, two)["propositions"]
    assert proposal["conflit"] is False
    [suggestion] = proposal["propositions"]
    assert suggestion["relecteurs"] == ["Mme Moreau", "Pr Henri"] and suggestion["fichiers"] == ["a.docx", "b.docx"]
    assert relire(env, one, two, "--tout-accepter").returncode == 0
    text = answers(folder)["methode_travail"]
    assert "pilotage bimensuel" in text and "un par acte" not in text
