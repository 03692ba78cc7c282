"""The dialogue's logic through a scripted asker: order, conditions, back, skip, groups,
review, undo, quitting and resuming."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from conftest import FIXTURES
from scripted import ScriptedAsker

from assistant import loading
from assistant.asking import Outcome, parse_group_action
from assistant.dossier import Dossier
from assistant.errors import InvalidAnswer
from assistant.flow import Flow

# The small questionnaire: porteur (text), financement (yes/no), depenses (group, only if
# financement), montant_demande (amount).
SMALL = loading.read_appel(FIXTURES / "questionnaires" / "valide.yaml")


class Saves:
    def __init__(self):
        self.count = 0
        self.snapshots: list[dict] = []

    def __call__(self, dossier: Dossier) -> None:
        self.count += 1
        self.snapshots.append(dict(dossier.raw))


def run(replies, dossier=None, appel=SMALL, today=date(2026, 1, 1)):
    dossier = dossier or Dossier.new("essai", appel)
    asker, saves = ScriptedAsker(replies), Saves()
    outcome = Flow(dossier, saves, asker, today=today).run()
    return outcome, dossier, asker, saves


def test_questions_in_order_and_a_save_after_every_answer():
    outcome, dossier, asker, saves = run(["CH A", "non", "1 000", ""])
    assert outcome is Outcome.DONE
    assert asker.asked == ["porteur", "financement", "montant_demande", "sommaire"]
    assert dossier.answers == {"porteur": "CH A", "financement": False, "montant_demande": Decimal("1000.00")}
    assert saves.snapshots[0] == {"porteur": "CH A"}  # saved right after the first answer
    assert saves.count == 4  # three answers and the final save


def test_refused_answer_is_asked_again_and_nothing_is_touched():
    _outcome, dossier, asker, _saves = run(["CH A", "peut-être", "non", "12,345", "12 345", ""])
    assert asker.asked[:5] == ["porteur", "financement", "financement", "montant_demande", "montant_demande"]
    assert any("oui ou non" in n for n in asker.notices)
    assert any("deux décimales" in n for n in asker.notices)
    assert dossier.get("montant_demande") == Decimal("12345.00")


def test_back_across_questions_keeps_answers():
    _outcome, dossier, asker, _ = run(["CH A", "non", "/retour", "/retour", "CH B", "", "5", ""])
    assert asker.asked == ["porteur", "financement", "montant_demande", "financement", "porteur", "financement",
                           "montant_demande", "sommaire"]
    assert dossier.get("porteur") == "CH B" and dossier.get("financement") is False


def test_skip_leaves_a_required_question_for_later():
    outcome, dossier, asker, _ = run(["/passer", "non", "5", ""])
    assert outcome is Outcome.DONE
    assert [q.id for q in dossier.missing_required()] == ["porteur"]
    assert asker.reviews[-1].sections[0][1][0].missing


def test_empty_answer_keeps_the_saved_one_but_not_on_an_empty_required_question():
    dossier = Dossier.new("essai", SMALL)
    dossier.set("porteur", "CH A")
    dossier.position = dossier.position.model_copy(update={"question": "porteur"})
    _outcome, dossier, asker, _ = run(["", "", "non", "5", ""], dossier=dossier)
    assert asker.asked[:3] == ["porteur", "financement", "financement"]  # empty on financement: asked again
    assert any("obligatoire" in n for n in asker.notices)
    assert dossier.get("porteur") == "CH A"


def test_resuming_without_a_position_starts_at_the_first_unanswered_question():
    dossier = Dossier.new("essai", SMALL)
    dossier.set("porteur", "CH A")
    _outcome, dossier, asker, _ = run(["/quitter"], dossier=dossier)
    assert asker.asked == ["financement"]


def test_conditions_decide_what_is_asked():
    _outcome, dossier, asker, _ = run(["CH A", "oui", "a", "Fauteuil", "900", "t", "900", ""])
    assert "groupe:depenses" in asker.asked
    assert dossier.get("depenses") == [{"libelle": "Fauteuil", "montant": Decimal("900.00")}]


def test_changing_an_answer_from_the_review_asks_what_became_applicable():
    # financement = non; then from the review, question 2 becomes oui: the group is asked.
    _outcome, dossier, asker, _ = run(["CH A", "non", "5", "2", "oui", "a", "Fauteuil", "900", "t", ""])
    assert asker.asked == ["porteur", "financement", "montant_demande", "sommaire", "financement",
                           "groupe:depenses", "depenses.libelle", "depenses.montant", "groupe:depenses", "sommaire"]
    assert dossier.get("depenses")[0]["libelle"] == "Fauteuil"


def test_an_answer_that_no_longer_applies_is_kept_and_said():
    _outcome, dossier, asker, _ = run(["CH A", "oui", "a", "Fauteuil", "900", "t", "900", "2", "non", ""])
    assert dossier.get("depenses")  # kept, never silently dropped
    assert any("ne s'appliquent plus" in n and "Dépenses" in n for n in asker.notices)


def test_undo_from_the_review():
    _outcome, dossier, asker, _saves = run(["CH A", "non", "5", "1", "CH B", "/annuler", ""])
    assert dossier.get("porteur") == "CH A"
    assert any("annulée" in n for n in asker.notices)


def test_group_add_modify_remove_and_minimum():
    appel = loading.find_appel("idf-2022-actes-interventionnels")
    dossier = Dossier.new("g", appel)
    flow_asker = ScriptedAsker([
        "t",                                      # done with nothing: refused, at least one line
        "a", "Dr A", "Radiologue", "Médecin référent du projet", "",
        "a", "B", "IDE", "membre", "0,5",
        "m 2", "", "", "Coordonne les appels", "",
        "s 1",
        "m 9",                                    # no line 9
        "t",
        "/quitter",
    ])
    dossier.position = dossier.position.model_copy(update={"section": "description", "question": "equipe"})
    outcome = Flow(dossier, lambda d: None, flow_asker).run()
    assert outcome is Outcome.QUIT
    assert dossier.get("equipe") == [{"nom": "B", "fonction": "IDE", "role": "Coordonne les appels", "etp": Decimal("0.5")}]
    assert any("au moins 1" in n for n in flow_asker.notices)
    assert any("entre 1 et 1" in n for n in flow_asker.notices)


def test_back_on_the_first_field_cancels_the_item():
    _outcome, dossier, _asker, _ = run(["CH A", "oui", "a", "/retour", "t", "5", ""])
    assert dossier.get("depenses") is None


def test_help_summary_and_verify_do_not_move():
    _outcome, _dossier, asker, _ = run(["/aide", "/sommaire", "", "/verifier", "CH A", "non", "5", ""])
    assert asker.asked[:5] == ["porteur", "aide:porteur", "porteur", "sommaire", "porteur"]
    assert "verifications" in asker.asked


def test_quit_and_interrupt_save_the_position_and_resume_there():
    outcome, dossier, asker, saves = run(["CH A", "/quitter"])
    assert outcome is Outcome.QUIT and dossier.position.question == "financement"
    outcome, dossier, asker, saves = run(["non"], dossier=dossier)  # then the script ends: Ctrl-D
    assert asker.asked[0] == "financement"
    assert outcome is Outcome.INTERRUPTED and saves.count >= 1
    assert dossier.position.question == "montant_demande"


def test_review_edit_keeps_the_position_for_resuming():
    _outcome, dossier, _asker, _saves = run(["CH A", "non", "/sommaire", "1", "CH B", "", "/quitter"])
    assert dossier.position.question == "montant_demande"


def test_welcome_overview_and_deadline():
    dossier = Dossier.new("x", loading.find_appel("idf-2022-actes-interventionnels"))
    asker = ScriptedAsker([])
    Flow(dossier, lambda d: None, asker, today=date(2026, 11, 22)).run()
    assert asker.overview.deadline_passed
    assert [s.section.id for s in asker.overview.sections] == ["informations_generales", "description", "budget", "annexes"]
    assert asker.sections == ["informations_generales"]


def test_invalid_saved_answer_is_shown_and_asked_again():
    dossier = Dossier.new("x", SMALL)
    dossier.raw["montant_demande"] = "beaucoup"
    dossier.invalid["montant_demande"] = "« beaucoup » n'est pas un montant"
    dossier.set("porteur", "CH")
    dossier.set("financement", False)
    dossier.position = dossier.position.model_copy(update={"question": "montant_demande"})
    _outcome, dossier, asker, _ = run(["5", ""], dossier=dossier)
    first = asker.asks[0]
    assert first.error and first.default == "beaucoup"
    assert dossier.get("montant_demande") == Decimal("5.00") and not dossier.invalid


@pytest.mark.parametrize("text, expected", [("a", ("a", None)), ("", ("t", None)), ("M 2", ("m", 2)),
                                            ("supprimer 1", ("s", 1)), ("t", ("t", None))])
def test_group_actions(text, expected):
    assert parse_group_action(text, 2) == expected


@pytest.mark.parametrize("text", ["m", "m 3", "x", "s 0"])
def test_group_actions_refused(text):
    with pytest.raises(InvalidAnswer):
        parse_group_action(text, 2)
