"""Signing in through the real sign-in page, captcha included."""

from django.test import Client

from security import captcha
from tests.factories import PASSWORD

ANSWER = "K7MPX"


def solve_captcha(client: Client, answer: str = ANSWER) -> str:
    """Make `answer` the answer of the client's current picture, as if it had read it:
    the session holds only a hash of the drawn answer, so the test chooses the answer."""
    session = client.session
    captcha.remember(session, answer)
    session.save()
    return answer


def sign_in(client: Client, username: str, password: str = PASSWORD, *, address="127.0.0.1", answer=None):
    data = {"username": username, "password": password}
    if answer is not None:
        data["captcha"] = answer
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


def fail(client: Client, username: str, *, address="127.0.0.1"):
    """One failed sign-in with a wrong password and the captcha answered right."""
    return sign_in(client, username, "Wrong-pass-1", address=address, answer=solve_captcha(client))
