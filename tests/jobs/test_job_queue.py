import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from audit.models import AuditRecord
from jobs.models import Job
from jobs.services import start_job
from jobs.testing import run_queued_jobs
from notifications.models import Notification
from tests.jobs import kinds  # noqa: F401 -- registers the test kinds

pytestmark = pytest.mark.django_db


def test_start_job_queues_a_task_and_audits(world):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 3})
    assert job.state == Job.State.QUEUED
    assert DBTaskResult.objects.filter(id=job.task_id).count() == 1
    assert list(AuditRecord.objects.filter(action="job.start").values_list("object_id", flat=True)) == [str(job.pk)]


def test_worker_runs_job_to_success_with_result_file_and_notification(world):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 5})
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.result) == (Job.State.SUCCEEDED, 5, 5, {"counted": 5})
    assert job.percent == 100
    assert job.finished_at is not None
    assert Notification.objects.filter(recipient=world.province_staff, kind="job.finished").count() == 1
    actions = list(AuditRecord.objects.filter(object_id=str(job.pk)).order_by("pk").values_list("action", "to_state"))
    assert actions == [("job.start", "queued"), ("job.run", "running"), ("job.finish", "succeeded")]


def test_job_error_fails_job_with_its_message(world):
    job = start_job(kind="tests.refuse", owner=world.province_staff)
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.FAILED, "这个文件无法读取。")


def test_unexpected_error_fails_job_with_number_to_report(world):
    job = start_job(kind="tests.crash", owner=world.province_staff)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert str(job.pk) in job.error


def test_failed_job_restarts_for_its_owner(world, client_for):
    job = start_job(kind="tests.crash", owner=world.province_staff)
    run_queued_jobs()
    response = client_for(world.province_staff).post(reverse("jobs:restart", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.QUEUED, "")
    assert AuditRecord.objects.filter(action="job.restart", object_id=str(job.pk)).count() == 1


def test_running_job_restarts_only_when_interrupted(world, client_for):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, heartbeat_at="2020-01-01T00:00:00Z")
    client_for(world.province_staff).post(reverse("jobs:restart", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
