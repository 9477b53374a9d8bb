import datetime
import importlib
from decimal import Decimal

from django.apps import apps

from campaigns.models import Campaign, CampaignStatus, Indicator, StandardVersion, VersionStatus
from campaigns.scoring import compute_totals
from campaigns.selectors import current_campaign, current_version

DOC_NUMBER = "冀研发【2014】1号"
data_migration = importlib.import_module("campaigns.migrations.0002_load_2014_campaign_and_trial_standard")


def campaign_2014():
    return Campaign.objects.get(doc_number=DOC_NUMBER)


def test_data_migration_creates_the_2014_campaign_active(db):
    campaign = campaign_2014()
    assert campaign.name == "河北省人文关怀心理疏导示范点创建活动"
    assert campaign.issuer == "河北省思想政治工作研究会"
    assert campaign.start_date == datetime.date(2014, 3, 13)
    assert campaign.status == CampaignStatus.ACTIVE
    assert current_campaign() == campaign


def test_data_migration_publishes_version_1_as_trial(db):
    version = current_version(campaign_2014())
    assert (version.number, version.label, version.status) == (1, "试行", VersionStatus.PUBLISHED)
    assert version.published_at is not None
    assert version.threshold_total == Decimal("85")
    assert version.category_min_ratio == Decimal("0.60")


def test_data_migration_has_four_categories_of_five_indicators(db):
    totals = compute_totals(current_version(campaign_2014()))
    assert [str(section.category) for section in totals.categories] == [
        "（一）组织管理工作",
        "（二）工作队伍建设",
        "（三）工作保障条件",
        "（四）基层服务工作",
    ]
    assert [len(section.indicators) for section in totals.categories] == [5, 5, 5, 5]
    assert totals.indicator_count == 20


def test_data_migration_indicator_texts_are_the_notices(db):
    texts = {
        (i.category.code, i.order): i.text
        for i in Indicator.objects.filter(category__version__campaign=campaign_2014()).select_related("category")
    }
    # Copied from 三、建设标准 of seed/notice-2014.txt.
    assert texts[("一", 1)] == "本地区（组织）领导重视，对新形势下人文关怀心理疏导工作的重要作用与地位有充分认识。"
    assert texts[("二", 2)] == (
        "建设以心理服务志愿者为主体的素质较高、专兼结合、专业互补、符合岗位要求的稳定的心理疏导工作队伍。"
    )
    assert texts[("三", 2)] == (
        "有符合专业设置、保证工作需要的个体咨询、团体咨询、办公、会议及等候等不同用途的工作场地。"
    )
    assert texts[("四", 5)] == (
        "整合资源、协同合作，在应对与预防个体心理危机、公共心理卫生事件或群体事件时有效发挥作用。"
    )
    assert len(texts) == 20


def test_data_migration_gives_5_points_each_and_100_in_all(db):
    version = current_version(campaign_2014())
    totals = compute_totals(version)
    assert {i.max_score for section in totals.categories for i in section.indicators} == {Decimal("5")}
    assert totals.max_total == Decimal("100")
    assert [section.max_total for section in totals.categories] == [Decimal("25")] * 4
    assert [section.minimum for section in totals.categories] == [Decimal("15")] * 4


def test_data_migration_writes_guidance_and_evidence_for_every_indicator(db):
    indicators = Indicator.objects.filter(category__version__campaign=campaign_2014())
    assert indicators.filter(guidance="").count() == 0
    assert indicators.filter(evidence="").count() == 0
    assert indicators.exclude(guidance__contains="得5分").count() == 0


def test_data_migration_reverses_and_reapplies(db):
    data_migration.unload_campaign(apps, None)
    assert Campaign.objects.filter(doc_number=DOC_NUMBER).count() == 0
    assert StandardVersion.objects.filter(campaign__doc_number=DOC_NUMBER).count() == 0
    data_migration.load_campaign(apps, None)
    assert Indicator.objects.filter(category__version__campaign=campaign_2014()).count() == 20
