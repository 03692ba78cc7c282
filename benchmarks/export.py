"""Export time of the large dossier (30 members, 300 budget lines, 80,000 characters of text),
against python-docx alone writing the same headings, paragraphs and tables.

    python benchmarks/export.py

Targets: under 500 ms median, and within 1.5 times python-docx alone.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from builders import dossier_from, large_answers
from docx import Document

from assistant.checks import check
from assistant.dossier import Dossier
from assistant.values import display
from assistant.word.document import Mode, build, export

RUNS = 15


def baseline(dossier: Dossier) -> None:
    """python-docx alone: the same headings, paragraphs and table cells, no styling."""
    document = Document()
    for section in dossier.appel.sections:
        document.add_heading(section.title, level=1)
        for question in section.questions:
            value = dossier.get(question.id)
            if value is None:
                continue
            document.add_heading(question.label, level=2)
            if question.fields:
                table = document.add_table(rows=1, cols=len(question.fields))
                for cell, field in zip(table.rows[0].cells, question.fields):
                    cell.text = field.label
                for item in value:
                    for cell, field in zip(table.add_row().cells, question.fields):
                        cell.text = display(field, item[field.id]) if field.id in item else ""
            else:
                for block in str(display(question, value)).split("\n\n"):
                    document.add_paragraph(block)
    document.save(io.BytesIO())


def timed(action) -> list[float]:
    action()  # warm-up
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    dossier = dossier_from(large_answers(), "grand")
    findings = check(dossier, date(2022, 10, 1))
    with tempfile.TemporaryDirectory() as folder:
        ours = timed(lambda: export(dossier, findings, Mode.REVIEW, Path(folder) / "grand.docx"))
        build_only = timed(lambda: build(dossier, findings, Mode.REVIEW))
    alone = timed(lambda: baseline(dossier))
    for label, values in (("aap exporter (build + reproducible save)", ours), ("  of which building", build_only),
                          ("python-docx alone, same content", alone)):
        q1, median, q3 = statistics.quantiles(values, n=4)
        print(f"{label:42} median {median:7.1f} ms  (q1 {q1:.1f}, q3 {q3:.1f}, {RUNS} runs)")
    print(f"ratio: {statistics.median(ours) / statistics.median(alone):.2f}")


if __name__ == "__main__":
    main()
