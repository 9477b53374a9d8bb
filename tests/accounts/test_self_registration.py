from accounts.models import User
from audit.models import AuditRecord
from organisations.models import Organisation, Status
from tests.accounts.registration_helpers import register, registration_data
from tests.factories import PASSWORD


def test_self_registration_creates_a_pending_unit_below_the_chosen_association(world, client):
    response = register(client, registration_data(world))
    assert response.status_code == 302
    unit = Organisation.objects.get(name="长安区育才街道社区")
    assert (unit.status, unit.parent, unit.path) == (Status.PENDING, world.changan, f"{world.changan.path}{unit.pk}/")
    assert User.objects.get(username="yucai").organisation == unit
    assert AuditRecord.objects.filter(action="organisation.self_register", object_id=str(unit.pk)).count() == 1


def test_pending_unit_cannot_sign_in(world, client):
    response = client.post("/accounts/login/", {"username": "pending", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["__all__"][0].code == "pending"
    assert "_auth_user_id" not in client.session


def test_refused_unit_sees_the_reason_when_signing_in(world, client, client_for):
    client_for(world.sjz_association).post(
        f"/organisations/registrations/{world.pending_unit.pk}/refuse/", {"reason": "单位名称与营业执照不符"}
    )
    response = client.post("/accounts/login/", {"username": "pending", "password": PASSWORD})
    assert "单位名称与营业执照不符" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_approved_unit_can_sign_in(world, client, client_for):
    client_for(world.sjz_association).post(f"/organisations/registrations/{world.pending_unit.pk}/approve/")
    response = client.post("/accounts/login/", {"username": "pending", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.pending_operator.pk


def test_registration_with_bad_input_changes_nothing_and_says_why(world, client):
    before = (Organisation.objects.count(), User.objects.count())
    bad = registration_data(world, region_code="13A", password2="different", username="sjzunit", sector="")
    response = register(client, bad)
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert sorted(errors) == ["password2", "region_code", "sector"]
    assert (Organisation.objects.count(), User.objects.count()) == before


def test_registration_with_a_taken_user_name_is_refused_next_to_the_field(world, client):
    response = register(client, registration_data(world, username="sjzunit"))
    assert list(response.context["form"].errors) == ["username"]
    assert not Organisation.objects.filter(name="长安区育才街道社区").exists()


def test_registration_below_a_unit_is_refused(world, client):
    response = register(client, registration_data(world, association=world.sjz_unit.pk))
    assert list(response.context["form"].errors) == ["association"]
