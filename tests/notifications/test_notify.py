"""notify(): one row per recipient in the caller's transaction, e-mails after the commit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from notifications.models import Notification
from notifications.services import notify
from tests.notifications.factories import email_callbacks


def test_notify_creates_a_row_for_every_recipient(world, addressed):
    created = notify(
        recipients=addressed,
        title="石家庄第一中学提交了申报",
        body="请及时登记备案。",
        url="/notifications/",
        actor=world.province_staff,
        kind="application.submitted",
    )
    rows = list(
        Notification.objects.order_by("id").values_list("recipient", "title", "body", "url", "actor", "kind", "read_at")
    )
    assert rows == [
        (
            user.pk,
            "石家庄第一中学提交了申报",
            "请及时登记备案。",
            "/notifications/",
            world.province_staff.pk,
            "application.submitted",
            None,
        )
        for user in addressed
    ]
    assert [n.pk for n in created] == list(Notification.objects.order_by("id").values_list("pk", flat=True))


def test_notify_drops_duplicates_and_none(world):
    notify(recipients=[world.sjz_operator, None, world.sjz_operator], title="t", email=False)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.sjz_operator.pk]


def test_notify_without_recipients_writes_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert notify(recipients=[], title="t") == []
    assert (Notification.objects.count(), len(callbacks)) == (0, 0)


def test_notify_sends_emails_only_after_commit(world, addressed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=addressed, title="您的申报已被退回补充", body="请补充佐证材料。", url="/notifications/")
        assert mail.outbox == []
    assert len(email_callbacks(callbacks)) == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in addressed)
    assert [len(message.to) for message in mail.outbox] == [1, 1, 1]
    assert {message.subject for message in mail.outbox} == {"您的申报已被退回补充"}
    assert "请补充佐证材料。" in mail.outbox[0].body


def test_notify_rolled_back_with_the_callers_change_leaves_no_row_and_no_mail(
    world, addressed, django_capture_on_commit_callbacks
):
    class TransitionFailedError(Exception):
        pass

    def failing_transition():
        with transaction.atomic():
            notify(recipients=addressed, title="t")
            raise TransitionFailedError

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(TransitionFailedError):
        failing_transition()
    assert (Notification.objects.count(), len(callbacks), mail.outbox) == (0, 0, [])


def test_notify_emails_only_active_recipients_with_an_address(world, addressed, django_capture_on_commit_callbacks):
    world.ts_operator.is_active = False
    world.ts_operator.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[*addressed, world.province_staff], title="t")  # province_staff has no address
    assert Notification.objects.count() == 4
    assert sorted(message.to[0] for message in mail.outbox) == ["sjz@example.cn", "sjzunit@example.cn"]


def test_notify_without_email_sends_nothing(world, addressed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=addressed, title="t", email=False)
    assert (Notification.objects.count(), len(email_callbacks(callbacks)), mail.outbox) == (3, 0, [])


def test_notify_email_links_to_the_platform_when_its_address_is_known(
    world, addressed, settings, django_capture_on_commit_callbacks
):
    settings.PLATFORM_URL = "https://sfd.example.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=addressed[:1], title="t", url="/notifications/")
    assert "https://sfd.example.cn/notifications/" in mail.outbox[0].body


def test_notify_renders_lazy_texts_in_the_recipients_language_not_the_senders(world):
    world.ts_operator.language = "en"
    with translation.override("en"):
        chinese, english = notify(
            recipients=[world.sjz_operator, world.ts_operator], title=gettext_lazy("Notifications"), email=False
        )
    assert Notification.objects.get(pk=chinese.pk).title == "消息"
    assert Notification.objects.get(pk=english.pk).title == "Notifications"


def test_notify_cuts_a_long_title_and_keeps_it_on_one_line(world):
    (notification,) = notify(recipients=[world.sjz_operator], title="长" * 300 + "\n第二行", email=False)
    stored = Notification.objects.get(pk=notification.pk).title
    # The ellipsis is the current language's ("..." in Chinese, "…" in English).
    assert (len(stored), stored.startswith("长" * 190), "\n" in stored, "第二行" in stored) == (200, True, False, False)


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "notifications/"])
def test_notify_refuses_a_link_off_the_platform(world, url):
    with pytest.raises(ValueError, match="path of this platform"):
        notify(recipients=[world.sjz_operator], title="t", url=url)
    assert Notification.objects.count() == 0


def test_notify_refuses_an_overlong_kind(world):
    with pytest.raises(ValidationError) as raised:
        notify(recipients=[world.sjz_operator], title="t", kind="k" * 65)
    assert list(raised.value.error_dict) == ["kind"]
    assert Notification.objects.count() == 0
