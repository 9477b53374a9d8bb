"""Experts' phones and ID-card numbers: masked in the pool list and on the expert's page,
checked by GB 11643-1999, sealed in the database, whole only through the audited unmask."""

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from inspections.models import Inspector
from tests.core.test_personal_numbers import stored

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"
MASKED_ID = "110***********002X"


def form_data(**overrides):
    data = {
        "name": "李明",
        "employer": "河北师范大学",
        "title": "教授",
        "area": "",
        "specialities": "心理咨询",
        "phone": PHONE,
        "id_number": "",
        "email": "",
        "user": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def make_expert(**fields):
    return Inspector.objects.create(**{"name": "王芳", "phone": PHONE, **fields})


def edit_url(inspector):
    return reverse("inspections:expert-edit", kwargs={"pk": inspector.pk})


def test_pool_list_shows_phones_masked_with_the_unmask_control(world, client_for):
    make_expert()
    content = client_for(world.province_staff).get(reverse("inspections:expert-list")).content.decode()
    assert "139****5678" in content
    assert PHONE not in content
    assert 'data-unmask="expert-phone"' in content


@pytest.mark.parametrize("count", [1, 3])
def test_pool_list_query_count_does_not_grow_with_phones(world, client_for, django_assert_max_num_queries, count):
    for n in range(count):
        make_expert(name=f"专家{n}", id_number=ID_NUMBER)
    client = client_for(world.province_staff)
    client.get(reverse("inspections:expert-list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("inspections:expert-list"))
    assert response.content.decode().count("139****5678") == count


def test_expert_id_number_is_checked_next_to_the_field(world, client_for):
    response = client_for(world.province_staff).post(
        reverse("inspections:expert-create"), form_data(id_number="110105194912310021")
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["id_number"]
    assert 'data-field-error="id_number"' in content
    assert response.context["form"].errors.as_data()["id_number"][0].code == "id_number_checksum"
    assert Inspector.objects.count() == 0


def test_expert_id_number_is_saved_sealed_and_shown_masked(world, client_for):
    client = client_for(world.province_admin)
    response = client.post(reverse("inspections:expert-create"), form_data(id_number="1101 0519 4912 3100 2x"))
    assert response.status_code == 302
    inspector = Inspector.objects.get()
    assert inspector.id_number == ID_NUMBER
    assert ID_NUMBER not in stored(Inspector, inspector.pk, "id_number")
    page = client.get(edit_url(inspector)).content.decode()
    assert MASKED_ID in page
    assert ID_NUMBER not in page
    assert 'data-unmask="expert-id-number"' in page


def test_provincial_staff_sees_no_unmask_control_for_the_id_number(world, client_for):
    inspector = make_expert(id_number=ID_NUMBER)
    page = client_for(world.province_staff).get(edit_url(inspector)).content.decode()
    assert MASKED_ID in page
    assert ('data-unmask="expert-phone"' in page, 'data-unmask="expert-id-number"' in page) == (True, False)


def test_expert_edit_keeps_masked_numbers_sent_back_unchanged(world, client_for):
    inspector = make_expert(id_number=ID_NUMBER)
    client = client_for(world.province_admin)
    form = client.get(edit_url(inspector)).context["form"]
    assert (form["phone"].value(), form["id_number"].value()) == ("139****5678", MASKED_ID)
    data = {name: form[name].value() or "" for name in form.fields}
    data["employer"] = "燕山大学"
    assert client.post(edit_url(inspector), data).status_code == 302
    inspector.refresh_from_db()
    assert (inspector.phone, inspector.id_number, inspector.employer) == (PHONE, ID_NUMBER, "燕山大学")
    record = AuditRecord.objects.filter(action="inspector.update").latest("pk")
    assert record.details["changed"] == {"employer": ["", "燕山大学"]}


def test_expert_duplicate_name_and_phone_is_still_refused(world, client_for):
    make_expert(name="李明")
    response = client_for(world.province_staff).post(reverse("inspections:expert-create"), form_data())
    assert response.status_code == 422
    assert Inspector.objects.count() == 1
    # Same name, another phone: a different person.
    response = client_for(world.province_staff).post(
        reverse("inspections:expert-create"), form_data(phone="13700000000")
    )
    assert response.status_code == 302
