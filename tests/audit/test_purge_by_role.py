"""PostgreSQL: no session setting opens the audit table. A role with a DELETE grant, and
the application's own role (deploy/database_roles.py), cannot delete audit records even
with SET LOCAL audit.purge = 'on'; the application purges records past the retention
only through the SECURITY DEFINER function audit_purge_expired, which refuses younger
records; and it cannot disable the triggers."""

import uuid
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.chain import verify_chain
from audit.checks import check_application_database_role
from audit.models import AuditRecord
from audit.retention import purge_expired
from audit.services import record_event
from deploy.database_roles import app_grants

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and grants are PostgreSQL's"),
]


def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def make_role():
    """A role made inside the test's transaction (gone with its rollback)."""

    def make(*grants: str) -> str:
        name = f"test_role_{uuid.uuid4().hex[:12]}"
        execute(f"CREATE ROLE {name} NOLOGIN")
        for grant in grants:
            execute(grant.format(role=name))
        return name

    return make


@pytest.fixture
def app_role(make_role):
    role = make_role()
    for statement in app_grants(role):
        execute(statement)
    return role


@contextmanager
def as_role(name):
    execute(f"SET ROLE {name}")
    try:
        yield
    finally:
        execute("RESET ROLE")


def refused(sql, params=()) -> bool:
    try:
        with transaction.atomic():
            execute(sql, params)
    except DatabaseError:
        return True
    return False


def old_records(world, count, *, days=365):
    with mock.patch("audit.services.timezone.now", return_value=timezone.now() - timedelta(days=days)):
        return [record_event(actor=world.province_staff, action="tests.event") for _ in range(count)]


def test_a_role_with_a_delete_grant_cannot_purge_with_the_session_setting(world, make_role):
    records = old_records(world, 2)
    deleter = make_role("GRANT SELECT, DELETE ON audit_auditrecord TO {role}")
    with as_role(deleter):
        assert refused("SET LOCAL audit.purge = 'on'; DELETE FROM audit_auditrecord WHERE id = %s", [records[0].pk])
    assert AuditRecord.objects.filter(pk=records[0].pk).exists()


def test_the_application_role_cannot_delete_change_or_truncate_audit_records(world, app_role):
    records = old_records(world, 1)
    with as_role(app_role):
        assert refused("SET LOCAL audit.purge = 'on'; DELETE FROM audit_auditrecord WHERE id = %s", [records[0].pk])
        assert refused("UPDATE audit_auditrecord SET actor_name = 'x' WHERE id = %s", [records[0].pk])
        assert refused("TRUNCATE audit_auditrecord")
        assert refused("ALTER TABLE audit_auditrecord DISABLE TRIGGER ALL")
        assert refused("SET session_replication_role = replica")
    assert AuditRecord.objects.get(pk=records[0].pk).actor_name == world.province_staff.username


def test_the_application_role_owns_no_table(app_role):
    assert execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s", [app_role]) == [(0,)]


def test_the_application_role_purges_through_the_function(world, app_role, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    old = old_records(world, 3)
    kept = old_records(world, 1, days=10)
    with as_role(app_role):
        purge = purge_expired()
        assert verify_chain().first_break is None
    assert purge.deleted == 3
    assert not AuditRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditRecord.objects.filter(pk=kept[0].pk).exists()


@pytest.mark.parametrize(("days_old", "keep_days"), [(10, 180), (365, 30)], ids=["young-records", "short-retention"])
def test_the_function_refuses_records_within_the_retention(world, app_role, days_old, keep_days):
    records = old_records(world, 2, days=days_old)
    with as_role(app_role):
        assert refused("SELECT audit_purge_expired(%s, %s)", [records[-1].pk, keep_days])
    assert AuditRecord.objects.filter(pk__in=[r.pk for r in records]).count() == 2


def test_the_production_check_refuses_an_owner_or_superuser_connection(settings, app_role):
    settings.PRODUCTION = True
    assert [error.id for error in check_application_database_role(None, databases=["default"])] == ["audit.E005"]
    with as_role(app_role):
        assert check_application_database_role(None, databases=["default"]) == []
