import codecs
import datetime
import importlib
import io
import os
import struct
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches
from django.utils import timezone
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

import portal.urls
from news.attachments import (
    ATTACHMENT_FOLDER,
    check_document,
    detect_document_type,
    download_name,
)
from news.models import Attachment, Correction, NewsItem

from .conftest import image_bytes
from .editorial.forms import AdminForm

pytestmark = pytest.mark.django_db

ADD_URL = "/en/admin/news/newsitem/add/"

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole2_bytes(
    stream_name: str,
    storage_name: str | None = None,
    inner_storage_name: str | None = None,
    stream: bytes = b"\x01" * 4096,
) -> bytes:
    """
    A minimal OLE2 compound file (as DOC and XLS are) holding one 4 KiB stream
    (`stream`, padded) and, if named, a storage beside it, empty or holding an
    empty storage.
    """
    assert len(stream) <= 4096
    sector = 512
    stream_sectors = 8
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    difat = [0] + [FREESECT] * 108
    struct.pack_into("<109I", header, 76, *difat)

    fat = [FATSECT, ENDOFCHAIN, *range(3, 2 + stream_sectors), ENDOFCHAIN]
    fat += [FREESECT] * (sector // 4 - len(fat))
    fat_sector = struct.pack(f"<{sector // 4}I", *fat)

    def entry(name, kind, child, start, size, right=NOSTREAM):
        encoded = (name + "\0").encode("utf-16-le")
        data = bytearray(128)
        data[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", data, 64, len(encoded), kind, 1)
        struct.pack_into("<III", data, 68, NOSTREAM, right, child)
        struct.pack_into("<II", data, 116, start, size)
        return bytes(data)

    empty = bytearray(128)
    struct.pack_into("<III", empty, 68, NOSTREAM, NOSTREAM, NOSTREAM)
    directory = entry("Root Entry", 5, 1, ENDOFCHAIN, 0)
    if storage_name:
        directory += entry(stream_name, 2, NOSTREAM, 2, 4096, right=2)
        if inner_storage_name:
            directory += entry(storage_name, 1, 3, 0, 0)
            directory += entry(inner_storage_name, 1, NOSTREAM, 0, 0)
        else:
            directory += entry(storage_name, 1, NOSTREAM, 0, 0) + bytes(empty)
    else:
        directory += entry(stream_name, 2, NOSTREAM, 2, 4096) + bytes(empty) * 2
    return bytes(header) + fat_sector + directory + stream.ljust(sector * stream_sectors, b"\0")


def package(file_name: str, content: bytes) -> bytes:
    """A file packaged into a document (Windows' Object Packager): the package's own data."""
    temporary = f"C:\\Users\\user\\AppData\\Local\\Temp\\{file_name}\0".encode("cp1251")
    return (
        b"\x02\x00"
        + f"{file_name}\0C:\\Users\\user\\Desktop\\{file_name}\0".encode("cp1251")
        + b"\x00\x00\x03\x00"
        + len(temporary).to_bytes(4, "little")
        + temporary
        + len(content).to_bytes(4, "little")
        + content
    )


def packaged(file_name: str, content: bytes) -> bytes:
    """An OLE2 object holding a file packaged into a document."""
    native = package(file_name, content)
    return ole2_bytes("\x01Ole10Native", stream=len(native).to_bytes(4, "little") + native)


def rtf_with_object(class_name: str, native: bytes) -> bytes:
    """
    An RTF document with an object embedded in it, as Word writes one: an OLE1
    object in hex digits, 128 to a line, after the control word `\\objdata`.
    """
    name = class_name.encode() + b"\0"
    ole1 = (
        b"\x01\x05\x00\x00\x02\x00\x00\x00"  # its version, "embedded"
        + len(name).to_bytes(4, "little")
        + name
        + bytes(8)  # no topic, no item
        + len(native).to_bytes(4, "little")
        + native
    )
    digits = ole1.hex()
    lines = "\r\n".join(digits[start : start + 128] for start in range(0, len(digits), 128))
    return (
        "{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f0 Times New Roman;}}\\pard Report\\par\r\n"
        f"{{\\object\\objemb{{\\*\\objclass {class_name}}}{{\\*\\objdata\r\n{lines}}}}}}}"
    ).encode("ascii")


def pdf_bytes(*changes) -> bytes:
    """A one-page PDF that each of `changes` (a function of pypdf's PdfWriter) changes."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    for change in changes:
        change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def running_script(writer) -> None:
    writer.add_open_action(JavaScript("app.alert('Вы выиграли!');"))


def linking_to_a_program(writer) -> None:
    """A link on the first page that starts a program (a Launch action)."""
    action = {"/S": NameObject("/Launch"), "/F": TextStringObject("C:\\Windows\\calc.exe")}
    link = {
        "/Type": NameObject("/Annot"),
        "/Subtype": NameObject("/Link"),
        "/Rect": ArrayObject(NumberObject(n) for n in (50, 50, 200, 80)),
        "/A": DictionaryObject({NameObject(k): v for k, v in action.items()}),
    }
    annotation = writer._add_object(DictionaryObject({NameObject(k): v for k, v in link.items()}))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([annotation])


def attaching(name: str, content: bytes):
    return lambda writer: writer.add_attachment(name, content)


def nested_docx(levels: int) -> bytes:
    """A DOCX that embeds a DOCX that embeds… `levels` DOCX files down."""
    document = zip_bytes(OOXML_WORD)
    for _level in range(levels):
        document = zip_bytes({**OOXML_WORD, "word/embeddings/Document.docx": document})
    return document


def zip_bytes(entries: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_with_central_records(entries: dict[str, str], **fields: int) -> bytes:
    """A zip archive whose central directory claims other values (by byte offset) for each file."""
    data = bytearray(zip_bytes(entries))
    start = data.find(b"PK\x01\x02")
    while start != -1:
        for offset, value in fields.values():
            data[start + offset : start + offset + 2] = value.to_bytes(2, "little")
        start = data.find(b"PK\x01\x02", start + 4)
    return bytes(data)


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOCUMENTS = {
    "PDF": PDF_BYTES,
    "DOC": ole2_bytes("WordDocument"),
    "XLS": ole2_bytes("Workbook"),
    "DOCX": zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}),
    "XLSX": zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"}),
    "ODT": zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "a.xml": "<a/>"}),
    "ODS": zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
    "RTF": b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} \\f0 Hello}",
    "TXT": "График приёма граждан:\n\tпонедельник, 8.00–13.00\r\n".encode(),
}
REFUSED = {
    "a PNG image": image_bytes(),
    "a Windows program": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8,
    "a plain zip archive": zip_bytes({"photo.jpg": "x"}),
    "a PowerPoint presentation": zip_bytes(
        {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}
    ),
    "an OLE2 file that is neither DOC nor XLS": ole2_bytes("PowerPoint Document"),
    "a damaged OLE2 file": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x01" * 300,
    "a damaged zip": b"PK\x03\x04" + b"garbage" * 20,
    "an ODF file of another kind": zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.presentation"}
    ),
    "a DOCX needing a zip version Python lacks": zip_with_central_records(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}, version=(6, 0xFF)
    ),
    "an ODT compressed by an unknown method": zip_with_central_records(
        {"mimetype": "application/vnd.oasis.opendocument.text"}, method=(10, 99)
    ),
    "an encrypted ODT": zip_with_central_records(
        {"mimetype": "application/vnd.oasis.opendocument.text"}, flags=(8, 1)
    ),
    "text with NUL bytes": b"text\x00with nul",
    "UTF-16 with a NUL character": "text\x00".encode("utf-16"),
    "binary data": bytes(range(1, 32)) * 4,
}

OOXML_WORD = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}
OOXML_EXCEL = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"}
ODT_ENTRIES = {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<c/>"}
ODS_ENTRIES = {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}
DOCM = zip_bytes({**OOXML_WORD, "word/vbaProject.bin": "VBA"})
XLSM = zip_bytes({**OOXML_EXCEL, "xl/vbaProject.bin": "VBA"})
OLD_XLS_WITH_MACROS = ole2_bytes("Workbook", "_VBA_PROJECT_CUR")
WITH_MACROS = {
    "a DOCM": ("Приказ.docm", DOCM),
    "an XLSM": ("Смета.xlsm", XLSM),
    "an XLSM with an Excel 4.0 macro sheet": (
        "Смета.xlsm",
        zip_bytes({**OOXML_EXCEL, "xl/macrosheets/sheet1.xml": "<m/>"}),
    ),
    "a DOC with macros": ("Приказ.doc", ole2_bytes("WordDocument", "Macros")),
    "an XLS with macros": ("Смета.xls", ole2_bytes("Workbook", "_VBA_PROJECT_CUR")),
    "an ODT with a Basic module": (
        "План.odt",
        zip_bytes(
            {
                **ODT_ENTRIES,
                "Basic/script-lc.xml": "<l/>",
                "Basic/Standard/script-lb.xml": "<l/>",
                "Basic/Standard/Module1.xml": "<m/>",
            }
        ),
    ),
    "an ODS with a Python script": (
        "Таблица.ods",
        zip_bytes({**ODS_ENTRIES, "Scripts/python/tool.py": "import os"}),
    ),
    # Documents embedded in documents: their readers open them with a double click.
    "a DOCX embedding a workbook with macros": (
        "Отчёт.docx",
        zip_bytes({**OOXML_WORD, "word/embeddings/Microsoft_Excel_Worksheet.xlsm": XLSM}),
    ),
    "a DOCX embedding an Excel 97 workbook with macros": (
        "Отчёт.docx",
        zip_bytes({**OOXML_WORD, "word/embeddings/oleObject1.bin": OLD_XLS_WITH_MACROS}),
    ),
    "a DOC whose embedded workbook has macros": (
        "Отчёт.doc",
        ole2_bytes("WordDocument", "ObjectPool", "_VBA_PROJECT_CUR"),
    ),
    "an ODT embedding a DOC with macros": (
        "План.odt",
        zip_bytes({**ODT_ENTRIES, "Object 1": ole2_bytes("WordDocument", "Macros")}),
    ),
    "a DOCX with a DOCM packaged into it": (
        "Отчёт.docx",
        zip_bytes({**OOXML_WORD, "word/embeddings/oleObject1.bin": packaged("Приказ.docm", DOCM)}),
    ),
    "a DOCM in an OLE2 object in an XLSX in a DOCX": (
        "Отчёт.docx",
        zip_bytes(
            {
                **OOXML_WORD,
                "word/embeddings/Microsoft_Excel_Worksheet.xlsx": zip_bytes(
                    {
                        **OOXML_EXCEL,
                        "xl/embeddings/oleObject1.bin": ole2_bytes("Package", stream=DOCM),
                    }
                ),
            }
        ),
    ),
    "an RTF embedding a DOCM": (
        "Отчёт.rtf",
        rtf_with_object("Word.DocumentMacroEnabled.12", ole2_bytes("Package", stream=DOCM)),
    ),
    "an RTF embedding an Excel 97 workbook with macros": (
        "Отчёт.rtf",
        rtf_with_object("Excel.Sheet.8", OLD_XLS_WITH_MACROS),
    ),
    "an RTF whose object's digits have white space and control words among them": (
        "Отчёт.rtf",
        rtf_with_object("Excel.Sheet.8", OLD_XLS_WITH_MACROS)
        .replace(b"\r\n", b" \\par\t\n")
        .replace(b"objdata", b"objdata\\posx12 "),
    ),
}
WITH_SCRIPTS = {
    "a PDF that runs JavaScript when opened": ("Положение.pdf", pdf_bytes(running_script)),
    "a PDF with a link that starts a program": ("Схема.pdf", pdf_bytes(linking_to_a_program)),
    "a PDF with a PDF attached that runs JavaScript": (
        "Положение.pdf",
        pdf_bytes(attaching("Приложение.pdf", pdf_bytes(running_script))),
    ),
    "a DOCX embedding a PDF that runs JavaScript": (
        "Отчёт.docx",
        zip_bytes(
            {
                **OOXML_WORD,
                "word/embeddings/oleObject1.bin": packaged("Схема.pdf", pdf_bytes(running_script)),
            }
        ),
    ),
}
WITH_PROGRAMS = {  # the document's name and content, the program's name
    "a DOCX with a program packaged into it": (
        "Отчёт.docx",
        zip_bytes(
            {**OOXML_WORD, "word/embeddings/oleObject1.bin": packaged("Счёт.exe", b"MZ\x90")}
        ),
        "Счёт.exe",
    ),
    "an ODT with a script packaged into it": (
        "План.odt",
        zip_bytes({**ODT_ENTRIES, "Object 1": packaged("invoice.pdf.js", b"WScript")}),
        "invoice.pdf.js",
    ),
    "a DOCX with a zip packaged into it that holds a program": (
        "Отчёт.docx",
        zip_bytes(
            {
                **OOXML_WORD,
                "word/embeddings/oleObject1.bin": packaged(
                    "Документы.zip", zip_bytes({"Документы/Счёт.pdf.exe": b"MZ\x90"})
                ),
            }
        ),
        "Счёт.pdf.exe",
    ),
    "an RTF with a program packaged into it": (
        "Отчёт.rtf",
        rtf_with_object("Package", package("Счёт.exe", b"MZ\x90")),
        "Счёт.exe",
    ),
    "a PDF with a program attached": (
        "Положение.pdf",
        pdf_bytes(attaching("Счёт.exe", b"MZ\x90")),
        "Счёт.exe",
    ),
}
WITHOUT_MACROS = {
    "an ODT that lists no Basic modules": (
        "ODT",
        zip_bytes({**ODT_ENTRIES, "Basic/": "", "Basic/script-lc.xml": "<l/>"}),
    ),
    "a DOCX naming the Visual Basic part in its text only": (
        "DOCX",
        zip_bytes({**OOXML_WORD, "word/vbaProject.bin.txt": "x", "docProps/app.xml": "<a/>"}),
    ),
    "a DOCX embedding a workbook and an image": (
        "DOCX",
        zip_bytes(
            {
                **OOXML_WORD,
                "word/embeddings/Microsoft_Excel_Worksheet.xlsx": zip_bytes(OOXML_EXCEL),
                "word/embeddings/oleObject1.bin": ole2_bytes("Workbook"),
                "word/media/image1.png": image_bytes(),
            }
        ),
    ),
    "a DOC embedding a workbook": ("DOC", ole2_bytes("WordDocument", "ObjectPool", "_1")),
    "a DOCX with a PDF packaged into it": (
        "DOCX",
        zip_bytes(
            {**OOXML_WORD, "word/embeddings/oleObject1.bin": packaged("Схема.pdf", PDF_BYTES)}
        ),
    ),
    "a DOCX embedding documents three levels deep": ("DOCX", nested_docx(3)),
    "an RTF embedding a workbook": (
        "RTF",
        rtf_with_object("Excel.Sheet.8", ole2_bytes("Workbook")),
    ),
    "an RTF with a PDF packaged into it": (
        "RTF",
        rtf_with_object("Package", package("Схема.pdf", PDF_BYTES)),
    ),
    "a PDF with a table and another PDF attached": (
        "PDF",
        pdf_bytes(attaching("Таблица.txt", DOCUMENTS["TXT"]), attaching("Схема.pdf", pdf_bytes())),
    ),
    # It opens for anyone; only its owner's password may change it (or print it).
    "a PDF restricted by its owner's password": (
        "PDF",
        pdf_bytes(lambda writer: writer.encrypt("", "владелец", algorithm="AES-256")),
    ),
    "a PDF linking to a web page": (
        "PDF",
        pdf_bytes(lambda writer: writer.add_uri(0, "https://lepel.gov.by/", [50, 50, 200, 80])),
    ),
}

WEB_PAGES = {
    "saved from a browser": (
        "Постановление.htm",
        '<!DOCTYPE html>\n<html lang="ru"><head><title>Постановление</title>'.encode(),
    ),
    "saved from Word, in Windows-1251": (
        "Решение.html",
        '<html xmlns:o="urn:schemas-microsoft-com:office:office">'
        "<body><p>Решение</p></body></html>".encode("cp1251"),
    ),
    "saved by Internet Explorer": (
        "page.txt",
        b"<!-- saved from url=(0017)https://pravo.by/ -->\r\n<HTML><BODY>text</BODY></HTML>",
    ),
    "named as a PDF": ("act.pdf", b"\xef\xbb\xbf<!doctype HTML><p>act</p>"),
    "saved by Notepad as Unicode": ("act.txt", "<html><p>Решение</p></html>".encode("utf-16")),
}

MACROS_MESSAGE = (
    "The document contains macros, programs that readers' office programs would offer to "
    "run. Remove the macros, or save the document as DOCX or XLSX, which keep none, and "
    "attach it again."
)
PROGRAM_MESSAGE = (
    "The document has a program packaged into it (“{}”), which readers' computers would "
    "run when they open it. Remove it from the document and attach the document again."
)
SCRIPTS_MESSAGE = (
    "The PDF contains scripts (JavaScript) or actions that start programs, which PDF readers "
    "run when it is opened or a link in it is clicked. Print it to PDF (Print, then Save as "
    "PDF), which keeps neither, and attach the new file."
)
LOCKED_MESSAGE = (
    "The PDF opens only with a password, which readers do not have. Save it without a "
    "password (or print it to PDF) and attach it again."
)
WEB_PAGE_MESSAGE = (
    "The file is a web page (HTML): readers would get its markup as plain text. Open it in "
    "a browser, save it as PDF (Print, then Save as PDF) and attach the PDF."
)


class TestDocumentTypes:
    @pytest.mark.parametrize(("label", "data"), DOCUMENTS.items())
    def test_each_allowed_type_is_recognised_by_its_content(self, label, data):
        assert detect_document_type(io.BytesIO(data)).label == label

    @pytest.mark.parametrize(
        "data",
        [
            "Объявление о приёме граждан".encode("cp1251"),
            # Notepad's "Unicode": UTF-16 after its byte order mark.
            "Объявление о приёме граждан\r\n".encode("utf-16"),
            codecs.BOM_UTF16_BE + "Объявление о приёме граждан".encode("utf-16-be"),
        ],
        ids=["Windows-1251", "UTF-16", "UTF-16 big endian"],
    )
    def test_text_in_other_encodings_is_plain_text(self, data):
        assert detect_document_type(io.BytesIO(data)).label == "TXT"

    @pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
    def test_other_content_is_not_a_document(self, data):
        assert detect_document_type(io.BytesIO(data)) is None

    def test_download_names_come_from_the_title(self):
        assert download_name("График приёма", "pdf") == "График приёма.pdf"
        assert download_name('План "А"/Б: 2026?', "docx") == "План -А--Б- 2026.docx"
        assert download_name("...", "txt") == "document.txt"
        assert len(download_name("ы" * 500, "pdf")) == 124


class FieldLabels(HTMLParser):
    """The `aria-label` of each named field of a page."""

    def __init__(self):
        super().__init__()
        self.labels: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"input", "select", "textarea"} and "name" in attributes:
            self.labels[attributes["name"]] = attributes.get("aria-label")

    def of(self, prefix: str) -> dict[str, str | None]:
        return {name: label for name, label in self.labels.items() if name.startswith(prefix)}


def admin_data(category, **attachment) -> dict:
    data = {
        "title": "Объявление",
        "slug": "",
        "language": "ru",
        "translation_group": "",
        "category": category.pk,
        "lead": "Кратко.",
        "body": "<p>Текст.</p>",
        "published_at_0": "2026-10-05",
        "published_at_1": "09:00:00",
        "source": "",
        "author": "",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update({f"attachments-0-{key}": value for key, value in attachment.items()})
    return data


class TestAdmin:
    @pytest.mark.parametrize("label", ["PDF", "DOCX", "XLS", "TXT"])
    def test_staff_attach_documents_stored_under_random_names(self, staff_client, category, label):
        upload = SimpleUploadedFile("Мой файл (копия).exe", DOCUMENTS[label], "image/png")
        response = staff_client.post(
            ADD_URL,
            admin_data(category, title="График", file=upload, position="1"),
        )
        assert response.status_code == 302, response.context["inline_admin_formsets"][
            0
        ].formset.errors

        attachment = Attachment.objects.get()
        extension = label.lower()
        assert attachment.file.name.startswith("news/attachments/")
        assert attachment.file.name.endswith(f".{extension}") and "файл" not in attachment.file.name
        assert len(attachment.file.name.removeprefix("news/attachments/")) == 33 + len(extension)
        assert attachment.size == len(DOCUMENTS[label])
        assert attachment.type_label == label
        assert attachment.file.read() == DOCUMENTS[label]

    @pytest.mark.parametrize("name", ["a PNG image", "a Windows program", "a plain zip archive"])
    def test_other_types_are_refused_with_a_clear_message(self, staff_client, category, name):
        upload = SimpleUploadedFile("document.pdf", REFUSED[name], "application/pdf")
        response = staff_client.post(ADD_URL, admin_data(category, title="Файл", file=upload))
        assert response.status_code == 200
        assert "This type of file cannot be attached." in response.content.decode()
        assert not NewsItem.objects.exists() and not Attachment.objects.exists()

    @pytest.mark.parametrize(
        ("name", "label", "message"),
        [
            ("report.pdf", "TXT", "The file's name “report.pdf” says PDF, but its content is "
             "plain text (TXT). Rename the file to end in .txt, or open it in the program it "
             "was made in and save or export it as PDF."),
            ("План работ.docx", "PDF", "The file's name “План работ.docx” says DOCX, but its "
             "content is PDF. Rename the file to end in .pdf"),
            ("ПРИКАЗ.DOC", "RTF", "says DOC, but its content is RTF."),
            ("book.xls", "XLSX", "says XLS, but its content is XLSX."),
            ("notes.txt", "ODT", "says TXT, but its content is ODT."),
        ],
    )  # fmt: skip
    def test_a_name_that_says_another_type_is_refused(
        self, staff_client, category, name, label, message
    ):
        """Readers would get another type of file than the one whoever attached it named."""
        upload = SimpleUploadedFile(name, DOCUMENTS[label], "application/pdf")
        response = staff_client.post(ADD_URL, admin_data(category, title="Отчёт", file=upload))
        assert response.status_code == 200
        assert escape(message) in response.content.decode()
        assert not NewsItem.objects.exists() and not Attachment.objects.exists()

    @pytest.mark.parametrize(
        ("language", "upload", "message"),
        [
            ("ru", ("report.pdf", DOCUMENTS["TXT"]),
             "Имя файла «report.pdf» указывает на формат PDF, но по содержимому это "
             "простой текст (TXT). Переименуйте файл так, чтобы имя оканчивалось на .txt, или "
             "откройте его в программе, в которой он создан, и сохраните или экспортируйте "
             "в формате PDF."),
            ("be", ("report.pdf", DOCUMENTS["TXT"]),
             "Назва файла «report.pdf» паказвае на фармат PDF, але паводле змесціва "
             "гэта просты тэкст (TXT). Перайменуйце файл так, каб назва заканчвалася на .txt, "
             "або адкрыйце яго ў праграме, у якой ён створаны, і захавайце або экспартуйце "
             "ў фармаце PDF."),
            ("ru", WITH_MACROS["a DOCM"],
             "Документ содержит макросы — программы, которые офисная программа "
             "читателя предложит запустить. Удалите макросы или сохраните документ в формате "
             "DOCX или XLSX, в котором их нет, и прикрепите его снова."),
            ("be", WITH_MACROS["a DOCM"],
             "Дакумент змяшчае макрасы — праграмы, якія офісная праграма чытача "
             "прапануе запусціць. Выдаліце макрасы або захавайце дакумент у фармаце DOCX ці "
             "XLSX, у якім іх няма, і прымацуйце яго зноў."),
            ("ru", WITH_PROGRAMS["a DOCX with a program packaged into it"][:2],
             "В документ вложена программа («Счёт.exe»), которую компьютер читателя "
             "запустит, если её открыть. Удалите её из документа и прикрепите документ "
             "снова."),
            ("be", WITH_PROGRAMS["a DOCX with a program packaged into it"][:2],
             "У дакумент укладзена праграма («Счёт.exe»), якую камп’ютар чытача запусціць, "
             "калі яе адкрыць. Выдаліце яе з дакумента і прымацуйце дакумент зноў."),
            ("ru", WITH_SCRIPTS["a PDF that runs JavaScript when opened"],
             "PDF содержит сценарии (JavaScript) или действия, запускающие программы: "
             "программы просмотра PDF выполняют их при открытии файла или нажатии на ссылку "
             "в нём. Распечатайте его в PDF («Печать», затем «Сохранить как PDF») — в новом "
             "файле их не будет — и прикрепите новый файл."),
            ("be", WITH_SCRIPTS["a PDF that runs JavaScript when opened"],
             "PDF змяшчае сцэнарыі (JavaScript) або дзеянні, якія запускаюць праграмы: "
             "праграмы прагляду PDF выконваюць іх пры адкрыцці файла або націсканні на "
             "спасылку ў ім. Раздрукуйце яго ў PDF («Друк», потым «Захаваць як PDF») — у новым "
             "файле іх не будзе — і прымацуйце новы файл."),
            ("ru", WEB_PAGES["saved from a browser"],
             "Файл — веб-страница (HTML): читатели получили бы её разметку как простой "
             "текст. Откройте его в браузере, сохраните как PDF («Печать», затем «Сохранить "
             "как PDF») и прикрепите PDF."),
            ("be", WEB_PAGES["saved from a browser"],
             "Файл — вэб-старонка (HTML): чытачы атрымалі б яе разметку як просты "
             "тэкст. Адкрыйце яго ў браўзеры, захавайце як PDF («Друк», потым «Захаваць як "
             "PDF») і прымацуйце PDF."),
        ],
        ids=[
            "name-ru", "name-be", "macros-ru", "macros-be", "program-ru", "program-be",
            "scripts-ru", "scripts-be", "web-page-ru", "web-page-be",
        ],
    )  # fmt: skip
    def test_the_refusal_is_in_the_admins_language(
        self, staff_client, category, language, upload, message
    ):
        name, data = upload
        response = staff_client.post(
            f"/{language}/admin/news/newsitem/add/",
            admin_data(
                category,
                title="Отчёт",
                file=SimpleUploadedFile(name, data, "application/octet-stream"),
            ),
        )
        assert response.status_code == 200
        assert escape(message) in response.content.decode()
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize(
        ("name", "label"),
        [
            ("Отчёт.PDF", "PDF"),  # the extension agrees, whatever its case
            ("schedule.txt", "TXT"),
            ("Смета.xlsx", "XLSX"),
            ("Решение от 12.03.2024", "TXT"),  # no extension: the content decides
            ("Решение от 12.03.2024", "DOCX"),
            ("readings.csv", "TXT"),  # an extension of no type the portal lists
            ("README", "TXT"),
        ],
    )
    def test_a_name_that_agrees_or_names_no_listed_type_is_accepted(
        self, staff_client, category, name, label
    ):
        upload = SimpleUploadedFile(name, DOCUMENTS[label], "application/octet-stream")
        response = staff_client.post(
            ADD_URL, admin_data(category, title="Отчёт", file=upload, position="1")
        )
        assert response.status_code == 302
        assert Attachment.objects.get().type_label == label

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            *(
                pytest.param(name, data, MACROS_MESSAGE, id=case)
                for case, (name, data) in WITH_MACROS.items()
            ),
            *(
                pytest.param(name, data, PROGRAM_MESSAGE.format(program), id=case)
                for case, (name, data, program) in WITH_PROGRAMS.items()
            ),
            *(
                pytest.param(name, data, WEB_PAGE_MESSAGE, id=case)
                for case, (name, data) in WEB_PAGES.items()
            ),
            *(
                pytest.param(name, data, SCRIPTS_MESSAGE, id=case)
                for case, (name, data) in WITH_SCRIPTS.items()
            ),
            pytest.param(
                "Положение.pdf",
                pdf_bytes(lambda writer: writer.encrypt("1234", algorithm="AES-128")),
                LOCKED_MESSAGE,
                id="a PDF that opens only with a password",
            ),
            pytest.param(
                "Положение.pdf",
                pdf_bytes(attaching("Приказ.docm", DOCM)),
                MACROS_MESSAGE,
                id="a PDF with a DOCM attached",
            ),
        ],
    )
    def test_documents_that_run_programs_and_web_pages_are_refused_with_a_reason(
        self, staff_client, category, name, data, message
    ):
        """
        Readers' office programs would offer to run macros, their PDF readers run
        scripts; of a web page (a legal act saved from a browser, say) readers would
        get the markup.
        """
        upload = SimpleUploadedFile(name, data, "application/octet-stream")
        response = staff_client.post(ADD_URL, admin_data(category, title="Приказ", file=upload))
        assert response.status_code == 200
        assert escape(message) in response.content.decode()
        assert not NewsItem.objects.exists() and not Attachment.objects.exists()

    @pytest.mark.parametrize(("label", "data"), WITHOUT_MACROS.values(), ids=WITHOUT_MACROS.keys())
    def test_documents_without_macros_are_accepted(self, staff_client, category, label, data):
        upload = SimpleUploadedFile("document", data, "application/octet-stream")
        response = staff_client.post(
            ADD_URL, admin_data(category, title="План", file=upload, position="1")
        )
        assert response.status_code == 302
        assert Attachment.objects.get().type_label == label

    @pytest.mark.parametrize(
        "text",
        [
            "Сайт райисполкома: https://example.by/index.html\n",
            "Памятка.\n" + "Текст. " * 200 + "<html> в конце",  # a tag after the first 1 KB
        ],
    )
    def test_text_that_mentions_html_is_accepted(self, staff_client, category, text):
        upload = SimpleUploadedFile("notes.txt", text.encode(), "text/plain")
        response = staff_client.post(
            ADD_URL, admin_data(category, title="Памятка", file=upload, position="1")
        )
        assert response.status_code == 302
        assert Attachment.objects.get().type_label == "TXT"

    def test_oversize_files_are_refused_with_the_limit(self, staff_client, category, settings):
        settings.PORTAL_MAX_ATTACHMENT_BYTES = 1024
        upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2000, "application/pdf")
        response = staff_client.post(ADD_URL, admin_data(category, title="Файл", file=upload))
        page = response.content.decode()
        assert response.status_code == 200
        assert "The file is too large (2.0\xa0KB). The limit is 1.0\xa0KB." in page
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize(
        ("language", "message"),
        [
            ("en", "The file is too large (20,971,521 bytes). The limit is 20,971,520 bytes."),
            ("ru", "Файл слишком большой (20\xa0971\xa0521 байт). Допустимый размер — не более "
             "20\xa0971\xa0520 байт."),
        ],
    )  # fmt: skip
    def test_a_file_just_over_the_limit_is_told_apart_from_it(
        self, staff_client, category, settings, language, message
    ):
        """Both are «20,0 МБ» when rounded: the message gives them in bytes."""
        limit = settings.PORTAL_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
        upload = SimpleUploadedFile("big.pdf", PDF_BYTES.ljust(limit + 1, b"0"), "application/pdf")
        response = staff_client.post(
            f"/{language}/admin/news/newsitem/add/",
            admin_data(category, title="Файл", file=upload),
        )
        assert escape(message) in response.content.decode()
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize("embedded", [False, True], ids=["itself", "embedded"])
    def test_a_document_that_unpacks_a_hundredfold_is_refused(
        self, staff_client, category, embedded
    ):
        """A zip bomb: the server never unpacks it, but a reader's office program would."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w>" + "0" * 3_000_000)
        bomb = buffer.getvalue()
        assert len(bomb) < 30_000
        if embedded:
            bomb = zip_bytes({**OOXML_WORD, "word/embeddings/Document.docx": bomb})
        upload = SimpleUploadedFile("bomb.docx", bomb, "application/octet-stream")
        response = staff_client.post(ADD_URL, admin_data(category, title="Файл", file=upload))
        page = response.content.decode()
        assert response.status_code == 200
        assert "far more than any document does: it may be damaged or harmful." in page
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize(
        ("language", "message"),
        [
            ("en", "The document holds embedded documents of more than 20.0\xa0KB in all, "
             "too much to check. Attach them separately, or save the document without them."),
            ("ru", "В документ встроены другие документы общим объёмом больше 20,0\xa0КБ — "
             "слишком много, чтобы их проверить. Прикрепите их отдельно или сохраните "
             "документ без них."),
        ],
    )  # fmt: skip
    def test_embedded_documents_over_the_limit_are_refused(
        self, staff_client, category, settings, language, message
    ):
        """Looking into them means copying them: up to the limit of an attached file."""
        settings.PORTAL_MAX_ATTACHMENT_BYTES = 20 * 1024
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w/>")
            for number in (1, 2):
                archive.writestr(f"word/embeddings/oleObject{number}.bin", ole2_bytes("x") * 3)
        data = buffer.getvalue()
        assert len(data) < 20 * 1024
        response = staff_client.post(
            f"/{language}/admin/news/newsitem/add/",
            admin_data(
                category,
                title="Отчёт",
                file=SimpleUploadedFile("Отчёт.docx", data, "application/octet-stream"),
            ),
        )
        assert response.status_code == 200
        assert escape(message) in response.content.decode()
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize(
        ("language", "message"),
        [
            ("en", "The document has documents embedded more than three levels deep (a document "
             "in a document in a document…), too deep to check. Save the embedded documents "
             "separately and attach them."),
            ("ru", "В документ вложены документы глубже трёх уровней (документ в документе "
             "в документе…) — слишком глубоко, чтобы их проверить. Сохраните вложенные "
             "документы отдельно и прикрепите их."),
            ("be", "У дакумент укладзены дакументы глыбей за тры ўзроўні (дакумент у "
             "дакуменце ў дакуменце…) — занадта глыбока, каб іх праверыць. Захавайце "
             "ўкладзеныя дакументы асобна і прымацуйце іх."),
        ],
    )  # fmt: skip
    def test_a_document_embedded_too_deep_to_look_into_is_refused(
        self, staff_client, category, language, message
    ):
        """Three levels down are looked into (WITHOUT_MACROS); a fourth would go unchecked."""
        response = staff_client.post(
            f"/{language}/admin/news/newsitem/add/",
            admin_data(
                category,
                title="Отчёт",
                file=SimpleUploadedFile("Отчёт.docx", nested_docx(4), "application/octet-stream"),
            ),
        )
        assert response.status_code == 200
        assert escape(message) in response.content.decode()
        assert not Attachment.objects.exists()

    def test_a_documents_fields_are_named_by_their_columns(self, staff_client, make_item):
        """Screen readers name each field of a row; the hidden ones have nothing to say."""
        item = make_item()
        attach(item, "График", "PDF")
        page = staff_client.get(f"/en/admin/news/newsitem/{item.pk}/change/").content.decode()
        labels = FieldLabels()
        labels.feed(page)
        assert labels.of("attachments-0-") == {
            "attachments-0-title": "Title",
            "attachments-0-file": "File",
            "attachments-0-position": "Position",
            "attachments-0-DELETE": "Delete “График”",  # the row it deletes
            "attachments-0-id": None,
            "attachments-0-news_item": None,
        }

    def test_the_change_form_shows_type_and_size(self, staff_client, make_item):
        item = make_item()
        attachment = attach(item, "График", "PDF")
        page = staff_client.get(f"/en/admin/news/newsitem/{item.pk}/change/").content.decode()
        assert f"PDF, {len(PDF_BYTES)}\xa0bytes" in page
        # The current file's link is the download view's, not the file's /media/ address.
        assert f'<a href="{attachment.get_absolute_url()}">{attachment.download_name}</a>' in page
        assert attachment.file.name not in page  # a random name says nothing to staff
        assert attachment.file.url not in page


class TestNoMediaAddress:
    """Documents are sent by the download view only, which checks their item."""

    @pytest.fixture
    def urls_serving_media(self, settings):
        settings.SERVE_MEDIA = True
        importlib.reload(portal.urls)
        clear_url_caches()
        yield
        settings.SERVE_MEDIA = False
        importlib.reload(portal.urls)
        clear_url_caches()

    def test_the_demo_serves_uploads_but_not_documents(
        self, client, make_item, stored_image, urls_serving_media, settings
    ):
        draft = make_item(is_published=False, cover_image=stored_image(), cover_image_alt="Озеро")
        attachment = attach(draft, "Проект решения", "PDF")
        assert client.get(draft.cover_image.url).status_code == 200
        assert client.get(attachment.file.url).status_code == 404
        # Django's `serve` opens a path as normalised: so is it checked.
        folder, name = attachment.file.name.rsplit("/", 1)
        for spelling in (
            f"{folder.replace('/', '//')}/{name}",
            f"/{folder}/{name}",
            f"./{folder}/./{name}",
            f"news/x/../{folder.removeprefix('news/')}/{name}",
            # Up out of MEDIA_ROOT and back in by its own name.
            f"../{settings.MEDIA_ROOT.name}/{folder}/{name}",
            f"x/../../{settings.MEDIA_ROOT.name}/{folder}/{name}",
        ):
            assert client.get(f"/media/{spelling}").status_code == 404, spelling
        # A name longer than the file system allows is not there either.
        assert client.get("/media/" + "a" * 300).status_code == 404

    def test_the_web_server_does_not_serve_them_either(self):
        config = (
            Path(__file__).resolve().parent.parent / "deploy" / "nginx-portal.conf"
        ).read_text()
        assert f"location /media/{ATTACHMENT_FOLDER} {{ return 404; }}" in config


class TestFiles:
    """A document's file lives as long as the document, or its deleted item, may come back."""

    def stored(self, attachment) -> bool:
        return attachment.file.storage.exists(attachment.file.name)

    def test_a_document_taken_off_in_the_admin_takes_its_file(
        self, staff_client, make_item, django_capture_on_commit_callbacks
    ):
        item = make_item(is_published=False)
        kept, removed = attach(item, "График", "PDF"), attach(item, "Ошибочный", "TXT")
        form = AdminForm.load(staff_client, item)
        number = next(
            name.split("-")[1]
            for name, value in form.data.items()
            if name.endswith("-id") and value == str(removed.pk)
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = form.submit(**{f"attachments-{number}-DELETE": "on"})
        assert response.status_code == 302
        assert list(item.attachments.all()) == [kept]
        assert self.stored(kept) and not self.stored(removed)

    def test_a_replaced_file_is_deleted_once_the_change_is_saved(
        self, make_item, django_capture_on_commit_callbacks
    ):
        attachment = attach(make_item(), "График", "PDF")
        old_name = attachment.file.name
        with django_capture_on_commit_callbacks(execute=True):
            attachment.file.save("doc.txt", ContentFile(DOCUMENTS["TXT"]), save=True)
        assert self.stored(attachment)
        assert not attachment.file.storage.exists(old_name)
        with django_capture_on_commit_callbacks(execute=True):
            attachment.title = "График приёма"
            attachment.save()
        assert self.stored(attachment)

    def test_a_deleted_items_documents_keep_their_files(
        self, make_item, django_capture_on_commit_callbacks
    ):
        item = make_item()
        attachments = [attach(item, "График", "PDF"), attach(item, "Список", "TXT")]
        with django_capture_on_commit_callbacks(execute=True):
            item.delete()
        assert not Attachment.objects.exists()
        assert all(self.stored(attachment) for attachment in attachments)

    def test_a_rolled_back_removal_keeps_the_file(
        self, make_item, django_capture_on_commit_callbacks
    ):
        attachment = attach(make_item(), "График", "PDF")
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            Attachment.objects.get(pk=attachment.pk).delete()
            raise RuntimeError
        assert callbacks == []
        assert Attachment.objects.filter(pk=attachment.pk).exists() and self.stored(attachment)


def attach(item, title, label, data=None, position=0) -> Attachment:
    data = DOCUMENTS[label] if data is None else data
    kind = detect_document_type(io.BytesIO(data))
    attachment = Attachment(news_item=item, title=title, content_type=kind.content_type)
    attachment.position = position
    attachment.file.save(f"doc.{kind.extension}", ContentFile(data), save=True)
    return attachment


class TestDetailPage:
    @pytest.mark.parametrize(
        ("language", "details"),
        [("en", "(PDF, 1.2\xa0MB)"), ("ru", "(PDF, 1,2\xa0МБ)")],
    )
    def test_lists_attachments_with_type_and_size_in_the_pages_language(
        self, client, make_item, language, details
    ):
        item = make_item(language=language)
        document = PDF_BYTES + b"0" * (1_258_291 - len(PDF_BYTES))
        big = attach(item, "Road repair map", "PDF", document)
        page = client.get(item.get_absolute_url()).content.decode()
        assert '<section class="attachments" aria-labelledby="attachments-heading">' in page
        assert '<h2 id="attachments-heading">' in page
        # In the link: a screen reader's list of links, or Tab, reads them too.
        assert (
            f'href="{big.get_absolute_url()}" download>Road repair map '
            f'<span class="attachments__details">{details}</span></a>'
        ) in page

    def test_attachments_are_listed_by_position(self, client, make_item):
        item = make_item()
        attach(item, "Второй", "TXT", position=2)
        attach(item, "Первый", "PDF", position=1)
        page = client.get(item.get_absolute_url()).content.decode()
        assert page.index("Первый") < page.index("Второй")

    def test_no_section_without_attachments(self, client, make_item):
        item = make_item()
        assert 'class="attachments"' not in client.get(item.get_absolute_url()).content.decode()

    def test_documents_and_corrections_are_read_only_for_an_article_that_has_some(
        self, client, make_item, settings
    ):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendering, not the page cache, is measured
        plain, amended = make_item(), make_item()
        attach(amended, "График работы", "PDF")
        Correction.objects.create(item=amended, note="Уточнено время.")
        client.get(
            plain.get_absolute_url()
        )  # warms the cache (urgent notices), as on a running site

        with CaptureQueriesContext(connection) as plain_queries:
            client.get(plain.get_absolute_url())
        with CaptureQueriesContext(connection) as amended_queries:
            page = client.get(amended.get_absolute_url()).content.decode()

        assert "График работы" in page and "Уточнено время." in page
        assert len(plain_queries) == 2  # the item, its neighbours and translations
        assert len(amended_queries) == 4


class TestDownload:
    def test_a_published_items_document_downloads_with_its_type_and_title(self, client, make_item):
        attachment = attach(make_item(language="en"), 'Road "repair" map', "PDF")
        response = client.get(attachment.get_absolute_url())
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Road -repair- map.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == DOCUMENTS["PDF"]

    def test_cyrillic_titles_make_utf8_file_names(self, client, make_item):
        attachment = attach(make_item(), "График приёма", "TXT")
        response = client.get(attachment.get_absolute_url())
        assert response["Content-Type"] == "text/plain"
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''%D0%93%D1%80%D0%B0%D1%84%D0%B8%D0%BA%20"
            "%D0%BF%D1%80%D0%B8%D1%91%D0%BC%D0%B0.txt"
        )

    def test_unpublished_items_documents_are_for_staff_only(
        self, client, make_item, django_user_model
    ):
        draft = attach(make_item(is_published=False), "Черновик", "PDF")
        future = attach(
            make_item(published_at=timezone.now() + datetime.timedelta(days=1)), "План", "PDF"
        )
        # Published in error: the page answers 410 and the documents go with it.
        in_error = attach(
            make_item(
                withdrawn_at=timezone.now(), withdrawal_reason="Ошибка.", withdrawn_in_error=True
            ),
            "Приказ",
            "PDF",
        )
        withdrawn = attach(
            make_item(withdrawn_at=timezone.now(), withdrawal_reason="Устарело."), "Схема", "PDF"
        )
        for attachment in (draft, future, in_error):
            assert client.get(attachment.get_absolute_url()).status_code == 404
        assert client.get(withdrawn.get_absolute_url()).status_code == 200  # with its notice
        editor = django_user_model.objects.create_user("editor", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editor"))
        client.force_login(editor)
        for attachment in (draft, future, in_error):
            assert client.get(attachment.get_absolute_url()).status_code == 200

    def test_unknown_ids_and_missing_files_are_404(self, client, make_item):
        attachment = attach(make_item(), "Документ", "PDF")
        assert client.get(f"/ru/news/attachments/{attachment.pk + 1}/").status_code == 404
        attachment.file.storage.delete(attachment.file.name)
        assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_worker_loads_the_pdf_reader_only_to_check_a_pdf():
    """pypdf is 24 MB of a worker's memory, for what staff attach now and then."""
    code = "import sys, portal.wsgi, news.admin; print(sorted({'pypdf'} & set(sys.modules)))"
    environment = {**os.environ, "DJANGO_DEBUG": "1"}
    loaded = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


PDF_WITH_EVERYTHING = pdf_bytes(
    running_script,
    linking_to_a_program,
    attaching("Счёт.exe", b"MZ\x90"),
    attaching("Приложение.pdf", pdf_bytes(running_script)),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(PDF_WITH_EVERYTHING) - 1), st.binary(max_size=8)),
        min_size=1,
        max_size=4,
    )
)
def test_a_damaged_pdf_gets_an_answer_not_an_error(damage):
    """Bytes overwritten anywhere: the PDF is refused with a reason or accepted, never a crash."""
    data = bytearray(PDF_WITH_EVERYTHING)
    for position, replacement in damage:
        data[position : position + len(replacement)] = replacement
    upload = SimpleUploadedFile("Положение.pdf", bytes(data), "application/pdf")
    try:
        kind = check_document(upload)
    except ValidationError as refusal:
        # Its type's signature damaged, or a script, program or password still found.
        assert refusal.code in {"type", "name_mismatch", "scripts", "program", "locked"}
    else:
        assert kind.label == "PDF"
