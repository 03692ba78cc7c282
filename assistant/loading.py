"""Reading questionnaires: YAML (through the strict reader, never code) into validated `Appel`
models, with every problem reported at its place in French. One broken questionnaire is reported
and never hides the others (`load_all_reporting`).

What checking a questionnaire found is kept in the user's cache (`questionnaire_cache`): a start
then skips the YAML and the lint, and `aap appels` (`offered`) even the model. The model (pydantic)
is imported where it is used, so that this module costs nothing to import."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import questionnaire_cache
from .errors import QuestionnaireError, UsageError
from .i18n import LANGUAGES, N_, _, language
from .reading import DocumentError, decode, parse_yaml_document, read_bytes
from .resources import questionnaires_dir

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from .model import Appel

MAX_QUESTIONNAIRE_BYTES = 2_000_000


@cache
def _containers() -> dict[str, str]:
    """Steps of an error's location that name an element by its id."""
    from .rules import RULE_CONTAINERS

    return {"sections": N_("section"), "questions": N_("question"), "champs": N_("champ"),
            "choix": N_("choix"), "regles": N_("règle"), "criteres": N_("critère"),
            "signaux": N_("signal"), **RULE_CONTAINERS}


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
    problems, appel = _checked(path)
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
    language); the problems are always said in the current language. Never through the cache:
    this is what `aap appels --valider` asks for."""
    try:
        content = read_bytes(path, MAX_QUESTIONNAIRE_BYTES)
    except DocumentError as error:
        return [error.problem], None
    problems, appel, _data = _check(path, content, texts_in or language())
    return problems, appel


def _check(path: Path, content: bytes, texts_in: str) -> tuple[list[str], Appel | None, Any]:
    """The problems of a questionnaire's content, or its `Appel` and the document it was built from."""
    from pydantic import ValidationError

    from .lint import lint
    from .model import Appel

    try:
        data = parse_yaml_document(decode(content, path), path)
    except DocumentError as error:
        return [error.problem], None, None
    if not isinstance(data, dict):
        return [_("le fichier doit décrire un appel (des clés id, titre, sections…)")], None, None
    try:
        appel = Appel.from_data(data, texts_in)
    except ValidationError as error:
        errors = error.errors()
        # A list whose faulty item was reported is not also « too short » for lacking it.
        return [_describe(data, e) for e in errors
                if not (e["type"] == "too_short" and any(len(o["loc"]) > len(e["loc"]) and o["loc"][:len(e["loc"])] == e["loc"]
                                                         for o in errors))], None, None
    return lint(appel), appel, data


def _checked(path: Path) -> tuple[list[str], Appel | None]:
    """`check_file` in the current language, through the cache: a fresh entry spares the YAML
    and the lint, the kept model (a private file of the user's own) pydantic's validation too;
    without it, pydantic validates what the entry holds."""
    from pydantic import ValidationError

    from .model import Appel

    try:
        content = read_bytes(path, MAX_QUESTIONNAIRE_BYTES)
    except DocumentError as error:
        return [error.problem], None
    entry = questionnaire_cache.load(path, content, language())
    if entry is not None:
        if entry.problems:
            return entry.problems, None
        kept = questionnaire_cache.load_appel(path, content, language())
        if kept is not None:
            return [], kept
        try:
            appel = Appel.from_data(entry.data, language())
        except ValidationError:
            pass  # not what was checked when it was written: the file is read again
        else:
            questionnaire_cache.store_appel(path, content, language(), appel)
            return [], appel
    entry, validated = _check_and_keep(path, content)
    return entry.problems, validated


def _check_and_keep(path: Path, content: bytes) -> tuple[questionnaire_cache.Entry, Appel | None]:
    problems, appel, data = _check(path, content, language())
    if problems or appel is None:
        entry = questionnaire_cache.Entry(problems)
    else:
        summary = questionnaire_cache.CallSummary(
            appel.id, appel.title, appel.agency, appel.deadline, appel.cap,
            sum(len(section.questions) for section in appel.sections))
        entry = questionnaire_cache.Entry([], data, summary)
    questionnaire_cache.store(path, content, language(), entry)
    if appel is not None and not problems:
        questionnaire_cache.store_appel(path, content, language(), appel)
    return entry, appel


def _describe(data: Any, error: ErrorDetails) -> str:
    """`section budget › question depenses › champ montant: type inconnu « monnaie »`."""
    from .lint import SEP
    from .rules import RULE_KINDS

    containers = _containers()
    places: list[str] = []
    node = data
    # A rule's location names its kind after its index (regles, 0, plafond, montant): not a key,
    # unlike the call's own `plafond`.
    full = error["loc"]
    loc = [step for n, step in enumerate(full)
           if not (n >= 2 and full[n - 2] == "regles" and isinstance(full[n - 1], int) and step in RULE_KINDS)]
    key = None
    for position, step in enumerate(loc):
        element = node[step] if isinstance(step, int) and isinstance(node, list) and step < len(node) else None
        # A list of elements with ids (`questions` of a section), not of ids (`questions` of a criterion).
        if isinstance(step, int) and position and loc[position - 1] in containers and isinstance(element, dict):
            ident = element.get("id")
            places.append(f"{_(containers[str(loc[position - 1])])} {ident or '#' + str(step + 1)}")
            node, key = element, None
        elif isinstance(step, str):
            key = step
            node = node.get(step) if isinstance(node, dict) else None
            if step in containers:
                continue
        else:
            key = f"{key}[{step + 1}]"
    place = SEP.join(places) or _("appel")
    return f"{place}: {_message(error, key)}"


def _message(error: ErrorDetails, key: str | None) -> str:
    from .model import FieldType
    from .rules import RULE_KINDS

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
        return _("identifiant invalide « {valeur} » pour « {cle} » : lettres minuscules sans accent, chiffres et _, "
                 "en commençant par une lettre").format(valeur=value, cle=key)
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
        "string_too_short": _("un texte non vide"),
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


def offered() -> tuple[list[questionnaire_cache.CallSummary], list[Broken]]:
    """What `aap appels` shows: each call's summary, from the cache when it is fresh (no model,
    no YAML), else from its questionnaire, checked and kept; and the questionnaires that do not
    load, as `load_all_reporting` says them."""
    summaries: list[questionnaire_cache.CallSummary] = []
    broken: list[Broken] = []
    for path in questionnaire_files():
        try:
            content = read_bytes(path, MAX_QUESTIONNAIRE_BYTES)
        except DocumentError as error:
            broken.append(Broken(path, [error.problem]))
            continue
        entry = questionnaire_cache.load(path, content, language(), document=False)
        if entry is None:
            entry, _appel = _check_and_keep(path, content)
        if entry.problems or entry.summary is None:
            broken.append(Broken(path, entry.problems))
        else:
            summaries.append(entry.summary)
    return summaries, broken


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


def find_appel(appel_id: str, prefix: bool = False) -> Appel:
    """The call of that id: its file (`ID.yaml`) when there is one, whose problems are then
    raised; else the call declaring that id in another file; else, with `prefix` (an id the user
    types), the only call whose id begins so. A dossier's stored id never takes a prefix: it
    would attach the dossier to another call."""
    for path in questionnaire_files():
        if path.stem == appel_id:
            return read_appel(path)
    appels = load_all()
    for appel in appels:
        if appel.id == appel_id:
            return appel
    known = sorted(appel.id for appel in appels)
    typed = appel_id.strip().lower()  # typed by a person: « IDF », « idf »
    starting = [appel for appel in appels if prefix and typed and appel.id.lower().startswith(typed)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise UsageError(_("« {debut} » commence l'identifiant de {n} appels : tapez-en un peu plus").format(
            debut=appel_id, n=len(starting)), sorted(appel.id for appel in starting))
    raise UsageError(_("appel inconnu « {id} » ; appels disponibles :").format(id=appel_id), known)
