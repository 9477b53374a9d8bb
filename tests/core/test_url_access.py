"""Walks every URL pattern of the project with every role and with no login.

A view that declares nothing fails the walk; so does a declared role that is turned
away, or an undeclared role that gets in. New URL names must be given sample
arguments in tests/<app>/url_samples.py, or the walk fails and says which.

No GET changes a row (issue 18, item 9; OWASP ASVS 4.2.2, HTTP's safe methods): every
INSERT, UPDATE and DELETE a GET of the walk runs is caught, and only the writes named in
GET_MAY_WRITE pass, the audit log's only for the audited reads of AUDITED_READS.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditRecord, ChainHead
from core.roles import Role

TESTS = Path(__file__).resolve().parents[1]
# Django's admin keeps its own gate (core.admin_site: the system administrator only);
# its index stands for all its pages in the walk.
ADMIN_NAMESPACE = "admin"


def url_names():
    """(full name, view) of every named pattern outside the admin."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == ADMIN_NAMESPACE:
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"URL pattern {entry.pattern} has no name"
                found.append((f"{namespace}{entry.name}", entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


# The only writes a GET may make, each with its reason. Everything else a GET writes is
# a state change that belongs behind a POST.
GET_MAY_WRITE = {
    # The session store: the sign-in time and the idle clock (security.middleware
    # .SessionLimitsMiddleware, at most once a minute), one-time messages.
    "django_session": "session",
    # The last-seen time of the signed-in session, written with the idle clock, for the
    # security administrator's list of who is online (security.services.touch_session).
    "security_usersession": "last seen",
    # The audit record of a read that must itself be audited (AUDITED_READS) and the
    # chain head it moves (audit.services.record_event).
    AuditRecord._meta.db_table: "audited read",
    ChainHead._meta.db_table: "audited read",
}
# Reads the audit log records (GB/T 22239-2019 8.1.4.3 a)): a stored file handed out
# (core.files.stream_stored), a document made for the request (a certificate, an
# inspection report, the period's reports, the expert pool), a refusal (core.errors).
AUDITED_READS = frozenset(
    {
        "file.download",
        "access.denied",
        "designation.certificate",
        "inspection.export",
        "reports.period_export",
        "inspector.export",
    }
)
# INSERT (SQLite's INSERT OR IGNORE too), UPDATE, DELETE, REPLACE, and the table written.
WRITE_STATEMENT = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b(?:\s+OR\s+\w+)?(?:\s+INTO|\s+FROM)?\s+[\"`]?(\w+)", re.IGNORECASE
)


class WriteLog:
    """The (statement, table) of every write run while installed as an execute wrapper."""

    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE_STATEMENT.match(sql)
        if match:
            self.writes.append((match.group(1).upper(), match.group(2)))
        return execute(sql, params, many, context)


def writes_of_get(client, url, data=None):
    """GET `url` (streamed content read through); return the response, the writes not
    allowed by GET_MAY_WRITE and the actions of audit records that are not audited reads."""
    log = WriteLog()
    last_record = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with connection.execute_wrapper(log):
        response = client.get(url, data)
        read_through(response)
    forbidden = sorted({write for write in log.writes if write[1] not in GET_MAY_WRITE})
    actions = set(AuditRecord.objects.filter(pk__gt=last_record).values_list("action", flat=True))
    return response, forbidden, sorted(actions - AUDITED_READS)


def all_samples(world):
    samples = {}
    for module_file in sorted(TESTS.glob("*/url_samples.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.url_samples")
        samples.update(module.samples(world))
    return samples


def read_through(response) -> None:
    """Read a streamed file to its end, which closes it. (Calling response.close() here
    instead would fire request_finished outside the test client, and Django would close
    the database connection under the test's transaction on PostgreSQL.)"""
    if response.streaming:
        b"".join(response.streaming_content)


def test_every_view_declares_who_may_use_it():
    undeclared = [name for name, view in url_names() if not hasattr(view, "access")]
    assert undeclared == []


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_url_answers_each_role_as_declared(world, role):
    samples = all_samples(world)
    missing = [name for name, _ in url_names() if name not in samples]
    assert missing == [], "give these URL names sample arguments in tests/<app>/url_samples.py"
    client = Client()
    user = None
    if role is not None:
        user = world.user_of(role)
        client.force_login(user)
    wrong = []
    for name, view in url_names():
        url = reverse(name, kwargs=samples[name])
        response, forbidden, recorded = writes_of_get(client, url)
        if forbidden or recorded:
            wrong.append((name, response.status_code, "GET changed rows", forbidden, recorded))
        allowed = view.access.public or (user is not None and user.role in view.access.roles)
        login_redirect = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        if allowed and (response.status_code == 403 or login_redirect):
            wrong.append((name, response.status_code, "declared role turned away"))
        if not allowed and user is None and not login_redirect:
            wrong.append((name, response.status_code, "anonymous not sent to sign in"))
        if not allowed and user is not None and response.status_code != 403:
            wrong.append((name, response.status_code, "undeclared role let in"))
        if response.status_code >= 500:
            wrong.append((name, response.status_code, "server error"))
    assert wrong == []


@pytest.mark.parametrize("role", Role.values)
def test_admin_is_for_the_system_administrator_only(world, client_for, role):
    response = client_for(world.user_of(role)).get(reverse("admin:index"))
    expected = 200 if role == Role.SYSTEM_ADMIN else 302
    assert response.status_code == expected


GARBAGE_QUERY = {
    "page": "-1",
    "q": "\x00'\"<script>",
    "kind": "zzz",
    "sector": "zzz",
    "status": "zzz",
    "state": "zzz",
    "role": "zzz",
}


@pytest.mark.parametrize("role", [None, Role.PROVINCE_STAFF, Role.ASSOCIATION, Role.UNIT])
def test_no_url_answers_a_server_error_to_garbage_query_parameters(world, role):
    samples = all_samples(world)
    client = Client()
    if role is not None:
        client.force_login(world.user_of(role))
    failures = []
    for name, _ in url_names():
        response, forbidden, recorded = writes_of_get(client, reverse(name, kwargs=samples[name]), GARBAGE_QUERY)
        if response.status_code >= 500:
            failures.append((name, response.status_code))
        if forbidden or recorded:
            failures.append((name, response.status_code, "GET changed rows", forbidden, recorded))
    assert failures == []
