"""
Checking documents attached to news items.

A file's type is decided by its content, not by its name or by what the
browser claims: PDF by its signature, DOC and XLS by the streams inside the
OLE2 container (read with olefile), DOCX, XLSX, ODT and ODS by the entries of
the zip archive, RTF by its signature, and TXT by decoding as UTF-8,
Windows-1251 or (after its byte order mark) UTF-16 without control
characters. Anything else is refused, and so is a file over
`PORTAL_MAX_ATTACHMENT_BYTES`, and a zip-based document that says it unpacks
to more than `MAX_UNPACKED_RATIO` times its size (a "zip bomb": the server
never unpacks it, but a reader's office program would). A document that
carries macros is refused too: readers' office programs would offer to run
them, and no announcement needs a program inside it; so is one with a program
packaged into it (an `.exe` as an object, which a double click runs). A PDF
(read with pypdf) is refused if it carries scripts or actions that start programs,
which PDF readers run when it is opened or a link in it is clicked, or if it opens
only with a password, which readers do not have; files attached inside it count as
documents embedded in it. Documents embedded in a document (a workbook in a DOCX,
an object in an RTF, a file attached to a PDF) count as part of it, for macros,
scripts, programs and unpacked size alike, `MAX_EMBEDDING_DEPTH` levels down; to
look into them the server copies them, up to the attachment limit in all.
A web page (HTML) is refused as well: it is text, but its readers would get its
markup.

The name is only checked against the content: a file whose name ends in the
extension of another of these types (a text file renamed `report.pdf`, a PDF
named `.docx`) is refused, since whoever attached it expects readers to get
what its name says. A name without an extension, or with one of no type listed
here (`.csv`, `.log`, «Решение от 12.03.2024»), says nothing, and the content decides.
"""

import codecs
import io
import re
import shutil
import tempfile
import uuid
import zipfile
import zlib
from dataclasses import dataclass

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .file_sizes import size_and_limit


@dataclass(frozen=True)
class DocumentType:
    label: str  # what readers see: "PDF", "DOCX"…
    extension: str
    content_type: str


PDF = DocumentType("PDF", "pdf", "application/pdf")
DOC = DocumentType("DOC", "doc", "application/msword")
XLS = DocumentType("XLS", "xls", "application/vnd.ms-excel")
DOCX = DocumentType(
    "DOCX", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = DocumentType(
    "XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
ODT = DocumentType("ODT", "odt", "application/vnd.oasis.opendocument.text")
ODS = DocumentType("ODS", "ods", "application/vnd.oasis.opendocument.spreadsheet")
RTF = DocumentType("RTF", "rtf", "application/rtf")
TXT = DocumentType("TXT", "txt", "text/plain")

DOCUMENT_TYPES = {
    kind.content_type: kind for kind in (PDF, DOC, XLS, DOCX, XLSX, ODT, ODS, RTF, TXT)
}
EXTENSION_TYPES = {kind.extension: kind for kind in DOCUMENT_TYPES.values()}

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
RTF_SIGNATURE = b"{\\rtf"
PDF_SIGNATURE = b"%PDF-"
# What a document embedded in another begins with (RTF: Word's "alternative chunks").
DOCUMENT_SIGNATURES = (OLE2_SIGNATURE, ZIP_SIGNATURE, RTF_SIGNATURE, PDF_SIGNATURE)
OPENDOCUMENT_TYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
ZIP_TYPES = {DOCX, XLSX, ODT, ODS}
# An office document's XML packs to about a tenth of its size, its images not at all.
MAX_UNPACKED_RATIO = 100
# Where office documents keep macros. OLE2: Word's and Excel's storages.
OLE2_MACRO_STORAGES = ("Macros", "_VBA_PROJECT_CUR")
# Zip-based: Basic modules of ODF beside their library lists, which carry no code.
ODF_LIBRARY_LISTS = {"script-lc.xml", "script-lb.xml"}
# A file packaged into a document as an object (Windows' Object Packager).
PACKAGE_STREAM = "\x01Ole10Native"
# Packaged files that Windows runs as programs on a double click: the types Outlook blocks.
PROGRAM_EXTENSIONS = {
    "ade", "adp", "app", "appref-ms", "application", "bas", "bat", "chm", "cmd", "com",
    "cpl", "crt", "dll", "exe", "gadget", "hlp", "hta", "inf", "ins", "isp", "jar", "js",
    "jse", "lnk", "mde", "msc", "msh", "msi", "msp", "mst", "ocx", "pcd", "pif", "plg",
    "ps1", "psc1", "psm1", "reg", "scf", "scr", "sct", "shb", "shs", "url", "vb", "vbe",
    "vbs", "vsmacros", "ws", "wsc", "wsf", "wsh", "xbap",
}  # fmt: skip
# What reading a damaged file of either kind raises.
OLE2_ERRORS = (OSError, ValueError, IndexError, TypeError, AttributeError, RecursionError)
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,  # a zip version or compression method Python lacks
    RuntimeError,  # encrypted
    zlib.error,
)
# What reading a damaged PDF raises, besides pypdf's own errors: Python's from deep inside it.
PDF_ERRORS = (
    OSError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    RecursionError,
    zlib.error,
)
# A PDF's actions (its /S) that readers run: scripts and programs (ISO 32000, 12.6.4).
PDF_PROGRAM_ACTIONS = {"/JavaScript", "/Launch"}
# Embedded documents are looked into this many levels down; one embedded deeper is
# refused (its message says "three").
MAX_EMBEDDING_DEPTH = 3
# An object embedded in RTF is kept as hex digits in the group that begins with this.
RTF_OBJECT_DATA = re.compile(rb"\\objdata(?![a-z])")
RTF_BRACE = re.compile(rb"\\[\\{}]|[{}]")  # escaped backslashes and braces, then braces
RTF_BRACE_LEVEL = {b"{": 1, b"}": -1}
RTF_CONTROL_WORD = re.compile(rb"\\[a-z]+-?[0-9]* ?|\\.", re.DOTALL)
NOT_HEX_DIGIT = re.compile(rb"[^0-9a-fA-F]")
# An embedded document is copied to look into it: in memory up to this size, then on disk.
EMBEDDED_IN_MEMORY = 2 * 1024 * 1024
UTF16_BYTE_ORDER_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Text may hold tabs, line and page breaks; other control characters mean binary data.
TEXT_CONTROL_CHARACTERS = {chr(code) for code in range(32)} - set("\t\n\r\f") | {"\x7f"}


def check_document(upload) -> DocumentType:
    """The type of the uploaded document, or ValidationError saying why it is refused."""
    max_bytes = settings.PORTAL_MAX_ATTACHMENT_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params=size_and_limit(upload.size, max_bytes),
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    try:
        kind = detect_document_type(upload)
        contents = Contents(
            unpacked_limit=MAX_UNPACKED_RATIO * upload.size, embedded_limit=max_bytes
        )
        if kind in ZIP_TYPES or kind in (DOC, XLS, RTF, PDF):
            contents.look_into(upload)
        web_page = kind == TXT and _is_web_page(upload)
    finally:
        upload.seek(0)
    if kind is None:
        raise ValidationError(
            _(
                "This type of file cannot be attached. Attach PDF, DOC, DOCX, XLS, XLSX, "
                "ODT, ODS, RTF or plain text (TXT) documents."
            ),
            code="type",
        )
    if web_page:
        raise ValidationError(
            _(
                "The file is a web page (HTML): readers would get its markup as plain text. "
                "Open it in a browser, save it as PDF (Print, then Save as PDF) and attach "
                "the PDF."
            ),
            code="web_page",
        )
    named = named_type(upload.name)
    if named is not None and named != kind:
        raise ValidationError(
            _(
                "The file's name “%(name)s” says %(named)s, but its content is %(content)s. "
                "Rename the file to end in .%(extension)s, or open it in the program it was "
                "made in and save or export it as %(named)s."
            ),
            code="name_mismatch",
            params={
                "name": upload.name,
                "named": named.label,
                "content": _("plain text (TXT)") if kind == TXT else kind.label,
                "extension": kind.extension,
            },
        )
    if contents.unpacked > contents.unpacked_limit:
        raise ValidationError(
            _(
                "The document unpacks from %(size)s to %(unpacked)s, far more than any "
                "document does: it may be damaged or harmful."
            ),
            code="unpacks",
            params={
                "size": filesizeformat(upload.size),
                "unpacked": filesizeformat(contents.unpacked),
            },
        )
    if contents.embedded > contents.embedded_limit:
        raise ValidationError(
            _(
                "The document holds embedded documents of more than %(limit)s in all, "
                "too much to check. Attach them separately, or save the document "
                "without them."
            ),
            code="embedded_too_large",
            params={"limit": filesizeformat(contents.embedded_limit)},
        )
    if contents.too_deep:
        raise ValidationError(
            _(
                "The document has documents embedded more than three levels deep "
                "(a document in a document in a document…), too deep to check. Save the "
                "embedded documents separately and attach them."
            ),
            code="embedded_too_deep",
        )
    if contents.macros:
        raise ValidationError(
            _(
                "The document contains macros, programs that readers' office programs "
                "would offer to run. Remove the macros, or save the document as DOCX or "
                "XLSX, which keep none, and attach it again."
            ),
            code="macros",
        )
    if contents.locked:
        raise ValidationError(
            _(
                "The PDF opens only with a password, which readers do not have. Save it "
                "without a password (or print it to PDF) and attach it again."
            ),
            code="locked",
        )
    if contents.scripts:
        raise ValidationError(
            _(
                "The PDF contains scripts (JavaScript) or actions that start programs, "
                "which PDF readers run when it is opened or a link in it is clicked. Print "
                "it to PDF (Print, then Save as PDF), which keeps neither, and attach the "
                "new file."
            ),
            code="scripts",
        )
    if contents.program:
        raise ValidationError(
            _(
                "The document has a program packaged into it (“%(name)s”), which "
                "readers' computers would run when they open it. Remove it from the "
                "document and attach the document again."
            ),
            code="program",
            params={"name": contents.program},
        )
    return kind


def named_type(filename: str | None) -> DocumentType | None:
    """The type whose extension `filename` ends in, if any (case aside)."""
    _stem, dot, extension = (filename or "").rpartition(".")
    return EXTENSION_TYPES.get(extension.lower()) if dot else None


def detect_document_type(file) -> DocumentType | None:
    """The type of the document in the open binary `file`, judged by its content."""
    head = file.read(8)
    file.seek(0)
    if head.startswith(PDF_SIGNATURE):
        return PDF
    if head.startswith(b"{\\rtf"):
        return RTF
    if head == OLE2_SIGNATURE:
        return _ole2_type(file)
    if head.startswith(ZIP_SIGNATURE):
        return _zip_type(file)
    return _text_type(file)


def _ole2_type(file) -> DocumentType | None:
    try:
        with olefile.OleFileIO(file) as ole:
            if ole.exists("WordDocument"):
                return DOC
            if ole.exists("Workbook") or ole.exists("Book"):
                return XLS
    except OLE2_ERRORS:
        pass  # not a readable OLE2 file
    return None


def _zip_type(file) -> DocumentType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
                return None
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return OPENDOCUMENT_TYPES.get(mimetype)
    except ZIP_ERRORS:
        pass  # not a readable zip archive
    return None


@dataclass
class Contents:
    """
    What an office document holds, the documents embedded in it included (a
    workbook in a DOCX, say, which its reader opens with a double click).
    look_into() stops as soon as a limit is passed, or macros or a program are
    found, or a document is embedded too deep to look into.
    """

    unpacked_limit: int
    embedded_limit: int
    unpacked: int = 0  # what the zip archives say they unpack to
    embedded: int = 0  # the size of the embedded documents
    macros: bool = False
    scripts: bool = False  # a PDF's JavaScript, or its actions that start programs
    locked: bool = False  # a PDF that opens only with a password
    program: str | None = None  # the name of a program packaged into the document
    too_deep: bool = False  # a document embedded deeper than MAX_EMBEDDING_DEPTH

    def look_into(self, file, depth: int = 0) -> None:
        """Add what the document in the open binary `file` holds."""
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        try:
            if head == OLE2_SIGNATURE:
                self._look_into_ole2(file, depth)
            elif head.startswith(ZIP_SIGNATURE):
                self._look_into_zip(file, depth)
            elif head.startswith(RTF_SIGNATURE):
                self._look_into_rtf(file, depth)
            elif head.startswith(PDF_SIGNATURE):
                self._look_into_pdf(file, depth)
        except (*ZIP_ERRORS, *OLE2_ERRORS):
            pass  # a damaged part: no office program opens it either

    @property
    def finished(self) -> bool:
        return (
            self.macros
            or self.scripts
            or self.locked
            or self.program is not None
            or self.too_deep
            or self.unpacked > self.unpacked_limit
            or self.embedded > self.embedded_limit
        )

    def _look_into_zip(self, file, depth: int) -> None:
        with zipfile.ZipFile(file) as archive:
            entries = [entry for entry in archive.infolist() if not entry.is_dir()]
            self.unpacked += sum(entry.file_size for entry in entries)
            self.macros |= any(_is_macro_entry(entry.filename.lower()) for entry in entries)
            self.program = _program_among(entry.filename for entry in entries)
            for entry in entries:
                if self.finished:
                    return
                try:
                    with archive.open(entry) as member:
                        self._look_into_part(member, entry.file_size, depth)
                except ZIP_ERRORS:
                    pass  # a damaged entry: no office program opens it either

    def _look_into_ole2(self, file, depth: int) -> None:
        with olefile.OleFileIO(file) as ole:
            storages = ole.listdir(streams=False, storages=True)
            self.macros |= any(path[-1] in OLE2_MACRO_STORAGES for path in storages)
            for path in ole.listdir():
                if self.finished:
                    return
                with ole.openstream(path) as stream:
                    if path[-1] == PACKAGE_STREAM:  # its size (4 bytes), then the package
                        self._look_into_package(stream.read()[4:], depth)
                    else:
                        self._look_into_part(stream, ole.get_size(path), depth)

    def _look_into_rtf(self, file, depth: int) -> None:
        for class_name, native_data in _rtf_objects(file.read()):
            if self.finished:
                return
            if class_name == "Package":
                self._look_into_package(native_data, depth)
            else:
                self._look_into_part(io.BytesIO(native_data), len(native_data), depth)

    def _look_into_pdf(self, file, depth: int) -> None:
        # Imported here: with cryptography, 24 MB more in each worker that loads it.
        import pypdf

        errors = (pypdf.errors.PyPdfError, *PDF_ERRORS)
        try:
            reader = pypdf.PdfReader(file)
            if reader.is_encrypted and not reader.decrypt(""):
                # Not an owner's password alone (which only forbids, say, printing).
                self.locked = True
                return
        except errors:
            return  # a damaged PDF: no PDF reader opens it either
        # A damaged object is passed over, not the rest: what a reader can open is checked.
        for dictionary in _pdf_dictionaries(reader.trailer, errors):
            try:
                self._look_into_pdf_dictionary(dictionary, depth)
            except errors:
                continue
            if self.finished:
                return

    def _look_into_pdf_dictionary(self, dictionary, depth: int) -> None:
        if _resolved(dictionary.get("/S")) in PDF_PROGRAM_ACTIONS or "/JS" in dictionary:
            self.scripts = True
        elif "/EF" in dictionary:  # a file specification with the file attached
            names = [str(_resolved(dictionary.get(key, ""))) for key in ("/UF", "/F")]
            self.program = self.program or _program_among(names)
            for attached in _resolved(dictionary["/EF"]).values():
                if self.finished:
                    return
                data = _resolved(attached).get_data()
                self._look_into_part(io.BytesIO(data), len(data), depth)

    def _look_into_package(self, data: bytes, depth: int) -> None:
        """
        Look into a file packaged into a document as an object (Windows' Object
        Packager: an "Ole10Native" stream, or an RTF's "Package" object): a
        reader's double click opens it, as a copy with the name it had when it
        was packaged.
        """
        try:
            names, content = _unpack_package(data)
        except ValueError:
            return  # native data of another kind (a Paintbrush picture, a sound)
        self.program = _program_among(names)
        if not self.finished:
            self._look_into_part(io.BytesIO(content), len(content), depth)

    def _look_into_part(self, part, size: int, depth: int) -> None:
        """
        Look into a part of a document (a zip entry, an OLE2 stream, an RTF's
        object) that is a document itself.
        """
        head = part.read(8)
        if not head.startswith(DOCUMENT_SIGNATURES):
            return
        self.embedded += size
        if depth == MAX_EMBEDDING_DEPTH:
            self.too_deep = True
        if self.finished:
            return
        # Seeking in a packed zip entry unpacks it anew from its start: a copy.
        with tempfile.SpooledTemporaryFile(max_size=EMBEDDED_IN_MEMORY) as copy:
            copy.write(head)
            shutil.copyfileobj(part, copy)
            self.look_into(copy, depth + 1)


def _pdf_dictionaries(trailer, errors: tuple[type[Exception], ...]):
    """
    Every dictionary of a PDF that its readers reach from its `trailer` (its
    catalog, pages, annotations, form fields, name trees…), each once; those
    that reading raises one of `errors` for are left out.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen, pending = set(), [trailer]
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            if (value.idnum, value.generation) in seen:
                continue
            seen.add((value.idnum, value.generation))
            try:
                value = value.get_object()
            except errors:
                continue
        if isinstance(value, DictionaryObject):  # streams too
            yield value
            # The values as stored: references stay references, read above once each.
            pending.extend(dict.values(value))
        elif isinstance(value, ArrayObject):
            pending.extend(value)


def _resolved(value):
    """A PDF value, the object it refers to if it is a reference (pypdf's `get_object()`)."""
    return value.get_object() if hasattr(value, "get_object") else value


def _program_among(names) -> str | None:
    """The first of the file names or paths that names a program, if any."""
    for name in names:
        file_name = name.replace("\\", "/").rpartition("/")[2]
        if file_name.rpartition(".")[2].lower() in PROGRAM_EXTENSIONS:
            return file_name
    return None


def _unpack_package(data: bytes) -> tuple[list[str], bytes]:
    """
    The names (label, original path, temporary path) and content of a packaged
    file; ValueError if `data` holds none.
    """
    # Its flags (2 bytes); the label, the original path (each ending in a NUL);
    # 8 bytes; the temporary path; the content's size (4 bytes), the content.
    names = []
    position = 2
    for skip in (0, 0, 8):
        end = data.index(b"\0", position + skip)
        names.append(data[position + skip : end].decode("cp1251", "replace"))
        position = end + 1
    size = int.from_bytes(data[position : position + 4], "little")
    return names, data[position + 4 : position + 4 + size]


def _rtf_objects(rtf: bytes):
    """
    The class name and native data of each object embedded in `rtf`: the hex
    digits of its `\\objdata` group, with what Word skips there (white space,
    control words, braces) left out, decode to an OLE1 object.
    """
    end = 0
    while start := RTF_OBJECT_DATA.search(rtf, end):
        end, level = len(rtf), 1
        for brace in RTF_BRACE.finditer(rtf, start.end()):
            level += RTF_BRACE_LEVEL.get(brace.group(), 0)
            if level == 0:
                end = brace.start()
                break
        digits = NOT_HEX_DIGIT.sub(b"", RTF_CONTROL_WORD.sub(b"", rtf[start.end() : end]))
        yield _unpack_ole1(bytes.fromhex(digits[: len(digits) // 2 * 2].decode()))


def _unpack_ole1(data: bytes) -> tuple[str, bytes]:
    """The class name and native data of an OLE1 object ("Package", "Excel.Sheet.8"…)."""
    # Its version and format (4 bytes each); the class, topic and item names (each
    # its length in 4 bytes, then the name); the native data's size (4 bytes), the data.
    position, names = 8, []
    for _name in range(3):
        length = int.from_bytes(data[position : position + 4], "little")
        names.append(data[position + 4 : position + 4 + length].rstrip(b"\0"))
        position += 4 + length
    size = int.from_bytes(data[position : position + 4], "little")
    return names[0].decode("ascii", "replace"), data[position + 4 : position + 4 + size]


def _is_macro_entry(name: str) -> bool:
    if name.endswith("/"):
        return False  # a folder's own entry holds nothing
    top_folder, file_name = name.partition("/")[0], name.rpartition("/")[2]
    return (
        file_name == "vbaproject.bin"  # DOCM, XLSM: Visual Basic
        or name.startswith("xl/macrosheets/")  # XLSM: Excel 4.0 macro sheets
        or top_folder == "scripts"  # ODF: Python, JavaScript, BeanShell
        or (top_folder == "basic" and file_name not in ODF_LIBRARY_LISTS)
    )


def _is_web_page(file) -> bool:
    """Whether the text in `file` is HTML (as a page saved from a browser or Word is)."""
    file.seek(0)
    head = file.read(2048)
    encoding = "utf-16" if head.startswith(UTF16_BYTE_ORDER_MARKS) else "ascii"
    head = head.decode(encoding, "replace")[:1024].lower()
    return "<!doctype html" in head or "<html" in head


def _text_type(file) -> DocumentType | None:
    data = file.read()
    file.seek(0)
    # UTF-16 is what Notepad saves as "Unicode"; it begins with a byte order mark.
    utf16 = data.startswith(UTF16_BYTE_ORDER_MARKS)
    encodings = ("utf-16",) if utf16 else ("utf-8-sig", "cp1251")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if TEXT_CONTROL_CHARACTERS.isdisjoint(text):
            return TXT
        return None
    return None


# Where documents are stored under MEDIA_ROOT. Nothing serves this folder at its
# /media/ address (deploy/nginx-portal.conf, portal/urls.py): a document is sent by
# the portal, which first checks that its item may be read.
ATTACHMENT_FOLDER = "news/attachments/"


def attachment_upload_to(attachment, filename: str) -> str:
    """A random, unguessable name; the extension is that of the detected type."""
    kind = DOCUMENT_TYPES.get(attachment.content_type)
    return f"{ATTACHMENT_FOLDER}{uuid.uuid4().hex}.{kind.extension if kind else 'bin'}"


def download_name(title: str, extension: str) -> str:
    """A file name for the reader's disk, made from the attachment's title."""
    cleaned = "".join(
        "-" if char in '/\\:*?"<>|' or ord(char) < 32 or ord(char) == 127 else char
        for char in title
    )
    cleaned = " ".join(cleaned.split()).strip(" .-")[:120].rstrip(" .") or "document"
    return f"{cleaned}.{extension}"
