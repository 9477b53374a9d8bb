"""Weak passwords of the usual patterns are refused (issue 18, item 7): a common word,
name, brand, pinyin phrase or keyboard walk with digits, symbols and look-alike letters
added, as attackers guess first (Passw0rd!, Admin@123, Huawei@123, woaini1314, 1qaz2wsx)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.password_validation import WORD_LIST, is_pattern_password, weak_words
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# Accepted by the rules before (8+ characters, three classes, not in Django's list).
REPORTED = ["Passw0rd!", "Abc@1234", "Admin@123", "Huawei@123", "Aa123456!", "Zxcv1234!"]
PATTERNS = [
    "1qaz2wsx!",
    "1qaz@WSX",
    "Qwer!234",
    "Asdf@1234",
    "P@ssw0rd2024",
    "Root@888",
    "Woaini1314!",
    "Woaini@520",
    "Zhangwei@1990",
    "Zhangsan123!",
    "Hebei@2026",
    "Xiaomi#2025",
    "Shifandian@2026",
    "Welcome1!",
    "Guanliyuan@1",
    "Ab@123456",
]
GOOD = ["Lantern-Orchard-47-Violet", "青山-Copper-Meadow-58", "Tz#8!93%^&kq", "Peach-2026-pass"]


def codes_of(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return sorted(item.code for item in error.error_list)
    return []


@pytest.mark.parametrize("password", REPORTED)
def test_reported_weak_password_is_refused(password):
    assert "password_pattern" in codes_of(password)


@pytest.mark.parametrize("password", PATTERNS)
def test_common_pattern_password_is_refused(password):
    assert "password_pattern" in codes_of(password)


@pytest.mark.parametrize("password", GOOD)
def test_pass_phrase_is_accepted(password):
    assert codes_of(password) == []


def test_pattern_password_of_many_symbols_and_few_letters_is_not_a_pattern():
    assert (is_pattern_password("%k#9&2!q*"), is_pattern_password("Ab@1234")) == (False, True)


def test_word_list_holds_a_few_hundred_words_with_the_chinese_ones():
    lines = [line for line in WORD_LIST.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(lines) >= 300
    assert {"admin", "root", "huawei", "password", "woaini", "zhang", "zhangwei", "xiaomi", "qq"} <= weak_words()
    assert {"qwer", "asdf", "zxcv", "qazwsx", "zaqxsw", "rewq"} <= weak_words()


def test_password_change_refuses_a_pattern_password_in_chinese_next_to_the_field(world, client_for):
    response = client_for(world.sjz_operator).post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "Huawei@123", "new_password2": "Huawei@123"},
    )
    form = response.context["form"]
    assert (response.status_code, list(form.errors)) == (200, ["new_password2"])
    assert [error.code for error in form.errors.as_data()["new_password2"]] == ["password_pattern"]
    assert "这个密码太容易被猜到" in response.content.decode()
    assert User.objects.get(pk=world.sjz_operator.pk).check_password(PASSWORD)
