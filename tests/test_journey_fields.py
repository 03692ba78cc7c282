"""Numbers and dates as people type and read them (issue 15): a year is never grouped (« au
moins 2015 », never « 2 015 »), a step of a plan may be dated to the month (« janvier 2023 »,
« 01/2023 »), and the first day of a month is « 1er » in French — in the dialogue, `aap
montrer`, the checks and the Word document."""

from __future__ import annotations

import copy
import json
import os
import pickle
import sys
from contextlib import contextmanager
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
import yaml
from builders import EXAMPLE, IDF, dossier_from, example_answers
from conftest import ROOT, plain, run_aap
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from assistant import i18n, loading
from assistant.checks import check
from assistant.dialogue import TerminalAsker
from assistant.dossier import Dossier
from assistant.errors import InvalidAnswer
from assistant.fields import decode, display, encode, kind_of
from assistant.fields.dates import Month, parse_date
from assistant.flow import Flow
from assistant.model import Question
from assistant.output import answer_cell
from assistant.rules.terms import Offset
from assistant.word.document import Mode, export

BRETAGNE_ID = "bretagne-2025-chirurgie-ambulatoire"
BRETAGNE_EXAMPLE = ROOT / "questionnaires" / "exemples" / "bretagne-2025-exemple.yaml"
APPEL = loading.find_appel(IDF)
BRETAGNE = loading.find_appel(BRETAGNE_ID)
STEP_DUE = APPEL.question("calendrier").field("echeance")  # type: ignore[union-attr]
START = APPEL.question("date_demarrage")
YEAR = BRETAGNE.question("annee_reference")


def _question(**data) -> Question:
    return Question.model_validate({"id": "q", "libelle": "Q", **data})


def _refusal(question: Question, raw: object) -> str:
    with pytest.raises(InvalidAnswer) as refused:
        kind_of(question).parse(question, raw)
    return plain(refused.value.message)


def _rendered(renderable) -> str:
    console = Console(file=StringIO(), width=120, color_system=None)
    console.print(renderable)
    return plain(console.file.getvalue())


# -- the dialogue, over prompt-toolkit's pipe input ----------------------------------------------

@contextmanager
def _terminal(width: int = 120):
    screen = StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        console = Console(file=screen, width=width, force_terminal=False, color_system=None)
        yield pipe, TerminalAsker(console, pt_input=pipe, pt_output=DummyOutput()), screen


def _play(keys: str, dossier: Dossier, question_id: str) -> str:
    section = dossier.appel.section_of(question_id)
    dossier.position = dossier.position.model_copy(update={"section": section.id, "question": question_id})
    with _terminal() as (pipe, asker, screen):
        pipe.send_text(keys)
        pipe.close()
        Flow(dossier, lambda d: None, asker, today=date(2025, 6, 1)).run()
    return plain(screen.getvalue())


# -- years ------------------------------------------------------------------------------------------

def test_a_year_typed_below_its_bound_is_refused_then_corrected_in_the_dialogue():
    dossier = Dossier.new("annee", BRETAGNE)
    # The refused text stays for correction: two backspaces and « 24 ».
    screen = _play("2014\r\x7f\x7f24\r/quitter\r", dossier, "annee_reference")
    assert "de 2015 à 2030" in screen
    assert dossier.get("annee_reference") == 2024


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_year_refused_in_a_terminal_reads_au_moins_2015(tmp_path):
    import pexpect

    answers = yaml.safe_load(BRETAGNE_EXAMPLE.read_text(encoding="utf-8"))
    del answers["reponses"]["annee_reference"]
    path = tmp_path / "annee.yaml"
    path.write_text(yaml.safe_dump({**answers, "nom": "annee"}, allow_unicode=True), encoding="utf-8")
    folder = tmp_path / "dossiers"
    assert run_aap("remplir", "--reponses", str(path), env={"AAP_DOSSIERS": str(folder)}).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    env.update({"AAP_DOSSIERS": str(folder), "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1", "TERM": "xterm",
                "LANG": "C.UTF-8"})
    child = pexpect.spawn(sys.executable, ["-m", "assistant", "reprendre", "annee"], env=env, encoding="utf-8",
                          dimensions=(50, 200), timeout=30)
    child.expect_exact("Année de référence de ce taux")
    child.expect_exact("›")
    child.send("2014\r")
    child.expect_exact("la valeur doit être au moins 2015")
    child.send("\x7f\x7f24\r")
    child.expect_exact("›")
    child.send("/quitter\r")
    child.expect(pexpect.EOF)
    child.close()
    saved = json.loads((folder / "annee.json").read_text(encoding="utf-8"))["reponses"]
    assert saved["annee_reference"] == 2024


@pytest.mark.parametrize("said", [{}, {"groupement": False}])
def test_an_integer_whose_bounds_are_years_is_a_year_whether_said_or_not(said):
    year = _question(type="entier", min=2015, max=2030, **said)
    assert _refusal(year, "2014") == "la valeur doit être au moins 2015"
    assert _refusal(year, "2031") == "la valeur doit être au plus 2030"
    assert display(year, 2024) == "2024"
    assert kind_of(year).limit_text(year, year.minimum) == "2015"
    with i18n.use_language("en"):
        assert "2015" in _refusal(year, "2014") and "2,015" not in _refusal(year, "2014")
        assert display(year, 2024) == "2024"


@pytest.mark.parametrize("data", [
    {"groupement": True, "min": 2015, "max": 2030},  # said: a quantity, whatever its bounds
    {"min": 2000},                                   # one bound: a floor of 2000 procedures
    {"min": 0, "max": 5000},                         # bounds that are not years
    {},
])
def test_a_quantity_keeps_its_thousands_separator(data):
    quantity = _question(type="entier", **data)
    assert plain(display(quantity, 2024)) == "2 024"
    with i18n.use_language("en"):
        assert display(quantity, 2024) == "2,024"


def test_a_saved_year_stays_valid_and_reads_the_same():
    assert decode(YEAR, 2024) == 2024 and encode(YEAR, 2024) == 2024
    with pytest.raises(InvalidAnswer):
        decode(YEAR, "2024")  # not as aap writes it, as before


def test_the_year_of_the_example_reads_2024_in_montrer_and_in_the_document(tmp_path):
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    assert run_aap("remplir", "--reponses", str(BRETAGNE_EXAMPLE), env=env).returncode == 0
    shown = plain(run_aap("montrer", "exemple-bretagne", env=env).stdout)
    assert "Année de référence de ce taux" in shown and "2024" in shown and "2 024" not in shown
    answers = yaml.safe_load(BRETAGNE_EXAMPLE.read_text(encoding="utf-8"))["reponses"]
    document = Document(str(export(dossier_from(answers, appel_id=BRETAGNE_ID), [], Mode.SUBMISSION,
                                   tmp_path / "bretagne.docx")))
    cells = [plain(cell.text) for table in document.tables for row in table.rows for cell in row.cells]
    assert "2024" in cells and "2 024" not in cells


# -- months -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["janvier 2023", "Janvier 2023", "janv. 2023", "janv 2023", "01/2023", "1/2023",
                                 "01-2023", "01.2023", "2023-01", "2023/01", "January 2023", "Jan. 2023", "jan 2023",
                                 " janvier   2023 "])
def test_a_step_may_be_due_in_a_month(raw):
    value = kind_of(STEP_DUE).parse(STEP_DUE, raw)
    assert type(value) is Month and (value.year, value.month) == (2023, 1)
    assert encode(STEP_DUE, value) == "2023-01"
    assert display(STEP_DUE, value) == "janvier 2023"
    with i18n.use_language("en"):
        assert display(STEP_DUE, value) == "January 2023"


@pytest.mark.parametrize("raw, why", [
    ("13/2023", "n'existe pas"), ("2023-00", "n'existe pas"), ("janvier 1066", "pas plausible"),
    ("brumaire 2023", "mois inconnu"), ("janvier", "n'est pas une date"), ("2023", "n'est pas une date"),
])
def test_a_month_that_is_not_one_is_refused_with_why(raw, why):
    assert why in _refusal(STEP_DUE, raw)


def test_a_question_that_asks_for_a_day_says_the_day_is_missing():
    message = _refusal(START, "avril 2023")
    assert message.startswith("« avril 2023 » : il manque le jour")
    assert "21/10/2022" in message
    with pytest.raises(InvalidAnswer):  # a month saved by hand for a day: reported, asked again
        decode(START, "2023-04")


@pytest.mark.parametrize("saved", ["2023-1", "01/2023", "janvier 2023", "2023-01-5"])
def test_a_saved_month_is_read_only_as_aap_writes_it(saved):
    with pytest.raises(InvalidAnswer):
        decode(STEP_DUE, saved)


_MONTHS = st.builds(Month, st.integers(1900, 2200), st.integers(1, 12))


@settings(max_examples=150, deadline=None)
@given(_MONTHS, st.sampled_from(["fr", "en"]))
def test_any_month_reads_back_from_every_way_it_is_written_or_shown(month, language):
    forms = [f"{month.month:02d}/{month.year}", f"{month.month}/{month.year}", f"{month.year}-{month.month:02d}",
             encode(STEP_DUE, month), kind_of(STEP_DUE).input_text(STEP_DUE, month)]
    with i18n.use_language(language):
        forms.append(display(STEP_DUE, month))
        forms.append(kind_of(STEP_DUE).document(STEP_DUE, month))
    for form in forms:
        value = kind_of(STEP_DUE).parse(STEP_DUE, form)
        assert type(value) is Month and value == month and encode(STEP_DUE, value) == encode(STEP_DUE, month)
    assert decode(STEP_DUE, encode(STEP_DUE, month)) == month


@settings(max_examples=150, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)))
def test_a_saved_full_date_stays_a_full_date_unchanged(day):
    # Saved answers that hold full ISO dates stay valid and are written back identically.
    value = decode(STEP_DUE, day.isoformat())
    assert type(value) is date and value == day and encode(STEP_DUE, value) == day.isoformat()
    assert kind_of(STEP_DUE).parse(STEP_DUE, kind_of(STEP_DUE).input_text(STEP_DUE, value)) == day


@settings(max_examples=150, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.sampled_from(["fr", "en"]))
def test_any_date_shown_reads_back_as_itself(day, language):
    with i18n.use_language(language):
        shown = display(STEP_DUE, day)
    assert type(parse_date(shown)) is date and parse_date(shown) == day
    assert ("1er " in shown) == (language == "fr" and day.day == 1)


def test_a_month_is_its_last_day_as_a_date_and_moving_it_gives_a_day():
    february = Month(2024, 2)
    assert february == date(2024, 2, 29) and Month(2023, 2) == date(2023, 2, 28)
    assert date(2024, 2, 28) < february < date(2024, 3, 1)
    moved = Offset.model_validate({"mois": 6}).apply(february)
    assert type(moved) is date and moved == date(2024, 8, 29)
    assert type(february + timedelta(days=1)) is date and february + timedelta(days=1) == date(2024, 3, 1)
    assert type(timedelta(days=-1) + february) is date and february - timedelta(days=28) == date(2024, 2, 1)
    assert february - date(2024, 2, 1) == timedelta(days=28) and Month(2024, 3) - february == timedelta(days=31)
    for copied in (copy.deepcopy(february), pickle.loads(pickle.dumps(february))):
        assert type(copied) is Month and copied == february


def test_precision_is_for_dates_only(tmp_path):
    assert _question(type="date", precision="mois").precision == "mois"
    assert _question(type="date").precision == "jour"
    with pytest.raises(ValueError):
        _question(type="entier", precision="mois")
    with pytest.raises(ValueError):
        _question(type="date", precision="semaine")
    data = yaml.safe_load((ROOT / "questionnaires" / f"{BRETAGNE_ID}.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["questions"][0] = {"id": "x", "libelle": "X", "type": "texte", "precision": "mois"}
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems, appel = loading.check_file(path)
    assert appel is None and any("precision" in p and "date" in p for p in problems)


def test_the_input_hint_says_a_month_is_taken_where_it_is():
    assert "octobre 2022" in kind_of(STEP_DUE).hint_for(STEP_DUE)
    assert kind_of(START).hint_for(START) == kind_of(START).hint
    assert "mois" not in kind_of(START).hint_for(START)


def test_the_calendars_of_both_calls_take_months():
    for appel in (APPEL, BRETAGNE):
        due = appel.question("calendrier").field("echeance")
        assert due.precision == "mois"
        assert type(kind_of(due).parse(due, "mars 2026")) is Month


def test_a_step_due_in_a_month_typed_in_the_dialogue_is_saved_and_shown_as_a_month():
    dossier = Dossier.new("calendrier", APPEL)
    screen = _play("a\rBilan à 6 mois\rjanvier 2023\r"
                   "a\rRéunion de lancement\r1er février 2023\rt\r/quitter\r", dossier, "calendrier")
    items = dossier.get("calendrier")
    assert [type(i["echeance"]) for i in items] == [Month, date]
    assert dossier.raw["calendrier"] == [{"etape": "Bilan à 6 mois", "echeance": "2023-01"},
                                         {"etape": "Réunion de lancement", "echeance": "2023-02-01"}]
    assert "janvier 2023" in screen and "1er février 2023" in screen
    assert "1 février" not in screen


def _calendar_in_months(answers: dict) -> dict:
    """The same plan, each step due in the month of its date."""
    for step in answers["calendrier"]:
        due = step["echeance"]
        step["echeance"] = f"{due.month:02d}/{due.year}"
    return answers


def test_months_in_the_rules_a_review_due_within_the_month_tolerance_is_accepted():
    answers = example_answers()
    assert [s["etape"][:20] for s in answers["calendrier"]][3:] == ["Bilan de mise en œuv"] * 2
    findings = {(f.rule, f.item) for f in check(dossier_from(answers), date(2022, 10, 20))}
    months = {(f.rule, f.item) for f in check(dossier_from(_calendar_in_months(example_answers())), date(2022, 10, 20))}
    assert months == findings
    late = _calendar_in_months(example_answers())
    late["calendrier"][3]["echeance"] = "novembre 2023"  # start 3 April 2023: 7 months, 27 days
    assert "bilan_6_mois" in {f.rule for f in check(dossier_from(late), date(2022, 10, 20))}
    early = _calendar_in_months(example_answers())
    early["calendrier"][3]["echeance"] = "septembre 2023"  # its last day is within 5 to 7 months
    assert "bilan_6_mois" not in {f.rule for f in check(dossier_from(early), date(2022, 10, 20))}


def test_a_review_due_in_the_month_of_the_deadline_is_not_before_it():
    answers = example_answers()
    answers["calendrier"].append({"etape": "Point d'étape avec l'ARS", "echeance": "octobre 2022"})
    assert "bilans_apres_depot" not in {f.rule for f in check(dossier_from(answers), date(2022, 10, 20))}


def test_a_review_due_in_a_month_before_the_deadline_is_found():
    answers = example_answers()
    answers["calendrier"].append({"etape": "Point d'étape avec l'ARS", "echeance": "septembre 2022"})
    found = [f for f in check(dossier_from(answers), date(2022, 10, 20)) if f.rule == "bilans_apres_depot"]
    assert len(found) == 1 and "septembre 2022" in plain(found[0].message)


# -- saved, loaded, shown: aap remplir, montrer, exporter --------------------------------------------

def _answers_file(tmp_path: Path, name: str, answers: dict) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"appel": IDF, "nom": name, "reponses": answers}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_month_round_trips_through_the_file_montrer_and_the_answers_file(tmp_path):
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    answers = example_answers()
    answers["calendrier"][3]["echeance"] = "octobre 2023"
    answers["calendrier"][4]["echeance"] = "04/2024"
    answers["calendrier"][0]["echeance"] = "1er février 2023"
    assert run_aap("remplir", "--reponses", str(_answers_file(tmp_path, "mois", answers)), env=env).returncode == 0
    saved = json.loads((tmp_path / "dossiers" / "mois.json").read_text(encoding="utf-8"))["reponses"]["calendrier"]
    assert [s["echeance"] for s in saved] == ["2023-02-01", "2023-03-31", "2023-04-03", "2023-10", "2024-04"]
    shown = plain(run_aap("montrer", "mois", env=env).stdout)
    assert "octobre 2023" in shown and "avril 2024" in shown and "1er février 2023" in shown
    assert "31 octobre 2023" not in shown and "1 février" not in shown
    english = run_aap("--langue", "en", "montrer", "mois", env=env).stdout
    assert "October 2023" in english and "February 1, 2023" in english
    # `montrer --reponses` gives a file that `remplir` reads back to the same saved answers.
    again = yaml.safe_load(run_aap("montrer", "mois", "--reponses", env=env).stdout)
    again["nom"] = "mois-bis"
    path = tmp_path / "again.yaml"
    path.write_text(yaml.safe_dump(again, allow_unicode=True), encoding="utf-8")
    assert run_aap("remplir", "--reponses", str(path), env=env).returncode == 0
    copied = json.loads((tmp_path / "dossiers" / "mois-bis.json").read_text(encoding="utf-8"))["reponses"]
    assert copied["calendrier"] == saved


def test_the_document_writes_months_and_the_first_of_a_month(tmp_path):
    answers = example_answers()
    answers["calendrier"][3]["echeance"] = "janvier 2023"
    answers["calendrier"][4]["echeance"] = "avril 2024"
    answers["calendrier"][1]["echeance"] = "1er février 2023"
    path = export(dossier_from(answers), [], Mode.SUBMISSION, tmp_path / "mois.docx")
    document = Document(str(path))
    calendar = next(t for t in document.tables if t.rows[0].cells[0].text == "Étape")
    dues = [plain(row.cells[1].text) for row in calendar.rows[1:]]
    assert dues == ["15 janvier 2023", "1er février 2023", "3 avril 2023", "janvier 2023", "avril 2024"]
    rows = {plain(row.cells[0].text): plain(row.cells[1].text) for t in document.tables for row in t.rows
            if len(row.cells) == 2}
    # The period of the plan, from its first step (a day) to its last (a month).
    assert rows["Calendrier"] == "du 15 janvier 2023 à avril 2024 (15 mois)"
    answers["calendrier"][0]["echeance"] = "décembre 2022"
    path = export(dossier_from(answers), [], Mode.SUBMISSION, tmp_path / "mois2.docx")
    rows = {plain(row.cells[0].text): plain(row.cells[1].text) for t in Document(str(path)).tables
            for row in t.rows if len(row.cells) == 2}
    assert rows["Calendrier"] == "de décembre 2022 à avril 2024 (16 mois)"


def test_the_terminal_shows_months_and_the_first_of_a_month():
    answers = example_answers()
    answers["calendrier"][0]["echeance"] = "1ᵉʳ février 2023"
    answers["calendrier"][1]["echeance"] = "mars 2023"
    dossier = dossier_from(answers)
    table = _rendered(answer_cell(APPEL.question("calendrier"), dossier.get("calendrier")))
    assert "1er février 2023" in table and "mars 2023" in table and "31 mars 2023" not in table


# -- « 1er » ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["1er février 2023", "1ᵉʳ février 2023", "le 1er février 2023", "1ER FÉVRIER 2023",
                                 "1er févr. 2023", "1 février 2023", "01/02/2023", "1st February 2023",
                                 "February 1st, 2023", "February 1, 2023"])
def test_the_first_of_a_month_is_read_as_people_write_it(raw):
    assert parse_date(raw) == date(2023, 2, 1)
    assert kind_of(STEP_DUE).parse(STEP_DUE, raw) == date(2023, 2, 1)


def test_the_first_of_a_month_is_1er_in_french_and_not_in_english():
    assert i18n.format_date(date(2023, 2, 1)) == "1er février 2023"
    assert display(START, date(2023, 2, 1)) == "1er février 2023"
    assert kind_of(START).document(START, date(2023, 2, 1)) == "1er février 2023"
    assert i18n.format_date(date(2023, 2, 11)) == "11 février 2023"
    with i18n.use_language("en"):
        assert i18n.format_date(date(2023, 2, 1)) == "February 1, 2023"


# -- the example answers still verify as before -----------------------------------------------------

@pytest.mark.parametrize("example, name, on", [(EXAMPLE, "exemple", "2022-10-20"),
                                               (BRETAGNE_EXAMPLE, "exemple-bretagne", "2025-06-20")])
def test_the_example_answers_give_the_same_findings_as_before(tmp_path, example, name, on):
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    assert run_aap("remplir", "--reponses", str(example), env=env).returncode == 0
    result = run_aap("verifier", name, "--json", "--date", on, env=env)
    findings = json.loads(result.stdout)["constats"]
    # What the examples gave before issue 15: only their annexes without a file.
    assert sorted(f["regle"] for f in findings) == ["annexe_sans_fichier"] * 3


@pytest.mark.parametrize("typed", ["20 24", "2 0 2 4", "40 0000", "1 2 3"])
def test_a_whole_number_with_badly_grouped_digits_is_refused(typed):
    """A typo in a count must not multiply it by ten without a word: spaces group thousands."""
    from assistant.errors import InvalidAnswer
    from assistant.numeric import parse_integer

    with pytest.raises(InvalidAnswer, match="se groupent par trois"):
        parse_integer(typed)
    assert parse_integer("2 024") == 2024 and parse_integer("12\u202f345") == 12345
