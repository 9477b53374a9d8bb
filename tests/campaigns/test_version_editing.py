"""The province admin's path through the pages: new version, edit the draft, publish."""

from decimal import Decimal

import pytest

from audit.models import AuditRecord
from campaigns.models import Campaign, StandardVersion, VersionStatus
from campaigns.selectors import current_version, draft_version
from tests.campaigns.factories import indicators_of, version_form_data


@pytest.fixture
def campaign(db):
    return Campaign.objects.get(doc_number="冀研发【2014】1号")


@pytest.fixture
def admin(world, client_for):
    return client_for(world.province_admin)


@pytest.fixture
def draft(world, campaign, admin):
    admin.post(f"/campaigns/{campaign.pk}/versions/new/")
    return draft_version(campaign)


def test_new_version_opens_the_draft_editor(campaign, admin):
    response = admin.post(f"/campaigns/{campaign.pk}/versions/new/")
    draft = draft_version(campaign)
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/versions/{draft.pk}/edit/"
    page = admin.get(response["Location"])
    assert page.status_code == 200
    assert page.content.decode().count("data-indicator-form=") == 20


def test_second_new_version_while_a_draft_exists_is_refused(campaign, admin, draft):
    response = admin.post(f"/campaigns/{campaign.pk}/versions/new/")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    assert StandardVersion.objects.filter(campaign=campaign).count() == 2


def test_saving_the_draft_changes_max_score_and_threshold(admin, draft):
    indicator = indicators_of(draft)[4]
    data = version_form_data(
        draft, indicators={indicator: {"max_score": "7.5"}}, settings={"threshold_total": "87"}, veto=["弄虚作假", ""]
    )
    response = admin.post(f"/campaigns/versions/{draft.pk}/edit/", data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    draft.refresh_from_db()
    assert (indicator.max_score, draft.threshold_total) == (Decimal("7.5"), Decimal("87"))
    assert list(draft.veto_items.values_list("text", flat=True)) == ["弄虚作假"]
    assert 'data-max-total="102.5"' in admin.get(f"/campaigns/versions/{draft.pk}/edit/").content.decode()


def test_veto_items_can_be_deleted(admin, draft):
    admin.post(f"/campaigns/versions/{draft.pk}/edit/", version_form_data(draft, veto=["弄虚作假"]))
    data = version_form_data(draft)
    data["veto-0-DELETE"] = "on"
    admin.post(f"/campaigns/versions/{draft.pk}/edit/", data)
    assert draft.veto_items.count() == 0


@pytest.mark.parametrize("max_score", ["0", "-1", "2.3", "2.25", "abc", ""])
def test_bad_max_score_is_refused_next_to_the_field_and_changes_nothing(admin, draft, max_score):
    indicator = indicators_of(draft)[0]
    data = version_form_data(draft, indicators={indicator: {"max_score": max_score}}, settings={"label": "改版"})
    response = admin.post(f"/campaigns/versions/{draft.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-field-error="max_score"') == 1
    indicator.refresh_from_db()
    draft.refresh_from_db()
    assert (indicator.max_score, draft.label) == (Decimal("5"), "试行")
    assert AuditRecord.objects.filter(action="standard.update").count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("threshold_total", "100.5"),
        ("threshold_total", "-1"),
        ("category_min_ratio", "1.5"),
        ("category_min_ratio", "-0.1"),
    ],
)
def test_bad_threshold_is_refused_next_to_the_field_and_changes_nothing(admin, draft, field, value):
    indicator = indicators_of(draft)[0]
    data = version_form_data(draft, indicators={indicator: {"text": "改了的指标"}}, settings={field: value})
    response = admin.post(f"/campaigns/versions/{draft.pk}/edit/", data)
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in response.content.decode()
    indicator.refresh_from_db()
    draft.refresh_from_db()
    assert (indicator.text, draft.threshold_total, draft.category_min_ratio) == (
        "本地区（组织）领导重视，对新形势下人文关怀心理疏导工作的重要作用与地位有充分认识。",
        Decimal("85"),
        Decimal("0.60"),
    )


def test_threshold_checked_against_the_new_maximum(admin, draft):
    indicator = indicators_of(draft)[0]
    data = version_form_data(draft, indicators={indicator: {"max_score": "10"}}, settings={"threshold_total": "105"})
    assert admin.post(f"/campaigns/versions/{draft.pk}/edit/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.threshold_total == Decimal("105")


def test_publishing_from_the_page_puts_the_draft_in_force(campaign, admin, draft):
    previous = current_version(campaign)
    response = admin.post(f"/campaigns/versions/{draft.pk}/publish/")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/versions/{draft.pk}/"
    previous.refresh_from_db()
    assert (current_version(campaign), previous.status) == (draft, VersionStatus.RETIRED)
    page = admin.get(f"/campaigns/versions/{previous.pk}/")
    assert 'data-action="version-edit"' not in page.content.decode()


def test_publish_form_asks_for_confirmation(admin, draft):
    html = admin.get(f"/campaigns/versions/{draft.pk}/").content.decode()
    assert f'action="/campaigns/versions/{draft.pk}/publish/" class="m-0" data-confirm="' in html


def test_discarding_from_the_page_removes_the_draft(campaign, admin, draft):
    response = admin.post(f"/campaigns/versions/{draft.pk}/discard/")
    assert response.status_code == 302
    assert draft_version(campaign) is None
