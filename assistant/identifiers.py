"""French identifiers: FINESS and SIRET numbers, with their check keys."""

from __future__ import annotations

import re

from .errors import InvalidAnswer
from .i18n import _
from .text import shorten

_SEPARATORS = re.compile(r"[\s.\-]+")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_finess(raw: str) -> str:
    number = _SEPARATORS.sub("", raw).upper()
    expected = _("un numéro FINESS a 9 caractères : le département (2 caractères, 2A ou 2B pour la Corse) "
                 "puis 7 chiffres, par exemple 750712184")
    if len(number) != 9:
        raise InvalidAnswer(
            _("« {saisie} » a {n} caractères ; {attendu}").format(saisie=shorten(raw.strip()), n=len(number), attendu=expected)
        )
    department, rest = number[:2], number[2:]
    if not rest.isdecimal() or not rest.isascii() or not (
        department in ("2A", "2B") or (department.isdecimal() and department.isascii())
    ):
        raise InvalidAnswer(_("« {saisie} » n'est pas un numéro FINESS : {attendu}").format(
            saisie=shorten(raw.strip()), attendu=expected))
    if department.isdecimal() and not (("01" <= department <= "95" and department != "20") or department == "97"):
        raise InvalidAnswer(
            _("« {saisie} » : « {dep} » n'est pas un département (01 à 95, 2A, 2B ou 97 pour l'outre-mer)").format(
                saisie=shorten(raw.strip()), dep=department
            )
        )
    # The check key is computed with Corse's letters replaced by their old number.
    digits = {"2A": "21", "2B": "22"}.get(department, department) + rest
    if not luhn_valid(digits):
        raise InvalidAnswer(
            _("« {saisie} » : la clé de contrôle (dernier chiffre) ne correspond pas ; "
              "vérifiez le numéro FINESS sur un document officiel").format(
                saisie=shorten(raw.strip())
            )
        )
    return number


_LA_POSTE_SIREN = "356000000"


def parse_siret(raw: str) -> str:
    number = _SEPARATORS.sub("", raw)
    if len(number) != 14 or not number.isdecimal() or not number.isascii():
        raise InvalidAnswer(
            _("« {saisie} » n'est pas un numéro SIRET : il faut 14 chiffres (SIREN à 9 chiffres puis NIC à 5 chiffres), "
              "les espaces sont permises").format(
                saisie=shorten(raw.strip())
            )
        )
    if number[:9] == _LA_POSTE_SIREN and number != "35600000000048":
        # La Poste's establishments are numbered past what Luhn allows: their key is the sum of digits.
        valid = sum(int(c) for c in number) % 5 == 0
    else:
        valid = luhn_valid(number[:9]) and luhn_valid(number)
    if not valid:
        raise InvalidAnswer(
            _("« {saisie} » : la clé de contrôle du SIRET ne correspond pas ; vérifiez-le sur l'avis de situation INSEE").format(
                saisie=shorten(raw.strip())
            )
        )
    return number
