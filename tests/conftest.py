from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant import i18n

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _french(monkeypatch):
    """Every test starts in French, whatever the machine or a previous test set."""
    monkeypatch.delenv("AAP_LANGUE", raising=False)
    i18n.set_language("fr")
    yield
    i18n.set_language("fr")


@dataclass
class Result:
    """What a run of `aap` gave: as subprocess.CompletedProcess, for the attributes tests read."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


# What only a new process reads (at start-up, or through the C library): a test that sets one of
# these proves something about the process and calls run_aap_process.
_PROCESS_ONLY = ("PYTHON", "LC_", "LANG", "TZ")


def run_aap(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            input: str | None = None) -> Result:
    """Run the command as a user would (no terminal on stdin), but by calling `main()` in this
    process: the environment, the working folder, the standard streams and the interface
    language are the command's for the call, then given back. A run takes milliseconds where a
    new interpreter takes a second; run_aap_process is for what only a real process shows
    (signals, console encodings, closed descriptors, the exit of the process itself)."""
    from assistant import i18n, output
    from assistant.cli import main

    process_only = [key for key in env or {} if key.startswith(_PROCESS_ONLY)]
    if process_only:
        raise AssertionError(f"{process_only} are read by a new process only: use run_aap_process")
    saved_env, saved_cwd, saved_language = dict(os.environ), os.getcwd(), i18n.language()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out, err = io.BytesIO(), io.BytesIO()
    # Like a pipe: UTF-8 text over bytes, not a terminal, no file descriptor of its own.
    streams = [io.TextIOWrapper(buffer, encoding="utf-8", newline="\n", write_through=True) for buffer in (out, err)]
    sys.stdout, sys.stderr = streams
    sys.stdin = io.StringIO(input or "")
    for key in [key for key in os.environ if key.startswith("AAP_")]:
        del os.environ[key]
    os.environ.update({"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
    # The consoles are made once per process, from the streams and the environment of that moment.
    output.console.cache_clear()
    output.err_console.cache_clear()
    try:
        if cwd is not None:
            os.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's --help, --version and usage errors
            code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
        for stream in streams:
            stream.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        output.console.cache_clear()
        output.err_console.cache_clear()
        i18n.set_language(saved_language)
    result = Result(list(args), int(code), out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))
    for stream in streams:
        stream.detach()  # closing the wrappers would close the buffers
    return result


def run_aap_process(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
                    input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess, as a user would (no terminal on stdin)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    full_env.update({"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=full_env,
        cwd=cwd, input=input if input is not None else "", timeout=60,
    )


def plain(text: str) -> str:
    """French typography puts no-break spaces around « » : ; — compare with ordinary spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")
