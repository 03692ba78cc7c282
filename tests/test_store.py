"""The dossier store: atomic, durable saves; damaged files reported and never touched; one writer."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import time
from decimal import Decimal
from pathlib import Path

import pytest
from builders import IDF, create, example_answers, save

from assistant import loading
from assistant.answers import parse_answers
from assistant.dossier import Dossier, slugify
from assistant.errors import DossierError, UsageError
from assistant.model import Appel
from assistant.store import Store


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "dossiers", loading.find_appel)


@pytest.fixture
def appel():
    return loading.find_appel(IDF)


def filled(store: Store, appel, name: str = "ch-test") -> Dossier:
    dossier = create(store, name, appel)
    for question_id, value in parse_answers(appel, example_answers()).items():
        dossier.set(question_id, value)
    save(store, dossier)
    return dossier


def test_folder_and_file_modes(store, appel):
    create(store, "CH Saint-Denis", appel)
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path("ch-saint-denis").stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["../../x", "a/b", "a\\b", "..", ".cache", "x/../../y"])
def test_path_like_names_are_refused(name):
    with pytest.raises(UsageError, match="n'est pas un nom de dossier"):
        slugify(name)


def test_names_become_slugs():
    assert slugify("CH Saint-Denis 2022 — Radiologie") == "ch-saint-denis-2022-radiologie"


def test_file_is_readable_json_in_questionnaire_order_with_exact_amounts(store, appel):
    dossier = filled(store, appel)
    content = json.loads(store.path(dossier.name).read_text(encoding="utf-8"))
    assert content["version_schema"] == 1 and content["appel"] == IDF
    assert content["empreinte_questionnaire"] == appel.fingerprint
    order = [q.id for q in appel.questions()]
    keys = list(content["reponses"])
    assert keys == sorted(keys, key=order.index)
    assert content["reponses"]["montant_demande"] == "40000.00"
    assert content["reponses"]["depenses"][0]["montant"] == "18000.00"
    assert "float" not in str(type(content["reponses"]["depenses"][0]["part_ars"]))
    assert content["historique"][-1]["question"] == "annexes"


def test_two_saves_of_the_same_dossier_are_identical_bytes(store, appel):
    dossier = filled(store, appel)
    first = store.path(dossier.name).read_bytes()
    save(store, dossier)
    assert store.path(dossier.name).read_bytes() == first


def test_load_gives_back_typed_answers(store, appel):
    dossier = filled(store, appel)
    again = store.load(dossier.name)
    assert again.answers == dossier.answers
    assert again.get("montant_demande") == Decimal("40000.00")
    assert again.completion() == 100


def test_backup_keeps_the_previous_version(store, appel):
    dossier = create(store, "ch", appel)
    dossier.set("etablissement", "Version 1")
    save(store, dossier)
    dossier.set("etablissement", "Version 2")
    save(store, dossier)
    assert json.loads(store.backup_path("ch").read_text())["reponses"]["etablissement"] == "Version 1"
    assert store.load("ch").get("etablissement") == "Version 2"


def test_undo_from_history(store, appel):
    dossier = create(store, "ch", appel)
    dossier.set("etablissement", "Premier")
    dossier.set("etablissement", "Second")
    assert dossier.undo().question == "etablissement"
    assert dossier.get("etablissement") == "Premier"
    dossier.undo()
    assert dossier.get("etablissement") is None
    assert dossier.undo() is None


def test_conditions_drive_completion(store):
    bretagne = loading.find_appel("bretagne-2025-chirurgie-ambulatoire")
    dossier = create(store, "b", bretagne)
    outils = bretagne.question("outils_numeriques")
    assert not dossier.applies(outils)
    dossier.set("digitalisation", True)
    assert dossier.applies(outils)
    assert outils in dossier.missing_required()


# -- damaged and foreign files ------------------------------------------------------------------

def _assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    (b"", "est vide"),
    (b"   \n", "est vide"),
    (b"{\"version_schema\": 1, \"nom\": ", "endommagé"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"[1, 2, 3]", "pas un objet JSON"),
    (b"{\"bonjour\": \"monde\"}", "n'est pas un dossier aap valide"),
    (json.dumps({"version_schema": 99}).encode(), "version plus récente"),
])
def test_damaged_files_are_reported_and_left_as_they_are(store, appel, content, message):
    create(store, "ch", appel)
    path = store.path("ch")
    path.write_bytes(content)
    with pytest.raises(DossierError, match=message):
        store.load("ch")
    _assert_untouched(path, content)


def test_hand_edited_file_with_wrong_types(store, appel):
    dossier = filled(store, appel)
    path = store.path(dossier.name)
    data = json.loads(path.read_text())
    data["cree_le"] = "mardi dernier"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(DossierError, match="cree_le"):
        store.load(dossier.name)
    _assert_untouched(path, before)


def test_wrong_answer_types_are_reported_and_asked_again(store, appel):
    dossier = filled(store, appel)
    path = store.path(dossier.name)
    data = json.loads(path.read_text())
    data["reponses"]["montant_demande"] = "beaucoup"
    path.write_text(json.dumps(data))
    again = store.load(dossier.name)
    assert "montant_demande" in again.invalid and again.get("montant_demande") is None
    assert again.raw["montant_demande"] == "beaucoup"  # kept until answered again


def test_truncated_at_random_offsets(store, appel):
    dossier = filled(store, appel)
    good = store.path(dossier.name).read_bytes()
    save(store, dossier)  # the .bak is now a good copy
    rng = random.Random(7)
    for offset in sorted(rng.sample(range(1, len(good) - 2), 40)):
        store.path(dossier.name).write_bytes(good[:offset])
        with pytest.raises(DossierError) as caught:
            store.load(dossier.name)
        assert "--depuis-sauvegarde" in " ".join(caught.value.details)
        _assert_untouched(store.path(dossier.name), good[:offset])


def test_unknown_name_directory_and_huge_file(store, appel):
    store.ensure_folder()
    with pytest.raises(DossierError, match="aucun dossier « absent »"):
        store.load("absent")
    (store.folder / "repertoire.json").mkdir()
    with pytest.raises(DossierError, match="est un répertoire"):
        store.load("repertoire")
    huge = store.path("enorme")
    with huge.open("wb") as handle:
        handle.truncate(50_000_000)
    with pytest.raises(DossierError, match="plus de 10 Mo"):
        store.load("enorme")


def test_unreadable_file(store, appel, monkeypatch):
    create(store, "ch", appel)
    # Root reads any file whatever its mode: make the read itself fail as it would for a user.
    def refuse(path, limit):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("assistant.reading.read_limited", refuse)  # the one reader of user files
    with pytest.raises(DossierError, match="permission refusée"):
        store.load("ch")


def test_disk_full_leaves_the_previous_version(store, appel, monkeypatch):
    dossier = filled(store, appel)
    before = store.path(dossier.name).read_bytes()
    dossier.set("etablissement", "Nouveau nom")

    def full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DossierError, match=r"le disque est plein.*intacte"):
        save(store, dossier)
    _assert_untouched(store.path(dossier.name), before)
    assert not list(store.folder.glob(".*.tmp"))


def test_store_folder_not_writable(tmp_path, appel):
    blocker = tmp_path / "fichier"
    blocker.write_text("je ne suis pas un répertoire")
    store = Store(blocker / "dossiers", loading.find_appel)
    with pytest.raises(DossierError, match="création du répertoire des dossiers"):
        create(store, "ch", appel)


def test_restore_backup_keeps_the_damaged_file_aside(store, appel):
    dossier = filled(store, appel)
    save(store, dossier)
    store.path(dossier.name).write_bytes(b"{tronque")
    with store.session(dossier.name) as session:
        restored = session.restore_backup()
    assert restored.answers == dossier.answers
    aside = list(store.folder.glob(f"{dossier.name}.json.endommage-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"{tronque"


# -- a questionnaire that changed ---------------------------------------------------------------

def test_changed_questionnaire_keeps_removed_answers_and_reports_invalid_ones(store, appel):
    dossier = filled(store, appel)
    # A newer version of the YAML: one question removed, one choice withdrawn.
    data = json.loads(appel.model_dump_json(by_alias=True, exclude_none=True))
    general = data["sections"][0]["questions"]
    general[:] = [q for q in general if q["id"] != "porteur_telephone"]
    statut = next(q for q in general if q["id"] == "statut_juridique")
    statut["choix"] = [c for c in statut["choix"] if c["id"] != "public"]
    newer = Appel.model_validate(data)
    assert newer.fingerprint != appel.fingerprint
    changed = Store(store.folder, lambda _id: newer).load(dossier.name)
    assert changed.orphans == ["porteur_telephone"]
    assert "statut_juridique" in changed.invalid
    assert changed.get("etablissement") == dossier.get("etablissement")
    # Saved again, the removed question's answer is still in the file.
    save(Store(store.folder, lambda _id: newer), changed)
    content = json.loads(store.path(dossier.name).read_text())
    assert content["reponses"]["porteur_telephone"] == "01 49 33 00 00"
    assert content["empreinte_questionnaire"] == newer.fingerprint


def test_copy_to_another_call_keeps_common_answers(store, appel):
    dossier = filled(store, appel)
    bretagne = loading.find_appel("bretagne-2025-chirurgie-ambulatoire")
    with store.session("ch-bretagne") as session:
        copy = session.copy(dossier.name, bretagne)
    assert copy.appel.id == bretagne.id and copy.history == []
    assert copy.get("finess_juridique") == "930000427"
    assert "engagements" in copy.orphans
    assert store.load("ch-bretagne").raw["engagements"] == dossier.raw["engagements"]
    with pytest.raises(DossierError, match="existe déjà"), store.session("ch-bretagne") as session:
        session.copy(dossier.name)


# -- real processes -----------------------------------------------------------------------------

def test_saves_are_atomic_under_sigkill(store, appel):
    """A child saves in a loop; it is killed at random moments. Every time, the dossier on disk
    loads and holds one of the versions the child wrote, and so does its backup."""
    dossier = filled(store, appel)
    rng = random.Random(2024)
    versions_seen = set()
    previous = dossier.get("etablissement")
    for attempt in range(300):
        pid = os.fork()
        if pid == 0:  # the child: save new versions as fast as it can until killed, as the dialogue does
            try:
                counter = 0
                with store.session(dossier.name) as session:  # free again: the killed one's lock died with it
                    while True:
                        counter += 1
                        dossier.set("etablissement", f"{attempt}-{counter}")
                        session.save(dossier)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.04))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        value = store.load(dossier.name).get("etablissement")
        assert value == previous or value.startswith(f"{attempt}-"), (attempt, previous, value)
        previous = value
        versions_seen.add(value)
        store._read(store.backup_path(dossier.name))
    assert len(versions_seen) > 30  # the kills landed at many different moments of the loop


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from assistant.locking import Lock
lock = Lock(Path(sys.argv[1]), Path(sys.argv[2]))
lock.acquire()
print("tenu", flush=True)
time.sleep(60)
"""


def test_lock_refuses_a_second_writer_and_recovers_from_a_killed_one(store, appel):
    import subprocess
    import sys

    create(store, "ch", appel)
    lock = store.lock("ch")
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(lock.path), str(store.path("ch"))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "tenu"
        with pytest.raises(DossierError, match=f"processus {holder.pid}"):
            store.lock("ch").acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        with store.lock("ch") as taken:
            assert taken.held
            assert json.loads(lock.path.read_text())["pid"] == os.getpid()
        # Released: the file stays (removing it would let two processes lock two files), empty.
        assert lock.path.read_text() == ""
        with store.lock("ch") as again:
            assert again.held
    finally:
        holder.kill()
        holder.wait()


def test_history_stays_short_when_a_large_group_grows_line_by_line(store, appel):
    dossier = create(store, "grand", appel)
    lines = []
    for n in range(300):
        lines.append({"nature": "equipement", "libelle": f"Ligne {n} " + "x" * 60, "montant": Decimal(100),
                      "part_ars": Decimal(50)})
        dossier.set("depenses", list(lines))
    save(store, dossier)
    assert len(dossier.history) <= 50
    assert store.path("grand").stat().st_size < 400_000
    assert len(store.load("grand").get("depenses")) == 300
    assert dossier.undo().question == "depenses" and len(dossier.get("depenses")) == 299


# -- the store hands out a locked session: the only way to write --------------------------------

def test_writing_exists_only_on_a_session_holding_the_lock(store, appel):
    assert not any(hasattr(Store, name) for name in ("save", "create", "copy", "restore_backup"))
    with store.session("ch") as session:
        dossier = session.create(appel)
        with pytest.raises(DossierError, match="déjà ouvert"):  # one session per dossier at a time
            store.session("ch").__enter__()
    dossier.set("etablissement", "Après la fin de la session")
    with pytest.raises(RuntimeError, match="has ended"):
        session.save(dossier)
    assert store.load("ch").get("etablissement") is None


def test_a_session_writes_only_its_own_dossier(store, appel):
    with store.session("a") as first:
        mine = first.create(appel)
    with store.session("b") as second:
        second.create(appel)
        mine.set("etablissement", "Écrit par la session de b")
        with pytest.raises(RuntimeError, match="cannot write the dossier a"):
            second.save(mine)  # b's lock does not cover a: a is written only under its own
    assert store.load("a").get("etablissement") is None and store.load("b").get("etablissement") is None


def _record(path: Path, line: str) -> None:
    # One write in append mode: lines of several processes never mix.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def _die_holding(store: Store, name: str) -> None:
    """A real dead owner: a process that takes the lock and is killed holding it."""
    pid = os.fork()
    if pid == 0:
        try:
            store.lock(name).acquire()
            os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status), "the owner must die holding the lock"


def test_processes_racing_for_a_dead_owners_lock_have_one_holder_each_round(store, tmp_path):
    """Six processes try at the same moment to take the lock a killed process held, 200 times;
    the winner holds it until every other one has tried. Each round exactly one holds it."""
    import multiprocessing

    store.ensure_folder()
    holders, refused = tmp_path / "holders", tmp_path / "refused"
    racers, rounds = 6, 200
    context = multiprocessing.get_context("fork")
    start, tried, done = (context.Barrier(n, timeout=60) for n in (racers + 1, racers, racers + 1))

    def race() -> None:
        for attempt in range(rounds):
            start.wait()
            try:
                with store.session("course"):
                    _record(holders, f"{attempt} {os.getpid()}")
                    tried.wait()  # held until every racer has tried
            except DossierError as error:
                _record(refused, f"{attempt} {error.message}")
                tried.wait()
            done.wait()

    processes = [context.Process(target=race) for _ in range(racers)]
    for process in processes:
        process.start()
    try:
        for _attempt in range(rounds):
            _die_holding(store, "course")
            start.wait()
            done.wait()
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.exitcode is None:
                process.kill()
    assert [process.exitcode for process in processes] == [0] * racers
    per_round: dict[int, list[str]] = {}
    for line in holders.read_text().splitlines():
        attempt, pid = line.split()
        per_round.setdefault(int(attempt), []).append(pid)
    assert {attempt: len(pids) for attempt, pids in per_round.items()} == dict.fromkeys(range(rounds), 1)
    reasons = refused.read_text().splitlines()
    assert len(reasons) == rounds * (racers - 1)
    assert all("déjà ouvert par un autre aap" in reason for reason in reasons)


@pytest.mark.parametrize("job", ["create", "copy"])
def test_creating_one_name_at_once_in_several_processes_one_wins_and_nothing_is_replaced(store, appel, tmp_path, job):
    """`aap nouveau` or `aap dupliquer` to the same name at the same moment, from four
    processes: one creates the dossier, the others are told it exists, and the file the winner
    wrote is the one left (same inode, the winner's content)."""
    import multiprocessing

    racers, rounds = 4, 15
    for n in range(racers):
        source = create(store, f"source-{n}", appel)
        source.set("porteur_nom", f"Dr {n}")
        save(store, source)
    context = multiprocessing.get_context("fork")
    for attempt in range(rounds):
        for leftover in store.folder.glob("cible.json*"):
            leftover.unlink()
        results = tmp_path / f"resultats-{attempt}"
        start = context.Barrier(racers, timeout=60)

        def race(n: int, results: Path = results, start=start) -> None:
            start.wait()
            try:
                with store.session("cible", wait=10) as session:
                    if job == "create":
                        session.create(appel)
                    else:
                        session.copy(f"source-{n}")
                    _record(results, f"ok {n} {session.path.stat().st_ino}")
            except DossierError as error:
                _record(results, f"refus {n} {error.message}")

        processes = [context.Process(target=race, args=(n,)) for n in range(racers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [process.exitcode for process in processes] == [0] * racers
        lines = results.read_text().splitlines()
        winners = [line.split() for line in lines if line.startswith("ok ")]
        assert len(winners) == 1, (attempt, lines)
        (_ok, winner, inode), = winners
        losers = [line for line in lines if line.startswith("refus ")]
        assert len(losers) == racers - 1
        assert all("un dossier « cible » existe déjà" in line for line in losers), losers
        assert str(store.path("cible").stat().st_ino) == inode  # never replaced after the winner wrote it
        saved = store.load("cible")
        if job == "copy":
            assert saved.get("porteur_nom") == f"Dr {winner}"
        assert not store.backup_path("cible").exists()


@pytest.mark.parametrize(("key", "value", "said"), [
    ("version_schema", "1", "« version_schema » est absent ou mal formé"),
    ("version_schema", 1.0, "« version_schema » est absent ou mal formé"),
    ("cree_le", "2026-11-30", "« cree_le » est absent ou mal formé"),  # a date is not a moment
    ("modifie_le", "2026-11-30T10:00:00", "« modifie_le » est absent ou mal formé"),  # no offset
    ("modifie_le", 1764496800, "« modifie_le » est absent ou mal formé"),
    ("extra", 1, "la clé « extra » n'en fait pas partie"),
])
def test_the_top_of_a_dossier_file_is_read_strictly(store, appel, key, value, said):
    with store.session("ch") as session:
        session.create(appel)
    path = store.path("ch")
    data = json.loads(path.read_text(encoding="utf-8"))
    data[key] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DossierError) as refused:
        store.load("ch")
    assert said in refused.value.message
    assert path.read_bytes() == before
