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


def known_browser(username: str, *, address="127.0.0.1") -> Client:
    """A browser `username` has signed in with before (it carries the device cookie the
    sign-in gave it), signed out again."""
    client = Client()
    response = sign_in(client, username, address=address)
    assert response.status_code == 302, response.context["form"].errors
    client.post("/accounts/logout/", REMOTE_ADDR=address)
    return client


def guesses(username: str) -> int:
    """Failed guesses (passwords, codes) at `username` still counted from unknown browsers."""
    from security.models import SignInFailure

    return SignInFailure.objects.filter(username=username, device="", reason__in=["password", "code"]).count()
