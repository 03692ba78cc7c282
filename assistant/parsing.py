"""Answer parsers, one per field type.

Each parser takes what a user typed (or what an answers file holds) and returns the normalised
value, or raises `InvalidAnswer` with one French message saying what was expected. They are pure:
no I/O, no terminal. They accept their own normalised output too, so a saved dossier is read back
through the same functions that validated it. Every answer is bounded (see the limits in
`model.py`): text length, items of a group, digits, and the bytes a group takes once saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from .errors import InvalidAnswer
from .i18n import _
from .identifiers import parse_finess, parse_siret
from .model import MAX_ANSWER_BYTES, FieldType, Question
from .numeric import parse_amount, parse_decimal, parse_integer, parse_percentage
from .text import clean_text, fold, shorten

__all__ = ["clean_text", "parse_amount", "parse_answer", "parse_date", "parse_decimal", "parse_integer",
           "parse_item", "parse_percentage"]

_BLANKS = re.compile(r"\s+")


def _text_input(raw: Any) -> str:
    if isinstance(raw, bool) or raw is None or isinstance(raw, list | dict | tuple):
        raise InvalidAnswer(_("un texte est attendu"))
    return clean_text(str(raw)).strip()


def _not_empty(text: str) -> str:
    if not text:
        raise InvalidAnswer(_("la réponse est vide"))
    return text


def parse_text(raw: Any) -> str:
    return _not_empty(_BLANKS.sub(" ", _text_input(raw)))


def parse_long_text(raw: Any) -> str:
    text = _text_input(raw)
    # Keep paragraphs, drop trailing spaces and runs of more than one blank line.
    lines = [line.rstrip() for line in text.split("\n")]
    return _not_empty(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)))


# -- dates -------------------------------------------------------------------------------------


@cache
def _month_numbers() -> dict[str, int]:
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    from .i18n import all_babel_locales

    # Month names are accepted in every language, whatever the interface's.
    for locale in all_babel_locales():
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[fold(name).rstrip(".")] = number
    return names


def _month(name: str, raw: Any, expected: str) -> int:
    month = _month_numbers().get(name, 0)
    if not month:
        raise InvalidAnswer(_("« {saisie} » : mois inconnu ; {attendu}").format(saisie=shorten(str(raw).strip()), attendu=expected))
    return month


_YEARS = (1900, 2200)


def parse_date(raw: Any) -> date:
    if isinstance(raw, date):
        # From a YAML file, where an unquoted 2023-01-15 is already a date: the same years apply.
        value = raw.date() if isinstance(raw, datetime) else raw
        if not _YEARS[0] <= value.year <= _YEARS[1]:
            raise InvalidAnswer(_("« {saisie} » : l'année {annee} n'est pas plausible").format(
                saisie=value.isoformat(), annee=value.year))
        return value
    text = fold(_text_input(raw))
    expected = _("une date est attendue, par exemple 21/10/2022 ou 21 octobre 2022")
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})", text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
    elif match := re.fullmatch(r"(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})", text):
        month = _month(match.group(2), raw, expected)
        day, year = int(match.group(1)), int(match.group(3))
    elif match := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})", text):
        # The English order, as dates are shown in English: « October 21, 2022 ».
        month = _month(match.group(1), raw, expected)
        day, year = int(match.group(2)), int(match.group(3))
    else:
        raise InvalidAnswer(_("« {saisie} » n'est pas une date : {attendu}").format(saisie=shorten(str(raw).strip()), attendu=expected))
    if not _YEARS[0] <= year <= _YEARS[1]:
        raise InvalidAnswer(_("« {saisie} » : l'année {annee} n'est pas plausible").format(saisie=str(raw).strip(), annee=year))
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidAnswer(
            _("« {saisie} » : cette date n'existe pas (jour ou mois hors calendrier)").format(saisie=str(raw).strip())
        ) from None


# -- contacts ----------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)


def parse_email(raw: Any) -> str:
    text = _text_input(raw)
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise InvalidAnswer(
            _("« {saisie} » n'est pas une adresse e-mail : écrivez-la sous la forme prenom.nom@etablissement.fr").format(saisie=shorten(text))
        )
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


# Overseas departments dial as +262 262…, nationally 0262…
_OVERSEAS_CODES = ("262", "269", "590", "594", "596")


def parse_phone(raw: Any) -> str:
    text = _text_input(raw)
    compact = re.sub(r"[\s.\-/]|\(0\)", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        compact = "0" + compact[3:]
    elif compact.startswith("+") and compact[1:4] in _OVERSEAS_CODES:
        compact = "0" + compact[4:]
    if not re.fullmatch(r"0[1-9][0-9]{8}", compact):
        raise InvalidAnswer(
            _("« {saisie} » n'est pas un numéro de téléphone français : 10 chiffres commençant par 0, ou +33 suivi de 9 chiffres").format(
                saisie=shorten(text)
            )
        )
    return " ".join(compact[i : i + 2] for i in range(0, 10, 2))


# -- choices -----------------------------------------------------------------------------------

_YES = frozenset({"o", "oui", "y", "yes", "vrai", "true"})
_NO = frozenset({"n", "non", "no", "faux", "false"})


def parse_yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = fold(_text_input(raw))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidAnswer(_("« {saisie} » : répondez oui ou non (o / n)").format(saisie=shorten(str(raw).strip())))


def _resolve_choice(question: Question, raw: Any) -> str:
    text = _text_input(raw)
    folded = fold(text)
    for number, choice in enumerate(question.choices, start=1):
        if folded in (choice.id, fold(choice.label), str(number)):
            return choice.id
    options = ", ".join(f"{n} = {c.label}" for n, c in enumerate(question.choices, start=1))
    raise InvalidAnswer(_("« {saisie} » n'est pas un choix possible ; choix : {choix}").format(saisie=shorten(text), choix=options))


def parse_choice(question: Question, raw: Any) -> str:
    return _resolve_choice(question, raw)


def parse_choices(question: Question, raw: Any) -> list[str]:
    if isinstance(raw, str):
        items: list[Any] = [part for part in re.split(r"[,;\n]", raw) if part.strip()]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise InvalidAnswer(_("une liste de choix est attendue"))
    chosen = {_resolve_choice(question, item) for item in items}
    return [c.id for c in question.choices if c.id in chosen]


def parse_path(raw: Any) -> str:
    text = _text_input(raw)
    # Terminals quote a dragged-and-dropped file.
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    return _not_empty(text)


_SIMPLE: dict[FieldType, Callable[[Any], Any]] = {
    FieldType.TEXT: parse_text,
    FieldType.LONG_TEXT: parse_long_text,
    FieldType.INTEGER: parse_integer,
    FieldType.DECIMAL: parse_decimal,
    FieldType.AMOUNT: parse_amount,
    FieldType.PERCENTAGE: parse_percentage,
    FieldType.DATE: parse_date,
    FieldType.EMAIL: parse_email,
    FieldType.PHONE: parse_phone,
    FieldType.FINESS: lambda raw: parse_finess(_text_input(raw)),
    FieldType.SIRET: lambda raw: parse_siret(_text_input(raw)),
    FieldType.YES_NO: parse_yes_no,
    FieldType.FILE: parse_path,
}


def parse_answer(question: Question, raw: Any) -> Any:
    """Parse one answer to `question` and check its limits. Groups take a list of mappings and
    report every faulty item field at once, each as `[n].champ: message` (items numbered from 1)."""
    if question.type is FieldType.GROUP:
        return _parse_group(question, raw)
    if question.type is FieldType.CHOICE:
        value = parse_choice(question, raw)
    elif question.type is FieldType.MULTIPLE_CHOICE:
        value = parse_choices(question, raw)
        if not value and question.required:
            raise InvalidAnswer(_("choisissez au moins une option"))
    else:
        value = _SIMPLE[question.type](raw)
    _check_limits(question, value)
    return value


def _check_limits(question: Question, value: Any) -> None:
    limit = question.length_limit
    if limit is not None and isinstance(value, str) and len(value) > limit:
        raise InvalidAnswer(_("la réponse fait {n} caractères ; {max} au plus").format(n=len(value), max=limit))
    if question.type not in (FieldType.INTEGER, FieldType.DECIMAL, FieldType.AMOUNT, FieldType.PERCENTAGE):
        return
    minimum, maximum = question.minimum, question.maximum
    if question.type is FieldType.PERCENTAGE:
        minimum = Decimal(0) if minimum is None else minimum
        maximum = Decimal(100) if maximum is None else maximum
    if minimum is not None and value < minimum:
        raise InvalidAnswer(_("la valeur doit être au moins {min}").format(min=_format_limit(question, minimum)))
    if maximum is not None and value > maximum:
        raise InvalidAnswer(_("la valeur doit être au plus {max}").format(max=_format_limit(question, maximum)))


def _format_limit(question: Question, limit: Decimal) -> str:
    from .i18n import format_amount, format_decimal

    if question.type is FieldType.INTEGER and not question.grouping:
        return format(limit, "f")  # a year: « au moins 2015 », not « 2 015 »
    return format_amount(limit) if question.type is FieldType.AMOUNT else format_decimal(limit)


def _parse_group(question: Question, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list | tuple):
        raise InvalidAnswer(_("une liste d'éléments est attendue (une ligne par élément)"))
    if len(raw) > question.item_limit:  # said before reading thousands of items
        message = _(": au plus {n} éléments sont possibles").format(n=question.item_limit)
        raise InvalidAnswer(message, details=[message])
    items: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(_("[{n}]: un élément est un ensemble de champs ({champs})").format(
                n=number, champs=", ".join(f.id for f in question.fields)))
            continue
        item, item_problems = parse_item(question, entry)
        problems += [f"[{number}].{place}" for place in item_problems]
        items.append(item)
    if len(items) < question.min_items and not problems:
        problems.append(_(": au moins {n} éléments sont attendus").format(n=question.min_items))
    if problems:
        raise InvalidAnswer(problems[0], details=problems)
    check_group_size(question, items)
    return items


def check_group_size(question: Question, items: list[dict[str, Any]]) -> None:
    """A group is the one answer whose size the other limits do not bound well (items × fields
    × characters): it is measured as the dossier will write it. The dialogue, which builds a
    group item by item, checks it here too."""
    from .reading import encoded_size, megabytes
    from .values import encode

    # At the depth of the history's « avant » and « après », the deepest place it is written.
    size = encoded_size(encode(question, items), depth=4)
    if size > MAX_ANSWER_BYTES:
        message = _(": ces éléments prendraient {taille} Mo dans le dossier ; {max} Mo au plus").format(
            taille=megabytes(size), max=megabytes(MAX_ANSWER_BYTES))
        raise InvalidAnswer(message, details=[message])


def parse_item(question: Question, entry: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Parse one item of a group; returns the item and the problems as `champ: message`."""
    item: dict[str, Any] = {}
    problems: list[str] = []
    for key in entry:
        if question.field(str(key)) is None:
            problems.append(_("{champ}: champ inconnu (champs possibles : {champs})").format(
                champ=shorten(str(key)), champs=", ".join(f.id for f in question.fields)))
    for field in question.fields:
        value = entry.get(field.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                problems.append(_("{champ}: réponse obligatoire").format(champ=field.id))
            continue
        try:
            item[field.id] = parse_answer(field, value)
        except InvalidAnswer as error:
            problems.append(f"{field.id}: {error.message}")
    return item, problems
