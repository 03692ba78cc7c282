"""Bounded inputs (issue 11): answers files, questionnaires and answer values that used to crash,
hang or be silently accepted are each refused with a French message saying the limit, and one
broken questionnaire never hides the others.

The strict reader (`assistant.reading`) is imported inside the tests that use it, so that each
test shows its own failure on the code before it."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from contextlib import suppress
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import IDF, dossier_from, example_answers
from conftest import ROOT, plain, run_aap
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant import loading, parsing
from assistant.errors import AapError, InvalidAnswer
from assistant.model import FieldType, Question

APPEL = loading.find_appel(IDF)
BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"
QUESTIONNAIRE = (ROOT / "questionnaires" / f"{IDF}.yaml").read_text(encoding="utf-8")


def answers_file(tmp_path: Path, body: str, name: str = "reponses.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def yaml_answers(tmp_path: Path, answers: str) -> Path:
    """An answers file to IDF's call whose `reponses:` block is `answers` (already indented)."""
    return answers_file(tmp_path, f"appel: {IDF}\nnom: essai\nreponses:\n{answers}")


def read_and_parse(path: Path) -> dict[str, Any]:
    from assistant.answers import parse_answers, read_answers_file

    return parse_answers(APPEL, read_answers_file(path).answers)


def refusal(path: Path) -> str:
    """Everything the user is told about a refused answers file, on one line."""
    with pytest.raises(AapError) as caught:
        read_and_parse(path)
    return plain(" ".join([caught.value.message, *caught.value.details]))


def question(kind: FieldType, **extra: Any) -> Question:
    return Question.model_validate({"id": "q", "libelle": "Q", "type": kind.value, **extra})


def refused(parser, raw) -> str:
    with pytest.raises(InvalidAnswer) as caught:
        parser(raw)
    return plain(" ".join([caught.value.message, *caught.value.details]))


# -- the strict reader: size --------------------------------------------------------------------


def _limit_memory() -> None:
    # 2 GB of address space: reading /dev/zero without a bound fails instead of taking the machine.
    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))


def test_answers_from_dev_zero_are_refused_not_read_until_memory_runs_out(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AAP_")},
           "AAP_DOSSIERS": str(tmp_path / "dossiers"), "NO_COLOR": "1", "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "assistant", "remplir", "--reponses", "/dev/zero"],
                            check=False, capture_output=True, text=True, env=env, timeout=120,
                            preexec_fn=_limit_memory,
                            cwd=ROOT)
    assert result.returncode == 2, result.stderr
    assert "trop volumineux" in plain(result.stderr) and "Mo au plus" in plain(result.stderr)
    assert "erreur inattendue" not in result.stderr


# -- the strict reader: nesting -----------------------------------------------------------------


def test_deep_nesting_in_an_answers_file_is_refused_with_the_limit(tmp_path):
    for depth in (60, 30_000):
        path = yaml_answers(tmp_path, "  etablissement: " + "[" * depth + "]" * depth + "\n")
        assert "50 niveaux d'imbrication" in refusal(path)


def test_deep_nesting_in_a_questionnaire_is_a_problem_line(tmp_path):
    path = answers_file(tmp_path, "[" * 30_000 + "]" * 30_000, "appel.yaml")
    problems, appel = loading.check_file(path)
    assert appel is None and any("50 niveaux d'imbrication" in p for p in problems)


def test_deep_nesting_is_refused_even_where_libyaml_has_no_nesting_limit(tmp_path, monkeypatch):
    # Older libyaml has no nesting limit: its binding then recurses on the C stack until it
    # crashes (exit 139). The pure-Python loader stands for it here: its recursion fails too.
    monkeypatch.delattr(yaml, "CSafeLoader")
    path = yaml_answers(tmp_path, "  etablissement: " + "[" * 30_000 + "]" * 30_000 + "\n")
    assert "50 niveaux d'imbrication" in refusal(path)
    problems, _appel = loading.check_file(answers_file(tmp_path, "- " * 30_000 + "x\n", "appel.yaml"))
    assert any("50 niveaux d'imbrication" in p for p in problems)


def test_deep_nesting_in_a_json_document_is_refused():
    from assistant.reading import DocumentError, parse_json_document

    for depth in (51, 100_000):
        with pytest.raises(DocumentError, match="50 niveaux"):
            parse_json_document(b"[" * depth + b"]" * depth, Path("dossier.json"))
    # Brackets inside a text do not nest.
    assert parse_json_document(json.dumps({"a": "[" * 1000}).encode(), Path("d.json")) == {"a": "[" * 1000}


# -- the strict reader: YAML aliases, tags, duplicate keys, dates ----------------------------------


def test_yaml_aliases_are_refused_in_answers(tmp_path):
    path = yaml_answers(tmp_path, "  etablissement: &nom CH A\n  porteur_fonction: *nom\n")
    assert "alias « *nom »" in refusal(path)


def test_a_questionnaire_repeating_sections_through_aliases_is_refused_quickly(tmp_path):
    # 8 kB of YAML: 1,000 sections of 200 questions each, all the same through aliases.
    head = QUESTIONNAIRE[:QUESTIONNAIRE.index("sections:")]
    body = ("questions_: &q {id: q, libelle: Q, type: texte}\n"
            "section_: &s {id: s, titre: T, questions: [" + ", ".join(["*q"] * 200) + "]}\n"
            "sections: [" + ", ".join(["*s"] * 1000) + "]\n")
    path = answers_file(tmp_path, head + body, "alias.yaml")
    start = time.monotonic()
    problems, appel = loading.check_file(path)
    assert time.monotonic() - start < 5
    assert appel is None and any("alias" in p for p in problems)


@pytest.mark.parametrize("value, expected", [
    ("!!int 'x'", "« x » n'est pas un nombre entier"),
    ("!!bool 'peut-etre'", "« peut-etre » n'est ni true ni false"),
    ("!!float 'abc'", "« abc » n'est pas un nombre"),
    ("!!python/name:os.system", "l'étiquette « tag:yaml.org,2002:python/name:os.system » n'est pas acceptée"),
    ("!!binary 'AAAA'", "l'étiquette « tag:yaml.org,2002:binary » n'est pas acceptée"),
    ("!!set {a, b}", "l'étiquette « tag:yaml.org,2002:set » n'est pas acceptée"),
    ("!maison x", "l'étiquette « !maison » n'est pas acceptée"),
])
def test_unknown_or_ill_typed_tags_are_refused_with_a_message(tmp_path, value, expected):
    message = refusal(yaml_answers(tmp_path, f"  etablissement: {value}\n"))
    assert expected in message and "ligne 4" in message


def test_a_second_reponses_key_is_refused_not_silently_dropping_the_first(tmp_path):
    path = answers_file(tmp_path, f"appel: {IDF}\nnom: essai\nreponses:\n  etablissement: CH A\n"
                                  "reponses:\n  porteur_nom: Claire Martin\n")
    assert "la clé « reponses » apparaît deux fois" in refusal(path)


def test_duplicate_keys_in_a_questionnaire_are_reported(tmp_path):
    path = answers_file(tmp_path, QUESTIONNAIRE.replace("plafond: 40000", "plafond: 40000\nplafond: 50000"), "a.yaml")
    problems, appel = loading.check_file(path)
    assert appel is None and any("la clé « plafond » apparaît deux fois" in p for p in problems)


def test_a_date_that_does_not_exist_is_a_message(tmp_path):
    path = yaml_answers(tmp_path, "  calendrier:\n    - etape: Lancement\n      echeance: 2023-02-30\n")
    assert "« 2023-02-30 » n'est pas une date qui existe" in refusal(path)
    problems, _ = loading.check_file(answers_file(tmp_path, QUESTIONNAIRE.replace(
        "date_limite: 2022-10-21", "date_limite: 2022-02-30"), "a.yaml"))
    assert any("2022-02-30" in p for p in problems)


def test_an_implausible_year_from_a_yaml_date_is_refused_like_a_typed_one(tmp_path):
    path = yaml_answers(tmp_path, "  calendrier:\n    - etape: Lancement\n      echeance: 0001-01-01\n")
    assert "l'année 1 n'est pas plausible" in refusal(path)


def test_non_text_keys_are_refused(tmp_path):
    assert "la clé « 1 » n'est pas un texte" in refusal(yaml_answers(tmp_path, "  1: CH A\n"))


# -- the strict reader: numbers --------------------------------------------------------------------


def test_an_integer_past_pythons_digit_limit_is_a_message(tmp_path):
    path = yaml_answers(tmp_path, "  actes_par_an: " + "1" * 5000 + "\n")
    assert "un nombre a au plus 100 chiffres" in refusal(path)
    path = answers_file(tmp_path, json.dumps({"appel": IDF, "nom": "x", "reponses": {}})[:-2]
                        + '"actes_par_an": ' + "1" * 5000 + "}}", "r.json")
    assert "un nombre a au plus 100 chiffres" in refusal(path)


def test_a_decimal_of_thousands_of_digits_is_refused_not_rounded(tmp_path):
    # A YAML float used to be a float: 0.000…01 became 0.0 without a word.
    path = yaml_answers(tmp_path, "  actes_par_an: 0." + "0" * 5000 + "1\n")
    assert "un nombre a au plus 100 chiffres" in refusal(path)
    path = yaml_answers(tmp_path, "  actes_par_an: 1" + "0" * 5000 + ".0\n")
    assert "un nombre a au plus 100 chiffres" in refusal(path)


def test_yaml_floats_are_read_exactly():
    from assistant.reading import parse_yaml_document

    assert parse_yaml_document("a: 0.1\nb: 123456789012345.123456\n", "x.yaml") == {
        "a": Decimal("0.1"), "b": Decimal("123456789012345.123456")}


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(tmp_path, constant):
    body = '{"appel": "' + IDF + '", "nom": "x", "reponses": {"etablissement": ' + constant + "}}"
    assert f"« {constant} » n'est pas un nombre fini" in refusal(answers_file(tmp_path, body, "r.json"))


# -- the strict reader: JSON and Unicode ------------------------------------------------------------


def test_json_escaped_emoji_is_the_emoji(tmp_path):
    # What json.dumps writes by default: the surrogate pair \ud83d\ude00.
    body = json.dumps({"appel": IDF, "nom": "x", "reponses": {"etablissement": "CH \U0001F600"}})
    assert "\\ud83d\\ude00" in body
    assert read_and_parse(answers_file(tmp_path, body, "r.json"))["etablissement"] == "CH \U0001F600"
    # JSON in a file named .yaml is JSON too.
    assert read_and_parse(answers_file(tmp_path, body, "r.yaml"))["etablissement"] == "CH \U0001F600"


def test_a_lone_surrogate_is_removed_and_the_dossier_saves(tmp_path):
    from assistant.reading import parse_json_document

    assert parse_json_document(b'{"a": "CH\\ud83d A", "b\\udc00": ["\\ude00"]}', "d.json") == {"a": "CH A", "b": [""]}
    body = '{"appel": "' + IDF + '", "nom": "x", "reponses": {"etablissement": "CH\\ud83d A"}}'
    parsed = read_and_parse(answers_file(tmp_path, body, "r.json"))
    assert parsed["etablissement"] == "CH A"
    json.dumps(parsed).encode("utf-8")


def test_json_duplicate_keys_are_refused():
    from assistant.reading import DocumentError, parse_json_document

    with pytest.raises(DocumentError, match="la clé « nom » apparaît deux fois"):
        parse_json_document(b'{"nom": "a", "nom": "b"}', "d.json")


def test_document_errors_name_the_file_and_tell_syntax_from_rules():
    from assistant.reading import DocumentError, parse_json_document, parse_yaml_document

    with pytest.raises(DocumentError) as broken:
        parse_json_document(b'{"nom": ', Path("/tmp/ch.json"))
    assert broken.value.syntax and "/tmp/ch.json" in broken.value.message and "ligne 1" in broken.value.message
    with pytest.raises(DocumentError) as rule:
        parse_yaml_document("a: 1\na: 2\n", Path("/tmp/ch.yaml"))
    assert not rule.value.syntax and rule.value.message.startswith("/tmp/ch.yaml")
    assert rule.value.problem.startswith("ligne 2, colonne 1")
    with pytest.raises(DocumentError, match="UTF-8"):
        parse_json_document(b"\xff\xfe{}", "d.json")


# -- answer values ------------------------------------------------------------------------------


def test_numbers_say_their_digit_limits():
    assert "15 chiffres au plus" in refused(parsing.parse_integer, "1" * 16)
    assert "15 chiffres au plus" in refused(parsing.parse_decimal, "1" * 16 + ",5")
    assert "6 décimales au plus" in refused(parsing.parse_decimal, "0," + "0" * 5000 + "1")
    assert "6 décimales au plus" in refused(parsing.parse_percentage, "12,1234567 %")
    assert "999 999 999 999,99 €" in refused(parsing.parse_amount, "1 000 000 000 000")
    # Trailing zeros are no precision.
    assert parsing.parse_decimal("0,50000000") == Decimal("0.5")


def test_a_long_input_is_not_echoed_whole_in_its_message():
    from assistant.identifiers import parse_finess, parse_siret

    for parser in (parsing.parse_integer, parsing.parse_decimal, parsing.parse_amount, parsing.parse_email,
                   parsing.parse_phone, parsing.parse_date, parse_finess, parse_siret):
        assert len(refused(parser, "x" * 100_000)) < 1000


@pytest.mark.parametrize("parser, raw", [
    (parsing.parse_amount, -0.0), (parsing.parse_amount, Decimal("-0")),
    (parsing.parse_decimal, "-0,0"), (parsing.parse_decimal, -0.0), (parsing.parse_percentage, "-0 %"),
])
def test_minus_zero_is_zero_and_reads_back(parser, raw):
    from assistant.values import encode

    kind = {parsing.parse_amount: FieldType.AMOUNT, parsing.parse_decimal: FieldType.DECIMAL,
            parsing.parse_percentage: FieldType.PERCENTAGE, parsing.parse_integer: FieldType.INTEGER}[parser]
    value = parser(raw)
    saved = encode(question(kind), value)
    assert not str(saved).startswith("-")
    assert parser(saved) == value and encode(question(kind), parser(saved)) == saved


_NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True), st.integers(), st.floats(),
    st.from_regex(r"\A-?[0-9]{0,20}([.,][0-9]{0,10})?\Z"), st.text(max_size=30),
)


@settings(max_examples=400, deadline=None)
@example(kind=FieldType.AMOUNT, raw=-0.0)
@example(kind=FieldType.DECIMAL, raw=Decimal("0E+5"))
@example(kind=FieldType.DECIMAL, raw=Decimal("0E-9"))
@example(kind=FieldType.INTEGER, raw="-0")
@given(kind=st.sampled_from([FieldType.AMOUNT, FieldType.DECIMAL, FieldType.PERCENTAGE, FieldType.INTEGER]),
       raw=_NUMBERS)
def test_whatever_a_number_parser_accepts_reads_back_from_its_saved_form(kind, raw):
    from assistant.values import encode

    q = question(kind)
    try:
        value = parsing.parse_answer(q, raw)
    except InvalidAnswer:
        return
    saved = encode(q, value)
    again = parsing.parse_answer(q, json.loads(json.dumps(saved)))
    assert again == value and encode(q, again) == saved


def test_text_answers_are_bounded_and_say_their_limit():
    assert "255 au plus" in refused(lambda raw: parsing.parse_answer(question(FieldType.TEXT), raw), "a" * 256)
    assert parsing.parse_answer(question(FieldType.TEXT), "a" * 255) == "a" * 255
    long_text = question(FieldType.LONG_TEXT)
    assert "200000 au plus" in refused(lambda raw: parsing.parse_answer(long_text, raw), "a" * 200_001)
    assert "1024 au plus" in refused(lambda raw: parsing.parse_answer(question(FieldType.FILE), raw), "a" * 1025)
    # The questionnaire's own longueur_max still applies below the type's limit.
    assert "200 au plus" in refused(lambda raw: parsing.parse_answer(APPEL.question("etablissement"), raw), "a" * 201)


def test_any_accepted_porteur_nom_can_be_exported(tmp_path):
    # Word's document properties hold 255 characters; the author is the establishment (the
    # cover's applicant), the title the project's.
    from docx import Document

    from assistant.checks import check
    from assistant.word.document import Mode, export

    for length in (200, 255, 300):
        answers = {**example_answers(), "porteur_nom": "N" * length, "etablissement": "E" * length}
        try:
            dossier = dossier_from(answers)
        except AapError:
            continue
        path = export(dossier, check(dossier, date(2026, 11, 22)), Mode.REVIEW, tmp_path / f"n{length}.docx")
        assert Document(str(path)).core_properties.author == "E" * length


def test_a_group_has_at_most_a_thousand_items():
    equipe = APPEL.question("equipe")
    member = {"nom": "A", "fonction": "Infirmière", "role": "Coordonne le parcours des patients", "etp": "0,1"}
    assert len(parsing.parse_answer(equipe, [member] * 1000)) == 1000
    assert "au plus 1000 éléments" in refused(lambda raw: parsing.parse_answer(equipe, raw), [member] * 1001)


def test_a_group_item_taking_more_than_a_megabyte_is_refused():
    equipe = APPEL.question("equipe")
    member = {"nom": "\U0001F600" * 255, "fonction": "\U0001F600" * 255, "role": "\U0001F600" * 255}
    message = refused(lambda raw: parsing.parse_answer(equipe, raw), [member] * 1000)
    assert "Mo dans le dossier ; 1 Mo au plus" in message


def test_a_group_item_cannot_hide_a_nested_structure():
    # A guard: this already held, and must go on holding with the new limits.
    equipe = APPEL.question("equipe")
    deep = {"nom": [[["x"]]], "fonction": {"a": {"b": 1}}, "role": "Coordonne le parcours des patients"}
    message = refused(lambda raw: parsing.parse_answer(equipe, raw), [deep])
    assert "[1].nom: un texte est attendu" in message and "[1].fonction: un texte est attendu" in message


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidi_overrides_are_removed_from_answers(char):
    assert parsing.parse_text(f"CH {char}A") == "CH A"
    assert parsing.parse_long_text(f"Projet{char}\n\ncontexte") == "Projet\n\ncontexte"


def test_thousands_of_mistakes_are_reported_by_their_first_fifty(tmp_path):
    body = "".join(f"  inconnue_{n}: x\n" for n in range(5000))
    with pytest.raises(AapError) as caught:
        read_and_parse(yaml_answers(tmp_path, body))
    assert len(caught.value.details) == 51 and "4950 autres problèmes" in plain(caught.value.details[-1])


# -- whatever is accepted can be saved and read back ------------------------------------------------


def _big_group(members: int) -> list[dict[str, str]]:
    return [{"nom": f"Membre {n}", "fonction": "Infirmière", "role": "Coordonne le parcours", "etp": "0,1"}
            for n in range(members)]


def test_an_answers_file_never_makes_a_dossier_too_large_to_read(tmp_path):
    # 45,000 short team members: a 4.4 MB file used to become a dossier of 13.6 MB that no
    # command would read again.
    home = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    body = json.dumps({"appel": IDF, "nom": "gros", "reponses": {"equipe": _big_group(45_000)}}, ensure_ascii=False)
    path = answers_file(tmp_path, body, "gros.json")
    filled = run_aap("remplir", "--reponses", str(path), env=home)
    if filled.returncode == 0:
        assert (tmp_path / "dossiers" / "gros.json").stat().st_size <= 10_000_000
        assert run_aap("montrer", "gros", env=home).returncode == 0
    else:
        assert filled.returncode == 2 and "au plus 1000 éléments" in plain(filled.stderr)


def test_answers_at_every_limit_fit_the_store_twice_over(tmp_path):
    # Worst case of one answers file, then a second one replacing the biggest answers: the
    # dossier (answers and history) stays under the store's limit and reads back.
    from assistant.answers import MAX_ANSWERS_BYTES, parse_answers
    from assistant.model import MAX_ANSWER_BYTES
    from assistant.reading import encoded_size
    from assistant.values import encode

    def size(question_id: str, raw: Any, depth: int = 2) -> int:
        q = APPEL.question(question_id)
        return encoded_size(encode(q, parsing.parse_answer(q, raw)), depth)

    # The biggest group the per-answer limit allows, then texts at their limits up to the budget.
    emoji = "\U0001F600"
    member = {"nom": emoji * 255, "fonction": emoji * 255, "role": emoji * 255, "etp": "0,1"}
    members = [member] * int(MAX_ANSWER_BYTES * 0.99 / size("equipe", [member], 4))
    answers: dict[str, Any] = {"equipe": members}
    total = size("equipe", members)
    for q in APPEL.questions():
        if q.type in (FieldType.TEXT, FieldType.LONG_TEXT):
            text = emoji * q.length_limit
            if total + size(q.id, text) > MAX_ANSWERS_BYTES:
                text = emoji * ((MAX_ANSWERS_BYTES - total) // 8)
            answers[q.id] = text
            total += size(q.id, text)
    assert MAX_ANSWERS_BYTES * 0.95 < total <= MAX_ANSWERS_BYTES
    parse_answers(APPEL, answers)  # accepted
    home = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    first = answers_file(tmp_path, json.dumps({"appel": IDF, "nom": "pire", "reponses": answers}, ensure_ascii=False),
                         "a.json")
    assert run_aap("remplir", "--reponses", str(first), env=home).returncode == 0
    second_answers = {"equipe": [dict(m, nom="\U0001F601" * 255) for m in members]}
    second = answers_file(tmp_path, json.dumps({"appel": IDF, "nom": "pire", "reponses": second_answers},
                                               ensure_ascii=False), "b.json")
    assert run_aap("remplir", "--reponses", str(second), env=home).returncode == 0
    assert (tmp_path / "dossiers" / "pire.json").stat().st_size < 10_000_000  # 5.9 MB when written
    shown = run_aap("montrer", "pire", env=home)
    assert shown.returncode == 0, shown.stderr


def test_answers_over_the_budget_are_refused_saying_it(tmp_path):
    from assistant.answers import parse_answers

    emoji = "\U0001F600"
    answers = {q.id: emoji * 100_000 for q in APPEL.questions() if q.type is FieldType.LONG_TEXT}
    answers.update({q.id: [{"libelle": emoji * 255, "valeur_cible": emoji * 255}] * 300
                    for q in APPEL.questions() if q.id == "indicateurs"})
    answers["equipe"] = [{"nom": emoji * 255, "fonction": emoji * 255, "role": emoji * 255, "etp": "0,1"}] * 300
    answers["annexes"] = [{"titre": emoji * 255, "fichier": "a.pdf", "description": emoji * 255}] * 300
    with pytest.raises(AapError) as caught:
        parse_answers(APPEL, answers)
    assert any("Mo dans le dossier ; 4 Mo au plus" in plain(d) for d in caught.value.details)


# -- questionnaires -----------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, expected", [
    ("plafond: 40000", "plafond: '1e400'", "plafond"),
    ("plafond: 40000", "plafond: 1e400", "plafond"),
    ("plafond: 40000", "plafond: .inf", "ligne 26, colonne 10 : « .inf » n'est pas un nombre fini"),
    ("plafond: 40000", "plafond: '40000.001'", "plafond"),
    ("montant: 40000", "montant: '1e20'", "règle plafond_subvention"),
    ("        min: 0", "        min: '1e400'", "min"),
])
def test_absurd_numbers_in_a_questionnaire_are_refused_by_validation(tmp_path, old, new, expected):
    assert old in QUESTIONNAIRE
    path = answers_file(tmp_path, QUESTIONNAIRE.replace(old, new, 1), "a.yaml")
    problems, appel = loading.check_file(path)
    assert appel is None and any(expected in p for p in problems), problems


@pytest.mark.parametrize("old, new, expected", [
    ("        longueur_max: 200", "        longueur_max: 1000", "« longueur_max » : 255 au plus pour le type « texte »"),
    ("        min_elements: 1", "        min_elements: 1\n        max_elements: 5000", "max_elements"),
])
def test_questionnaire_limits_beyond_what_an_answer_may_hold_are_refused(tmp_path, old, new, expected):
    assert old in QUESTIONNAIRE
    problems, appel = loading.check_file(answers_file(tmp_path, QUESTIONNAIRE.replace(old, new, 1), "a.yaml"))
    assert appel is None and any(expected in plain(p) for p in problems), problems


def test_aap_valider_reports_an_absurd_cap_and_appels_would_not_crash(tmp_path):
    path = answers_file(tmp_path, QUESTIONNAIRE.replace("plafond: 40000", "plafond: '1e400'"), "a.yaml")
    result = run_aap("appels", "--valider", str(path))
    assert result.returncode == 2 and "plafond" in plain(result.stderr)


@pytest.fixture
def questionnaires(tmp_path, monkeypatch):
    """A questionnaires folder holding the two shipped calls and a broken one."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    for name in (IDF, BRETAGNE):
        (folder / f"{name}.yaml").write_text((ROOT / "questionnaires" / f"{name}.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    (folder / "casse-2026.yaml").write_text("id: casse-2026\ntitre: [\n", encoding="utf-8")
    monkeypatch.setattr(loading, "questionnaires_dir", lambda: folder)
    return folder


def test_one_broken_questionnaire_does_not_hide_the_others(questionnaires):
    assert sorted(a.id for a in loading.load_all()) == [BRETAGNE, IDF]
    appels, broken = loading.load_all_reporting()
    assert len(appels) == 2
    assert [b.path.name for b in broken] == ["casse-2026.yaml"] and "syntaxe YAML invalide" in broken[0].problems[0]
    assert loading.find_appel(IDF).id == IDF and loading.find_appel(BRETAGNE).id == BRETAGNE


def test_the_broken_call_itself_is_reported_with_its_problems(questionnaires):
    # A guard: asked for by its id, a broken call is still reported, not skipped.
    from assistant.errors import QuestionnaireError

    with pytest.raises(QuestionnaireError) as caught:
        loading.find_appel("casse-2026")
    assert caught.value.details and "syntaxe YAML invalide" in caught.value.details[0]


def test_aap_appels_lists_the_good_calls_beside_a_broken_one(questionnaires, capsys, monkeypatch):
    from assistant import cli

    monkeypatch.setenv("COLUMNS", "300")
    assert cli.main(["appels"]) == 0
    captured = capsys.readouterr()
    shown = plain(captured.out)
    assert IDF in shown and BRETAGNE in shown
    assert "n'est pas valide" in plain(captured.err) and "aap appels --valider" in plain(captured.err)


# -- properties ----------------------------------------------------------------------------------


class Raw(str):
    """A JSON text written as is: what json.dumps will not write (NaN, 5,000 digits, lone surrogates)."""


_NASTY = st.sampled_from([
    Raw("NaN"), Raw("-Infinity"), Raw("1" * 5000), Raw("1e400"), Raw("-0.0"), Raw("0." + "0" * 300 + "1"),
    Raw('"\\ud83d"'), Raw('"\\ud83d\\ude00"'), Raw("[" * 60 + "]" * 60), Raw('"2023-02-30"'), Raw('"\\u202e"'),
    Raw('"' + "a" * 300 + '"'), Raw('{"a": 1, "a": 2}'),
])
_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=40), _NASTY)
_VALUES = st.recursive(_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                       max_leaves=20)
_KEYS = st.one_of(st.sampled_from([q.id for q in APPEL.questions()]), st.text(max_size=12))


def _dump(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    return json.dumps(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(answers=st.dictionaries(_KEYS, _VALUES, max_size=6), top=st.dictionaries(st.text(max_size=8), _VALUES, max_size=2))
def test_any_json_value_at_any_key_is_accepted_or_refused_with_a_message(tmp_path, answers, top):
    from assistant.answers import parse_answers, read_answers_file
    from assistant.dossier import Dossier
    from assistant.values import encode

    body = "{" + ", ".join([f'"appel": "{IDF}"', '"nom": "x"', f'"reponses": {_dump(answers)}',
                            *(f"{json.dumps(k)}: {_dump(v)}" for k, v in top.items())]) + "}"
    # The same text read as JSON, and as YAML (which reads most JSON, with its own rules).
    for name, text in (("r.json", body), ("r.yaml", "# YAML\n" + body)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        try:
            parsed = parse_answers(APPEL, read_answers_file(path).answers)
        except AapError:
            continue
        # Accepted: it saves as JSON and every answer reads back through its parser.
        dossier = Dossier.new("x", APPEL)
        for question_id, value in parsed.items():
            dossier.set(question_id, value)
        saved = json.loads(dossier.to_file().model_dump_json(by_alias=True).encode("utf-8"))
        for question_id, raw in saved["reponses"].items():
            q = APPEL.question(question_id)
            assert encode(q, parsing.parse_answer(q, raw)) == raw


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.text(alphabet="[]{}-:,&*!'\"? \n\t0123456789abx.#|>%@", max_size=200)))
def test_any_text_is_a_yaml_value_or_a_document_error(text):
    from assistant.reading import DocumentError, parse_yaml_document

    with suppress(DocumentError):
        parse_yaml_document(text, "x.yaml")


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=200),
                     st.text(alphabet='[]{}",:0123456789.eE-+ \\uNaIfity', max_size=200).map(str.encode)))
def test_any_bytes_are_a_json_value_or_a_document_error(raw):
    from assistant.reading import DocumentError, parse_json_document

    try:
        value = parse_json_document(raw, "x.json")
    except DocumentError:
        return
    json.dumps(value, default=str).encode("utf-8")  # a value that can be saved again
