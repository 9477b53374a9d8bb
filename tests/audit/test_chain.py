"""The hash chain: every record sealed and linked; the verifier finds the first broken
link, whatever an intruder changed below the application."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.chain import verify_chain
from audit.models import AuditRecord, ChainHead
from audit.services import record_event
from tests.audit.tampering import raw_sql


def write_records(world, count=5):
    return [
        record_event(actor=world.province_staff, action="tests.event", obj=world.sjz_unit, details={"n": n, "x": [1.5]})
        for n in range(count)
    ]


def test_records_are_sealed_and_linked_in_order(world):
    records = write_records(world, 3)
    stored = list(AuditRecord.objects.filter(pk__in=[r.pk for r in records]).order_by("id"))
    assert [r.prev_hash for r in stored[1:]] == [r.hash for r in stored[:2]]
    assert [r.hash for r in stored] == [r.hash for r in records]
    assert all(len(r.hash) == 64 for r in stored)
    assert ChainHead.objects.get().last_record_id == records[-1].pk
    assert verify_chain().first_break is None


def test_verification_finds_a_changed_field_on_exactly_that_record(world):
    records = write_records(world)
    raw_sql("UPDATE audit_auditrecord SET actor_name = %s WHERE id = %s", ["intruder", records[2].pk])
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[2].pk, "content")


def test_verification_finds_changed_details_on_exactly_that_record(world):
    records = write_records(world)
    raw_sql("UPDATE audit_auditrecord SET result = 'failed' WHERE id = %s", [records[1].pk])
    assert verify_chain().first_break.record_id == records[1].pk


def test_verification_finds_a_record_resealed_by_the_intruder_at_the_next_link(world):
    from audit.chain import seal

    records = write_records(world)
    target = AuditRecord.objects.get(pk=records[2].pk)
    target.actor_name = "intruder"
    new_hash = seal(target, prev_hash=target.prev_hash)
    raw_sql("UPDATE audit_auditrecord SET actor_name = 'intruder', hash = %s WHERE id = %s", [new_hash, target.pk])
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[3].pk, "link")


def test_verification_finds_a_removed_record_at_the_next_one(world):
    records = write_records(world)
    raw_sql("DELETE FROM audit_auditrecord WHERE id = %s", [records[2].pk])
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[3].pk, "link")


def test_verification_finds_removed_last_records(world):
    records = write_records(world)
    raw_sql("DELETE FROM audit_auditrecord WHERE id >= %s", [records[3].pk])
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[2].pk, "tail")


def test_verify_command_reports_an_intact_chain(world, capsys):
    write_records(world)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_verify_command_names_the_first_broken_record(world):
    records = write_records(world)
    raw_sql("UPDATE audit_auditrecord SET object_repr = 'x' WHERE id = %s", [records[1].pk])
    with pytest.raises(CommandError, match=f"broken at record {records[1].pk} "):
        call_command("verify_audit")


def test_verification_reads_in_chunks(world, monkeypatch, django_assert_max_num_queries):
    import audit.chain

    monkeypatch.setattr(audit.chain, "CHUNK_SIZE", 2)
    write_records(world, 7)
    seen = []
    assert verify_chain(progress=lambda done, total: seen.append((done, total))).intact
    total = AuditRecord.objects.count()
    assert seen[-1] == (total, total)
    assert len(seen) == total // 2 + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    """Several threads (each with its own connection, as several servers would) append
    at once; the chain head's lock links every record to the one before."""
    errors = []

    def writer(n):
        try:
            for i in range(10):
                record_event(actor=None, action="tests.concurrent", details={"writer": n, "i": i})
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditRecord.objects.filter(action="tests.concurrent").count() == 40
    verification = verify_chain()
    assert verification.first_break is None
    assert verification.checked == AuditRecord.objects.count()


@pytest.mark.parametrize(
    ("address", "stored"), [("10.0.0.7", "10.0.0.7"), ("2001:DB8::1", "2001:db8::1"), ("unknown", None)]
)
def test_the_address_is_stored_as_the_database_gives_it_back(world, address, stored):
    from core.middleware import current_ip

    token = current_ip.set(address)
    try:
        record = record_event(actor=world.province_staff, action="tests.event")
    finally:
        current_ip.reset(token)
    assert AuditRecord.objects.get(pk=record.pk).ip == stored
    assert verify_chain().first_break is None
