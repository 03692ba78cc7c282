"""The building blocks of the questionnaire models: a strict base model, identifiers, and the
texts that may carry their translations."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, _

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


def _localized(value: Any, info: ValidationInfo) -> Any:
    """A text is French, or a mapping of translations `{fr: …, en: …}`; the language asked for
    (the validation context's `langue`) is kept, French where it has no translation."""
    if not isinstance(value, dict):
        return value
    unknown = sorted(str(key) for key in value if key not in LANGUAGES)
    if unknown:
        raise ValueError(_("langue inconnue « {langue} » (langues disponibles : {disponibles})").format(
            langue=unknown[0], disponibles=", ".join(LANGUAGES)))
    if not isinstance(value.get(DEFAULT_LANGUAGE), str) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(_("chaque traduction est un texte, et le texte français (fr) est obligatoire"))
    language = (info.context or {}).get("langue", DEFAULT_LANGUAGE)
    return value.get(language) or value[DEFAULT_LANGUAGE]


# A text shown to the user: label, help, guidance, title, rule message.
Text = Annotated[str, BeforeValidator(_localized)]


class Model(BaseModel):
    # Validators are built at the first validation, not at import: a start whose questionnaire
    # comes validated from the cache (`questionnaire_cache.load_appel`) never builds them.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
