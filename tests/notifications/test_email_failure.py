"""A mail server that fails never breaks the request nor undoes the change it reports."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from core.access import signed_in
from notifications.models import Notification
from notifications.services import notify, send_notification_emails
from tests.factories import World
from tests.notifications.factories import email_callbacks


@signed_in
def _submit_view(request):
    """Stands for a workflow transition: a change and its notification in one transaction."""
    with transaction.atomic():
        notify(recipients=[request.user], title="您的申报已提交", kind="application.submitted")
    return HttpResponse("done")


urlpatterns = [path("submit/", _submit_view)]


def test_email_failure_is_logged_and_keeps_the_rows(
    world, addressed, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.ERROR, logger="notifications.services")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=addressed, title="t")
    assert len(email_callbacks(callbacks)) == 1
    assert Notification.objects.count() == 3
    assert [record.getMessage().startswith("could not send the e-mails") for record in caplog.records] == [True]


def test_email_failure_returns_nothing_sent(world, addressed, mail_server_down):
    notifications = notify(recipients=addressed, title="t")
    assert send_notification_emails([n.pk for n in notifications]) == 0


def test_email_sending_returns_how_many_were_accepted(world, addressed):
    notifications = notify(recipients=addressed, title="t")
    assert send_notification_emails([n.pk for n in notifications]) == 3
    assert len(mail.outbox) == 3


@pytest.mark.urls("tests.notifications.test_email_failure")
@pytest.mark.django_db(transaction=True)
def test_email_failure_does_not_break_the_request(mail_server_down, caplog):
    # A real commit at the end of the view's transaction: the e-mail is sent inside the
    # request, as in production, and fails there.
    world = World()
    world.sjz_operator.email = "sjzunit@example.cn"
    world.sjz_operator.save(update_fields=["email"])
    client = Client()
    client.force_login(world.sjz_operator)
    caplog.set_level(logging.ERROR, logger="notifications.services")
    response = client.get("/submit/")
    assert (response.status_code, response.content) == (200, b"done")
    assert list(Notification.objects.values_list("recipient", "title")) == [(world.sjz_operator.pk, "您的申报已提交")]
    assert [record.name for record in caplog.records] == ["notifications.services"]


def test_email_to_files_goes_under_the_configured_folder(world, addressed, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    notifications = notify(recipients=addressed[:1], title="文件中的通知")
    assert send_notification_emails([n.pk for n in notifications]) == 1
    (written,) = (tmp_path / "mail").iterdir()
    assert "sjzunit@example.cn" in written.read_text()
