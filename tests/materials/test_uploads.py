import hashlib
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from audit.models import AuditRecord
from campaigns.models import CampaignStatus
from materials import services
from materials.models import Kind, Material, MaterialVersion
from tests.materials import factories
from tests.materials.conftest import stored_files
from tests.materials.factories import campaign, first_indicator, make_material, upload

STORAGE_NAME = re.compile(r"^materials/([0-9a-f]{32})/[0-9a-f]{32}\.(\w+)$")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("工作总结.pdf", factories.PDF, "application/pdf"),
        ("申报表.doc", factories.OLE, "application/msword"),
        ("汇总表.xls", factories.OLE, "application/vnd.ms-excel"),
        ("汇报.ppt", factories.OLE, "application/vnd.ms-powerpoint"),
        ("申报表.docx", factories.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("汇总表.xlsx", factories.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("汇报.pptx", factories.PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("活动照片.JPG", factories.JPEG, "image/jpeg"),
        ("活动照片.jpeg", factories.JPEG, "image/jpeg"),
        ("牌匾.png", factories.PNG, "image/png"),
        ("宣传片.mp4", factories.MP4, "video/mp4"),
        ("访谈.MOV", factories.MOV, "video/quicktime"),
        ("讲座.webm", factories.WEBM, "video/webm"),
    ],
)
def test_uploads_accepted_by_content(world, media_root, name, content, content_type):
    version = services.upload_material(
        actor=world.sjz_operator,
        unit=world.sjz_unit,
        campaign=campaign(),
        kind=Kind.SUPPORTING,
        file=upload(name, content),
    )
    assert (version.number, version.original_name, version.content_type, version.size) == (
        1,
        name,
        content_type,
        len(content),
    )
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    folder, extension = STORAGE_NAME.match(version.file.name).groups()
    assert extension == name.rsplit(".", 1)[1].lower()
    assert (media_root / version.file.name).read_bytes() == content
    expected = [version.file.name, version.thumbnail.name] if version.thumbnail else [version.file.name]
    assert stored_files(media_root) == sorted(expected)
    assert all(name.startswith(f"materials/{folder}/") for name in expected)


def test_uploads_a_material_with_its_first_version_current(world):
    version = services.upload_material(
        actor=world.sjz_operator,
        unit=world.sjz_unit,
        campaign=campaign(),
        kind=Kind.SUPPORTING,
        file=upload("心理咨询室制度.pdf", factories.PDF),
        title="  制度汇编  ",
    )
    material = Material.objects.get()
    assert (material.current_version, material.title, material.kind, material.unit, material.created_by) == (
        version,
        "制度汇编",
        Kind.SUPPORTING,
        world.sjz_unit,
        world.sjz_operator,
    )
    assert version.uploaded_by == world.sjz_operator


def test_uploads_title_defaults_to_the_file_name(world):
    material = make_material(operator=world.sjz_operator, file=upload("2025年度工作总结.v2.pdf", factories.PDF))
    assert material.title == "2025年度工作总结.v2"


def test_uploads_are_audited(world):
    version = make_material(operator=world.sjz_operator, file=upload("工作总结.pdf", factories.PDF)).current_version
    record = AuditRecord.objects.get(action="material.upload")
    assert (record.actor, record.object_id, record.object_type) == (
        world.sjz_operator,
        str(version.material_id),
        "materials.material",
    )
    assert record.details == {
        "kind": "supporting",
        "unit": world.sjz_unit.pk,
        "campaign": campaign().pk,
        "indicator": None,
        "version": 1,
        "version_id": version.pk,
        "file": "工作总结.pdf",
        "size": len(factories.PDF),
        "sha256": hashlib.sha256(factories.PDF).hexdigest(),
    }


@pytest.mark.parametrize(
    ("name", "content", "image_format", "size"),
    [
        ("照片.jpg", factories.JPEG, "JPEG", (320, 240)),
        ("透明图.png", factories.PNG, "PNG", (107, 320)),
        ("小图.png", factories.SMALL_PNG, "PNG", (40, 30)),
    ],
)
def test_uploads_images_get_a_thumbnail_of_at_most_320_pixels(world, media_root, name, content, image_format, size):
    version = make_material(operator=world.sjz_operator, file=upload(name, content)).current_version
    assert STORAGE_NAME.match(version.thumbnail.name)
    with Image.open(media_root / version.thumbnail.name) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == (image_format, size)


def test_uploads_other_files_get_no_thumbnail(world):
    assert make_material(operator=world.sjz_operator).current_version.thumbnail.name == ""


def test_uploads_a_photo_is_turned_upright(world, media_root):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was held upright, the sensor saw it sideways
    Image.new("RGB", (640, 480), (10, 120, 10)).save(buffer, format="JPEG", exif=exif)
    version = make_material(operator=world.sjz_operator, file=upload("竖拍.jpg", buffer.getvalue())).current_version
    with Image.open(media_root / version.thumbnail.name) as thumbnail:
        assert thumbnail.size == (240, 320)


def test_uploads_evidence_belongs_to_an_indicator(world):
    indicator = first_indicator()
    material = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE, indicator=indicator)
    assert (material.kind, material.indicator) == (Kind.EVIDENCE, indicator)


@pytest.mark.parametrize(
    ("kind", "with_indicator", "field"),
    [(Kind.EVIDENCE, False, "indicator"), (Kind.SUPPORTING, True, "indicator"), ("photo", False, "kind")],
)
def test_uploads_refuse_a_kind_and_indicator_that_do_not_fit(world, media_root, kind, with_indicator, field):
    with pytest.raises(ValidationError) as raised:
        services.upload_material(
            actor=world.sjz_operator,
            unit=world.sjz_unit,
            campaign=campaign(),
            kind=kind,
            indicator=first_indicator() if with_indicator else None,
            file=upload("佐证.pdf", factories.PDF),
        )
    assert list(raised.value.error_dict) == [field]
    assert (Material.objects.count(), stored_files(media_root)) == (0, [])


def test_uploads_refuse_an_indicator_of_another_campaign(world, media_root):
    from tests.campaigns.factories import make_campaign, make_version

    other = make_campaign(status=CampaignStatus.DRAFT)
    make_version(campaign=other)
    with pytest.raises(ValidationError) as raised:
        services.upload_material(
            actor=world.sjz_operator,
            unit=world.sjz_unit,
            campaign=campaign(),
            kind=Kind.EVIDENCE,
            indicator=first_indicator(other),
            file=upload("佐证.pdf", factories.PDF),
        )
    assert raised.value.error_dict["indicator"][0].code == "indicator_campaign"
    assert (Material.objects.count(), stored_files(media_root)) == (0, [])


def test_uploads_one_work_summary_per_unit_and_campaign(world, media_root):
    make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    with pytest.raises(ValidationError) as raised:
        make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY, file=upload("第二份.pdf", factories.PDF))
    assert raised.value.error_dict["file"][0].code == "exists"
    assert Material.objects.count() == 1
    assert len(stored_files(media_root)) == 1
    # Another unit has its own.
    make_material(operator=world.ts_operator, kind=Kind.WORK_SUMMARY)


def test_uploads_a_new_work_summary_after_removing_the_old_one(world):
    old = make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    services.remove_material(actor=world.sjz_operator, material=old)
    new = make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    assert new.pk != old.pk


@pytest.mark.parametrize(
    "who", ["ts_operator", "sjz_association", "province_staff", "province_admin", "inspector", "system_admin"]
)
def test_uploads_only_by_an_operator_of_the_unit(world, media_root, who):
    with pytest.raises(PermissionDenied):
        services.upload_material(
            actor=getattr(world, who),
            unit=world.sjz_unit,
            campaign=campaign(),
            kind=Kind.SUPPORTING,
            file=upload("材料.pdf", factories.PDF),
        )
    assert (Material.objects.count(), stored_files(media_root)) == (0, [])


def test_uploads_only_while_the_campaign_runs(world, media_root):
    running = campaign()
    running.status = CampaignStatus.CLOSED
    running.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        services.upload_material(
            actor=world.sjz_operator,
            unit=world.sjz_unit,
            campaign=running,
            kind=Kind.SUPPORTING,
            file=upload("材料.pdf", factories.PDF),
        )
    assert (Material.objects.count(), stored_files(media_root)) == (0, [])


def test_uploads_through_the_page_come_back_to_it(world, client_for, media_root):
    client = client_for(world.sjz_operator)
    response = client.post(
        reverse("materials:upload"),
        {"kind": "work_summary", "title": "", "file": upload("工作总结.pdf", factories.PDF)},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("materials:mine"))
    response = client.post(
        reverse("materials:upload"),
        {"kind": "supporting", "title": "活动照片", "file": upload("照片.jpg", factories.JPEG)},
    )
    assert response.status_code == 302
    assert list(Material.objects.order_by("pk").values_list("kind", "title")) == [
        ("work_summary", "工作总结"),
        ("supporting", "活动照片"),
    ]
    page = client.get(reverse("materials:mine")).content.decode()
    summary, supporting = Material.objects.order_by("pk")
    assert f'data-material="{summary.pk}" data-kind="work_summary"' in page
    assert f'data-material="{supporting.pk}" data-kind="supporting"' in page
    thumbnail = reverse("materials:version-thumbnail", args=[supporting.current_version_id])
    assert f'src="{thumbnail}"' in page
    assert 'data-testid="work-summary-form"' not in page


def test_uploads_a_second_work_summary_by_the_page_is_refused_by_the_field(world, client_for, media_root):
    make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    response = client_for(world.sjz_operator).post(
        reverse("materials:upload"), {"kind": "work_summary", "file": upload("又一份.pdf", factories.PDF)}
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.replace_form.has_error("file", code="exists")
    assert 'data-field-error="file"' in response.content.decode()
    assert MaterialVersion.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_uploads_without_a_file_are_refused_by_the_field(world, client_for):
    response = client_for(world.sjz_operator).post(reverse("materials:upload"), {"kind": "supporting", "title": "x"})
    assert response.status_code == 200
    assert 'data-field-error="file"' in response.content.decode()
    assert Material.objects.count() == 0


def test_uploads_page_is_read_only_when_the_campaign_is_closed(world, client_for):
    running = campaign()
    running.status = CampaignStatus.CLOSED
    running.save(update_fields=["status"])
    page = client_for(world.sjz_operator).get(reverse("materials:mine")).content.decode()
    assert 'data-testid="no-campaign"' in page


def test_uploads_an_unknown_kind_is_refused_by_the_form(world, client_for, media_root):
    response = client_for(world.sjz_operator).post(
        reverse("materials:upload"), {"kind": "evidence", "file": upload("佐证.pdf", factories.PDF)}
    )
    assert response.status_code == 200
    assert 'data-field-error="kind"' in response.content.decode()
    assert (Material.objects.count(), stored_files(media_root)) == (0, [])
