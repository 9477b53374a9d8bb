"""The chain head is anchored outside the database (settings.AUDIT_ANCHOR_FILE): cutting
the end of the log off and setting the chain head back no longer verifies, nor does
removing the first records and moving the purge anchor forward."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from audit.anchoring import AnchorRefused, anchor_chain_head, latest_anchor
from audit.chain import verify_chain
from audit.models import AuditRecord, ChainHead
from audit.retention import purge_expired
from audit.services import record_event
from jobs.models import Job
from jobs.testing import run_queued_jobs
from tests.audit.tampering import raw_sql


def write_records(world, count):
    return [record_event(actor=world.province_staff, action="tests.event", details={"n": n}) for n in range(count)]


def anchor_lines(settings) -> list[dict]:
    return [json.loads(line) for line in settings.AUDIT_ANCHOR_FILE.read_text().splitlines()]


def cut_tail_and_set_head_back(records, keep: int) -> None:
    """What an intruder with the database's keys does: delete the last records and point
    the chain head at the last one kept."""
    last = records[keep - 1]
    raw_sql("DELETE FROM audit_auditrecord WHERE id > %s", [last.pk])
    raw_sql("UPDATE audit_chainhead SET last_record_id = %s, last_hash = %s WHERE id = 1", [last.pk, last.hash])


def test_the_command_appends_the_chain_head_with_a_seal(world, settings, capsys):
    records = write_records(world, 3)
    call_command("audit_anchor")
    write_records(world, 1)
    call_command("audit_anchor")
    lines = anchor_lines(settings)
    assert [line["last_id"] for line in lines] == [records[-1].pk, records[-1].pk + 1]
    assert lines[0]["last_hash"] == records[-1].hash
    assert {line["key_id"] for line in lines} == {settings.AUDIT_HMAC_KEY_ID}
    assert all(len(line["mac"]) == 64 for line in lines)
    assert latest_anchor().sealed is True
    assert f"anchored record {records[-1].pk}" in capsys.readouterr().out


def test_cutting_the_tail_and_setting_the_head_back_is_found(world):
    records = write_records(world, 6)
    anchor_chain_head()
    cut_tail_and_set_head_back(records, keep=3)
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[-1].pk, "anchored")
    assert (broken.expected, broken.found) == (records[-1].hash, "")


def test_records_written_after_the_anchor_verify(world):
    write_records(world, 2)
    anchor_chain_head()
    write_records(world, 2)
    assert verify_chain().first_break is None


def test_a_forged_anchor_line_is_reported(world, settings):
    records = write_records(world, 2)
    anchor_chain_head()
    line = anchor_lines(settings)[-1]
    forged = {**line, "last_id": records[0].pk, "last_hash": records[0].hash}
    with settings.AUDIT_ANCHOR_FILE.open("a") as file:
        file.write(json.dumps(forged) + "\n")
    assert verify_chain().first_break.problem == "anchor_seal"


def test_no_anchor_is_written_over_a_cut_log_and_the_refusal_is_audited(world, settings):
    records = write_records(world, 5)
    anchor_chain_head()
    cut_tail_and_set_head_back(records, keep=2)
    with pytest.raises(AnchorRefused):
        anchor_chain_head()
    assert len(anchor_lines(settings)) == 1
    refusal = AuditRecord.objects.get(action="audit.anchor")
    assert (refusal.result, refusal.details["anchored_record_id"]) == ("failed", records[-1].pk)
    with pytest.raises(CommandError, match="not anchored"):
        call_command("audit_anchor")


def test_an_anchored_record_removed_by_the_retention_purge_is_no_break(world, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    with mock.patch("audit.services.timezone.now", return_value=timezone.now() - timedelta(days=365)):
        write_records(world, 2)
        anchor_chain_head()
    write_records(world, 1)
    purge_expired()
    assert verify_chain().first_break is None
    # The purge anchored its own end.
    assert latest_anchor().last_id == ChainHead.objects.get().last_record_id


def test_removing_the_first_records_and_moving_the_purge_anchor_is_found(world):
    records = write_records(world, 5)
    raw_sql("DELETE FROM audit_auditrecord WHERE id <= %s", [records[1].pk])
    raw_sql(
        "UPDATE audit_chainhead SET anchor_record_id = %s, anchor_hash = %s WHERE id = 1",
        [records[1].pk, records[1].hash],
    )
    broken = verify_chain().first_break
    assert (broken.record_id, broken.problem) == (records[1].pk, "purge")


def test_a_verification_job_anchors_the_verified_head_and_the_page_shows_it(world, client_for):
    auditor = client_for(world.audit_admin)
    write_records(world, 2)
    before = auditor.get(reverse("audit:verify")).content.decode()
    assert '<p class="text-muted" data-testid="audit-external-anchor">' in before  # none yet
    auditor.post(reverse("audit:verify"))
    run_queued_jobs()
    job = Job.objects.get(kind="audit.verify")
    verified = AuditRecord.objects.get(action="audit.verify")
    assert (job.result["intact"], job.result["anchored_record_id"]) == (True, verified.pk)
    anchor = latest_anchor()
    assert (anchor.last_id, anchor.last_hash) == (verified.pk, verified.hash)
    page = auditor.get(reverse("audit:verify")).content.decode()
    assert '<p data-testid="audit-external-anchor">' in page
    assert f"{timezone.localtime(anchor.at):%Y-%m-%d %H:%M:%S}" in page
