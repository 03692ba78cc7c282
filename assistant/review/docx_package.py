"""A reviewed Word file as a package: the checks made on its bytes before it is opened, the zip's
members found by their relationships and parsed within limits, and every refusal of a file that
is not a readable .docx. Kept apart from the reading of its text (`docx_reading`) because what
is decided here is whether the file is read at all, and that is the same whatever it says.

The file comes from outside: the decision is made on its bytes, never on its name (an .odt
renamed .docx gets the .odt advice), it is bounded in size before anything is decompressed,
and its XML is parsed without entities nor network. Every refusal is one French sentence that
says what the file is and what to do.
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
from pathlib import Path
from typing import Any

from ..errors import AapError, ExitCode
from ..files import reason
from ..i18n import _

Element = Any  # an lxml element (lxml ships no type stubs)

MAX_FILE_MB = 50
MAX_XML_MB = 100  # all the XML parts read, decompressed: a zip bomb stops here
_MB = 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream name of an Office file encrypted with a password (an OLE container), in UTF-16.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class UnreadableFile(AapError):
    """A reviewed file aap cannot read; the message says what it is and what to do."""

    exit_code = ExitCode.BAD_INPUT


# -- refusals, decided on the bytes -------------------------------------------------------------


def _check_file(path: Path) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise UnreadableFile(_("le fichier {fichier} n'existe pas : vérifiez son nom et son dossier").format(
            fichier=path)) from None
    except OSError as error:
        raise _unreadable(path, error) from None
    if stat.S_ISDIR(status.st_mode):
        raise UnreadableFile(_("{fichier} est un dossier : donnez le chemin du fichier Word (.docx) relu").format(
            fichier=path))
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableFile(_("lecture de {fichier} impossible : {raison}").format(
            fichier=path, raison=_("ce n'est pas un fichier ordinaire")))
    if status.st_size > MAX_FILE_MB * _MB:
        raise UnreadableFile(_("{fichier} dépasse {n} Mo, la taille qu'aap lit pour un document relu : enregistrez-en "
                               "une copie sans les images ajoutées et donnez-la à aap").format(fichier=path, n=MAX_FILE_MB))
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            if head == _OLE_MAGIC:
                # A password-protected .docx is an OLE container too: only its stream name tells.
                encrypted = _ENCRYPTED in stream.read()
    except OSError as error:
        raise _unreadable(path, error) from None
    if head == _OLE_MAGIC and encrypted:
        raise UnreadableFile(_("{fichier} est protégé par un mot de passe : ouvrez-le dans Word, retirez le mot de passe "
                               "(Fichier > Informations > Protéger le document > Chiffrer avec mot de passe, laissez-le "
                               "vide), enregistrez-le, puis donnez-le de nouveau à aap").format(fichier=path))
    if head == _OLE_MAGIC:
        raise UnreadableFile(_("{fichier} est au format Word 97-2003 (.doc), qu'aap ne lit pas : ouvrez-le dans Word ou "
                               "LibreOffice, « Enregistrer sous », type « Document Word (.docx) », puis donnez ce "
                               "fichier .docx à aap").format(fichier=path))
    if head.startswith(b"%PDF"):
        raise UnreadableFile(_("{fichier} est un PDF : aap ne relit pas les PDF ; demandez au relecteur le fichier Word "
                               "(.docx) qu'il a annoté").format(fichier=path))
    if head.startswith(b"{\\rtf"):
        raise UnreadableFile(_("{fichier} est au format RTF, qu'aap ne lit pas : ouvrez-le dans Word ou LibreOffice, "
                               "« Enregistrer sous », type « Document Word (.docx) », puis donnez ce fichier .docx à "
                               "aap").format(fichier=path))
    if not head.startswith(b"PK"):
        # Not a zip at all (a text, an image): not a damaged Word file, another kind of file.
        raise UnreadableFile(_("{fichier} n'est pas un document Word (.docx) : donnez le fichier .docx que le relecteur a "
                               "renvoyé").format(fichier=path))


def _damaged(path: Path) -> UnreadableFile:
    return UnreadableFile(_("{fichier} est endommagé ou incomplet : ouvrez-le dans Word ou LibreOffice et enregistrez-le "
                            "de nouveau en .docx, ou redemandez-le à son expéditeur").format(fichier=path))


def _unreadable(path: Path, error: OSError) -> UnreadableFile:
    return UnreadableFile(_("lecture de {fichier} impossible : {raison}").format(fichier=path, raison=reason(error)))


# -- the package: its parts, found by their relationships ---------------------------------------


class _Package:
    """The zip's members: each found by its relationship, read no further than its stated size,
    parsed within the budget of MAX_XML_MB."""

    def __init__(self, path: Path, package: zipfile.ZipFile):
        self.path = path
        self.package = package
        # Part names are case-insensitive in OOXML, zip names are not.
        self.names = {info.filename.lower(): info for info in package.infolist()}
        self.budget = MAX_XML_MB * _MB

    def document(self) -> tuple[Element, dict[str, str], dict[str, str]]:
        """The main document's w:body, the parts the document points at and those the package
        points at; `UnreadableFile` when the package is no Word document."""
        mimetype = self.names.get("mimetype")
        if mimetype is not None and self._bytes(mimetype, 200).startswith(b"application/vnd.oasis.opendocument"):
            raise UnreadableFile(_("{fichier} est au format OpenDocument (.odt), qu'aap ne lit pas : ouvrez-le dans "
                                   "LibreOffice, « Enregistrer sous », type « Word 2007-365 (.docx) », confirmez "
                                   "« Utiliser le format Word 2007-365 ! », puis donnez ce fichier .docx à aap").format(
                fichier=self.path))
        package_parts = self.targets("")
        main = package_parts.get("officeDocument", "word/document.xml")
        document = self.xml(main)
        if document is None:
            raise UnreadableFile(_("{fichier} n'est pas un document Word (.docx) : donnez le fichier .docx que le "
                                   "relecteur a renvoyé").format(fichier=self.path))
        if document.tag == f"{{{_STRICT_W}}}document":
            raise UnreadableFile(_("{fichier} est au format « Document Word Strict Open XML », qu'aap ne lit pas : "
                                   "ouvrez-le dans Word, « Enregistrer sous », type « Document Word (.docx) », puis "
                                   "donnez ce fichier à aap").format(fichier=self.path))
        body = document.find(_w("body"))
        if document.tag != _w("document") or body is None:
            raise UnreadableFile(_("{fichier} n'est pas un document Word (.docx) : donnez le fichier .docx que le "
                                   "relecteur a renvoyé").format(fichier=self.path))
        return body, self.targets(main), package_parts

    def targets(self, source: str) -> dict[str, str]:
        """The parts `source` points at, by the last word of their relationship type."""
        folder, name = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        found: dict[str, str] = {}
        if rels is None:
            return found
        for relationship in rels.iterfind(f"{{{_RELS}}}Relationship"):
            target = relationship.get("Target") or ""
            if relationship.get("TargetMode") == "External" or not target:
                continue
            kind = (relationship.get("Type") or "").rsplit("/", 1)[-1]
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(folder, target))
            found.setdefault(kind, part)
        return found

    def _bytes(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        with self.package.open(info) as member:
            return member.read(limit)

    def xml(self, name: str | None) -> Element | None:
        """The part `name` parsed, None when the package has none; counted against the budget
        before anything is decompressed."""
        from lxml import etree

        info = self.names.get(name.lower()) if name else None
        if info is None:
            return None
        self.budget -= info.file_size
        if self.budget < 0:
            raise UnreadableFile(_("{fichier} contient plus de {n} Mo de texte une fois décompressé : aap ne le lit pas, "
                                   "par prudence ; redemandez le document à son expéditeur").format(
                fichier=self.path, n=MAX_XML_MB))
        # The size is the zip's own claim: reading one byte more tells a lie.
        content = self._bytes(info, info.file_size + 1)
        if len(content) > info.file_size:
            raise _damaged(self.path)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        try:
            return etree.fromstring(content, parser)
        except etree.XMLSyntaxError:
            raise _damaged(self.path) from None
