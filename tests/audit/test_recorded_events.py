"""Changes the issue names are each one audit record with who, role, what and result:
here the ones this part added (scores and veto items as typed)."""

from decimal import Decimal

import pytest

from audit.models import AuditRecord
from inspections.services.scoring import save_score, set_vetoes
from tests.inspections import factories


@pytest.fixture
def sheet(world):
    return factories.planned(world).sheets.get(inspector__user=world.inspector)


def first_indicator(sheet):
    return sheet.inspection.application.version.categories.order_by("order").first().indicators.order_by("order")[0]


def test_every_change_of_a_score_is_recorded(world, sheet):
    indicator = first_indicator(sheet)
    save_score(actor=world.inspector, sheet=sheet, indicator_id=indicator.pk, score=Decimal("4.5"), comment="档案不全")
    save_score(actor=world.inspector, sheet=sheet, indicator_id=indicator.pk, score=Decimal("4.5"), comment="档案不全")
    save_score(actor=world.inspector, sheet=sheet, indicator_id=indicator.pk, score=Decimal("3"), comment="档案不全")
    records = list(AuditRecord.objects.filter(action="scoresheet.score").order_by("id"))
    assert [r.details for r in records] == [
        {"indicator": indicator.pk, "changed": {"score": ["", "4.5"], "comment": ["", "档案不全"]}},
        {"indicator": indicator.pk, "changed": {"score": ["4.5", "3"]}},
    ]
    assert {(r.actor_id, r.actor_role, r.object_id, r.result) for r in records} == {
        (world.inspector.pk, "inspector", str(sheet.pk), "success")
    }


def test_a_change_of_veto_items_is_recorded(world, sheet):
    veto = sheet.inspection.application.version.veto_items.create(order=99, text="发生重大安全事故")
    set_vetoes(actor=world.inspector, sheet=sheet, veto_ids=[veto.pk], note="发现问题")
    set_vetoes(actor=world.inspector, sheet=sheet, veto_ids=[veto.pk], note="发现问题")
    [record] = AuditRecord.objects.filter(action="scoresheet.vetoes")
    assert record.details == {
        "before": {"vetoes": [], "veto_note": ""},
        "after": {"vetoes": [veto.pk], "veto_note": "发现问题"},
    }
