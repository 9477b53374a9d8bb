"""The data migration seals the records written before the chain existed, in batches,
and its reverse empties the seals again."""

import importlib

from django.db import connection, models
from django.db.migrations.loader import MigrationLoader

from audit.chain import verify_chain
from audit.models import AuditRecord, ChainHead
from tests.audit.tampering import triggers_off

migration = importlib.import_module("audit.migrations.0003_seal_existing_records")


def historical_apps():
    """The models as the migration sees them (plain managers, no refusals)."""
    return MigrationLoader(connection).project_state(("audit", "0003_seal_existing_records")).apps


def unsealed_records(world, count):
    # As the log was before the chain: rows without seals, inserted below the services.
    return models.QuerySet(AuditRecord).bulk_create(
        [
            AuditRecord(
                actor=world.province_staff, actor_name="pstaff", action="old.event", details={"n": n}, key_id="sha256"
            )
            for n in range(count)
        ]
    )


def test_existing_records_are_sealed_in_batches(world, monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)
    ChainHead.objects.all().delete()
    unsealed_records(world, 5)
    with triggers_off():
        migration.seal_existing(historical_apps(), None)
    assert not AuditRecord.objects.filter(hash="").exists()
    assert verify_chain().first_break is None
    assert ChainHead.objects.get().last_record_id == AuditRecord.objects.order_by("id").last().pk


def test_the_sealing_is_reversible(world):
    unsealed_records(world, 3)
    with triggers_off():
        migration.seal_existing(historical_apps(), None)
        migration.unseal(historical_apps(), None)
    assert set(AuditRecord.objects.values_list("hash", flat=True)) == {""}
    assert not ChainHead.objects.exists()
