"""Where the shipped data lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    # A wheel carries the data under assistant/_data (see pyproject's force-include);
    # a source checkout or an editable install reads it from the repository's top folder.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name


def questionnaires_dir() -> Path:
    return data_dir("questionnaires")


def locales_dir() -> Path:
    return data_dir("locales")
