"""Start-up: the cache of checked questionnaires (used, refreshed, never trusted blindly, private),
the commands that must not import the heavy stack, the one reader of user files, and user or
questionnaire text shown verbatim by every command and screen."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC
from io import StringIO
from pathlib import Path

import pytest
import yaml
from builders import EXAMPLE, IDF
from conftest import ROOT, plain, run_aap

from assistant import loading, questionnaire_cache, summary_cache

BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    """The user's cache folder in the test's own folder, empty; the in-process copies forgotten."""
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    loading._read_appel.cache_clear()
    yield home / "aap" / "questionnaires"
    loading._read_appel.cache_clear()


@pytest.fixture
def questionnaires(tmp_path, monkeypatch):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    for name in (IDF, BRETAGNE):
        (folder / f"{name}.yaml").write_bytes((ROOT / "questionnaires" / f"{name}.yaml").read_bytes())
    monkeypatch.setattr(loading, "questionnaires_dir", lambda: folder)
    return folder


def _counts() -> tuple[int, int]:
    return questionnaire_cache.hits, questionnaire_cache.misses


def _appels_output() -> str:
    result = run_aap("appels")
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- the cache is used, and refreshed --------------------------------------------------------------


def test_a_second_start_reads_the_cache_instead_of_the_questionnaires(cache_home, questionnaires):
    first = _appels_output()
    entries = sorted(cache_home.glob("*.json"))
    assert len(entries) == 2
    hits, misses = _counts()
    second = _appels_output()
    assert _counts() == (hits + 2, misses)  # both answered by the cache
    assert second == first
    # The dialogue's path too: the call is rebuilt from the cache, the same as from its file.
    loading._read_appel.cache_clear()
    hits, misses = _counts()
    appel = loading.find_appel(IDF)
    assert _counts() == (hits + 1, misses)
    fresh, _problems = loading.check_file(questionnaires / f"{IDF}.yaml")[1], None
    assert appel.model_dump() == fresh.model_dump() and appel.fingerprint == fresh.fingerprint


def test_an_edited_questionnaire_is_read_again(cache_home, questionnaires):
    _appels_output()
    path = questionnaires / f"{IDF}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["titre"] = "Un titre changé"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    hits, misses = _counts()
    assert "Un titre changé" in _appels_output()
    assert _counts() == (hits + 1, misses + 1)
    loading._read_appel.cache_clear()
    assert loading.find_appel(IDF).title == "Un titre changé"


def test_another_version_of_aap_does_not_use_the_entries(cache_home, questionnaires, monkeypatch):
    import assistant

    _appels_output()
    monkeypatch.setattr(assistant, "__version__", "99.0.0")
    hits, misses = _counts()
    _appels_output()
    assert _counts() == (hits, misses + 2)


def test_another_language_has_its_own_entries(cache_home, questionnaires):
    _appels_output()
    result = run_aap("--langue", "en", "appels")
    assert result.returncode == 0
    assert len(list(cache_home.glob("*-en.json"))) == 2 and len(list(cache_home.glob("*-fr.json"))) == 2


def test_a_broken_questionnaire_is_kept_broken_in_the_cache(cache_home, questionnaires):
    (questionnaires / "casse.yaml").write_text("id: casse\ntitre: [\n", encoding="utf-8")
    first = run_aap("appels")
    second = run_aap("appels")
    assert first.returncode == second.returncode == 0
    assert "casse.yaml" in plain(second.stderr) and plain(first.stderr) == plain(second.stderr)
    assert first.stdout == second.stdout


# -- a cache that cannot be trusted is ignored -----------------------------------------------------


def _damage(kind: str, path: Path) -> None:
    raw = path.read_bytes()
    if kind == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif kind == "garbage":
        path.write_bytes(os.urandom(4000))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "oversized":
        path.write_bytes(b" " * (questionnaire_cache.MAX_ENTRY_BYTES + 1))
    elif kind == "not json of ours":
        path.write_text(json.dumps({"format": "autre", "payload": "{}"}), encoding="utf-8")
    elif kind == "changed payload":
        # Valid JSON, the right key, a plausible payload: only its checksum tells.
        document = json.loads(raw)
        changed = document["payload"].replace("marche qualit", "marche fausse").replace("Pertinence", "Faussetes")
        assert changed != document["payload"]
        document["payload"] = changed
        path.write_text(json.dumps(document), encoding="utf-8")
    elif kind == "forged payload":
        # The checksum made to match a payload of the wrong shape: still refused, never a crash.
        document = json.loads(raw)
        import hashlib

        document["payload"] = json.dumps({"problems": [], "data": [1, {"$decimal": "NaN"}], "summary": 3})
        document["sha256"] = hashlib.sha256(document["payload"].encode()).hexdigest()
        path.write_text(json.dumps(document), encoding="utf-8")
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["truncated", "garbage", "empty", "oversized", "not json of ours",
                                  "changed payload", "forged payload"])
def test_a_damaged_cache_file_is_ignored_and_rewritten(cache_home, questionnaires, kind):
    expected = _appels_output()
    loading._read_appel.cache_clear()
    reference = loading.find_appel(IDF).model_dump()
    for entry in cache_home.glob("*.json"):
        _damage(kind, entry)
    hits, misses = _counts()
    assert _appels_output() == expected
    assert _counts() == (hits, misses + 2)
    for entry in cache_home.glob("*.json"):
        _damage(kind, entry)
    loading._read_appel.cache_clear()
    assert loading.find_appel(IDF).model_dump() == reference
    # Rewritten whole (the other call's entry by this run): the next start uses both again.
    _appels_output()
    hits, misses = _counts()
    assert _appels_output() == expected
    assert _counts() == (hits + 2, misses)


def test_a_file_where_the_cache_folder_should_be_changes_nothing(cache_home, questionnaires):
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("pas un répertoire", encoding="utf-8")
    expected_appel = loading.check_file(questionnaires / f"{IDF}.yaml")[1]
    first = run_aap("appels")
    second = run_aap("appels")
    assert first.returncode == second.returncode == 0 and first.stdout == second.stdout
    assert "Démarche qualité" in first.stdout and not first.stderr
    assert loading.find_appel(IDF).model_dump() == expected_appel.model_dump()
    assert cache_home.read_text(encoding="utf-8") == "pas un répertoire"


def test_the_cache_is_private(cache_home, questionnaires):
    _appels_output()
    assert stat.S_IMODE(cache_home.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_home.parent.stat().st_mode) == 0o700
    entries = list(cache_home.glob("*.json"))
    assert entries and all(stat.S_IMODE(entry.stat().st_mode) == 0o600 for entry in entries)
    assert not [name for name in os.listdir(cache_home) if name.endswith(".tmp")]


def test_every_value_a_questionnaire_may_hold_comes_back_as_read():
    from datetime import date, datetime
    from decimal import Decimal

    document = {"a": Decimal("1.50"), "b": date(2022, 10, 21), "c": datetime(2022, 1, 2, 3, 4, tzinfo=UTC),
                "d": [None, True, 3, "x", {"$decimal": "pas un nombre"}], "e": {"$dict": {"$date": 1}},
                "f": {"$date": "texte"}, "g": 10 ** 90}
    entry = questionnaire_cache.Entry([], document, questionnaire_cache.CallSummary(
        "x", "t", "a", date(2022, 1, 1), Decimal("40000"), 3))
    payload = json.dumps(questionnaire_cache._entry_json(entry))
    back = questionnaire_cache._entry_from(json.loads(payload), True)
    assert back == entry and type(back.data["a"]) is Decimal and type(back.data["c"]) is datetime


# -- the validated model kept beside the entry -------------------------------------------------------

_START = """
import json, sys
from assistant.loading import find_appel
from assistant.model import Appel
appel = find_appel(sys.argv[1])
print(json.dumps({"validated": Appel.__pydantic_complete__, "questions": len(appel.questions()),
                  "fingerprint": appel.fingerprint, "label": appel.questions()[0].label,
                  "rules": [rule.kind for rule in appel.rules]}))
"""


def _start(tmp_path: Path, appel_id: str = IDF) -> dict[str, object]:
    """A new interpreter loads a call, as `aap nouveau` does: what it got, and whether pydantic
    had to validate it."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", _START, appel_id], capture_output=True, text=True, env=env,
                          timeout=60, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _kept(tmp_path: Path) -> Path:
    (kept,) = (tmp_path / "cache" / "aap" / "questionnaires").glob("*-fr.appel")
    return kept


def test_a_warm_start_takes_the_validated_call_without_validating_it(tmp_path):
    cold = _start(tmp_path)
    warm = _start(tmp_path)
    assert cold["validated"] is True and warm["validated"] is False
    assert {**warm, "validated": True} == cold
    assert stat.S_IMODE(_kept(tmp_path).stat().st_mode) == 0o600


@pytest.mark.parametrize("change", ["open to others", "a link", "garbage", "another call's", "truncated"])
def test_a_kept_model_that_is_not_surely_ours_is_validated_again(tmp_path, change):
    reference = _start(tmp_path)
    kept = _kept(tmp_path)
    if change == "open to others":
        kept.chmod(0o644)
    elif change == "a link":
        target = tmp_path / "elsewhere.appel"
        target.write_bytes(kept.read_bytes())
        target.chmod(0o600)
        kept.unlink()
        kept.symlink_to(target)
    elif change == "garbage":
        kept.write_bytes(b"\x80\x05garbage")
    elif change == "another call's":
        _start(tmp_path, BRETAGNE)
        (other,) = set((tmp_path / "cache" / "aap" / "questionnaires").glob("*-fr.appel")) - {kept}
        kept.write_bytes(other.read_bytes())
    else:
        kept.write_bytes(kept.read_bytes()[:200])
    again = _start(tmp_path)
    assert again == reference  # validated again, and the right call
    assert again["validated"] is True


# -- what a command imports ------------------------------------------------------------------------


def _imported_by(*args: str, tmp_path: Path) -> set[str]:
    code = ("import sys\nfrom assistant.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in ('docx', 'prompt_toolkit', 'pydantic', 'yaml') if m in sys.modules)),"
            " file=sys.stderr)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("AAP_DOSSIERS", None)
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60,
                          cwd=tmp_path)
    return set(done.stderr.strip().splitlines()[-1].split()) if done.stderr.strip() else set()


def test_help_imports_neither_docx_nor_prompt_toolkit_nor_pydantic(tmp_path):
    assert _imported_by("--help", tmp_path=tmp_path) == set()


def test_liste_and_appels_with_a_warm_cache_import_none_of_the_heavy_stack(tmp_path):
    empty = tmp_path / "dossiers"
    empty.mkdir()
    assert _imported_by("--dossiers", str(empty), "liste", tmp_path=tmp_path) == set()
    _imported_by("appels", tmp_path=tmp_path)  # fills the cache
    assert _imported_by("appels", tmp_path=tmp_path) == set()
    # Real dossiers: the first listing reads them (and fills the cache of summaries), the next
    # one reads only the cache.
    real = tmp_path / "reels"
    _make_dossiers(real)
    assert "pydantic" in _imported_by("--dossiers", str(real), "liste", tmp_path=tmp_path)
    assert _imported_by("--dossiers", str(real), "liste", tmp_path=tmp_path) == set()


# -- the cache of dossier summaries (`aap liste`) ---------------------------------------------------


def _make_dossiers(folder: Path) -> None:
    """Three real dossiers, as a user makes them: the example filled in, then copied twice."""
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(folder)).returncode == 0
    for copy in ("exemple-2", "exemple-3"):
        result = run_aap("dupliquer", "exemple", copy, "--dossiers", str(folder))
        assert result.returncode == 0, result.stderr


def _summary_counts() -> tuple[int, int]:
    return summary_cache.hits, summary_cache.misses


def _liste(folder: Path, *options: str) -> str:
    result = run_aap(*options, "liste", "--dossiers", str(folder))
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def dossiers(cache_home, questionnaires, tmp_path):
    folder = tmp_path / "dossiers"
    _make_dossiers(folder)
    return folder


def _summary_entries(cache_home: Path) -> list[Path]:
    return sorted((cache_home.parent / "dossiers").glob("*.json"))


def test_liste_says_how_many_answers_do_not_read_back_cold_and_warm(dossiers, cache_home):
    path = dossiers / "exemple-2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reponses"]["montant_demande"] = 40000  # a bare number: not as aap writes it
    data["reponses"]["etablissement"] = ["not", "a", "text"]
    path.write_text(json.dumps(data), encoding="utf-8")
    cold = _liste(dossiers)
    warm = _liste(dossiers)
    assert warm == cold
    flat = " ".join(plain(warm).split())
    assert flat.count("réponses illisibles") == 1 and "2 réponses illisibles" in flat


def test_liste_shows_the_same_from_the_cache_as_from_the_dossiers(dossiers, cache_home):
    (dossiers / "abime.json").write_text('{"version_schema": 1, "nom": ', encoding="utf-8")
    hits, misses = _summary_counts()
    cold = _liste(dossiers)
    assert _summary_counts() == (hits, misses + 4)
    assert len(_summary_entries(cache_home)) == 3  # the damaged file has none
    warm = _liste(dossiers)
    assert _summary_counts() == (hits + 3, misses + 5)  # the damaged file is read again
    assert warm == cold
    assert "100 %" in plain(warm) and "abime" in warm and "endommagé" in warm
    assert ")\u00a0:" in warm  # a damaged file's message in French typography too
    # In another language, its own entries, and the same table as without them.
    english_cold = _liste(dossiers, "--langue", "en")
    english_warm = _liste(dossiers, "--langue", "en")
    assert english_warm == english_cold and "damaged" in english_warm and english_warm != warm
    for entry in _summary_entries(cache_home):
        entry.unlink()
    assert _liste(dossiers) == warm


def test_a_dossier_edited_after_caching_shows_its_new_completion(dossiers, questionnaires):
    from assistant.loading import find_appel
    from assistant.store import Store

    before = _liste(dossiers)
    path = dossiers / "exemple-2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for answered in ("etablissement", "finess_juridique", "siret"):
        del data["reponses"][answered]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    expected = Store(dossiers, find_appel).summary("exemple-2").completion
    assert expected is not None and expected < 100
    hits, misses = _summary_counts()
    after = _liste(dossiers)
    assert _summary_counts() == (hits + 2, misses + 1)
    assert after != before and f"{expected} %" in plain(after)
    assert _liste(dossiers) == after  # and kept


def test_a_dossier_damaged_after_caching_is_still_reported(dossiers):
    before = _liste(dossiers)
    path = dossiers / "exemple-3.json"
    path.write_bytes(path.read_bytes()[:100])
    after = _liste(dossiers)
    assert "exemple-3" in after and "endommagé" in after
    assert plain(after).count("100 %") == plain(before).count("100 %") - 1


def test_an_edited_questionnaire_or_another_aap_reads_the_dossiers_again(dossiers, questionnaires, monkeypatch):
    import assistant

    expected = _liste(dossiers)
    path = questionnaires / f"{IDF}.yaml"
    path.write_bytes(path.read_bytes() + b"\n# une ligne de plus\n")
    hits, misses = _summary_counts()
    assert _liste(dossiers) == expected
    assert _summary_counts() == (hits, misses + 3)
    (questionnaires / "autre.yaml").write_text("id: autre\n", encoding="utf-8")  # find_appel may read it
    assert _liste(dossiers) == expected
    assert _summary_counts() == (hits, misses + 6)
    monkeypatch.setattr(assistant, "__version__", "99.0.0")
    _liste(dossiers)
    assert _summary_counts() == (hits, misses + 9)


def _damage_entry(kind: str, path: Path) -> None:
    document = json.loads(path.read_bytes())
    if kind in ("truncated", "garbage", "empty", "oversized"):
        _damage(kind, path)
        if kind == "oversized":
            path.write_bytes(b" " * (summary_cache.MAX_ENTRY_BYTES + 1))
        return
    if kind == "another dossier's":
        document["key"] = "0" * 64
    elif kind == "not ours":
        document["format"] = "autre"
    elif kind == "a key more":
        document["texte"] = "100 %"
    elif kind == "completion as text":
        document["completion"] = "100"
    elif kind == "completion a boolean":
        document["completion"] = True
    elif kind == "completion out of range":
        document["completion"] = 250
    elif kind == "modified not a time":
        document["modified"] = "hier"
    elif kind == "appel not a text":
        document["appel"] = ["idf"]
    else:
        raise AssertionError(kind)
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("kind", ["truncated", "garbage", "empty", "oversized", "another dossier's", "not ours",
                                  "a key more", "completion as text", "completion a boolean",
                                  "completion out of range", "modified not a time", "appel not a text"])
def test_a_damaged_summary_entry_is_ignored_and_rewritten(dossiers, cache_home, kind):
    expected = _liste(dossiers)
    entries = _summary_entries(cache_home)
    assert len(entries) == 3
    for entry in entries:
        _damage_entry(kind, entry)
    hits, misses = _summary_counts()
    assert _liste(dossiers) == expected
    assert _summary_counts() == (hits, misses + 3)
    assert _liste(dossiers) == expected
    assert _summary_counts() == (hits + 3, misses + 3)


def test_the_summary_cache_is_private_and_its_limit_the_stores(dossiers, cache_home):
    from assistant.store import MAX_DOSSIER_BYTES

    _liste(dossiers)
    folder = cache_home.parent / "dossiers"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    entries = _summary_entries(cache_home)
    assert entries and all(stat.S_IMODE(entry.stat().st_mode) == 0o600 for entry in entries)
    # What an entry holds: numbers and a time, no text formatted for a language, no answer.
    document = json.loads(entries[0].read_text(encoding="utf-8"))
    assert set(document) == {"format", "key", "appel", "completion", "modified", "unreadable"}
    assert document["completion"] == 100 and document["appel"] == IDF
    assert summary_cache.MAX_DOSSIER_BYTES == MAX_DOSSIER_BYTES


# -- one reader of user files ----------------------------------------------------------------------


def test_every_user_file_is_read_by_one_bounded_reader(tmp_path):
    from assistant.errors import AapError
    from assistant.reading import DocumentError, read_bytes
    from assistant.store import MAX_DOSSIER_BYTES

    big = tmp_path / "gros.json"
    big.write_bytes(b" " * (MAX_DOSSIER_BYTES + 1))
    with pytest.raises(DocumentError) as caught:
        read_bytes(big, MAX_DOSSIER_BYTES)
    assert caught.value.too_large and "trop volumineux" in plain(caught.value.message)
    with pytest.raises(DocumentError) as caught:
        read_bytes(tmp_path / "absent.json", 10)
    assert caught.value.missing and "n'existe pas" in caught.value.message
    # The same reader behind the three kinds of files: a dossier, an answers file, a questionnaire.
    folder = tmp_path / "dossiers"
    folder.mkdir()
    (folder / "gros.json").write_bytes(big.read_bytes())
    assert "plus de 10 Mo" in plain(run_aap("montrer", "gros", "--dossiers", str(folder)).stderr)
    assert "trop volumineux" in plain(run_aap("remplir", "--reponses", str(big), "--dossiers", str(folder)).stderr)
    problems, _appel = loading.check_file(tmp_path / "absent.yaml")
    assert problems and "n'existe pas" in problems[0]
    assert issubclass(DocumentError, AapError)


# -- text shown as typed ---------------------------------------------------------------------------

TRICKY = "[bold]gras[/] [x] C:\\[dossier]\\ fin\\"


def test_brackets_and_backslashes_are_shown_verbatim_everywhere(cache_home, tmp_path, monkeypatch):
    from rich.console import Console

    from assistant import screens
    from assistant.asking import Ask, Overview, Place, SectionState

    folder = tmp_path / "questionnaires"
    folder.mkdir()
    data = yaml.safe_load((ROOT / "questionnaires" / f"{IDF}.yaml").read_text(encoding="utf-8"))
    data["titre"] = f"Titre {TRICKY}"
    data["agence"] = f"Agence {TRICKY}"
    data["sections"][0]["titre"] = f"Section {TRICKY}"
    (folder / f"{IDF}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(loading, "questionnaires_dir", lambda: folder)

    appels = run_aap("appels")
    assert appels.returncode == 0
    assert f"Titre {TRICKY}" in " ".join(appels.stdout.split()) or TRICKY in appels.stdout.replace("\n", "")

    dossiers = tmp_path / f"dossiers {TRICKY}"
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    answers["reponses"]["etablissement"] = f"CH {TRICKY}"
    answers_path = tmp_path / "reponses.yaml"
    answers_path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    assert run_aap("remplir", "--reponses", str(answers_path), "--dossiers", str(dossiers)).returncode == 0
    liste = run_aap("liste", "--dossiers", str(dossiers))
    montrer = run_aap("montrer", "exemple", "--dossiers", str(dossiers))
    for result in (liste, montrer):
        assert result.returncode == 0, result.stderr
    flat_liste = "".join(liste.stdout.split())
    assert "".join(str(dossiers).split()) in flat_liste
    flat = " ".join(montrer.stdout.split())
    for expected in (f"Titre {TRICKY}", f"Agence {TRICKY}", f"CH {TRICKY}"):
        assert expected in flat, expected

    # The dialogue's screens.
    loading._read_appel.cache_clear()
    from assistant.dossier import Dossier

    appel = loading.find_appel(IDF)
    dossier = Dossier.new("essai", appel)
    dossier.set("etablissement", f"CH {TRICKY}")
    text = StringIO()
    console = Console(file=text, width=200, force_terminal=False, color_system=None)
    first = appel.sections[0]
    screens.welcome(console, Overview(dossier, [SectionState(s, 0, 1) for s in appel.sections], False))
    screens.section(console, first, 1, len(appel.sections))
    question = first.questions[0]
    screens.question(console, Ask(question, first, Place(1, 2, 1, 4, 0), f"CH {TRICKY}", True, lambda t: None,
                                  error=f"erreur {TRICKY}"))
    from assistant.checks import check

    screens.findings(console, first, check(dossier))  # its title names the section
    shown = " ".join(text.getvalue().split())
    for expected in (f"Titre {TRICKY}", f"Agence {TRICKY}", f"Section {TRICKY}", f"erreur {TRICKY}",
                     f"Vérifications — Section {TRICKY}"):
        assert expected in plain(shown), expected
