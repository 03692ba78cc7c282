"""The gettext catalogs are complete in every language and the compiled files match the sources."""

from __future__ import annotations

import ast
from functools import cache
from string import Formatter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import ROOT

from assistant.i18n import LANGUAGES

LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}


@cache
def _code_messages() -> frozenset[tuple[str, str | None]]:
    """Every message of the code, as (msgid, context)."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "assistant"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add((message if isinstance(message, str) else message[0], context))
    return frozenset(found)


def _forms(value) -> tuple[str, ...]:
    """A message's id or translation as its forms: one, or singular and plurals."""
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _catalog(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "aap.po").open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_every_message_of_the_code_translated(lang):
    catalog = _catalog(lang)
    missing = [m for m in _code_messages() if catalog.get(*m) is None]
    assert missing == [], "run: python scripts/catalogues.py, then translate"
    unused = [(m.id, m.context) for m in catalog if m.id and (_forms(m.id)[0], m.context) not in _code_messages()]
    assert unused == [], "messages the code no longer uses: run python scripts/catalogues.py"
    for message in catalog:
        if not message.id:
            continue
        assert all(_forms(message.string)), f"{lang}: empty translation for {message.id!r}"
        assert "fuzzy" not in message.flags, f"{lang}: fuzzy translation for {message.id!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_every_placeholder(lang):
    # A translation that drops or renames {montant} would raise KeyError at run time.
    for message in _catalog(lang):
        if not message.id or "{" not in str(message.id):
            continue
        for source, translated in zip(_forms(message.id), _forms(message.string)):
            assert _placeholders(translated) == _placeholders(source), (lang, source, translated)


def _placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in Formatter().parse(text) if name is not None}


def test_compiled_catalogs_match_their_sources():
    def frozen(value):
        return value if isinstance(value, str) else tuple(value)

    for lang in LANGUAGES:
        source = {frozen(m.id): frozen(m.string) for m in _catalog(lang) if m.id and any(m.string)}
        with (LOCALES / lang / "LC_MESSAGES" / "aap.mo").open("rb") as handle:
            compiled = {frozen(m.id): frozen(m.string) for m in read_mo(handle) if m.id and any(m.string)}
        # Babel compiles an untranslated plural as its msgid: that fallback is not staleness.
        assert {k: v for k, v in compiled.items() if v != k} == {k: v for k, v in source.items() if v != k}, \
            f"{lang}: run python scripts/catalogues.py"


def test_messages_are_never_built_before_translation():
    # _(f"…") or _("…" + x) would look up a string no catalog holds: placeholders go in .format().
    offenders = []
    for path in sorted((ROOT / "assistant").rglob("*.py")):  # the packages (word/, fields/, rules/) too
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"_", "N_", "ngettext", "pgettext", "NP_"}
                    and any(isinstance(arg, ast.JoinedStr | ast.BinOp | ast.Call) for arg in node.args[:2])):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
