"""What every page carries: the security headers, the large-text switch, the language."""

from django.test import Client


def test_every_page_forbids_inline_script_and_framing(db):
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_large_text_switch_sets_a_cookie_and_marks_the_page(db):
    client = Client()
    response = client.post("/text-size/", {"next": "/accounts/login/"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert client.cookies["text_size"].value == "large"
    assert 'class="large-text"' in client.get("/accounts/login/").content.decode()
    client.post("/text-size/", {"next": "/"})
    assert client.cookies["text_size"].value == "normal"


def test_large_text_switch_never_redirects_off_site(db):
    response = Client().post("/text-size/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_pages_are_chinese_by_default_and_english_on_request(db):
    chinese = Client().get("/accounts/login/").content.decode()
    english = Client(headers={"accept-language": "en"}).get("/accounts/login/").content.decode()
    assert '<html lang="zh-CN"' in chinese
    assert "登录" in chinese
    assert '<html lang="en"' in english
    assert "Sign in" in english


def test_health_check_answers_without_a_session(db):
    response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert "sessionid" not in response.cookies
