"""Sending the self-registration form as a person does: the page drew a picture, the
person typed its characters (or not)."""

from django.test import Client

from organisations.models import Sector
from tests.security.helpers import solve_captcha

ANSWER = "R3GXT"
URL = "/accounts/register/"


def registration_data(world, **changes) -> dict:
    data = {
        "unit_name": "长安区育才街道社区",
        "association": world.changan.pk,
        "sector": Sector.COMMUNITY,
        "address": "石家庄市长安区育才街1号",
        "region_code": "130102",
        "contact_name": "李华",
        "contact_phone": "0311-86000000",
        "email": "yucai@example.cn",
        "username": "yucai",
        "password1": "Peach-2026-pass",
        "password2": "Peach-2026-pass",
    }
    data.update(changes)
    return data


def register(client: Client, data: dict, *, typed: str | None = ANSWER, address: str = "127.0.0.1"):
    """POST `data` after a picture whose answer is ANSWER was drawn for the client's
    session, with `typed` as the characters typed (None: the box left out)."""
    solve_captcha(client, ANSWER)
    if typed is not None:
        data = {**data, "captcha": typed}
    return client.post(URL, data, REMOTE_ADDR=address)
