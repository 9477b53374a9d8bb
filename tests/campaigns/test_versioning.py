from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditRecord
from campaigns import services
from campaigns.models import CampaignStatus, StandardVersion, VersionStatus
from campaigns.scoring import compute_totals
from campaigns.selectors import current_version, draft_version
from tests.campaigns.factories import indicators_of, make_campaign, make_version


@pytest.fixture
def campaign(db):
    campaign = make_campaign()
    make_version(
        campaign=campaign, number=1, label="试行", veto_items=["发生重大安全责任事故"], threshold_total=Decimal("16")
    )
    return campaign


def actions():
    return list(AuditRecord.objects.order_by("id").values_list("action", "from_state", "to_state"))


def test_create_version_copies_the_latest_version_into_a_draft(world, campaign):
    source = current_version(campaign)
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    assert (draft.number, draft.status, draft.label) == (2, VersionStatus.DRAFT, "试行")
    assert (draft.threshold_total, draft.category_min_ratio) == (source.threshold_total, source.category_min_ratio)
    copied = [(i.category.code, i.order, i.text, i.max_score, i.guidance, i.evidence) for i in indicators_of(draft)]
    original = [(i.category.code, i.order, i.text, i.max_score, i.guidance, i.evidence) for i in indicators_of(source)]
    assert copied == original
    assert {i.pk for i in indicators_of(draft)}.isdisjoint({i.pk for i in indicators_of(source)})
    assert list(draft.veto_items.values_list("text", flat=True)) == ["发生重大安全责任事故"]
    assert actions() == [("standard.create", "", "draft")]


def test_create_version_of_a_new_campaign_copies_the_latest_published_standard(world, campaign):
    new_campaign = make_campaign(status=CampaignStatus.DRAFT)
    draft = services.create_version(actor=world.province_admin, campaign=new_campaign)
    assert draft.number == 1
    assert [i.text for i in indicators_of(draft)] == [i.text for i in indicators_of(current_version(campaign))]


def test_create_version_is_refused_while_a_draft_exists(world, campaign):
    services.create_version(actor=world.province_admin, campaign=campaign)
    with pytest.raises(ValidationError):
        services.create_version(actor=world.province_admin, campaign=campaign)
    assert StandardVersion.objects.filter(campaign=campaign).count() == 2


def test_create_version_is_refused_for_a_closed_campaign(world, campaign):
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    with pytest.raises(ValidationError):
        services.create_version(actor=world.province_admin, campaign=campaign)
    assert draft_version(campaign) is None


def test_update_draft_changes_indicator_and_thresholds(world, campaign):
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    indicator = indicators_of(draft)[0]
    services.update_draft(
        actor=world.province_admin,
        version=draft,
        settings={"label": "修订", "threshold_total": Decimal("20"), "category_min_ratio": Decimal("0.50")},
        indicators={indicator.pk: {"text": "新指标", "max_score": Decimal("10"), "guidance": "新说明"}},
        veto_items=["弄虚作假", "发生重大安全责任事故"],
    )
    draft.refresh_from_db()
    indicator.refresh_from_db()
    assert (draft.label, draft.threshold_total, draft.category_min_ratio) == ("修订", Decimal("20"), Decimal("0.50"))
    assert (indicator.text, indicator.max_score, indicator.guidance) == ("新指标", Decimal("10"), "新说明")
    assert compute_totals(draft).max_total == Decimal("25")
    assert list(draft.veto_items.values_list("text", flat=True)) == ["弄虚作假", "发生重大安全责任事故"]
    record = AuditRecord.objects.get(action="standard.update")
    assert record.details["changed"]["indicators"]["（一）1"]["max_score"] == ["5", "10"]
    assert record.details["changed"]["version"]["label"] == ["试行", "修订"]


def test_update_draft_without_changes_writes_no_audit(world, campaign):
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    services.update_draft(actor=world.province_admin, version=draft, settings={"label": "试行"}, indicators={})
    assert AuditRecord.objects.filter(action="standard.update").count() == 0


def test_update_draft_threshold_above_computed_maximum_changes_nothing(world, campaign):
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    indicator = indicators_of(draft)[0]
    with pytest.raises(ValidationError) as raised:
        services.update_draft(
            actor=world.province_admin,
            version=draft,
            settings={"threshold_total": Decimal("20")},
            indicators={indicator.pk: {"max_score": Decimal("1")}},
        )
    assert list(raised.value.message_dict) == ["threshold_total"]
    indicator.refresh_from_db()
    draft.refresh_from_db()
    assert (indicator.max_score, draft.threshold_total) == (Decimal("5"), Decimal("16"))


@pytest.mark.parametrize("max_score", [Decimal("0"), Decimal("-1"), Decimal("2.3")])
def test_update_draft_bad_max_score_changes_nothing(world, campaign, max_score):
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    indicator = indicators_of(draft)[0]
    with pytest.raises(ValidationError) as raised:
        services.update_draft(
            actor=world.province_admin,
            version=draft,
            settings={"label": "改了"},
            indicators={indicator.pk: {"max_score": max_score}},
        )
    assert raised.value.messages[0].startswith("（一）1: ")
    indicator.refresh_from_db()
    draft.refresh_from_db()
    assert (indicator.max_score, draft.label) == (Decimal("5"), "试行")


def test_update_draft_refuses_an_indicator_of_another_version(world, campaign):
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    foreign = indicators_of(current_version(campaign))[0]
    with pytest.raises(ValidationError):
        services.update_draft(
            actor=world.province_admin, version=draft, settings={}, indicators={foreign.pk: {"text": "改"}}
        )
    foreign.refresh_from_db()
    assert foreign.text == "指标1.1"


def test_publish_version_retires_the_previous_one(world, campaign):
    previous = current_version(campaign)
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    services.publish_version(actor=world.province_admin, version=draft)
    previous.refresh_from_db()
    draft.refresh_from_db()
    assert (previous.status, draft.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    assert previous.retired_at == draft.published_at
    assert current_version(campaign) == draft
    assert actions() == [
        ("standard.create", "", "draft"),
        ("standard.retire", "published", "retired"),
        ("standard.publish", "draft", "published"),
    ]


def test_publish_version_refuses_threshold_above_maximum(world, campaign):
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    StandardVersion.objects.filter(pk=draft.pk).update(threshold_total=Decimal("21"))
    with pytest.raises(ValidationError):
        services.publish_version(actor=world.province_admin, version=draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_discard_draft_deletes_it_and_its_content(world, campaign):
    draft = services.create_version(actor=world.province_admin, campaign=campaign)
    services.discard_draft(actor=world.province_admin, version=draft)
    assert list(campaign.versions.values_list("number", flat=True)) == [1]
    assert actions()[-1] == ("standard.discard", "draft", "")


@pytest.mark.parametrize(
    "role_user", ["province_staff", "sjz_association", "sjz_operator", "inspector", "system_admin"]
)
def test_version_services_refuse_everyone_but_the_province_admin(world, campaign, role_user):
    user = getattr(world, role_user)
    with pytest.raises(PermissionDenied):
        services.create_version(actor=user, campaign=campaign)
    draft = make_version(campaign=campaign, number=2, status=VersionStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.update_draft(actor=user, version=draft, settings={"label": "改"}, indicators={})
    with pytest.raises(PermissionDenied):
        services.publish_version(actor=user, version=draft)
    with pytest.raises(PermissionDenied):
        services.discard_draft(actor=user, version=draft)
    draft.refresh_from_db()
    assert (draft.status, draft.label) == (VersionStatus.DRAFT, "")


@pytest.mark.parametrize("status", [VersionStatus.DRAFT, VersionStatus.PUBLISHED])
def test_database_holds_one_draft_and_one_published_version_per_campaign(campaign, status):
    make_version(campaign=campaign, number=2, status=VersionStatus.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardVersion.objects.create(campaign=campaign, number=3, status=status)
