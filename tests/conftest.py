from __future__ import annotations

import os
import subprocess
import sys
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


def run_aap(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
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
