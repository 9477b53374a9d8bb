"""The public verification of a certificate number: valid since when, revoked since
when, or not a certificate of the platform."""

import datetime
import re
import urllib.parse

from django.test import Client
from django.urls import reverse

from tests.showcase import factories

NUMBER = "冀人文心理示范〔2026〕第001号"


def _verify(number: str):
    # As the QR code of a certificate opens it: the number percent-encoded in the address.
    return Client().get(reverse("showcase:verify") + "?number=" + urllib.parse.quote(number))


def _result(html: str) -> str | None:
    match = re.search(r'data-testid="verify-result" data-result="(\w+)"', html)
    return match.group(1) if match else None


def test_verification_page_without_a_number_shows_only_the_form(db):
    response = Client().get(reverse("showcase:verify"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="verify-form"' in html
    assert _result(html) is None


def test_a_valid_certificate_says_so_and_since_when(world):
    site = factories.sjz_site(world)
    assert site.certificate_number == NUMBER
    response = _verify(NUMBER)
    html = response.content.decode()
    assert response.status_code == 200
    assert _result(html) == "valid"
    assert "石家庄第一中学" in html
    assert "2026-11-20" in html
    assert site.campaign.named_title in html
    assert f'href="{reverse("showcase:site", kwargs={"pk": site.pk})}"' in html


def test_a_number_typed_with_other_brackets_or_spaces_is_found(world):
    factories.sjz_site(world)
    for typed in ("冀人文心理示范【2026】第001号", "冀人文心理示范[2026]第001号", " 冀人文心理示范（2026）第 001号 "):
        assert _result(_verify(typed).content.decode()) == "valid", typed


def test_a_revoked_certificate_says_it_was_revoked_and_since_when(world):
    site = factories.sjz_site(world)
    factories.revoke(world, site, on=datetime.date(2027, 6, 1), doc_number="冀研字〔2027〕9号")
    html = _verify(NUMBER).content.decode()
    assert _result(html) == "revoked"
    assert "2027-06-01" in html
    assert "2026-11-20" in html
    assert "冀研字〔2027〕9号" in html
    # The reasons are the province's and the unit's business, not the public's.
    assert "心理咨询室长期关闭" not in html
    assert f'href="{reverse("showcase:site", kwargs={"pk": site.pk})}"' not in html


def test_an_unknown_number_is_not_a_certificate_of_the_platform(world):
    factories.sjz_site(world)
    html = _verify("冀人文心理示范〔2026〕第999号").content.decode()
    assert _result(html) == "unknown"
    assert "冀人文心理示范〔2026〕第999号" in html


def test_a_number_that_is_no_number_is_refused_next_to_the_field(db):
    response = Client().get(reverse("showcase:verify"), {"number": "x" * 101})
    assert response.status_code == 422
    assert 'data-field-error="number"' in response.content.decode()
    response = Client().get(reverse("showcase:verify"), {"number": "  "})
    assert response.status_code == 422
    assert _result(response.content.decode()) is None


def test_markup_in_the_number_is_shown_as_text(db):
    html = _verify('<script>alert("x")</script>').content.decode()
    assert _result(html) == "unknown"
    assert '<script>alert("x")</script>' not in html


def test_verification_costs_one_query(world, django_assert_num_queries):
    factories.sjz_site(world)
    client = Client()
    with django_assert_num_queries(1):
        client.get(reverse("showcase:verify") + "?number=" + urllib.parse.quote(NUMBER))
