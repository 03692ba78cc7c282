"""The terminal asker over prompt-toolkit's pipe input and a rich Console writing to a string:
what the user sees and what their keys produce."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from io import StringIO

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from assistant import loading
from assistant.asking import Outcome
from assistant.dialogue import TerminalAsker
from assistant.dossier import Dossier
from assistant.flow import Flow

IDF = loading.find_appel("idf-2022-actes-interventionnels")
ESC, DOWN, BACKSPACE = "\x1b", "\x1b[B", "\x7f"


@contextmanager
def terminal(width: int = 100):
    screen = StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        console = Console(file=screen, width=width, force_terminal=False, color_system=None)
        yield pipe, TerminalAsker(console, pt_input=pipe, pt_output=DummyOutput()), screen


def dossier_at(question_id: str, **answers) -> Dossier:
    dossier = Dossier.new("essai", IDF)
    for key, value in answers.items():
        dossier.set(key, value)
    section = IDF.section_of(question_id)
    dossier.position = dossier.position.model_copy(update={"section": section.id, "question": question_id})
    return dossier


def play(keys: str, dossier: Dossier, width: int = 100) -> tuple[Outcome, Dossier, str]:
    with terminal(width) as (pipe, asker, screen):
        pipe.send_text(keys)
        pipe.close()  # once the keys are read, the next prompt ends in EOF instead of waiting forever
        outcome = Flow(dossier, lambda d: None, asker, today=date(2026, 11, 22)).run()
    return outcome, dossier, screen.getvalue()


def test_refused_answer_keeps_the_text_for_correction():
    # A wrong FINESS key, then one backspace and the right digit: the text was still there.
    outcome, dossier, screen = play("930000428\r" + BACKSPACE + "7\r/quitter\r", dossier_at("finess_juridique"))
    assert dossier.get("finess_juridique") == "930000427"
    assert outcome is Outcome.QUIT
    assert "Numéro FINESS juridique" in screen and "Exemple : 750712184" in screen


def test_saved_answer_is_the_editable_default():
    dossier = dossier_at("montant_demande", montant_demande=__import__("decimal").Decimal("40000"))
    outcome, dossier, screen = play("\r/quitter\r", dossier)
    assert str(dossier.get("montant_demande")) == "40000.00"
    assert "Réponse enregistrée proposée" in screen


def test_amount_typed_the_french_way():
    outcome, dossier, _ = play("38 500,50 €\r/quitter\r", dossier_at("montant_demande"))
    assert str(dossier.get("montant_demande")) == "38500.50"


def test_long_text_keeps_paragraphs_and_finishes_with_escape_enter():
    keys = "Premier paragraphe.\r\rSecond paragraphe." + ESC + "\r/quitter\r"
    outcome, dossier, screen = play(keys, dossier_at("objectifs"))
    assert dossier.get("objectifs") == "Premier paragraphe.\n\nSecond paragraphe."
    assert "3 000 caractères conseillés" in screen.replace("\u202f", " ")


def test_command_alone_finishes_a_long_text_prompt():
    outcome, dossier, _ = play("/quitter\r", dossier_at("objectifs"))
    assert outcome is Outcome.QUIT and dossier.get("objectifs") is None


def test_multiple_choice_with_space_arrows_and_digits():
    keys = " " + DOWN + DOWN + " " + "6" + "\r/quitter\r"
    outcome, dossier, screen = play(keys, dossier_at("engagements"))
    assert dossier.get("engagements") == ["equipe_projet", "checklist_has", "bilans_6_12_mois"]
    assert "Documents pour les patients qui seront mis en place" in screen  # the next question


def test_multiple_choice_slash_opens_commands():
    outcome, dossier, _ = play("/" + "retour\r/quitter\r", dossier_at("engagements"))
    assert outcome is Outcome.QUIT


def test_single_choice_by_number_or_label():
    outcome, dossier, screen = play("2\r/quitter\r", dossier_at("statut_juridique"))
    assert dossier.get("statut_juridique") == "prive_non_lucratif"
    assert "3. Établissement privé à but lucratif" in screen
    outcome, dossier, _ = play("établissement public de santé\r/quitter\r", dossier_at("statut_juridique"))
    assert dossier.get("statut_juridique") == "public"


def test_yes_no_accepts_the_usual_words():
    for word, expected in (("o", True), ("non", False), ("yes", True)):
        outcome, dossier, _ = play(f"{word}\r/quitter\r", dossier_at("autorisation"))
        assert dossier.get("autorisation") is expected


def test_group_table_and_running_total():
    keys = ("a\rpersonnel\rIDE de coordination\r18 000\r18 000\r"
            "a\rformation\rFormation check-list\r6 500,50\r6 000\r"
            "t\r/quitter\r")
    outcome, dossier, screen = play(keys, dossier_at("depenses"), width=140)
    assert [line["libelle"] for line in dossier.get("depenses")] == ["IDE de coordination", "Formation check-list"]
    flat = screen.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Total « Montant total de la ligne » : 24 500,50 €" in flat
    assert "Total « Part payée par la subvention ARS » : 24 000,00 €" in flat


def test_command_typed_after_a_prefilled_answer_is_a_command():
    dossier = dossier_at("etablissement", etablissement="CH A")
    outcome, dossier, _ = play("/quitter\r", dossier)
    assert outcome is Outcome.QUIT and dossier.get("etablissement") == "CH A"


def test_command_after_a_prefilled_long_text():
    dossier = dossier_at("objectifs", objectifs="Déjà écrit.\n\nSecond paragraphe.")
    outcome, dossier, _ = play("/retour\r/quitter\r", dossier)
    assert outcome is Outcome.QUIT and dossier.get("objectifs") == "Déjà écrit.\n\nSecond paragraphe."


def test_review_lists_answers_and_edits_by_number():
    dossier = dossier_at("etablissement", etablissement="CH A")
    outcome, dossier, screen = play("/sommaire\r1\r\x15CH B\r\r/quitter\r", dossier)
    assert dossier.get("etablissement") == "CH B"
    assert "Sommaire du dossier" in screen and "à compléter" in screen


def test_help_lists_the_commands():
    outcome, dossier, screen = play("/aide\r/quitter\r", dossier_at("siret"))
    for command in ("/aide", "/retour", "/passer", "/sommaire", "/verifier", "/quitter", "/editeur"):
        assert command in screen


def test_unknown_command_is_refused_at_the_prompt():
    outcome, dossier, _ = play("/partir\r" + BACKSPACE * 7 + "CH\r/quitter\r", dossier_at("etablissement"))
    assert dossier.get("etablissement") == "CH"


def test_ctrl_c_interrupts():
    outcome, dossier, _ = play("CH A\r\x03", dossier_at("etablissement"))
    assert outcome is Outcome.INTERRUPTED and dossier.get("etablissement") == "CH A"


def test_welcome_warns_when_the_deadline_has_passed():
    outcome, dossier, screen = play("/quitter\r", Dossier.new("essai", IDF))
    assert "21 octobre 2022" in screen and "Cette date est passée" in screen
    assert "40 000,00 €" in screen.replace("\u202f", " ").replace("\u00a0", " ")


def test_editor_command_uses_the_users_editor(monkeypatch, tmp_path):
    script = tmp_path / "editeur.sh"
    script.write_text("#!/bin/sh\nprintf 'Écrit dans l éditeur' > \"$1\"\n")
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    outcome, dossier, _ = play("/editeur\r" + ESC + "\r/quitter\r", dossier_at("objectifs"))
    assert dossier.get("objectifs") == "Écrit dans l éditeur"


@pytest.mark.parametrize("width", [80, 120])
def test_screens_fit_the_terminal(width):
    outcome, dossier, screen = play("/sommaire\r\r/quitter\r", Dossier.new("essai", IDF), width=width)
    assert max(len(line) for line in screen.splitlines()) <= width
