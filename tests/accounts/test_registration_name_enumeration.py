"""The registration form does not tell who has an account before its picture is solved:
40 guesses without the characters get the same answer for taken and free names and never
look at the accounts; with the characters a taken name is told, and each such answer
costs a picture."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organisations.models import Organisation
from tests.accounts.registration_helpers import ANSWER, URL, register, registration_data

FREE = [f"guess{number}" for number in range(29)]


def _normalised(page: str, username: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)
    page = re.sub(r"\?n=[0-9a-f]+", "", page)
    return page.replace(f'value="{username}"', "")


@pytest.mark.parametrize("typed", ["WRONG", None])
def test_forty_guesses_without_the_characters_learn_nothing(world, client, settings, typed):
    settings.REGISTRATION_POSTS_PER_HOUR = 100
    taken = list(User.objects.values_list("username", flat=True))
    assert {"padmin", "sysadmin", "secadmin", "auditadmin"} <= set(taken)
    guesses = taken + FREE[: 40 - len(taken)]
    answers = {}
    with CaptureQueriesContext(connection) as queries:
        for name in guesses:
            response = register(client, registration_data(world, username=name), typed=typed)
            answers[name] = (response.status_code, _normalised(response.content.decode(), name))
    assert len(guesses) == 40
    assert {answers[name] for name in taken} == {answers[name] for name in FREE[: 40 - len(taken)]}
    assert len(set(answers.values())) == 1
    assert [query["sql"] for query in queries if "accounts_user" in query["sql"]] == []
    assert not Organisation.objects.filter(name="长安区育才街道社区").exists()


def test_with_the_characters_a_taken_name_is_told_and_the_picture_is_used_up(world, client):
    response = register(client, registration_data(world, username="padmin"))
    assert {field: list(errors) for field, errors in response.context["form"].errors.items()} == {
        "username": ["该用户名已被使用，请换一个。"]
    }
    # A second guess with the same characters gets no answer about the name.
    again = client.post(URL, {**registration_data(world, username="sysadmin"), "captcha": ANSWER})
    assert list(again.context["form"].errors) == ["captcha"]
