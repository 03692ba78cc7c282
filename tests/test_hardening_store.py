"""Issue 11, the store's side: a received file never decides where aap writes; one name, one
file; one writer; private and atomic files; no partial file on a full disk or a kill."""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from builders import EXAMPLE, IDF, create, save
from conftest import ROOT, Result, run_aap

from assistant import loading
from assistant.dossier import slugify
from assistant.errors import DossierError, UsageError
from assistant.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes and modes")


def aap(*args: str, cwd: Path, umask: int | None = None, file_limit: int | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str] | Result:
    """The command; in a real process when it needs an umask or a file-size limit (a full disk,
    as the kernel says it), else by calling main() in this process."""
    if umask is None and file_limit is None:
        return run_aap(*args, cwd=cwd, env=env)

    def limits() -> None:
        if umask is not None:
            os.umask(umask)
        if file_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then writes fail with EFBIG, as on a full disk
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    full_env.update({"NO_COLOR": "1", "COLUMNS": "200", "PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, stdin=subprocess.DEVNULL, timeout=120, preexec_fn=limits)


def answers_file(folder: Path, name: str, answers: dict, appel: str = IDF, file: str | None = None) -> Path:
    path = folder / (file or f"{name}-reponses.json")
    path.write_text(json.dumps({"appel": appel, "nom": name, "reponses": answers}), encoding="utf-8")
    return path


def every_file(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def home(tmp_path) -> Path:
    """A user's place: the store, a working folder, and a victim's folder beside them."""
    (tmp_path / "travail").mkdir()
    victim = tmp_path / "victime"
    victim.mkdir()
    (victim / "settings.json").write_text('{"reglage": 1}')
    result = aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(tmp_path / "dossiers"), cwd=tmp_path / "travail")
    assert result.returncode == 0, result.stderr
    return tmp_path


def _set_inner_name(path: Path, name: str) -> None:
    content = json.loads(path.read_text(encoding="utf-8"))
    content["nom"] = name
    path.write_text(json.dumps(content), encoding="utf-8")


# -- a dossier's place comes from where aap found it ------------------------------------------------

def test_a_received_file_whose_nom_is_a_path_is_written_back_to_its_own_place(home):
    store, victim = home / "dossiers", home / "victime"
    received = store / "recu.json"
    received.write_bytes((store / "exemple.json").read_bytes())
    _set_inner_name(received, f"/../..{victim}/settings")
    before = every_file(victim)
    update = answers_file(home, "recu", {"etablissement": "CH Reçu"})
    result = aap("remplir", "--reponses", str(update), "--dossiers", str(store), cwd=home / "travail")
    assert result.returncode == 0, result.stderr
    assert every_file(victim) == before and not (victim / "settings.json.bak").exists()
    saved = json.loads(received.read_text(encoding="utf-8"))
    assert saved["nom"] == "recu" and saved["reponses"]["etablissement"] == "CH Reçu"


def test_export_of_a_received_file_lands_in_sorties_under_a_name_aap_makes(home):
    received = home / "recu" / "dossier de Marie.json"
    received.parent.mkdir()
    received.write_bytes((home / "dossiers" / "exemple.json").read_bytes())
    _set_inner_name(received, f"../../{home.name}/victime/piege")
    result = aap("exporter", str(received), cwd=home / "travail")
    assert result.returncode == 0, result.stderr
    written = list(home.rglob("*.docx"))
    assert len(written) == 1 and written[0].parent == home / "travail" / "sorties"
    assert written[0].name.startswith("dossier-de-marie-")


def test_a_file_copied_by_hand_is_updated_as_itself(home):
    store = home / "dossiers"
    (store / "copie.json").write_bytes((store / "exemple.json").read_bytes())
    original = (store / "exemple.json").read_bytes()
    update = answers_file(home, "copie", {"etablissement": "CH Copie"})
    result = aap("remplir", "--reponses", str(update), "--dossiers", str(store), cwd=home / "travail")
    assert result.returncode == 0, result.stderr
    assert (store / "exemple.json").read_bytes() == original
    assert json.loads((store / "copie.json").read_text())["reponses"]["etablissement"] == "CH Copie"


def test_a_nom_that_disagrees_with_the_file_name_is_reported_not_used(home):
    store = Store(home / "dossiers", loading.find_appel)
    _set_inner_name(store.path("exemple"), "autre-chose")
    dossier = store.load("exemple")
    assert dossier.name == "exemple" and dossier.name_in_file == "autre-chose"


# -- one name, one file ---------------------------------------------------------------------------

def test_long_names_that_differ_at_the_end_are_two_dossiers(home):
    stem = "Centre hospitalier intercommunal de Villeneuve-sur-Seine projet "
    assert slugify(stem + "radiologie") != slugify(stem + "cardiologie")
    for speciality in ("radiologie", "cardiologie"):
        update = home / f"{speciality}.json"
        update.write_text(json.dumps({"appel": IDF, "nom": stem + speciality,
                                      "reponses": {"etablissement": f"CH {speciality}"}}), encoding="utf-8")
        assert aap("remplir", "--reponses", str(update), "--dossiers", str(home / "dossiers"),
                   cwd=home / "travail").returncode == 0
    store = Store(home / "dossiers", loading.find_appel)
    assert {store.load(slugify(stem + s)).get("etablissement") for s in ("radiologie", "cardiologie")} == {
        "CH radiologie", "CH cardiologie"}


def test_names_in_other_scripts_keep_their_letters():
    assert slugify("Проект Москва 2022") != slugify("Проект Казань 2022")
    assert slugify("Проект Москва 2022") == "проект-москва-2022"
    assert slugify("CH Saint-Denis Été") == "ch-saint-denis-ete"


def test_a_name_too_long_for_a_file_is_refused_with_a_shorter_one_proposed():
    with pytest.raises(UsageError, match="trop long") as refused:
        slugify("Centre hospitalier universitaire " * 8)
    proposed = refused.value.message.split("« ")[-1].split(" »")[0]
    assert slugify(proposed) == proposed


def test_names_that_differ_only_by_case_or_unicode_form_are_one_dossier(tmp_path):
    store = Store(tmp_path, loading.find_appel)
    appel = loading.find_appel(IDF)
    (tmp_path / "Projet-été.json").write_bytes(b"{}")  # made by hand
    assert store.exists("projet-e\u0301te\u0301")  # decomposed, as macOS writes it
    assert store.find("projet-ete") == "Projet-été"
    (tmp_path / "Bilan-Ete.json").write_bytes(b"{}")
    with pytest.raises(DossierError, match="existe déjà"):
        create(store, "bilan été", appel)
    assert (tmp_path / "Bilan-Ete.json").read_bytes() == b"{}"


def test_create_never_replaces_a_file_that_appeared_meanwhile(tmp_path, monkeypatch):
    store = Store(tmp_path, loading.find_appel)
    appel = loading.find_appel(IDF)
    create(store, "premier", appel)
    original = store.path("premier").read_bytes()
    monkeypatch.setattr(Store, "exists", lambda self, name: False)  # another process created it after the check
    with pytest.raises(DossierError, match="existe déjà"):
        create(store, "premier", appel)
    assert store.path("premier").read_bytes() == original


# -- one writer -----------------------------------------------------------------------------------

def test_writers_racing_after_a_dead_owner_never_lose_an_answer(tmp_path):
    """A lock left by a dead process, then four writers at once, each with its own answer:
    every writer that said it saved finds its answer in the file."""
    from assistant.answers import fill

    store = Store(tmp_path / "dossiers", loading.find_appel)
    files = [answers_file(tmp_path, "course", {q: f"{q} {n}"}, file=f"r{n}.json") for n, q in
             enumerate(("etablissement", "porteur_nom", "porteur_fonction", "titre_projet"))]
    rounds = 200
    for attempt in range(rounds):
        if store.path("course").exists():
            store.path("course").unlink()
        store.ensure_folder()
        # A dead owner's lock, as an older aap left it.
        store.lock("course").path.write_text(json.dumps({"pid": 999_999, "hote": os.uname().nodename, "depuis": 0}))
        pids = []
        for path in files:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    fill(store, path, None, None)
                    code = 0
                finally:
                    os._exit(code)
            pids.append(pid)
        succeeded = [files[n] for n, pid in enumerate(pids) if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0]
        assert succeeded, attempt
        saved = store.load("course")
        for path in succeeded:
            (question, value), = json.loads(path.read_text())["reponses"].items()
            assert saved.get(question) == value, (attempt, question)
        assert len(succeeded) == 4, attempt  # they wait for each other rather than give up


@pytest.mark.parametrize("content", [b'{"pid": true}', b'{"pid": 2147483648, "depuis": 1e300}',
                                     b'{"pid": 1, "depuis": NaN}', b"", b"\xff\xfe", b"[" * 10_000])
def test_an_odd_lock_file_left_behind_never_locks_forever(tmp_path, content):
    store = Store(tmp_path, loading.find_appel)
    create(store, "ch", loading.find_appel(IDF))
    store.lock("ch").path.write_bytes(content)
    with store.lock("ch") as lock:
        assert lock.held


def test_a_lock_that_is_a_directory_is_a_clear_message(tmp_path):
    store = Store(tmp_path, loading.find_appel)
    create(store, "ch", loading.find_appel(IDF))
    store.lock("ch").path.unlink()
    store.lock("ch").path.mkdir()
    with pytest.raises(DossierError, match=r"verrouillage|déjà ouvert"):
        store.lock("ch").acquire()


def test_the_lock_of_a_killed_process_is_free_at_once(tmp_path):
    store = Store(tmp_path, loading.find_appel)
    create(store, "ch", loading.find_appel(IDF))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom assistant.locking import Lock\n"
         "lock = Lock(Path(sys.argv[1]), Path(sys.argv[2]))\nlock.acquire()\nprint('tenu', flush=True)\ntime.sleep(60)",
         str(store.lock("ch").path), str(store.path("ch"))],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "tenu"
        with pytest.raises(DossierError, match=f"processus {holder.pid}"):
            store.lock("ch").acquire()
        holder.kill()
        holder.wait()
        with store.lock("ch") as lock:
            assert lock.held
    finally:
        holder.kill()
        holder.wait()


# -- private by default ---------------------------------------------------------------------------

def test_every_file_that_holds_answers_is_private_under_umask_000(tmp_path):
    store, work = tmp_path / "dossiers", tmp_path / "travail"
    work.mkdir()
    assert aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(store), cwd=work, umask=0).returncode == 0
    assert aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(store), cwd=work, umask=0).returncode == 0
    assert aap("exporter", "exemple", "--dossiers", str(store), cwd=work, umask=0).returncode == 0
    assert aap("exporter", "exemple", "--dossiers", str(store), "--sortie", str(tmp_path / "neuf" / "x.docx"),
               cwd=work, umask=0).returncode == 0
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"exemple.json", "exemple.json.bak", "x.docx"}
    for path in files:
        if path.parent != tmp_path:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (store, work / "sorties", tmp_path / "neuf"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_a_store_folder_open_to_others_is_made_private(tmp_path):
    store = tmp_path / "dossiers"
    store.mkdir()
    store.chmod(0o777)
    assert aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(store), cwd=tmp_path).returncode == 0
    assert stat.S_IMODE(store.stat().st_mode) == 0o700


# -- atomic everywhere ----------------------------------------------------------------------------

def test_a_full_disk_during_export_leaves_the_previous_file_and_no_temporary(home):
    work, store = home / "travail", home / "dossiers"
    target = work / "dossier.docx"
    assert aap("exporter", "exemple", "--dossiers", str(store), "--sortie", str(target), cwd=work).returncode == 0
    previous = target.read_bytes()
    result = aap("exporter", "exemple", "--dossiers", str(store), "--sortie", str(target), "--ecraser",
                 "--relecture", cwd=work, file_limit=4096)
    assert result.returncode == 2, result.stderr
    assert "erreur inattendue" not in result.stderr and "dossier.docx" in result.stderr
    assert target.read_bytes() == previous
    assert sorted(p.name for p in work.iterdir()) == ["dossier.docx"]


def test_a_full_disk_during_remplir_leaves_no_lock_that_refuses_the_next_run(home):
    store, work = home / "dossiers", home / "travail"
    before = (store / "exemple.json").read_bytes()
    update = answers_file(home, "exemple", {"etablissement": "X" * 200})
    result = aap("remplir", "--reponses", str(update), "--dossiers", str(store), cwd=work, file_limit=20)
    assert result.returncode == 2 and "erreur inattendue" not in result.stderr, result.stderr
    assert (store / "exemple.json").read_bytes() == before
    assert not [p for p in store.iterdir() if p.name.endswith(".tmp")]
    again = aap("remplir", "--reponses", str(update), "--dossiers", str(store), cwd=work)
    assert again.returncode == 0, again.stderr


def test_export_killed_at_random_moments_never_leaves_a_partial_file(home):
    work, store = home / "travail", home / "dossiers"
    target = work / "dossier.docx"
    assert aap("exporter", "exemple", "--dossiers", str(store), "--sortie", str(target), cwd=work).returncode == 0
    rng = random.Random(11)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    env["PYTHONPATH"] = str(ROOT)
    for _attempt in range(12):
        child = subprocess.Popen([sys.executable, "-m", "assistant", "exporter", "exemple", "--dossiers", str(store),
                                  "--sortie", str(target), "--ecraser"], cwd=work, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        with zipfile.ZipFile(target) as document:  # whole: the old one or the new one
            assert document.testzip() is None
    leftovers = [p for p in work.iterdir() if p.name.endswith(".tmp")]
    # A killed export may leave its temporary file; the next write in the folder clears old ones.
    assert all(p.name.startswith(".") for p in leftovers)


def test_old_temporary_files_of_a_killed_save_are_cleared(tmp_path):
    store = Store(tmp_path, loading.find_appel)
    dossier = create(store, "ch", loading.find_appel(IDF))
    stale = tmp_path / ".aap-ch.json.abcdef.tmp"
    stale.write_text("{")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    save(store, dossier)
    assert not stale.exists()


@pytest.mark.parametrize("kind", ["dangling", "folder", "device", "long", "dossier"])
def test_odd_export_targets(home, kind):
    work, store = home / "travail", home / "dossiers"
    before = every_file(home)
    args = ["exporter", "exemple", "--dossiers", str(store), "--ecraser", "--sortie"]
    if kind == "dangling":
        (work / "lien.docx").symlink_to(home / "ailleurs" / "cible.docx")
        result = aap(*args, str(work / "lien.docx"), cwd=work)
        assert result.returncode == 2 and not (home / "ailleurs").exists()
    elif kind == "folder":
        result = aap(*args, str(work), cwd=work)
        assert result.returncode == 0 and len(list(work.glob("exemple-*.docx"))) == 1
    elif kind == "device":
        result = aap(*args, "/dev/null", cwd=work)
        assert result.returncode == 2 and not Path("/dev/null-2").exists() and not Path("/dev/null.docx").exists()
    elif kind == "long":
        result = aap(*args, str(work / ("x" * 300 + ".docx")), cwd=work)
        assert result.returncode == 2 and "trop long" in result.stderr
    else:
        result = aap(*args, str(store / "exemple.json"), cwd=work)
        assert result.returncode == 0
        assert every_file(store)[store / "exemple.json"] == before[store / "exemple.json"]
    assert "erreur inattendue" not in result.stderr and "Traceback" not in result.stderr


# -- one bad file never hides the others ------------------------------------------------------------

@pytest.mark.parametrize("content", ['{"version_schema": ' + "9" * 5000 + "}", "[" * 100_000 + "]" * 100_000,
                                     '{"version_schema": 1, "nom": "\\udc80"}'])
def test_liste_shows_a_damaged_dossier_and_the_others(home, content):
    (home / "dossiers" / "abime.json").write_text(content)
    result = aap("liste", "--dossiers", str(home / "dossiers"), cwd=home / "travail")
    assert result.returncode == 0, result.stderr
    assert "exemple" in result.stdout and "abime" in result.stdout


def test_an_answer_longer_than_a_word_property_still_exports(tmp_path):
    """Word properties hold 255 characters; the author's name used to make every export fail."""
    from builders import dossier_from, example_answers

    from assistant.checks import check
    from assistant.word.document import Mode, export

    dossier = dossier_from(example_answers())
    dossier.answers["porteur_nom"] = "Dr " + "Jean-Baptiste " * 30  # as a hand-edited file could hold
    export(dossier, check(dossier), Mode.REVIEW, tmp_path / "long.docx")
    from docx import Document

    assert len(Document(str(tmp_path / "long.docx")).core_properties.author) <= 255


# -- any dossier file, any value at any key --------------------------------------------------------

def _json_values(trap: str):
    from hypothesis import strategies as st

    scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
               | st.text(max_size=30) | st.sampled_from(["40 000", "21/10/2022", "[/]", "[bold]x", "../../x", "\udc80",
                                                          "9" * 5000, "\u202eevil", "", "../../../evade", trap]))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


def _replaced(document, path, value):
    if not path:
        return value
    head, *rest = path
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[head] = _replaced(copy[head], rest, value)
    return copy


@pytest.fixture(scope="module")
def example_dossier(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("exemple")
    result = aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(folder), cwd=folder)
    assert result.returncode == 0, result.stderr
    return json.loads((folder / "exemple.json").read_text(encoding="utf-8"))


def test_any_value_at_any_key_of_a_dossier_file(tmp_path_factory, example_dossier, capsys):
    """Whatever a received dossier file holds: no unexpected error, exit 0, 1 or 2, nothing
    written outside the store and sorties/, and a dossier aap saved always reads back."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from assistant.cli import main

    paths = list(_paths(example_dossier))

    # The keys aap reads first are drawn more often; every other place too.
    places = st.sampled_from([("nom",), ("appel",), ("version_schema",), ("reponses",), ("historique",)]) | st.sampled_from(paths)

    trap = tmp_path_factory.mktemp("piege")

    nasty = st.sampled_from(["../../../evade", str(trap / "evade"), "[/]", "9" * 5000, "\udc80", "CON"])

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(places, nasty | _json_values(str(trap / "evade")))
    def attempt(path, value):
        for command in ("liste", "verifier", "montrer", "exporter", "remplir"):
            run(path, value, command)

    def run(path, value, command):
        top = tmp_path_factory.mktemp("essai")
        home = top / "a" / "b" / "c"
        store, work = home / "dossiers", home / "travail"
        store.mkdir(parents=True)
        work.mkdir()
        (store / "recu.json").write_text(json.dumps(_replaced(example_dossier, path, value)), encoding="utf-8")
        before = set(top.rglob("*"))
        args = {"liste": ["liste"], "verifier": ["verifier", "recu"], "montrer": ["montrer", "recu"],
                "exporter": ["exporter", "recu"],
                "remplir": ["remplir", "--reponses", str(answers_file(home, "recu", {"etablissement": "CH"}))]}[command]
        cwd = os.getcwd()
        os.chdir(work)
        try:
            code = main([*args, "--dossiers", str(store)])
        finally:
            os.chdir(cwd)
        captured = capsys.readouterr()
        assert code in (0, 1, 2)
        assert "erreur inattendue" not in captured.err, captured.err
        for new in set(top.rglob("*")) - before:
            assert new.is_relative_to(store) or new.is_relative_to(work / "sorties") or new.parent == home, new
        assert not any(trap.iterdir())
        if command == "remplir" and code == 0:
            Store(store, loading.find_appel).load("recu")

    attempt()


def test_a_dossier_too_large_to_read_back_is_never_written(tmp_path):
    """Answers added over several files or in the dialogue can add up: the save refuses what
    the store could not read back, and the previous version stays."""
    store = Store(tmp_path, loading.find_appel)
    dossier = create(store, "gros", loading.find_appel(IDF))
    before = store.path("gros").read_bytes()
    dossier.raw["question_retiree"] = "x" * 10_500_000  # e.g. an answer a newer questionnaire dropped
    with pytest.raises(DossierError, match=r"10 Mo.*intacte"):
        save(store, dossier)
    assert store.path("gros").read_bytes() == before
    store.load("gros")


def test_a_lock_that_is_a_symbolic_link_is_never_followed(tmp_path):
    """A folder received from someone may hold `x.json.lock` pointing at one of your files."""
    store = Store(tmp_path / "recu", loading.find_appel)
    create(store, "x", loading.find_appel(IDF))
    victim = tmp_path / "victime.txt"
    victim.write_text("à garder")
    store.lock("x").path.unlink()
    store.lock("x").path.symlink_to(victim)
    with pytest.raises(DossierError, match="lien symbolique"):
        store.lock("x").acquire()
    assert victim.read_text() == "à garder"


# -- found by an adversarial review of the first version of these fixes -------------------------------

def test_other_programs_temporary_files_are_never_removed(tmp_path):
    store = Store(tmp_path, loading.find_appel)
    dossier = create(store, "ch", loading.find_appel(IDF))
    theirs = tmp_path / ".these.tex.tmp"
    theirs.write_text("une thèse")
    os.utime(theirs, (time.time() - 7200, time.time() - 7200))
    save(store, dossier)
    assert theirs.read_text() == "une thèse"


def test_a_received_files_folder_keeps_its_mode(home):
    shared = home / "partage"
    shared.mkdir()
    shared.chmod(0o755)
    (shared / "recu.json").write_bytes((home / "dossiers" / "exemple.json").read_bytes())
    assert aap("remplir", "--reponses", str(answers_file(home, "recu", {"etablissement": "CH"})),
               "--dossiers", str(home / "dossiers"), cwd=home / "travail").returncode == 0  # the store's copy
    assert aap("exporter", str(shared / "recu.json"), "--sortie", str(shared), cwd=home / "travail").returncode == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755


def test_a_symlinked_sorties_folder_is_not_made_private_through_the_link(home):
    public = home / "public"
    public.mkdir()
    public.chmod(0o755)
    (home / "travail" / "sorties").symlink_to(public)
    assert aap("exporter", "exemple", "--dossiers", str(home / "dossiers"), cwd=home / "travail").returncode == 0
    assert stat.S_IMODE(public.stat().st_mode) == 0o755


def test_parent_folders_are_created_private_under_umask_000(tmp_path):
    store = tmp_path / "xdg" / "data" / "aap" / "dossiers"
    assert aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(store), cwd=tmp_path, umask=0).returncode == 0
    for folder in (tmp_path / "xdg", tmp_path / "xdg" / "data", tmp_path / "xdg" / "data" / "aap", store):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_store_folder_that_belongs_to_another_user_is_refused(tmp_path):
    store = tmp_path / "dossiers"
    store.mkdir()
    os.chown(store, 65534, 65534)
    result = aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(store), cwd=tmp_path)
    assert result.returncode == 2 and "autre utilisateur" in result.stderr
    assert list(store.iterdir()) == []


def test_a_copy_racing_remplir_is_never_lost(tmp_path):
    """`dupliquer exemple b` and `remplir` (nom b) at once: whichever goes first, what each
    said it saved is in the file."""
    from assistant.answers import fill

    store = Store(tmp_path / "dossiers", loading.find_appel)
    source = create(store, "source", loading.find_appel(IDF))
    source.set("porteur_nom", "Dr Source")
    save(store, source)
    update = answers_file(tmp_path, "b", {"etablissement": "CH Course"})
    for attempt in range(25):
        for leftover in store.folder.glob("b.json*"):
            leftover.unlink()
        pids = []
        for job in ("copy", "fill"):
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    if job == "copy":
                        with store.session("b", wait=10) as session:
                            session.copy("source")
                    else:
                        fill(store, update, None, None)
                    code = 0
                finally:
                    os._exit(code)
            pids.append(pid)
        copied, filled = (os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in pids)
        saved = store.load("b")
        if copied:
            assert saved.get("porteur_nom") == "Dr Source", attempt
        if filled:
            assert saved.get("etablissement") == "CH Course", attempt


def test_names_that_differ_by_a_vowel_sign_are_two_dossiers():
    assert slugify("Projet कि 2022") != slugify("Projet का 2022")
    assert slugify("กิน") != slugify("กัน")
    assert slugify("Projet ℌ") == slugify("projet h")


def test_a_far_future_date_in_a_received_file_still_exports(home):
    received = home / "recu.json"
    content = json.loads((home / "dossiers" / "exemple.json").read_text())
    content["modifie_le"] = "2108-01-01T00:00:00+00:00"
    received.write_text(json.dumps(content))
    result = aap("exporter", str(received), cwd=home / "travail")
    assert result.returncode == 0, result.stderr


def test_remplir_updates_a_dossier_whose_file_name_has_accents(home):
    store = home / "dossiers"
    (store / "projet-été.json").write_bytes((store / "exemple.json").read_bytes())
    update = home / "maj.yaml"
    update.write_text(f"appel: {IDF}\nnom: projet-été\nreponses: {{etablissement: CH Été}}\n", encoding="utf-8")
    assert aap("remplir", "--reponses", str(update), "--dossiers", str(store), cwd=home).returncode == 0
    assert not (store / "projet-ete.json").exists()
    assert json.loads((store / "projet-été.json").read_text())["reponses"]["etablissement"] == "CH Été"


def test_demo_never_overwrites_a_users_own_exemple(home):
    store = home / "dossiers"
    update = answers_file(home, "exemple", {"etablissement": "Mon propre établissement"})
    assert aap("remplir", "--reponses", str(update), "--dossiers", str(store), cwd=home).returncode == 0
    mine = (store / "exemple.json").read_bytes()
    result = aap("demo", "--dossiers", str(store), cwd=home / "travail")
    assert result.returncode == 0, result.stderr
    assert (store / "exemple.json").read_bytes() == mine
    # The demo's own store, apart: `aap liste` shows the user's dossiers only.
    demo = store / "exemples" / "exemple.json"
    assert demo.exists() and str(demo) in result.stdout
    assert (store / "exemples").stat().st_mode & 0o777 == 0o700
    listed = aap("liste", "--dossiers", str(store), cwd=home)
    assert "exemples" not in listed.stdout and listed.stdout.count("exemple") == 1
    again = aap("demo", "--dossiers", str(store), cwd=home / "travail")  # a second demo reuses its own
    assert again.returncode == 0 and not (store / "exemples" / "exemple-2.json").exists()


def test_a_hard_linked_lock_never_empties_the_file_it_shares(tmp_path):
    store = Store(tmp_path / "dossiers", loading.find_appel)
    create(store, "x", loading.find_appel(IDF))
    victim = tmp_path / "victime.txt"
    victim.write_text("à garder")
    store.lock("x").path.unlink(missing_ok=True)
    os.link(victim, store.lock("x").path)
    with store.lock("x"):
        pass
    assert victim.read_text() == "à garder"


def test_a_received_file_whose_name_is_too_long_to_save_is_refused_when_opened(home):
    received = home / ("d" * 230 + ".json")
    received.write_bytes((home / "dossiers" / "exemple.json").read_bytes())
    result = aap("verifier", str(received), cwd=home)
    assert result.returncode == 2 and "trop long" in result.stderr


def test_a_symlinked_dossier_file_never_changes_the_file_it_points_to(home):
    store, outside = home / "dossiers", home / "ailleurs.json"
    outside.write_bytes((store / "exemple.json").read_bytes())
    outside.chmod(0o644)
    before = outside.read_bytes()
    (store / "lien.json").symlink_to(outside)
    update = answers_file(home, "lien", {"etablissement": "CH Lien"})
    assert aap("remplir", "--reponses", str(update), "--dossiers", str(store), cwd=home).returncode == 0
    assert outside.read_bytes() == before and stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert not (store / "lien.json.bak").is_symlink() and (store / "lien.json.bak").read_bytes() == before


def test_restoring_a_dossier_without_backup_says_so(home):
    result = aap("reprendre", "exemple", "--depuis-sauvegarde", "--dossiers", str(home / "dossiers"), cwd=home)
    assert result.returncode == 2 and "pas de sauvegarde" in result.stderr


def test_a_stored_dossier_named_with_its_extension(home):
    result = aap("verifier", "exemple.json", "--dossiers", str(home / "dossiers"), cwd=home / "travail")
    assert result.returncode in (0, 1), result.stderr
