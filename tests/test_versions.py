"""Versions of a dossier: recorded next to it, bounded, compared word by word, restored without
losing the state they replace; and the commands `aap versions`, `aap comparer`,
`aap reprendre --version`, `aap dupliquer` around them."""

from __future__ import annotations

import json
import os
import stat
import sys
from io import StringIO
from pathlib import Path

import pytest
from builders import IDF, dossier_from, example_answers, save
from conftest import plain, run_aap

from assistant import loading, versions
from assistant.consoles import make_console
from assistant.dossier import Dossier
from assistant.errors import DossierError, UsageError
from assistant.store import Store
from assistant.versions import Difference, Kind

NEW_GOALS = "Réduire les passages aux urgences de 20 % en deux ans."


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "dossiers", loading.find_appel)


def stored(store: Store, name: str = "essai", answers: dict | None = None) -> Dossier:
    """A dossier with the example's answers, saved in the store."""
    dossier = dossier_from(answers or example_answers(), name=name)
    with store.session(name) as session:
        session.save_new(dossier)
    return dossier


def changed(store: Store, dossier: Dossier) -> Dossier:
    """The dossier with new goals and no requested amount, saved."""
    dossier.set("objectifs", NEW_GOALS)
    dossier.set("montant_demande", None)
    save(store, dossier)
    return dossier


def files(store: Store, name: str = "essai") -> list[str]:
    return sorted(os.listdir(versions.folder(store, name)))


# -- recording and reading ------------------------------------------------------------------------


def test_a_version_is_a_private_file_next_to_the_dossier_and_reads_back(store):
    dossier = stored(store)
    first = versions.record(store, dossier, Kind.REVIEW_EXPORT, export_id="e1", marks={"base": [1, 2]})
    second = versions.record(store, dossier, Kind.AFTER_REVIEW, label="relu", reviewers=["Dr Martin"])
    assert (first.number, second.number) == (1, 2)
    place = store.folder / "essai.versions"
    assert files(store) == ["0001.json", "0002.json"]  # nothing else: no temporary file left
    assert stat.S_IMODE(place.stat().st_mode) == 0o700
    assert all(stat.S_IMODE((place / f).stat().st_mode) == 0o600 for f in files(store))
    saved = json.loads((place / "0001.json").read_text(encoding="utf-8"))
    assert saved["numero"] == 1 and saved["genre"] == "export-relecture" and saved["export"] == "e1"
    assert saved["reponses"] == dossier.to_file().answers and saved["reperes"] == {"base": [1, 2]}
    assert saved["appel"] == IDF and saved["empreinte_questionnaire"] == dossier.appel.fingerprint
    found = versions.versions(store, "essai")
    assert [v.number for v in found] == [1, 2] and not found.unreadable
    assert found[1].label == "relu" and found[1].reviewers == ["Dr Martin"] and found[1].kind is Kind.AFTER_REVIEW
    assert found[0].at.tzinfo is not None
    assert versions.get(store, "essai", 1).marks == {"base": [1, 2]}
    assert versions.by_export(store, "essai", "e1") == found[0]
    assert versions.by_export(store, "essai", "autre") is None
    assert versions.latest(store, "essai") == found[1]
    listed = versions.listing(store, "essai")  # the header only: no answers built
    assert [v.number for v in listed] == [1, 2] and not hasattr(listed[0], "answers")


def test_an_unknown_number_is_refused_with_the_numbers_that_exist(store):
    dossier = stored(store)
    with pytest.raises(UsageError, match="n'a encore aucune version ; chaque export en enregistre une"):
        versions.get(store, "essai", 1)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    versions.record(store, dossier, Kind.SUBMISSION_EXPORT)
    with pytest.raises(UsageError, match=r"n'a pas de version 7 ; versions enregistrées : 1, 2$"):
        versions.get(store, "essai", 7)
    for _ in range(4):
        versions.record(store, dossier, Kind.REVIEW_EXPORT)
    os.unlink(versions.folder(store, "essai") / "0005.json")
    with pytest.raises(UsageError, match=r"n'a pas de version 5 ; versions enregistrées : 1 à 4, 6$"):
        versions.get(store, "essai", 5)


def test_a_dossier_that_does_not_exist_has_no_versions_to_list(store):
    with pytest.raises(DossierError, match="aucun dossier « personne »"):
        versions.versions(store, "personne")


def test_an_unreadable_version_is_skipped_and_named_never_an_error(store):
    dossier = stored(store)
    for _ in range(3):
        versions.record(store, dossier, Kind.REVIEW_EXPORT)
    (versions.folder(store, "essai") / "0002.json").write_text('{"numero": 2, "quand": ', encoding="utf-8")
    found = versions.versions(store, "essai")
    assert [v.number for v in found] == [1, 3]
    assert len(found.unreadable) == 1 and found.unreadable[0].startswith("0002.json : ")
    # The next number is still after the damaged one: never a number used twice.
    assert versions.record(store, dossier, Kind.REVIEW_EXPORT).number == 4


def test_two_recordings_at_once_get_two_numbers(store, monkeypatch):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    # Another aap read the same last number and wrote 0002 first: this one takes the next.
    monkeypatch.setattr(versions, "_last_number", lambda store, name: 1)
    versions.record(store, dossier, Kind.REVIEW_EXPORT, label="a")
    late = versions.record(store, dossier, Kind.REVIEW_EXPORT, label="b")
    assert late.number == 3
    assert [(v.number, v.label) for v in versions.versions(store, "essai")] == [(1, None), (2, "a"), (3, "b")]


# -- the bound ------------------------------------------------------------------------------------


def test_past_the_count_the_oldest_unnamed_versions_go_first(store, monkeypatch):
    monkeypatch.setattr(versions, "MAX_VERSIONS", 4)
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT, label="envoyée à la direction")
    for _ in range(5):
        versions.record(store, dossier, Kind.REVIEW_EXPORT)
    # 6 recorded, 4 kept: the named first one stays, the oldest unnamed (2 and 3) went.
    assert [v.number for v in versions.versions(store, "essai")] == [1, 4, 5, 6]
    assert versions.record(store, dossier, Kind.REVIEW_EXPORT).number == 7  # numbers go on


def test_past_the_size_versions_go_oldest_first_named_ones_last_the_newest_never(store, monkeypatch):
    dossier = stored(store)
    first = versions.record(store, dossier, Kind.REVIEW_EXPORT, label="a")
    size = (versions.folder(store, "essai") / "0001.json").stat().st_size
    monkeypatch.setattr(versions, "MAX_VERSIONS_BYTES", int(size * 2.5))
    versions.record(store, dossier, Kind.REVIEW_EXPORT, label="b")
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    assert [v.number for v in versions.versions(store, "essai")] == [2, 3]  # only named ones left to go: the oldest
    assert first.number == 1
    monkeypatch.setattr(versions, "MAX_VERSIONS_BYTES", 10)  # smaller than any version
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    assert [v.number for v in versions.versions(store, "essai")] == [4]  # the one just recorded stays


# -- differences ----------------------------------------------------------------------------------


def test_differences_are_per_answer_in_questionnaire_order_as_the_user_reads_them(store):
    dossier = stored(store)
    before = dict(dossier.raw)
    dossier.set("montant_demande", None)
    dossier.set("objectifs", NEW_GOALS)
    found = versions.differences(before, dossier.raw, dossier.appel)
    assert [d.question_id for d in found] == ["objectifs", "montant_demande"]
    goals, amount = found
    assert goals.label == dossier.appel.question("objectifs").label and goals.after == NEW_GOALS
    assert plain(amount.before or "") == "40 000,00 €" and amount.after is None
    assert versions.differences(dossier, dict(dossier.raw), dossier.appel) == []


def test_a_list_is_shown_one_line_per_item(store):
    dossier = stored(store)
    before = dict(dossier.raw)
    lines = [dict(item) for item in dossier.get("depenses")]
    lines[0]["libelle"] = "Infirmière de coordination"
    dossier.set("depenses", lines)
    (difference,) = versions.differences(before, dossier.raw, dossier.appel)
    assert difference.question_id == "depenses"
    assert difference.before is not None and difference.after is not None
    assert len(difference.after.splitlines()) == len(lines)
    assert difference.after.splitlines()[0].startswith("1. ") and "Infirmière de coordination" in difference.after
    assert difference.before.splitlines()[1:] == difference.after.splitlines()[1:]


def test_a_difference_is_shown_word_by_word_coloured_or_marked():
    from assistant.versions_view import show_differences

    difference = Difference("objectifs", "Objectifs", "réduire les passages aux urgences",
                            "réduire les hospitalisations évitables aux urgences")
    out = make_console(file=StringIO(), width=80)
    show_differences(out, [difference])
    text = out.file.getvalue()
    assert "Objectifs" in text and "réduire les [-passages-] {+hospitalisations évitables+} aux urgences" in text
    from rich.console import Console

    coloured = Console(file=StringIO(), width=80, force_terminal=True, color_system="standard")
    show_differences(coloured, [difference])
    ansi = coloured.file.getvalue()
    # Marked in colours too (a copy into an e-mail keeps the marks), the space after it unmarked.
    assert "\x1b[9;31m[-passages-]\x1b[0m " in ansi  # struck through, red
    assert "\x1b[4;32m{+hospitalisations évitables+}\x1b[0m " in ansi  # underlined, green


# -- restoring ------------------------------------------------------------------------------------


def test_restore_keeps_the_current_state_as_a_version_first(store):
    dossier = stored(store)
    old = versions.record(store, dossier, Kind.REVIEW_EXPORT)
    now = changed(store, dossier)
    state_before = dict(now.raw)
    with store.session("essai") as session:
        restoration = versions.restore(store, session, old.number)
    assert (restoration.before.number, restoration.after.number) == (2, 3)
    assert restoration.before.kind is Kind.BEFORE_RESTORE and restoration.after.kind is Kind.RESTORED
    assert restoration.before.answers == state_before  # nothing lost: the state replaced is a version
    assert restoration.after.restored == restoration.before.restored == 1
    assert restoration.skipped == []
    reread = store.load("essai")
    assert reread.raw == old.answers
    # Each answer went through Dossier.set: the history has it, /annuler takes it back.
    assert {change.question for change in reread.history[-2:]} == {"objectifs", "montant_demande"}
    reread.undo()
    reread.undo()
    assert reread.raw == state_before


def test_restore_skips_what_no_longer_fits_the_questionnaire_and_says_so(store):
    dossier = stored(store)
    old = versions.record(store, dossier, Kind.REVIEW_EXPORT)
    changed(store, dossier)
    # Hand edits of the version: an answer to a question the questionnaire no longer asks, an
    # amount no longer as aap writes it.
    path = versions.folder(store, "essai") / "0001.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reponses"]["question_retiree"] = "ancienne réponse"
    data["reponses"]["montant_demande"] = "40 000 €"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with store.session("essai") as session:
        restoration = versions.restore(store, session, old.number)
    label = dossier.appel.question("montant_demande").label
    assert restoration.skipped == [label, "question_retiree"]
    reread = store.load("essai")
    assert reread.get("objectifs") == dossier_from(example_answers()).get("objectifs")
    assert "montant_demande" not in reread.raw and "question_retiree" not in reread.raw


# -- the commands ---------------------------------------------------------------------------------


def aap(store: Store, *args: str):
    return run_aap(*args, env={"AAP_DOSSIERS": str(store.folder)})


def test_aap_versions_lists_number_date_kind_and_name(store):
    dossier = stored(store)
    empty = aap(store, "versions", "essai")
    assert empty.returncode == 0
    assert "n'a encore aucune version : chaque export (aap exporter) en enregistre une" in plain(empty.stdout)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    versions.record(store, dossier, Kind.SUBMISSION_EXPORT, label="déposée")
    versions.record(store, dossier, Kind.AFTER_REVIEW, reviewers=["Dr Martin", "Mme Durand"])
    versions.record(store, dossier, Kind.BEFORE_RESTORE, restored=1)
    versions.record(store, dossier, Kind.RESTORED, restored=1)
    result = aap(store, "versions", "ess")  # a beginning is enough, as everywhere
    out = plain(result.stdout)
    assert result.returncode == 0, result.stderr
    for expected in ("Versions du dossier « essai »", "export relecture", "export dépôt", "déposée",
                     "après relecture (Dr Martin, Mme Durand)", "avant restauration de la version 1",
                     "restauration de la version 1", "aap comparer essai NUMÉRO", "aap reprendre essai --version NUMÉRO"):
        assert expected in out, expected
    from assistant.i18n import format_datetime

    assert format_datetime(versions.get(store, "essai", 1).at) in result.stdout


def test_aap_versions_says_which_version_files_do_not_read(store):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    (versions.folder(store, "essai") / "0002.json").write_text("[]", encoding="utf-8")
    result = aap(store, "versions", "essai")
    assert result.returncode == 0 and "export relecture" in result.stdout
    assert "1 version illisible est ignorée" in plain(result.stderr) and "0002.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_aap_comparer_shows_each_answer_word_by_word(store):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    changed(store, dossier)
    result = aap(store, "comparer", "essai", "1")
    out = plain(result.stdout)
    assert result.returncode == 0, result.stderr
    assert "la version 1" in out and "comparée à l'état actuel" in out
    assert "[-…-] : ce qui n'est que dans la version 1 ; {+…+} : ce qui n'est que dans l'état actuel." in out
    assert "Objectifs du projet\n  [-" in out and "{+Réduire les passages+}" in out
    assert "Montant de l'aide demandée à l'ARS — réponse retirée\n  [-40 000,00 €-]" in out
    assert "2 réponses diffèrent." in out
    versions.record(store, dossier, Kind.AFTER_REVIEW)
    same = aap(store, "comparer", "essai", "2")
    assert same.returncode == 0 and "Aucune différence : les réponses sont les mêmes." in same.stdout
    data = json.loads(aap(store, "comparer", "essai", "1", "2", "--json").stdout)
    assert data["dossier"] == "essai" and data["version"] == 1 and data["comparee_a"] == 2
    assert [d["question"] for d in data["differences"]] == ["objectifs", "montant_demande"]
    assert data["differences"][0]["apres"] == NEW_GOALS and data["differences"][1]["apres"] is None
    assert set(data["differences"][0]) == {"question", "libelle", "avant", "apres"}


@pytest.mark.parametrize("command", [["comparer", "essai", "9"], ["comparer", "essai", "1", "9"],
                                     ["reprendre", "essai", "--version", "9", "--oui"]])
def test_an_unknown_version_number_exits_2_in_french(store, command):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    result = aap(store, *command)
    assert result.returncode == 2
    assert "le dossier « essai » n'a pas de version 9 ; versions enregistrées : 1" in plain(result.stderr)
    assert "Traceback" not in result.stderr


def test_a_version_number_must_be_a_number(store):
    stored(store)
    result = aap(store, "comparer", "essai", "zéro")
    assert result.returncode == 2 and "« zéro » n'est pas un numéro de version" in plain(result.stderr)


def test_aap_reprendre_version_oui_restores_and_says_where_the_state_before_is(store):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    changed(store, dossier)
    result = aap(store, "reprendre", "essai", "--version", "1", "--oui")
    out = plain(result.stdout)
    assert result.returncode == 0, result.stderr
    assert "Rétablir la version 1" in out and "changerait 2 réponses" in out and "{+40 000,00 €+}" in out
    assert "version 1 rétablie ; l'état d'avant est la version 2" in out
    assert "Pour reprendre : aap reprendre essai" in out  # no terminal: no dialogue, the way on
    assert store.load("essai").raw == versions.get(store, "essai", 1).answers
    assert versions.get(store, "essai", 2).answers["objectifs"] == NEW_GOALS
    again = aap(store, "reprendre", "essai", "--version", "1", "--oui")
    assert "La version 1 a les mêmes réponses que le dossier : rien à rétablir." in plain(again.stdout)
    assert [v.number for v in versions.versions(store, "essai")] == [1, 2, 3]  # nothing recorded for nothing


def test_aap_reprendre_version_without_a_terminal_asks_for_oui(store):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    changed(store, dossier)
    result = aap(store, "reprendre", "essai", "--version", "1")
    assert result.returncode == 2
    assert "changerait 2 réponses" in plain(result.stdout)  # what would change is shown all the same
    assert "sans terminal, aap ne peut pas demander de confirmation : ajoutez --oui" in plain(result.stderr)
    assert store.load("essai").get("objectifs") == NEW_GOALS
    assert [v.number for v in versions.versions(store, "essai")] == [1]


def test_aap_dupliquer_keeps_the_versions(store):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT, label="première")
    versions.record(store, dossier, Kind.SUBMISSION_EXPORT)
    result = aap(store, "dupliquer", "essai", "copie")
    assert result.returncode == 0, result.stderr
    copied = versions.versions(store, "copie")
    assert [(v.number, v.label, v.kind) for v in copied] == [(1, "première", Kind.REVIEW_EXPORT),
                                                            (2, None, Kind.SUBMISSION_EXPORT)]
    assert stat.S_IMODE(versions.folder(store, "copie").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in versions.folder(store, "copie").iterdir())
    assert len(versions.versions(store, "essai")) == 2  # the source keeps its own


def test_a_copy_whose_name_has_old_versions_keeps_them_and_gets_the_source_after(store):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    versions.record(store, dossier, Kind.BEFORE_RESTORE, restored=1)
    other = dossier_from(example_answers(), name="copie")
    versions.record(store, other, Kind.SUBMISSION_EXPORT)  # left by a dossier removed by hand
    assert versions.copy_all(store, "essai", "copie") == 2
    copied = versions.versions(store, "copie")
    assert [(v.number, v.kind, v.restored) for v in copied] == [
        (1, Kind.SUBMISSION_EXPORT, None), (2, Kind.REVIEW_EXPORT, None), (3, Kind.BEFORE_RESTORE, 2)]


def test_the_versions_folder_is_never_listed_as_a_dossier(store):
    dossier = stored(store)
    for _ in range(2):
        versions.record(store, dossier, Kind.REVIEW_EXPORT)
    result = aap(store, "liste")
    assert result.returncode == 0
    assert "essai" in result.stdout and "essai.versions" not in result.stdout and "0001" not in result.stdout
    assert "illisible" not in result.stdout + result.stderr
    assert store.names() == ["essai"]
    # Saving again (backup, lock) leaves the versions as they are.
    save(store, dossier)
    assert files(store) == ["0001.json", "0002.json"]


def test_a_received_file_keeps_its_versions_next_to_it(tmp_path):
    received = tmp_path / "reçus"
    received.mkdir()
    folder = tmp_path / "dossiers"
    run_aap("remplir", "--reponses", str(Path(__file__).parent.parent / "questionnaires" / "exemples" /
                                         "idf-2022-exemple.yaml"), "--nom", "dossier", env={"AAP_DOSSIERS": str(folder)})
    (received / "dossier.json").write_bytes((folder / "dossier.json").read_bytes())
    store = Store(received, loading.find_appel, own=False)
    versions.record(store, store.load("dossier"), Kind.REVIEW_EXPORT)
    assert (received / "dossier.versions" / "0001.json").is_file()
    result = run_aap("versions", str(received / "dossier.json"), env={"AAP_DOSSIERS": str(folder)})
    assert result.returncode == 0 and "export relecture" in result.stdout
    assert str(received / "dossier.json") in result.stdout  # how to name it again: by its path
    assert not (folder / "dossier.versions").exists()


def test_aap_versions_without_a_name_in_a_script_lists_the_names(store):
    stored(store)
    result = aap(store, "versions")
    assert result.returncode == 2 and "essai" in result.stderr


# -- in a terminal --------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_in_a_terminal_reprendre_version_asks_then_resumes_the_dialogue(store):
    import pexpect
    from test_end_to_end import PROMPT, User, spawn

    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    changed(store, dossier)
    child = spawn("reprendre", "essai", "--version", "1", folder=store.folder)
    user = User(child)
    user.sees("changerait 2 réponses", "Rétablir la version 1 ?", PROMPT)
    child.send("2\r")
    user.sees("Rien n'a été changé.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and store.load("essai").get("objectifs") == NEW_GOALS
    child = spawn("reprendre", "essai", "--version", "1", folder=store.folder)
    user = User(child)
    user.sees("Rétablir la version 1 ?", PROMPT)
    child.send("1\r")
    user.sees("version 1 rétablie ; l'état d'avant est la version 2", PROMPT)  # then the dialogue
    child.send("/quitter\r")
    user.sees("Pour reprendre : aap reprendre essai")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert store.load("essai").raw == versions.get(store, "essai", 1).answers


def test_reprendre_version_without_a_name_in_a_script_lists_the_names(store):
    stored(store)
    result = aap(store, "reprendre", "--version", "1", "--oui")
    assert result.returncode == 2 and "essai" in result.stderr and "Traceback" not in result.stderr


def test_aap_reprendre_version_names_the_answers_it_could_not_put_back(store):
    dossier = stored(store)
    versions.record(store, dossier, Kind.REVIEW_EXPORT)
    changed(store, dossier)
    path = versions.folder(store, "essai") / "0001.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reponses"]["montant_demande"] = "40 000 €"  # not as aap writes it
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = aap(store, "reprendre", "essai", "--version", "1", "--oui")
    out = plain(result.stdout)
    assert result.returncode == 0, result.stderr
    assert "1 réponse de la version 1 n'a pas été rétablie" in out
    assert "  • Montant de l'aide demandée à l'ARS" in out


def test_comparer_without_a_number_compares_the_last_version_with_now(tmp_path):
    folder = tmp_path / "d"
    env = {"AAP_DOSSIERS": str(folder)}
    from builders import EXAMPLE

    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", "essai", env=env).returncode == 0
    assert run_aap("comparer", "essai", env=env).returncode == 2  # no version yet: said
    assert run_aap("exporter", "essai", "--sortie", str(tmp_path / "x.docx"), env=env).returncode == 0
    result = run_aap("comparer", "essai", env=env)
    assert result.returncode == 0 and "Aucune différence" in result.stdout
