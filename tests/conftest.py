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


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path_factory):
    # No test writes into var/media: uploads go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def seeded_campaign(transactional_db):
    """The 2014 campaign and its standard, loaded by a data migration. A transactional
    test empties the database afterwards, and the serialized copy Django should restore
    it from is not always there (lost after plain database tests ran first in the same
    process), so transactional tests that need it load it again here."""
    import importlib

    from django.apps import apps

    from campaigns.models import Campaign

    if not Campaign.objects.exists():
        migration = importlib.import_module("campaigns.migrations.0002_load_2014_campaign_and_trial_standard")
        migration.load_campaign(apps, None)


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
