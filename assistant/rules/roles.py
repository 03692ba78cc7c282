"""`roles`: every member of a team group says precisely what they do in the project, and the
functions the call requires (a doctor, a coordinator…) are in the team."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from ..i18n import N_, _
from ..limits import TEXT_MAX_LENGTH
from ..schema import Identifier, Model, Text
from ..text import fold
from .base import RuleKind, Severity, group_field

if TYPE_CHECKING:
    from ..checks import Context, Finding
    from ..model import Appel


class RequiredFunction(Model):
    label: Text = Field(alias="libelle")
    patterns: tuple[str, ...] = Field(alias="motifs", min_length=1)
    severity: Severity = Field(alias="gravite")
    message: Text
    # The call's sentence, if the call requires this function; advice has none of its own and
    # never borrows the rule's: it is not the call's word.
    source: Text | None = None
    # Where the patterns are looked for: by default who the members are (their function and
    # name, « Dr … »), not what they do — a nurse who « assiste le radiologue » is no radiologist.
    fields: tuple[Identifier, ...] | None = Field(default=None, alias="champs", min_length=1)


class RolesRule(RuleKind):
    placeholders: ClassVar[frozenset[str]] = frozenset({"nom", "role", "fonction", "numero", "longueur_min"})
    containers: ClassVar[dict[str, str]] = {"fonctions_requises": N_("fonction")}

    kind: Literal["roles"] = Field(alias="type")
    group: Identifier = Field(alias="groupe")
    role_field: Identifier = Field(default="role", alias="champ_role")
    function_field: Identifier = Field(default="fonction", alias="champ_fonction")
    name_field: Identifier = Field(default="nom", alias="champ_nom")
    min_length: int = Field(default=15, ge=1, le=TEXT_MAX_LENGTH, alias="longueur_min")
    vague_terms: tuple[str, ...] = Field(default=(), alias="termes_vagues")
    required_functions: tuple[RequiredFunction, ...] = Field(default=(), alias="fonctions_requises")

    def messages(self) -> tuple[str, ...]:
        return (self.message, *(f.message for f in self.required_functions))

    def lint(self, appel: Appel) -> list[str]:
        from ..model import FieldType

        text = {FieldType.TEXT, FieldType.LONG_TEXT}
        fields = {self.role_field, self.function_field, self.name_field,
                  *(f for required in self.required_functions for f in required.fields or ())}
        return [p for field in sorted(fields) for p in group_field(appel, self.group, field, text, _("un texte"))]

    def evaluate(self, context: Context) -> Iterator[Finding]:
        members = context.dossier.answer(self.group) or []
        vague = {fold(term).strip(" .!?;:") for term in self.vague_terms}
        for number, member in enumerate(members, start=1):
            role = str(member.get(self.role_field) or "").strip()
            folded = fold(role).strip(" .!?;:")
            if len(role) < self.min_length or not folded or folded in vague:
                name = str(member.get(self.name_field) or _("membre {n}").format(n=number))
                yield context.finding(self, self.message, self.group, item=name, nom=name, role=role,
                                      fonction=str(member.get(self.function_field) or ""), numero=str(number),
                                      longueur_min=str(self.min_length))
        for required in self.required_functions:
            patterns = [re.compile(r"(?<!\w)" + re.escape(fold(p)) + r"(?!\w)") for p in required.patterns]
            fields = required.fields or (self.function_field, self.name_field)
            texts = [fold(" ".join(str(m.get(f) or "") for f in fields)) for m in members]
            if not any(p.search(text) for p in patterns for text in texts):
                source = required.source or (self.source if required.severity is not Severity.ADVICE else None)
                yield context.finding(self, required.message, self.group, severity=required.severity, source=source)
