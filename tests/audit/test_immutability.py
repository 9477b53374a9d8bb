"""Nobody changes or deletes an audit record from the application; on PostgreSQL (and,
for updates, SQLite) the database refuses too."""

import pytest
from django.db import DatabaseError, connection, models, transaction

from audit.models import AuditRecord, AuditRecordIsPermanent
from audit.services import record_event
from core.admin_site import admin_site


@pytest.fixture
def record(world):
    return record_event(actor=world.province_staff, action="tests.event", obj=world.sjz_unit)


def test_saving_an_existing_record_is_refused(record):
    record.action = "tests.changed"
    with pytest.raises(AuditRecordIsPermanent):
        record.save()
    with pytest.raises(AuditRecordIsPermanent):
        AuditRecord.objects.get(pk=record.pk).save()


def test_deleting_a_record_is_refused(record):
    with pytest.raises(AuditRecordIsPermanent):
        record.delete()
    with pytest.raises(AuditRecordIsPermanent):
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_bulk_changes_are_refused(record):
    with pytest.raises(AuditRecordIsPermanent):
        AuditRecord.objects.filter(pk=record.pk).update(action="tests.changed")
    with pytest.raises(AuditRecordIsPermanent):
        AuditRecord.objects.bulk_update([record], ["action"])
    with pytest.raises(AuditRecordIsPermanent):
        AuditRecord.objects.bulk_create([AuditRecord(action="tests.forged")])
    assert AuditRecord.objects.get(pk=record.pk).action == "tests.event"


def test_the_database_refuses_an_update_below_the_orm(record):
    with pytest.raises(DatabaseError), transaction.atomic():
        models.QuerySet(AuditRecord).filter(pk=record.pk).update(action="tests.changed")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET actor_name = 'x' WHERE id = %s", [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).action == "tests.event"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps DELETE open: Django empties its test databases with DELETE (docs/security.md)",
)
def test_postgresql_refuses_a_delete_below_the_orm(record):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id = %s", [record.pk])
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_the_admin_shows_no_audit_model():
    labels = {model._meta.app_label for model in admin_site._registry}
    assert "audit" not in labels
