"""The one place where typed or pasted text is made safe, and the forgiving comparison of words."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Characters that break JSON, XML (hence Word) or the terminal: C0/C1 controls but newline and
# tab, lone surrogates, and the two XML non-characters. Also the bidirectional embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible, they make a text read in an
# order other than the one it is stored in (« Trojan Source »), in the terminal and in Word.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def clean_text(raw: str) -> str:
    """Every later step (JSON, terminal, Word) can take what this returns."""
    return _UNSAFE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))


def shorten(text: str, width: int = 60) -> str:
    """A text quoted in a message: a pasted page or a 5,000-digit number is cut, not echoed."""
    return text if len(text) <= width else text[: width - 1] + "…"


def fold(text: str) -> str:
    """Lower case, without accents, single spaces: « Février » = « fevrier », « À  définir » =
    « a definir »."""
    # ’ (Word's apostrophe) is the ' people type: « point d’étape » = « point d'étape ».
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'").replace("\u02bc", "'"))
    return " ".join(_unmarked(decomposed).split())


# A long text (the grid reads a 10,000-character answer for several signals) loses its accents
# with one regular expression of the plane's combining marks, built once (10 ms), five times
# faster than a Python loop over each character (0.2 ms against 1 ms for such a text).
_MANY = 2_000
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _marks() -> re.Pattern[str]:
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


def _unmarked(decomposed: str) -> str:
    if len(decomposed) > _MANY and not _ASTRAL.search(decomposed):
        return _marks().sub("", decomposed)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
