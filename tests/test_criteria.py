"""The selection criteria a questionnaire declares (`criteres`) and the grid `aap evaluer` reads
from them: validated at load with located errors, statuses from the answers, the rules and the
signals, the same grid in the terminal, in JSON, in the dialogue and in the review document."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, plain, run_aap

from assistant import loading
from assistant.answers import apply_answers, parse_answers
from assistant.checks import check
from assistant.criteria import Status, assess
from assistant.dossier import Dossier
from assistant.model import Appel

IMAGINARY = FIXTURES / "questionnaires" / "appel_imaginaire.yaml"
IMAGINARY_ANSWERS = FIXTURES / "reponses" / "appel_imaginaire.yaml"
TODAY = date(2027, 1, 15)

# Criteria for the imaginary call, written with the questionnaire language alone.
CRITERIA: list[dict[str, Any]] = [
    {"id": "projet_decrit", "libelle": "Description du projet", "attendu": "Ce que fait le dispositif, pour qui.",
     "questions": ["description", "pathologies"],
     "signaux": [{"test": {"question": "description", "mentionne": ["infirmière", "infirmier"]},
                  "sinon": "Dites qui traite les alertes."}]},
    {"id": "calendrier", "libelle": "Un calendrier réaliste", "attendu": "Des étapes datées.",
     "questions": ["calendrier"],
     "signaux": [{"test": {"question": "calendrier", "compte": {"min": 3, "tel_que": {"champ": "echeance", "renseigne": True}}},
                  "sinon": "Datez au moins trois étapes."}]},
    {"id": "budget", "libelle": "Un budget justifié", "attendu": "Chaque ligne dit ce qu'elle paie.",
     "questions": ["depenses", "montant_demande"], "regles": ["budget_present"],
     "signaux": [{"test": {"question": "depenses", "compte": {"max": 0, "tel_que": {"champ": "libelle", "longueur_min": 60}}},
                  "sinon": "Gardez des libellés courts."}]},
]


def _questionnaire(tmp_path: Path, criteria: list[dict[str, Any]]) -> Path:
    data = yaml.safe_load(IMAGINARY.read_text(encoding="utf-8"))
    data["criteres"] = copy.deepcopy(criteria)
    path = tmp_path / "appel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _appel(tmp_path: Path, criteria: list[dict[str, Any]] = CRITERIA) -> Appel:
    problems, appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert problems == [] and appel is not None, problems
    return appel


def _answers() -> dict[str, Any]:
    """The imaginary call's complete dossier, its description over a fifth of its advised length."""
    answers = yaml.safe_load(IMAGINARY_ANSWERS.read_text(encoding="utf-8"))["reponses"]
    answers["description"] = "\n\n".join([answers["description"].strip()] * 5)
    return answers


def _grid(appel: Appel, answers: dict[str, Any]) -> dict[str, Any]:
    dossier = Dossier.new("essai", appel)
    apply_answers(dossier, parse_answers(appel, answers))
    return {row.criterion.id: row for row in assess(dossier, check(dossier, TODAY))}


# -- declared and checked at load ---------------------------------------------------------------

@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c[0]["questions"].append("budget_total"), "critère projet_decrit: question inconnue « budget_total »"),
    (lambda c: c[2]["regles"].append("plafond"), "critère budget: règle inconnue « plafond »"),
    (lambda c: c[0]["signaux"][0]["test"].update(question="resume"),
     "critère projet_decrit › signal #1: la condition nomme une question inconnue « resume »"),
    (lambda c: c[1]["signaux"][0]["test"]["compte"]["tel_que"].update(champ="date"),
     "critère calendrier › signal #1: le groupe calendrier n'a pas de champ « date »"),
    (lambda c: c.append(copy.deepcopy(c[0])), "critère projet_decrit: identifiant en double"),
])
def test_a_criterion_that_names_what_the_call_lacks_is_a_located_error(tmp_path, change, expected):
    criteria = copy.deepcopy(CRITERIA)
    change(criteria)
    problems, _appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert expected in [plain(p) for p in problems], problems


def test_a_criterion_with_a_key_of_its_own_or_no_question_is_refused(tmp_path):
    criteria = copy.deepcopy(CRITERIA)
    criteria[0]["poids"] = 3
    criteria[1]["questions"] = []
    problems, _appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert sorted(plain(p) for p in problems) == [
        "critère calendrier: valeur invalide pour « questions » (attendu : une liste non vide)",
        "critère projet_decrit: clé inconnue « poids »"], problems


def test_aap_appels_valider_locates_a_criterion_error(tmp_path):
    criteria = copy.deepcopy(CRITERIA)
    criteria[2]["questions"].append("cout_total")
    result = run_aap("appels", "--valider", str(_questionnaire(tmp_path, criteria)))
    assert result.returncode == 2
    assert "critère budget: question inconnue « cout_total »" in plain(result.stdout + result.stderr)


# -- the statuses ------------------------------------------------------------------------------

def test_the_complete_imaginary_dossier_reads_solid_where_it_is(tmp_path):
    grid = _grid(_appel(tmp_path), _answers())
    assert grid["projet_decrit"].status is Status.SOLID, grid["projet_decrit"].weak
    assert grid["budget"].status is Status.SOLID, grid["budget"].weak
    assert grid["budget"].next_step is None
    # Three dated steps: the signal holds; what it provides is said with its measure.
    assert grid["calendrier"].status is Status.SOLID
    assert [(p.question, p.measure) for p in grid["calendrier"].provided] == [("calendrier", "3 lignes")]


def test_a_long_answer_under_a_third_of_its_advised_length_is_said_brief(tmp_path):
    answers = _answers()
    answers["description"] = "Une infirmière traite les alertes du matin. " * 16 + "Une infirmi"  # 715 characters
    grid = _grid(_appel(tmp_path), answers)
    assert [plain(w) for w in grid["projet_decrit"].weak] == [
        "Développez « Description du projet » : 715 caractères, pour 4 000 conseillés au plus."]
    assert plain(grid["projet_decrit"].provided[0].measure) == "715 caractères, 4 000 conseillés au plus"


def test_a_criterion_none_of_whose_questions_is_answered_is_absent(tmp_path):
    answers = _answers()
    del answers["calendrier"]
    grid = _grid(_appel(tmp_path), answers)
    assert grid["calendrier"].status is Status.ABSENT
    assert grid["calendrier"].provided == []
    assert plain(grid["calendrier"].next_step) == "Répondez à « Calendrier de mise en œuvre »."


def test_a_failing_signal_makes_the_criterion_to_strengthen_with_its_advice_first(tmp_path):
    answers = _answers()
    answers["calendrier"] = answers["calendrier"][:2]
    grid = _grid(_appel(tmp_path), answers)
    assert grid["calendrier"].status is Status.TO_STRENGTHEN
    assert grid["calendrier"].next_step == "Datez au moins trois étapes."
    assert grid["projet_decrit"].status is Status.SOLID  # only that one is flagged


def test_a_missing_required_question_of_a_partly_answered_criterion_comes_before_its_signals(tmp_path):
    answers = _answers()
    del answers["pathologies"]
    answers["description"] = "La télésurveillance suit les patients à domicile."
    grid = _grid(_appel(tmp_path), answers)
    row = grid["projet_decrit"]
    assert row.status is Status.TO_STRENGTHEN
    assert [plain(w) for w in row.weak] == [
        "Répondez à « Pathologies suivies en télésurveillance ».", "Dites qui traite les alertes.",
        "Développez « Description du projet » : 49 caractères, pour 4 000 conseillés au plus."]


def test_a_finding_of_a_rule_the_criterion_names_is_what_to_do_first(tmp_path):
    answers = _answers()
    del answers["montant_demande"]
    grid = _grid(_appel(tmp_path), answers)
    row = grid["budget"]
    assert row.status is Status.TO_STRENGTHEN
    assert "montant" in row.next_step.lower(), row.weak


def test_count_with_max_zero_says_no_item_meets_the_condition(tmp_path):
    answers = _answers()
    answers["depenses"][0]["libelle"] = "Balances connectées et tensiomètres, 200 kits livrés et installés chez les patients"
    grid = _grid(_appel(tmp_path), answers)
    assert grid["budget"].weak == ["Gardez des libellés courts."]


def test_a_call_without_criteria_has_an_empty_grid_and_says_so(tmp_path):
    appel = _appel(tmp_path, [])
    dossier = Dossier.new("essai", appel)
    assert assess(dossier, []) == []


# -- examples: every one parses, and a long one is shown on request -----------------------------

def _all_questions(appel: Appel):
    for question in appel.questions():
        yield question
        yield from question.fields


@pytest.mark.parametrize("call", ["idf-2022-actes-interventionnels", "bretagne-2025-chirurgie-ambulatoire"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_example_passes_its_own_parser(call, language):
    from assistant.fields import kind_of
    from assistant.i18n import use_language
    from assistant.model import FieldType

    with use_language(language):
        appel = loading.find_appel(call)
        examples = 0
        for question in _all_questions(appel):
            if question.example is None:
                continue
            examples += 1
            value = kind_of(question).parse(question, question.example)  # raises InvalidAnswer if not
            assert value not in (None, "", []), question.id
            if question.type is FieldType.LONG_TEXT:
                assert len(question.example) <= (question.advised_length or question.length_limit), question.id
    assert examples >= 20


@pytest.mark.parametrize("call", ["idf-2022-actes-interventionnels", "bretagne-2025-chirurgie-ambulatoire"])
def test_every_long_text_question_has_an_example(call):
    from assistant.model import FieldType

    appel = loading.find_appel(call)
    assert [q.id for q in _all_questions(appel) if q.type is FieldType.LONG_TEXT and not q.example] == []


def _play(keys: str, appel: Appel, question_id: str, answers: dict[str, Any] | None = None) -> tuple[Dossier, str]:
    from io import StringIO

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from rich.console import Console

    from assistant.dialogue import TerminalAsker
    from assistant.flow import Flow

    dossier = Dossier.new("essai", appel)
    if answers:
        apply_answers(dossier, parse_answers(appel, answers))
    section = appel.section_of(question_id)
    dossier.position = dossier.position.model_copy(update={"section": section.id, "question": question_id})
    screen = StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        console = Console(file=screen, width=100, force_terminal=False, color_system=None)
        pipe.send_text(keys)
        pipe.close()
        Flow(dossier, lambda d: None, TerminalAsker(console, pt_input=pipe, pt_output=DummyOutput()),
             checks=check, today=date(2025, 7, 1)).run()
    return dossier, plain(screen.getvalue())


BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"


def test_a_long_answer_example_is_shown_on_exemple_only_and_the_answer_is_still_asked():
    appel = loading.find_appel(BRETAGNE)
    question = appel.question("resume_projet")
    dossier, screen = _play("/exemple\rNotre résumé." + "\x1b\r/quitter\r", appel, "resume_projet")
    first_line = plain(question.example).splitlines()[0]
    hint = screen.index("Tapez /exemple pour voir un exemple de réponse.")
    shown = screen.index(first_line)
    assert hint < shown  # not before it was asked for
    assert screen.count(first_line) == 1
    assert "un exemple pour vous guider, à ne pas recopier" in screen
    assert dossier.get("resume_projet") == "Notre résumé."  # the prompt came back for the answer


def test_a_short_answer_example_is_shown_with_the_question():
    appel = loading.find_appel(BRETAGNE)
    _dossier, screen = _play("/quitter\r", appel, "porteur_fonction")
    assert "Exemple : " + plain(appel.question("porteur_fonction").example) in screen


def test_evaluer_in_the_dialogue_shows_the_grid():
    appel = loading.find_appel(BRETAGNE)
    _dossier, screen = _play("/evaluer\r/quitter\r", appel, "titre_projet")
    screen = " ".join(screen.split())
    assert "Grille de lecture du dossier" in screen and "ne prédit pas la note du comité" in screen
    assert "absent — Les étapes critiques du circuit ambulatoire" in screen


# -- the review document opens with the grid, after « État du dossier » --------------------------

def test_the_review_document_has_the_grid_after_the_status_page_and_the_submission_none(tmp_path):
    from builders import dossier_from, example_answers
    from docx import Document

    from assistant.word.document import Mode, export

    dossier = dossier_from(example_answers())
    findings = check(dossier, date(2022, 10, 20))
    grid = assess(dossier, findings)
    export(dossier, findings, Mode.REVIEW, tmp_path / "relecture.docx")
    document = Document(str(tmp_path / "relecture.docx"))
    headings = [plain(p.text) for p in document.paragraphs if p.style.name == "Heading 1"]
    title = "Grille de lecture : les critères de sélection de l’appel"
    assert headings[:3] == ["État du dossier", title, "Synthèse du projet"]
    texts = [plain(p.text) for p in document.paragraphs]
    assert "ne prédit pas la note du comité" in texts[texts.index(title) + 1]
    tables = [[[plain(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]
    # The table that follows the grid's title and its warning, before the summary's.
    rows = next(t for t in tables if t[0][0] == "Critère de l’appel")
    assert tables.index(rows) == [t[0][0] for t in tables].index("Bloquant") + 1
    assert rows[0] == ["Critère de l’appel", "Le dossier apporte", "À renforcer", "État"]
    assert [r[0].split("\n")[0] for r in rows[1:]] == [plain(row.criterion.label).replace("'", "’") for row in grid]
    assert all("\nLe comité regarde : " in r[0] for r in rows[1:])
    assert [r[3] for r in rows[1:]] == [{"solide": "solide", "a_renforcer": "à renforcer"}[row.status.value] for row in grid]
    for row, cells in zip(grid, rows[1:]):
        if row.next_step:
            assert cells[2].startswith("À faire d’abord : ")
        assert all(plain(p.title).replace("'", "’") in cells[1] for p in row.provided)
    export(dossier, findings, Mode.SUBMISSION, tmp_path / "depot.docx")
    assert not any(title in plain(p.text) for p in Document(str(tmp_path / "depot.docx")).paragraphs)


# -- the two calls' grids --------------------------------------------------------------------------

IDF = "idf-2022-actes-interventionnels"
IDF_DAY = date(2022, 10, 20)  # the day before the deadline


def _idf_grid(answers: dict[str, Any]) -> dict[str, Any]:
    from builders import dossier_from

    dossier = dossier_from(answers)
    return {row.criterion.id: row for row in assess(dossier, check(dossier, IDF_DAY))}


def test_the_idf_call_declares_its_seven_criteria_in_its_words():
    appel = loading.find_appel(IDF)
    assert [c.id for c in appel.criteria] == [
        "description_attendue", "equipe_roles", "methode_travail", "place_patient", "outils_has", "couts",
        "programme_evaluation"]
    # « Le choix des candidatures repose notamment sur les critères suivants : », as the call writes them.
    assert [c.label for c in appel.criteria] == [
        "Description du projet selon les éléments attendus dans le dossier de candidature",
        "Composition de l'équipe projet, avec le détail précis du rôle de chaque professionnel",
        "Qualité de la méthode de travail proposée",
        "Place accordée au patient et/ou à son entourage et aux aidants : qualité de l'information donnée au patient",
        "Utilisation d'outils recommandés par la HAS dans le domaine de la santé (Check-list)",
        "Estimation prévisionnelle des coûts et justification des crédits alloués",
        "Programme d'évaluation du projet détaillé permettant d'apprécier une mise en cohérence de l'ensemble du projet "
        "au regard de l'objectif et des ressources"]


def test_the_complete_idf_example_reads_solid_everywhere():
    from builders import example_answers

    grid = _idf_grid(example_answers())
    assert {cid: row.status for cid, row in grid.items()} == dict.fromkeys(grid, Status.SOLID), \
        {cid: row.weak for cid, row in grid.items() if row.weak}


def test_a_nearly_empty_idf_dossier_reads_absent_everywhere_with_the_first_question_to_answer():
    grid = _idf_grid({"etablissement": "Centre hospitalier des Tilleuls", "titre_projet": "Un parcours ambulatoire"})
    assert {row.status for row in grid.values()} == {Status.ABSENT}
    assert plain(grid["equipe_roles"].next_step) == "Répondez à « Équipe projet »."
    assert plain(grid["methode_travail"].next_step) == "Répondez à « Méthode de travail »."


@pytest.mark.parametrize(("criterion", "change"), [
    ("methode_travail", {"methode_travail": "Des réunions de l'équipe projet ont lieu régulièrement."}),
    ("place_patient", {"information_patient": None}),
    ("equipe_roles", {"equipe": [{"nom": "Claire Martin", "fonction": "Cadre de santé", "role": "Membre", "etp": "0,3"}]}),
    ("couts", {"perennisation": None}),
])
def test_a_dossier_strong_everywhere_but_one_criterion_flags_only_that_one(criterion, change):
    from builders import example_answers

    answers = example_answers()
    for key, value in change.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    grid = _idf_grid(answers)
    flagged = {cid for cid, row in grid.items() if row.status is not Status.SOLID}
    assert flagged == {criterion}, {cid: grid[cid].weak for cid in flagged}
    assert grid[criterion].status is Status.TO_STRENGTHEN and grid[criterion].next_step


def test_aap_evaluer_prints_the_grid_and_json_and_exits_0(tmp_path):
    from builders import example_answers

    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    answers = example_answers()
    answers["methode_travail"] = "Des réunions de l'équipe projet ont lieu régulièrement."
    path = tmp_path / "faible.yaml"
    path.write_text(yaml.safe_dump({"appel": IDF, "nom": "faible", "reponses": answers}, allow_unicode=True),
                    encoding="utf-8")
    assert run_aap("remplir", "--reponses", str(path), env=env).returncode == 0
    result = run_aap("evaluer", "faible", "--date", "2022-10-20", env=env)
    assert result.returncode == 0, result.stderr
    out = plain(result.stdout)
    assert "elle ne prédit pas la note du comité" in " ".join(out.split())
    assert "3. ◐ à renforcer — Qualité de la méthode de travail proposée" in out
    assert "➜ À faire d'abord : Dites qui valide le parcours et les documents" in out or \
        "➜ À faire d'abord : Dites qui pilote le projet" in out
    assert "Critères : solide : 6 · à renforcer : 1 · absent : 0" in out
    data = json.loads(run_aap("evaluer", "faible", "--json", "--date", "2022-10-20", env=env).stdout)
    assert data["date"] == "2022-10-20" and "ne prédit pas" in data["avertissement"]
    method = next(c for c in data["criteres"] if c["id"] == "methode_travail")
    assert method["statut"] == "a_renforcer" and method["prochaine_etape"] == method["a_renforcer"][0]
    assert method["apporte"][0] == {"question": "methode_travail", "titre": "Méthode de travail",
                                    "mesure": method["apporte"][0]["mesure"]}
    assert run_aap("evaluer", "inconnu", env=env).returncode == 2


def test_an_optional_answer_missing_comes_after_what_the_committee_looks_for():
    from builders import example_answers

    answers = example_answers()
    del answers["formation"]
    answers["methode_travail"] = ("Un comité de pilotage mensuel suit le projet ; la CME valide les chemins cliniques, "
                                  "la commission des usagers les documents remis aux patients.")
    row = _idf_grid(answers)["methode_travail"]
    assert [plain(w) for w in row.weak][:2] == [
        "Nommez la méthode d'amélioration : cycle PDCA, audits, patient traceur, retours d'expérience.",
        "Répondez à « Plan de formation »."], row.weak


# -- what a first reader found (fresh eyes) --------------------------------------------------------

def test_a_long_answer_over_its_advised_length_is_to_shorten(tmp_path):
    answers = _answers()
    answers["description"] = "Une infirmière traite les alertes du matin. " * 100  # 4 400 characters, 4 000 advised
    grid = _grid(_appel(tmp_path), answers)
    assert [plain(w) for w in grid["projet_decrit"].weak] == [
        "Raccourcissez « Description du projet » : 4 399 caractères, pour 4 000 conseillés au plus."]


def test_the_same_text_given_to_two_questions_is_said(tmp_path):
    from builders import example_answers

    answers = example_answers()
    answers["information_patient"] = answers["parcours_patient"]
    row = _idf_grid(answers)["place_patient"]
    assert row.status is Status.TO_STRENGTHEN
    assert "« Information du patient et de son entourage » reprend mot pour mot « Parcours patient visé » : " \
           "dites ce que cette question demande." in [plain(w) for w in row.weak]


def test_an_unreadable_saved_answer_is_said_as_the_checks_say_it_not_as_missing():
    from builders import dossier_from, example_answers

    dossier = dossier_from(example_answers())
    del dossier.answers["objectifs"]
    dossier.raw["objectifs"] = 12
    dossier.invalid["objectifs"] = "« 12 » n'est pas un texte"
    findings = check(dossier, IDF_DAY)
    row = {r.criterion.id: r for r in assess(dossier, findings)}["description_attendue"]
    unreadable = next(f for f in findings if f.question == "objectifs")
    assert row.next_step == unreadable.message
    assert not any(w.startswith("Répondez à « Objectifs") for w in row.weak)


def test_a_criterion_listing_a_question_or_rule_twice_is_refused(tmp_path):
    criteria = copy.deepcopy(CRITERIA)
    criteria[0]["questions"].append("description")
    criteria[2]["regles"].append("budget_present")
    problems, _appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert sorted(plain(p) for p in problems) == [
        "critère budget: règle budget_present : en double", "critère projet_decrit: question description : en double"]


def test_a_signal_with_no_advice_is_refused_in_french(tmp_path):
    criteria = copy.deepcopy(CRITERIA)
    criteria[1]["signaux"][0]["sinon"] = ""
    problems, _appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert [plain(p) for p in problems] == [
        "critère calendrier › signal #1: valeur invalide pour « sinon » (attendu : un texte non vide)"]


def test_a_criterion_question_that_is_not_an_identifier_is_placed_without_none(tmp_path):
    criteria = copy.deepcopy(CRITERIA)
    criteria[0]["questions"] = ["description.texte"]
    problems, _appel = loading.check_file(_questionnaire(tmp_path, criteria))
    assert len(problems) == 1 and "None" not in problems[0], problems
    assert plain(problems[0]).startswith("critère projet_decrit: ") and "questions[1]" in problems[0], problems


def test_exemple_at_a_group_shows_one_line_field_by_field():
    appel = loading.find_appel(BRETAGNE)
    _dossier, screen = _play("/exemple\r/quitter\r", appel, "parties_prenantes")
    screen = " ".join(screen.split())
    assert "Exemple — Parties prenantes impliquées" in screen
    assert "Service ou personne : Bureau des admissions" in screen


def test_the_terminal_grid_gives_four_points_a_criterion_and_counts_the_rest():
    from builders import dossier_from

    from assistant.output import grid_view

    dossier = dossier_from({"objectifs": "Former le personnel.", "contexte": "À venir."})
    grid = assess(dossier, check(dossier, IDF_DAY))
    first = grid[0]
    assert len(first.weak) > 4
    text = plain(grid_view(grid).plain)
    assert f"… et {len(first.weak) - 4} autres points (la version de relecture et --json les donnent tous)" in text
    assert text.count("Ensuite : ") <= 3 * len(grid)


def test_objectives_that_say_they_train_the_staff_in_a_verb_are_tied_to_the_third_objective():
    from builders import example_answers

    answers = example_answers()
    answers["objectifs"] = ("Formaliser le parcours patient, bâtir une organisation performante en formant le personnel "
                            "du plateau. ") * 6
    row = _idf_grid(answers)["description_attendue"]
    assert not any("troisième objectif" in w for w in row.weak), row.weak
