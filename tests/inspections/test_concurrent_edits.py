"""Concurrent edits in inspections: an expert's entry (two provincial officers), an
inspection's plan (visit and team), and a scoresheet row (the same expert on two
devices, or an offline draft sent again later)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from inspections.models import Inspector, SheetScore
from tests.concurrency import assert_refused, audit_count, edit_token
from tests.factories import make_user
from tests.inspections import factories
from tests.inspections.test_expert_pool import form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def officers(world, client_for):
    colleague = make_user(role=Role.PROVINCE_STAFF, organisation=world.province, username="pstaff2")
    return client_for(world.province_staff), client_for(colleague), colleague


def test_concurrent_edits_of_an_expert_refuse_the_second_save(officers):
    first, second, colleague = officers
    expert = Inspector.objects.create(name="李明", phone="13812345678", employer="河北师范大学")
    url = reverse("inspections:expert-edit", kwargs={"pk": expert.pk})
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert second.post(url, form_data(notes="乙：擅长团体辅导", edit_token=token_second)).status_code == 302
    before = audit_count()

    refused = first.post(url, form_data(notes="甲：擅长危机干预", edit_token=token_first))

    assert_refused(refused, typed="甲：擅长危机干预", by=colleague.username, status=(422,))
    assert "乙：擅长团体辅导" in refused.content.decode()
    assert Inspector.objects.get(pk=expert.pk).notes == "乙：擅长团体辅导"
    assert audit_count() == before


def test_concurrent_edits_of_an_expert_single_save_works(officers):
    first, _second, _colleague = officers
    expert = Inspector.objects.create(name="李明", phone="13812345678", employer="河北师范大学")
    url = reverse("inspections:expert-edit", kwargs={"pk": expert.pk})
    token = edit_token(first.get(url))

    assert first.post(url, form_data(notes="擅长危机干预", edit_token=token)).status_code == 302

    assert Inspector.objects.get(pk=expert.pk).notes == "擅长危机干预"


def _plan_data(inspection, inspectors, **changes):
    return {
        "visit_date": inspection.visit_date.isoformat(),
        "place": inspection.place,
        "notes": inspection.notes,
        "leader": str(inspectors[0].pk),
        "members": [str(i.pk) for i in inspectors[1:]],
        **changes,
    }


def test_concurrent_edits_of_an_inspection_plan_refuse_the_second_save(world, officers):
    first, second, colleague = officers
    inspectors = factories.pool(world, 3)
    inspection = factories.planned(world, team=inspectors)
    url = reverse("inspections:edit", args=[inspection.pk])
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert (
        second.post(url, _plan_data(inspection, inspectors, place="乙定的地点", edit_token=token_second)).status_code
        == 302
    )
    before = audit_count()

    refused = first.post(url, _plan_data(inspection, inspectors, place="甲定的地点", edit_token=token_first))

    assert_refused(refused, typed="甲定的地点", by=colleague.username, status=(422,))
    inspection.refresh_from_db()
    assert inspection.place == "乙定的地点"
    assert audit_count() == before


def test_concurrent_edits_of_an_inspection_plan_single_save_works(world, officers):
    first, _second, _colleague = officers
    inspectors = factories.pool(world, 3)
    inspection = factories.planned(world, team=inspectors)
    url = reverse("inspections:edit", args=[inspection.pk])
    token = edit_token(first.get(url))

    assert first.post(url, _plan_data(inspection, inspectors, place="新地点", edit_token=token)).status_code == 302

    inspection.refresh_from_db()
    assert inspection.place == "新地点"


@pytest.fixture
def sheet(world):
    return factories.planned(world).sheets.get(inspector__user=world.inspector)


def _indicator(sheet):
    return sheet.inspection.application.version.categories.order_by("order").first().indicators.order_by("order")[0]


def _save_score(client, sheet, indicator, *, score, comment, token, htmx=False):
    prefix = f"i{indicator.pk}"
    return client.post(
        reverse("inspections:score-save", args=[sheet.pk, indicator.pk]),
        {f"{prefix}-score": score, f"{prefix}-comment": comment, f"{prefix}-edit_token": token},
        **(HTMX if htmx else {}),
    )


def test_concurrent_edits_of_a_score_refuse_an_offline_draft_sent_later(world, client_for, sheet):
    indicator = _indicator(sheet)
    page = reverse("inspections:sheet", args=[sheet.pk])
    name = f"i{indicator.pk}-edit_token"
    phone, tablet = client_for(world.inspector), client_for(world.inspector)
    token_phone, token_tablet = edit_token(phone.get(page), name), edit_token(tablet.get(page), name)
    saved = _save_score(tablet, sheet, indicator, score="4", comment="平板上：档案不全", token=token_tablet, htmx=True)
    assert saved.status_code == 200

    replayed = _save_score(phone, sheet, indicator, score="5", comment="手机离线写的", token=token_phone, htmx=True)

    assert_refused(replayed, typed="平板上：档案不全", status=(409,))
    row = SheetScore.objects.get(sheet=sheet, indicator=indicator)
    assert (row.score, row.comment) == (Decimal("4"), "平板上：档案不全")
    # Without JavaScript the whole page comes back with what was typed and the saved version.
    refused = _save_score(phone, sheet, indicator, score="5", comment="手机离线写的", token=token_phone)
    assert_refused(refused, typed="手机离线写的", status=(422,))
    # With the token the refusal carried, the merged row is saved.
    current = re.search(r'data-pending-token="([0-9a-f]+)"', replayed.content.decode())[1]
    merged = _save_score(phone, sheet, indicator, score="4", comment="档案不全；台账已补", token=current, htmx=True)
    assert merged.status_code == 200
    assert SheetScore.objects.get(sheet=sheet, indicator=indicator).comment == "档案不全；台账已补"


def test_concurrent_edits_of_a_score_first_score_on_two_devices(world, client_for, sheet):
    indicator = _indicator(sheet)
    page = reverse("inspections:sheet", args=[sheet.pk])
    name = f"i{indicator.pk}-edit_token"
    phone, tablet = client_for(world.inspector), client_for(world.inspector)
    token_phone, token_tablet = edit_token(phone.get(page), name), edit_token(tablet.get(page), name)
    assert _save_score(tablet, sheet, indicator, score="3", comment="甲", token=token_tablet).status_code == 302

    refused = _save_score(phone, sheet, indicator, score="5", comment="乙", token=token_phone)

    assert_refused(refused, typed="乙", status=(422,))
    assert SheetScore.objects.get(sheet=sheet, indicator=indicator).score == Decimal("3")
