"""Reviewed copies of a Word file, made as reviewers make them: tracked replacements, insertions
and deletions (of text, paragraphs, table rows) as Word writes them, plain edits, comments, and
a LibreOffice round trip.

Each function reads `src`, writes a new file `dst` (the original is left untouched) and returns
its path, so edits chain. The paragraph edited is the first one, in the body or a table cell,
whose text (tracked deletions left out) holds the given text; AssertionError when none does.
Every w:id given to a change or a comment is new in the document.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

DATE = "2026-11-20T10:00:00Z"
W_ID = qn("w:id")
_P, _R, _T, _TR, _PPR, _RPR = (qn(t) for t in ("w:p", "w:r", "w:t", "w:tr", "w:pPr", "w:rPr"))
_INS, _DEL, _MOVE_FROM = qn("w:ins"), qn("w:del"), qn("w:moveFrom")
_CHARACTERS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


class _Reviewed:
    """A document being edited, with the next free w:id."""

    def __init__(self, src: Path | str, dst: Path | str):
        self.src, self.dst = Path(src), Path(dst)
        assert self.src.resolve() != self.dst.resolve(), "the reviewed copy must be a new file"
        self.document = Document(str(self.src))
        self.body = self.document.element.body
        ids = [int(v) for v in self.body.xpath("//@w:id") if v.lstrip("-").isdigit()]
        try:  # python-docx's own accessor would add an empty comments part
            comments = self.document.part.part_related_by(RT.COMMENTS).element
        except KeyError:
            comments = None
        if comments is not None:
            ids += [int(v) for v in comments.xpath("//@w:id") if v.lstrip("-").isdigit()]
        self.next = max(ids, default=0) + 1

    def new_id(self) -> str:
        self.next += 1
        return str(self.next - 1)

    def change(self, kind: str, author: str, date: str):
        element = OxmlElement(kind)
        element.set(W_ID, self.new_id())
        element.set(qn("w:author"), author)
        element.set(qn("w:date"), date)
        return element

    def paragraph(self, text: str):
        for paragraph in self.body.iter(_P):
            if text in _text(paragraph):
                return paragraph
        raise AssertionError(f"no paragraph holds {text!r} in {self.src}")

    def row(self, text: str):
        for row in self.body.iter(_TR):
            if any(text in _text(p) for p in row.iter(_P)):
                return row
        raise AssertionError(f"no table row holds {text!r} in {self.src}")

    def save(self) -> Path:
        self.document.save(str(self.dst))
        return self.dst


# -- runs: the visible ones, split so that a text starts and ends on run boundaries -------------


def _visible_runs(paragraph) -> list:
    """The runs whose text shows once the changes are accepted (not in w:del / w:moveFrom)."""
    found = []
    for run in paragraph.iter(_R):
        ancestor = run.getparent()
        hidden = False
        while ancestor is not None and ancestor is not paragraph:
            hidden = hidden or ancestor.tag in (_DEL, _MOVE_FROM)
            ancestor = ancestor.getparent()
        if not hidden:
            found.append(run)
    return found


def _run_text(run) -> str:
    return "".join((child.text or "") if child.tag == _T else _CHARACTERS[child.tag]
                   for child in run if child.tag in _CHARACTERS)


def _text(paragraph) -> str:
    return "".join(_run_text(run) for run in _visible_runs(paragraph))


def _atomized(paragraph) -> list:
    """The visible runs, each split so that it holds one piece of content (one w:t, one w:tab…)."""
    runs = []
    for run in _visible_runs(paragraph):
        runs.append(run)
        anchor = run
        for content in [c for c in run if c.tag != _RPR][1:]:
            piece = _sibling_run(run)
            piece.append(content)  # moved out of `run`
            anchor.addnext(piece)
            anchor = piece
            runs.append(piece)
    return runs


def _sibling_run(run):
    """A new run with `run`'s properties."""
    piece = OxmlElement("w:r")
    properties = run.find(_RPR)
    if properties is not None:
        piece.append(copy.deepcopy(properties))
    return piece


def _set_text(text_element, text: str) -> None:
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")


def _split(runs: list, offset: int) -> list:
    """`runs` with a boundary at `offset` (a w:t run cut in two where needed)."""
    position = 0
    for index, run in enumerate(runs):
        length = len(_run_text(run))
        if position < offset < position + length:
            text = run.find(_T)
            assert text is not None, "only text can be cut"
            cut = offset - position
            tail = _sibling_run(run)
            tail_text = OxmlElement("w:t")
            _set_text(tail_text, text.text[cut:])
            tail.append(tail_text)
            _set_text(text, text.text[:cut])
            run.addnext(tail)
            return [*runs[:index + 1], tail, *runs[index + 1:]]
        position += length
    return runs


def _span(paragraph, old: str) -> tuple[list, list]:
    """(all visible runs, the runs that are exactly `old`'s text)."""
    full = _text(paragraph)
    start = full.find(old)
    assert start >= 0, f"{old!r} is not in {full!r}"
    end = start + len(old)
    runs = _split(_split(_atomized(paragraph), start), end)
    inside, position = [], 0
    for run in runs:
        length = len(_run_text(run))
        if start <= position and position + length <= end and length:
            inside.append(run)
        position += length
    return runs, inside


def _groups(runs: list) -> list[list]:
    """Consecutive runs sharing one parent."""
    groups: list[list] = []
    for run in runs:
        if groups and groups[-1][-1].getnext() is run:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def _as_deleted(run) -> None:
    for child in run:
        if child.tag == _T:
            child.tag = qn("w:delText")
        elif child.tag == qn("w:instrText"):
            child.tag = qn("w:delInstrText")


def _delete_runs(doc: _Reviewed, runs: list, author: str, date: str):
    """Wraps `runs` in w:del (one per group of neighbours); the last w:del."""
    last = None
    for group in _groups(runs):
        deletion = doc.change("w:del", author, date)
        group[0].addprevious(deletion)
        for run in group:
            _as_deleted(run)
            deletion.append(run)
        last = deletion
    return last


def _text_run(text: str, properties=None):
    """A run of `text`, a line break where it has "\n"."""
    run = OxmlElement("w:r")
    if properties is not None:
        run.append(copy.deepcopy(properties))
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(OxmlElement("w:br"))
        if line:
            element = OxmlElement("w:t")
            _set_text(element, line)
            run.append(element)
    return run


def _insertion(doc: _Reviewed, text: str, properties, author: str, date: str, after) -> None:
    """`text` as a tracked insertion right after the element `after`."""
    run = _text_run(text, properties)
    if after.getparent().tag == _INS:
        after.addnext(run)  # already inside an insertion: it is inserted text too
        return
    insertion = doc.change("w:ins", author, date)
    insertion.append(run)
    after.addnext(insertion)


# -- the edits ---------------------------------------------------------------------------------------


def track_replace(src, dst, old: str, new: str, author: str = "Dr Martin", date: str = DATE) -> Path:
    """`old` deleted and `new` inserted in its place, as tracked changes (`new=""`: only deleted)."""
    doc = _Reviewed(src, dst)
    _runs, inside = _span(doc.paragraph(old), old)
    properties = inside[0].find(_RPR)
    properties = copy.deepcopy(properties) if properties is not None else None
    deletion = _delete_runs(doc, inside, author, date)
    if new:
        _insertion(doc, new, properties, author, date, deletion)
    return doc.save()


def track_insert_after(src, dst, anchor_text: str, new: str, author: str = "Dr Martin", date: str = DATE) -> Path:
    """`new` inserted, tracked, right after `anchor_text`."""
    doc = _Reviewed(src, dst)
    _runs, inside = _span(doc.paragraph(anchor_text), anchor_text)
    last = inside[-1]
    _insertion(doc, new, last.find(_RPR), author, date, last)
    return doc.save()


def plain_replace(src, dst, old: str, new: str) -> Path:
    """`old` replaced by `new` without tracking, across run boundaries if need be."""
    doc = _Reviewed(src, dst)
    _runs, inside = _span(doc.paragraph(old), old)
    if new:
        inside[0].addprevious(_text_run(new, inside[0].find(_RPR)))
    for run in inside:
        run.getparent().remove(run)
    return doc.save()


def comment(src, dst, text_in_paragraph: str, comment_text: str, author: str = "Mme Durand",
            date: str = DATE) -> Path:
    """A comment on the whole paragraph holding `text_in_paragraph` (comments part made if absent)."""
    doc = _Reviewed(src, dst)
    paragraph = doc.paragraph(text_in_paragraph)
    added = doc.document.comments.add_comment(text=comment_text, author=author,
                                              initials="".join(w[0] for w in author.split()))
    element = added._comment_elm
    cid = doc.new_id()
    element.set(W_ID, cid)
    element.date = dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
    start, end = OxmlElement("w:commentRangeStart"), OxmlElement("w:commentRangeEnd")
    start.set(W_ID, cid)
    end.set(W_ID, cid)
    properties = paragraph.find(_PPR)
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(end)
    reference = OxmlElement("w:r")
    style = OxmlElement("w:rPr")
    style.append(OxmlElement("w:rStyle"))
    style[0].set(qn("w:val"), "CommentReference")
    reference.append(style)
    mark = OxmlElement("w:commentReference")
    mark.set(W_ID, cid)
    reference.append(mark)
    paragraph.append(reference)
    return doc.save()


def _mark_paragraph(doc: _Reviewed, paragraph, kind: str, author: str, date: str) -> None:
    """The paragraph mark inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    properties = paragraph.find(_PPR)
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.insert(0, properties)
    mark = properties.find(_RPR)
    if mark is None:
        mark = OxmlElement("w:rPr")
        later = [c for c in properties if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
        if later:
            later[0].addprevious(mark)
        else:
            properties.append(mark)
    mark.insert(0, doc.change(kind, author, date))


def _direct_runs(paragraph) -> list:
    return [r for r in _visible_runs(paragraph) if r.getparent().tag != _INS]


def track_delete_paragraph(src, dst, text_in_paragraph: str, author: str = "Dr Martin", date: str = DATE) -> Path:
    """The whole paragraph deleted, tracked: every run in w:del, its mark deleted."""
    doc = _Reviewed(src, dst)
    paragraph = doc.paragraph(text_in_paragraph)
    _delete_runs(doc, _direct_runs(paragraph), author, date)
    _mark_paragraph(doc, paragraph, "w:del", author, date)
    return doc.save()


def plain_delete_paragraph(src, dst, text_in_paragraph: str) -> Path:
    doc = _Reviewed(src, dst)
    paragraph = doc.paragraph(text_in_paragraph)
    parent = paragraph.getparent()
    if parent.tag == qn("w:tc") and len(parent.findall(_P)) == 1:
        for child in [c for c in paragraph if c.tag != _PPR]:
            paragraph.remove(child)  # a cell keeps one paragraph
    else:
        parent.remove(paragraph)
    return doc.save()


def _new_paragraph_after(paragraph):
    """An empty paragraph after `paragraph`, with its properties (a heading's style dropped, as
    Enter after a heading gives the next style)."""
    new = OxmlElement("w:p")
    properties = paragraph.find(_PPR)
    if properties is not None:
        properties = copy.deepcopy(properties)
        for child in properties.findall(_RPR) + properties.findall(qn("w:pPrChange")):
            properties.remove(child)
        style = properties.find(qn("w:pStyle"))
        if style is not None and style.get(qn("w:val"), "").lower().startswith(("heading", "titre")):
            properties.remove(style)
        new.append(properties)
    paragraph.addnext(new)
    return new


def track_insert_paragraph_after(src, dst, text_in_paragraph: str, new_text: str, author: str = "Dr Martin",
                                 date: str = DATE, typed: bool = False) -> Path:
    """A new paragraph after the one holding `text_in_paragraph`, tracked. Pasted (the default):
    the new paragraph's own mark is inserted; `typed` (Enter at the end, then typing, as Word
    records it): the mark of the paragraph before is the inserted one."""
    doc = _Reviewed(src, dst)
    paragraph = doc.paragraph(text_in_paragraph)
    new = _new_paragraph_after(paragraph)
    insertion = doc.change("w:ins", author, date)
    insertion.append(_text_run(new_text))
    new.append(insertion)
    _mark_paragraph(doc, paragraph if typed else new, "w:ins", author, date)
    return doc.save()


def plain_insert_paragraph_after(src, dst, text_in_paragraph: str, new_text: str) -> Path:
    """A paragraph pasted from elsewhere, untracked, with its foreign formatting (another font
    and size, « \n » as a soft line break)."""
    doc = _Reviewed(src, dst)
    new = _new_paragraph_after(doc.paragraph(text_in_paragraph))
    properties = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), "Comic Sans MS")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    properties.append(fonts)
    properties.append(size)
    new.append(_text_run(new_text, properties))
    return doc.save()


def track_delete_row(src, dst, text_in_row: str, author: str = "Dr Martin", date: str = DATE) -> Path:
    """A table row deleted, tracked as Word does: w:trPr/w:del and every run in w:del."""
    doc = _Reviewed(src, dst)
    row = doc.row(text_in_row)
    properties = row.find(qn("w:trPr"))
    if properties is None:
        properties = OxmlElement("w:trPr")
        before = row.find(qn("w:tblPrEx"))
        if before is not None:
            before.addnext(properties)
        else:
            row.insert(0, properties)
    change = properties.find(qn("w:trPrChange"))
    deletion = doc.change("w:del", author, date)
    if change is not None:
        change.addprevious(deletion)
    else:
        properties.append(deletion)
    for paragraph in row.iter(_P):
        _delete_runs(doc, _direct_runs(paragraph), author, date)
    return doc.save()


def _row_after(doc: _Reviewed, row, values: list[str]):
    """A new row after `row`, shaped as it (cell properties, paragraph style), holding `values`;
    its paragraphs, one per cell."""
    new = copy.deepcopy(row)
    for properties in new.findall(qn("w:trPr")):
        for mark in [m for m in properties if m.tag in (_INS, _DEL)]:
            properties.remove(mark)
    cells = new.findall(qn("w:tc"))
    assert len(values) == len(cells), f"the row has {len(cells)} cells"
    paragraphs = []
    for cell, value in zip(cells, values):
        shape = cell.find(_P)
        for child in [c for c in cell if c.tag != qn("w:tcPr")]:
            cell.remove(child)
        paragraph = OxmlElement("w:p")
        properties = shape.find(_PPR) if shape is not None else None
        if properties is not None:
            properties = copy.deepcopy(properties)
            for child in properties.findall(_RPR):
                properties.remove(child)
            paragraph.append(properties)
        cell.append(paragraph)
        paragraphs.append((paragraph, value))
    row.addnext(new)
    return new, paragraphs


def track_insert_row_after(src, dst, text_in_row: str, values: list[str], author: str = "Dr Martin",
                           date: str = DATE) -> Path:
    """A table row added after the one holding `text_in_row`, tracked as Word does: w:trPr/w:ins,
    its text in w:ins, its paragraph marks inserted."""
    doc = _Reviewed(src, dst)
    new, paragraphs = _row_after(doc, doc.row(text_in_row), values)
    properties = new.find(qn("w:trPr"))
    if properties is None:
        properties = OxmlElement("w:trPr")
        before = new.find(qn("w:tblPrEx"))
        if before is not None:
            before.addnext(properties)
        else:
            new.insert(0, properties)
    properties.append(doc.change("w:ins", author, date))
    for paragraph, value in paragraphs:
        if value:
            insertion = doc.change("w:ins", author, date)
            insertion.append(_text_run(value))
            paragraph.append(insertion)
        _mark_paragraph(doc, paragraph, "w:ins", author, date)
    return doc.save()


def plain_insert_row_after(src, dst, text_in_row: str, values: list[str]) -> Path:
    """A table row added after the one holding `text_in_row`, untracked."""
    doc = _Reviewed(src, dst)
    _new, paragraphs = _row_after(doc, doc.row(text_in_row), values)
    for paragraph, value in paragraphs:
        if value:
            paragraph.append(_text_run(value))
    return doc.save()


# -- LibreOffice -------------------------------------------------------------------------------------

_PROFILE: list[Path] = []  # one LibreOffice profile per test process: its first start is slow


def lo_round_trip(src, outdir) -> Path | None:
    """`src` opened and saved again as .docx by LibreOffice, in `outdir` (which must not be the
    folder of `src`); None when LibreOffice is not installed."""
    return lo_convert(src, outdir, "docx")


def lo_convert(src, outdir, fmt: str) -> Path | None:
    """`src` converted by LibreOffice to `fmt` (« docx », « odt », « doc », « pdf ») in `outdir`."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    src, outdir = Path(src), Path(outdir)
    assert outdir.resolve() != src.parent.resolve(), "LibreOffice would overwrite the original"
    outdir.mkdir(parents=True, exist_ok=True)
    if not _PROFILE:
        _PROFILE.append(Path(tempfile.mkdtemp(prefix="aap-lo-profile-")))
        import atexit

        atexit.register(shutil.rmtree, _PROFILE[0], True)
    subprocess.run([soffice, f"-env:UserInstallation={_PROFILE[0].as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    result = outdir / f"{src.stem}.{fmt}"
    assert result.exists(), f"LibreOffice wrote no {result}"
    return result


def exported_dossier(tmp_path: Path, name: str) -> tuple[Path, dict[str, str], Path]:
    """A dossier filled from the IDF example in its own store, and its review version exported
    (checked as of 2022-10-20): the store's folder, the environment that points at it, the .docx."""
    from builders import EXAMPLE
    from conftest import run_aap

    folder = tmp_path / "dossiers"
    env = {"AAP_DOSSIERS": str(folder)}
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", name, env=env).returncode == 0
    exported = tmp_path / "relecture.docx"
    result = run_aap("exporter", name, "--sortie", str(exported), "--date", "2022-10-20", env=env)
    assert result.returncode == 0, result.stderr
    return folder, env, exported


def saved_answers(folder: Path, name: str) -> dict:
    """The answers as the dossier's file holds them."""
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))["reponses"]
