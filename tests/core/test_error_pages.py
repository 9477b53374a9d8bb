"""Error pages tell the user what to do and leak nothing (control 5): no stack trace, no
SQL, no exception text, whatever failed. The failing views live in a URLconf for tests
only (tests/core/error_urls.py)."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.core.error_urls import SECRET

LEAKS = (SECRET, "Traceback", "hunter2", "secret_column", "django_session", "SELECT", "Error", 'File "', ".py")


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    settings.DEBUG = False
    return settings


def leaks_in(response) -> list[str]:
    content = response.content.decode()
    return [leak for leak in LEAKS if leak in content]


def chinese(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.mark.parametrize("url", ["/test-errors/boom/", "/test-errors/sql/"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_error_pages_server_error_shows_nothing_of_the_failure(world, failing_urls, url, signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(world.sjz_operator)
    response = client.get(url)
    assert response.status_code == 500
    assert leaks_in(response) == []
    content = response.content.decode()
    assert chinese("Something went wrong on our side") in content
    assert "Something went wrong on our side" in content
    # Rendered without the request: the page does not even know who is signed in.
    assert world.sjz_operator.username not in content


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/test-errors/forbidden/", 403, "Not allowed"),
        ("/test-errors/missing/", 404, "Page not found"),
        ("/no-such-page/", 404, "Page not found"),
        ("/test-errors/suspicious/", 400, "Bad request"),
    ],
)
def test_error_pages_client_errors_show_nothing_of_the_failure(world, failing_urls, client_for, url, status, message):
    response = client_for(world.sjz_operator).get(url)
    assert response.status_code == status
    assert leaks_in(response) == []
    assert chinese(message) in response.content.decode()
    assert "URLconf" not in response.content.decode()


def test_error_pages_server_error_page_needs_neither_database_nor_request(db, failing_urls, django_assert_num_queries):
    # A context processor that fails (as one that queries would with the database down)
    # does not touch the 500 page, which is rendered without a request.
    failing_urls.TEMPLATES = [
        {
            **failing_urls.TEMPLATES[0],
            "OPTIONS": {
                **failing_urls.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *failing_urls.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "tests.core.error_urls.broken_context_processor",
                ],
            },
        }
    ]
    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get("/test-errors/boom/")
    assert response.status_code == 500
    assert leaks_in(response) == []


def test_error_pages_500_and_503_templates_render_alone(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        pages = {name: render_to_string(name) for name in ("500.html", "503.html")}
    assert "Something went wrong on our side" in pages["500.html"]
    assert "The platform is temporarily unavailable" in pages["503.html"]


def test_error_pages_oversize_form_answers_a_clear_400(world, settings, client_for):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = client_for(world.sjz_operator).post(reverse("core:text-size"), {"next": "x" * 5000})
    assert response.status_code == 400
    message = chinese(
        "The form sent more text than the platform accepts in one go (at most %(size)s). Shorten it and send it again."
    )
    assert message.split("%(size)s")[0] in response.content.decode()
    assert leaks_in(response) == []


def test_error_pages_oversize_form_is_a_clear_400_in_the_csrf_check_too(world, settings):
    # The CSRF check reads the form for its token, which is where the size is found out.
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sjz_operator)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(reverse("core:text-size"), {"next": "x" * 5000})
    assert response.status_code == 400
    assert 'data-testid="error-message"' in response.content.decode()


def test_error_pages_too_many_fields_answers_a_clear_400(world, settings, client_for):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client_for(world.sjz_operator).post(reverse("core:text-size"), {f"f{i}": "1" for i in range(50)})
    assert response.status_code == 400
    assert chinese("The form sent too many fields or files at once. Send fewer at a time.") in response.content.decode()
