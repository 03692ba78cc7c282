"""The terminal dialogue's stumbles, as a user met them (issue 15): the `/` menu that never
opened, an /aide that only repeated the screen, /annuler listed nowhere, the editor message in
jargon, no-break spaces drawn as yellow blobs, checkbox labels cut inside words, a review that
counted questions not asked yet as errors and scrolled its numbers away, a welcome without the
call's contacts. Through prompt-toolkit's pipe input, its VT100 output, and a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pexpect
import pytest
import yaml
from builders import EXAMPLE, dossier_from, example_answers
from conftest import plain, run_aap

from assistant import loading, screens
from assistant.asking import Outcome, Review
from assistant.checks import check
from assistant.commands import Prompt, command_list
from assistant.dialogue import TerminalAsker, checkbox_lines
from assistant.dossier import Dossier
from assistant.flow import Flow

IDF = loading.find_appel("idf-2022-actes-interventionnels")
BRETAGNE = loading.find_appel("bretagne-2025-chirurgie-ambulatoire")
ESC = "\x1b"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


@contextmanager
def terminal(width: int = 80, height: int = 24, vt100: bool = False):
    """The asker on a pipe; its prompt-toolkit output a real VT100 stream into a string when
    `vt100` (what a terminal would receive), else a dummy."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from prompt_toolkit.output.vt100 import Vt100_Output
    from rich.console import Console

    drawn = StringIO()
    output = (Vt100_Output(drawn, lambda: Size(rows=height, columns=width), term="xterm-256color", enable_cpr=False)
              if vt100 else DummyOutput())
    screen = StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        console = Console(file=screen, width=width, height=height, force_terminal=False, color_system=None)
        yield pipe, TerminalAsker(console, pt_input=pipe, pt_output=output), screen, drawn


def at(question_id: str, appel=IDF, **answers) -> Dossier:
    dossier = Dossier.new("essai", appel)
    for key, value in answers.items():
        dossier.set(key, value)
    section = appel.section_of(question_id)
    dossier.position = dossier.position.model_copy(update={"section": section.id, "question": question_id})
    return dossier


def play(keys: str, dossier: Dossier, width: int = 80, height: int = 24, checks=None):
    with terminal(width, height) as (pipe, asker, screen, _drawn):
        pipe.send_text(keys)
        pipe.close()
        outcome = Flow(dossier, lambda d: None, asker, today=date(2022, 10, 1), checks=checks).run()
    return outcome, dossier, screen.getvalue()


# -- 1. the `/` menu ---------------------------------------------------------------------------

def spawn(*args: str, folder: Path, rows: int = 24, columns: int = 80) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    env.update({"AAP_DOSSIERS": str(folder), "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1", "TERM": "xterm",
                "LANG": "C.UTF-8"})
    return pexpect.spawn(sys.executable, ["-m", "assistant", *args], env=env, encoding="utf-8",
                         dimensions=(rows, columns), timeout=30)


@POSIX
def test_slash_opens_the_command_menu_in_a_terminal_of_80_by_24(tmp_path):
    child = spawn("nouveau", "--appel", IDF.id, "--nom", "menu", folder=tmp_path)
    child.expect_exact("Raison sociale de l'établissement")
    child.expect_exact("›")
    time.sleep(0.3)
    child.send("/")
    # Each command that applies, with its line: the menu is drawn below the prompt.
    for line in ("laisser la question pour plus tard", "annuler la dernière modification",
                 "écrire la réponse dans votre éditeur"):
        child.expect_exact(line)
    child.send("ve")
    time.sleep(1)
    child.send("\r")  # the only command left in the menu is the one Enter runs
    child.expect_exact("Vérifications")
    child.expect_exact("›")
    child.send("/quitter\r")
    child.expect(pexpect.EOF)


@POSIX
def test_slash_in_a_checkbox_list_opens_the_menu_at_once(tmp_path):
    answers = {k: v for k, v in example_answers().items()
               if k in ("etablissement", "finess_juridique", "finess_geographique", "siret", "statut_juridique")}
    source = tmp_path / "debut.yaml"
    source.write_text(yaml.safe_dump({"appel": IDF.id, "nom": "cases", "reponses": answers}, allow_unicode=True),
                      encoding="utf-8")
    assert run_aap("remplir", "--reponses", str(source), env={"AAP_DOSSIERS": str(tmp_path)}).returncode in (0, 1)
    child = spawn("reprendre", "cases", folder=tmp_path)
    child.expect_exact("Espace : cocher")
    time.sleep(0.3)
    child.send("/")
    child.expect_exact("revenir à la question précédente")  # nothing typed after the slash yet
    child.expect_exact("laisser la question pour plus tard")
    child.send("quitter\r")
    child.expect(pexpect.EOF)


def test_the_menu_completes_a_command_typed_after_the_prefilled_answer():
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from assistant.dialogue import _CommandCompleter

    completer = _CommandCompleter(Prompt.TEXT, "CH A")
    found = list(completer.get_completions(Document("CH A/ver"), CompleteEvent()))
    assert [(c.text, c.start_position) for c in found] == [("/verifier", -4)]
    assert {c.text for c in completer.get_completions(Document("/"), CompleteEvent())} >= {"/aide", "/annuler"}


# -- 2. /aide ----------------------------------------------------------------------------------

def _help(screen: str) -> str:
    """The last /aide panel shown, its text without the frame."""
    panel = screen[screen.rindex("Aide —"):]
    return plain(re.sub(r"[│╭╮╰╯─]", " ", panel[:panel.index("╯") + 1]))


def test_aide_at_a_long_text_says_what_it_is_for_how_to_answer_and_the_commands():
    _outcome, _dossier, screen = play("/aide\r/quitter\r", at("objectifs"))
    shown = plain(screen[screen.rindex("Aide —"):])
    flat = " ".join(_help(screen).split())
    assert "Chiffrez et datez chaque objectif" in flat                 # what it is for
    assert "3 000 caractères conseillés au plus" in flat                # its constraint
    assert "Entrée ajoute une ligne ; Échap puis Entrée valide" in flat  # how to answer here
    for line in ("/exemple voir un exemple de réponse", "/annuler annuler la dernière modification",
                 "/editeur écrire la réponse dans votre éditeur", "/passer laisser la question pour plus tard"):
        assert line in flat
    # At 80 × 24, the help and the question asked again under it fit on the screen: the
    # question is not repeated in full (its help text appears once, in the help).
    panel = shown[:shown.index("╯") + 1].splitlines()
    assert len(panel) <= 20
    assert screen.count("Chiffrez et datez chaque objectif") == 2  # the question's screen, then the help


def test_aide_at_a_short_answer_gives_its_example():
    _outcome, _dossier, screen = play("/aide\r/quitter\r", at("siret"))
    flat = " ".join(_help(screen).split())
    assert "Exemple : 267 500 452 00011" in flat and "numéro SIRET, 14 chiffres" in flat
    assert "Tapez la réponse puis Entrée" in flat


def test_aide_at_a_list_gives_its_actions():
    _outcome, _dossier, screen = play("/aide\r/quitter\r", at("depenses"))
    flat = " ".join(_help(screen).split())
    assert "Tapez a pour ajouter une ligne, m et son numéro pour la modifier (m 2), s et son numéro pour la " \
           "supprimer (s 2), t ou Entrée pour terminer la liste." in flat
    assert "/annuler" in flat and "/exemple" in flat


def test_aide_at_the_review_says_how_to_edit_an_answer():
    _outcome, _dossier, screen = play("/sommaire\r/aide\r/quitter\r", at("etablissement"))
    flat = " ".join(_help(screen).split())
    assert "Tapez le numéro d'une question puis Entrée pour la modifier" in flat
    assert "/annuler annuler la dernière modification" in flat


def test_annuler_is_in_the_toolbar_wherever_it_applies():
    for prompt in (Prompt.TEXT, Prompt.LONG_TEXT, Prompt.GROUP, Prompt.MULTIPLE_CHOICE, Prompt.REVIEW):
        assert "/annuler" in command_list(prompt).split()
    assert "/annuler" not in command_list(Prompt.ITEM).split()  # a line being typed: not there


# -- 3. no editor ------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "what_to_do"), [
    ("objectifs", "Entrée ajoute une ligne et Échap puis Entrée valide"),
    ("etablissement", "écrivez ici votre réponse, puis appuyez sur Entrée"),
])
def test_no_editor_is_said_in_plain_words(monkeypatch, tmp_path, question, what_to_do):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no editor, nano nor vi
    _outcome, _dossier, screen = play("/editeur\r/quitter\r", at(question), width=200)
    notice = " ".join(screen[screen.index("⚠"):].split())
    assert notice.startswith("⚠ aucun éditeur de texte n'est configuré sur cet ordinateur")
    assert what_to_do in notice
    assert "EDITOR" in notice and "nano" in notice


# -- 4. no-break spaces ------------------------------------------------------------------------

def test_no_break_spaces_are_drawn_as_spaces_and_saved_as_typed():
    typed = "CH\u00a0A : 40\u202f000\u00a0€ et 3\u2007000"
    with terminal(vt100=True) as (pipe, asker, _screen, drawn):
        pipe.send_text(typed + "\r")
        answer = asker._prompt("", lambda text: None, None, None, commands=Prompt.TEXT)
    assert answer == typed  # what was typed is what is saved
    shown = drawn.getvalue()
    # Drawn as plain spaces, without the yellow underline prompt-toolkit gives a no-break space.
    assert "CH A : 40 000 € et 3 000" in shown
    assert not any(space in shown for space in "\u00a0\u202f\u2007")


def test_the_nbsp_class_is_not_underlined():
    from prompt_toolkit.styles import default_ui_style, merge_styles

    from assistant.dialogue import STYLE

    attrs = merge_styles([default_ui_style(), STYLE]).get_attrs_for_style_str("class:nbsp")
    assert not attrs.underline


# -- 5. checkbox labels ------------------------------------------------------------------------

def test_checkbox_labels_wrap_between_words_under_their_first_word():
    labels = [c.label for c in IDF.question("engagements").choices]
    words = {word for label in labels for word in label.split(" ")}
    for columns in (40, 60, 100):  # recomputed for each width: a resized terminal
        fragments = checkbox_lines(labels, [False] * len(labels), 0, "", columns)
        assert all(len(row) <= columns - 1 for _style, text in fragments for row in text.splitlines())
        rows = "".join(text for style, text in fragments if "hint" not in style).splitlines()
        for row in rows:
            for word in row.split():
                assert word in words or re.fullmatch(r"›|\[x?|\]|\d+\.", word), (columns, word)
        continued = [row for row in rows if row.startswith(" " * 9) and row.strip()]
        assert continued, columns  # long labels go on under their first word


@POSIX
def test_checkbox_labels_are_drawn_whole_in_a_narrow_terminal():
    labels = [c.label for c in IDF.question("engagements").choices]
    with terminal(width=50, vt100=True) as (pipe, asker, _screen, drawn):
        pipe.send_text("1\r/quitter\r")
        pipe.close()
        Flow(at("engagements"), lambda d: None, asker, today=date(2022, 10, 1)).run()
    shown = CSI.sub("\n", drawn.getvalue())
    for label in labels:
        for word in label.split(" "):
            assert word in shown, word


# -- 6 and 7. the review -----------------------------------------------------------------------

def _review_of(dossier: Dossier, final: bool) -> Review:
    return Flow(dossier, lambda d: None, None, today=date(2022, 10, 1), checks=check).review_data(final)


def test_the_review_keeps_questions_not_asked_yet_apart_from_the_findings():
    dossier = at("objectifs", etablissement="CH A")
    review = _review_of(dossier, final=False)
    assert any(f.question == "depenses" for f in review.findings)  # what the checks say…
    text = "\n".join(line.plain for line in screens.review_lines(review, 80))
    rows = {int(line[:2]): line for line in text.splitlines() if re.match(r"^\s?\d+ ", line)}
    assert rows[39].endswith("pas encore posée")      # depenses: not reached yet
    assert rows[2].endswith("à compléter")            # finess_juridique: asked, not answered
    after = text[text.index("Points à vérifier"):]
    assert "Dépenses prévues" not in after and " 39 " not in after  # …not listed as an error
    assert re.search(r"\d+ questions pas encore posées", text)
    assert "réponses obligatoires à compléter : n° 2, 3, 4" in plain(after)


def test_a_final_review_has_every_question_asked():
    review = _review_of(at("objectifs", etablissement="CH A"), final=True)
    text = "\n".join(line.plain for line in screens.review_lines(review, 80))
    assert "pas encore posée" not in text and "Dépenses prévues" in text


def _source_words(review: Review) -> set[str]:
    """Every word the review may show whole: the texts it is made of, and its own."""
    from assistant.checks import SEVERITY_LABELS
    from assistant.i18n import typography
    from assistant.output import answer_cell

    texts = [section.title for section, _rows in review.sections]
    texts += [f"{label} :" for label in SEVERITY_LABELS.values()]
    texts += ["Points à vérifier :", "Sommaire du dossier — 100 % des réponses obligatoires",
              "Vérifications : Bloquant : 1 · Erreur : 0 · Avertissement : 3 · Conseil : 0", "✓ Aucun problème de cohérence."]
    for _section, rows in review.sections:
        for row in rows:
            texts.append(row.question.label)
            cell = answer_cell(row.question, row.value, short=True)
            texts.append(getattr(cell, "plain", ""))
    texts += [typography(f.message) for f in review.findings]
    return {word for text in texts for word in plain(text).split()}


def test_the_full_example_reviewed_at_80_columns_one_line_per_question():
    dossier = dossier_from(example_answers())
    review = _review_of(dossier, final=True)
    lines = [line.plain for line in screens.review_lines(review, 80)]
    assert all(len(line) <= 80 for line in lines)
    count = sum(len(rows) for _s, rows in review.sections)
    for number in range(1, count + 1):
        assert sum(1 for line in lines if line.startswith(f"{number:>2} ")) >= 1, number
    assert len(lines) <= count + len(review.sections) + 2 * len(review.findings) + 6
    # Nothing cut inside a word: each word is one of the texts' words, or a cut marked « … ».
    words = _source_words(review)
    for line in lines:
        for word in plain(line).split():
            assert word.endswith("…") or word in words or word.isdigit(), (word, line)


def test_review_pages_fit_the_height_and_never_end_on_a_heading():
    review = _review_of(dossier_from(example_answers()), final=True)
    pages = screens.review_pages(review, 80, 20)
    assert len(pages) >= 3 and all(len(page) <= 20 for page in pages)
    headings = {section.title for section, _rows in review.sections}
    assert all(page[-1].plain not in headings for page in pages)
    assert [line.plain for page in pages for line in page] == [line.plain for line in screens.review_lines(review, 80)]


def test_a_number_typed_on_the_second_page_edits_its_question_and_the_review_comes_back_there():
    answers = example_answers()
    del answers["titre_projet"]  # not finished: the dialogue opens on this question
    dossier = dossier_from(answers)
    dossier.position = at("titre_projet").position
    _outcome, dossier, screen = play("/sommaire\r\r\r41\r\x1539 000\r" + "/quitter\r", dossier)
    assert dossier.get("montant_demande") == Decimal("39000")
    # Page 3 shown, then again after the edit (not page 1 again).
    assert screen.count("Sommaire du dossier") == 1
    assert screen.count("41 Montant de l'aide demandée à l'ARS") == 2


@POSIX
def test_the_review_at_80_by_24_takes_a_number_from_any_page(tmp_path):
    assert run_aap("remplir", "--reponses", str(EXAMPLE), env={"AAP_DOSSIERS": str(tmp_path)}).returncode in (0, 1)
    child = spawn("reprendre", "exemple", folder=tmp_path)
    child.expect(r"page 1/(\d)")
    pages = child.match.group(1)
    child.send("\r")
    child.expect_exact(f"page 2/{pages}")
    child.send("41\r")  # a question of a later page
    child.expect_exact("Montant de l'aide demandée")
    child.expect_exact("›")
    child.send("\x15" + "39 000\r")
    child.expect(r"page 2/\d")  # back where it was left (the budget no longer adds up: a point more)
    child.send("/quitter\r")
    child.expect(pexpect.EOF)
    saved = json.loads((tmp_path / "exemple.json").read_text(encoding="utf-8"))
    assert saved["reponses"]["montant_demande"] == "39000.00"


# -- 8. the welcome ----------------------------------------------------------------------------

def _welcome(appel, width: int = 80, height: int = 24) -> str:
    from rich.console import Console

    screen = StringIO()
    console = Console(file=screen, width=width, height=height, force_terminal=False, color_system=None)
    screens.welcome(console, Flow(Dossier.new("essai", appel), lambda d: None, None, today=date(2026, 1, 5)).overview())
    return screen.getvalue()


def test_the_welcome_gives_the_contact_and_the_summary_and_fits_80_by_24():
    shown = _welcome(BRETAGNE)
    flat = " ".join(shown.split())
    assert "Contact : ars-bretagne-qualite@ars.sante.fr, objet : AAP PERTINENCE ET CHIRURGIE AMBULATOIRE" in flat
    assert "Soutenir et accélérer le développement de la chirurgie ambulatoire" in flat
    assert len(shown.splitlines()) <= 24


def test_the_welcome_keeps_each_address_whole_and_drops_the_summary_when_short_of_room():
    shown = _welcome(IDF)
    assert len(shown.splitlines()) <= 24
    for address in ("henri-jean.philippe@ars.sante.fr", "olivier.ferrain@ars.sante.fr", "sophie.bataille@ars.sante.fr"):
        assert any(address in line for line in shown.splitlines()), address
    assert IDF.platform in shown.splitlines()  # one logical line, wrapped by the terminal
    assert "Accompagner les établissements" not in shown  # 4 more lines would not fit
    assert "Accompagner les établissements" in " ".join(_welcome(IDF, width=120, height=40).split())


def test_the_dialogue_opens_on_the_welcome_with_the_contact():
    outcome, _dossier, screen = play("/quitter\r", Dossier.new("essai", BRETAGNE), width=100, height=40)
    assert outcome is Outcome.QUIT
    assert "ars-bretagne-qualite@ars.sante.fr" in screen


def test_a_long_option_of_a_numbered_list_goes_on_under_its_first_word():
    long = "La version de dépôt (pas encore possible : des points bloquants ou des erreurs demeurent)"
    with terminal(width=50) as (pipe, asker, screen, _drawn):
        pipe.send_text("2\r")
        picked = asker.choose("Produire le document Word maintenant ?", ["La version de relecture", long])
    assert picked == 1
    lines = screen.getvalue().splitlines()
    assert all(len(line) <= 50 for line in lines)
    first = next(n for n, line in enumerate(lines) if line.startswith("  2. "))
    assert lines[first + 1].startswith(" " * 5) and lines[first + 1].strip()
    assert " ".join(line.strip() for line in lines[first:]).endswith(long)


def test_no_editor_falls_back_to_vi_or_debians_editor(tmp_path, monkeypatch):
    """Someone who has never met vi is trapped in it: only editors that say how to leave."""
    import os
    import sys

    from assistant.dialogue import _editor_command

    if sys.platform == "win32":
        return
    for name in ("vi", "vim", "editor"):
        fake = tmp_path / name
        fake.write_text("#!/bin/sh\n")
        fake.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert _editor_command() is None
    (tmp_path / "nano").write_text("#!/bin/sh\n")
    (tmp_path / "nano").chmod(0o755)
    assert _editor_command() == [os.path.join(str(tmp_path), "nano")]
