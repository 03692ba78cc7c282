"""`aap relire`: what reviewed copies of a review version propose, answer by answer, and applying
what the author accepts.

Each file is read against the comparison base of the export it came from (its `aap-export`
property names it; the base is in the dossier's versions). A change is the difference between the
base's text and the file's text with every change accepted, tracked or not; a list's table is
compared row by row (rows matched by content, so that a deleted row does not shift the others) and
cell by cell. Several files proposing the same text make one proposal; different texts for the same
place make a conflict, shown side by side. An answer changed in the dossier since that export is
shown with its current text (three ways), never overwritten silently.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from .. import versions
from ..diffing import merge
from ..dossier import Dossier
from ..errors import AapError, InvalidAnswer
from ..fields import kind_of
from ..fields.groups import parse_item
from ..i18n import _
from ..model import FieldType, Question
from ..store import Store
from ..text import clean_text, shorten
from ..word.marks import DOSSIER_PROPERTY, EXPORT_PROPERTY, NO_ANSWER, TO_COMPLETE, VERSION_PROPERTY
from .answers import read_answer, same_answer, shown
from .base import AAP_AUTHOR
from .decisions import undecided
from .docx_reading import Reviewed, Row, read_reviewed
from .regions import QUOTES, Region, cell_text, live_rows, locate, outside, plain, same_text

CHANGE, ADD, REMOVE = "modifier", "ajouter", "supprimer"
CELLS = " · "  # between the cells of a table line shown on one line
# Texts whose changes on both sides merge word by word; a number or a date is one value.
_MERGED = (FieldType.TEXT, FieldType.LONG_TEXT)


class ReviewRefused(AapError):
    """A file that cannot be read back into this dossier: nothing is changed (exit 2)."""


@dataclass
class Remark:
    file: str
    author: str
    text: str


@dataclass
class Suggestion:
    text: str
    files: list[str]
    reviewers: list[str]
    value: Any = None
    error: str | None = None


@dataclass
class Proposal:
    question: str
    label: str
    action: str = CHANGE
    item: int | None = None        # the list's line (from 0, where it is in the dossier now) for a cell or a removal
    field_id: str | None = None
    exported: str = ""
    current: str | None = None     # the dossier's text now, when it changed since the export
    suggestions: list[Suggestion] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    # The reviewer's changes applied to the current text, when they touch other words than the
    # changes made since the export: what accepting saves.
    merged: Suggestion | None = None
    # Another proposal on the same line of a list that this one would undo or lose (one reviewer
    # removes the line another edits): never decided without being seen.
    clash: str | None = None

    @property
    def key(self) -> tuple[str, str, int | None, str | None, str]:
        extra = self.suggestions[0].text if self.action == ADD else ""
        return (self.question, self.action, self.item, self.field_id, extra)

    @property
    def conflict(self) -> bool:
        return len(self.suggestions) > 1


@dataclass
class Reading:
    files: list[str]
    reviewers: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    notes: list[tuple[str, Remark]] = field(default_factory=list)    # comments on an unchanged answer
    elsewhere: list[Remark] = field(default_factory=list)            # comments outside any answer
    not_imported: list[str] = field(default_factory=list)            # changes aap cannot read back
    by_title: list[str] = field(default_factory=list)                # answers placed by their heading
    lost: list[str] = field(default_factory=list)                    # answers not found in a file
    exports: list[int] = field(default_factory=list)                 # the versions compared with
    decided: int = 0                                                 # left out: decided at an earlier reading


def read_reviews(store: Store, dossier: Dossier, paths: list[Path], by_titles: bool = False) -> Reading:
    """Read every file first (a wrong one refuses them all: nothing is changed), then compare."""
    documents = [(path, read_reviewed(path)) for path in paths]
    reading = Reading(files=[_file_label(p, paths) for p in paths])
    merged: dict[tuple[Any, ...], Proposal] = {}
    for (path, reviewed), label in zip(documents, reading.files, strict=True):
        version = _version_of(store, dossier, path, reviewed)
        try:
            _compare_file(reading, merged, dossier, path, label, reviewed, version, by_titles)
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            # A comparison base edited by hand: said, never half applied.
            raise ReviewRefused(_("la version {numero} du dossier « {nom} », qui garde ce que {fichier} contenait à "
                                  "l'export, a été modifiée à la main et ne se lit plus : rien n'est modifié").format(
                numero=version.number, nom=dossier.name, fichier=path)) from None
    reading.proposals, reading.decided = undecided(store, dossier.name, _clashes(list(merged.values())))
    return reading


def _clashes(proposals: list[Proposal]) -> list[Proposal]:
    removed = {(p.question, p.item) for p in proposals if p.action == REMOVE}
    edited = {(p.question, p.item) for p in proposals if p.action == CHANGE and p.field_id is not None}
    for proposal in proposals:
        line = (proposal.question, proposal.item)
        if proposal.action == CHANGE and proposal.field_id is not None and line in removed:
            proposal.clash = _("un relecteur supprime cette ligne : la modifier n'a de sens que si elle reste")
        elif proposal.action == REMOVE and line in edited:
            proposal.clash = _("un relecteur modifie cette ligne : la supprimer perd sa modification")
    return proposals


def _file_label(path: Path, paths: list[Path]) -> str:
    """A file as the screen names it: its name, with its folder when two files share the name
    (reviewers send back the file they received, under the same name)."""
    if sum(1 for other in paths if other.name == path.name) > 1:
        return clean_text(f"{path.parent.name}/{path.name}")
    return clean_text(path.name)


def _compare_file(reading: Reading, merged: dict[tuple[Any, ...], Proposal], dossier: Dossier, path: Path, label: str,
                  reviewed: Reviewed, version: versions.Version, by_titles: bool) -> None:
    base = version.marks if isinstance(version.marks, dict) else {}
    regions, lost = locate(reviewed, base.get("reponses", []))
    if base.get("reponses") and all(r.by_title for r in regions.values()) and not by_titles:
        raise _anchors_lost(path, base, regions, lost)
    if version.number not in reading.exports:
        reading.exports.append(version.number)
    comparer = _Comparer(dossier, version, label, reviewed, base.get("commentaires_aap", []))
    for entry in base.get("reponses", []):
        region = regions.get(entry["question"])
        if region is None:
            reading.lost.append(f"{entry['title']} ({label})")
            continue
        if region.by_title:
            reading.by_title.append(f"{entry['title']} ({label})")
        for proposal in comparer.compare(entry, region):
            _merge(merged, proposal, comparer)
    reading.notes += comparer.notes
    reading.not_imported += comparer.not_imported + comparer.outside(regions, base.get("ailleurs", []))
    reading.elsewhere += comparer.elsewhere(regions)
    for author in comparer.all_authors():
        if author not in reading.reviewers:
            reading.reviewers.append(author)


def exported_from(paths: list[Path]) -> set[str]:
    """The dossiers the files say they were exported from (a file that does not say, or does not
    read, adds nothing: `read_reviews` refuses it later, with its reason)."""
    from .docx_package import UnreadableFile

    names: set[str] = set()
    for path in paths:
        try:
            name = read_reviewed(path).properties.get(DOSSIER_PROPERTY)
        except UnreadableFile:
            continue
        if name:
            names.add(name)
    return names


def _merge(merged: dict[tuple[Any, ...], Proposal], proposal: Proposal, comparer: _Comparer) -> None:
    """Several files on one place: the same text is one suggestion; texts that change other words
    of the same answer become one (both reviewers' changes), others stay side by side."""
    known = merged.get(proposal.key)
    if known is None:
        merged[proposal.key] = proposal
        return
    known.remarks += proposal.remarks
    for suggestion in proposal.suggestions:
        same = next((s for s in known.suggestions if plain(s.text) == plain(suggestion.text)), None)
        if same is None:
            both = comparer.both(known, suggestion)
            if both is None:
                known.suggestions.append(suggestion)
                continue
            same, known.suggestions = both, [both]
        same.files += [f for f in suggestion.files if f not in same.files]
        same.reviewers += [r for r in suggestion.reviewers if r not in same.reviewers]


def _version_of(store: Store, dossier: Dossier, path: Path, reviewed: Reviewed) -> versions.Version:
    export_id = reviewed.properties.get(EXPORT_PROPERTY)
    other = reviewed.properties.get(DOSSIER_PROPERTY)
    if other and other != dossier.name:
        # Another dossier's file, even if this one knows its export (a copy made by aap dupliquer).
        known = store.exists(other) if _usable_name(other) else False
        raise ReviewRefused((_("{fichier} a été produit pour le dossier « {autre} », pas pour « {nom} » : "
                               "aap relire {autre} {chemin}") if known else
                             _("{fichier} a été produit pour un autre dossier (« {autre} »), pas pour « {nom} » : "
                               "rien n'est modifié")).format(fichier=path, autre=shorten(other, 60), nom=dossier.name,
                                                             chemin=shlex.quote(str(path))))
    if not export_id and reviewed.properties.get(VERSION_PROPERTY) == "depot":
        raise ReviewRefused(_("{fichier} est la version de dépôt : ce sont les modifications faites dans la version de "
                              "relecture (aap exporter {nom}) qu'aap relit").format(fichier=path, nom=dossier.name))
    if not export_id:
        raise ReviewRefused(_("{fichier} n'est pas une version de relecture produite par aap : seule la version "
                              "de relecture (aap exporter {nom}) se relit").format(fichier=path, nom=dossier.name))
    version = versions.by_export(store, dossier.name, export_id)
    if version is not None:
        return version
    raise ReviewRefused(_("{fichier} vient d'un export que le dossier « {nom} » ne connaît pas (fait d'une autre copie "
                          "du dossier, ou ses versions ont été effacées) : rien n'est modifié").format(
        fichier=path, nom=dossier.name))


def _usable_name(name: str) -> bool:
    """A name a file claims is only looked up when it could be a dossier's (never a path)."""
    from ..dossier import slugify
    from ..errors import UsageError

    try:
        return slugify(name) == name
    except UsageError:
        return False


def _anchors_lost(path: Path, base: dict[str, Any], regions: dict[str, Region], lost: list[str]) -> ReviewRefused:
    titles = {e["question"]: e["title"] for e in base.get("reponses", [])}
    placed = [titles[q] for q in regions]
    details = []
    if placed:
        details.append(_("retrouvées par leur titre : {titres}").format(titres=", ".join(placed)))
    if lost:
        details.append(_("introuvables : {titres}").format(titres=", ".join(titles[q] for q in lost)))
    return ReviewRefused(
        _("{fichier} a perdu les repères qu'aap y avait mis (copié dans un autre document ?) : rien n'est modifié ; "
          "--par-titres relit les réponses retrouvées par leur titre").format(fichier=path), details)


def line_map(then: Any, now: Any) -> dict[int, int]:
    """Each line of a list as exported (`then`, saved JSON) → where it is in the list now: lines
    unchanged are matched first, wherever they moved; a line edited in aap since goes with the
    remaining line that shares the most fields with it (a line added or removed above it does
    not lead its edits to its neighbour). A line matched by nothing is gone."""
    if not isinstance(then, list) or not isinstance(now, list):
        return {}
    keys_then = [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in then]
    keys_now = [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in now]
    found: dict[int, int] = {}
    matcher = SequenceMatcher(None, keys_then, keys_now, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            found.update({i1 + k: j1 + k for k in range(i2 - i1)})
    free = [j for j in range(len(now)) if j not in found.values() and isinstance(now[j], dict)]
    left = [i for i in range(len(then)) if i not in found and isinstance(then[i], dict)]
    # The best pairs first; a pair must share more than half of its fields (else the line is
    # another one, and the exported one is gone).
    pairs = sorted(((_shared(then[i], now[j]), -abs(i - j), i, j) for i in left for j in free), reverse=True)
    taken: set[int] = set()
    for share, _distance, i, j in pairs:
        if share > 0.5 and i not in found and j not in taken:
            found[i] = j
            taken.add(j)
    return found


def _shared(first: dict[str, Any], second: dict[str, Any]) -> float:
    keys = set(first) | set(second)
    return sum(1 for key in keys if first.get(key) == second.get(key)) / len(keys) if keys else 0.0


def _row_comments(row: Row) -> list[str]:
    return list(dict.fromkeys(i for cell in row.cells for p in cell.paragraphs for i in p.comments))


class _Comparer:
    """One reviewed file against its export's base."""

    def __init__(self, dossier: Dossier, version: versions.Version, file: str, reviewed: Reviewed, own: list[str]):
        self.dossier, self.version, self.file, self.reviewed = dossier, version, file, reviewed
        self.own = set(own)  # the findings aap itself put as comments
        self.authors: list[str] = []
        self.not_imported: list[str] = []
        self.last: list[Proposal] = []
        self.notes: list[tuple[str, Remark]] = []
        self._placeholders = {_(TO_COMPLETE), _(NO_ANSWER)}
        self._maps: dict[str, dict[int, int]] = {}  # a list's lines: exported index → index now

    def compare(self, entry: dict[str, Any], region: Region) -> list[Proposal]:
        question = self.dossier.appel.question(entry["question"])
        self.last = []
        if question is None:
            return []
        authors = region.authors()
        self.authors += [a for a in authors if a not in self.authors]
        if entry.get("group"):
            self.last = self._table(question, entry, region, authors)
            return self.last
        self.last = self._text(question, entry, region, authors)
        self._attach(self.remarks(region), self.last, entry["title"])
        return self.last

    def _attach(self, remarks: list[Remark], proposals: list[Proposal], title: str) -> None:
        """Comments go with the change they sit on; on an unchanged answer or line they are
        listed apart, so that none is forgotten."""
        if proposals:
            proposals[0].remarks += remarks
        else:
            self.notes += [(title, remark) for remark in remarks]

    def remarks(self, region: Region) -> list[Remark]:
        return [self._remark(i) for i in region.comment_ids() if self._theirs(i)]

    def _theirs(self, comment_id: str) -> bool:
        comment = self.reviewed.comments.get(comment_id)
        return comment is not None and not (comment.author == AAP_AUTHOR and comment.text in self.own)

    def _remark(self, comment_id: str) -> Remark:
        comment = self.reviewed.comments[comment_id]
        return Remark(self.file, comment.author or _("(sans nom)"), comment.text)

    def elsewhere(self, regions: dict[str, Region]) -> list[Remark]:
        placed = {i for region in regions.values() for i in region.comment_ids()}
        return [self._remark(i) for i in self.reviewed.comments if i not in placed and self._theirs(i)]

    def all_authors(self) -> list[str]:
        """Whoever changed or commented anything in the file, in order of appearance."""
        found = list(self.authors)
        for paragraph in self.reviewed.paragraphs():
            found += [a for a in paragraph.authors if a not in found]
        found += [c.author for i, c in self.reviewed.comments.items() if c.author and self._theirs(i)]
        return list(dict.fromkeys(found))

    def outside(self, regions: dict[str, Region], base: list[str]) -> list[str]:
        """Changes where no answer is read (the cover, the summary, the signature page, a
        heading), tracked or not: named, for the author to make in aap."""
        now = outside(self.reviewed, regions)
        said: list[str] = []
        matcher = SequenceMatcher(None, base, now, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            before, after = " / ".join(base[i1:i2]), " / ".join(now[j1:j2])
            said.append(_("hors des réponses ({fichier}) : « {avant} » → « {apres} » ; faites-le dans aap si "
                          "c'est une réponse").format(fichier=self.file, avant=shorten(before, 60),
                                                      apres=shorten(after, 60)))
        return said

    # -- an answer as one text -----------------------------------------------------------------

    def _text(self, question: Question, entry: dict[str, Any], region: Region, authors: list[str]) -> list[Proposal]:
        exported, text = entry.get("text", ""), region.text()
        if same_text(text, exported):
            return []
        if not entry.get("reads_back", False):
            self.not_imported.append(_("{titre} ({fichier}) : cette partie résume la réponse ; modifiez-la dans aap").format(
                titre=entry["title"], fichier=self.file))
            return []
        proposed = self._without_placeholder(text)
        now = self.dossier.get(question.id)
        suggestion = self._suggestion(question, proposed, authors, now)
        current = self._current(question)
        if current is not None and suggestion.error is None and same_answer(question, suggestion.value, now):
            return []  # already in the dossier
        proposal = Proposal(question.id, entry["title"], exported="" if entry.get("empty") else exported,
                            current=current, suggestions=[suggestion])
        self._merge_into(proposal, question, proposed, authors, now)
        return [proposal]

    def both(self, proposal: Proposal, other: Suggestion) -> Suggestion | None:
        """Two reviewers' changes to other words of one text, as one suggestion (None: they
        touch the same words, or the text is not one that merges)."""
        question = self.dossier.appel.question(proposal.question)
        if question is not None and proposal.field_id is not None:
            question = question.field(proposal.field_id)
        if question is None or question.type not in _MERGED or len(proposal.suggestions) != 1 or not proposal.exported:
            return None
        first = proposal.suggestions[0]
        text = merge(proposal.exported, first.text, other.text)
        if text is None:
            return None
        now = self.dossier.get(proposal.question)
        if proposal.field_id is not None:
            items, at = now or [], proposal.item
            now = items[at].get(proposal.field_id) if at is not None and at < len(items) else None
        combined = self._suggestion(question, text, [], now)
        combined.files, combined.reviewers = list(first.files), list(first.reviewers)
        if proposal.current and proposal.exported:  # and into the answer as it is now, if it can be
            proposal.merged = None
            self._merge_into(proposal, question, text, combined.reviewers, now)
        return combined

    def _merge_into(self, proposal: Proposal, question: Question, proposed: str, authors: list[str], now: Any) -> None:
        """A text changed on both sides: the reviewer's changes applied to the text as it is now,
        unless both touched the same words (then a person decides)."""
        if proposal.current and proposal.exported and question.type in _MERGED:
            merged = merge(proposal.exported, proposal.current, proposed)
            if merged is not None:
                proposal.merged = self._suggestion(question, merged, authors, now)

    def _without_placeholder(self, text: str) -> str:
        for placeholder in self._placeholders:
            text = text.replace(placeholder, "")
        return text.strip()

    def _suggestion(self, question: Question, text: str, authors: list[str], original: Any = None) -> Suggestion:
        suggestion = Suggestion(text, [self.file], list(authors))
        try:
            suggestion.value = read_answer(question, text, original)
            if suggestion.value is None and question.required:
                suggestion.error = _("la réponse est vide, et cette question est obligatoire")
        except InvalidAnswer as error:
            suggestion.error = error.message
        return suggestion

    def _current(self, question: Question) -> str | None:
        """The dossier's answer now, when it is not the one exported."""
        if self.dossier.raw.get(question.id) == self.version.answers.get(question.id):
            return None
        if not self.dossier.has(question.id):
            return ""
        return shown(question, self.dossier.get(question.id))

    # -- a list's table ------------------------------------------------------------------------

    def _table(self, question: Question, entry: dict[str, Any], region: Region, authors: list[str]) -> list[Proposal]:
        if region.table is None:
            return []
        columns: list[str] = entry.get("columns", [])
        exported: list[list[str]] = entry.get("rows", [])
        body = live_rows(region.table)[1:]
        if body and entry.get("total") is not None and plain(cell_text(body[-1].cells[0].paragraphs)) == plain(entry["total"]):
            body = body[:-1]
        if len(body) > question.item_limit:  # compared line by line, a huge table would take minutes
            self.not_imported.append(_("{titre} ({fichier}) : le tableau a plus de {n} lignes, le plus que la liste "
                                       "admet ; rien n'en est repris").format(titre=entry["title"], fichier=self.file,
                                                                              n=question.item_limit))
            return []
        rows = [[cell_text(c.paragraphs) for c in row.cells] for row in body]
        if any(len(row) != len(columns) for row in rows):
            self.not_imported.append(_("{titre} ({fichier}) : les colonnes du tableau ont changé ; "
                                       "reportez ces modifications dans aap").format(titre=entry["title"], fichier=self.file))
            return []
        # Each line's comments, and those of the table's other rows (its header, its total, a
        # deleted line).
        on_row = [[self._remark(i) for i in _row_comments(row) if self._theirs(i)] for row in body]
        placed = {i for row in body for i in _row_comments(row)}
        elsewhere = [self._remark(i) for i in region.comment_ids() if i not in placed and self._theirs(i)]
        def shape(row: list[str]) -> tuple[str, ...]:
            return tuple(plain(cell).translate(QUOTES) for cell in row)
        matcher = SequenceMatcher(None, [shape(r) for r in exported], [shape(r) for r in rows], autojunk=False)
        proposals: list[Proposal] = []
        removals: list[Proposal] = []
        then = self.version.answers.get(question.id) or []
        now = self.dossier.raw.get(question.id) or []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            paired = min(i2 - i1, j2 - j1) if tag in ("replace", "equal") else 0
            for offset in range(paired):
                index, row = i1 + offset, j1 + offset
                changes = [] if tag == "equal" else self._cells(question, entry, index, exported[index], rows[row], authors)
                self._attach(on_row[row], changes, self._item_label(entry, index, exported[index]))
                proposals += changes
            for index in range(i1 + paired, i2):
                at = self._now_index(question, index)
                if at is None:
                    continue  # no longer in the list: already removed
                removal = self._line(question, entry, REMOVE, at, exported[index], authors)
                if now[at] != then[index]:  # changed in aap since: shown, never removed unseen
                    removal.current = CELLS.join(self._row_text(question, at))
                removals.append(removal)
            for row in range(j1 + paired, j2):
                added = self._added(question, entry, rows[row], authors)
                value = added.suggestions[0].value
                if value is not None and kind_of(question).encode(question, [value])[0] in now:
                    continue  # already added
                self._attach(on_row[row], [added], added.label)
                proposals.append(added)
        self._attach(elsewhere, removals, entry["title"])
        return proposals + removals

    def _item_label(self, entry: dict[str, Any], index: int, row: list[str]) -> str:
        first = next((cell for cell in row if cell.strip()), "")
        return _("{titre}, ligne {n} ({debut})").format(titre=entry["title"], n=index + 1, debut=shorten(first, 40))

    def _cells(self, question: Question, entry: dict[str, Any], index: int, before: list[str], after: list[str],
               authors: list[str]) -> list[Proposal]:
        proposals: list[Proposal] = []
        items = self.dossier.get(question.id) or []
        at = self._now_index(question, index)
        if at is None:
            self.not_imported.append(_("{ligne} ({fichier}) : cette ligne a changé ou disparu dans aap depuis l'export ; "
                                       "reportez la modification dans aap").format(
                ligne=self._item_label(entry, index, before), fichier=self.file))
            return proposals
        for column, (old, new) in enumerate(zip(before, after)):
            if same_text(old, new):
                continue
            field_q = question.field(entry["columns"][column])
            readable = entry.get("reads_back", [])
            if field_q is None or column >= len(readable) or not readable[column]:
                self.not_imported.append(_("{ligne}, « {champ} » ({fichier}) : aap ne relit pas cette colonne ; "
                                           "modifiez-la dans aap").format(
                    ligne=self._item_label(entry, index, before), champ=field_q.label if field_q else "?",
                    fichier=self.file))
                continue
            value_now = items[at].get(field_q.id)
            suggestion = self._suggestion(field_q, new, authors, value_now)
            if suggestion.value is None and suggestion.error is None and field_q.required:
                suggestion.error = _("la réponse est vide, et ce champ est obligatoire")
            then = (self.version.answers.get(question.id) or [])[index].get(field_q.id)
            current = None
            if then != (self.dossier.raw.get(question.id) or [])[at].get(field_q.id):
                current = "" if value_now is None else shown(field_q, value_now)
                if suggestion.error is None and same_answer(field_q, suggestion.value, value_now):
                    continue  # already in the dossier
            label = f"{self._item_label(entry, at, before)} › {field_q.label}"
            proposal = Proposal(question.id, label, CHANGE, at, field_q.id, old, current, [suggestion])
            self._merge_into(proposal, field_q, new, authors, value_now)
            proposals.append(proposal)
        return proposals

    def _now_index(self, question: Question, index: int) -> int | None:
        """Where the line exported at `index` is in the list now (None: it is gone)."""
        if question.id not in self._maps:
            self._maps[question.id] = line_map(self.version.answers.get(question.id) or [],
                                               self.dossier.raw.get(question.id) or [])
        return self._maps[question.id].get(index)

    def _row_text(self, question: Question, at: int) -> list[str]:
        item = (self.dossier.get(question.id) or [])[at]
        return ["" if item.get(f.id) is None else shown(f, item[f.id]) for f in question.fields]

    def _line(self, question: Question, entry: dict[str, Any], action: str, index: int, row: list[str],
              authors: list[str]) -> Proposal:
        suggestion = Suggestion("", [self.file], list(authors))
        return Proposal(question.id, self._item_label(entry, index, row), action, index, None, CELLS.join(row),
                        None, [suggestion])

    def _added(self, question: Question, entry: dict[str, Any], row: list[str], authors: list[str]) -> Proposal:
        raw = {f: plain(text) for f, text in zip(entry["columns"], row) if plain(text)}
        text = CELLS.join(row)
        suggestion = Suggestion(text, [self.file], list(authors))
        item, problems = parse_item(question, raw)
        if problems:
            first = problems[0]
            field_id, _sep, message = first.partition(": ")
            field_q = question.field(field_id)
            suggestion.error = (_("« {champ} » : {raison}").format(champ=field_q.label, raison=message)
                                if field_q is not None else first)
        else:
            suggestion.value = item
        label = _("{titre}, nouvelle ligne").format(titre=entry["title"])
        return Proposal(question.id, label, ADD, None, None, "", None, [suggestion])
