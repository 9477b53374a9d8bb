from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import Snapshot
from tests.applications import factories


def test_snapshot_keeps_what_was_submitted_whatever_changes_later(world):
    application = factories.submitted(world)
    frozen = application.snapshots.get().data
    row = application.indicators.first()
    # The province returns it; the unit then changes its score and account.
    services.register_application(actor=world.province_staff, application=application)
    services.review_application(actor=world.province_staff, application=application, decision="return", reason="补充")
    services.save_indicator(
        actor=world.sjz_operator,
        application=application,
        indicator_id=row.indicator_id,
        score=Decimal("1"),
        account="改",
    )
    assert application.snapshots.get(round=1).data == frozen
    assert frozen["total"] == "100"


def test_a_snapshot_row_cannot_be_saved_again(world):
    snapshot = factories.submitted(world).snapshots.get()
    snapshot.data = {"total": "0"}
    with pytest.raises(ValueError, match="cannot be changed"):
        snapshot.save()
    assert Snapshot.objects.get(pk=snapshot.pk).data["total"] == "100"


def test_a_submitted_application_refuses_edits(world):
    application = factories.submitted(world)
    row = application.indicators.first()
    with pytest.raises(ValidationError) as raised:
        services.save_indicator(
            actor=world.sjz_operator, application=application, indicator_id=row.indicator_id, score=None, account=""
        )
    assert raised.value.code == "frozen"
