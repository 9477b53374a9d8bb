"""Two provincial administrators editing one campaign or one draft standard."""

import pytest

from campaigns.models import Campaign
from campaigns.selectors import draft_version
from core.roles import Role
from tests.campaigns.factories import indicators_of, make_campaign, version_form_data
from tests.campaigns.test_campaign_editing import campaign_data
from tests.concurrency import assert_refused, audit_count, edit_token
from tests.factories import make_user


@pytest.fixture
def first(world, client_for):
    return client_for(world.province_admin)


@pytest.fixture
def second_admin(world):
    return make_user(role=Role.PROVINCE_ADMIN, organisation=world.province, username="padmin2")


@pytest.fixture
def second(second_admin, client_for):
    return client_for(second_admin)


def test_concurrent_edits_of_a_campaign_refuse_the_second_save(first, second, second_admin):
    campaign = make_campaign(name="2030年示范点创建活动", doc_number="冀研发【2030】1号", status="draft")
    url = f"/campaigns/{campaign.pk}/edit/"
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert second.post(url, campaign_data(description="乙写的说明", edit_token=token_second)).status_code == 302
    before = audit_count()

    refused = first.post(url, campaign_data(description="甲写的说明", edit_token=token_first))

    assert_refused(refused, typed="甲写的说明", by=second_admin.username, status=(422,))
    assert "乙写的说明" in refused.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).description == "乙写的说明"
    assert audit_count() == before


def test_concurrent_edits_of_a_campaign_single_save_works(first):
    campaign = make_campaign(name="2030年示范点创建活动", doc_number="冀研发【2030】1号", status="draft")
    url = f"/campaigns/{campaign.pk}/edit/"
    token = edit_token(first.get(url))

    assert first.post(url, campaign_data(description="新的说明", edit_token=token)).status_code == 302

    assert Campaign.objects.get(pk=campaign.pk).description == "新的说明"


@pytest.fixture
def draft(first):
    campaign = Campaign.objects.get(doc_number="冀研发【2014】1号")
    first.post(f"/campaigns/{campaign.pk}/versions/new/")
    return draft_version(campaign)


def test_concurrent_edits_of_a_draft_standard_refuse_the_second_save(first, second, second_admin, draft):
    url = f"/campaigns/versions/{draft.pk}/edit/"
    token_first, token_second = (
        edit_token(first.get(url), "version-edit_token"),
        edit_token(second.get(url), "version-edit_token"),
    )
    indicator = indicators_of(draft)[0]
    data_second = version_form_data(draft, indicators={indicator: {"guidance": "乙改的评分说明"}})
    assert second.post(url, {**data_second, "version-edit_token": token_second}).status_code == 302
    before = audit_count()

    data_first = version_form_data(draft, indicators={indicator: {"guidance": "甲改的评分说明"}})
    refused = first.post(url, {**data_first, "version-edit_token": token_first})

    assert_refused(refused, typed="甲改的评分说明", by=second_admin.username)
    assert "乙改的评分说明" in refused.content.decode()
    indicator.refresh_from_db()
    assert indicator.guidance == "乙改的评分说明"
    assert audit_count() == before


def test_concurrent_edits_of_a_draft_standard_single_save_works(first, draft):
    url = f"/campaigns/versions/{draft.pk}/edit/"
    token = edit_token(first.get(url), "version-edit_token")
    indicator = indicators_of(draft)[0]
    data = version_form_data(draft, indicators={indicator: {"guidance": "新的评分说明"}})

    assert first.post(url, {**data, "version-edit_token": token}).status_code == 302

    indicator.refresh_from_db()
    assert indicator.guidance == "新的评分说明"
