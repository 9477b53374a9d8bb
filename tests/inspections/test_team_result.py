"""The team's result: finalised by the leader once every sheet is in, aggregated by the
campaign's method, thresholds and veto applied, frozen with its version."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.models import State
from audit.models import AuditRecord
from campaigns.models import AggregationMethod
from inspections.models import InspectionStatus, Result
from inspections.services import scoring
from tests.inspections import factories


def _team_of(world, size):
    campaign = factories.application_factories.campaign()
    campaign.team_size = size
    campaign.save(update_fields=["team_size"])
    return factories.pool(world, size)


def _score_all(inspection, per_sheet):
    sheets = list(inspection.sheets.order_by("pk"))
    for sheet, scores in zip(sheets, per_sheet, strict=True):
        factories.score_sheet(sheet, scores)
    return sheets


def _leader(inspection):
    return inspection.members.get(is_leader=True).inspector.user


def test_the_leader_finalises_and_the_application_is_scored(world, client_for):
    inspection = factories.planned(world)
    _score_all(inspection, [Decimal("5"), Decimal("4.5"), Decimal("4")])
    response = client_for(world.inspector).post(reverse("inspections:finalise", args=[inspection.pk]))
    inspection.refresh_from_db()
    result = inspection.result
    assert response.status_code == 302
    assert inspection.status == InspectionStatus.FINALISED
    assert inspection.application.state == State.SCORED
    assert result.total == Decimal("90.00")
    assert result.meets_standard is True
    assert result.version == inspection.application.version
    assert AuditRecord.objects.filter(action="application.score").count() == 1
    assert AuditRecord.objects.filter(action="inspection.finalise").count() == 1


def test_finalising_before_every_sheet_is_in_is_refused(world):
    inspection = factories.planned(world)
    sheets = list(inspection.sheets.order_by("pk"))
    factories.score_sheet(sheets[0], Decimal("5"))
    with pytest.raises(ValidationError) as caught:
        scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    assert "尚未全部提交" in caught.value.messages[0]
    inspection.refresh_from_db()
    assert inspection.application.state == State.AWAITING_INSPECTION
    assert not Result.objects.exists()


def test_only_the_leader_may_finalise(world):
    inspection = factories.planned(world)
    _score_all(inspection, [Decimal("5")] * 3)
    member = inspection.members.filter(is_leader=False).first().inspector.user
    with pytest.raises(PermissionDenied):
        scoring.finalise_inspection(actor=member, inspection=inspection)
    with pytest.raises(PermissionDenied):
        scoring.finalise_inspection(actor=world.province_staff, inspection=inspection)


def test_a_final_result_cannot_be_finalised_twice_nor_a_sheet_reopened(world):
    inspection = factories.finalised(world)
    leader = _leader(inspection)
    with pytest.raises(ValidationError):
        scoring.finalise_inspection(actor=leader, inspection=inspection)
    with pytest.raises(ValidationError):
        scoring.reopen_sheet(actor=leader, sheet=inspection.sheets.first(), reason="想改")
    with pytest.raises(ValueError, match="cannot be changed"):
        inspection.result.save()


def test_a_total_under_the_threshold_does_not_meet_the_standard(world):
    inspection = factories.planned(world)
    _score_all(inspection, [Decimal("4")] * 3)
    result = scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    assert result.total == Decimal("80.00")
    assert result.meets_standard is False
    assert [r["code"] for r in result.data["reasons"]] == ["total"]


def test_a_category_under_its_minimum_fails_even_with_a_high_total(world):
    inspection = factories.planned(world)
    low_first_category = [Decimal("2.5")] * 5 + [Decimal("5")] * 15  # 12.5 of 25, minimum 15; total 87.5
    _score_all(inspection, [low_first_category] * 3)
    result = scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    assert result.total == Decimal("87.50")
    assert result.meets_standard is False
    assert [r["code"] for r in result.data["reasons"]] == ["category"]


def test_a_veto_item_found_by_one_inspector_vetoes_the_result(world):
    inspection = factories.planned(world)
    version = inspection.application.version
    veto = version.veto_items.create(order=99, text="发生重大安全事故")
    sheets = list(inspection.sheets.order_by("pk"))
    scoring.set_vetoes(actor=sheets[1].inspector.user, sheet=sheets[1], veto_ids=[veto.pk], note="2026年发生事故")
    for sheet in sheets:
        factories.score_sheet(sheet, Decimal("5"))
    result = scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    assert result.total == Decimal("100.00")
    assert result.vetoed is True
    assert result.meets_standard is False
    assert result.data["reasons"][0] == {"code": "vetoed", "items": ["发生重大安全事故"]}


def test_a_veto_without_what_it_rests_on_stops_the_submission(world):
    inspection = factories.planned(world)
    veto = inspection.application.version.veto_items.create(order=99, text="弄虚作假")
    sheet = inspection.sheets.first()
    scoring.set_vetoes(actor=sheet.inspector.user, sheet=sheet, veto_ids=[veto.pk], note="")
    with pytest.raises(ValidationError) as caught:
        factories.score_sheet(sheet, Decimal("5"))
    assert caught.value.messages == ["请说明发现一票否决事项的依据。"]


def test_the_trimmed_mean_drops_one_highest_and_one_lowest_with_five_inspectors(world):
    _team_of(world, 5)
    factories.application_factories.campaign().__class__.objects.update(aggregation_method=AggregationMethod.TRIMMED)
    inspection = factories.planned(world)
    _score_all(inspection, [Decimal("5"), Decimal("0"), Decimal("4"), Decimal("4"), Decimal("4.5")])
    result = scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    row = result.data["indicators"][0]
    assert row["value"] == "4.17"
    assert row["dropped"] == ["0", "5"]
    assert row["flagged"] is True
    assert row["spread"] == "5"


def test_the_plain_mean_keeps_every_score(world):
    _team_of(world, 5)
    inspection = factories.planned(world)
    _score_all(inspection, [Decimal("5"), Decimal("0"), Decimal("4"), Decimal("4"), Decimal("4.5")])
    result = scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    assert result.data["indicators"][0]["value"] == "3.50"
    assert result.data["indicators"][0]["dropped"] == []


def test_indicators_within_the_spread_limit_are_not_flagged(world):
    inspection = factories.planned(world)
    _score_all(inspection, [Decimal("5"), Decimal("3"), Decimal("4")])
    result = scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    assert {row["flagged"] for row in result.data["indicators"]} == {False}
    assert {row["spread"] for row in result.data["indicators"]} == {"2"}


def test_the_agreement_is_reported_on_the_page(world, client_for):
    inspection = factories.planned(world)
    varied = [Decimal(v) for v in ["5", "4", "3", "5", "2"] * 4]
    shifted = [min(v + Decimal("0.5"), Decimal("5")) for v in varied]
    _score_all(inspection, [varied, shifted, varied])
    scoring.finalise_inspection(actor=_leader(inspection), inspection=inspection)
    inspection.refresh_from_db()
    agreement = inspection.result.data["agreement"]
    assert agreement["targets"] == 20
    assert agreement["raters"] == 3
    assert 0.8 < agreement["single"] <= 1
    html = client_for(world.province_staff).get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert f"ICC(2,1) = <strong>{agreement['single']:.2f}</strong>" in html


def test_the_result_is_frozen_with_the_version_it_used(world):
    inspection = factories.finalised(world)
    result = inspection.result
    assert result.data["version"]["id"] == inspection.application.version_id
    assert len(result.data["indicators"]) == 20
    assert [person["leader"] for person in result.data["team"]] == [True, False, False]
