"""Walks every URL that takes an object, with every role, on an object outside the role's scope.

The in-scope half (a declared role is let in, an undeclared one gets 403, anonymous is
sent to sign in) is tests/core/test_url_access.py. Here every role that may use a view
is given, from tests/<app>/url_samples.py `out_of_scope_samples`, an object of another
city, another unit, another inspection or another campaign: a GET and an empty POST
(CSRF checks off, as an attacker with a session would send) must answer 404 or 403 and
change nothing. A URL taking an object that does not say, for each of its roles, what
lies outside that role's scope fails the walk (see tests/core/scope.py).
"""

import hashlib
import importlib

from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditRecord
from core.roles import Role
from tests.core.scope import ANONYMOUS, EVERY_OBJECT
from tests.core.test_url_access import TESTS, all_samples, read_through, url_names

# Answers that neither show nor do anything: missing, forbidden, wrong method (a POST-only
# view turns a GET away before it looks at the object).
REFUSED = {403, 404, 405}
LOGIN = "/accounts/login/"


def all_out_of_scope(world) -> dict[str, dict]:
    declared = {}
    for module_file in sorted(TESTS.glob("*/url_samples.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.url_samples")
        if hasattr(module, "out_of_scope_samples"):
            declared.update(module.out_of_scope_samples(world))
    return declared


def roles_of(view) -> list[str]:
    """The roles that pass the view's gate, and ANONYMOUS when it is public."""
    if view.access.public:
        return [ANONYMOUS, *Role.values]
    return sorted(view.access.roles)


def cases(world):
    """(url name, role, kwargs) of every object outside a role's scope."""
    found = []
    declared = all_out_of_scope(world)
    for name, view in url_names():
        per_role = declared.get(name)
        if per_role is None or per_role == EVERY_OBJECT:
            continue  # nothing outside anyone's scope (or undeclared: the test above fails)
        for role in roles_of(view):
            kwargs = per_role.get(role, EVERY_OBJECT)
            if kwargs != EVERY_OBJECT:
                found.append((name, role, kwargs))
    return found


def client_of(world, role) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.user_of(role))
    return client


def skipped_table(model) -> bool:
    # Sessions change on every request (sign-in time, idle clock); the audit log is checked
    # apart (a denial may be recorded and moves the chain's head; a success must not be).
    return "session" in model._meta.db_table or model._meta.app_label == AuditRecord._meta.app_label


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table, to tell that a request changed nothing."""
    digests = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if skipped_table(model) or model._meta.proxy or not model._meta.managed:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            digests[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def test_every_url_with_an_object_declares_what_lies_outside_each_roles_scope(world):
    samples = all_samples(world)
    declared = all_out_of_scope(world)
    missing = []
    for name, view in url_names():
        if not samples.get(name):  # no object in the URL: lists scope their rows themselves
            continue
        per_role = declared.get(name)
        if per_role == EVERY_OBJECT:
            continue
        if per_role is None:
            missing.append((name, "no out_of_scope_samples entry"))
            continue
        missing += [(name, role) for role in roles_of(view) if role not in per_role]
    assert missing == [], "declare these in out_of_scope_samples of tests/<app>/url_samples.py"
    stale = sorted(set(declared) - {name for name, _view in url_names()})
    assert stale == [], "these out_of_scope_samples entries name no URL"


# One test over every role and both methods rather than one per role: the samples are
# built once.
def test_no_role_reads_or_changes_an_object_outside_its_scope(world):
    all_samples(world)  # the in-scope objects exist too, as they would in a real database
    wrong = []
    walk = cases(world)
    assert len(walk) > 100  # the samples were found: a walk over nothing proves nothing
    # Signed in before the first digest: signing in writes the user's last login.
    clients = {role: client_of(world, role) for role in {role for _name, role, _kwargs in walk}}
    before = fingerprint()
    for name, role, kwargs in walk:
        client = clients[role]
        url = reverse(name, kwargs=kwargs)
        successes = AuditRecord.objects.filter(result=AuditRecord.Result.SUCCESS).count()
        for method in (client.get, client.post):
            response = method(url)
            read_through(response)
            login = response.status_code == 302 and response["Location"].startswith(LOGIN)
            if response.status_code not in REFUSED and not (role == ANONYMOUS and login):
                wrong.append((method.__name__, name, role, kwargs, response.status_code))
        after = fingerprint()
        changed = sorted(table for table in after if after[table] != before[table])
        if changed:
            wrong.append(("changed", name, role, kwargs, changed))
        if AuditRecord.objects.filter(result=AuditRecord.Result.SUCCESS).count() != successes:
            wrong.append(("audited a success", name, role, kwargs))
        before = after
    assert wrong == []
