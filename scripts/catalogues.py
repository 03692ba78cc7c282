"""Refresh the message catalogs with Babel's own tooling.

    python scripts/catalogues.py          # extract, update fr and en, compile

Messages in the code are written in French, so the French catalog translates each message to
itself, except argparse's own English messages, translated below. Other languages are
translated by hand in their .po file; this script keeps their translations. The compiled .mo files are
committed (a plain `pip install` needs no build step) and a test fails when they are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant.i18n import LANGUAGES  # noqa: E402 (the repository's own package, even uninstalled)

LOCALES = ROOT / "locales"
POT = LOCALES / "aap.pot"
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "-k", "NP_:1c,2"]

ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "not allowed with argument %s": "impossible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "argument explicite ignoré %r",
    "show program's version number and exit": "afficher la version et quitter",
}


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def main() -> int:
    pybabel("extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location", "--sort-output",
            "--project", "aap", "--copyright-holder", "aap", "-o", str(POT), str(ROOT / "assistant"))
    for lang in LANGUAGES:
        po = LOCALES / lang / "LC_MESSAGES" / "aap.po"
        if po.exists():
            pybabel("update", "-i", str(POT), "-o", str(po), "-l", lang, "--no-fuzzy-matching",
                    "--ignore-obsolete")
        else:
            pybabel("init", "-i", str(POT), "-o", str(po), "-l", lang)
        if lang == "fr":
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            for message in catalog:
                if not message.id:
                    continue
                if isinstance(message.id, tuple):
                    message.string = tuple(message.id)
                else:
                    message.string = ARGPARSE_FR.get(message.id, message.id)
                message.flags.discard("fuzzy")
            with po.open("wb") as handle:
                write_po(handle, catalog, sort_output=True, omit_header=False, ignore_obsolete=True)
    pybabel("compile", "-d", str(LOCALES), "-D", "aap", "--statistics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
