"""The naming decision: certificate numbers, the announcement and its notice, declining,
and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from applications import services as application_services
from applications.models import State
from audit.models import AuditRecord
from campaigns.selectors import current_campaign
from designations.models import Designation, NamingAnnouncement
from designations.services.naming import announce_naming
from notices.models import State as NoticeState
from notifications.models import Notification
from tests.designations import factories
from tests.factories import make_organisation, make_user
from tests.inspections import factories as inspection_factories


def _scored_in(world, parent, *, score=Decimal("5")):
    operator = make_user(role="unit", organisation=make_organisation(parent=parent))
    application = inspection_factories.awaiting(world, operator=operator)
    inspection = inspection_factories.finalised(world, application=application)
    return inspection.application


def _form(**changes):
    return {
        "title": "关于命名示范点的决定",
        "doc_number": "冀研字〔2026〕9号",
        "issued_on": "2026-11-20",
        "issuer": "河北省思想政治工作研究会",
        **changes,
    }


def test_the_admin_names_scored_sites_with_consecutive_certificate_numbers(world, client_for):
    first = factories.scored(world)
    second = _scored_in(world, world.tangshan)
    response = client_for(world.province_admin).post(
        reverse("designations:announce"), {**_form(), "applications": [str(second.pk), str(first.pk)]}
    )
    announcement = NamingAnnouncement.objects.get()
    assert response.status_code == 302
    numbers = dict(Designation.objects.values_list("application_id", "certificate_number"))
    assert numbers == {first.pk: "冀人文心理示范〔2026〕第001号", second.pk: "冀人文心理示范〔2026〕第002号"}
    first.refresh_from_db()
    assert first.state == State.NAMED
    assert announcement.notice.state == NoticeState.PUBLISHED
    assert "冀人文心理示范〔2026〕第001号" in announcement.notice.body
    assert Notification.objects.filter(kind="application.name", recipient=world.sjz_operator).count() == 1
    assert AuditRecord.objects.filter(action="application.name").count() == 2
    assert AuditRecord.objects.filter(action="designation.announce").count() == 1


def test_the_naming_notice_reads_as_an_official_document(world, client_for):
    first = factories.scored(world)
    second = _scored_in(world, world.tangshan)
    with translation.override("en"):  # whoever announces it, the notice is Chinese
        announcement = factories.announce(world, [first, second], issued_on=datetime.date(2026, 11, 20))
    lines = announcement.notice.body.split("\n")
    assert lines[0] == "各市、行业（系统）政研会，各有关单位："
    campaign = first.campaign
    assert f"根据《{campaign.name}》（{campaign.doc_number}）要求" in lines[2]
    assert "决定命名以下 2 个单位为“河北省人文关怀心理疏导示范点”：" in lines[2]
    assert lines[4:6] == [
        "1. 石家庄第一中学（证书编号：冀人文心理示范〔2026〕第001号）",
        f"2. {second.unit.name}（证书编号：冀人文心理示范〔2026〕第002号）",
    ]
    assert lines[-3:] == ["河北省思想政治工作研究会", "", "2026年11月20日"]
    page = client_for(world.sjz_operator).get(reverse("notices:detail", args=[announcement.notice.pk])).content.decode()
    assert "<ol>" in page
    assert announcement.notice.title == "关于命名河北省人文关怀心理疏导示范点的决定"


def test_numbers_stay_gap_free_when_an_announcement_is_refused(world):
    factories.named(world)
    failing = _scored_in(world, world.tangshan)
    not_scored = inspection_factories.awaiting(world, operator=world.ts_operator)
    with pytest.raises(ValidationError):
        factories.announce(world, [failing, not_scored])
    assert Designation.objects.count() == 1
    named = factories.announce(world, [failing]).designations.get()
    assert named.certificate_number == "冀人文心理示范〔2026〕第002号"


def test_a_new_year_starts_again_at_one(world):
    factories.named(world, issued_on=datetime.date(2026, 12, 30))
    application = _scored_in(world, world.tangshan)
    designation = factories.announce(world, [application], issued_on=datetime.date(2027, 1, 5)).designations.get()
    assert designation.certificate_number == "冀人文心理示范〔2027〕第001号"


def test_the_campaign_pattern_makes_the_number(world):
    campaign = current_campaign()
    campaign.certificate_pattern = "HB-{year}-{serial:04d}"
    campaign.save(update_fields=["certificate_pattern"])
    assert factories.named(world).certificate_number == "HB-2026-0001"


def test_an_application_that_does_not_meet_the_standard_cannot_be_named(world, client_for):
    inspection = inspection_factories.planned(world)
    for sheet in inspection.sheets.all():
        inspection_factories.score_sheet(sheet, Decimal("4"))
    leader = inspection.members.get(is_leader=True).inspector.user
    inspection_factories.scoring.finalise_inspection(actor=leader, inspection=inspection)
    response = client_for(world.province_admin).post(
        reverse("designations:announce"), {**_form(), "applications": [str(inspection.application_id)]}
    )
    assert response.status_code == 422
    assert "石家庄第一中学" in response.content.decode()
    assert not Designation.objects.exists()
    assert not NamingAnnouncement.objects.exists()


def test_a_document_number_used_before_is_refused_next_to_the_field(world, client_for):
    factories.named(world)
    application = _scored_in(world, world.tangshan)
    used = NamingAnnouncement.objects.get().doc_number
    response = client_for(world.province_admin).post(
        reverse("designations:announce"), {**_form(doc_number=used), "applications": [str(application.pk)]}
    )
    assert response.status_code == 422
    assert '<div class="invalid-feedback d-block" data-field-error="doc_number">已有使用该文号的命名公告。</div>' in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.state == State.SCORED


def test_nothing_chosen_is_refused(world, client_for):
    factories.scored(world)
    response = client_for(world.province_admin).post(reverse("designations:announce"), _form())
    assert response.status_code == 422
    assert not NamingAnnouncement.objects.exists()


def test_staff_see_the_scored_list_but_only_the_admin_names(world, client_for):
    application = factories.scored(world)
    page = client_for(world.province_staff).get(reverse("designations:scored"))
    assert f'data-application="{application.pk}"' in page.content.decode()
    assert 'data-testid="announce"' not in page.content.decode()
    refused = client_for(world.province_staff).post(
        reverse("designations:announce"), {**_form(), "applications": [str(application.pk)]}
    )
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        announce_naming(
            actor=world.province_staff,
            campaign=application.campaign,
            applications=[application],
            title="t",
            doc_number="d",
            issued_on=datetime.date(2026, 11, 20),
            issuer="i",
        )


def test_declining_needs_reasons_and_lets_the_unit_apply_again(world, client_for):
    application = factories.scored(world)
    client = client_for(world.province_admin)
    refused = client.post(reverse("designations:decline", args=[application.pk]), {"reason": ""})
    assert refused.status_code == 422
    client.post(reverse("designations:decline", args=[application.pk]), {"reason": "基础台账不完善"})
    application.refresh_from_db()
    assert application.state == State.NOT_NAMED
    assert AuditRecord.objects.get(action="application.decline").reason == "基础台账不完善"
    assert Notification.objects.filter(kind="application.decline", recipient=world.sjz_operator).exists()
    again = application_services.start_application(
        actor=world.sjz_operator, unit=world.sjz_unit, campaign=current_campaign()
    )
    assert again.pk != application.pk
    assert again.state == State.DRAFT


@pytest.mark.parametrize("who", ["sjz_association", "sjz_operator", "inspector"])
def test_the_naming_pages_are_for_the_province_only(world, client_for, who):
    application = factories.scored(world)
    client = client_for(getattr(world, who))
    assert client.get(reverse("designations:scored")).status_code == 403
    assert client.get(reverse("designations:decline", args=[application.pk])).status_code == 403


def test_a_unit_sees_its_own_site_and_not_another(world, client_for):
    own = factories.named(world)
    other = factories.announce(world, [_scored_in(world, world.tangshan)]).designations.get()
    client = client_for(world.sjz_operator)
    assert client.get(reverse("designations:site", args=[own.pk])).status_code == 200
    assert client.get(reverse("designations:site", args=[other.pk])).status_code == 404
    listing = client.get(reverse("designations:sites")).content.decode()
    assert f'data-designation="{own.pk}"' in listing
    assert f'data-designation="{other.pk}"' not in listing
    tangshan = client_for(world.ts_association)
    assert tangshan.get(reverse("designations:site", args=[own.pk])).status_code == 404
    assert tangshan.get(reverse("designations:site", args=[other.pk])).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_the_scored_list_query_count_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries, rows):
    for _index in range(rows):
        _scored_in(world, world.tangshan)
    client = client_for(world.province_admin)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("designations:scored"))
    assert response.content.decode().count("data-application=") == rows
