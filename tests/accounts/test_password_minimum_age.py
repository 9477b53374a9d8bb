"""A user's own password changes wait a day after the last one (issue 18, item 7):
seven quick changes in a row gave the old password back through the history of five.
A forced change (first sign-in, after a reset) never waits."""

from datetime import timedelta

from django.utils import timezone

from accounts import services
from accounts.models import User
from core.roles import Role
from tests.factories import PASSWORD

CHANGE = "/accounts/password/"
NEW_PASSWORDS = [
    "Lantern-Orchard-47-Violet",
    "Copper-Meadow-58-Harbor",
    "Saffron-Glacier-19-Pebble",
    "Willow-Canyon-63-Ember",
    "Thistle-Beacon-72-Quartz",
    "Maple-Lagoon-84-Cinder",
    # The password the user started with: the history of five would let it back now.
    PASSWORD,
]


def change(client, old, new):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_quick_changes_after_the_first_are_refused_saying_when(world, client_for):
    client = client_for(world.sjz_operator)
    responses = []
    current = PASSWORD
    for new in NEW_PASSWORDS:
        response = change(client, current, new)
        responses.append(response.status_code)
        if response.status_code == 302:
            current = new
    user = User.objects.get(pk=world.sjz_operator.pk)
    assert responses == [302, 200, 200, 200, 200, 200, 200]
    assert (user.check_password(NEW_PASSWORDS[0]), user.check_password(PASSWORD)) == (True, False)
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["new_password1"]] == ["password_too_recent"]
    next_change = timezone.localtime(user.password_changed_at + timedelta(hours=24))
    assert f"{next_change:%Y-%m-%d %H:%M}" in response.content.decode()
    assert "小时内修改过密码" in response.content.decode()


def test_change_a_day_after_the_last_is_accepted(world, client_for):
    User.objects.filter(pk=world.sjz_operator.pk).update(password_changed_at=timezone.now() - timedelta(hours=25))
    response = change(client_for(world.sjz_operator), PASSWORD, NEW_PASSWORDS[0])
    assert response.status_code == 302


def test_change_within_the_day_is_refused(world, client_for):
    User.objects.filter(pk=world.sjz_operator.pk).update(password_changed_at=timezone.now() - timedelta(hours=23))
    response = change(client_for(world.sjz_operator), PASSWORD, NEW_PASSWORDS[0])
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["new_password1"])


def test_forced_change_after_a_reset_is_not_held_back(world, client_for):
    client = client_for(world.sjz_operator)
    assert change(client, PASSWORD, NEW_PASSWORDS[0]).status_code == 302
    given = services.reset_password(actor=world.sjz_association, user=world.sjz_operator)
    client = client_for(User.objects.get(pk=world.sjz_operator.pk))
    response = change(client, given, NEW_PASSWORDS[1])
    user = User.objects.get(pk=world.sjz_operator.pk)
    assert (response.status_code, user.check_password(NEW_PASSWORDS[1]), user.must_change_password) == (
        302,
        True,
        False,
    )


def test_forced_change_at_first_sign_in_is_not_held_back(world, client_for):
    account = services.create_user(
        actor=world.sjz_association,
        username="newop",
        password=NEW_PASSWORDS[2],
        role=Role.UNIT,
        organisation=world.sjz_unit,
    )
    # A change a moment ago does not hold back the change the platform asks for.
    User.objects.filter(pk=account.pk).update(password_changed_at=timezone.now())
    response = change(client_for(User.objects.get(pk=account.pk)), NEW_PASSWORDS[2], NEW_PASSWORDS[3])
    assert (response.status_code, User.objects.get(pk=account.pk).check_password(NEW_PASSWORDS[3])) == (302, True)


def test_minimum_age_of_zero_turns_the_rule_off(world, client_for, settings):
    settings.PASSWORD_MIN_AGE_HOURS = 0
    client = client_for(world.sjz_operator)
    assert change(client, PASSWORD, NEW_PASSWORDS[0]).status_code == 302
    assert change(client, NEW_PASSWORDS[0], NEW_PASSWORDS[1]).status_code == 302


def test_forced_change_of_an_expired_password_is_not_held_back(world, client_for, settings):
    # A minimum age longer than the maximum: the expired password must still be changeable.
    settings.PASSWORD_MIN_AGE_HOURS = 24 * 100
    User.objects.filter(pk=world.sjz_operator.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = change(client_for(world.sjz_operator), PASSWORD, NEW_PASSWORDS[0])
    assert response.status_code == 302
