"""The `document` block of a questionnaire: how the dossier reads as a Word application file.

A call says which answers form the cover, the summary, each section's identity table (« Fiche
d'identification »), the noun heading of each substantive answer, the budget and its funding
plan, the commitments and the signature, and the annexes; the export code knows no question id.
A call without the block still gets a decent document: numbered sections, the short answers
in an identity table, the others under their label as a noun (see `word/document.py`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schema import Identifier, Model, Text


class Row(Model):
    """One answer shown as a label/value row (cover, identity table, summary)."""

    question: Identifier
    # The row's label when the question's own wording will not do (a question, a long label).
    label: Text | None = Field(default=None, alias="libelle")
    # Summary rows may show the first sentences of a long answer only.
    max_chars: int | None = Field(default=None, gt=0, le=2_000, alias="caracteres_max")
    # How a group reads in one row: its number of items (« nombre », the default), the span of
    # its dates (« periode », the default for a group with a date field), one line per item
    # (« liste ») or the total of its first amount field (« total »).
    form: Literal["nombre", "periode", "liste", "total"] | None = Field(default=None, alias="forme")


class SectionLayout(Model):
    """How one section of the questionnaire reads in the document."""

    section: Identifier
    # The numbered heading (« 1. » is added): the call's own wording of the part.
    title: Text | None = Field(default=None, alias="titre")
    # Short answers gathered in one label/value table instead of one heading each.
    identity: tuple[Row, ...] = Field(default=(), alias="fiche")
    # The heading of that table (« Fiche d'identification » by default): « Chiffres clés »…
    identity_title: Text | None = Field(default=None, alias="titre_fiche")
    # The noun heading of each substantive answer (question id → heading); an answer listed
    # neither here nor in the identity table gets its question's label, never a question form.
    headings: dict[Identifier, Text] = Field(default_factory=dict, alias="titres")


class Cover(Model):
    title: Identifier | None = Field(default=None, alias="titre")           # the project's title
    applicant: Identifier | None = Field(default=None, alias="candidat")
    rows: tuple[Row, ...] = Field(default=(), alias="lignes")


class Budget(Model):
    """The budget group and the answers that make the funding plan."""

    expenses: Identifier = Field(alias="groupe_depenses")              # the group of expense lines
    amount: Identifier = Field(default="montant", alias="montant")  # its amount field
    requested: Identifier | None = Field(default=None, alias="demande")   # amount requested
    cofunding: Identifier | None = Field(default=None, alias="groupe_cofinancements")  # group
    cofunding_amount: Identifier = Field(default="montant", alias="montant_cofinancement")


class Signature(Model):
    name: Identifier = Field(alias="nom")
    position: Identifier = Field(alias="qualite")
    place: Identifier = Field(alias="lieu")


class Annexes(Model):
    group: Identifier = Field(alias="groupe")
    title: Identifier = Field(default="titre", alias="titre")
    file: Identifier = Field(default="fichier", alias="fichier")


class Document(Model):
    cover: Cover = Field(default_factory=Cover, alias="couverture")
    summary: tuple[Row, ...] = Field(default=(), alias="synthese")
    sections: tuple[SectionLayout, ...] = ()
    budget: Budget | None = None
    # Multiple-choice questions whose ticked options are the establishment's commitments,
    # written as sentences on the signature page.
    commitments: tuple[Identifier, ...] = Field(default=(), alias="engagements_coches")
    signature: Signature | None = None
    annex_list: Annexes | None = Field(default=None, alias="pieces_jointes")

    def section(self, section_id: str) -> SectionLayout:
        return next((s for s in self.sections if s.section == section_id), SectionLayout(section=section_id))
