"""The audit administrator's pages: search, one record, export, verification."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditRecord
from audit.services import record_event
from jobs.models import Job
from jobs.testing import run_queued_jobs
from tests.audit.tampering import raw_sql


@pytest.fixture
def auditor(world, client_for):
    """The audit administrator's client, signed in before the log is written (signing
    in is itself a record)."""
    return client_for(world.audit_admin)


@pytest.fixture
def log(world, auditor):
    """A small log: two users, a denial, one old record."""
    records = {
        "login": record_event(actor=world.sjz_operator, action="auth.login", obj=world.sjz_operator),
        "logout": record_event(actor=world.sjz_operator, action="auth.logout", obj=world.sjz_operator),
        "org": record_event(actor=world.province_staff, action="organisation.update", obj=world.ts_unit),
        "denied": record_event(
            actor=world.ts_operator, action="access.denied", result=AuditRecord.Result.DENIED, details={"path": "/x/"}
        ),
    }
    with mock.patch("audit.services.timezone.now", return_value=timezone.now() + timedelta(days=3)):
        records["later"] = record_event(actor=world.province_staff, action="campaign.update")
    return records


def listed(client, **query) -> list[int]:
    response = client.get(reverse("audit:record-list"), query)
    assert response.status_code == 200
    return [record.pk for record in response.context["page_obj"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "sjzunit"}, ["logout", "login"]),
        ({"action": "auth.login", "user": "sjzunit"}, ["login"]),
        ({"action": "auth.", "user": "sjzunit"}, ["logout", "login"]),
        ({"action": "organisation.update"}, ["org"]),
        ({"object_type": "organisations.organisation", "object_id": "ts"}, ["org"]),
        ({"object_text": "唐山钢铁"}, ["org"]),
        ({"result": "denied"}, ["denied"]),
        ({"role": "province_staff"}, ["later", "org"]),
    ],
)
def test_search_finds_records_by_user_action_object_and_result(world, auditor, log, query, expected):
    if query.get("object_id") == "ts":
        query["object_id"] = str(world.ts_unit.pk)
    assert listed(auditor, **query) == [log[name].pk for name in expected]


def test_search_by_time_range(world, auditor, log):
    today = timezone.localdate()
    client = auditor
    later = log["later"].pk
    assert later not in listed(client, date_from=today.isoformat(), date_to=today.isoformat())
    assert listed(client, date_from=(today + timedelta(days=2)).isoformat()) == [later]


def test_a_reversed_time_range_is_explained_next_to_the_field(world, auditor, log):
    response = auditor.get(reverse("audit:record-list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert response.context["form"].errors["date_to"] == ["The end date is before the start date."] or (
        'data-field-error="date_to"' in response.content.decode()
    )


@pytest.mark.parametrize("count", [1, 60])
def test_the_list_is_paginated_in_the_database_with_bounded_queries(
    world, auditor, count, django_assert_max_num_queries
):
    for n in range(count):
        record_event(actor=world.province_staff, action="tests.event", details={"n": n})
    client = auditor
    with django_assert_max_num_queries(8):
        response = client.get(reverse("audit:record-list"))
    assert len(response.context["page_obj"]) == min(count + 1, 50)  # and the sign-in


def test_a_record_shows_every_field(world, auditor, log):
    response = auditor.get(reverse("audit:record-detail", args=[log["denied"].pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in ("access.denied", "tsunit", log["denied"].hash, "/x/"):
        assert text in content


def test_export_writes_the_filtered_log_and_is_audited(world, auditor, log):
    response = auditor.post(reverse("audit:record-export"), {"user": "sjzunit"})
    assert response.status_code == 302
    run_queued_jobs()
    job = Job.objects.get(kind="audit.export")
    assert (job.state, job.error, job.result) == (Job.State.SUCCEEDED, "", {"rows": 2})
    with default_storage.open(job.result_file, "rb") as file:
        sheet = load_workbook(file).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2], row[5]) for row in rows] == [
        (str(log["logout"].pk), "sjzunit", "auth.logout"),
        (str(log["login"].pk), "sjzunit", "auth.login"),
    ]
    record = AuditRecord.objects.get(action="audit.export")
    assert (record.actor_id, record.details) == (world.audit_admin.pk, {"filters": {"user": "sjzunit"}, "rows": 2})


def test_verification_page_runs_a_job_that_reports_an_intact_chain(world, auditor, log):
    client = auditor
    response = client.post(reverse("audit:verify"))
    assert response.status_code == 302
    run_queued_jobs()
    job = Job.objects.get(kind="audit.verify")
    assert (job.state, job.result["intact"]) == (Job.State.SUCCEEDED, True)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-intact="true"' in page


def test_verification_page_points_to_the_first_broken_link(world, auditor, log):
    raw_sql("UPDATE audit_auditrecord SET actor_name = 'x' WHERE id = %s", [log["org"].pk])
    client = auditor
    client.post(reverse("audit:verify"))
    run_queued_jobs()
    job = Job.objects.get(kind="audit.verify")
    assert (job.result["intact"], job.result["break"]["record_id"]) == (False, log["org"].pk)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'data-record="{log["org"].pk}"' in page
    assert reverse("audit:record-detail", args=[log["org"].pk]) in page
    assert AuditRecord.objects.get(action="audit.verify").result == AuditRecord.Result.FAILED


def test_the_audit_administrator_has_its_menu(world, auditor):
    content = auditor.get(reverse("home:index")).content.decode()
    assert reverse("audit:record-list") in content
    assert reverse("audit:verify") in content
