"""The security administrator learns of an account under attack (issue 18, item 3d): when
the account's unknown browsers are locked, every security administrator is notified (in
the platform and by e-mail), the alert is audited, and the locks page shows the account
first, marked as under attack."""

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import AuditRecord
from core.roles import Role
from notifications.models import Notification
from tests.factories import make_user
from tests.security.helpers import fail


def attack(username, *, addresses=("10.6.6.1", "10.6.6.2"), per_address=5):
    for address in addresses:
        client = Client()
        for _attempt in range(per_address):
            fail(client, username, address=address)


def test_every_security_administrator_is_alerted_once_when_an_account_is_under_attack(
    world, django_capture_on_commit_callbacks
):
    second = make_user(role=Role.SECURITY_ADMIN, organisation=world.province, username="secadmin2")
    second.email = "sec2@example.cn"
    second.save()
    with django_capture_on_commit_callbacks(execute=True):
        attack("sjzunit")
    alerts = Notification.objects.filter(kind="security.under_attack")
    assert sorted(alerts.values_list("recipient__username", flat=True)) == ["secadmin", "secadmin2"]
    assert {alert.url for alert in alerts} == {f"{reverse('security:lock-list')}?q=sjzunit"}
    with translation.override("en"):
        assert all("sjzunit" in alert.title for alert in alerts)
    assert "sec2@example.cn" in [address for message in mail.outbox for address in message.to]
    record = AuditRecord.objects.get(action="auth.under_attack")
    assert (record.object_id, record.details["failures"], record.details["addresses"]) == (
        str(world.sjz_operator.pk),
        10,
        2,
    )


def test_no_alert_for_one_persons_mistakes_from_one_address(world):
    attack("sjzunit", addresses=("10.6.6.1",))
    assert Notification.objects.filter(kind="security.under_attack").exists() is False
    assert AuditRecord.objects.filter(action="auth.under_attack").exists() is False


def test_no_alert_for_a_user_name_nobody_has_though_it_is_locked_alike(world):
    attack("nobody-has-this-name")
    assert list(
        AuditRecord.objects.filter(action="auth.lock", details__kind="account").values_list("details__key", flat=True)
    ) == ["nobody-has-this-name"]
    assert Notification.objects.filter(kind="security.under_attack").exists() is False


def test_locks_page_shows_the_account_under_attack_first(world, client_for):
    attack("sjzunit")
    response = client_for(world.security_admin).get(reverse("security:lock-list"))
    locks = list(response.context["page_obj"].object_list)
    assert (locks[0].kind, locks[0].key, len(locks)) == ("account", "sjzunit", 3)
    page = response.content.decode()
    row = page[page.index('data-lock="sjzunit"') :].split("</tr>")[0]
    assert 'data-testid="under-attack"' in row
    assert page.count('data-testid="under-attack"') == 1
