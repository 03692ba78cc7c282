"""The PDF of a Word document, through LibreOffice headless: PDF/A-2b (the archival format
agencies accept) and tagged (readable by screen readers), with no Microsoft Word needed.

- LibreOffice runs with a throwaway profile of its own, in a private temporary folder: it never
  touches the user's LibreOffice settings, and a LibreOffice window already open does not
  swallow the conversion.
- It gets a time limit (`DELAY_SECONDS`, or `AAP_PDF_DELAI` in seconds); past it, its whole
  process group is killed.
- A document holding tracked changes is never converted (a PDF prints the deleted and the
  inserted text alike). Comments are never printed either: the caller says whether they may
  be removed from a copy first (the review version) or must refuse the conversion.
- The PDF is returned as bytes: the caller writes it through `files.write_private`, so it is
  private and appears atomically under its final name.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from .errors import AapError
from .files import FileTooLarge, read_limited, reason, write_private
from .i18n import _

# LibreOffice's PDF export filter: SelectPdfVersion 2 is PDF/A-2b, UseTaggedPDF the structure tags.
FILTER = ('pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
          '"UseTaggedPDF":{"type":"boolean","value":"true"}}')
DELAY_SECONDS = 120.0
DELAY_VARIABLE = "AAP_PDF_DELAI"
# Démarches simplifiées takes attachments of 200 MB at most; a Word document of aap is far below.
MAX_BYTES = 200 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REVISIONS = {f"{_W}{name}" for name in ("ins", "del", "moveFrom", "moveTo")}
_COMMENT_MARKS = {f"{_W}{name}" for name in ("commentRangeStart", "commentRangeEnd", "commentReference")}
_COMMENT_PARTS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible")
# Where the installers put LibreOffice when it is not on PATH (Windows never adds it; a macOS
# drag-and-drop install neither).
_KNOWN_PLACES = {
    "darwin": ["/Applications/LibreOffice.app/Contents/MacOS/soffice"],
    "win32": [r"C:\Program Files\LibreOffice\program\soffice.exe",
              r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"],
}


class PdfError(AapError):
    """The PDF could not be made; the Word document is written all the same."""


class OfficeMissing(PdfError):
    def __init__(self, deposit: bool = False) -> None:
        super().__init__(
            _("le dossier de dépôt est écrit sans PDF : il faut LibreOffice pour le produire (la commande soffice "
              "est introuvable) ; installez-le puis relancez la commande avec --ecraser") if deposit else
            _("le PDF n'est pas produit : il faut LibreOffice (la commande soffice est introuvable) ; "
              "installez-le puis relancez la commande, le document Word est déjà écrit"),
            details=[_("Debian ou Ubuntu : sudo apt install libreoffice-writer-nogui"),
                     _("macOS : brew install --cask libreoffice"),
                     _("Windows : téléchargez LibreOffice sur https://www.libreoffice.org/download/")],
        )


def find_office() -> str | None:
    """LibreOffice's command: `soffice` or `libreoffice` on PATH, else where installers put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _KNOWN_PLACES.get(sys.platform, []):
        if os.path.isfile(place):
            return place
    return None


def delay() -> float:
    """The time limit of one conversion, in seconds: `AAP_PDF_DELAI` when it is a positive number."""
    try:
        value = float(os.environ.get(DELAY_VARIABLE, ""))
    except ValueError:
        return DELAY_SECONDS
    return value if 0 < value <= 24 * 3600 else DELAY_SECONDS


# -- what may be converted ------------------------------------------------------------------------

def _xml_parts(archive: zipfile.ZipFile) -> list[str]:
    return [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml") and "/_rels/" not in n]


def _tags(data: bytes) -> set[str]:
    from lxml import etree

    events = etree.iterparse(io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True)
    return {element.tag for _event, element in events if isinstance(element.tag, str)}


def inspect(data: bytes) -> tuple[bool, bool]:
    """(tracked changes, comments) in a .docx: an insertion or deletion anywhere in the text,
    a comment in `word/comments.xml`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        revisions = comments = False
        for name in _xml_parts(archive):
            tags = _tags(archive.read(name))
            revisions = revisions or bool(tags & _REVISIONS)
            comments = comments or bool(tags & _COMMENT_MARKS)
            comments = comments or (name == "word/comments.xml" and f"{_W}comment" in tags)
    return revisions, comments


def without_comments(data: bytes) -> bytes:
    """The same .docx with its comments removed: their anchors and references in the text, the
    comment parts, their relationships and content types. Nothing else changes."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    dropped = {f"word/{part}.xml" for part in _COMMENT_PARTS}
    output = io.BytesIO()
    with source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        texts = set(_xml_parts(source))
        for info in source.infolist():
            if info.filename in dropped:
                continue
            content = source.read(info)
            if info.filename in texts:
                content = _strip_marks(etree, content)
            elif info.filename == "word/_rels/document.xml.rels":
                content = _drop(etree, content, lambda e: e.get("Type", "").rsplit("/", 1)[-1] in _COMMENT_PARTS)
            elif info.filename == "[Content_Types].xml":
                content = _drop(etree, content, lambda e: e.get("PartName", "").lstrip("/") in dropped)
            target.writestr(info, content)
    return output.getvalue()


def _parse(etree: Any, content: bytes) -> Any:
    return etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))


def _strip_marks(etree: Any, content: bytes) -> bytes:
    root = _parse(etree, content)
    marks = list(root.iter(*_COMMENT_MARKS))
    if not marks:
        return content
    for mark in marks:
        parent = mark.getparent()
        parent.remove(mark)
        # python-docx and Word put the reference in a run of its own: an empty run goes too.
        if parent.tag == f"{_W}r" and all(child.tag == f"{_W}rPr" for child in parent):
            parent.getparent().remove(parent)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _drop(etree: Any, content: bytes, unwanted: Callable[[Any], bool]) -> bytes:
    root = _parse(etree, content)
    for element in [e for e in root if unwanted(e)]:
        root.remove(element)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def printable(data: bytes, remove_comments: bool) -> bytes:
    """The document as it may be converted, or a refusal saying why not."""
    try:
        revisions, comments = inspect(data)
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:  # lxml's XMLSyntaxError is one
        raise PdfError(_("le PDF n'est pas produit : le document Word est illisible ({raison})").format(
            raison=error)) from None
    if revisions:
        raise PdfError(_("le PDF n'est pas produit : le document contient des modifications suivies, qu'un PDF "
                         "imprimerait toutes ; acceptez-les ou refusez-les d'abord"))
    if comments:
        if not remove_comments:
            raise PdfError(_("le PDF n'est pas produit : le document contient des commentaires, qui ne doivent "
                             "pas partir avec le dossier"))
        data = without_comments(data)
        if any(inspect(data)):
            raise PdfError(_("le PDF n'est pas produit : les commentaires du document n'ont pas pu être retirés"))
    return data


# -- the conversion -------------------------------------------------------------------------------

def convert(docx: Path, remove_comments: bool = False) -> bytes:
    """The PDF/A-2b, tagged, of the Word document at `docx`, as bytes."""
    try:
        data = printable(read_limited(docx, MAX_BYTES), remove_comments)
    except FileTooLarge:
        raise PdfError(_("le PDF n'est pas produit : le document Word dépasse {n} Mo").format(
            n=MAX_BYTES // (1024 * 1024))) from None
    except OSError as error:
        raise PdfError(_("le PDF n'est pas produit : lecture de {fichier} impossible ({raison})").format(
            fichier=docx, raison=reason(error))) from None
    office = find_office()
    if office is None:
        raise OfficeMissing()
    limit = delay()
    # mkdtemp makes the folder 0700 whatever the umask: the copy of the dossier stays private.
    with tempfile.TemporaryDirectory(prefix="aap-pdf-", ignore_cleanup_errors=True) as work_name:
        work = Path(work_name)
        source = work / "document.docx"
        write_private(source, data)
        outdir = work / "pdf"
        command = [office, f"-env:UserInstallation={(work / 'profil').resolve().as_uri()}", "--headless",
                   "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
                   "--convert-to", FILTER, "--outdir", str(outdir), str(source)]
        returncode, log = _run(command, limit, work / "journal.txt")
        result = outdir / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            lines = [line.strip() for line in log.splitlines() if line.strip()]
            # LibreOffice says "Error: …" among warnings (javaldx…): that line, else its last one.
            detail = next((line for line in reversed(lines) if line.lower().startswith("error")),
                          lines[-1] if lines else _("code de sortie {code}").format(code=returncode))
            raise PdfError(_("le PDF n'est pas produit : LibreOffice n'a pas pu convertir le document ({detail})").format(
                detail=detail[:300]))
        try:
            return read_limited(result, MAX_BYTES)
        except FileTooLarge:
            raise PdfError(_("le PDF n'est pas produit : il dépasserait {n} Mo").format(n=MAX_BYTES // (1024 * 1024))) from None


def _run(command: list[str], limit: float, log_path: Path) -> tuple[int, str]:
    """Run LibreOffice in a process group of its own; past `limit` seconds, or on Ctrl-C, the
    whole group is killed (soffice is a script that starts soffice.bin)."""
    posix = os.name == "posix"
    with open(log_path, "wb") as log:  # a file, not a pipe: a stray child holding it cannot hang us
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=posix,
                creationflags=0 if posix else subprocess.CREATE_NEW_PROCESS_GROUP,  # type: ignore[attr-defined]
            )
        except OSError as error:
            raise PdfError(_("le PDF n'est pas produit : LibreOffice ne démarre pas ({raison})").format(
                raison=reason(error))) from None
        try:
            returncode = process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise PdfError(_("le PDF n'est pas produit : LibreOffice n'a pas fini la conversion en {secondes} s et a "
                             "été arrêté ; le document Word est écrit, relancez la commande ou enregistrez-le en PDF "
                             "depuis Word ou LibreOffice").format(secondes=f"{limit:g}")) from None
        finally:
            if process.poll() is None:  # Ctrl-C or any other way out: nothing left running
                _kill(process)
        if posix:  # a helper it started and left behind, if any
            with suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
    return returncode, log_path.read_text(encoding="utf-8", errors="replace")


def _kill(process: subprocess.Popen[bytes]) -> None:
    with suppress(OSError, subprocess.SubprocessError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # the tree: soffice.exe starts soffice.bin
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], check=False, capture_output=True, timeout=30)
            process.kill()
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
