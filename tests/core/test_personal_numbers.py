"""Personal numbers (issue 7, control 4): sealed in the database, masked on the pages,
shown whole only through the audited unmask to the roles that need them."""

import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import User
from audit.models import AuditRecord
from audit.services import apply_changes
from core import pii
from core.crypto import PREFIX
from core.roles import Role
from inspections.models import Inspector
from notices.models import ContactInfo, ContactPerson
from organisations.models import Organisation
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
# A valid number of GB 11643-1999 (the standard's own example, check character X).
ID_NUMBER = "11010519491231002X"


def stored(model, pk, column) -> str:
    """The column as the database holds it, read past the ORM."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def expert(world, **fields) -> Inspector:
    return Inspector.objects.create(name="张专家", user=world.inspector, phone=PHONE, **fields)


def unmask(client, key, pk, **headers):
    return client.post(reverse("core:personal-number-unmask", args=[key, pk]), **headers)


def unmask_rows():
    return list(AuditRecord.objects.filter(action="pii.unmask").values_list("object_type", "object_id", "details"))


# -- at rest ------------------------------------------------------------------------------


def test_personal_numbers_are_sealed_in_the_database_and_read_back_plain(world):
    User.objects.filter(pk=world.sjz_operator.pk).update(phone=PHONE)
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_phone=PHONE)
    inspector = expert(world, id_number=ID_NUMBER)
    contact = ContactInfo.objects.create(pk=ContactInfo.SINGLETON_PK, phone="0311-87904020")
    person = ContactPerson.objects.create(contact=contact, name="李主任", phone=PHONE)
    sealed = [
        (User, world.sjz_operator.pk, "phone", PHONE),
        (Organisation, world.sjz_unit.pk, "contact_phone", PHONE),
        (Inspector, inspector.pk, "phone", PHONE),
        (Inspector, inspector.pk, "id_number", ID_NUMBER),
        (ContactPerson, person.pk, "phone", PHONE),
    ]
    for model, pk, column, plain in sealed:
        raw = stored(model, pk, column)
        assert raw.startswith(PREFIX)
        assert plain not in raw
        assert getattr(model.objects.get(pk=pk), column) == plain
    # The office's switchboard is published and no one's own number: it stays plain.
    assert stored(ContactInfo, contact.pk, "phone") == "0311-87904020"


def test_empty_personal_numbers_stay_empty(world):
    assert stored(User, world.sjz_operator.pk, "phone") == ""


def test_seal_migration_seals_plain_rows_in_batches_and_reverses(world):
    plain = [world.sjz_operator, world.ts_operator, world.sjz_association]
    with connection.cursor() as cursor:
        for user in plain:
            cursor.execute("UPDATE accounts_user SET phone = %s WHERE id = %s", [f"1390000{user.pk:04d}", user.pk])
    already = world.province_staff
    User.objects.filter(pk=already.pk).update(phone=PHONE)
    sealed_before = stored(User, already.pk, "phone")
    migration = importlib.import_module("accounts.migrations.0004_seal_phone_numbers")

    assert pii.seal_rows(apps.get_model("accounts", "User"), "phone", batch_size=2) == 3
    migration.seal_account_phones(apps, None)  # again: nothing left to seal

    for user in plain:
        assert stored(User, user.pk, "phone").startswith(PREFIX)
        assert User.objects.get(pk=user.pk).phone == f"1390000{user.pk:04d}"
    assert stored(User, already.pk, "phone") == sealed_before
    migration.open_account_phones(apps, None)
    assert stored(User, world.sjz_operator.pk, "phone") == f"1390000{world.sjz_operator.pk:04d}"
    assert stored(User, already.pk, "phone") == PHONE


@pytest.mark.parametrize(
    ("module", "function", "model", "column"),
    [
        ("organisations.migrations.0003_seal_contact_phones", "seal_contact_phones", Organisation, "contact_phone"),
        ("inspections.migrations.0002_seal_expert_phones_add_id_number", "seal_expert_phones", Inspector, "phone"),
    ],
)
def test_seal_migrations_of_other_apps_seal_their_plain_rows(world, module, function, model, column):
    pk = world.sjz_unit.pk if model is Organisation else expert(world).pk
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [PHONE, pk])
    getattr(importlib.import_module(module), function)(apps, None)
    assert stored(model, pk, column).startswith(PREFIX)
    assert getattr(model.objects.get(pk=pk), column) == PHONE


def test_reseal_rows_keeps_every_number_readable(world):
    User.objects.filter(pk=world.sjz_operator.pk).update(phone=PHONE)
    before = stored(User, world.sjz_operator.pk, "phone")
    assert pii.reseal_rows(User, "phone") == 1
    assert stored(User, world.sjz_operator.pk, "phone") != before
    assert User.objects.get(pk=world.sjz_operator.pk).phone == PHONE


# -- the ID-card number -------------------------------------------------------------------


@pytest.mark.parametrize("value", [ID_NUMBER, "11010519491231002x", "1101 0519 4912 3100 2X", "130102199003071233"])
def test_id_number_validation_accepts_good_numbers(value):
    pii.validate_id_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_number_checksum"),
        ("11010519491231002", "id_number_format"),
        ("1101051949123100XX", "id_number_format"),
        ("１１０１０５１９４９１２３１００２X", "id_number_format"),
        ("110105194913310023", "id_number_birth_date"),
        ("110105189912310025", "id_number_birth_date"),
    ],
)
def test_id_number_validation_refuses_bad_numbers(value, code):
    with pytest.raises(ValidationError) as caught:
        pii.validate_id_number(value)
    assert caught.value.code == code


# -- unmask -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PROVINCE_ADMIN, True),
        (Role.PROVINCE_STAFF, True),
        (Role.ASSOCIATION, True),
        (Role.UNIT, True),
        (Role.SYSTEM_ADMIN, False),
    ],
)
def test_unit_contact_phone_unmask_per_role(world, client_for, role, allowed):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_phone=PHONE)
    response = unmask(client_for(world.user_of(role)), "organisation-phone", world.sjz_unit.pk)
    if allowed:
        assert response.status_code == 200
        assert PHONE in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert unmask_rows() == [("organisations.organisation", str(world.sjz_unit.pk), {"field": "contact_phone"})]
        record = AuditRecord.objects.get(action="pii.unmask")
        assert (record.actor_id, record.actor_role) == (world.user_of(role).pk, role)
    else:
        assert response.status_code == 403
        assert PHONE not in response.content.decode()
        assert unmask_rows() == []


@pytest.mark.parametrize("role", [Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_unit_contact_phone_outside_the_scope_answers_404(world, client_for, role):
    Organisation.objects.filter(pk=world.ts_unit.pk).update(contact_phone=PHONE)
    response = unmask(client_for(world.user_of(role)), "organisation-phone", world.ts_unit.pk)
    assert response.status_code == 404
    assert unmask_rows() == []


def test_unmask_writes_one_audit_row_each_time(world, client_for):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_phone=PHONE)
    client = client_for(world.province_staff)
    for _ in range(3):
        assert unmask(client, "organisation-phone", world.sjz_unit.pk).status_code == 200
    assert len(unmask_rows()) == 3


def test_unmask_answers_a_fragment_to_htmx_and_a_page_without_javascript(world, client_for):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_phone=PHONE)
    client = client_for(world.province_staff)
    fragment = unmask(client, "organisation-phone", world.sjz_unit.pk, HTTP_HX_REQUEST="true").content.decode()
    assert (
        fragment.strip()
        == f'<span class="font-monospace" data-personal-number="organisation-phone" data-revealed>{PHONE}</span>'
    )
    page = unmask(client, "organisation-phone", world.sjz_unit.pk).content.decode()
    assert "<html" in page
    assert PHONE in page


def test_unmask_refuses_get_and_unknown_fields(world, client_for):
    client = client_for(world.province_admin)
    url = reverse("core:personal-number-unmask", args=["organisation-phone", world.sjz_unit.pk])
    assert client.get(url).status_code == 405
    assert unmask(client, "organisation-name", world.sjz_unit.pk).status_code == 404
    assert unmask_rows() == []


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("province_admin", True),
        ("province_staff", True),
        ("sjz_association", True),
        ("sjz_operator", True),  # its own number
        ("ts_association", False),  # 404: another city
        ("system_admin", False),
    ],
)
def test_account_phone_unmask_per_role(world, client_for, who, allowed):
    User.objects.filter(pk=world.sjz_operator.pk).update(phone=PHONE)
    response = unmask(client_for(getattr(world, who)), "account-phone", world.sjz_operator.pk)
    expected = 200 if allowed else (404 if who == "ts_association" else 403)
    assert response.status_code == expected
    assert len(unmask_rows()) == (1 if allowed else 0)


@pytest.mark.parametrize(
    ("who", "phone", "id_number"),
    [
        ("province_admin", 200, 200),
        ("province_staff", 200, 403),  # the ID number is for paying the fee: the lead only
        ("inspector", 200, 200),  # the expert's own numbers
        ("sjz_association", 404, 404),  # the pool is the province's
        ("system_admin", 404, 404),
    ],
)
def test_expert_numbers_unmask_per_role(world, client_for, who, phone, id_number):
    inspector = expert(world, id_number=ID_NUMBER)
    client = client_for(getattr(world, who))
    assert unmask(client, "expert-phone", inspector.pk).status_code == phone
    response = unmask(client, "expert-id-number", inspector.pk)
    assert response.status_code == id_number
    if id_number == 200:
        assert ID_NUMBER in response.content.decode()
    assert len(unmask_rows()) == [phone, id_number].count(200)


def test_can_unmask_refuses_signed_out_and_disabled_users(world):
    from django.contrib.auth.models import AnonymousUser

    staff = make_user(role=Role.PROVINCE_STAFF, organisation=world.province, is_active=False)
    assert pii.can_unmask(AnonymousUser(), world.sjz_unit, "contact_phone") is False
    assert pii.can_unmask(staff, world.sjz_unit, "contact_phone") is False
    assert pii.can_unmask(world.province_staff, world.sjz_unit, "contact_phone") is True


# -- the audit log of changes ---------------------------------------------------------------


def test_changes_of_personal_numbers_are_logged_masked(world):
    user = User.objects.get(pk=world.sjz_operator.pk)
    user.phone = PHONE
    changed = apply_changes(
        user, names=("phone", "display_name"), values={"phone": "13987654321", "display_name": "王"}
    )
    assert changed == {"phone": ["138****5678", "139****4321"], "display_name": ["", "王"]}


def test_reseal_command_moves_every_number_to_the_new_key(world, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    User.objects.filter(pk=world.sjz_operator.pk).update(phone=PHONE)
    expert(world, id_number=ID_NUMBER)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    output = io.StringIO()
    call_command("reseal_encrypted_fields", stdout=output)
    assert "accounts.User.phone: " in output.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert User.objects.get(pk=world.sjz_operator.pk).phone == PHONE
    assert Inspector.objects.get().id_number == ID_NUMBER
    assert AuditRecord.objects.filter(action="crypto.reseal").count() == 1
