"""The one place where typed or pasted text is made safe, and the forgiving comparison of words."""

from __future__ import annotations

import re
import unicodedata

# Characters that break JSON, XML (hence Word) or the terminal: C0/C1 controls but newline and
# tab, lone surrogates, and the two XML non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(raw: str) -> str:
    """Every later step (JSON, terminal, Word) can take what this returns."""
    return _UNSAFE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))


def fold(text: str) -> str:
    """Lower case, without accents, single spaces: « Février » = « fevrier », « À  définir » =
    « a definir »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
