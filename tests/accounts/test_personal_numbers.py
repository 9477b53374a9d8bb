"""Account phones: masked on the account page, in its edit form and in Django's admin;
whole only through the audited unmask, never for the IT roles (core.pii)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from audit.models import AuditRecord
from core.roles import Role
from organisations.models import Organisation

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
MASKED = "138****5678"


@pytest.fixture
def operator(world):
    User.objects.filter(pk=world.sjz_operator.pk).update(phone=PHONE)
    return User.objects.get(pk=world.sjz_operator.pk)


@pytest.mark.parametrize(
    ("role", "control"),
    [(Role.PROVINCE_ADMIN, True), (Role.PROVINCE_STAFF, True), (Role.ASSOCIATION, True), (Role.SYSTEM_ADMIN, False)],
)
def test_account_page_shows_the_phone_masked(world, client_for, operator, role, control):
    content = client_for(world.user_of(role)).get(reverse("accounts:user-detail", args=[operator.pk])).content
    content = content.decode()
    assert MASKED in content
    assert PHONE not in content
    assert ('data-unmask="account-phone"' in content) == control


def test_system_administrator_edits_an_account_without_reading_its_phone(world, client_for, operator):
    client = client_for(world.system_admin)
    url = reverse("accounts:user-edit", args=[operator.pk])
    page = client.get(url)
    assert PHONE not in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "username"}
    data["display_name"] = "王红"
    assert client.post(url, data).status_code == 302
    operator.refresh_from_db()
    assert (operator.phone, operator.display_name) == (PHONE, "王红")
    record = AuditRecord.objects.filter(action="user.update").latest("pk")
    assert record.details["changed"] == {"display_name": ["", "王红"]}


def test_a_refused_edit_shows_the_phone_masked_again(world, client_for, operator):
    client = client_for(world.system_admin)
    url = reverse("accounts:user-edit", args=[operator.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "username"}
    data["email"] = "not an address"
    response = client.post(url, data)
    content = response.content.decode()
    assert (response.status_code, MASKED in content, PHONE in content) == (200, True, False)
    operator.refresh_from_db()
    assert operator.email != "not an address"


def admin_client(world, client_for):
    """The system administrator with the admin permissions the demo data gives it."""
    codenames = ["view_user", "change_user", "view_organisation", "change_organisation"]
    world.system_admin.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return client_for(User.objects.get(pk=world.system_admin.pk))


def test_admin_lists_and_shows_account_phones_masked(world, client_for, operator):
    client = admin_client(world, client_for)
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    change = client.get(reverse("admin:accounts_user_change", args=[operator.pk])).content.decode()
    assert (MASKED in listing, PHONE in listing) == (True, False)
    assert (MASKED in change, PHONE in change) == (True, False)


def test_admin_lists_and_shows_contact_phones_masked(world, client_for):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_phone=PHONE)
    client = admin_client(world, client_for)
    listing = client.get(reverse("admin:organisations_organisation_changelist")).content.decode()
    change = client.get(reverse("admin:organisations_organisation_change", args=[world.sjz_unit.pk])).content.decode()
    assert (MASKED in listing, PHONE in listing) == (True, False)
    assert (MASKED in change, PHONE in change) == (True, False)
