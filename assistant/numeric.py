"""Number parsers: amounts as French users type them, decimals, integers, percentages.

Amounts are `Decimal`, never float: `40 000,50 €`, `40.000,50` and narrow or no-break spaces
are read exactly; `40.000` and `40,000` are ambiguous and refused with both readings offered.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import InvalidAnswer
from .i18n import _, format_amount, format_number
from .text import clean_text

_SPACES = " \u00a0\u202f\u2009\u2007"
MAX_AMOUNT_DIGITS = 12



def _number_input(raw: Any) -> str | Decimal:
    if isinstance(raw, bool) or raw is None or isinstance(raw, list | dict | tuple):
        raise InvalidAnswer(_("un nombre est attendu"))
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise InvalidAnswer(_("un nombre fini est attendu"))
        return Decimal(repr(raw))
    if isinstance(raw, int | Decimal):
        if isinstance(raw, Decimal) and not raw.is_finite():
            raise InvalidAnswer(_("un nombre fini est attendu"))
        return Decimal(raw)
    return clean_text(str(raw)).strip()


def _grouped(integer_part: str, separator: str) -> str | None:
    """Digits of an integer part written with a thousands separator, or None if the groups are
    not of three digits (« 4 0000 »)."""
    groups = integer_part.split(separator)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    return "".join(groups)


def parse_amount(raw: Any) -> Decimal:
    value = _number_input(raw)
    if isinstance(value, Decimal):
        return _checked_amount(value, str(raw))
    shown = value
    text = re.sub(r"(?i)\s*(€|eur|euros?)\s*$", "", value)
    text = re.sub(r"^€\s*", "", text).strip()
    if text.startswith(("-", "\u2212")):
        raise InvalidAnswer(_("« {saisie} » : un montant ne peut pas être négatif").format(saisie=shown))
    expected = _("un montant en euros est attendu, par exemple 40 000 ou 40 000,50")
    if not text or not re.fullmatch(r"[0-9][0-9 .,\u00a0\u202f\u2009\u2007]*", text):
        raise InvalidAnswer(_("« {saisie} » n'est pas un montant : {attendu}").format(saisie=shown, attendu=expected))
    for space in _SPACES[1:]:
        text = text.replace(space, " ")
    text = re.sub(r" +", " ", text)
    digits = _amount_digits(text, shown, expected)
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise InvalidAnswer(_("« {saisie} » n'est pas un montant : {attendu}").format(saisie=shown, attendu=expected)) from None
    return _checked_amount(amount, shown)


def _amount_digits(text: str, shown: str, expected: str) -> str:
    """Turn a French-typed amount into plain digits with a point, or refuse it clearly."""
    invalid = InvalidAnswer(_("« {saisie} » n'est pas un montant : {attendu}").format(saisie=shown, attendu=expected))
    too_precise = InvalidAnswer(
        _("« {saisie} » n'est pas un montant valide (deux décimales au plus)").format(saisie=shown)
    )
    marks = [c for c in text if c in ",."]
    if len(set(marks)) == 2:
        decimal_mark = text[max(text.rfind(","), text.rfind("."))]
        thousands = "." if decimal_mark == "," else ","
        integer_part, _sep, fraction = text.rpartition(decimal_mark)
        if thousands in fraction or " " in integer_part:
            raise invalid
        integer = _grouped(integer_part, thousands)
    elif len(marks) > 1:
        # « 1.234.567 »: several identical marks can only group thousands.
        integer, fraction = _grouped(text.replace(" ", ""), marks[0]), ""
    elif len(marks) == 1:
        integer_part, _sep, fraction = text.partition(marks[0])
        if not fraction or " " in fraction:
            raise invalid
        if len(fraction) == 3 and " " not in integer_part and len(integer_part) <= 3:
            raise _ambiguous(shown, integer_part, fraction)
        integer = _grouped(integer_part, " ") if " " in integer_part else integer_part
    else:
        integer, fraction = (_grouped(text, " ") if " " in text else text), ""
    if integer is None:
        raise invalid
    if len(fraction) > 2:
        raise too_precise
    return integer + ("." + fraction if fraction else "")


def _ambiguous(shown: str, integer_part: str, fraction: str) -> InvalidAnswer:
    thousands = Decimal(integer_part + fraction)
    if fraction.endswith("0"):
        as_decimal = Decimal(integer_part + "." + fraction)
        return InvalidAnswer(
            _("« {saisie} » est ambigu : écrivez « {milliers} » pour {montant_milliers} ou « {decimal} » pour {montant_decimal}").format(
                saisie=shown, milliers=_unambiguous(thousands), montant_milliers=format_amount(thousands),
                decimal=format_number(as_decimal, 2), montant_decimal=format_amount(as_decimal),
            )
        )
    return InvalidAnswer(
        _("« {saisie} » n'est pas un montant valide (deux décimales au plus) ; pour {montant}, écrivez « {milliers} »").format(
            saisie=shown, milliers=_unambiguous(thousands), montant=format_amount(thousands)
        )
    )


def _unambiguous(value: Decimal) -> str:
    """A whole amount typed so that it cannot be misread: « 40 000 » in French; in English, where
    « 40,000 » is the very thing that was ambiguous, « 40000 »."""
    written = format_number(value, 0)
    return str(int(value)) if any(c in written for c in ",.") else written


def _checked_amount(amount: Decimal, shown: str) -> Decimal:
    if amount < 0:
        raise InvalidAnswer(_("« {saisie} » : un montant ne peut pas être négatif").format(saisie=shown))
    if amount >= Decimal(10) ** MAX_AMOUNT_DIGITS:
        raise InvalidAnswer(_("« {saisie} » : ce montant est trop grand").format(saisie=shown))
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise InvalidAnswer(_("« {saisie} » n'est pas un montant valide (deux décimales au plus)").format(saisie=shown))
    return amount.quantize(Decimal("0.01"))


def _compact(text: str) -> str:
    """A typed number without its grouping spaces, with a plain minus sign."""
    text = text.replace("\u2212", "-")
    for space in _SPACES:
        text = text.replace(space, "")
    return text


def _check_size(value: Decimal, raw: Any) -> None:
    if value.adjusted() >= 15:
        raise InvalidAnswer(_("« {saisie} » : ce nombre est trop grand").format(saisie=raw))


def parse_decimal(raw: Any) -> Decimal:
    value = _number_input(raw)
    if isinstance(value, str):
        text = _compact(value)
        if not re.fullmatch(r"-?[0-9]+([.,][0-9]+)?", text):
            raise InvalidAnswer(
                _("« {saisie} » n'est pas un nombre : écrivez par exemple 0,5 ou 12 (virgule ou point)").format(saisie=value)
            )
        value = Decimal(text.replace(",", "."))
    _check_size(value, raw)
    return value


def parse_integer(raw: Any) -> int:
    value = _number_input(raw)
    if isinstance(value, str):
        text = _compact(value)
        if not re.fullmatch(r"-?[0-9]{1,15}", text):
            raise InvalidAnswer(
                _("« {saisie} » n'est pas un nombre entier : écrivez par exemple 1200, sans virgule ni point").format(saisie=value)
            )
        return int(text)
    _check_size(value, raw)
    if value != value.to_integral_value():
        raise InvalidAnswer(_("« {saisie} » n'est pas un nombre entier").format(saisie=raw))
    return int(value)


def parse_percentage(raw: Any) -> Decimal:
    if isinstance(raw, str):
        raw = re.sub(r"\s*%\s*$", "", raw.strip())
    return parse_decimal(raw)
