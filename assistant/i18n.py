"""Translation and locale-aware formatting.

Messages go through `_()` then `.format()` with named placeholders (as click does), never an
f-string inside `_()`. French is the default whatever the machine's LANG says; numbers, amounts
and dates are formatted by babel with an explicit locale because the machine may have no system
French locale at all.
"""

from __future__ import annotations

import codecs
import gettext as _gettext
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

DOMAIN = "aap"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# Per language: babel's locale (numbers, amounts, dates), the document's language tag, and the
# pattern of a date with its time (babel's own "medium" adds seconds nobody needs here).
_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_US"}
_LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-US"}
_DATETIME_PATTERNS = {"fr": "d MMMM y, HH:mm", "en": "MMMM d, y, h:mm a"}

# The language of the current run, in a context variable rather than a global (as copier keeps
# its per-run settings): `cli.main` sets it for its run and gives the caller's back when it
# returns, so that two runs in one process (the tests call `main()` in-process) never share it.
_speaking: ContextVar[str] = ContextVar("aap_language", default=DEFAULT_LANGUAGE)


def set_language(language: str | None = None) -> str:
    """Select the language: the argument, else AAP_LANGUE, else French. Returns the one chosen."""
    from .errors import UsageError

    chosen = (language or os.environ.get("AAP_LANGUE") or DEFAULT_LANGUAGE).strip().lower()
    if chosen not in LANGUAGES:
        _speaking.set(DEFAULT_LANGUAGE)
        raise UsageError(
            _("langue inconnue « {langue} » (langues disponibles : {disponibles})").format(
                langue=chosen, disponibles=", ".join(LANGUAGES)
            )
        )
    _speaking.set(chosen)
    return chosen


@lru_cache(maxsize=len(LANGUAGES))
def _catalog(chosen: str) -> _gettext.NullTranslations:
    from .resources import locales_dir

    return _gettext.translation(DOMAIN, localedir=str(locales_dir()), languages=[chosen], fallback=True)


def language() -> str:
    return _speaking.get()


@contextmanager
def use_language(chosen: str) -> Iterator[None]:
    """Speak `chosen` for a while (a submission document is always French), then come back."""
    with kept_language():
        set_language(chosen)
        yield


@contextmanager
def kept_language() -> Iterator[None]:
    """Whatever language is chosen inside (`set_language`), the one before is back after."""
    token = _speaking.set(_speaking.get())
    try:
        yield
    finally:
        _speaking.reset(token)


def all_babel_locales() -> tuple[str, ...]:
    return tuple(_BABEL_LOCALES.values())


def language_tag() -> str:
    return _LANGUAGE_TAGS[language()]


def babel_locale() -> str:
    return _BABEL_LOCALES[language()]


def _(message: str) -> str:
    return _catalog(_speaking.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog(_speaking.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A short word whose translation depends on its use (a command's name, a group action)."""
    return _catalog(_speaking.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a word and its context for extraction; `pgettext(context, word)` translates it later."""
    return message


_NBSP_BEFORE = re.compile(r" ([:;!?»])")
_NBSP_AFTER = re.compile(r"(«) ")
_UNIT = re.compile(r"(?<=\d) (?=[€%])")
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " "})


def typography(text: str) -> str:
    """French typography, for a text shown to a person: a no-break space inside « » and before
    : ; ! ? so that a line never breaks between a word and its mark, and, as babel writes them,
    between the digit groups of a number and before € and %. Other languages are left alone."""
    if language() != "fr":
        return text
    text = _NBSP_AFTER.sub("\\1\u00a0", _NBSP_BEFORE.sub("\u00a0\\1", text))
    return _DIGIT_GROUP.sub("\u202f", _UNIT.sub("\u00a0", text))


def plain(text: str) -> str:
    """The text with ordinary spaces for no-break ones (babel writes them in amounts and dates):
    what the core keeps and `--json` gives; `typography` puts them back for a reader."""
    return text.translate(_NO_BREAK)


# Formatting: babel is imported here, on first use, so that `aap --help` does not pay for it.


def format_amount(amount: Decimal) -> str:
    return _format_amount(amount, babel_locale())


@lru_cache(maxsize=4096)
def _format_amount(amount: Decimal, locale: str) -> str:
    # babel re-reads the locale's pattern at every call (0.3 ms); a budget repeats its amounts.
    from babel.numbers import format_currency

    return format_currency(amount, "EUR", locale=locale)


def format_decimal(value: Decimal | int) -> str:
    from babel.numbers import format_decimal as _format_decimal

    return _format_decimal(value, locale=babel_locale(), decimal_quantization=False)


def decimal_symbol() -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(babel_locale())


def format_number(value: Decimal, decimals: int) -> str:
    """A number with a fixed count of decimals and the language's grouping (« 40 000,00 »)."""
    from babel.numbers import format_decimal as _format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _format_decimal(value, format=pattern, locale=babel_locale())


def format_percent(value: Decimal | int) -> str:
    """A percentage given in percent: « 62,5 % » in French (a no-break space), « 62.5% » in English."""
    from babel.numbers import format_percent as _format_percent

    return _format_percent(Decimal(value) / 100, locale=babel_locale(), decimal_quantization=False)


def format_date(value: date) -> str:
    """« 21 octobre 2022 », and « 1er avril 2024 » for the first day of a month (French writes
    the first as an ordinal); « October 21, 2022 » and « April 1, 2024 » in English. A date
    known to the month (`fields.dates.Month`) is « janvier 2023 », « January 2023 »: every
    date shown (answers, rule messages, the document) comes through here."""
    if getattr(value, "whole_month", False):
        return format_month(value)
    tolerate_bad_timezone()
    from babel.dates import format_date as _format_date

    text = _format_date(value, format="long", locale=babel_locale())
    if value.day == 1 and language() == "fr" and text.startswith("1 "):
        return "1er" + text[1:]
    return text


def format_month(value: date) -> str:
    """The month of a date and its year, as the language writes them: « janvier 2023 »."""
    tolerate_bad_timezone()
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=babel_locale())


def format_datetime(value: datetime) -> str:
    tolerate_bad_timezone()
    from babel.dates import format_datetime as _format_datetime

    return _format_datetime(value, format=_DATETIME_PATTERNS[language()], locale=babel_locale())


def tolerate_bad_timezone() -> None:
    """babel reads TZ once, when babel.dates is first imported, and raises on a TZ naming a file
    that is not a time zone (`TZ=:/etc/passwd`), where the C library quietly falls back to UTC.
    babel is then imported as if TZ were unset; the process keeps its TZ. Nothing here formats in
    babel's local zone (our datetimes carry their offset), so nothing shown changes."""
    if "babel.dates" in sys.modules:
        return
    zone = os.environ.get("TZ")
    if not zone or _zone_loads(zone):
        return
    for replacement in (None, "UTC"):
        if replacement is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = replacement
        try:
            import babel.dates  # noqa: F401
            break
        except Exception:  # babel's own fallback failed too: try the next replacement
            continue
        finally:
            os.environ["TZ"] = zone


def _zone_loads(zone: str) -> bool:
    """Whether babel would accept this TZ (babel's own test, without importing babel: `aap
    --help` does not pay for it). An unknown zone name is fine: babel falls back by itself."""
    import zoneinfo

    path = zone[1:] if zone.startswith(":") else zone
    try:
        if os.path.exists(path):
            with open(path, "rb") as handle:
                zoneinfo.ZoneInfo.from_file(handle)
        else:
            with suppress(ValueError, zoneinfo.ZoneInfoNotFoundError):
                zoneinfo.ZoneInfo(path)
    except Exception:
        return False
    return True


# -- output encodings ----------------------------------------------------------------------------

# Registered with the codecs module; the standard streams use it (see `console_safe`).
CONSOLE_ERRORS = "aap-console"
# What a console that cannot show a character gets instead; the rest is decomposed (é → e).
_FALLBACKS = {
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‹": "<", "›": ">",
    "—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-", "•": "*", "·": "-", "…": "...",
    "€": "EUR", "✓": "OK", "✔": "OK", "✗": "x", "⚠": "!", "→": "->", "←": "<-", "↑": "^", "↓": "v",
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
}


def _console_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    replaced = []
    for char in error.object[error.start:error.end]:
        candidates = (_FALLBACKS.get(char),
                      "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)))
        for candidate in candidates:
            # ASCII only: every console encoding has it, and a charmap codec (cp1252) reports
            # itself as "charmap", so the replacement could not be checked against it.
            if candidate is not None and candidate != char and candidate.isascii():
                replaced.append(candidate)
                break
        else:
            replaced.append("?")
    return "".join(replaced), error.end


codecs.register_error(CONSOLE_ERRORS, _console_fallback)


def console_safe(stream: object) -> None:
    """Characters the stream's encoding cannot show (a redirected Windows console is cp1252, an
    old terminal ASCII) are replaced by their nearest form, never an error: « → ", é → e."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with suppress(ValueError, OSError, TypeError, AttributeError):
            reconfigure(errors=CONSOLE_ERRORS)


def is_unicode(stream: object) -> bool:
    """Whether the stream writes any character as itself (UTF-8 or UTF-16)."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")
