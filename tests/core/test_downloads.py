"""Every file leaves through core.files (control 5): shown inline only when it really is
a PDF or an image, and always under a cleaned name in its Content-Disposition header."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.files import INLINE_POLICY, MAX_NAME_CHARS, as_download, attachment, safe_filename
from core.files import stream_stored as stream_for
from materials.models import MaterialVersion
from tests.materials import factories
from tests.materials.factories import make_material, upload

ROOT = Path(__file__).resolve().parents[2]
HTML = b"<!doctype html><html><script>fetch('/accounts/')</script></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
CHINESE = "%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93"  # 工作总结


def stream_stored(name: str, **kwargs):
    """stream_stored for a visitor without a login (who leaves no audit record)."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return stream_for(request, name, obj=None, scope=None, **kwargs)


def store(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


def body(response) -> bytes:
    """The content of `response`, its stored file closed. (Not response.close(): that
    would signal the end of a request and close the test's database connection.)"""
    if not response.streaming:
        return response.content
    content = b"".join(response.streaming_content)
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    return content


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("工作总结.pdf", "工作总结.pdf"),
        ("report\r\nSet-Cookie: a=b.pdf", "report Set-Cookie_ a=b.pdf"),
        ('say "hi".pdf', "say hi.pdf"),
        ("it's.pdf", "its.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("C:\\Users\\张三\\总结.docx", "总结.docx"),
        (".htaccess", "htaccess"),
        ("...", "download"),
        ("", "download"),
        ("\x00\x1b[31m红.pdf", "[31m红.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a<b>c|d?.pdf", "a_b_c_d_.pdf"),
    ],
)
def test_downloads_safe_filename_cleans_names(name, expected):
    assert safe_filename(name) == expected


def test_downloads_safe_filename_shortens_long_names_keeping_the_extension():
    cleaned = safe_filename("很长的名字" * 100 + ".pdf")
    assert (len(cleaned), cleaned.endswith("名字.pdf") or cleaned.endswith(".pdf")) == (MAX_NAME_CHARS, True)


def test_downloads_malicious_name_gives_a_clean_header(db):
    name = store("materials/x.pdf", factories.PDF)
    response = stream_stored(name, filename='../..\\工作总结\r\n"; filename="evil.html', content_type="application/pdf")
    assert body(response) == factories.PDF
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{CHINESE}%20%3B%20filename%3Devil.html"
    assert [value for value in response.headers.values() if re.search(r"[\r\n\"]", value)] == []


def test_downloads_ascii_name_is_quoted(db):
    name = store("materials/x.pdf", factories.PDF)
    response = stream_stored(name, filename="summary 2026.pdf", content_type="application/pdf")
    body(response)
    assert response["Content-Disposition"] == 'attachment; filename="summary 2026.pdf"'
    assert (response["Cache-Control"], response["X-Content-Type-Options"]) == ("private, no-store", "nosniff")


@pytest.mark.parametrize(
    ("content", "declared", "inline_type"),
    [
        (factories.PDF, "application/pdf", "application/pdf"),
        (factories.JPEG, "image/jpeg", "image/jpeg"),
        (factories.PNG, "image/png", "image/png"),
    ],
)
def test_downloads_checked_pdfs_and_images_are_shown_inline_in_a_sandbox(db, content, declared, inline_type):
    response = stream_stored(store("photos/a.bin", content), filename="工作总结.x", content_type=declared, inline=True)
    assert body(response) == content
    assert response["Content-Type"] == inline_type
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{CHINESE}.x"
    assert response["Content-Security-Policy"] == INLINE_POLICY


@pytest.mark.parametrize(
    ("content", "declared", "sent_as"),
    [
        (HTML, "image/jpeg", "image/jpeg"),
        (HTML, "text/html", "application/octet-stream"),
        (SVG, "image/png", "image/png"),
        (SVG, "image/svg+xml", "application/octet-stream"),
        (factories.DOCX, "application/pdf", "application/pdf"),
        (b"MZ\x90\x00 a program", "image/png", "image/png"),
    ],
)
def test_downloads_anything_else_is_an_attachment_even_when_asked_inline(db, content, declared, sent_as):
    response = stream_stored(store("photos/p.jpg", content), filename="照片.jpg", content_type=declared, inline=True)
    assert body(response) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (sent_as, "nosniff")
    assert "Content-Security-Policy" not in response


def test_downloads_missing_file_is_404(db):
    with pytest.raises(Http404):
        stream_stored("materials/gone.pdf", filename="gone.pdf")


def test_downloads_made_documents_are_private_attachments():
    streamed = attachment(b"%PDF-1.4", filename="证书\r\n.pdf", content_type="application/pdf")
    made = as_download(HttpResponse(b"<html>", content_type="text/html"), filename="../表.html")
    assert body(streamed) == b"%PDF-1.4"
    assert streamed["Content-Disposition"] == "attachment; filename*=utf-8''%E8%AF%81%E4%B9%A6%20.pdf"
    assert made["Content-Disposition"] == "attachment; filename*=utf-8''%E8%A1%A8.html"
    assert made["Content-Type"] == "application/octet-stream"
    for response in (streamed, made):
        assert (response["Cache-Control"], response["X-Content-Type-Options"]) == ("private, no-store", "nosniff")


def test_downloads_view_cleans_a_malicious_original_name(world, client_for):
    version = make_material(operator=world.sjz_operator, file=upload("总结.pdf", factories.PDF)).current_version
    # Versions are immutable in the application: the name is written as an old row or a
    # restored backup might hold it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MaterialVersion._meta.db_table} SET original_name = %s WHERE id = %s",
            ['..\\..\\工作总结"\r\n.pdf', version.pk],
        )
    response = client_for(world.sjz_operator).get(reverse("materials:version-download", args=[version.pk]))
    assert body(response) == factories.PDF
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{CHINESE}%20.pdf"


def test_downloads_view_never_shows_html_disguised_as_a_pdf(world, client_for):
    version = make_material(operator=world.sjz_operator, file=upload("总结.pdf", factories.PDF)).current_version
    # As if a file had slipped past the upload checks, or was changed in the storage.
    with default_storage.open(version.file.name, "wb") as stored:
        stored.write(HTML)
    response = client_for(world.sjz_operator).get(reverse("materials:version-preview", args=[version.pk]))
    assert body(response) == HTML
    assert response["Content-Disposition"].startswith("attachment;")


FILE_RESPONSES = re.compile(
    r"\bFileResponse\(|\bStreamingHttpResponse\(|Content-Disposition\"\]|\bcontent_disposition_header\("
)


def test_downloads_every_app_goes_through_core_files():
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "node_modules", "bench"} or str(relative) == "core/files.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FILE_RESPONSES.search(line):
                found.append(f"{relative}:{number}")
    assert found == []
