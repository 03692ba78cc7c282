"""Time of one dossier save (atomic: temporary file, fsync, rename, fsync of the folder).

    python benchmarks/save.py

Prints the median and quartiles over many saves for the shipped example and for a large dossier
(30 team members, 300 budget lines, 80,000 characters of text). Target: large < 10 ms median.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from builders import IDF, example_answers, large_answers

from assistant import loading
from assistant.answers import parse_answers
from assistant.store import Store

RUNS = 200


def measure(label: str, answers: dict) -> None:
    appel = loading.find_appel(IDF)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder), loading.find_appel)
        with store.session(label) as session:  # held for all the saves, as by the dialogue
            dossier = session.create(appel)
            for question_id, value in parse_answers(appel, answers).items():
                dossier.set(question_id, value)
            session.save(dossier)
            size = store.path(label).stat().st_size
            timings = []
            for n in range(RUNS):
                dossier.set("etablissement", f"Centre hospitalier {n}")  # a real change each time
                start = time.perf_counter()
                session.save(dossier)
                timings.append((time.perf_counter() - start) * 1000)
    q1, median, q3 = statistics.quantiles(timings, n=4)
    print(f"{label:10} {size / 1000:7.1f} kB  save: median {median:6.2f} ms  (q1 {q1:.2f}, q3 {q3:.2f}, {RUNS} runs)")


if __name__ == "__main__":
    measure("typique", example_answers())
    measure("grand", large_answers())
