"""Number parsers: amounts as French users type them, decimals, integers, percentages.

Amounts are `Decimal`, never float: `40 000,50 €`, `40.000,50` and narrow or no-break spaces
are read exactly; `40.000` and `40,000` are ambiguous and refused with both readings offered.

Every number is bounded in digits before and after the point, each limit said in its message,
and a zero is never negative: what a parser returns is saved as `format(value, "f")` and must
read back through the same parser (a saved `-0.00` would be refused as a negative amount).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import InvalidAnswer
from .i18n import _, format_amount, format_number
from .text import clean_text, shorten

_SPACES = " \u00a0\u202f\u2009\u2007"
MAX_AMOUNT_DIGITS = 12  # digits before the point: up to 999 999 999 999,99 €
AMOUNT_PLACES = 2
# Integers and decimals: 15 digits before the point (what a double shows exactly, should a
# spreadsheet read the export), 6 after (a rate, an ETP, a ratio never needs more).
MAX_INTEGER_DIGITS = 15
MAX_DECIMAL_PLACES = 6


def _shown(raw: Any) -> str:
    """What was given, to quote in a message; an integer too long for str() (past 4,300 digits)
    is quoted in scientific notation."""
    if isinstance(raw, int) and raw.bit_length() > 10_000:
        return format(Decimal(raw), ".6E")
    return shorten(str(raw))


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
        return check_amount(value, _shown(raw))
    shown = shorten(value)
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
    return check_amount(amount, shown)


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
            _("« {saisie} » est ambigu : écrivez « {milliers} » pour {montant_milliers} "
              "ou « {decimal} » pour {montant_decimal}").format(
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


def check_amount(amount: Decimal, shown: str) -> Decimal:
    """An amount within its limits, with its two decimal places; `shown` is what was typed."""
    shown = shorten(shown)
    if not amount.is_finite():
        raise InvalidAnswer(_("un nombre fini est attendu"))
    if amount < 0:
        raise InvalidAnswer(_("« {saisie} » : un montant ne peut pas être négatif").format(saisie=shown))
    if not amount.is_zero() and amount.adjusted() >= MAX_AMOUNT_DIGITS:
        raise InvalidAnswer(_("« {saisie} » : ce montant est trop grand ({max} au plus)").format(
            saisie=shown, max=format_amount(Decimal(10) ** MAX_AMOUNT_DIGITS - Decimal("0.01"))))
    cents = Decimal(1).scaleb(-AMOUNT_PLACES)
    exponent = amount.as_tuple().exponent  # an int: the amount is finite
    if isinstance(exponent, int) and exponent < -AMOUNT_PLACES and amount != amount.quantize(cents):
        raise InvalidAnswer(_("« {saisie} » n'est pas un montant valide (deux décimales au plus)").format(saisie=shown))
    return _unsigned_zero(amount).quantize(cents)


def _unsigned_zero(value: Decimal) -> Decimal:
    """-0 (from `-0`, `-0,0` or a JSON -0.0) is 0: saved as `-0`, it would read back as a
    negative number; and 0E+5 is 0 too, not a number of six digits."""
    if not value.is_zero():
        return value
    exponent = value.as_tuple().exponent
    return value.copy_abs() if isinstance(exponent, int) and exponent <= 0 else Decimal(0)


def _compact(text: str) -> str:
    """A typed number without its grouping spaces, with a plain minus sign."""
    text = text.replace("\u2212", "-")
    for space in _SPACES:
        text = text.replace(space, "")
    return text


def check_decimal(value: Decimal, shown: str) -> Decimal:
    """A decimal within its limits: MAX_INTEGER_DIGITS before the point, MAX_DECIMAL_PLACES
    after (trailing zeros beyond are dropped); `shown` is what was typed."""
    shown = shorten(shown)
    if not value.is_finite():
        raise InvalidAnswer(_("un nombre fini est attendu"))
    value = _unsigned_zero(value)
    if not value.is_zero() and value.adjusted() >= MAX_INTEGER_DIGITS:
        raise InvalidAnswer(_("« {saisie} » : ce nombre est trop grand ({n} chiffres au plus avant la virgule)").format(
            saisie=shown, n=MAX_INTEGER_DIGITS))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        rounded = value.quantize(Decimal(1).scaleb(-MAX_DECIMAL_PLACES))
        if rounded != value:
            raise InvalidAnswer(_("« {saisie} » : {n} décimales au plus").format(saisie=shown, n=MAX_DECIMAL_PLACES))
        value = rounded
    return value


def parse_decimal(raw: Any) -> Decimal:
    value = _number_input(raw)
    if isinstance(value, str):
        text = _compact(value)
        if not re.fullmatch(r"-?[0-9]+([.,][0-9]+)?", text):
            raise InvalidAnswer(
                _("« {saisie} » n'est pas un nombre : écrivez par exemple 0,5 ou 12 (virgule ou point)").format(
                    saisie=shorten(value))
            )
        value = Decimal(text.replace(",", "."))
    return check_decimal(value, _shown(raw))


def parse_integer(raw: Any) -> int:
    value = _number_input(raw)
    if isinstance(value, str):
        text = _compact(value)
        if not re.fullmatch(r"-?[0-9]+", text):
            raise InvalidAnswer(
                _("« {saisie} » n'est pas un nombre entier : écrivez par exemple 1200, sans virgule ni point").format(
                    saisie=shorten(value))
            )
        digits = value.strip().replace("\u2212", "-").lstrip("-").strip()
        for space in _SPACES:
            digits = digits.replace(space, " ")
        # Spaces group thousands, as in an amount: « 20 24 » or « 40 0000 » is a typo, not 2024.
        if " " in digits and _grouped(re.sub(" +", " ", digits), " ") is None:
            raise InvalidAnswer(_("« {saisie} » : les chiffres se groupent par trois (1 200, 40 000) ; écrivez par "
                                  "exemple 1200").format(saisie=shorten(value)))
        value = Decimal(text)
    value = check_decimal(value, _shown(raw))
    if value != value.to_integral_value():
        raise InvalidAnswer(_("« {saisie} » n'est pas un nombre entier").format(saisie=_shown(raw)))
    return int(value)


def parse_percentage(raw: Any) -> Decimal:
    if isinstance(raw, str):
        raw = re.sub(r"\s*%\s*$", "", raw.strip())
    return parse_decimal(raw)
