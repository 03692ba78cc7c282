"""The Word export, reopened with python-docx: tables, French amounts and dates, choices,
properties, reproducibility, text safety, and the export commands. The document's layout (cover,
summary, identity tables, signature, annexes, review page, comments) is in test_document.py."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from builders import EXAMPLE, IDF, dossier_from, example_answers
from conftest import plain, run_aap
from docx import Document

from assistant import loading
from assistant.checks import check
from assistant.dossier import Dossier
from assistant.typography import french
from assistant.word.document import Mode, export

APPEL = loading.find_appel(IDF)


def write(dossier: Dossier, mode: Mode, tmp_path: Path, name: str = "sortie.docx"):
    path = export(dossier, check(dossier, date(2026, 11, 22)), mode, tmp_path / name)
    return Document(str(path)), path


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return plain("\n".join(parts))


def table_with_header(document, first: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first)


def test_team_and_budget_tables_with_every_row_and_french_amounts(tmp_path):
    answers = example_answers()
    document, _ = write(dossier_from(answers), Mode.SUBMISSION, tmp_path)
    team = table_with_header(document, "Nom et prénom")
    assert [row.cells[0].text for row in team.rows[1:]] == [m["nom"] for m in answers["equipe"]]
    assert [c.text for c in team.rows[0].cells] == ["Nom et prénom", "Fonction", "Rôle précis dans le projet",
                                                    "Temps consacré au projet (ETP)", "Origine de ce temps"]
    budget = table_with_header(document, "Nature de la dépense")
    rows = [[plain(c.text) for c in row.cells] for row in budget.rows]
    assert len(rows) == 1 + len(answers["depenses"]) + 1
    assert rows[1] == ["Personnel (temps dédié)", "Infirmière de coordination du parcours, 0,3 ETP pendant 12 mois",
                       "18 000,00 €", "18 000,00 €"]
    assert rows[-1][0] == "Total" and rows[-1][2:] == ["42 800,00 €", "40 000,00 €"]
    assert budget.rows[1].cells[2].paragraphs[0].alignment == 2  # right-aligned amounts
    plan = next(t for t in document.tables if t.rows[0].cells[0].text == "Total des dépenses")
    assert [plain(r.cells[1].text) for r in plan.rows] == ["42 800,00 €", "40 000,00 €", "2 800,00 €", "42 800,00 €"]
    # One line per nature: no sub-totals table repeating the lines.
    assert sum(t.rows[0].cells[0].text == "Nature de la dépense" for t in document.tables) == 1


def test_subtotals_by_nature_when_natures_repeat(tmp_path):
    answers = example_answers()
    answers["depenses"].append({"nature": "personnel", "libelle": "Secrétariat, 0,1 ETP", "montant": "4 000",
                                "part_ars": "0"})
    document, _ = write(dossier_from(answers), Mode.SUBMISSION, tmp_path)
    subtotals = next(t for t in document.tables
                     if t.rows[0].cells[0].text == "Nature de la dépense" and len(t.columns) == 3)
    assert ["Personnel (temps dédié)", "22 000,00 €", "18 000,00 €"] in [[plain(c.text) for c in r.cells] for r in subtotals.rows]


def test_calendar_dates_in_french_and_choices(tmp_path):
    document, _ = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    calendar = table_with_header(document, "Étape")
    assert calendar.rows[1].cells[1].text == "15 janvier 2023"
    assert calendar.rows[-1].cells[1].text == "1er avril 2024"
    texts = [plain(p.text) for p in document.paragraphs]
    assert "Passeport ambulatoire" in texts and not any(t.startswith(("☑", "☐")) for t in texts)
    review, _ = write(dossier_from(example_answers()), Mode.REVIEW, tmp_path, "relecture.docx")
    texts = [plain(p.text) for p in review.paragraphs]
    assert "☑ Passeport ambulatoire" in texts and "☑ Réaliser un bilan de mise en œuvre à 6 mois et à 12 mois" in texts


def test_long_texts_keep_their_paragraphs(tmp_path):
    answers = example_answers()
    document, _ = write(dossier_from(answers), Mode.SUBMISSION, tmp_path)
    texts = [p.text for p in document.paragraphs]
    first = french(" ".join(answers["contexte"].split("\n\n")[0].split("\n")))
    assert first in texts  # a paragraph of its own; the typed line breaks inside it are joined
    assert any(plain(t).startswith("Notre unité de chirurgie ambulatoire pratique déjà") for t in texts)


def test_properties_and_language(tmp_path):
    document, path = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    properties = document.core_properties
    assert properties.author == "Centre hospitalier intercommunal de Villeneuve-sur-Seine"
    assert properties.title == "Un parcours ambulatoire sécurisé pour la radiologie interventionnelle"
    assert "python-docx" not in (properties.comments or "") and properties.language == "fr-FR"
    with zipfile.ZipFile(path) as package:
        assert 'w:val="fr-FR"' in package.read("word/styles.xml").decode()
        assert "updateFields" not in package.read("word/settings.xml").decode()  # no question on opening
        assert 'w:dirty="true"' not in package.read("word/document.xml").decode()


def test_same_dossier_twice_gives_identical_bytes(tmp_path):
    dossier = dossier_from(example_answers())
    for mode in Mode:
        _d, first = write(dossier, mode, tmp_path, f"un-{mode.value}.docx")
        _d, second = write(dossier, mode, tmp_path, f"deux-{mode.value}.docx")
        assert first.read_bytes() == second.read_bytes()


def test_any_text_is_safe(tmp_path):
    answers = example_answers()
    answers["contexte"] = "Contrôle\x00 \x07bip\x1b[31m rouge ⚕️🏥 " + "a" * 5000 + "\n\n" + ("Paragraphe. " * 8400)
    answers["titre_projet"] = "Titre\x0b avec\x0c contrôles"
    dossier = dossier_from(answers)
    dossier.answers["objectifs"] = "Surrogate \ud800 seul"  # as if it came from a damaged clipboard
    document, _ = write(dossier, Mode.REVIEW, tmp_path)
    text = all_text(document)
    assert "🏥" in text and "Titre avec contrôles" in text and "\x00" not in text and "Surrogate  seul" in text
    assert len(text) > 100_000


# -- through the commands -----------------------------------------------------------------------

def test_exporter_default_path_numbering_and_overwrite(tmp_path):
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    run_aap("remplir", "--reponses", str(EXAMPLE), env=env)
    first = run_aap("exporter", "exemple", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    today = date.today().isoformat()
    assert (tmp_path / "sorties" / f"exemple-{today}-relecture.docx").is_file()
    second = run_aap("exporter", "exemple", env=env, cwd=tmp_path)
    assert (tmp_path / "sorties" / f"exemple-{today}-relecture-2.docx").is_file() and "-2.docx" in second.stdout
    third = run_aap("exporter", "exemple", "--ecraser", "--sortie", str(tmp_path / "x.docx"), env=env, cwd=tmp_path)
    assert third.returncode == 0 and (tmp_path / "x.docx").is_file()


def test_submission_refused_while_blocking_findings_remain(tmp_path):
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers")}
    answers = tmp_path / "r.yaml"
    answers.write_text(EXAMPLE.read_text(encoding="utf-8").replace("montant_demande: 40 000", "montant_demande: 45 000"),
                       encoding="utf-8")
    run_aap("remplir", "--reponses", str(answers), env=env)
    refused = run_aap("exporter", "exemple", "--depot", env=env, cwd=tmp_path)
    assert refused.returncode == 1
    assert "Bloquant" in refused.stderr and "45 000,00 €" in plain(refused.stderr)
    assert not (tmp_path / "sorties").exists() or not list((tmp_path / "sorties").iterdir())
    forced = run_aap("exporter", "exemple", "--depot", "--forcer", env=env, cwd=tmp_path)
    assert forced.returncode == 0
    review = run_aap("exporter", "exemple", env=env, cwd=tmp_path)
    assert review.returncode == 0  # the review version is always produced


def test_demo_writes_both_versions(tmp_path):
    result = run_aap("demo", env={"AAP_DOSSIERS": str(tmp_path / "dossiers")}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "sorties").iterdir())
    assert len(written) == 2 and any(name.endswith("-depot.docx") for name in written)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are not installed")
def test_libreoffice_renders_the_key_texts(tmp_path):
    _d, path = write(dossier_from(example_answers()), Mode.REVIEW, tmp_path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(path.with_suffix(".pdf")), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = " ".join(plain(text).split())
    for expected in ("Démarche qualité des actes interventionnels", "Villeneuve-sur-Seine", "Plan de financement",
                     "40 000,00 €", "État du dossier", "Synthèse du projet", "Version de travail",
                     "Fait à Villeneuve-sur-Seine"):
        assert expected in flat
