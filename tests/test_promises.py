"""Promises of the README that no other test held: each test here fails when its promise is
broken (scripts/mutants.py lists the mutants that showed it: the id is in each docstring)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from builders import EXAMPLE, example_answers
from conftest import FIXTURES, plain, run_aap

VALID = FIXTURES / "questionnaires" / "valide.yaml"
OPTIONS = """      - id: options
        libelle: Options
        type: choix_multiple
        choix:
          - {id: a, libelle: Option A}
          - {id: b, libelle: Option B}
      - id: montant_demande
"""


def _questionnaire(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = VALID.read_text(encoding="utf-8").replace("      - id: montant_demande\n", OPTIONS)
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "essai.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- lint of conditions -------------------------------------------------------------------------


@pytest.mark.parametrize("condition, expected", [
    # lint-contient-off
    ("{question: porteur, contient: a}", "« contient » ne va qu'avec une question à choix multiple"),
    # lint-contient-choice-off
    ("{question: options, contient: z}", "la condition nomme un choix inconnu « z » de la question options"),
    # lint-self-condition-off
    ("{question: depenses, egal: true}", "la condition porte sur la question elle-même"),
])
def test_a_condition_that_can_never_hold_is_reported_with_its_place(tmp_path, condition, expected):
    path = _questionnaire(tmp_path, ("si: {question: financement, egal: true}", f"si: {condition}"))
    result = run_aap("appels", "--valider", str(path))
    assert result.returncode == 2, result.stdout
    assert f"section budget › question depenses: {expected}" in plain(result.stderr)


def test_the_questionnaire_these_conditions_change_is_valid(tmp_path):
    result = run_aap("appels", "--valider", str(_questionnaire(tmp_path)))
    assert result.returncode == 0, result.stderr


# -- the checks ---------------------------------------------------------------------------------


def test_a_missing_required_answer_is_a_finding_that_fails_verifier(tmp_path):
    """missing-answers-unchecked: a required question left blank and named by no rule."""
    answers = example_answers()
    del answers["etablissement"]
    path = tmp_path / "reponses.yaml"
    path.write_text(yaml.safe_dump({"appel": "idf-2022-actes-interventionnels", "nom": "exemple",
                                    "reponses": answers}, allow_unicode=True), encoding="utf-8")
    folder = ["--dossiers", str(tmp_path / "dossiers")]
    assert run_aap("remplir", "--reponses", str(path), *folder).returncode == 0
    result = run_aap("verifier", "exemple", "--json", *folder)
    assert result.returncode == 1
    missing = [f for f in json.loads(result.stdout)["constats"] if f["question"] == "etablissement"]
    assert [f["type"] for f in missing] == ["reponse_manquante"]
    assert [f["gravite"] for f in missing] == ["erreur"]


# -- typography in French -----------------------------------------------------------------------


def test_french_messages_never_break_a_line_inside_their_quotes(tmp_path):
    """terminal-typography-off: what a person reads in French has its no-break spaces; in
    English, none."""
    folder = ["--dossiers", str(tmp_path)]
    french = run_aap("verifier", "absent", *folder)
    assert french.returncode == 2
    assert "«\u00a0absent\u00a0»" in french.stderr
    english = run_aap("--langue", "en", "verifier", "absent", *folder)
    assert english.returncode == 2
    assert "\u00a0" not in english.stderr and "\u202f" not in english.stderr


# -- durable saves --------------------------------------------------------------------------------


def test_a_save_reaches_the_disk_file_first_then_its_folder(tmp_path, monkeypatch):
    """save-without-fsync, save-without-folder-fsync: the data is flushed before the rename,
    and the folder after it (else a power cut can lose the rename)."""
    synced: list[bool] = []  # True for a folder
    real_fsync = os.fsync

    def recording(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    result = run_aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(tmp_path / "dossiers"))
    assert result.returncode == 0, result.stderr
    assert False in synced, "no file was flushed"
    assert synced[-1] is True, "the folder was not flushed after the last rename"


# -- interrupted ---------------------------------------------------------------------------------


def test_an_interrupt_in_a_command_ends_with_130_and_no_traceback(monkeypatch):
    """interrupt-exit-code, in this process: Ctrl-C wherever a command is."""
    from assistant import cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_liste", interrupted)
    result = run_aap("liste")
    assert result.returncode == 130
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="waits on /proc for the process to read")
def test_ctrl_c_while_reading_an_answers_file_ends_the_process_with_130(tmp_path):
    """interrupt-exit-code, as a shell sees it: `aap remplir --reponses /dev/stdin` waits for
    its input; SIGINT (Ctrl-C) ends it with 130, without a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    process = subprocess.Popen([sys.executable, "-m", "assistant", "remplir", "--reponses", "/dev/stdin",
                                "--dossiers", str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    try:
        assert process.stdin is not None
        pipe = f"pipe:[{os.fstat(process.stdin.fileno()).st_ino}]"
        deadline = time.monotonic() + 60
        # Opening /dev/stdin gives a second descriptor on the same pipe: aap is reading it.
        while sum(_points_to(process.pid, fd, pipe) for fd in _fds(process.pid)) < 2:
            assert time.monotonic() < deadline and process.poll() is None, "aap never read its input"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        # Its input stays open: closing it (as communicate() does first) would let a run that
        # missed the signal end on an empty answers file instead of being interrupted.
        process.wait(timeout=60)
        assert process.stderr is not None
        err = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert b"Traceback" not in err


def _fds(pid: int) -> list[str]:
    try:
        return os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []


def _points_to(pid: int, fd: str, target: str) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/fd/{fd}") == target
    except OSError:
        return False
