"""Dialogue latency, measured as a user feels it, in a real pseudo-terminal.

    python benchmarks/dialogue.py

1. from launching `aap reprendre NOM` to the first question's prompt on screen;
2. from Enter on an answer to the next question's prompt (parse, validate, save, draw).
Targets on this 2-core machine: first question < 350 ms median, next question < 30 ms median.

The package is byte-compiled first, as `pip install` does at installation: this workplace sets
PYTHONDONTWRITEBYTECODE=1, which would otherwise make every launch recompile aap's 4,600 lines
(about 250 ms that no user pays).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from builders import IDF, example_answers

from assistant import loading
from assistant.answers import parse_answers
from assistant.store import Store

LAUNCHES = 15
ANSWERS = 40


def spawn(folder: Path) -> pexpect.spawn:
    env = {**os.environ, "AAP_DOSSIERS": str(folder), "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "assistant", "reprendre", "bench"], env=env, encoding="utf-8",
                          dimensions=(50, 160), timeout=20)
    child.delaybeforesend = None
    return child


def summary(label: str, values: list[float]) -> None:
    q1, median, q3 = statistics.quantiles(values, n=4)
    print(f"{label:42} median {median:7.1f} ms  (q1 {q1:.1f}, q3 {q3:.1f}, {len(values)} runs)")


def main() -> None:
    import compileall

    compileall.compile_dir(str(ROOT / "assistant"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        appel = loading.find_appel(IDF)
        store = Store(folder, loading.find_appel)
        with store.session("bench") as session:
            dossier = session.create(appel)
            for question_id, value in parse_answers(appel, example_answers()).items():
                dossier.set(question_id, value)
            dossier.position = dossier.position.model_copy(update={"section": "informations_generales",
                                                                   "question": "etablissement"})
            session.save(dossier)

        launches = []
        for _ in range(LAUNCHES):
            start = time.perf_counter()
            child = spawn(folder)
            child.expect_exact("Raison sociale")
            child.expect_exact("›")
            launches.append((time.perf_counter() - start) * 1000)
            child.sendcontrol("c")
            child.expect(pexpect.EOF)
        summary("launch → first question", launches)

        child = spawn(folder)
        child.expect_exact("Raison sociale")
        child.expect_exact("›")
        steps = []
        for n in range(ANSWERS):
            child.send("\x15" + f"Centre hospitalier {n}\r")  # a new answer each time: parsed, saved
            start = time.perf_counter()
            child.expect_exact("Numéro FINESS juridique")
            child.expect_exact("›")
            steps.append((time.perf_counter() - start) * 1000)
            child.send("\x15/retour\r")
            child.expect_exact("Raison sociale")
            child.expect_exact("›")
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        summary("Enter → next question (answer saved)", steps)


if __name__ == "__main__":
    main()
