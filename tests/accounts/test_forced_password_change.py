import io
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from audit.models import AuditRecord
from core.roles import Role
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Another-pass-2027"
CHANGE = "/accounts/password/"


def change(client, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_accounts_of_tests_need_no_change(world):
    assert world.sjz_operator.must_change_password is False
    assert User._meta.get_field("must_change_password").default is False


def test_demo_logins_need_no_change(db):
    from demo.seeding import demo_logins, seed_small_demo

    seed_small_demo(stdout=io.StringIO())
    usernames = [login.username for login in demo_logins()]
    assert User.objects.filter(username__in=usernames, must_change_password=True).count() == 0
    assert User.objects.filter(username__in=usernames).count() == len(usernames)


def test_account_made_by_a_manager_must_change_at_first_sign_in(world, client_for):
    account = services.create_user(
        actor=world.sjz_association,
        username="newop",
        password=PASSWORD,
        role=Role.UNIT,
        organisation=world.sjz_unit,
    )
    assert account.must_change_password is True
    client = client_for(account)
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, CHANGE)
    page = client.get(CHANGE)
    assert page.context["change_reason"] != ""
    assert 'data-testid="change-reason"' in page.content.decode()


def test_forced_change_lets_through_sign_out_language_and_health(world, client_for):
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit, must_change_password=True)
    client = client_for(account)
    assert client.get(reverse("core:healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.get(reverse("accounts:password-change-done")).status_code == 200
    assert client.get(reverse("twofactor:manage")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/plans/")["Location"].startswith("/accounts/login/")


def test_forced_change_answers_htmx_with_a_redirect_header(world, client_for):
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit, must_change_password=True)
    response = client_for(account).get("/", headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (200, CHANGE)


def test_changing_the_password_clears_the_flag_and_notes_the_time(world, client_for):
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit, must_change_password=True)
    client = client_for(account)
    response = change(client)
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:password-change-done"))
    account.refresh_from_db()
    assert account.must_change_password is False
    assert timezone.now() - account.password_changed_at < timedelta(minutes=1)
    assert account.check_password(NEW_PASSWORD) is True
    assert client.get("/").status_code == 200  # still signed in, free to go on
    assert AuditRecord.objects.filter(action="user.password_change", actor=account).count() == 1


def test_a_bad_new_password_keeps_the_flag(world, client_for):
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit, must_change_password=True)
    client = client_for(account)
    for new in ["short", PASSWORD, "\x00" * 10, "a" * 100]:
        response = change(client, new=new)
        assert response.status_code == 200
        assert "new_password2" in response.context["form"].errors or "new_password1" in response.context["form"].errors
    account.refresh_from_db()
    assert account.must_change_password is True


def test_password_older_than_ninety_days_must_change(world, client_for, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit)
    User.objects.filter(pk=account.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = client_for(account)
    assert client.get("/")["Location"] == CHANGE
    change(client)
    assert client.get("/").status_code == 200


def test_password_of_eighty_nine_days_goes_on(world, client_for):
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit)
    User.objects.filter(pk=account.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client_for(account).get("/").status_code == 200


def test_account_never_changed_counts_from_the_day_it_joined(world, client_for):
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit)
    User.objects.filter(pk=account.pk).update(date_joined=timezone.now() - timedelta(days=100))
    assert client_for(account).get("/")["Location"] == CHANGE


def test_rules_can_be_turned_off_per_deployment(world, client_for, settings):
    settings.PASSWORD_CHANGE_AT_FIRST_SIGN_IN = False
    settings.PASSWORD_MAX_AGE_DAYS = 0
    account = make_user(role=Role.UNIT, organisation=world.sjz_unit, must_change_password=True)
    User.objects.filter(pk=account.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    assert client_for(account).get("/").status_code == 200


def test_forced_change_after_a_real_sign_in(world):
    make_user(role=Role.UNIT, organisation=world.sjz_unit, username="fresh", must_change_password=True)
    client = Client()
    response = client.post("/accounts/login/", {"username": "fresh", "password": PASSWORD, "next": "/plans/"})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == CHANGE


def test_imported_operators_must_change_at_first_sign_in(world, client_for):
    from tests.imports.helpers import check, confirm, workbook

    world.sjz_unit.code = "91130100MA00000012"
    world.sjz_unit.save(update_fields=["code"])
    client = client_for(world.province_staff)
    rows = [{"username": "importedop", "display_name": "新人", "unit": "91130100MA00000012", "phone": "13912345678"}]
    confirm(client, check(client, "operators", workbook("operators", rows)))
    assert User.objects.get(username="importedop").must_change_password is True


def test_self_chosen_passwords_need_no_change(world):
    user = services.register_unit(
        unit_name="新单位",
        association=world.shijiazhuang,
        sector="school",
        address="某路1号",
        region_code="130102",
        contact_name="张三",
        contact_phone="13912345678",
        username="selfmade",
        email="a@example.com",
        password=PASSWORD,
    )
    assert user.must_change_password is False
