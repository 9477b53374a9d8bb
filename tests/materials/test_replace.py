import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditRecord
from materials import services
from materials.models import Kind
from tests.materials import factories
from tests.materials.conftest import read_streamed, stored_files
from tests.materials.factories import make_material, upload


def test_replace_adds_a_version_and_keeps_the_old_one(world, media_root):
    material = make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    first = material.current_version
    second = services.replace_material(
        actor=world.sjz_operator, material=material, file=upload("工作总结（修改稿）.pdf", factories.PDF_2)
    )
    material.refresh_from_db()
    assert (material.current_version, second.number, second.original_name) == (second, 2, "工作总结（修改稿）.pdf")
    assert list(material.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert (media_root / first.file.name).read_bytes() == factories.PDF
    assert (media_root / second.file.name).read_bytes() == factories.PDF_2
    assert len(stored_files(media_root)) == 2


def test_replace_keeps_version_1_downloadable(world, client_for):
    material = make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    first = material.current_version
    services.replace_material(actor=world.sjz_operator, material=material, file=upload("新版.pdf", factories.PDF_2))
    for who in (world.sjz_operator, world.province_staff, world.sjz_association):
        response = client_for(who).get(reverse("materials:version-download", args=[first.pk]))
        assert (response.status_code, read_streamed(response)) == (200, factories.PDF)


def test_replace_is_audited_with_both_version_numbers(world):
    material = make_material(operator=world.sjz_operator)
    version = services.replace_material(
        actor=world.sjz_operator, material=material, file=upload("新版.pdf", factories.PDF_2)
    )
    record = AuditRecord.objects.get(action="material.replace")
    assert (record.actor, record.object_id, record.from_state, record.to_state) == (
        world.sjz_operator,
        str(material.pk),
        "v1",
        "v2",
    )
    assert record.details == {
        "kind": "supporting",
        "version": 2,
        "version_id": version.pk,
        "file": "新版.pdf",
        "size": len(factories.PDF_2),
        "sha256": hashlib.sha256(factories.PDF_2).hexdigest(),
    }


def test_replace_numbers_follow_on(world):
    material = make_material(operator=world.sjz_operator)
    numbers = [
        services.replace_material(
            actor=world.sjz_operator, material=material, file=upload(f"第{n}版.pdf", factories.PDF)
        ).number
        for n in range(2, 5)
    ]
    assert numbers == [2, 3, 4]


def test_replace_a_removed_material_is_refused(world, media_root):
    material = make_material(operator=world.sjz_operator)
    services.remove_material(actor=world.sjz_operator, material=material)
    before = stored_files(media_root)
    with pytest.raises(ValidationError) as raised:
        services.replace_material(actor=world.sjz_operator, material=material, file=upload("新.pdf", factories.PDF))
    assert raised.value.error_dict["file"][0].code == "removed"
    assert stored_files(media_root) == before


@pytest.mark.parametrize("who", ["ts_operator", "sjz_association", "province_staff"])
def test_replace_only_by_the_units_operator(world, media_root, who):
    material = make_material(operator=world.sjz_operator)
    with pytest.raises(PermissionDenied):
        services.replace_material(actor=getattr(world, who), material=material, file=upload("新.pdf", factories.PDF))
    assert material.versions.count() == 1


def test_replace_through_the_page_shows_both_versions(world, client_for):
    material = make_material(operator=world.sjz_operator, kind=Kind.WORK_SUMMARY)
    client = client_for(world.sjz_operator)
    response = client.post(
        reverse("materials:replace", args=[material.pk]), {"file": upload("修改稿.pdf", factories.PDF_2)}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("materials:mine"))
    page = client.get(reverse("materials:mine")).content.decode()
    assert 'data-current-version="2"' in page
    assert 'data-history-version="2"' in page
    assert 'data-history-version="1"' in page


def test_replace_on_a_later_page_comes_back_to_it(world, client_for):
    material = make_material(operator=world.sjz_operator)
    response = client_for(world.sjz_operator).post(
        reverse("materials:replace", args=[material.pk]) + "?page=2", {"file": upload("新.pdf", factories.PDF)}
    )
    assert response["Location"] == reverse("materials:mine") + "?page=2"


def test_remove_hides_the_material_and_keeps_its_files(world, client_for, media_root):
    material = make_material(operator=world.sjz_operator)
    version = material.current_version
    client = client_for(world.sjz_operator)
    response = client.post(reverse("materials:remove", args=[material.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("materials:mine"))
    material.refresh_from_db()
    assert (material.removed, material.removed_by) == (True, world.sjz_operator)
    assert list(client.get(reverse("materials:mine")).context["page_obj"]) == []
    assert (media_root / version.file.name).read_bytes() == factories.PDF
    download = client.get(reverse("materials:version-download", args=[version.pk]))
    assert (download.status_code, read_streamed(download)) == (200, factories.PDF)
    detail = client.get(reverse("materials:detail", args=[material.pk])).content.decode()
    assert 'data-removed="true"' in detail


def test_remove_is_audited(world):
    material = make_material(operator=world.sjz_operator)
    services.remove_material(actor=world.sjz_operator, material=material)
    record = AuditRecord.objects.get(action="material.remove")
    assert (record.actor, record.object_id, record.from_state, record.to_state, record.details) == (
        world.sjz_operator,
        str(material.pk),
        "current",
        "removed",
        {"kind": "supporting", "versions": 1},
    )


def test_remove_twice_is_refused(world):
    material = make_material(operator=world.sjz_operator)
    services.remove_material(actor=world.sjz_operator, material=material)
    with pytest.raises(ValidationError) as raised:
        services.remove_material(actor=world.sjz_operator, material=material)
    assert raised.value.code == "removed"
    assert AuditRecord.objects.filter(action="material.remove").count() == 1


def test_remove_by_url_after_removal_answers_404(world, client_for):
    material = make_material(operator=world.sjz_operator)
    services.remove_material(actor=world.sjz_operator, material=material)
    assert client_for(world.sjz_operator).post(reverse("materials:remove", args=[material.pk])).status_code == 404


@pytest.mark.parametrize("who", ["ts_operator", "sjz_association", "province_admin"])
def test_remove_only_by_the_units_operator(world, who):
    material = make_material(operator=world.sjz_operator)
    with pytest.raises(PermissionDenied):
        services.remove_material(actor=getattr(world, who), material=material)
    material.refresh_from_db()
    assert material.removed is False


def test_remove_asks_for_confirmation(world, client_for):
    material = make_material(operator=world.sjz_operator)
    page = client_for(world.sjz_operator).get(reverse("materials:mine")).content.decode()
    action = reverse("materials:remove", args=[material.pk])
    assert f'action="{action}" class="m-0" data-confirm=' in page


def test_remove_an_evidence_file_goes_back_to_next(world, client_for):
    material = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE)
    client = client_for(world.sjz_operator)
    response = client.post(reverse("materials:remove", args=[material.pk]), {"next": "/applications/1/assessment/"})
    assert response["Location"] == "/applications/1/assessment/"
    other = make_material(operator=world.sjz_operator, kind=Kind.EVIDENCE)
    response = client.post(reverse("materials:remove", args=[other.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("materials:evidence")
