"""One error hierarchy, one exit code per kind of failure (as commitizen does)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    CHECKS_FAILED = 1
    BAD_INPUT = 2
    INTERRUPTED = 130


class AapError(Exception):
    """An error the user can act on: its message is already translated, one clear line."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class UsageError(AapError):
    """Bad command-line usage."""


class InvalidAnswer(AapError):
    """An answer a parser refused; the message says what was expected."""


class QuestionnaireError(AapError):
    """A questionnaire file that does not load; `details` holds every problem with its place."""


class DossierError(AapError):
    """A dossier that cannot be read, written or locked."""


class ChecksFailed(AapError):
    exit_code = ExitCode.CHECKS_FAILED
