"""The gettext catalogs are complete for French and the compiled files match the sources."""

from __future__ import annotations


from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import ROOT

LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "assistant"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "aap.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_french_catalog_has_every_message_translated():
    catalog = _catalog("fr")
    missing = [m for m in _code_messages() if m not in catalog]
    assert missing == [], "run: python scripts/catalogues.py"
    for message in catalog:
        if message.id:
            assert message.string and "fuzzy" not in message.flags, message.id


def test_compiled_catalogs_match_their_sources():
    def frozen(value):
        return value if isinstance(value, str) else tuple(value)

    for lang in ("fr", "en"):
        source = {frozen(m.id): frozen(m.string) for m in _catalog(lang) if m.id and any(m.string)}
        with (LOCALES / lang / "LC_MESSAGES" / "aap.mo").open("rb") as handle:
            compiled = {frozen(m.id): frozen(m.string) for m in read_mo(handle) if m.id and any(m.string)}
        # Babel compiles an untranslated plural as its msgid: that fallback is not staleness.
        assert {k: v for k, v in compiled.items() if v != k} == {k: v for k, v in source.items() if v != k}, \
            f"{lang}: run python scripts/catalogues.py"
