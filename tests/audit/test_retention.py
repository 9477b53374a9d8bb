"""Records are kept AUDIT_RETENTION_DAYS (never fewer than 180); the purge removes only
older ones and leaves a chain that still verifies from its anchor."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.chain import verify_chain
from audit.models import AuditRecord, ChainHead
from audit.retention import purge_expired
from audit.services import record_event
from core.checks import check_audit_retention


@pytest.mark.parametrize(("days", "errors"), [(179, ["audit.E001"]), (30, ["audit.E001"]), (180, []), (400, [])])
def test_retention_under_180_days_is_refused_at_start(settings, days, errors):
    settings.AUDIT_RETENTION_DAYS = days
    assert [error.id for error in check_audit_retention(None)] == errors


def records_written(world, *, days_ago: list[int]):
    """Records written `days_ago` (in that order), as if the clock had said so."""
    from unittest import mock

    records = []
    for days in days_ago:
        with mock.patch("audit.services.timezone.now", return_value=timezone.now() - timedelta(days=days)):
            records.append(record_event(actor=world.province_staff, action="tests.event", details={"days": days}))
    return records


def test_purge_deletes_only_records_past_the_retention(world, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    old = records_written(world, days_ago=[400, 300, 181])
    kept = records_written(world, days_ago=[179, 10, 0])
    purge = purge_expired()
    assert purge.deleted == 3
    remaining = set(AuditRecord.objects.values_list("pk", flat=True))
    assert {r.pk for r in old} & remaining == set()
    assert {r.pk for r in kept} <= remaining


def test_the_chain_verifies_from_the_anchor_after_a_purge(world, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    old = records_written(world, days_ago=[400, 200])
    records_written(world, days_ago=[100, 1])
    purge_expired()
    head = ChainHead.objects.get()
    assert (head.anchor_record_id, head.anchor_hash) == (old[-1].pk, old[-1].hash)
    verification = verify_chain()
    assert verification.first_break is None
    assert verification.checked == 3  # the two kept and the purge's own record


def test_purge_is_audited(world, settings):
    records_written(world, days_ago=[365])
    purge_expired(actor=None)
    record = AuditRecord.objects.get(action="audit.purge")
    assert (record.details["deleted"], record.details["retention_days"]) == (1, settings.AUDIT_RETENTION_DAYS)


def test_purge_with_nothing_expired_deletes_nothing(world):
    kept = records_written(world, days_ago=[5])
    assert purge_expired().deleted == 0
    assert AuditRecord.objects.filter(pk=kept[0].pk).exists()
    assert verify_chain().first_break is None


def test_purge_in_batches_keeps_the_chain(world, settings, monkeypatch):
    import audit.retention

    monkeypatch.setattr(audit.retention, "PURGE_BATCH", 2)
    records_written(world, days_ago=[500, 400, 300, 200, 190])
    records_written(world, days_ago=[3])
    assert purge_expired().deleted == 5
    assert verify_chain().first_break is None


def test_purge_command_deletes_expired_records(world, capsys):
    records_written(world, days_ago=[365, 1])
    call_command("purge_audit")
    assert "deleted 1 records" in capsys.readouterr().out
    assert verify_chain().first_break is None


def test_a_purge_that_removes_everything_still_verifies(world):
    records_written(world, days_ago=[365, 364])
    purge_expired()
    assert verify_chain().first_break is None
