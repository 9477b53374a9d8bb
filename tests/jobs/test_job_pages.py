from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import start_job
from jobs.testing import run_queued_jobs
from tests.jobs import kinds  # noqa: F401 -- registers the test kinds

pytestmark = pytest.mark.django_db


def test_job_page_polls_while_queued_and_stops_when_finished(world, client_for):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 2})
    client = client_for(world.province_staff)
    fragment = client.get(reverse("jobs:detail", args=[job.pk]) + "?fragment=progress", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    run_queued_jobs()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' not in page
    assert 'value="100"' in page
    assert reverse("jobs:download", args=[job.pk]) in page


def test_download_streams_result_to_owner(world, client_for):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 7})
    run_queued_jobs()
    response = client_for(world.province_staff).get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"7"
    assert 'filename="count.txt"' in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:download"])
def test_another_users_job_answers_404(world, client_for, name):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    run_queued_jobs()
    assert client_for(world.province_admin).get(reverse(name, args=[job.pk])).status_code == 404


def test_job_list_shows_only_own_jobs_in_bounded_queries(world, client_for, django_assert_max_num_queries):
    mine = [start_job(kind="tests.count", owner=world.province_staff, params={"n": 1}) for _ in range(3)]
    start_job(kind="tests.count", owner=world.province_admin, params={"n": 1})
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("jobs:list"))
    assert sorted(job.pk for job in response.context["page_obj"]) == sorted(job.pk for job in mine)


def test_job_page_warns_when_a_job_waits_long_for_a_worker(world, client_for):
    fresh = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    stale = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    Job.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    client = client_for(world.province_staff)
    assert 'data-testid="job-waiting-long"' not in client.get(reverse("jobs:detail", args=[fresh.pk])).content.decode()
    assert 'data-testid="job-waiting-long"' in client.get(reverse("jobs:detail", args=[stale.pk])).content.decode()
