"""Time of a full consistency check of the large dossier (30 members, 300 budget lines), and of
the grid of the call's criteria read from it (`aap evaluer`, `/evaluer`).

    python benchmarks/checks.py

Target: the check under 20 ms median; the grid, given the findings, well under it (it runs on
every /evaluer and every review export).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from builders import dossier_from, example_answers, large_answers

from assistant.checks import check
from assistant.criteria import assess

RUNS = 200


def measure(label: str, answers: dict) -> None:
    dossier = dossier_from(answers, label)
    check(dossier, date(2022, 10, 1))  # warm-up: babel's locale data
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        findings = check(dossier, date(2022, 10, 1))
        timings.append((time.perf_counter() - start) * 1000)
    q1, median, q3 = statistics.quantiles(timings, n=4)
    print(f"{label:8} {len(findings):3} findings  check: median {median:6.2f} ms  (q1 {q1:.2f}, q3 {q3:.2f}, {RUNS} runs)")
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        grid = assess(dossier, findings)
        timings.append((time.perf_counter() - start) * 1000)
    q1, median, q3 = statistics.quantiles(timings, n=4)
    print(f"{label:8} {len(grid):3} criteria  grid:  median {median:6.2f} ms  (q1 {q1:.2f}, q3 {q3:.2f}, {RUNS} runs)")


if __name__ == "__main__":
    measure("typique", example_answers())
    measure("grand", large_answers())
