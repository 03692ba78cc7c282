"""The dialogue's logic through a scripted asker: order, conditions, back, skip, groups,
review, undo, quitting and resuming."""

from __future__ import annotations

import json
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
        "a", "Dr A", "Radiologue", "Médecin référent du projet", "", "",
        "a", "B", "IDE", "membre", "0,5", "",
        "m 2", "", "", "Coordonne les appels", "", "",
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


# -- a saved group that does not decode ----------------------------------------------------------
# One bad field in one row (edited by hand) must not throw the group away: the editor starts from
# the saved rows, shows each damaged one with its problem, and the file keeps the saved group until
# a corrected one is saved, with every row the user did not remove.


class _GroupRecorder(ScriptedAsker):
    """Records each group screen, and what the file holds at that moment."""

    def __init__(self, replies, in_file):
        super().__init__(replies)
        self.groups: list = []
        self.in_file: list = []
        self._in_file = in_file

    def group(self, ask):
        self.groups.append(ask)
        self.in_file.append(self._in_file())
        return super().group(ask)


def _damaged_store(tmp_path, question_id: str, edit):
    """The example dossier in a real store, then one of its groups edited by hand in the file."""
    from builders import dossier_from, example_answers, save

    from assistant.store import Store

    store = Store(tmp_path / "dossiers", loading.find_appel)
    dossier = dossier_from(example_answers(), name="exemple")
    save(store, dossier)
    path = store.path("exemple")
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data["reponses"][question_id])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store, data["reponses"][question_id]


def _resume(store, question_id: str, replies):
    """`aap reprendre` on the group: the flow saves through the dossier's session after each change."""
    with store.session("exemple") as session:
        dossier = session.load()
        assert question_id in dossier.invalid and dossier.get(question_id) is None
        section = dossier.appel.section_of(question_id)
        dossier.position = dossier.position.model_copy(update={"section": section.id, "question": question_id})
        def in_file():
            return json.loads(store.path("exemple").read_text(encoding="utf-8"))["reponses"].get(question_id)
        asker = _GroupRecorder(replies, in_file)
        Flow(dossier, session.save, asker).run()
    return asker, in_file(), store.load("exemple")


def _unknown_key(rows):
    rows[0]["inconnu"] = "x"


def _negative_amount(rows):
    rows[0]["montant"] = "-5.00"


def _french_date(rows):
    rows[0]["echeance"] = "21/10/2022"


@pytest.mark.parametrize("question_id, edit, correction, shown", [
    ("equipe", _unknown_key, ["", "", "", "", ""], "inconnu"),
    ("depenses", _negative_amount, ["", "", "5,00", "5"], "-5.00"),
    ("calendrier", _french_date, ["", ""], "21/10/2022"),
])
def test_a_damaged_row_keeps_the_group_and_is_corrected_in_place(tmp_path, question_id, edit, correction, shown):
    store, damaged = _damaged_store(tmp_path, question_id, edit)
    count = len(damaged)
    replies = ["a", *(["Nouvelle étape", "31/12/2023"] if question_id == "calendrier" else
                      ["Dr Z", "Pharmacien", "Sécurise le circuit", "", ""] if question_id == "equipe" else
                      ["autre", "Affiches", "100", "100"]),
               "t",                        # refused: line 1 is still damaged
               "m 1", *correction,
               "t", "/quitter"]
    asker, saved, reloaded = _resume(store, question_id, replies)
    first = asker.groups[0]
    # The saved rows are offered, the damaged one among them, and its problem is said.
    assert len(first.items) == count
    assert first.items[1:] == reloaded.get(question_id)[1:count]
    assert any("ligne 1" in line and shown in line for line in first.damage)
    assert any("ligne 1" in n and "endommagée" in n for n in asker.notices)  # `t` refused, the line named
    # Adding a line while one is damaged changes nothing in the file, nor does a refused `t`.
    assert asker.in_file[:3] == [damaged] * 3 and len(asker.groups[2].items) == count + 1
    # Corrected: every row is saved, the new one too, and the group reads back whole.
    assert len(saved) == count + 1 and question_id not in reloaded.invalid
    assert len(reloaded.get(question_id)) == count + 1
    assert reloaded.raw[question_id][1:count] == damaged[1:]
    assert not asker.groups[-1].damage


def test_a_corrected_date_is_saved_as_aap_writes_it(tmp_path):
    store, _damaged = _damaged_store(tmp_path, "calendrier", _french_date)
    asker, saved, reloaded = _resume(store, "calendrier", ["m 1", "", "", "t", "/quitter"])
    field = next(a for a in asker.asks if a.question.id == "echeance")
    assert field.error and "2022-10-21" in field.error  # the problem shown on the field itself
    assert saved[0]["echeance"] == "2022-10-21"
    assert reloaded.get("calendrier")[0]["echeance"] == date(2022, 10, 21)


def test_a_damaged_amount_is_offered_as_saved_to_be_corrected(tmp_path):
    store, _damaged = _damaged_store(tmp_path, "depenses", _negative_amount)
    asker, saved, _reloaded = _resume(store, "depenses", ["m 1", "", "", "-5", "5", "", "t", "/quitter"])
    field = next(a for a in asker.asks if a.question.id == "montant")
    assert field.error and field.default == "-5.00"
    assert saved[0]["montant"] == "5.00"


def test_removing_the_damaged_row_saves_the_others(tmp_path):
    store, damaged = _damaged_store(tmp_path, "equipe", _unknown_key)
    _asker, saved, reloaded = _resume(store, "equipe", ["s 1", "t", "/quitter"])
    assert saved == damaged[1:] and "equipe" not in reloaded.invalid


def test_leaving_a_damaged_group_keeps_the_file_as_it_was(tmp_path):
    store, damaged = _damaged_store(tmp_path, "equipe", _unknown_key)
    asker, saved, reloaded = _resume(store, "equipe", [
        "a", "Dr Z", "Pharmacien", "Sécurise le circuit", "", "", "s 3", "/passer", "/quitter"])
    assert saved == damaged and "equipe" in reloaded.invalid
    assert all(held == damaged for held in asker.in_file)
    assert any("ne sont pas enregistrées" in n for n in asker.notices)
    # The .bak, written by each save, holds the whole group too.
    backup = json.loads(store.backup_path("exemple").read_text(encoding="utf-8"))
    assert backup["reponses"]["equipe"] == damaged


def test_a_group_saved_as_something_else_than_a_list_is_said_and_asked_again(tmp_path):
    from builders import dossier_from, example_answers, save

    from assistant.store import Store

    store = Store(tmp_path / "dossiers", loading.find_appel)
    save(store, dossier_from(example_answers(), name="exemple"))
    path = store.path("exemple")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reponses"]["equipe"] = "Dr A, Dr B"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    asker, saved, _reloaded = _resume(store, "equipe", ["/passer", "/quitter"])
    assert asker.groups[0].items == [] and asker.groups[0].damage
    assert saved == "Dr A, Dr B"
