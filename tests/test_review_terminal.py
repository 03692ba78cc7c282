"""`aap relire` in a real pseudo-terminal, as an author goes through the reviewers' files: three
files (a tracked change in a long text, an untracked edit in a budget cell, a comment and a tracked
change on a team member's role), one proposal accepted, one refused, one rewritten; and an amount
a reviewer made unreadable, corrected at the edit prompt."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pexpect
import pytest
import reviewing as rv
from builders import EXAMPLE
from conftest import plain, run_aap
from test_end_to_end import PROMPT, User, spawn

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

NAME = "exemple"
CHOICES = "a : accepter · r : refuser · m : modifier · p : plus tard"
EDIT_ONE_LINE = "Votre texte (Entrée pour valider)"
CLEAR_LINE = "\x15"  # Ctrl-U: prompt-toolkit deletes from the cursor (after the default) to the line start
NEW_ROLE = "Référent check-list HAS en salle, forme les MERM chaque trimestre"
HEADER = re.compile(r"(\d)/3 · (Méthode de travail|Dépenses prévues|Équipe projet)")


@pytest.fixture
def exported(tmp_path):
    return rv.exported_dossier(tmp_path, NAME)


def _answers(folder: Path) -> dict:
    return rv.saved_answers(folder, NAME)


def _finish(child: pexpect.spawn) -> str:
    """Everything the command printed after the last prompt, once it has exited."""
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def _three_reviewed_copies(exported: Path, tmp_path: Path) -> list[Path]:
    martin = rv.track_replace(exported, tmp_path / "a.docx", "comité de pilotage mensuel",
                              "comité de pilotage bimensuel", author="Dr Martin")
    untracked = rv.plain_replace(exported, tmp_path / "b.docx", "Deux fauteuils de repos",
                                 "Trois fauteuils de repos")
    durand = rv.comment(exported, tmp_path / "c-1.docx", "Référent check-list HAS en salle",
                        "Préciser la fréquence de la formation", author="Mme Durand")
    durand = rv.track_replace(durand, tmp_path / "c.docx", "forme ses collègues MERM", "forme tous les MERM",
                              author="Mme Durand")
    return [martin, untracked, durand]


def test_accept_refuse_and_rewrite_three_reviewers_proposals(exported, tmp_path):
    folder, env, path = exported
    files = _three_reviewed_copies(path, tmp_path)
    before = _answers(folder)
    child = spawn("relire", NAME, *map(str, files), folder=folder)
    user = User(child)
    user.sees("3 fichiers relus", "Dr Martin", "3 modifications proposées")
    seen = []
    for _turn in range(3):
        child.expect(HEADER)
        number, label = child.match.group(1), child.match.group(2)
        seen.append(int(number))
        if label == "Méthode de travail":
            user.sees("Proposé par Dr Martin (a.docx)", "[-mensuel-]", "{+bimensuel+}")
            user.answers(CHOICES, "a\r")
        elif label == "Dépenses prévues":
            user.sees("ligne 3", "Libellé", "Modifié sans suivi des modifications (b.docx)", "[-Deux-]", "{+Trois+}")
            user.answers(CHOICES, "r\r")
        else:
            user.sees("ligne 4", "Rôle précis dans le projet", "Proposé par Mme Durand (c.docx)",
                      "{+tous les+}", "Préciser la fréquence de la formation")
            user.answers(CHOICES, "m\r")
            # The proposed text is the editable default: cleared, then the author's own text.
            user.sees(EDIT_ONE_LINE, PROMPT, "forme tous les MERM")
            child.send(CLEAR_LINE + NEW_ROLE + "\r")
    assert seen == [1, 2, 3]
    screen = plain(_finish(child))
    assert child.exitstatus == 0, screen
    assert "2 réponses modifiées et enregistrées" in screen and "après relecture" in screen

    after = _answers(folder)
    # Accepted: the reviewer's word, and the text otherwise the same words (the document's
    # typography comes back with it: ’ for ', its own line breaks).
    assert "comité de pilotage bimensuel" in after["methode_travail"]
    assert _words(after["methode_travail"]) == _words(before["methode_travail"].replace("mensuel", "bimensuel"))
    assert after["depenses"] == before["depenses"]                   # refused
    assert after["equipe"][3]["role"] == NEW_ROLE                    # rewritten
    assert {k: v for k, v in after["equipe"][3].items() if k != "role"} == \
        {k: v for k, v in before["equipe"][3].items() if k != "role"}
    assert after["equipe"][:3] + after["equipe"][4:] == before["equipe"][:3] + before["equipe"][4:]
    for key, value in before.items():                                # every other answer, byte for byte
        if key not in ("methode_travail", "equipe"):
            assert json.dumps(after[key], ensure_ascii=False) == json.dumps(value, ensure_ascii=False), key
    assert set(after) == set(before)

    listing = run_aap("versions", NAME, env=env)
    assert listing.returncode == 0, listing.stderr
    assert "après relecture" in " ".join(plain(listing.stdout).split())
    last = json.loads(sorted((folder / f"{NAME}.versions").glob("[0-9]*.json"))[-1].read_text(encoding="utf-8"))
    assert last["genre"] == "apres-relecture" and last["reponses"] == after

    # Read again: the refused and the rewritten proposals are not asked again.
    again = run_aap("relire", NAME, *map(str, files), "--json", env=env)
    assert again.returncode == 0, again.stderr
    seen_again = json.loads(again.stdout)
    assert seen_again["propositions"] == [] and seen_again["deja_decidees"] == 2


def test_ctrl_c_keeps_what_was_decided(exported, tmp_path):
    folder, env, path = exported
    files = _three_reviewed_copies(path, tmp_path)
    child = spawn("relire", NAME, *map(str, files), folder=folder)
    user = User(child)
    child.expect(HEADER)
    first = child.match.group(2)
    user.answers(CHOICES, "a\r")
    child.expect(HEADER)
    child.expect(CHOICES)
    child.sendintr()
    screen = plain(_finish(child))
    assert child.exitstatus == 130, screen
    assert "Interrompu" in screen
    after = _answers(folder)
    accepted = {"Méthode de travail": "methode_travail", "Dépenses prévues": "depenses"}.get(first, "equipe")
    assert after[accepted] != _answers_before(env, tmp_path)[accepted]
    # What was not decided comes back at the next reading.
    again = json.loads(run_aap("relire", NAME, *map(str, files), "--json", env=env).stdout)
    assert len(again["propositions"]) == 2


def _answers_before(env, tmp_path: Path) -> dict:
    fresh = tmp_path / "avant"
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--nom", NAME, env={"AAP_DOSSIERS": str(fresh)}).returncode == 0
    return _answers(fresh)


def _words(text: str) -> list[str]:
    return plain(text).replace("’", "'").split()


def test_an_unreadable_amount_is_corrected_at_the_edit_prompt(exported, tmp_path):
    folder, _env, path = exported
    reviewed = rv.plain_replace(path, tmp_path / "a.docx", "9\u202f800,00\u00a0€", "beaucoup")
    before = _answers(folder)
    child = spawn("relire", NAME, str(reviewed), folder=folder)
    user = User(child)
    user.sees("1/1 · Dépenses prévues, ligne 3", "Montant total de la ligne", "{+beaucoup+}",
              "cette proposition ne se lit pas", "« beaucoup » n'est pas un montant")
    # Nothing to accept as it is: refuse, edit or later.
    user.answers("r : refuser · m : modifier · p : plus tard", "m\r")
    user.sees(EDIT_ONE_LINE, PROMPT, "beaucoup")
    child.send("\r")                                  # as it is: the parser refuses it, the prompt stays
    user.sees("« beaucoup » n'est pas un montant", "40 000,50")
    child.send(CLEAR_LINE + "9 900\r")
    screen = plain(_finish(child))
    assert child.exitstatus == 0, screen
    assert "1 réponse modifiée et enregistrée" in screen
    after = _answers(folder)
    assert after["depenses"][2]["montant"] == "9900.00"
    assert after["depenses"][2]["part_ars"] == before["depenses"][2]["part_ars"]
    assert [d for n, d in enumerate(after["depenses"]) if n != 2] == [d for n, d in enumerate(before["depenses"]) if n != 2]
    assert {k: v for k, v in after.items() if k != "depenses"} == {k: v for k, v in before.items() if k != "depenses"}
