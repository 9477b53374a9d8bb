"""Every URL that takes a POST, given hostile bodies, never answers a server error.

Each URL pattern is posted to by a role that may use it (anonymous for public pages),
on its in-scope sample of tests/<app>/url_samples.py. The field names come from the
page's own forms (a GET of the same URL) or, for a POST-only URL, from every form of the
project. Bodies: form fields with random, huge, control-character, SQL and HTML values
or several values for one name; JSON bodies of any shape; bytes that are no valid form
or multipart body. Each example runs in a savepoint that is rolled back, so one
example's success does not change what the next one finds.

The project has no JSON endpoint today (no view reads request.body or answers
JsonResponse); the JSON bodies sent to every POST URL keep one from being added
without being fuzzed.
"""

import json
import re

from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core.roles import Role
from tests.core.fuzzing import FUZZ, form_data, json_values, request_value
from tests.core.test_fuzz_forms import FORMS
from tests.core.test_url_access import all_samples, read_through, url_names

# Who posts: the first role of this list that the view lets in.
ROLE_ORDER = [
    Role.PROVINCE_STAFF,
    Role.PROVINCE_ADMIN,
    Role.ASSOCIATION,
    Role.UNIT,
    Role.INSPECTOR,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
]
FIELD_NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')
POST_FORM = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*>', re.IGNORECASE)
ACTION = re.compile(r'\baction="([^"]*)"')
EVERY_FORM_FIELD = sorted({name for form in FORMS.values() for name in form.base_fields})
# Few examples per URL: there are many URLs, and a server error shows at once.
PER_URL = settings(FUZZ, max_examples=4)

garbage_bytes = st.binary(max_size=2000)
bodies = st.one_of(
    st.tuples(st.just("form"), st.none()),
    st.tuples(st.just("json"), json_values),
    st.tuples(st.just("raw-form"), garbage_bytes),
    st.tuples(st.just("raw-multipart"), garbage_bytes),
)


def acting_role(view):
    if view.access.public:
        return None
    return next(role for role in ROLE_ORDER if role in view.access.roles)


def posted_fields(client, url) -> list[str] | None:
    """The field names to post to `url`, or None when it takes no POST: a page that
    answers a GET with a file, or with HTML holding no form that posts to itself."""
    response = client.get(url)
    read_through(response)
    if response.status_code == 405:
        return EVERY_FORM_FIELD  # POST only: its form lives on another page
    if response.status_code != 200:
        return EVERY_FORM_FIELD  # sent elsewhere: what would a POST do?
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    html = response.content.decode()
    own = [
        form for form in POST_FORM.findall(html) if ACTION.search(form) is None or ACTION.search(form)[1] in ("", url)
    ]
    if not own:
        return None
    return sorted(set(FIELD_NAME.findall(html)) - {"csrfmiddlewaretoken"}) or EVERY_FORM_FIELD


def post(client, url, kind, payload, fields):
    if kind == "form":
        return client.post(url, fields)
    if kind == "json":
        return client.post(url, json.dumps(payload), content_type="application/json")
    if kind == "raw-form":
        return client.post(url, payload, content_type="application/x-www-form-urlencoded")
    return client.post(url, payload, content_type="multipart/form-data; boundary=fuzzboundary")


def fuzz_url(client, url, names):
    @PER_URL
    @given(body=bodies, fields=form_data(names, request_value))
    def run(body, fields):
        kind, payload = body
        with transaction.atomic():
            response = post(client, url, kind, payload, fields)
            read_through(response)
            transaction.set_rollback(True)
        assert response.status_code < 500, (kind, response.status_code)

    run()


def test_no_post_answers_a_server_error(world):
    samples = all_samples(world)
    clients = {None: Client()}
    failures = []
    for name, view in url_names():
        role = acting_role(view)
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(world.user_of(role))
        client = clients[role]
        url = reverse(name, kwargs=samples[name])
        names = posted_fields(client, url)
        if names is None:
            continue
        try:
            fuzz_url(client, url, names)
        except Exception as error:
            failures.append((name, role, repr(error)[:300], getattr(error, "__notes__", [])))
    assert failures == []
