"""Notifications and their e-mails are written in each recipient's language (the one it
last chose in the platform), not in the language of whoever caused them."""

import ast
from pathlib import Path

from django.core import mail
from django.urls import reverse

from applications import services as application_services
from applications.models import Decision
from core.roles import Role
from notifications.models import Notification
from tests.applications.factories import registered
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def test_language_chosen_in_the_platform_is_kept_on_the_account(world, client_for):
    client = client_for(world.sjz_operator)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    world.sjz_operator.refresh_from_db()
    assert world.sjz_operator.language == "en"


def test_each_recipient_reads_the_notification_and_email_in_its_language(
    world, client_for, django_capture_on_commit_callbacks
):
    colleague = make_user(role=Role.UNIT, organisation=world.sjz_unit, email="en@example.cn", language="en")
    world.sjz_operator.email = "zh@example.cn"
    world.sjz_operator.save(update_fields=["email"])
    application = registered(world)
    with django_capture_on_commit_callbacks(execute=True):
        # The reviewer works in Chinese; the returned-application notices follow each reader.
        application_services.review_application(
            actor=world.province_staff, application=application, decision=Decision.RETURN, reason="缺少照片", notes={}
        )
    titles = dict(Notification.objects.filter(kind="application.return").values_list("recipient__username", "title"))
    assert titles == {
        world.sjz_operator.username: "您的申报状态已变为“退回补充”",
        colleague.username: "Your application is now “Returned for supplement”",
    }
    english = next(message for message in mail.outbox if message.to == ["en@example.cn"])
    chinese = next(message for message in mail.outbox if message.to == ["zh@example.cn"])
    assert english.subject == "Your application is now “Returned for supplement”"
    assert "Open it on the platform" in english.body
    assert "请在平台上查看" in chinese.body


def test_no_notification_is_written_in_the_senders_language():
    """A title or body passed to notify() as gettext(...) or gettext(...) % {...} is already
    in the sender's language: it must be gettext_lazy or translatable(...)."""
    eager = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "tests", "node_modules", "var"} or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "notify"):
                continue
            for keyword in node.keywords:
                if keyword.arg not in {"title", "body"}:
                    continue
                value = keyword.value.left if isinstance(keyword.value, ast.BinOp) else keyword.value
                if isinstance(value, ast.Call) and getattr(value.func, "id", None) in {"_", "gettext"}:
                    eager.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert eager == []
