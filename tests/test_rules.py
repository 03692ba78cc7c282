"""Rule kinds are one class each, in one registry; the language is a context of each run; the
core's findings are plain text, and typography is added where a person reads them."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, ClassVar, Literal, Union

import pytest
import yaml
from builders import IDF, dossier_from, example_answers
from conftest import ROOT, run_aap
from pydantic import Field, TypeAdapter

from assistant import i18n, loading, output
from assistant.checks import Context, check
from assistant.lint import lint
from assistant.model import Appel
from assistant.rules import KINDS, RULE_CONTAINERS, RULE_KINDS, RuleKind

NO_BREAK = ("\u00a0", "\u202f")
IDF_FILE = ROOT / "questionnaires" / f"{IDF}.yaml"


def _faulty() -> dict:
    answers = copy.deepcopy(example_answers())
    answers["montant_demande"] = "45 000"  # over the cap: « Montant demandé : 45 000,00 € ; … »
    answers["equipe"][3]["role"] = "membre"  # « (« membre ») n'est pas assez précis »
    return answers


# -- one registry of rule kinds ------------------------------------------------------------------


def test_the_kind_names_the_union_and_the_evaluation_come_from_one_registry():
    assert RULE_KINDS == ("plafond", "comparaison", "obligatoire", "nombre", "roles", "tous_coches", "egal_a",
                          "date_limite", "condition", "elements")
    appel = loading.find_appel(IDF)
    assert {type(rule) for rule in appel.rules} == set(KINDS)
    for kind in KINDS:
        assert kind.placeholders, kind
        assert kind.evaluate is not RuleKind.evaluate, kind
    assert RULE_CONTAINERS == {"fonctions_requises": "fonction"}


def test_an_unknown_kind_is_refused_naming_every_kind_in_the_registry(tmp_path):
    data = yaml.safe_load(IDF_FILE.read_text(encoding="utf-8"))
    data["regles"][0]["type"] = "plafonnement"
    path = tmp_path / "appel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems, _appel = loading.check_file(path)
    rule_id = data["regles"][0]["id"]
    assert any(p.startswith(f"règle {rule_id}: type de règle inconnu « plafonnement »") and ", ".join(RULE_KINDS) in p
               for p in problems), problems


def test_an_error_inside_a_kinds_own_list_is_placed_by_the_kind(tmp_path):
    data = yaml.safe_load(IDF_FILE.read_text(encoding="utf-8"))
    roles = next(rule for rule in data["regles"] if rule["type"] == "roles")
    roles["fonctions_requises"][0]["motif"] = ["x"]
    path = tmp_path / "appel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems, _appel = loading.check_file(path)
    assert f"règle {roles['id']} › fonction #1: clé inconnue « motif »" in problems, problems


def test_a_rule_kind_is_one_class_model_placeholders_lint_and_evaluation():
    """A made-up kind, written as a new module would be: the union takes it, lint checks its
    question and its message, the checks' context evaluates it."""

    class MinimumRule(RuleKind):
        placeholders: ClassVar[frozenset[str]] = frozenset({"montant"})
        kind: Literal["minimum"] = Field(alias="type")
        question: str

        def lint(self, appel: Appel) -> list[str]:
            return [] if appel.question(self.question) else [f"question inconnue « {self.question} »"]

        def evaluate(self, context: Context) -> Iterator:
            amount = context.amount(self.question)
            if amount is not None and amount < 50_000:
                yield context.finding(self, self.message, self.question, montant=i18n.format_amount(amount))

    union = TypeAdapter(Annotated[Union[(*KINDS, MinimumRule)], Field(discriminator="kind")])
    rule = union.validate_python({"id": "m", "type": "minimum", "gravite": "erreur", "question": "montant_demande",
                                  "source": "La demande est d'au moins 50 000 €.", "message": "Trop peu : {montant} ; {inconnu}"})
    appel = loading.find_appel(IDF)
    problems = rule.problems(appel)
    assert len(problems) == 1 and "{inconnu}" in problems[0] and "« minimum »" in problems[0]
    rule = union.validate_python({"id": "m", "type": "minimum", "gravite": "erreur", "question": "montant_demande",
                                  "source": "La demande est d'au moins 50 000 €.", "message": "Trop peu : {montant}"})
    assert rule.problems(appel) == []
    findings = list(rule.evaluate(Context(dossier_from(example_answers()), date(2022, 10, 1))))
    assert [(f.rule, f.kind, f.message) for f in findings] == [("m", "minimum", "Trop peu : 40 000,00 €")]


def test_lint_of_the_shipped_calls_is_clean_and_catches_a_wrong_operand():
    appel = loading.find_appel(IDF)
    assert lint(appel) == []
    data = json.loads(appel.model_dump_json(by_alias=True, exclude_none=True))
    data["regles"].append({"id": "z", "type": "comparaison", "gravite": "erreur", "gauche": {"champ": "montant"},
                           "operateur": "<=", "droite": {"question": "montant_demande"}, "message": "x", "source": "x"})
    assert lint(Appel.model_validate(data)) == [
        "règle z: « champ » ne va qu'avec « pour_chaque » ou une condition sur les éléments d'un groupe"]


# -- plain text in the core, typography where a person reads ---------------------------------------


def test_findings_are_plain_text_in_the_core():
    findings = check(dossier_from(_faulty()), date(2022, 10, 1))
    cap = next(f for f in findings if f.kind == "plafond")
    assert "Montant demandé : 45 000,00 € ; l'appel accorde 40 000,00 € à chaque établissement retenu" in cap.message
    for finding in findings:
        for text in (finding.message, *finding.values.values()):
            assert not any(space in text for space in NO_BREAK), text


def test_typography_puts_back_what_babel_and_french_want():
    assert i18n.typography("Montant : 45 000,00 € ; « membre » 62,5 %") == (
        "Montant\u00a0: 45\u202f000,00\u00a0€\u00a0; «\u00a0membre\u00a0» 62,5\u00a0%")
    amount = i18n.format_amount(__import__("decimal").Decimal("45000"))
    assert i18n.typography(i18n.plain(amount)) == amount
    with i18n.use_language("en"):
        assert i18n.typography("Amount: 45 000") == "Amount: 45 000"


@pytest.fixture(scope="module")
def faulty_dossier(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("verifier")
    env = {"AAP_DOSSIERS": str(folder / "dossiers")}
    answers = folder / "faute.yaml"
    answers.write_text(yaml.safe_dump({"appel": IDF, "nom": "faute", "reponses": _faulty()}, allow_unicode=True),
                       encoding="utf-8")
    filled = run_aap("remplir", "--reponses", str(answers), env=env)
    assert filled.returncode == 0, filled.stderr
    return env


def test_verifier_json_has_no_no_break_space_and_the_terminal_has_french_typography(faulty_dossier):
    as_json = run_aap("verifier", "faute", "--json", env=faulty_dossier)
    assert as_json.returncode == 1, as_json.stderr
    assert not any(space in as_json.stdout for space in NO_BREAK)
    data = json.loads(as_json.stdout)
    cap = next(f for f in data["constats"] if f["type"] == "plafond")
    assert "Montant demandé : 45 000,00 € ; l'appel accorde 40 000,00 € à chaque établissement retenu" in cap["message"]
    assert cap["valeurs"]["montant"] == "45 000,00 €"

    shown = run_aap("verifier", "faute", env=faulty_dossier)
    assert shown.returncode == 1
    assert "demandé\u00a0: 45\u202f000,00\u00a0€\u00a0;" in shown.stdout
    assert "(«\u00a0membre\u00a0»)" in shown.stdout


def test_verifier_json_in_english_is_plain_too(faulty_dossier):
    as_json = run_aap("--langue", "en", "verifier", "faute", "--json", env=faulty_dossier)
    assert as_json.returncode == 1
    assert not any(space in as_json.stdout for space in NO_BREAK)


# -- the language is a context of each run -----------------------------------------------------------


def test_main_gives_the_callers_language_back(capsys):
    from assistant.cli import main

    try:
        assert main(["--langue", "en", "appels"]) == 0
        assert "Available calls" in capsys.readouterr().out
        assert i18n.language() == "fr"
        assert main(["appels"]) == 0
        assert "Appels à projets disponibles" in capsys.readouterr().out
    finally:
        output.console.cache_clear()
        output.err_console.cache_clear()


def test_use_language_and_kept_language_restore_the_language():
    with i18n.use_language("en"):
        assert i18n.language() == "en" and i18n._("Bloquant") == "Blocking"
        with i18n.kept_language():
            i18n.set_language("fr")
            assert i18n._("Bloquant") == "Bloquant"
        assert i18n.language() == "en"
    assert i18n.language() == "fr"


def test_the_questionnaire_cache_follows_the_language():
    french = loading.read_appel(IDF_FILE)
    with i18n.use_language("en"):
        english = loading.read_appel(IDF_FILE)
    again = loading.read_appel(IDF_FILE)
    assert english.title != french.title
    assert again is french  # the cache keeps one per language
