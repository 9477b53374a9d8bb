import datetime

import pytest

from audit.models import AuditRecord
from campaigns.models import Campaign, CampaignStatus, VersionStatus
from tests.campaigns.factories import make_campaign, make_version


def campaign_data(**changes):
    return {
        "name": "2030年示范点创建活动",
        "doc_number": "冀研发【2030】1号",
        "issuer": "河北省思想政治工作研究会",
        "start_date": "2030-03-01",
        "end_date": "2030-12-31",
        "status": CampaignStatus.DRAFT,
        "description": "",
        "review_limit_days": "15",
        "team_size": "3",
        "aggregation_method": "mean",
        "spread_limit": "2",
        "certificate_pattern": "冀人文心理示范〔{year}〕第{serial:03d}号",
        "registration_pattern": "{year}-{serial:05d}",
        "named_title": "河北省人文关怀心理疏导示范点",
        **changes,
    }


def test_province_admin_creates_a_campaign(world, client_for):
    response = client_for(world.province_admin).post("/campaigns/new/", campaign_data(team_size="5"))
    campaign = Campaign.objects.get(doc_number="冀研发【2030】1号")
    assert response.status_code == 302
    assert (campaign.team_size, campaign.aggregation_method) == (5, "mean")
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    assert (campaign.start_date, campaign.end_date, campaign.status) == (
        datetime.date(2030, 3, 1),
        datetime.date(2030, 12, 31),
        CampaignStatus.DRAFT,
    )
    assert list(AuditRecord.objects.filter(action__startswith="campaign.").values_list("action", "actor_name")) == [
        ("campaign.create", "padmin")
    ]


def test_campaign_ending_before_it_starts_is_refused(world, client_for):
    response = client_for(world.province_admin).post("/campaigns/new/", campaign_data(end_date="2030-01-01"))
    assert response.status_code == 422
    assert Campaign.objects.filter(doc_number="冀研发【2030】1号").count() == 0
    assert AuditRecord.objects.filter(action__startswith="campaign.").count() == 0


def test_campaign_cannot_be_active_without_a_published_standard(world, client_for):
    response = client_for(world.province_admin).post("/campaigns/new/", campaign_data(status=CampaignStatus.ACTIVE))
    assert response.status_code == 422
    assert 'data-field-error="status"' in response.content.decode()
    assert Campaign.objects.filter(doc_number="冀研发【2030】1号").count() == 0


def test_province_admin_activates_a_campaign_with_a_published_standard(world, client_for):
    campaign = make_campaign(status=CampaignStatus.DRAFT, name="2030年示范点创建活动", doc_number="冀研发【2030】1号")
    make_version(campaign=campaign, status=VersionStatus.PUBLISHED)
    response = client_for(world.province_admin).post(
        f"/campaigns/{campaign.pk}/edit/", campaign_data(status=CampaignStatus.ACTIVE, start_date="2030-01-01")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE
    record = AuditRecord.objects.get(action="campaign.update")
    assert (record.from_state, record.to_state) == ("draft", "active")
    assert record.details["changed"]["issuer"] == ["", "河北省思想政治工作研究会"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("team_size", "0", "考察组至少 1 人。"),
        ("team_size", "16", "考察组至多 15 人。"),
        ("spread_limit", "-1", "分差不能为负数。"),
        ("certificate_pattern", "冀示范第{number}号", "请使用 {year} 和 {serial}"),
        ("certificate_pattern", "冀示范第001号", "请使用 {year} 和 {serial}"),
        ("registration_pattern", "登记{serial:05d}", "请使用 {year} 和 {serial}"),
        ("registration_pattern", "{year}-{number}", "请使用 {year} 和 {serial}"),
    ],
)
def test_bad_inspection_settings_are_refused_next_to_the_field(world, client_for, field, value, message):
    response = client_for(world.province_admin).post("/campaigns/new/", campaign_data(**{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Campaign.objects.filter(doc_number="冀研发【2030】1号").exists()
