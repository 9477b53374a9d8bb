import pytest
from django.test import Client

from tests.factories import World


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 at production cost would make every made-up user take 50 ms.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits, locks' counters and the dashboard live in the cache, which one test run
    # shares: a test starts with none of the requests of the tests before it counted.
    from django.core.cache import cache

    from workdays import calendar

    cache.clear()
    # Nor the province's holiday entries of the tests before it: a test reads the calendar
    # from the database only after something writes it (workdays.calendar.forget).
    calendar.hold()


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path_factory):
    # No test writes into var/media: uploads go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _temporary_audit_anchors(settings, tmp_path_factory):
    # Each test anchors the audit chain in a file of its own (audit.anchoring): an anchor
    # of a record rolled back with an earlier test would read as a cut log.
    settings.AUDIT_ANCHOR_FILE = tmp_path_factory.mktemp("anchors") / "audit-anchors.jsonl"


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="YYYY-MM-DD",
        help="run the suite as if today were this day (10:00 in Beijing, the clock ticking on): "
        "a test that passes only on some days fails here",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "real_second_factor: force_login leaves the session unverified, as a real password sign-in does"
    )
    day = config.getoption("--clock")
    if day:
        # Started in every process (xdist's workers too) before Django is set up, so that
        # module-level dates and every test see the same moved clock.
        import datetime
        import zoneinfo

        import time_machine

        start = datetime.datetime.combine(
            datetime.date.fromisoformat(day), datetime.time(10), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")
        )
        config._moved_clock = time_machine.travel(start, tick=True)
        config._moved_clock.start()


def pytest_unconfigure(config):
    moved = getattr(config, "_moved_clock", None)
    if moved is not None:
        moved.stop()


@pytest.fixture(autouse=True)
def _second_factor_done_at_force_login(request, monkeypatch):
    """Tests sign in with Client.force_login (or Client.login) to test something else
    than signing in: their sessions count as having passed the second factor, as if the
    user had typed its code. Tests of two-factor sign-in itself mark themselves
    `real_second_factor` and get sessions held at the second step, as in production."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from twofactor.services import SESSION_KEY

    login = Client._login

    def login_and_verify(self, user, backend=None):
        login(self, user, backend)
        session = self.session
        session[SESSION_KEY] = user.pk
        session.save()

    monkeypatch.setattr(Client, "_login", login_and_verify)


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
