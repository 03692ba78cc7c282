"""The comparison base of a review version: what each marked answer reads as in the file aap has
just written, kept in the dossier's versions (never only inside the .docx, which the reviewers
edit).

It is JSON (a version's `reperes`):
`{"export": id, "dossier": nom, "langue": "fr", "commentaires_aap": [...], "reponses": [...],
"ailleurs": [...]}` (the texts outside the answers, in order), each
answer `{"question", "anchor", "kind", "title", "group", "empty", "text" | "columns" + "rows",
"reads_back"}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..dossier import Dossier
from ..errors import InvalidAnswer
from ..i18n import language
from ..model import FieldType
from ..word.marks import HEADING, Marking
from .answers import read_answer, reads_back, same_answer
from .docx_reading import read_reviewed
from .regions import cell_text, live_rows, locate, outside

AAP_AUTHOR = "aap"  # the author of the findings the review version carries as comments


def make_base(path: Path, marking: Marking, dossier: Dossier) -> dict[str, Any]:
    reviewed = read_reviewed(path)
    anchors = anchor_entries(marking, dossier)
    regions, _lost = locate(reviewed, anchors)
    answers: list[dict[str, Any]] = []
    for anchor in anchors:
        region = regions.get(anchor["question"])
        question = dossier.appel.question(anchor["question"])
        if region is None or question is None:
            continue
        entry = dict(anchor, empty=not dossier.has(question.id))
        value = dossier.get(question.id)
        if entry["group"]:
            if region.table is None:
                entry.update(columns=[], rows=[], reads_back=False)
            else:
                rows = [[cell_text(c.paragraphs) for c in row.cells] for row in live_rows(region.table)]
                items = value or []
                columns = [f.id for f in question.fields]
                body = rows[1:1 + len(items)]
                readable = [all(_cell_reads_back(question.field(f), item.get(f), row[n] if n < len(row) else "")
                                for item, row in zip(items, body)) for n, f in enumerate(columns)]
                entry.update(columns=columns, header=rows[0] if rows else [], rows=body,
                             total=rows[1 + len(items)][0] if len(rows) > 1 + len(items) else None,
                             reads_back=readable)
        else:
            text = region.text()
            entry.update(text=text, reads_back=entry["empty"] or reads_back(question, text, value))
        answers.append(entry)
    own = [c.text for c in reviewed.comments.values() if c.author == AAP_AUTHOR]
    return {"export": marking.export_id, "dossier": marking.dossier, "langue": language(),
            "commentaires_aap": own, "reponses": answers, "ailleurs": outside(reviewed, regions)}


def anchor_entries(marking: Marking, dossier: Dossier) -> list[dict[str, Any]]:
    entries = []
    for anchor in marking.anchors:
        question = dossier.appel.question(anchor.question)
        group = question is not None and question.type is FieldType.GROUP and anchor.kind == HEADING
        entries.append({"question": anchor.question, "anchor": anchor.name, "kind": anchor.kind,
                        "title": anchor.title, "group": group})
    return entries


def _cell_reads_back(field: Any, value: Any, text: str) -> bool:
    if field is None:
        return False
    if value is None:
        return not text.strip()
    if field.type is FieldType.FILE:
        return False  # a file's name in a cell is not the file
    try:
        return same_answer(field, read_answer(field, text), value)
    except InvalidAnswer:
        return False
