"""The strict reader of the documents aap is given: answers files (YAML or JSON), questionnaires
(YAML) and dossiers (JSON).

A received file is data, and data that can be large, deep or strange. Every rule below is a
French message naming the file and, where known, the line, instead of a crash or a hang:

- size: bounded while reading (`read_text`), so `/dev/zero` or a pipe cannot exhaust memory;
- nesting: at most MAX_DEPTH levels, counted before the text reaches a recursive parser (the
  composer of libyaml's binding and the json scanner recurse on the C stack: 30,000 nested `[`
  overflow it where libyaml has no nesting limit of its own);
- YAML: no alias (`*nom` repeats content, and repeats repeated content: a few kB become
  gigabytes for the validation that follows), no tag but the standard scalar and collection
  ones, no merge key, no duplicate key (the second silently replaced the first), keys are texts,
  dates that exist, floats read exactly as Decimal;
- numbers: finite (NaN and Infinity become `null` on the next save) and of at most
  MAX_NUMBER_DIGITS digits (Python refuses to read an integer of more than 4,300 digits);
- JSON: an escaped surrogate pair (`"\\ud83d\\ude00"`, what json.dumps writes for an emoji) is
  the character it encodes; a lone surrogate is no character and is removed, since no file
  could be saved with it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from .errors import AapError
from .files import FileTooLarge, read_limited, reason
from .i18n import _
from .text import shorten

MAX_DEPTH = 50
MAX_NUMBER_DIGITS = 100

# Explicit tags a document may carry: those a plain YAML or JSON value would resolve to anyway.
_YAML_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in
                       ("null", "bool", "int", "float", "str", "seq", "map", "timestamp"))
_MERGE_TAG = "tag:yaml.org,2002:merge"


class DocumentError(AapError):
    """A document the strict reader refused. `message` names the file; `problem` says what and
    where without it (for a report that already names the file); `syntax` tells a text that is
    not JSON or YAML at all (truncated, hand-edited: `line` and `column` say where it stops
    making sense) from one that is but breaks a rule."""

    def __init__(self, path: Path | str, problem: str, syntax: bool = False,
                 line: int | None = None, column: int | None = None,
                 missing: bool = False, too_large: bool = False):
        super().__init__(_("{fichier} : {probleme}").format(fichier=path, probleme=problem))
        self.path = path
        self.problem = problem
        self.syntax = syntax
        self.line = line
        self.column = column
        # Why a file could not be read at all, for a caller that says it in its own words
        # (the store: « aucun dossier … »).
        self.missing = missing
        self.too_large = too_large


class _Refused(Exception):
    """A rule broken somewhere inside a parse; becomes a DocumentError with the file's name."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None):
        super().__init__(problem)
        self.problem = _placed(problem, line, column)


def _placed(problem: str, line: int | None, column: int | None) -> str:
    if line is None:
        return problem
    return _("{ou} : {probleme}").format(ou=_where(line, column), probleme=problem)


def _where(line: int, column: int | None) -> str:
    return _("ligne {ligne}, colonne {colonne}").format(ligne=line, colonne=column or 1)


# -- reading -----------------------------------------------------------------------------------


def read_bytes(path: Path, limit: int) -> bytes:
    """The one reader of the files a user gives aap (dossiers, answers files, questionnaires):
    their bytes, never more than `limit` read; DocumentError saying why in French otherwise
    (`missing` and `too_large` tell the two cases a caller may word its own way)."""
    try:
        return read_limited(path, limit)
    except FileTooLarge:
        raise DocumentError(path, _("fichier trop volumineux ({taille} Mo au plus)").format(
            taille=megabytes(limit)), too_large=True) from None
    except FileNotFoundError:
        raise DocumentError(path, _("lecture impossible : {raison}").format(
            raison=_("le fichier n'existe pas")), missing=True) from None
    except OSError as error:
        raise DocumentError(path, _("lecture impossible : {raison}").format(raison=reason(error))) from None


def read_text(path: Path, limit: int) -> str:
    """The text of a UTF-8 file (a byte order mark is allowed), through `read_bytes`."""
    return decode(read_bytes(path, limit), path)


def decode(raw: bytes, path: Path | str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(path, _("le fichier n'est pas en UTF-8")) from None


def megabytes(size: int) -> str:
    """A size in megabytes as the language writes it, rounded up to a tenth: « 4,1 »."""
    from decimal import ROUND_UP

    from .i18n import format_decimal

    return format_decimal((Decimal(size) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_UP).normalize())


def parse_document(text: str, path: Path) -> object:
    """An answers file: JSON when it is JSON (a `.json` file, or a text that opens with `{` or
    `[` and parses as JSON), YAML otherwise (YAML's `{a: b}` is not JSON)."""
    if path.suffix.lower() == ".json":
        return parse_json_text(text, path)
    if text.lstrip()[:1] in ("{", "["):
        try:
            return parse_json_text(text, path)
        except DocumentError as error:
            if not error.syntax:
                raise
    return parse_yaml_document(text, path)


# -- JSON --------------------------------------------------------------------------------------

# A JSON string (skipped: brackets inside a text do not nest) or a bracket.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_TOKENS = re.compile(_JSON_STRING.pattern + r"|[\[\]{}]", re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json_document(raw: bytes, path: Path | str) -> object:
    """A JSON document from its bytes; DocumentError (naming `path`) for anything refused."""
    return parse_json_text(decode(raw, path), path)


def parse_json_text(text: str, path: Path | str) -> object:
    try:
        _check_json_depth(text)
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant,
                          parse_int=_json_int, parse_float=_json_float)
    except _Refused as refused:
        raise DocumentError(path, refused.problem) from None
    except json.JSONDecodeError as error:
        raise DocumentError(path, _("JSON invalide {ou} : {probleme}").format(
            ou=_where(error.lineno, error.colno), probleme=error.msg), syntax=True,
            line=error.lineno, column=error.colno) from None
    except RecursionError:  # a smaller C stack than MAX_DEPTH needs: still a message
        raise DocumentError(path, _too_deep()) from None
    if _ESCAPED_SURROGATE.search(text):
        try:
            data = _without_lone_surrogates(data)
        except _Refused as refused:
            raise DocumentError(path, refused.problem) from None
    return data


def _check_json_depth(text: str) -> None:
    # Counted in C first (texts removed, then every other character but brackets); the slow
    # walk below only runs to say where a document too deep goes too deep.
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0) <= MAX_DEPTH:
        return
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                position = token.start()
                line = text.count("\n", 0, position) + 1
                raise _Refused(_too_deep(), line, position - text.rfind("\n", 0, position))
        elif bracket in ("]", "}"):
            depth -= 1


def _too_deep() -> str:
    return _("plus de {n} niveaux d'imbrication (listes ou ensembles de clés emboîtés)").format(n=MAX_DEPTH)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(_duplicate(key))
        result[key] = value
    return result


def _duplicate(key: str) -> str:
    return _("la clé « {cle} » apparaît deux fois au même niveau : gardez-en une seule").format(cle=shorten(key))


def _json_constant(name: str) -> Any:
    raise _Refused(_not_finite(name))


def _not_finite(value: str) -> str:
    return _("« {valeur} » n'est pas un nombre fini : écrivez un nombre").format(valeur=value)


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Refused(_too_many_digits(text))
    return int(text)


def _json_float(text: str) -> Decimal:
    return _bounded(Decimal(text), text)


def _too_many_digits(text: str) -> str:
    return _("« {valeur} » : un nombre a au plus {n} chiffres").format(valeur=shorten(text), n=MAX_NUMBER_DIGITS)


def _bounded(number: Decimal, text: str) -> Decimal:
    """A finite Decimal of at most MAX_NUMBER_DIGITS digits, before and after the point."""
    if not number.is_finite():
        raise _Refused(_not_finite(shorten(text)))
    digits = len(number.as_tuple().digits)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if digits > MAX_NUMBER_DIGITS or not -MAX_NUMBER_DIGITS <= exponent <= MAX_NUMBER_DIGITS - digits:
        raise _Refused(_too_many_digits(text))
    return number


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return _json_object([(_SURROGATE.sub("", key), _without_lone_surrogates(item)) for key, item in value.items()])
    return value


# -- YAML --------------------------------------------------------------------------------------


def parse_yaml_document(text: str, path: Path | str) -> object:
    """A YAML document (one, possibly empty: None); DocumentError (naming `path`) for anything
    refused. Read twice by libyaml when PyYAML has it: once as a stream of events (no
    recursion) to check depth, aliases and tags, then into Python values by a constructor that
    refuses duplicate keys, non-text keys, impossible dates and unbounded numbers."""
    import yaml

    try:
        _check_events(text)
        loader = _strict_loader()(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _Refused as refused:
        raise DocumentError(path, refused.problem) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        if "maximum nesting depth" in problem:  # libyaml's own limit, when it has one (1,000)
            raise DocumentError(path, _too_deep()) from None
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        where = _where(line, column) if line else ""
        raise DocumentError(path, _("syntaxe YAML invalide {ou} : {probleme}").format(ou=where, probleme=problem),
                            syntax=True, line=line, column=column) from None
    except RecursionError:
        raise DocumentError(path, _too_deep()) from None


def _base_loader() -> type:
    import yaml

    # libyaml's parser, several times faster, which the dialogue's start-up feels; the same safe
    # subset (never code) either way.
    loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def _check_events(text: str) -> None:
    import yaml

    loader = _base_loader()(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            if isinstance(event, yaml.AliasEvent):
                raise _Refused(_("l'alias « *{nom} » n'est pas accepté : recopiez le contenu à cet endroit").format(
                    nom=shorten(str(event.anchor))), line, column)
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _YAML_TAGS:
                raise _Refused(_("l'étiquette « {etiquette} » n'est pas acceptée : retirez-la").format(
                    etiquette=shorten(str(tag))), line, column)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refused(_too_deep(), line, column)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _strict_loader() -> type:
    return _make_strict_loader(_base_loader())


@cache
def _make_strict_loader(base: type) -> type:
    from yaml.constructor import SafeConstructor
    from yaml.nodes import MappingNode

    def refuse(node: Any, problem: str) -> _Refused:
        mark = node.start_mark
        return _Refused(problem, mark.line + 1, mark.column + 1) if mark else _Refused(problem)

    class StrictLoader(base):  # type: ignore[misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
            if not isinstance(node, MappingNode):
                mapping_as_is: dict[str, Any] = super().construct_mapping(node, deep=deep)  # its own error
                return mapping_as_is
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:
                    raise refuse(key_node, _("la clé de fusion « << » n'est pas acceptée : recopiez le contenu à cet endroit"))
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, str):
                    raise refuse(key_node, _("la clé « {cle} » n'est pas un texte : mettez-la entre guillemets").format(
                        cle=shorten(str(key_node.value))))
                if key in mapping:
                    raise refuse(key_node, _duplicate(key))
                mapping[key] = self.construct_object(value_node, deep=deep)
            return mapping

        def construct_yaml_int(self, node: Any) -> int:
            text = str(self.construct_scalar(node))
            if len(text.replace("_", "").lstrip("+-")) > MAX_NUMBER_DIGITS:
                raise refuse(node, _too_many_digits(text))
            try:
                number: int = SafeConstructor.construct_yaml_int(self, node)
            except (ValueError, IndexError):
                raise refuse(node, _("« {valeur} » n'est pas un nombre entier").format(valeur=shorten(text))) from None
            if abs(number) >= 10 ** MAX_NUMBER_DIGITS:  # 0x…, 0b… and base 60 (1:30) are shorter
                raise refuse(node, _too_many_digits(text))
            return number

        def construct_yaml_float(self, node: Any) -> Decimal:
            text = str(self.construct_scalar(node))
            value = text.replace("_", "").lower()
            if len(value.lstrip("+-")) > 2 * MAX_NUMBER_DIGITS:
                raise refuse(node, _too_many_digits(text))
            try:
                if ":" in value:  # YAML 1.1's base 60: 1:30.5 is 90.5
                    sign = -1 if value.startswith("-") else 1
                    number = Decimal(0)
                    for part in value.lstrip("+-").split(":"):
                        number = number * 60 + Decimal(part)
                    number *= sign
                else:
                    number = Decimal(value.replace(".inf", "inf").replace(".nan", "nan"))
                return _bounded(number, text)
            except InvalidOperation:
                raise refuse(node, _("« {valeur} » n'est pas un nombre").format(valeur=shorten(text))) from None
            except _Refused as refused:
                raise refuse(node, str(refused.args[0])) from None

        def construct_yaml_bool(self, node: Any) -> bool:
            text = str(self.construct_scalar(node))
            if text.lower() not in self.bool_values:
                raise refuse(node, _("« {valeur} » n'est ni true ni false").format(valeur=shorten(text)))
            value: bool = self.bool_values[text.lower()]
            return value

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return SafeConstructor.construct_yaml_timestamp(self, node)
            except (ValueError, AttributeError, TypeError, OverflowError):
                raise refuse(node, _("« {valeur} » n'est pas une date qui existe").format(
                    valeur=shorten(str(node.value)))) from None

    for name in ("int", "float", "bool", "timestamp"):
        StrictLoader.add_constructor(f"tag:yaml.org,2002:{name}", getattr(StrictLoader, f"construct_yaml_{name}"))
    return StrictLoader


# -- sizes -------------------------------------------------------------------------------------


def encoded_size(value: Any, depth: int = 0) -> int:
    """The bytes a JSON value takes in a dossier file (UTF-8, indented by 2), written `depth`
    levels deep: what the store's size limit counts."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return len(text.encode("utf-8", "surrogatepass")) + text.count("\n") * 2 * depth
