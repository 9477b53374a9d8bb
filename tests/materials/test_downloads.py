from django.urls import reverse

from materials.models import Kind
from tests.materials import factories
from tests.materials.conftest import read_streamed
from tests.materials.factories import make_material, upload


def test_downloads_stream_the_file_under_its_chinese_name(world, client_for):
    version = make_material(operator=world.sjz_operator, file=upload("工作总结.pdf", factories.PDF)).current_version
    response = client_for(world.sjz_operator).get(reverse("materials:version-download", args=[version.pk]))
    assert response.status_code == 200
    assert response.streaming is True
    assert read_streamed(response) == factories.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.pdf")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(factories.PDF))


def test_downloads_keep_the_declared_type_of_a_video(world, client_for):
    version = make_material(operator=world.sjz_operator, file=upload("宣传片.mp4", factories.MP4)).current_version
    response = client_for(world.sjz_operator).get(reverse("materials:version-download", args=[version.pk]))
    assert (response["Content-Type"], read_streamed(response)) == ("video/mp4", factories.MP4)


def test_downloads_preview_shows_a_pdf_inline_in_a_sandbox(world, client_for):
    version = make_material(operator=world.sjz_operator, file=upload("工作总结.pdf", factories.PDF)).current_version
    response = client_for(world.sjz_operator).get(reverse("materials:version-preview", args=[version.pk]))
    assert response.status_code == 200
    assert read_streamed(response) == factories.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.pdf"
    assert response["Content-Security-Policy"] == "sandbox; frame-ancestors 'none'"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_downloads_preview_is_only_for_pdfs(world, client_for):
    client = client_for(world.sjz_operator)
    for name, content in (("照片.jpg", factories.JPEG), ("申报表.docx", factories.DOCX), ("宣传片.mp4", factories.MP4)):
        version = make_material(operator=world.sjz_operator, file=upload(name, content)).current_version
        assert (name, client.get(reverse("materials:version-preview", args=[version.pk])).status_code) == (name, 404)


def test_downloads_pages_link_a_preview_only_for_pdfs(world, client_for):
    pdf = make_material(operator=world.sjz_operator, file=upload("总结.pdf", factories.PDF)).current_version
    image = make_material(operator=world.sjz_operator, file=upload("照片.jpg", factories.JPEG)).current_version
    page = client_for(world.sjz_operator).get(reverse("materials:mine")).content.decode()
    assert f'href="{reverse("materials:version-preview", args=[pdf.pk])}" target="_blank"' in page
    assert reverse("materials:version-preview", args=[image.pk]) not in page


def test_downloads_thumbnail_of_an_image(world, client_for, media_root):
    version = make_material(operator=world.sjz_operator, file=upload("照片.jpg", factories.JPEG)).current_version
    response = client_for(world.sjz_operator).get(reverse("materials:version-thumbnail", args=[version.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert read_streamed(response) == (media_root / version.thumbnail.name).read_bytes()
    assert response["Cache-Control"] == "private, no-store"


def test_downloads_thumbnail_of_a_png_is_a_png(world, client_for):
    version = make_material(operator=world.sjz_operator, file=upload("牌匾.png", factories.PNG)).current_version
    response = client_for(world.sjz_operator).get(reverse("materials:version-thumbnail", args=[version.pk]))
    assert response["Content-Type"] == "image/png"
    assert read_streamed(response).startswith(b"\x89PNG")


def test_downloads_no_thumbnail_for_a_document(world, client_for):
    version = make_material(operator=world.sjz_operator).current_version
    assert (
        client_for(world.sjz_operator).get(reverse("materials:version-thumbnail", args=[version.pk])).status_code == 404
    )


def test_downloads_missing_file_answers_404(world, client_for, media_root):
    version = make_material(operator=world.sjz_operator, file=upload("照片.jpg", factories.JPEG)).current_version
    (media_root / version.file.name).unlink()
    (media_root / version.thumbnail.name).unlink()
    client = client_for(world.sjz_operator)
    for name in ("materials:version-download", "materials:version-thumbnail"):
        assert client.get(reverse(name, args=[version.pk])).status_code == 404


def test_downloads_unknown_version_answers_404(world, client_for):
    assert client_for(world.province_staff).get(reverse("materials:version-download", args=[999999])).status_code == 404


def test_downloads_evidence_of_the_unit_for_its_association(world, client_for):
    version = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE).current_version
    client = client_for(world.sjz_association)
    response = client.get(reverse("materials:version-download", args=[version.pk]))
    assert (response.status_code, read_streamed(response)) == (200, factories.PDF)
    response = client_for(world.ts_association).get(reverse("materials:version-download", args=[version.pk]))
    assert response.status_code == 404
