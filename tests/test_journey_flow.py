"""The journey around the dialogue, through the flow (no terminal): the document offered at the
end, a finished dossier reopening on the review, a removed line named, the checks of one answer
told as soon as it is typed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from builders import dossier_from, example_answers
from scripted import ScriptedAsker

from assistant.checks import check
from assistant.dossier import Position
from assistant.export import export_dossier
from assistant.flow import Flow

DEPOSIT_EVE = date(2022, 10, 20)


def _finished(**changes):
    answers = example_answers()
    answers.update(changes)
    return dossier_from(answers)


def _flow(dossier, replies, folder: Path | None = None, today=DEPOSIT_EVE):
    asker = ScriptedAsker(replies)

    def deliver(written, mode):
        return export_dossier(written, mode, None, overwrite=False, force=False, folder=folder,
                              deposit=mode == "depot", checked_on=today)

    flow = Flow(dossier, lambda d: None, asker, today=today, checks=check, deliver=deliver if folder else None)
    return flow, asker


def _last(dossier):
    last = [q for s in dossier.appel.sections for q in s.questions if dossier.applies(q)][-1]
    return last


def test_a_finished_dossier_reopens_on_the_review_then_offers_the_document(tmp_path):
    dossier = _finished()
    last = _last(dossier)
    dossier.position = Position(section=dossier.appel.section_of(last.id).id, question=last.id)
    flow, asker = _flow(dossier, ["", 0], folder=tmp_path)  # Enter at the review, then « relecture »
    flow.run()
    assert asker.asked[0] == "sommaire" and asker.reviews[0].final
    title, options = asker.choices[0]
    assert title == "Produire le document Word maintenant ?" and len(options) == 4
    [result] = asker.delivered_results
    assert result.mode == "relecture" and result.path.exists() and result.path.suffix == ".docx"


def test_an_unfinished_dossier_resumes_where_it_was_left():
    answers = example_answers()
    del answers["objectifs"]
    dossier = dossier_from(answers)
    last = _last(dossier)
    dossier.position = Position(section=dossier.appel.section_of(last.id).id, question=last.id)
    flow, asker = _flow(dossier, [])
    flow.run()
    assert asker.asked[0] in (last.id, f"groupe:{last.id}")


def test_both_versions_with_the_deposit_folder(tmp_path):
    dossier = _finished()
    dossier.position = Position(question=_last(dossier).id)
    flow, asker = _flow(dossier, ["", 2], folder=tmp_path)
    flow.run()
    modes = [r.mode for r in asker.delivered_results]
    assert modes == ["relecture", "depot"]
    submission = asker.delivered_results[1]
    assert submission.path.exists() and submission.deposit is not None and submission.deposit.folder.is_dir()


def test_a_refused_submission_shows_why_and_offers_the_review_version(tmp_path):
    dossier = _finished(montant_demande="45000")
    dossier.position = Position(question=_last(dossier).id)
    flow, asker = _flow(dossier, ["", 1, 0], folder=tmp_path)  # submission, then « Oui » to the review version
    flow.run()
    assert "verifications" in asker.asked
    assert any(f.rule == "plafond_subvention" for f in asker.found)
    assert any("la version de dépôt n'est pas produite" in n for n in asker.notices)
    assert asker.choices[1][0] == "Produire la version de relecture à la place ?"
    assert [r.mode for r in asker.delivered_results] == ["relecture"]
    assert not list(tmp_path.glob("*-depot.docx"))


def test_later_writes_nothing(tmp_path):
    dossier = _finished()
    dossier.position = Position(question=_last(dossier).id)
    flow, asker = _flow(dossier, ["", 3], folder=tmp_path)
    flow.run()
    assert asker.delivered_results == [] and not list(tmp_path.iterdir())


def test_removing_a_line_says_which_and_undo_brings_it_back():
    dossier = _finished()
    budget = dossier.appel.question("depenses")
    dossier.position = Position(question=budget.id)
    first = dossier.get("depenses")[0]
    flow, asker = _flow(dossier, ["s 1", "/annuler", "/quitter"])
    flow.run()
    removed = next(n for n in asker.notices if n.startswith("ligne 1 supprimée : "))
    assert first["libelle"][:40] in removed and "/annuler la rétablit" in removed
    assert "€" not in removed or "\u00a0€" in removed  # shown as read (display), not as typed
    assert dossier.get("depenses")[0] == first


def test_the_cap_is_told_as_soon_as_the_amount_is_typed_and_the_answer_is_kept():
    dossier = _finished()
    dossier.position = Position(question="montant_demande")
    flow, asker = _flow(dossier, ["45 000", "/quitter"])
    flow.run()
    assert dossier.get("montant_demande") == 45000
    told = [n for n in asker.notices if n.startswith("Erreur : ")]
    assert told and "40 000" in told[0]


def test_a_line_whose_ars_share_exceeds_its_amount_is_told_when_the_line_is_added():
    dossier = _finished()
    dossier.position = Position(question="depenses")
    line = ["a", "equipement", "Écran de salle", "1 000", "2 000"]
    fields = [f.id for f in dossier.appel.question("depenses").fields]
    # Optional fields after the share: left empty.
    replies = line + [""] * (len(fields) - 4) + ["/quitter"]
    flow, asker = _flow(dossier, replies)
    flow.run()
    told = [n for n in asker.notices if n.startswith("Erreur : ")]
    assert len(told) == 1, asker.notices
    # A rule comparing answers (the shares against the amount requested) waits for the section's end.
    assert not any("montant demandé" in n.lower() for n in told if "ligne" not in n.lower())


def test_a_group_wide_rule_does_not_nag_while_lines_are_added():
    dossier = dossier_from({})
    dossier.position = Position(question="equipe")
    fields = dossier.appel.question("equipe").fields
    replies = ["a", "Dr A. Martin", "Radiologue", "Pilote le projet et anime le comité de suivi mensuel", "0,2"]
    replies += [""] * (len(fields) - 4) + ["/quitter"]
    flow, asker = _flow(dossier, replies)
    flow.run()
    # The team's lack of paramedics is for the end of the section, not for its first line.
    assert not [n for n in asker.notices if "paramédic" in n.lower()], asker.notices


def test_no_offer_without_a_deliver_callback():
    dossier = _finished()
    dossier.position = Position(question=_last(dossier).id)
    flow, asker = _flow(dossier, [""])
    flow.run()
    assert asker.choices == []


def test_the_review_offers_the_document_at_any_time(tmp_path):
    answers = example_answers()
    del answers["objectifs"]
    dossier = dossier_from(answers)
    dossier.position = Position(question="titre_projet")
    flow, asker = _flow(dossier, ["/sommaire", "/exporter", 0, "/quitter"], folder=tmp_path)
    flow.run()
    assert asker.choices and [r.mode for r in asker.delivered_results] == ["relecture"]
    assert asker.delivered_results[0].path.exists()
