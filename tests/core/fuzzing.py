"""Hostile input for the fuzz tests (tests/core/test_fuzz_*.py): strategies and settings.

The settings are a hypothesis profile of their own, applied per test, so that the other
property tests of the suite keep theirs. FUZZ_PROFILE=fuzz-deep runs many more examples
by hand; in CI (CI set) the examples are derandomized, so that a failure repeats.
"""

import json
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz",
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.register_profile("fuzz-ci", parent=settings.get_profile("fuzz"), derandomize=True)
settings.register_profile("fuzz-deep", parent=settings.get_profile("fuzz"), max_examples=500)
FUZZ = settings.get_profile(os.environ.get("FUZZ_PROFILE") or ("fuzz-ci" if os.environ.get("CI") else "fuzz"))

# What a browser never sends and an attacker does.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\r\nSet-Cookie: x=1",
    "' OR '1'='1' --",
    "'; DROP TABLE accounts_user; --",
    "1 UNION SELECT password FROM accounts_user",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "%s%n%x",
    "../../../../etc/passwd",
    "\u202egnp.exe",
    "\ufeff\u200b",
    "😀" * 20,
    "-1",
    "0",
    "-99999999999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-inf",
    "0x1F",
    "1,5",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "10000-01-01",
    "1-1-1",
    "2026-07",
    "true",
    "null",
    "[]",
    '{"a": 1}',
]

# Any character but lone surrogates (which no UTF-8 request can carry), control characters and NUL included.
_characters = st.characters(exclude_categories=["Cs"])
text = st.text(_characters, max_size=40)
huge_text = st.integers(min_value=300, max_value=100_000).map(lambda size: "汉" * size)
numbers = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True)).map(str)
field_text = st.one_of(st.sampled_from(NASTY), text, numbers, huge_text)
# What a POST can carry for one name: one string or several.
posted_value = st.one_of(field_text, st.lists(field_text, min_size=0, max_size=3))
# Values of another type than the field expects, as a request carries them: as text (a
# form is only ever given the strings of a QueryDict; Django's fields do not promise to
# take a Python int or dict, and no request can hand them one).
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=8,
)
wrong_type = json_values.map(lambda value: json.dumps(value, ensure_ascii=False))


# For whole requests: long enough to pass every max_length, short enough that a request
# with a hundred fields stays under Django's 2.5 MB limit and the suite stays fast.
long_text = st.integers(min_value=300, max_value=5_000).map(lambda size: "汉" * size)
_request_text = st.one_of(st.sampled_from(NASTY), text, numbers, long_text)
request_value = st.one_of(_request_text, st.lists(_request_text, min_size=0, max_size=3))


def form_data(names, value=posted_value):
    """A dict of POST values for `names` (some missing), each a string or a list of strings."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, value))


def wrong_form_data(names):
    """Every name given several values (a list where one string is expected), or the JSON
    text of a number, list or object."""
    several = st.lists(st.one_of(field_text, wrong_type), min_size=2, max_size=4)
    return st.fixed_dictionaries({name: st.one_of(several, wrong_type) for name in names})


def as_querydict(data: dict):
    """`data` as the QueryDict a POST would arrive as."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, [str(item) for item in value] if isinstance(value, list) else [str(value)])
    return query
