"""Self-registration asks for the characters of the platform's picture, always, and
checks them before anything else: a wrong or missing answer is the only error told and
nothing is created; a picture answers once; an error keeps what was typed except the
passwords and the characters."""

import re

from django.urls import reverse

from accounts.models import User
from organisations.models import Organisation
from tests.accounts.registration_helpers import ANSWER, URL, register, registration_data

WRONG_CHARACTERS = "输入的字符与图片不符，请按新图片重新输入。"
NO_CHARACTERS = "请输入图片中显示的字符。"


def _input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def test_registration_page_always_shows_the_picture_of_the_sign_in(world, client):
    page = client.get(URL).content.decode()
    assert 'data-testid="captcha"' in page
    assert f'src="{reverse("security:captcha")}?n=' in page
    assert 'name="captcha"' in page


def test_registration_without_the_characters_is_refused_by_the_captcha_alone(world, client):
    bad = registration_data(world, region_code="13A", password2="different", username="sjzunit")
    response = register(client, bad, typed=None)
    assert response.status_code == 200
    assert {field: list(errors) for field, errors in response.context["form"].errors.items()} == {
        "captcha": [NO_CHARACTERS]
    }
    assert not Organisation.objects.filter(name="长安区育才街道社区").exists()


def test_registration_with_wrong_characters_checks_nothing_else_and_creates_nothing(world, client):
    before = (Organisation.objects.count(), User.objects.count())
    # A taken name, a bad code and two passwords that differ: none of it is told.
    bad = registration_data(world, region_code="13A", password2="different", username="sjzunit")
    response = register(client, bad, typed="WRONG")
    errors = {field: list(messages) for field, messages in response.context["form"].errors.items()}
    assert errors == {"captcha": [WRONG_CHARACTERS]}
    assert f'data-field-error="captcha">{WRONG_CHARACTERS}<' in response.content.decode()
    assert (Organisation.objects.count(), User.objects.count()) == before


def test_registration_with_right_characters_in_any_case_registers(world, client):
    response = register(client, registration_data(world), typed=f"  {ANSWER.lower()} ")
    assert response.status_code == 302
    assert User.objects.get(username="yucai").organisation.name == "长安区育才街道社区"


def test_a_picture_answers_once_even_a_right_answer(world, client):
    first = register(client, registration_data(world, region_code="13A"))
    assert list(first.context["form"].errors) == ["region_code"]
    # The same characters again, without a new picture: the picture is used up.
    again = client.post(URL, {**registration_data(world), "captcha": ANSWER})
    assert list(again.context["form"].errors) == ["captcha"]
    assert not Organisation.objects.filter(name="长安区育才街道社区").exists()


def test_an_error_keeps_what_was_typed_except_the_passwords_and_the_characters(world, client):
    for typed in ("WRONG", ANSWER):
        data = registration_data(world, region_code="13A")
        page = register(client, data, typed=typed).content.decode()
        for name in ("unit_name", "address", "contact_name", "contact_phone", "email", "username", "region_code"):
            assert f'value="{data[name]}"' in _input(page, name), name
        assert re.search(rf'<option value="{world.changan.pk}"[^>]*selected', page)
        for name in ("password1", "password2", "captcha"):
            assert "value=" not in _input(page, name), name
