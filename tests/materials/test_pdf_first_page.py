"""A PDF's first page as a picture, for the review page: rendered once in a limited child
process, for those who may see the file only; a PDF that cannot be rendered gives 404."""

from django.urls import reverse

from materials.models import Material
from materials.pdf_pages import render_first_page
from materials.services import upload_material
from tests.materials.factories import campaign, first_indicator, pdf_upload

ONE_PAGE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _evidence(world, content):
    return upload_material(
        actor=world.sjz_operator,
        unit=world.sjz_unit,
        campaign=campaign(),
        kind=Material.Kind.EVIDENCE,
        indicator=first_indicator(),
        file=pdf_upload("佐证.pdf", content),
    )


def test_first_page_of_a_pdf_is_shown_as_a_picture_to_its_readers_only(world, client_for, media_root):
    version = _evidence(world, ONE_PAGE)
    url = reverse("materials:version-page", args=[version.pk])
    response = client_for(world.sjz_operator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_for(world.ts_operator).get(url).status_code == 404


def test_a_pdf_that_cannot_be_rendered_shows_a_plain_picture_instead(world, client_for, media_root):
    assert render_first_page(b"%PDF-1.4 not a document") is None
    version = _evidence(world, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    response = client_for(world.sjz_operator).get(reverse("materials:version-page", args=[version.pk]))
    assert (response.status_code, response["Location"]) == (302, "/static/img/pdf-no-preview.svg")
