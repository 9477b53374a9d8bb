"""Two provincial officers editing one notice, or the contact page, at once."""

import pytest
from django.urls import reverse

from notices.models import ContactInfo, Notice, State
from tests.concurrency import assert_refused, audit_count, edit_token
from tests.notices.factories import make_notice
from tests.notices.test_contact import FORM


def notice_data(notice, **changes):
    return {
        "title": notice.title,
        "doc_number": notice.doc_number,
        "issuer": notice.issuer,
        "issued_on": notice.issued_on.isoformat(),
        "visibility": notice.visibility,
        "body": notice.body,
        **changes,
    }


@pytest.fixture
def clients(world, client_for):
    return client_for(world.province_staff), client_for(world.province_admin)


def test_concurrent_edits_of_a_notice_refuse_the_second_save(world, clients):
    first, second = clients
    notice = make_notice(author=world.province_staff, state=State.DRAFT)
    url = reverse("notices:edit", kwargs={"pk": notice.pk})
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert second.post(url, notice_data(notice, body="乙改的正文。", edit_token=token_second)).status_code == 302
    before = audit_count()

    refused = first.post(url, notice_data(notice, body="甲改的正文。", edit_token=token_first))

    assert_refused(refused, typed="甲改的正文。", by=world.province_admin.username)
    assert "乙改的正文。" in refused.content.decode()
    assert Notice.objects.get(pk=notice.pk).body == "乙改的正文。"
    assert audit_count() == before


def test_concurrent_edits_of_a_notice_single_save_works(world, clients):
    first, _second = clients
    notice = make_notice(author=world.province_staff, state=State.DRAFT)
    url = reverse("notices:edit", kwargs={"pk": notice.pk})
    token = edit_token(first.get(url))

    assert first.post(url, notice_data(notice, body="新的正文。", edit_token=token)).status_code == 302

    assert Notice.objects.get(pk=notice.pk).body == "新的正文。"


def test_concurrent_edits_of_the_contact_page_refuse_the_second_save(world, clients):
    first, second = clients
    url = reverse("notices:contact-edit")
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert second.post(url, {**FORM, "note": "乙：工作日 8:30—17:30", "edit_token": token_second}).status_code == 302
    before = audit_count()

    refused = first.post(url, {**FORM, "note": "甲：周一至周五", "edit_token": token_first})

    assert_refused(refused, typed="甲：周一至周五", by=world.province_admin.username)
    assert ContactInfo.objects.get().note == "乙：工作日 8:30—17:30"
    assert audit_count() == before


def test_concurrent_edits_of_the_contact_page_single_save_works(world, clients):
    first, _second = clients
    url = reverse("notices:contact-edit")
    token = edit_token(first.get(url))

    assert first.post(url, {**FORM, "edit_token": token}).status_code == 302

    assert ContactInfo.objects.get().note == FORM["note"]
