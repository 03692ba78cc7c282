"""What an answer may hold, and the limits of a questionnaire's numbers: shared by the questions
(`model.py`), the field types (`fields/`) and the rules (`rules/`), in a module that imports
none of them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator

from .errors import InvalidAnswer
from .numeric import check_amount, check_decimal

# What one answer may hold, whatever the questionnaire says: a dossier aap accepted must be one
# it can save and read back (the store reads at most 10 MB), and one it can export (Word's
# document properties, such as the author taken from `porteur_nom`, hold 255 characters).
TEXT_MAX_LENGTH = 255
LONG_TEXT_MAX_LENGTH = 200_000  # some sixty pages
FILE_MAX_LENGTH = 1_024
MAX_GROUP_ITEMS = 1_000
# The bytes one group, and all the answers of an answers file, may take in the dossier file
# (texts are bounded by their length: 200,000 characters are 800 kB at most). The history keeps
# at most 200,000 characters of changes (dossier.HISTORY_BYTES, 800 kB), or the last change
# alone, before and after: 2 × 1 MB. A dossier filled from answers files that each stay within
# these limits is then at most 4 + 2 + a few kB of MB, under the store's 10 MB; measured at
# 5.9 MB in the worst case (tests/test_hardening_inputs.py). Answers added over several files
# or in the dialogue add up: only the dossier as a whole can be checked against 10 MB.
MAX_ANSWER_BYTES = 1_000_000
MAX_ANSWERS_BYTES = 4_000_000


def _checked(check: Any) -> Any:
    """A questionnaire's number within the limits an answer has (a cap of 1e400 would pass
    validation and then break every display of the call)."""
    def validate(value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        try:
            check(value, format(value, "f") if value.is_finite() else str(value))
        except InvalidAnswer as refused:
            raise ValueError(refused.message) from None
        return value
    return AfterValidator(validate)


AmountLimit = Annotated[Decimal, _checked(check_amount)]
NumberLimit = Annotated[Decimal, _checked(check_decimal)]

