"""Export time against the number of paragraphs: the large dossier's long answers written as
1×, 10× and 100× as many short paragraphs. Linear means the time per paragraph stays flat.

    python benchmarks/export_scaling.py

Before the fix python-docx's own add_paragraph made it quadratic (80,000 paragraphs: 25 s).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from builders import dossier_from, large_answers

from assistant.checks import check
from assistant.word.document import Mode, build

LONG_FIELDS = ["objectifs", "contexte", "description_projet", "parcours_patient", "methode_travail",
               "information_patient", "evaluation", "affectation"]
BASE_PARAGRAPHS = 800  # 100 per long answer
RUNS = {1: 7, 10: 5, 100: 3}


def main() -> None:
    dossier = dossier_from(large_answers(), "grand")
    findings = check(dossier, date(2022, 10, 1))
    base_rate = None
    for factor, runs in RUNS.items():
        per_field = BASE_PARAGRAPHS * factor // len(LONG_FIELDS)
        for field in LONG_FIELDS:
            # Set directly: the parsers bound an answer's length, and this measures the writer.
            dossier.answers[field] = "\n\n".join(f"Paragraphe {n} du texte." for n in range(per_field))
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            build(dossier, findings, Mode.REVIEW)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings)
        paragraphs = per_field * len(LONG_FIELDS)
        rate = median / paragraphs * 1e6
        base_rate = base_rate or rate
        print(f"{factor:>4}× ({paragraphs:>6} paragraphs): median {median * 1000:8.0f} ms over {runs} runs, "
              f"{rate:6.1f} µs per paragraph ({rate / base_rate:.2f}× the 1× rate)")


if __name__ == "__main__":
    main()
