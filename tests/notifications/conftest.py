import pytest
from django.core.mail.backends.base import BaseEmailBackend


class ExplodingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, whatever fail_silently says."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server refused the connection")


@pytest.fixture
def addressed(world):
    """The two unit operators and the 石家庄 association, each with an e-mail address."""
    users = [world.sjz_operator, world.ts_operator, world.sjz_association]
    for user in users:
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    return users


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.ExplodingBackend"
