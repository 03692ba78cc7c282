"""Reading questionnaires: YAML (through the strict reader, never code) into validated `Appel`
models, with every problem reported at its place in French. One broken questionnaire is reported
and never hides the others (`load_all_reporting`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import QuestionnaireError, UsageError
from .i18n import LANGUAGES, N_, _, language
from .lint import SEP, lint
from .model import RULE_KINDS, Appel, FieldType
from .reading import DocumentError, parse_yaml_document, read_text
from .resources import questionnaires_dir

MAX_QUESTIONNAIRE_BYTES = 2_000_000

# Steps of an error's location that name an element by its id.
_CONTAINERS = {"sections": N_("section"), "questions": N_("question"), "champs": N_("champ"),
               "choix": N_("choix"), "regles": N_("règle"), "fonctions_requises": N_("fonction")}


def read_appel(path: Path) -> Appel:
    """Load one questionnaire; raise QuestionnaireError listing every problem."""
    try:
        stamp = path.stat()
    except OSError:
        stamp = None
    if stamp is None:
        return _read_appel(path, 0, 0, language())
    return _read_appel(path, stamp.st_mtime_ns, stamp.st_size, language())


@lru_cache(maxsize=32)
def _read_appel(path: Path, _mtime_ns: int, _size: int, _language: str) -> Appel:
    # Keyed by modification time and size (an edited questionnaire is read again) and by the
    # language its texts were chosen in.
    problems, appel = check_file(path)
    if problems or appel is None:
        raise QuestionnaireError(
            _("le questionnaire {fichier} n'est pas valide").format(fichier=path), details=problems
        )
    return appel


def check_all_languages(path: Path) -> list[str]:
    """Every problem of a questionnaire, its translations included (`aap appels --valider`)."""
    problems, _appel = check_file(path)
    for other in (lang for lang in LANGUAGES if lang != language()):
        if problems:  # the same file's own problems come first; its translations after
            break
        problems = [f"[{other}] {problem}" for problem in check_file(path, texts_in=other)[0]]
    return problems


def check_file(path: Path, texts_in: str | None = None) -> tuple[list[str], Appel | None]:
    """Read and validate a questionnaire with its texts in `texts_in` (by default the current
    language); the problems are always said in the current language."""
    from pydantic import ValidationError

    try:
        data = parse_yaml_document(read_text(path, MAX_QUESTIONNAIRE_BYTES), path)
    except DocumentError as error:
        return [error.problem], None
    if not isinstance(data, dict):
        return [_("le fichier doit décrire un appel (des clés id, titre, sections…)")], None
    try:
        appel = Appel.from_data(data, texts_in or language())
    except ValidationError as error:
        return [_describe(data, e) for e in error.errors()], None
    return lint(appel), appel


def _describe(data: Any, error: dict[str, Any]) -> str:
    """`section budget › question depenses › champ montant: type inconnu « monnaie »`."""
    places: list[str] = []
    node = data
    # A rule's location names its kind after its index (regles, 0, plafond, montant): not a key,
    # unlike the call's own `plafond`.
    full = error["loc"]
    loc = [step for n, step in enumerate(full)
           if not (n >= 2 and full[n - 2] == "regles" and isinstance(full[n - 1], int) and step in RULE_KINDS)]
    key = None
    for position, step in enumerate(loc):
        if isinstance(step, int) and position and loc[position - 1] in _CONTAINERS:
            element = node[step] if isinstance(node, list) and step < len(node) else None
            ident = element.get("id") if isinstance(element, dict) else None
            places.append(f"{_(_CONTAINERS[loc[position - 1]])} {ident or '#' + str(step + 1)}")
            node, key = element, None
        elif isinstance(step, str):
            key = step
            node = node.get(step) if isinstance(node, dict) else None
            if step in _CONTAINERS:
                continue
        else:
            key = f"{key}[{step + 1}]"
    place = SEP.join(places) or _("appel")
    return f"{place}: {_message(error, key)}"


def _message(error: dict[str, Any], key: str | None) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return _("clé inconnue « {cle} »").format(cle=key)
    if kind == "missing":
        return _("clé obligatoire absente « {cle} »").format(cle=key)
    if kind == "enum" and key == "type":
        return _("type inconnu « {valeur} » (types possibles : {types})").format(
            valeur=value, types=", ".join(t.value for t in FieldType))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _("type de règle inconnu « {valeur} » (types possibles : {types})").format(
            valeur=error.get("ctx", {}).get("tag", value), types=", ".join(RULE_KINDS))
    if kind in ("enum", "literal_error"):
        return _("« {valeur} » n'est pas une valeur possible pour « {cle} » (attendu : {attendu})").format(
            valeur=value, cle=key, attendu=error.get("ctx", {}).get("expected", ""))
    if kind == "string_pattern_mismatch":
        return _("identifiant invalide « {valeur} » pour « {cle} » : lettres minuscules sans accent, chiffres et _, en commençant par une lettre").format(valeur=value, cle=key)
    if kind == "value_error":
        problem = str(error.get("ctx", {}).get("error", error["msg"]))
        return _("« {cle} » : {probleme}").format(cle=key, probleme=problem) if key else problem
    expected = {
        "string_type": _("un texte"), "int_type": _("un nombre entier"), "int_parsing": _("un nombre entier"),
        "decimal_parsing": _("un nombre"), "decimal_type": _("un nombre"), "bool_type": _("true ou false"),
        "bool_parsing": _("true ou false"), "date_from_datetime_parsing": _("une date AAAA-MM-JJ"),
        "date_parsing": _("une date AAAA-MM-JJ"), "date_type": _("une date AAAA-MM-JJ"),
        "list_type": _("une liste"), "tuple_type": _("une liste"), "model_type": _("un ensemble de clés"),
        "dict_type": _("un ensemble de clés"), "too_short": _("une liste non vide"),
        "finite_number": _("un nombre fini"),
        "greater_than": _("un nombre plus grand que {n}").format(n=error.get("ctx", {}).get("gt")),
        "greater_than_equal": _("un nombre au moins égal à {n}").format(n=error.get("ctx", {}).get("ge")),
        "less_than_equal": _("un nombre au plus égal à {n}").format(n=error.get("ctx", {}).get("le")),
    }.get(kind)
    if expected:
        return _("valeur invalide pour « {cle} » (attendu : {attendu})").format(cle=key, attendu=expected)
    return _("valeur invalide pour « {cle} » ({detail})").format(cle=key, detail=error["msg"])


def questionnaire_files() -> list[Path]:
    return sorted(questionnaires_dir().glob("*.yaml"))


@dataclass(frozen=True)
class Broken:
    """A questionnaire file that does not load, and why (each problem with its place)."""

    path: Path
    problems: list[str]


def load_all_reporting() -> tuple[list[Appel], list[Broken]]:
    """Every call that loads, and every questionnaire that does not: one broken file never hides
    the others."""
    appels: list[Appel] = []
    broken: list[Broken] = []
    for path in questionnaire_files():
        try:
            appels.append(read_appel(path))
        except QuestionnaireError as error:
            broken.append(Broken(path, error.details or [error.message]))
    return appels, broken


def load_all() -> list[Appel]:
    """Every call that loads; `load_all_reporting` also says which files do not."""
    return load_all_reporting()[0]


def find_appel(appel_id: str) -> Appel:
    """The call of that id: its file (`ID.yaml`) when there is one, whose problems are then
    raised; else the call declaring that id in another file."""
    for path in questionnaire_files():
        if path.stem == appel_id:
            return read_appel(path)
    appels = load_all()
    for appel in appels:
        if appel.id == appel_id:
            return appel
    known = ", ".join(sorted(appel.id for appel in appels))
    raise UsageError(_("appel inconnu « {id} » (appels disponibles : {appels})").format(id=appel_id, appels=known))
