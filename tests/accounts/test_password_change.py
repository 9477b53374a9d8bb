from audit.models import AuditRecord
from tests.factories import PASSWORD


def test_password_change_takes_effect_and_is_audited(world, client_for):
    client = client_for(world.sjz_operator)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Another-pass-2027", "new_password2": "Another-pass-2027"},
    )
    world.sjz_operator.refresh_from_db()
    assert response.status_code == 302
    assert world.sjz_operator.check_password("Another-pass-2027") is True
    assert AuditRecord.objects.filter(action="user.password_change", actor=world.sjz_operator).count() == 1


def test_password_change_with_a_wrong_old_password_changes_nothing(world, client_for):
    response = client_for(world.sjz_operator).post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Another-pass-2027", "new_password2": "Another-pass-2027"},
    )
    world.sjz_operator.refresh_from_db()
    assert list(response.context["form"].errors) == ["old_password"]
    assert world.sjz_operator.check_password(PASSWORD) is True
    assert AuditRecord.objects.filter(action="user.password_change").count() == 0


def test_password_change_keeps_the_user_signed_in_in_this_session_only(world, client_for):
    other_tab = client_for(world.sjz_operator)
    client = client_for(world.sjz_operator)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Cedar-2027-pass", "new_password2": "Cedar-2027-pass"},
    )
    assert response.status_code == 302
    assert client.get("/accounts/password/done/").status_code == 200
    assert other_tab.get("/accounts/password/done/").status_code == 302
