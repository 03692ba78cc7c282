"""What the terminal shows, as a user reads and copies it (issue 15): an amount, a name, a call's
identifier or a path is never cut by a line break; `aap appels ID` shows a call in full; a long
`aap montrer` goes through the pager in a terminal only; messages name questions by their labels.

Output is captured from consoles made as `output.console()` makes them (`consoles.make_console`)."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from builders import EXAMPLE, IDF, dossier_from, example_answers
from conftest import plain, run_aap
from rich.table import Table
from rich.text import Text

from assistant import loading, output
from assistant.consoles import make_console
from assistant.i18n import format_amount
from assistant.summary_cache import Summary

BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"
LONG_NAME = "ch-sainte-helene-radio-interventionnelle"
# Deeper than any terminal is wide, with spaces where rich would otherwise break it.
DEEP = Path("/home/utilisatrice/Mes documents/Établissement/Direction de la qualité/Appels à projets 2025"
            "/sorties/ch-sainte-helene-radio-interventionnelle-2025-06-30-relecture.docx")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class _Screen(StringIO):
    """A terminal, as far as the console can tell."""

    def isatty(self) -> bool:
        return True


def _capture(monkeypatch, width: int, screen: StringIO | None = None):
    """output's two consoles, made as output makes them, writing to one string."""
    text = screen if screen is not None else StringIO()
    out = make_console(file=text, width=width)
    monkeypatch.setattr(output, "console", lambda: out)
    monkeypatch.setattr(output, "err_console", lambda: out)
    return out, text


def _lines(text: str) -> list[str]:
    return [ANSI.sub("", line) for line in text.splitlines()]


def _on_one_line(text: str, *pieces: str) -> None:
    lines = _lines(text)
    for piece in pieces:
        assert any(piece in line for line in lines), f"{piece!r} is cut in:\n{text}"


# -- 1. no break inside a number or an amount -------------------------------------------------------


@pytest.mark.parametrize("width", [40, 60, 80])
def test_an_amount_is_never_cut_in_a_table_or_a_paragraph(monkeypatch, width):
    amount = format_amount(Decimal("40000"))
    assert "\u202f" in amount and "\u00a0" in amount  # babel's no-break spaces, which rich took for spaces
    out, text = _capture(monkeypatch, width)
    shown = 0
    for words in range(1, width // 2):  # the amount at every place of the line, across its end too
        prefix = "mot " * words
        table = Table()
        table.add_column("Libellé")
        table.add_column("Montant")
        table.add_row(prefix, amount)
        table.add_row(Text(prefix), Text(prefix + amount))
        out.print(table)
        out.print(prefix + amount)
        out.print(Text(prefix + "total : " + amount))
        shown += 4
    written = text.getvalue()
    # Written with its real no-break spaces, never the stand-ins rich is given: a copy is exact.
    assert written.count(amount) == shown
    assert not re.search("[\ufdd0-\ufdd2]", written)


@pytest.mark.parametrize("width", [40, 60, 80])
def test_every_amount_of_a_dossier_is_whole_in_aap_montrer(monkeypatch, width):
    dossier = dossier_from(example_answers())
    _out, text = _capture(monkeypatch, width)
    output.show_dossier(dossier, DEEP)
    written = text.getvalue()
    amounts = {format_amount(item["montant"]) for item in dossier.get("depenses")}
    assert amounts and all(amount in written for amount in amounts), written


# -- 2. names, identifiers and paths whole -------------------------------------------------------------


def _summaries() -> list[Summary]:
    moment = datetime(2025, 6, 30, 9, 5, tzinfo=UTC)
    return [Summary(LONG_NAME, IDF, 100, moment), Summary("copie", BRETAGNE, 64, moment, unreadable=2),
            Summary("abime", None, None, None, problem="le fichier n'est pas un dossier d'aap (JSON invalide)")]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_aap_liste_never_breaks_a_name_nor_a_call(monkeypatch, width):
    _out, text = _capture(monkeypatch, width)
    output.show_summaries(_summaries(), DEEP.parent)
    written = text.getvalue()
    _on_one_line(written, LONG_NAME, IDF, BRETAGNE, "2 réponses illisibles", "100\u00a0%", str(DEEP.parent))
    assert all(len(line) <= width for line in _lines(written) if DEEP.parts[1] not in line)


@pytest.mark.parametrize("width", [20, 30, 40])
def test_a_narrow_terminal_still_gets_names_and_call_ids_whole(monkeypatch, width):
    # One block per dossier: its call's id, a `whole` column too, on a line of its own.
    _out, text = _capture(monkeypatch, width)
    output.show_summaries(_summaries(), DEEP.parent)
    _on_one_line(text.getvalue(), LONG_NAME, IDF, BRETAGNE)


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_aap_appels_never_breaks_an_identifier(monkeypatch, width):
    appels, _broken = loading.offered()
    _out, text = _capture(monkeypatch, width)
    output.show_appels(appels, str(DEEP.parent))
    written = text.getvalue()
    _on_one_line(written, IDF, BRETAGNE, format_amount(Decimal(40000)), str(DEEP.parent))
    for word in ("Démarche", "interventionnels", "Île-de-France", "cardiologie"):  # long values wrap between words
        _on_one_line(written, word)
    assert all(len(line) <= width for line in _lines(written) if DEEP.parts[1] not in line)


def test_a_wide_terminal_keeps_the_table(monkeypatch):
    _out, text = _capture(monkeypatch, 160)
    output.show_summaries(_summaries(), DEEP.parent)
    assert "┃ Nom" in text.getvalue()


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("width", [80, 120])
def test_every_path_is_alone_on_its_line_and_whole(monkeypatch, width, terminal):
    out, text = _capture(monkeypatch, width, _Screen() if terminal else None)
    out.height = 10_000  # aap montrer fits the screen: not paged
    dossier = dossier_from(example_answers(), name=LONG_NAME)
    dossier.name_in_file = "un autre nom"
    findings: list = []
    output.exported(SimpleNamespace(mode="relecture", path=DEEP, findings=findings))
    deposit = SimpleNamespace(folder=DEEP.parent / "depot", files=["Annexe 1 - devis.pdf"], missing=[])
    output.pdf_and_deposit(SimpleNamespace(pdf=DEEP.with_suffix(".pdf"), deposit=deposit, notes=[], problems=[]))
    output.dossier_copied("exemple", dossier, DEEP, other_call=False)
    output.dossier_filled(dossier, 3, DEEP, findings)
    output.backup_restored(LONG_NAME, DEEP)
    output.name_in_file(dossier, DEEP)
    output.show_validation(str(DEEP), [])
    output.show_validation(str(DEEP), ["un problème"])
    output.error("un fichier manque", path=DEEP)
    output.show_dossier(dossier, DEEP)
    lines = _lines(text.getvalue())
    for path in (DEEP, DEEP.with_suffix(".pdf"), DEEP.parent / "depot"):
        alone = [line for line in lines if str(path) in line]
        assert alone and all(line.strip() == str(path) for line in alone), (path, text.getvalue())
    assert sum(1 for line in lines if line.strip() == str(DEEP)) == 9


# -- 3. aap appels ID -------------------------------------------------------------------------------


def _shown_appel(monkeypatch, appel_id: str, today: date, width: int = 80) -> str:
    _out, text = _capture(monkeypatch, width)
    output.show_appel(loading.find_appel(appel_id), today)
    return text.getvalue()


def test_a_call_in_full(monkeypatch):
    appel = loading.find_appel(IDF)
    shown = _shown_appel(monkeypatch, IDF, date(2022, 10, 9))
    flat = plain(" ".join(shown.split()))
    for expected in (appel.title, appel.agency, " ".join(appel.summary.split()), " ".join(appel.reference.split()),
                     "Date limite : 21 octobre 2022 (dans 12 jours)", "Plafond de la subvention : 40 000,00 €",
                     "Critères de sélection (7)", "Sections (44 questions)", "Annexes (1 question)",
                     "aap nouveau --appel idf-2022-actes-interventionnels"):
        assert expected in flat, expected
    _on_one_line(shown, appel.platform, "Pr Henri Jean Philippe (henri-jean.philippe@ars.sante.fr)",
                 "Olivier Ferrain (olivier.ferrain@ars.sante.fr)", "Sophie Bataille (sophie.bataille@ars.sante.fr)")
    assert all(len(line) <= 80 for line in _lines(shown) if appel.platform not in line)
    for section in appel.sections:
        assert section.title in flat


def test_the_deadline_says_the_days_left_or_that_it_has_passed(monkeypatch):
    assert "(dans 1 jour)" in plain(_shown_appel(monkeypatch, IDF, date(2022, 10, 20)))
    assert "(aujourd'hui)" in plain(_shown_appel(monkeypatch, IDF, date(2022, 10, 21)))
    assert "(passée)" in plain(_shown_appel(monkeypatch, BRETAGNE, date(2025, 7, 12)))


@pytest.mark.parametrize("width", [40, 80])
def test_the_bretagne_contact_and_its_subject_line_are_whole(monkeypatch, width):
    shown = _shown_appel(monkeypatch, BRETAGNE, date(2025, 6, 1), width)
    lines = [plain(line).strip() for line in _lines(shown)]
    # The e-mail and the subject the agency requires, each whole on its line: copied as they are.
    assert "ars-bretagne-qualite@ars.sante.fr" in lines
    assert "objet : AAP PERTINENCE ET CHIRURGIE AMBULATOIRE" in lines
    flat = plain(" ".join(shown.split()))
    assert "Pas de plafond de subvention" in flat and "Démarches simplifiées (lien communiqué par l'ARS Bretagne)" in flat
    assert "Critères de sélection (5)" in flat and "Sections (35 questions)" in flat


# -- 4. aap montrer through the pager in a terminal --------------------------------------------------


@pytest.fixture
def pager(tmp_path, monkeypatch):
    """A pager that records what it is given, and the LESS it runs with."""
    monkeypatch.setenv("PAGER", f'printf "%s" "$LESS" > "{tmp_path}/less"; cat > "{tmp_path}/paged"')
    return tmp_path


def _montrer(monkeypatch, screen: StringIO, height: int = 24) -> str:
    out, _text = _capture(monkeypatch, 80, screen)
    out.height = height
    output.show_dossier(dossier_from(example_answers()), DEEP)
    return screen.getvalue()


def test_a_long_dossier_goes_through_the_pager_with_its_colours(pager, monkeypatch):
    monkeypatch.delenv("LESS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    screen = _montrer(monkeypatch, _Screen())
    assert screen == ""
    paged = (pager / "paged").read_text(encoding="utf-8")
    assert "Villeneuve-sur-Seine" in paged and str(DEEP) in paged and "\x1b[" in paged
    less = (pager / "less").read_text()
    assert less.startswith("-RX -Ps") and "q \\: quitter" in less and "LESS" not in os.environ


def test_the_users_less_is_kept(pager, monkeypatch):
    monkeypatch.setenv("LESS", "-X")
    _montrer(monkeypatch, _Screen())
    # With -R added: without it, less shows the colours as escape codes.
    assert (pager / "less").read_text() == "-X -R" and os.environ["LESS"] == "-X"


def test_a_short_dossier_a_pipe_or_a_file_is_not_paged(pager, monkeypatch):
    assert "Villeneuve-sur-Seine" in _montrer(monkeypatch, _Screen(), height=10_000)
    assert "Villeneuve-sur-Seine" in _montrer(monkeypatch, StringIO(), height=10)
    assert not (pager / "paged").exists()


@pytest.mark.parametrize("command", ["commande-qui-n-existe-pas", "exit 126", "false", "exit 1"])
def test_a_pager_that_fails_leaves_the_text_on_screen(monkeypatch, command):
    monkeypatch.setenv("PAGER", command)
    screen = _montrer(monkeypatch, _Screen())
    assert "Villeneuve-sur-Seine" in screen and str(DEEP) in screen


def test_aap_montrer_in_a_pipe_is_not_paged(tmp_path, pager):
    home = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    assert run_aap("remplir", "--reponses", str(EXAMPLE), env=home).returncode == 0
    result = run_aap("montrer", "exemple", env={**home, "PAGER": os.environ["PAGER"]})
    assert result.returncode == 0 and "Villeneuve-sur-Seine" in result.stdout
    assert not (pager / "paged").exists()


# -- 5. questions by their labels, never their ids -----------------------------------------------------


def test_a_copy_for_another_call_names_questions_by_their_labels(tmp_path):
    home = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    assert run_aap("remplir", "--reponses", str(EXAMPLE), env=home).returncode == 0
    result = run_aap("dupliquer", "exemple", "copie", "--appel", BRETAGNE, env=home)
    assert result.returncode == 0, result.stderr
    said = plain(" ".join(result.stderr.split()))
    idf = loading.find_appel(IDF)
    for question_id in ("actes_par_an", "engagements"):
        assert idf.question(question_id).label in said
    bretagne = loading.find_appel(BRETAGNE)
    nature = bretagne.question("depenses").field("nature").label
    assert f"« {bretagne.question('depenses').label} » n'est plus valide (ligne 1, « {nature} » :" in said
    for internal in ("actes_par_an", "[1].", "nature:", "valeur_initiale", "depenses"):
        assert internal not in said, internal


def test_a_line_of_a_saved_list_is_said_by_its_number_and_its_fields_label():
    from assistant.dossier import unreadable_reason
    from assistant.errors import InvalidAnswer

    question = loading.find_appel(IDF).question("depenses")
    label = question.field("libelle").label
    saved = [dict(line) for line in dossier_from(example_answers()).raw["depenses"][:2]]
    del saved[1]["libelle"]
    reason = unreadable_reason(question, saved, InvalidAnswer("[2].libelle: réponse obligatoire"))
    assert reason == f"ligne 2, « {label} » : réponse obligatoire", reason
    saved[0]["couleur"] = "bleu"
    reason = unreadable_reason(question, [*saved, "pas une ligne"], InvalidAnswer("[1].couleur: champ inconnu"))
    assert reason == "ligne 1 : un champ que cette liste n'a pas (et 2 autres problèmes)", reason
    assert unreadable_reason(question, "x", InvalidAnswer("une liste est attendue")) == "une liste est attendue"
