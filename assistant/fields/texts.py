"""Field types whose answer is a text: free texts, contacts, identifiers, file paths."""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath
from typing import Any

from ..errors import InvalidAnswer
from ..i18n import N_, _
from ..identifiers import parse_finess, parse_siret
from ..limits import FILE_MAX_LENGTH, LONG_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH
from ..model import FieldType, Question
from ..text import clean_text, shorten
from .base import JSON, FieldKind, not_as_saved, not_empty, one_line, text_input


def parse_text(raw: Any) -> str:
    return one_line(raw)


def parse_long_text(raw: Any) -> str:
    text = text_input(raw)
    # Keep paragraphs, drop trailing spaces and runs of more than one blank line.
    lines = [line.rstrip() for line in text.split("\n")]
    return not_empty(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)))


class Text(FieldKind):
    type = FieldType.TEXT
    length_limit = TEXT_MAX_LENGTH
    weight = 3.0

    def read(self, question: Question, raw: Any) -> str:
        return parse_text(raw)


class LongText(FieldKind):
    type = FieldType.LONG_TEXT
    length_limit = LONG_TEXT_MAX_LENGTH
    short = False
    multiline = True
    weight = 4.0

    def read(self, question: Question, raw: Any) -> str:
        return parse_long_text(raw)


# -- contacts ----------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)


def parse_email(raw: Any) -> str:
    text = text_input(raw)
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise InvalidAnswer(
            _("« {saisie} » n'est pas une adresse e-mail : écrivez-la sous la forme prenom.nom@etablissement.fr").format(
                saisie=shorten(text))
        )
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


class Email(FieldKind):
    type = FieldType.EMAIL
    hint = N_("adresse e-mail")

    def read(self, question: Question, raw: Any) -> str:
        return parse_email(raw)


# Overseas departments dial as +262 262…, nationally 0262…
_OVERSEAS_CODES = ("262", "269", "590", "594", "596")


def parse_phone(raw: Any) -> str:
    text = text_input(raw)
    compact = re.sub(r"[\s.\-/]|\(0\)", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        compact = "0" + compact[3:]
    elif compact.startswith("+") and compact[1:4] in _OVERSEAS_CODES:
        compact = "0" + compact[4:]
    if not re.fullmatch(r"0[1-9][0-9]{8}", compact):
        raise InvalidAnswer(
            _("« {saisie} » n'est pas un numéro de téléphone français : "
              "10 chiffres commençant par 0, ou +33 suivi de 9 chiffres").format(saisie=shorten(text))
        )
    return " ".join(compact[i : i + 2] for i in range(0, 10, 2))


class Phone(FieldKind):
    type = FieldType.PHONE
    hint = N_("téléphone, par exemple 01 44 02 00 00")

    def read(self, question: Question, raw: Any) -> str:
        return parse_phone(raw)

    def display(self, question: Question, value: Any) -> str:
        return str(value).replace(" ", "\u00a0")  # a number never breaks across two lines


# -- identifiers -------------------------------------------------------------------------------


class Finess(FieldKind):
    type = FieldType.FINESS
    hint = N_("numéro FINESS, 9 caractères")

    def read(self, question: Question, raw: Any) -> str:
        return parse_finess(text_input(raw))  # shown as typed: its 9 characters


def siret(value: str) -> str:
    """A SIRET as INSEE writes it, « 267 500 452 00011 »: the SIREN in three groups of three,
    then the NIC, with no-break spaces (the stored value stays 14 digits)."""
    if len(value) != 14 or not value.isdigit():
        return str(value)
    return "\u00a0".join((value[0:3], value[3:6], value[6:9], value[9:]))


class Siret(FieldKind):
    type = FieldType.SIRET
    hint = N_("numéro SIRET, 14 chiffres")

    def read(self, question: Question, raw: Any) -> str:
        return parse_siret(text_input(raw))

    def display(self, question: Question, value: Any) -> str:
        return siret(str(value))


# -- files -------------------------------------------------------------------------------------


def parse_path(raw: Any) -> str:
    text = text_input(raw)
    # Terminals quote a dragged-and-dropped file.
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    return not_empty(text)


def file_name(value: Any) -> str:
    """A file's name, never its folder (a Windows path typed on another machine included)."""
    return PureWindowsPath(str(value)).name or Path(str(value)).name


class File(FieldKind):
    type = FieldType.FILE
    hint = N_("chemin d'un fichier (Tab complète)")
    length_limit = FILE_MAX_LENGTH
    completes_paths = True
    weight = 2.5

    def read(self, question: Question, raw: Any) -> str:
        return parse_path(raw)

    def decode(self, question: Question, data: JSON) -> str:
        # Not through `parse`: a path saved as « 'a' » (typed « ''a'' ») keeps its quotes.
        if not isinstance(data, str) or clean_text(data).strip() != data:
            raise not_as_saved(data, clean_text(str(data)).strip())
        value = not_empty(data)
        self.check(question, value)
        return value

    def document(self, question: Question, value: Any) -> str:
        return file_name(value)

    def notices(self, question: Question, value: Any) -> list[str]:
        if Path(value).expanduser().exists():
            return super().notices(question, value)
        missing = _("le fichier {fichier} n'existe pas (encore) : vous pourrez le joindre plus tard").format(fichier=value)
        return [*super().notices(question, value), missing]
