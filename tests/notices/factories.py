"""Notices and files for the notices tests. Notices are made through the services, so
that their state is reached the way the platform reaches it."""

import io
import itertools
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from notices import services
from notices.models import State, Visibility

_counter = itertools.count(1)


def make_notice(
    *,
    author,
    state=State.PUBLISHED,
    visibility=Visibility.PUBLIC,
    title=None,
    body="正文。",
    issued_on=None,
    doc_number="",
    files=(),
):
    number = next(_counter)
    notice = services.create_notice(
        actor=author,
        title=title or f"通知{number}",
        doc_number=doc_number,
        issuer="河北省思想政治工作研究会",
        issued_on=issued_on or date(2026, 1, number % 28 + 1),
        body=body,
        visibility=visibility,
        files=files,
    )
    if state in (State.PUBLISHED, State.WITHDRAWN):
        notice = services.publish_notice(actor=author, notice=notice)
    if state == State.WITHDRAWN:
        notice = services.withdraw_notice(actor=author, notice=notice, reason="测试撤回")
    return notice


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Complete files end with their closing marker (core.filetypes refuses truncated ones).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32 + b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
DOCX = _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "xl/workbook.xml": b"<workbook/>"})
PPTX = _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "ppt/presentation.xml": b"<presentation/>"})
ZIP = _zip({"材料/说明.txt": "示范点申报材料".encode()})
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
