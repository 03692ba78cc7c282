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
from assistant.commands import COMMANDS, Command, Prompt, command_list, command_of
from assistant.dialogue import TerminalAsker
from assistant.dossier import Dossier
from assistant.errors import InvalidAnswer
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
    _outcome, dossier, screen = play("\r/quitter\r", dossier)
    assert str(dossier.get("montant_demande")) == "40000.00"
    assert "Réponse enregistrée proposée" in screen


def test_amount_typed_the_french_way():
    _outcome, dossier, _ = play("38 500,50 €\r/quitter\r", dossier_at("montant_demande"))
    assert str(dossier.get("montant_demande")) == "38500.50"


def test_long_text_keeps_paragraphs_and_finishes_with_escape_enter():
    keys = "Premier paragraphe.\r\rSecond paragraphe." + ESC + "\r/quitter\r"
    _outcome, dossier, screen = play(keys, dossier_at("objectifs"))
    assert dossier.get("objectifs") == "Premier paragraphe.\n\nSecond paragraphe."
    assert "3 000 caractères conseillés" in screen.replace("\u202f", " ")


def test_command_alone_finishes_a_long_text_prompt():
    outcome, dossier, _ = play("/quitter\r", dossier_at("objectifs"))
    assert outcome is Outcome.QUIT and dossier.get("objectifs") is None


def test_multiple_choice_with_space_arrows_and_digits():
    keys = " " + DOWN + DOWN + " " + "6" + "\r/quitter\r"
    _outcome, dossier, screen = play(keys, dossier_at("engagements"))
    assert dossier.get("engagements") == ["equipe_projet", "checklist_has", "bilans_6_12_mois"]
    assert "Documents pour les patients qui seront mis en place" in screen  # the next question


def test_multiple_choice_slash_opens_commands():
    outcome, _dossier, _ = play("/" + "retour\r/quitter\r", dossier_at("engagements"))
    assert outcome is Outcome.QUIT


def test_multiple_choice_slash_then_not_a_command_is_refused_not_an_empty_answer():
    saved = dossier_at("engagements", engagements=["equipe_projet"])
    outcome, dossier, screen = play("/" + "editeur/précédent\r" + "\x15/quitter\r", saved)
    # Refused at the command prompt (the text stays for correction), so Ctrl-U and /quitter
    # end the run there: nothing was taken as an answer, the next question never came.
    assert outcome is Outcome.QUIT and dossier.get("engagements") == ["equipe_projet"]
    assert "Documents pour les patients" not in screen


def test_multiple_choice_command_line_left_empty_goes_back_to_the_ticks_as_they_were():
    # Tick a second box, open the command line, erase it: the list comes back with both ticks.
    saved = dossier_at("engagements", engagements=["equipe_projet"])
    keys = DOWN + " " + "/" + BACKSPACE + "\r" + "\r/quitter\r"
    outcome, dossier, _screen = play(keys, saved)
    assert outcome is Outcome.QUIT
    assert dossier.get("engagements") == ["equipe_projet", "documents_patients"]


def test_single_choice_by_number_or_label():
    _outcome, dossier, screen = play("2\r/quitter\r", dossier_at("statut_juridique"))
    assert dossier.get("statut_juridique") == "prive_non_lucratif"
    assert "3. Établissement privé à but lucratif" in screen
    _outcome, dossier, _ = play("établissement public de santé\r/quitter\r", dossier_at("statut_juridique"))
    assert dossier.get("statut_juridique") == "public"


def test_yes_no_accepts_the_usual_words():
    for word, expected in (("o", True), ("non", False), ("yes", True)):
        _outcome, dossier, _ = play(f"{word}\r/quitter\r", dossier_at("autorisation"))
        assert dossier.get("autorisation") is expected


def test_group_table_and_running_total():
    keys = ("a\rpersonnel\rIDE de coordination\r18 000\r18 000\r"
            "a\rformation\rFormation check-list\r6 500,50\r6 000\r"
            "t\r/quitter\r")
    _outcome, dossier, screen = play(keys, dossier_at("depenses"), width=140)
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
    _outcome, dossier, screen = play("/sommaire\r1\r\x15CH B\r\r/quitter\r", dossier)
    assert dossier.get("etablissement") == "CH B"
    # The questions after the first were never put: work to come, not answers missing.
    assert "Sommaire du dossier" in screen and "pas encore posée" in screen


def test_help_lists_the_commands():
    _outcome, _dossier, screen = play("/aide\r/quitter\r", dossier_at("siret"))
    help_shown = screen[screen.rindex("Aide —"):]  # /aide itself is not listed: it is what is being read
    for command in ("/retour", "/passer", "/sommaire", "/verifier", "/annuler", "/quitter", "/editeur"):
        assert command in help_shown


def test_unknown_command_is_refused_at_the_prompt():
    _outcome, dossier, _ = play("/partir\r" + BACKSPACE * 7 + "CH\r/quitter\r", dossier_at("etablissement"))
    assert dossier.get("etablissement") == "CH"


def test_ctrl_c_interrupts():
    outcome, dossier, _ = play("CH A\r\x03", dossier_at("etablissement"))
    assert outcome is Outcome.INTERRUPTED and dossier.get("etablissement") == "CH A"


def test_welcome_warns_when_the_deadline_has_passed():
    _outcome, _dossier, screen = play("/quitter\r", Dossier.new("essai", IDF))
    assert "21 octobre 2022" in screen and "Cette date est passée" in screen
    assert "40 000,00 €" in screen.replace("\u202f", " ").replace("\u00a0", " ")


def test_editor_command_uses_the_users_editor(monkeypatch, tmp_path):
    script = tmp_path / "editeur.sh"
    script.write_text("#!/bin/sh\nprintf 'Écrit dans l éditeur' > \"$1\"\n")
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    _outcome, dossier, _ = play("/editeur\r" + ESC + "\r/quitter\r", dossier_at("objectifs"))
    assert dossier.get("objectifs") == "Écrit dans l éditeur"


@pytest.mark.parametrize("width", [80, 120])
def test_screens_fit_the_terminal(width):
    _outcome, _dossier, screen = play("/sommaire\r\r/quitter\r", Dossier.new("essai", IDF), width=width)
    # An address longer than the terminal is the one exception: a line of its own, left to the
    # terminal to wrap, so that it is copied whole.
    assert max(len(line) for line in screen.splitlines() if " " in line.strip()) <= width


# -- one command table: the same spellings at every prompt, listed where they apply ---------------

def _previous(question_id: str) -> str:
    ids = [q.id for _s, q in Flow(Dossier.new("essai", IDF), lambda d: None, None).order()]
    return ids[ids.index(question_id) - 1]


@pytest.mark.parametrize("question_id", ["finess_juridique", "autorisation", "statut_juridique", "activites",
                                         "objectifs", "depenses"])
def test_slash_space_retour_goes_back_from_every_kind_of_question(question_id):
    # Regression: `/ retour` added a line to a long text instead of going back. In the
    # multiple choice, `/` opens the command prompt and the rest is typed after it.
    outcome, dossier, _ = play("/ retour\r/quitter\r", dossier_at(question_id))
    assert outcome is Outcome.QUIT
    assert dossier.position.question == _previous(question_id)


def test_slash_space_retour_on_a_group_line_and_in_the_review():
    # On the line's first field it abandons the line; on a later field it goes back one field.
    outcome, dossier, screen = play("a\r/ retour\ra\rpersonnel\r/ Retour\r\x15formation\rIDE\r18 000\r18 000\r"
                                    "/quitter\r", dossier_at("depenses"))
    assert outcome is Outcome.QUIT
    assert [(line["nature"], line["libelle"]) for line in dossier.get("depenses")] == [("formation", "IDE")]
    outcome, dossier, screen = play("/sommaire\r/ retour\r/quitter\r", dossier_at("etablissement"))
    assert outcome is Outcome.QUIT and screen.count("Sommaire du dossier") == 1


@pytest.mark.parametrize("typed", ["/RETOUR", "/  retour  ", "/Précédent", "/ précédent"])
def test_a_command_is_recognised_whatever_its_case_accents_spaces_or_alias(typed):
    outcome, dossier, _ = play(typed + "\r/quitter\r", dossier_at("objectifs"))
    assert outcome is Outcome.QUIT and dossier.position.question == _previous("objectifs")


def test_one_function_recognises_commands():
    assert command_of("/vérifier") == command_of("/ Verifier") == Command("verifier")
    assert command_of("/éditeur") == command_of("/editer") == Command("editeur")
    assert command_of("une réponse") is None
    assert command_of("/home/claire/devis.pdf") is None  # a path is an answer, not a command
    assert command_of("/\nretour") is None
    for unknown in ("/", "/partir"):
        with pytest.raises(InvalidAnswer, match="commande inconnue"):
            command_of(unknown)
    with pytest.raises(InvalidAnswer, match="terminez d'abord cette ligne"):
        command_of("/sommaire", Prompt.ITEM)
    with pytest.raises(InvalidAnswer, match="ne s'utilise pas ici"):
        command_of("/editeur", Prompt.REVIEW)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_spelling_designates_two_commands(lang):
    from assistant import i18n

    with i18n.use_language(lang):
        spellings = [spelling for command in COMMANDS for spelling in command.spellings()]
    assert len(spellings) == len(set(spellings))


def test_an_absolute_path_is_typed_in_a_file_field():
    # Regression: `/home/…` was refused as an unknown command.
    _outcome, dossier, _ = play("a\rDevis\r/tmp/devis.pdf\r\rt\r/quitter\r", dossier_at("annexes"))
    assert dossier.get("annexes") == [{"titre": "Devis", "fichier": "/tmp/devis.pdf"}]


# Keys that open `/aide` at each kind of prompt, then quit; the question they start from.
HELP_AT = {
    Prompt.TEXT: ("finess_juridique", "/aide\r/quitter\r"),
    Prompt.LONG_TEXT: ("objectifs", "/aide\r/quitter\r"),
    Prompt.CHOICE: ("statut_juridique", "/aide\r/quitter\r"),
    Prompt.MULTIPLE_CHOICE: ("activites", "/aide\r/quitter\r"),
    Prompt.GROUP: ("depenses", "/aide\r/quitter\r"),
    Prompt.ITEM: ("depenses", "a\r/aide\r/quitter\r"),
    Prompt.REVIEW: ("etablissement", "/sommaire\r/aide\r/quitter\r"),
}


@pytest.mark.parametrize("prompt", list(Prompt))
def test_aide_lists_every_command_that_applies_at_the_prompt_and_only_those(prompt):
    question_id, keys = HELP_AT[prompt]
    outcome, _dossier, screen = play(keys, dossier_at(question_id), width=200)
    assert outcome is Outcome.QUIT
    shown = " ".join(screen[screen.rindex("Aide —"):].split())
    for command in COMMANDS:
        # In two columns, each command then its line; /aide itself is what is being read.
        line = f"/{command.word()} {command.describe(prompt)}"
        assert (line in shown) == (prompt in command.prompts and command.name != "aide"), (prompt, command.name)


@pytest.mark.parametrize("prompt", list(Prompt))
def test_the_completion_menu_offers_every_command_that_applies_at_the_prompt(prompt):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    question_id, keys = HELP_AT[prompt]
    with terminal() as (pipe, asker, _screen):
        pipe.send_text(keys)
        pipe.close()
        completers = []
        prompt_once = asker.session.prompt

        def recording(*args, **kwargs):  # the completer each prompt of the dialogue was given
            completers.append(kwargs.get("completer"))
            return prompt_once(*args, **kwargs)

        asker.session.prompt = recording
        Flow(dossier_at(question_id), lambda d: None, asker, today=date(2026, 11, 22)).run()
    # The prompt where /aide was typed (for the multiple choice: the one its `/` opened).
    completer = completers[keys[:keys.index("/aide")].count("\r")]
    offered = {c.text: c.display_meta_text for c in completer.get_completions(Document("/"), CompleteEvent())}
    expected = {"/" + command.word(): command.describe(prompt) for command in COMMANDS if prompt in command.prompts}
    assert {word: meta for word, meta in offered.items() if word.startswith("/")} == expected
    typed = {c.text for c in completer.get_completions(Document("/ vér"), CompleteEvent())}
    assert typed == ({"/verifier"} if prompt is not Prompt.ITEM else set())


def test_the_toolbar_lists_the_commands_of_its_prompt():
    assert command_list(Prompt.TEXT) == "/aide /retour /passer /sommaire /verifier /annuler /quitter"
    assert command_list(Prompt.ITEM) == "/aide /retour /quitter"
