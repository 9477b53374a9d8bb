import pytest
from django.test import Client

from tests.factories import World


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 at production cost would make every made-up user take 50 ms.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def client_for():
    """A test client signed in as `user`."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
