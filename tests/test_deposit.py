"""The deposit folder, the PDF through LibreOffice, and the missing annex files (issue 17, items
6 and 7). The tests that need LibreOffice and poppler run where `soffice` exists and convert
once per module; the others fake LibreOffice's absence, slowness or failure."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from builders import IDF, dossier_from, example_answers
from conftest import ROOT, plain, run_aap

from assistant import loading
from assistant import pdf as converter
from assistant.annexes import Annex
from assistant.checks import MISSING_ANNEX_FILE, blocks_submission, check
from assistant.export import annex_file_name, default_path, export_dossier, free_path, write_deposit
from assistant.model import Severity

HAVE_OFFICE = shutil.which("soffice") is not None and shutil.which("pdfinfo") is not None \
    and shutil.which("pdftotext") is not None
needs_office = pytest.mark.skipif(not HAVE_OFFICE, reason="LibreOffice (soffice) or poppler-utils is not installed")
TODAY = date.today().isoformat()
TITLE = "Un parcours ambulatoire sécurisé pour la radiologie interventionnelle"
BEFORE_DEADLINE = date(2022, 10, 20)


def _questionnaires(folder: Path) -> Path:
    """The shipped calls, each declaring its annexes in its `document` block (added here if the
    shipped file does not declare them)."""
    folder.mkdir(parents=True)
    for source in sorted((ROOT / "questionnaires").glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        document = data.get("document") or {}
        document.setdefault("pieces_jointes", {"groupe": "annexes"})
        data["document"] = document
        (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _annex_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True)
    files = {"chemin": folder / "chemin clinique v3.pdf", "passeport": folder / "passeport.ODT",
             "devis": folder / "devis"}
    for number, path in enumerate(files.values()):
        path.write_bytes(os.urandom(3000 + number) + b"\x00\xff fin")
    return files


def _answers(files: dict[str, Path], missing: Path | None = None) -> dict:
    answers = example_answers()
    answers["annexes"] = [
        {"titre": "Chemin clinique de la biopsie hépatique", "fichier": str(files["chemin"])},
        {"titre": 'Modèle : passeport / ambulatoire "patient" ?', "fichier": str(files["passeport"])},
        {"titre": "Devis des fauteuils de repos. ", "fichier": str(files["devis"])},
    ]
    if missing is not None:
        answers["annexes"].append({"titre": "Lettre de soutien", "fichier": str(missing)})
    return answers


EXPECTED_ANNEXES = ["Annexe 1 - Chemin clinique de la biopsie hépatique.pdf",
                    "Annexe 2 - Modèle passeport ambulatoire patient.odt",
                    "Annexe 3 - Devis des fauteuils de repos"]


@pytest.fixture
def calls(tmp_path, monkeypatch):
    folder = _questionnaires(tmp_path / "questionnaires")
    monkeypatch.setattr(loading, "questionnaires_dir", lambda: folder)
    return folder


@pytest.fixture
def no_office(tmp_path, monkeypatch):
    """A PATH where no LibreOffice can be found."""
    empty = tmp_path / "bin-vide"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(converter, "_KNOWN_PLACES", {})
    return empty


def _filled(tmp_path: Path, answers: dict) -> Path:
    """A dossier `exemple` in a store of its own, filled as `aap remplir` does."""
    from assistant import cli

    store = tmp_path / "dossiers"
    path = tmp_path / "reponses.yaml"
    path.write_text(yaml.safe_dump({"appel": IDF, "nom": "exemple", "reponses": answers}, allow_unicode=True),
                    encoding="utf-8")
    assert cli.main(["remplir", "--reponses", str(path), "--dossiers", str(store)]) == 0
    return store


def _aap(store: Path, *args: str) -> int:
    from assistant import cli

    previous = os.umask(0)  # whatever the umask, what aap writes is private
    try:
        # The example's call closed on 21 October 2022: checked today, its date alone would block it.
        dated = ["--date", BEFORE_DEADLINE.isoformat()] if args[0] in ("exporter", "verifier") else []
        return cli.main([*args, *dated, "--dossiers", str(store)])
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# -- file names -----------------------------------------------------------------------------------

def test_review_and_submission_names(tmp_path):
    from assistant.word.document import Mode

    today = date(2026, 3, 1)
    assert default_path(tmp_path, "ch", today, Mode.REVIEW, False).name == "ch-2026-03-01-relecture.docx"
    assert default_path(tmp_path, "ch", today, Mode.SUBMISSION, False).name == "ch-2026-03-01-depot.docx"
    # A name is free only if its PDF is too, when one is written beside it.
    (tmp_path / "ch-2026-03-01-depot.pdf").write_bytes(b"")
    assert default_path(tmp_path, "ch", today, Mode.SUBMISSION, False).name == "ch-2026-03-01-depot.docx"
    assert default_path(tmp_path, "ch", today, Mode.SUBMISSION, False, (".pdf",)).name == "ch-2026-03-01-depot-2.docx"
    assert free_path(tmp_path / "ch-2026-03-01-depot.docx", True, (".pdf",)).name == "ch-2026-03-01-depot.docx"


def test_annex_file_names_fit_every_file_system():
    def name(title: str, file: str | None = "a.pdf", number: int = 1) -> str:
        return annex_file_name(Annex(number, title, Path(file) if file else None))

    assert name("Devis") == "Annexe 1 - Devis.pdf"
    assert name('a/b\\c:d*e?f"g<h>i|j', "x.PDF") == "Annexe 1 - a b c d e f g h i j.pdf"
    assert name("Lettre de soutien. . ", "lettre.docx", 12) == "Annexe 12 - Lettre de soutien.docx"
    assert name("tab\tet\nretour\u200b", "x.odt") == "Annexe 1 - tab et retour.odt"
    assert name("", "scan.png", 3) == "Annexe 3.png"
    assert name("...", "scan.png", 3) == "Annexe 3.png"
    assert name("Sans extension", "LISEZMOI") == "Annexe 1 - Sans extension"
    assert name("Extension bizarre", "x.tar gz") == "Annexe 1 - Extension bizarre"
    long = name("é" * 500 + "fin", "x.pdf")
    assert long.startswith("Annexe 1 - éé") and long.endswith("é.pdf") and len(long.encode()) < 160
    assert name("Œuvre e\u0301te\u0301", "x.pdf") == "Annexe 1 - Œuvre été.pdf"  # NFC, as macOS would not


# -- the missing annex file -----------------------------------------------------------------------

def test_missing_annex_file_is_an_error_on_the_annex_group(tmp_path, calls):
    files = _annex_files(tmp_path / "annexes")
    gone = tmp_path / "annexes" / "soutien-directeur.pdf"
    dossier = dossier_from(_answers(files, missing=gone))
    findings = [f for f in check(dossier) if f.rule == MISSING_ANNEX_FILE]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity is Severity.ERROR and blocks_submission([finding])
    assert finding.question == "annexes" and finding.section == "annexes"
    assert "Annexe 4" in plain(finding.message) and "Lettre de soutien" in finding.message
    assert "soutien-directeur.pdf" in finding.message and str(tmp_path) not in finding.message
    # A directory is not a file; an annex with no file yet is no finding (the title comes first).
    answers = _answers(files)
    answers["annexes"][0]["fichier"] = str(tmp_path)
    answers["annexes"].append({"titre": "Plus tard"})
    findings = [f for f in check(dossier_from(answers)) if f.rule == MISSING_ANNEX_FILE]
    assert [f.values["numero"] for f in findings] == ["1"]


def test_no_annex_finding_for_a_call_that_declares_no_annexes(tmp_path):
    from dataclasses import replace

    from assistant.model import Document

    dossier = dossier_from(_answers({"chemin": tmp_path / "x", "passeport": tmp_path / "y", "devis": tmp_path / "z"}))
    dossier = replace(dossier, appel=dossier.appel.model_copy(update={"document": Document()}))
    assert not [f for f in check(dossier) if f.rule == MISSING_ANNEX_FILE]


def test_submission_with_a_missing_annex_is_refused_unless_forced(tmp_path, calls, no_office, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    files = _annex_files(tmp_path / "annexes")
    store = _filled(tmp_path, _answers(files, missing=tmp_path / "annexes" / "soutien.pdf"))
    capsys.readouterr()
    assert _aap(store, "exporter", "exemple", "--depot") == 1
    err = plain(capsys.readouterr().err)
    assert "la version de dépôt n'est pas produite" in err and "soutien.pdf" in err and "Annexe 4" in err
    assert not (tmp_path / "sorties").exists()
    assert _aap(store, "exporter", "exemple", "--depot", "--forcer") == 0
    out = plain(capsys.readouterr().out)
    folder = tmp_path / "sorties" / "exemple-depot"
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"exemple-{TODAY}-depot.docx", *EXPECTED_ANNEXES])
    assert "l'annexe 4 « Lettre de soutien » manque au dossier de dépôt (fichier « soutien.pdf » introuvable)" in out
    # Forced past an error: the document says so on every page, in the folder too.
    assert "NON DÉPOSABLE" in _header_text(folder / f"exemple-{TODAY}-depot.docx")


def _header_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return " ".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header"))


# -- the deposit folder, without LibreOffice ------------------------------------------------------

def test_deposit_folder_without_libreoffice(tmp_path, calls, no_office, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    files = _annex_files(tmp_path / "annexes")
    store = _filled(tmp_path, _answers(files))
    capsys.readouterr()
    assert _aap(store, "exporter", "exemple", "--depot") == 0  # the PDF was not asked for: a note only
    captured = capsys.readouterr()
    out, err = plain(captured.out), plain(captured.err)
    sorties = tmp_path / "sorties"
    folder = sorties / "exemple-depot"
    docx = sorties / f"exemple-{TODAY}-depot.docx"
    names = [f"exemple-{TODAY}-depot.docx", *EXPECTED_ANNEXES]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert sorted(p.name for p in sorties.iterdir()) == sorted([docx.name, folder.name])  # nothing left over
    assert _mode(sorties) == 0o700 and _mode(folder) == 0o700
    assert all(_mode(p) == 0o600 for p in folder.iterdir()) and _mode(docx) == 0o600
    assert (folder / docx.name).read_bytes() == docx.read_bytes()
    for name, source in zip(EXPECTED_ANNEXES, files.values()):
        assert (folder / name).read_bytes() == source.read_bytes()
    assert "Dossier de dépôt écrit" in out and "Il contient les 4 fichiers à déposer" in out
    assert all(name in out for name in names)
    assert "le dossier de dépôt est écrit sans PDF" in err and "sudo apt install libreoffice-writer-nogui" in err


def test_deposit_folder_numbered_then_replaced_only_when_asked(tmp_path, calls, no_office, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    store = _filled(tmp_path, _answers(_annex_files(tmp_path / "annexes")))
    sorties = tmp_path / "sorties"
    assert _aap(store, "exporter", "exemple", "--depot") == 0
    (sorties / "exemple-depot" / "ajouté à la main.txt").write_text("x")
    assert _aap(store, "exporter", "exemple", "--depot") == 0
    assert (sorties / "exemple-depot-2").is_dir() and (sorties / "exemple-depot" / "ajouté à la main.txt").exists()
    assert (sorties / f"exemple-{TODAY}-depot-2.docx").is_file()
    assert (sorties / "exemple-depot-2" / f"exemple-{TODAY}-depot-2.docx").is_file()
    assert _aap(store, "exporter", "exemple", "--depot", "--ecraser") == 0
    replaced = sorted(p.name for p in (sorties / "exemple-depot").iterdir())
    assert replaced == sorted([f"exemple-{TODAY}-depot.docx", *EXPECTED_ANNEXES])
    assert not [p for p in sorties.iterdir() if p.name.startswith(".")]  # no temporary or old folder left
    # A link in the folder's place is never followed, nor replaced.
    shutil.rmtree(sorties / "exemple-depot")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (sorties / "exemple-depot").symlink_to(elsewhere)
    capsys.readouterr()
    assert _aap(store, "exporter", "exemple", "--depot", "--ecraser") == 2
    assert "n'est pas un répertoire" in plain(capsys.readouterr().err)
    assert not list(elsewhere.iterdir()) and (sorties / "exemple-depot").is_symlink()


def test_an_interrupted_deposit_leaves_no_half_folder(tmp_path, calls, monkeypatch):
    from assistant import export as exporting
    from assistant.files import FileError

    files = _annex_files(tmp_path / "annexes")
    dossier = dossier_from(_answers(files))
    sorties = tmp_path / "sorties"
    sorties.mkdir()
    docx = sorties / "exemple-depot.docx"
    docx.write_bytes(b"PK document")
    real = exporting.write_private
    calls_made = []

    def failing(path, data, replace=True):
        calls_made.append(path.name)
        if len(calls_made) == 3:
            raise FileError("le disque est plein")
        real(path, data, replace)

    monkeypatch.setattr(exporting, "write_private", failing)
    with pytest.raises(FileError):
        write_deposit(dossier, docx, b"%PDF", overwrite=False)
    assert sorted(p.name for p in sorties.iterdir()) == ["exemple-depot.docx"]
    monkeypatch.setattr(exporting, "write_private", real)
    deposit = write_deposit(dossier, docx, b"%PDF-1.6", overwrite=False)
    assert deposit.files == ["exemple-depot.docx", "exemple-depot.pdf", *EXPECTED_ANNEXES]
    assert (deposit.folder / "exemple-depot.pdf").read_bytes() == b"%PDF-1.6"


def test_an_annex_too_large_for_the_platform_is_refused(tmp_path, calls, monkeypatch):
    from assistant import export as exporting
    from assistant.files import FileError

    files = _annex_files(tmp_path / "annexes")
    monkeypatch.setattr(exporting, "MAX_ANNEX_BYTES", 1000)
    docx = tmp_path / "x.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(FileError) as refused:
        write_deposit(dossier_from(_answers(files)), docx, None, overwrite=False)
    assert "Annexe 1" in plain(refused.value.message) and "chemin clinique v3.pdf" in refused.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annexes", "questionnaires", "x.docx"]


# -- LibreOffice missing, slow or failing ---------------------------------------------------------

def test_pdf_without_libreoffice_exits_2_and_still_writes_the_docx(tmp_path):
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers"), "PATH": str(tmp_path / "vide")}
    (tmp_path / "vide").mkdir()
    run_aap("remplir", "--reponses", str(ROOT / "questionnaires" / "exemples" / "idf-2022-exemple.yaml"), env=env)
    result = run_aap("exporter", "exemple", "--pdf", env=env, cwd=tmp_path)
    assert result.returncode == 2
    err = " ".join(plain(result.stderr).split())
    assert "il faut LibreOffice" in err and "le document Word est déjà écrit" in err
    assert "sudo apt install libreoffice-writer-nogui" in err and "brew install --cask libreoffice" in err
    assert "libreoffice.org" in err
    assert sorted(p.name for p in (tmp_path / "sorties").iterdir()) == [f"exemple-{TODAY}-relecture.docx"]
    assert f"exemple-{TODAY}-relecture.docx" in result.stdout.replace("\n", "")


def _fake_office(folder: Path, body: str) -> Path:
    folder.mkdir()
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return folder


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


@pytest.mark.skipif(os.name != "posix" or not Path("/proc").is_dir(), reason="a shell script and /proc")
def test_a_conversion_past_its_delay_is_killed_with_its_children(tmp_path):
    fake = _fake_office(tmp_path / "bin", f'echo $$ > "{tmp_path}/pid"\nsleep 300 &\necho $! > "{tmp_path}/enfant"\nwait\n')
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {"AAP_DOSSIERS": str(tmp_path / "dossiers"), "PATH": f"{fake}:/usr/bin:/bin", "AAP_PDF_DELAI": "1",
           "TMPDIR": str(temporary)}
    run_aap("remplir", "--reponses", str(ROOT / "questionnaires" / "exemples" / "idf-2022-exemple.yaml"), env=env)
    started = time.monotonic()
    result = run_aap("exporter", "exemple", "--pdf", env=env, cwd=tmp_path)
    assert time.monotonic() - started < 30
    assert result.returncode == 2
    err = " ".join(plain(result.stderr).split())
    assert "LibreOffice n'a pas fini la conversion en 1 s et a été arrêté" in err
    assert (tmp_path / "sorties" / f"exemple-{TODAY}-relecture.docx").is_file()
    assert not list((tmp_path / "sorties").glob("*.pdf"))
    for name in ("pid", "enfant"):
        assert not _alive(int((tmp_path / name).read_text()))
    assert not list(temporary.iterdir())  # the private working folder is removed


def test_a_conversion_that_makes_no_pdf_is_reported(tmp_path, monkeypatch):
    if os.name != "posix":
        pytest.skip("a shell script")
    fake = _fake_office(tmp_path / "bin", 'echo "Error: source file could not be loaded"\nexit 0\n')
    monkeypatch.setenv("PATH", str(fake))
    docx = tmp_path / "d.docx"
    _document("Texte").save(str(docx))
    with pytest.raises(converter.PdfError) as failed:
        converter.convert(docx)
    assert "n'a pas pu convertir le document (Error: source file could not be loaded)" in failed.value.message


def test_delay_from_the_environment(monkeypatch):
    monkeypatch.delenv("AAP_PDF_DELAI", raising=False)
    assert converter.delay() == converter.DELAY_SECONDS == 120
    for value, expected in (("2,5", 120), ("2.5", 2.5), ("0", 120), ("-3", 120), ("abc", 120), ("30", 30)):
        monkeypatch.setenv("AAP_PDF_DELAI", value)
        assert converter.delay() == expected


# -- comments and tracked changes -----------------------------------------------------------------

COMMENT = "Commentaire interne à ne jamais imprimer"


def _document(text: str, comment: str | None = None):
    from docx import Document

    document = Document()
    paragraph = document.add_paragraph(text)
    if comment:
        document.add_comment(paragraph.runs, text=comment, author="aap", initials="A")
    return document


def _with_tracked_insertion(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(
                    b"</w:p>", b'<w:ins w:id="90" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><w:t>ajout'
                               b"</w:t></w:r></w:ins></w:p>", 1)
            target.writestr(info, content)
    return output.getvalue()


def test_comments_are_removed_from_the_copy_and_nothing_else(tmp_path):
    from docx import Document

    path = tmp_path / "c.docx"
    _document("Le texte du projet Alpha.", COMMENT).save(str(path))
    data = path.read_bytes()
    assert converter.inspect(data) == (False, True)
    clean = converter.without_comments(data)
    assert converter.inspect(clean) == (False, False)
    (tmp_path / "propre.docx").write_bytes(clean)
    reopened = Document(str(tmp_path / "propre.docx"))
    assert [p.text for p in reopened.paragraphs] == ["Le texte du projet Alpha."]
    assert COMMENT.encode() not in clean and b"comments" not in zipfile.ZipFile(io.BytesIO(clean)).read(
        "[Content_Types].xml")
    # Without comments, the bytes go through unchanged.
    plain_path = tmp_path / "p.docx"
    _document("Sans commentaire").save(str(plain_path))
    assert converter.printable(plain_path.read_bytes(), remove_comments=True) == plain_path.read_bytes()


def test_comments_or_tracked_changes_are_never_converted(tmp_path, no_office):
    path = tmp_path / "c.docx"
    _document("Texte", COMMENT).save(str(path))
    # Refused before LibreOffice is even looked for.
    with pytest.raises(converter.PdfError) as refused:
        converter.convert(path)
    assert "contient des commentaires" in refused.value.message
    tracked = tmp_path / "t.docx"
    _document("Texte").save(str(tracked))
    tracked.write_bytes(_with_tracked_insertion(tracked.read_bytes()))
    assert converter.inspect(tracked.read_bytes()) == (True, False)
    for remove_comments in (False, True):
        with pytest.raises(converter.PdfError) as refused:
            converter.convert(tracked, remove_comments=remove_comments)
        assert "modifications suivies" in refused.value.message
    with pytest.raises(converter.OfficeMissing):
        converter.convert(path, remove_comments=True)


# -- with LibreOffice: one conversion of each kind for the module ---------------------------------

@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """`aap exporter exemple --depot --pdf` and `--relecture --pdf`, under umask 000, once."""
    work = tmp_path_factory.mktemp("depot")
    with pytest.MonkeyPatch.context() as patch:
        folder = _questionnaires(work / "questionnaires")
        patch.setattr(loading, "questionnaires_dir", lambda: folder)
        files = _annex_files(work / "annexes")
        dossier = dossier_from(_answers(files), name="exemple")
        previous = os.umask(0)
        try:
            timings = []
            started = time.monotonic()
            submission = export_dossier(dossier, "depot", None, False, False, folder=work / "sorties", pdf=True,
                                        deposit=True, checked_on=BEFORE_DEADLINE)
            timings.append(time.monotonic() - started)
            started = time.monotonic()
            review = export_dossier(dossier, "relecture", None, False, False, folder=work / "sorties", pdf=True,
                                    checked_on=BEFORE_DEADLINE)
            timings.append(time.monotonic() - started)
        finally:
            os.umask(previous)
    return {"submission": submission, "review": review, "files": files, "work": work, "timings": timings}


def _pdfinfo(path: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(path)], capture_output=True, text=True, check=True).stdout


def _pdftext(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(plain(text).split())


@needs_office
def test_deposit_folder_holds_exactly_the_files_to_upload(converted):
    result = converted["submission"]
    assert not result.problems and not result.notes
    docx, pdf = result.path, result.pdf
    assert docx.name == f"exemple-{TODAY}-depot.docx" and pdf == docx.with_suffix(".pdf")
    deposit = result.deposit
    assert deposit.folder == docx.parent / "exemple-depot" and not deposit.missing
    names = [docx.name, pdf.name, *EXPECTED_ANNEXES]
    assert deposit.files == names
    assert sorted(p.name for p in deposit.folder.iterdir()) == sorted(names)
    assert _mode(deposit.folder) == 0o700 and _mode(docx.parent) == 0o700
    assert all(_mode(p) == 0o600 for p in deposit.folder.iterdir())
    assert _mode(docx) == 0o600 and _mode(pdf) == 0o600
    assert (deposit.folder / docx.name).read_bytes() == docx.read_bytes()
    assert (deposit.folder / pdf.name).read_bytes() == pdf.read_bytes()
    assert "NON DÉPOSABLE" not in _header_text(docx)  # complete: not forced
    for name, source in zip(EXPECTED_ANNEXES, converted["files"].values()):
        assert (deposit.folder / name).read_bytes() == source.read_bytes()


@needs_office
def test_the_pdf_is_pdfa_2b_tagged_and_holds_the_dossier(converted):
    pdf = converted["submission"].pdf
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    # PDF/A-2b is declared in the XMP metadata (element or attribute form).
    assert re.search(rb"pdfaid:part(>|=[\"'])2", data) and re.search(rb"pdfaid:conformance(>|=[\"'])B", data)
    meta = _pdfinfo(pdf, "-meta")
    assert re.search(r"pdfaid:part(>|=[\"'])2", meta) and re.search(r"pdfaid:conformance(>|=[\"'])B", meta)
    info = _pdfinfo(pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    assert 3 <= pages <= 40
    assert re.search(r"^Page size:.*\(A4\)", info, re.M)
    text = _pdftext(pdf)
    assert TITLE in text and "Villeneuve-sur-Seine" in text
    assert str(converted["work"]) not in text  # no local path travels with the dossier


@needs_office
def test_review_pdf_beside_the_review_docx(converted):
    from docx import Document

    review = converted["review"]
    assert not review.problems and review.deposit is None
    assert review.path.name == f"exemple-{TODAY}-relecture.docx" and review.pdf == review.path.with_suffix(".pdf")
    assert _mode(review.pdf) == 0o600
    assert TITLE in _pdftext(review.pdf)
    # The review document keeps its own comments, if any: only the converted copy loses them.
    kept = Document(str(review.path)).comments
    assert converter.inspect(review.path.read_bytes())[1] == bool(list(kept))


@needs_office
def test_a_commented_document_converts_without_its_comments(tmp_path):
    path = tmp_path / "relecture.docx"
    _document("Le texte du projet Alpha sera lu.", COMMENT).save(str(path))
    before = path.read_bytes()
    data = converter.convert(path, remove_comments=True)
    (tmp_path / "relecture.pdf").write_bytes(data)
    text = _pdftext(tmp_path / "relecture.pdf")
    assert "Le texte du projet Alpha sera lu." in text and "Commentaire interne" not in text
    assert path.read_bytes() == before  # the document itself is untouched


@needs_office
def test_conversion_time_is_reasonable(converted):
    # One conversion with a fresh LibreOffice profile takes a few seconds; far below the delay.
    assert max(converted["timings"]) < converter.DELAY_SECONDS / 4


def test_a_forced_submission_says_so_in_the_terminal(tmp_path):
    """A forced export must not look like a success: the terminal says what every page says."""
    answers = example_answers()
    answers["montant_demande"] = "45 000"  # over the cap: blocking
    path = tmp_path / "reponses.yaml"
    import yaml

    path.write_text(yaml.safe_dump({"appel": IDF, "nom": "force", "reponses": answers}, allow_unicode=True), encoding="utf-8")
    store = tmp_path / "dossiers"
    assert run_aap("remplir", "--reponses", str(path), "--dossiers", str(store), cwd=tmp_path).returncode == 0
    result = run_aap("exporter", "force", "--depot", "--forcer", "--dossiers", str(store), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "NON DÉPOSABLE" in result.stderr.replace("\u00a0", " ")
