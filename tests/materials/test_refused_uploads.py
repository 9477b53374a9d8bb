"""Every refused file leaves nothing behind: no row, no stored file, and a message that
names the file and the reason, by the field."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditRecord
from materials import services
from materials.models import Kind, Material, MaterialVersion
from tests.materials import factories
from tests.materials.conftest import stored_files
from tests.materials.factories import campaign, make_material, raw_upload, upload

REFUSED = [
    # A renamed executable, whatever it claims to be.
    ("工作总结.pdf", factories.EXE, "executable"),
    ("照片.jpg", factories.ELF, "executable"),
    ("setup.exe", factories.EXE, "executable"),
    # Markup that a browser would run.
    ("说明.pdf", factories.HTML, "markup"),
    ("page.html", factories.HTML, "markup"),
    ("图标.png", factories.SVG, "markup"),
    ("图标.svg", factories.SVG, "markup"),
    # Not an accepted type, or not what the name says.
    ("材料.zip", factories.ZIP, "type"),
    ("说明.txt", b"plain text", "type"),
    ("没有扩展名", factories.PDF, "type"),
    ("申报表.docx", factories.XLSX, "content"),
    ("照片.jpg", factories.PNG, "content"),
    ("照片.png", factories.FAKE_PNG, "content"),
    ("宣传片.mp4", factories.MOV, "content"),
    ("宣传片.webm", factories.MP4, "content"),
    # Empty.
    ("空文件.pdf", b"", "empty"),
]


@pytest.fixture
def operator(world):
    return world.sjz_operator


@pytest.fixture
def refusal(operator):
    """The code and text of the one error an upload of `file` is refused with."""

    def refuse(file) -> tuple[str, str]:
        with pytest.raises(ValidationError) as raised:
            services.upload_material(
                actor=operator, unit=operator.organisation, campaign=campaign(), kind=Kind.SUPPORTING, file=file
            )
        (error,) = raised.value.error_dict["file"]
        return error.code, error.message % error.params

    return refuse


def assert_nothing_stored(media_root):
    assert (Material.objects.count(), MaterialVersion.objects.count(), stored_files(media_root)) == (0, 0, [])
    assert AuditRecord.objects.filter(action__startswith="material.").count() == 0


@pytest.mark.parametrize(("name", "content", "code"), REFUSED)
def test_refused_uploads_leave_nothing(refusal, media_root, name, content, code):
    refused, message = refusal(upload(name, content))
    assert refused == code
    assert name in message
    assert_nothing_stored(media_root)


@pytest.mark.parametrize("name", ["../工作总结.pdf", "a/b.pdf", "..\\..\\x.pdf", "x\x00.pdf", "..", "C:/Windows/x.pdf"])
def test_refused_uploads_names_with_a_path(refusal, media_root, name):
    refused, message = refusal(raw_upload(name, factories.PDF))
    assert refused == "unsafe_name"
    assert "\x00" not in message
    assert_nothing_stored(media_root)


def test_refused_uploads_oversized(refusal, settings, media_root):
    settings.MATERIAL_MAX_BYTES = len(factories.PDF) - 1
    refused, message = refusal(upload("大文件.pdf", factories.PDF))
    assert refused == "too_large"
    assert "大文件.pdf" in message
    assert_nothing_stored(media_root)


def test_refused_uploads_exactly_the_limit_is_accepted(operator, settings):
    settings.MATERIAL_MAX_BYTES = len(factories.PDF)
    assert make_material(operator=operator).current_version.size == len(factories.PDF)


def test_refused_uploads_the_default_limit_is_100_mb(settings):
    from materials.uploads import max_bytes

    del settings.MATERIAL_MAX_BYTES
    assert max_bytes() == 100 * 1024 * 1024


def test_refused_uploads_control_characters_leave_the_display_name(operator):
    # U+202E turns "gpj.exe" around on screen; it is dropped, the file itself is a real PDF.
    version = make_material(operator=operator, file=upload("报告\u202egpj.pdf", factories.PDF)).current_version
    assert version.original_name == "报告gpj.pdf"


@pytest.mark.parametrize(("name", "content", "code"), REFUSED)
def test_refused_uploads_by_the_page_show_the_message_by_the_field(
    operator, client_for, media_root, name, content, code
):
    response = client_for(operator).post(
        reverse("materials:upload"), {"kind": "supporting", "title": "", "file": upload(name, content)}
    )
    assert response.status_code == 200
    form = response.context["supporting_form"]
    assert form.has_error("file", code=code)
    assert 'data-field-error="file"' in response.content.decode()
    assert_nothing_stored(media_root)


def test_refused_uploads_oversized_by_the_page(operator, settings, client_for, media_root):
    settings.MATERIAL_MAX_BYTES = 10
    response = client_for(operator).post(
        reverse("materials:upload"), {"kind": "work_summary", "file": upload("工作总结.pdf", factories.PDF)}
    )
    assert response.context["summary_form"].has_error("file", code="too_large")
    assert 'data-max-bytes="10"' in response.content.decode()
    assert_nothing_stored(media_root)


def test_refused_uploads_a_replacement_keeps_the_material_as_it_was(operator, client_for, media_root):
    material = make_material(operator=operator)
    before = stored_files(media_root)
    response = client_for(operator).post(
        reverse("materials:replace", args=[material.pk]), {"file": upload("新版.pdf", factories.EXE)}
    )
    assert response.status_code == 200
    card = next(m for m in response.context["page_obj"] if m.pk == material.pk)
    assert card.replace_form.has_error("file", code="executable")
    material.refresh_from_db()
    assert (material.versions.count(), material.current_version.number) == (1, 1)
    assert stored_files(media_root) == before
