"""The one-file executable unpacks its questionnaires into a new folder at every start
(sys._MEIPASS): the cache must still answer, and must not grow by new entries each start."""

from __future__ import annotations

import os
import shutil
import sys

from builders import IDF
from conftest import ROOT, run_aap
from test_startup import BRETAGNE, cache_home  # noqa: F401  (the fixture)

from assistant import loading, questionnaire_cache


def _start_frozen(tmp_path, monkeypatch, number: int, executable) -> None:
    """What one start of the executable sees: its data unpacked into a folder of its own."""
    bundle = tmp_path / f"_MEI{number}"
    folder = bundle / "assistant" / "_data" / "questionnaires"
    folder.mkdir(parents=True)
    for name in (IDF, BRETAGNE):
        shutil.copyfile(ROOT / "questionnaires" / f"{name}.yaml", folder / f"{name}.yaml")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    monkeypatch.setattr(loading, "questionnaires_dir", lambda: folder)
    questionnaire_cache._code_stamp.cache_clear()
    loading._read_appel.cache_clear()
    assert run_aap("appels").returncode == 0
    shutil.rmtree(bundle)  # as the executable does on exit


def test_each_start_of_the_executable_reads_the_same_entries(cache_home, tmp_path, monkeypatch):  # noqa: F811
    executable = tmp_path / "aap"
    executable.write_bytes(b"build 1")
    _start_frozen(tmp_path, monkeypatch, 1, executable)
    entries = sorted(cache_home.iterdir())
    hits, misses = questionnaire_cache.hits, questionnaire_cache.misses
    _start_frozen(tmp_path, monkeypatch, 2, executable)
    assert (questionnaire_cache.hits, questionnaire_cache.misses) == (hits + 2, misses)
    assert sorted(cache_home.iterdir()) == entries


def test_a_rebuilt_executable_does_not_use_the_entries_of_the_previous_one(cache_home, tmp_path, monkeypatch):  # noqa: F811
    executable = tmp_path / "aap"
    executable.write_bytes(b"build 1")
    _start_frozen(tmp_path, monkeypatch, 1, executable)
    executable.write_bytes(b"build 2, same version")
    os.utime(executable, ns=(1, 1))
    hits, misses = questionnaire_cache.hits, questionnaire_cache.misses
    _start_frozen(tmp_path, monkeypatch, 2, executable)
    assert (questionnaire_cache.hits, questionnaire_cache.misses) == (hits, misses + 2)
