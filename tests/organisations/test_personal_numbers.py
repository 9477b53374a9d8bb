"""Units' contact phones: masked on the pages and in the edit form, whole only through
the audited unmask (core.pii)."""

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from core.roles import Role
from organisations.models import Kind, Organisation, Status
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
MASKED = "138****5678"


def with_phone(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(contact_phone=PHONE)


@pytest.mark.parametrize(
    ("role", "control"),
    [(Role.PROVINCE_ADMIN, True), (Role.PROVINCE_STAFF, True), (Role.ASSOCIATION, True), (Role.UNIT, True)],
)
def test_unit_detail_shows_the_contact_phone_masked(world, client_for, role, control):
    with_phone(world.sjz_unit)
    content = client_for(world.user_of(role)).get(reverse("organisations:detail", args=[world.sjz_unit.pk]))
    content = content.content.decode()
    assert MASKED in content
    assert PHONE not in content
    assert ('data-unmask="organisation-phone"' in content) == control


def test_association_detail_gives_no_unmask_control_to_a_unit_of_another_association(world, client_for):
    with_phone(world.tangshan)
    content = client_for(world.ts_association).get(reverse("organisations:detail", args=[world.tangshan.pk]))
    assert 'data-unmask="organisation-phone"' in content.content.decode()
    # The 石家庄 association reads 唐山's page nowhere: 404.
    response = client_for(world.sjz_association).get(reverse("organisations:detail", args=[world.tangshan.pk]))
    assert response.status_code == 404


def test_registration_list_shows_contact_phones_masked(world, client_for):
    with_phone(world.pending_unit)
    content = client_for(world.sjz_association).get(reverse("organisations:registrations")).content.decode()
    assert MASKED in content
    assert PHONE not in content


@pytest.mark.parametrize("extra", [0, 2])
def test_registration_list_query_count_does_not_grow_with_phones(
    world, client_for, django_assert_max_num_queries, extra
):
    with_phone(world.pending_unit)
    for n in range(extra):
        make_organisation(
            name=f"待审单位{n}", kind=Kind.UNIT, parent=world.changan, status=Status.PENDING, contact_phone=PHONE
        )
    client = client_for(world.sjz_association)
    client.get(reverse("organisations:registrations"))  # session and user warmed up
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organisations:registrations"))
    assert response.content.decode().count(MASKED) == 1 + extra


def test_edit_form_shows_the_phone_masked_and_keeps_it_when_sent_back_unchanged(world, client_for):
    with_phone(world.sjz_unit)
    client = client_for(world.sjz_association)
    url = reverse("organisations:edit", args=[world.sjz_unit.pk])
    form = client.get(url).context["form"]
    assert form["contact_phone"].value() == MASKED
    assert PHONE not in client.get(url).content.decode()
    data = {name: form[name].value() or "" for name in form.fields}
    data["address"] = "石家庄市长安区建设北大街1号"
    response = client.post(url, data)
    assert response.status_code == 302
    unit = Organisation.objects.get(pk=world.sjz_unit.pk)
    assert (unit.contact_phone, unit.address) == (PHONE, "石家庄市长安区建设北大街1号")
    record = AuditRecord.objects.filter(action="organisation.update").latest("pk")
    assert "contact_phone" not in record.details.get("changed", {})


def test_edit_form_replaces_the_phone_and_logs_the_change_masked(world, client_for):
    with_phone(world.sjz_unit)
    client = client_for(world.sjz_association)
    url = reverse("organisations:edit", args=[world.sjz_unit.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["contact_phone"] = "13987654321"
    assert client.post(url, data).status_code == 302
    assert Organisation.objects.get(pk=world.sjz_unit.pk).contact_phone == "13987654321"
    record = AuditRecord.objects.filter(action="organisation.update").latest("pk")
    assert record.details["changed"]["contact_phone"] == [MASKED, "139****4321"]
