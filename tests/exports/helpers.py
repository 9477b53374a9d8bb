"""Running an export through the page and the real queue, and reading what it wrote."""

from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from jobs.testing import run_queued_jobs


def start(client, **choice):
    """POST the export form; `choice` overrides the units table with no filter."""
    return client.post(reverse("exports:home"), {"table": "units", **choice})


def export(client, **choice) -> Job:
    """Start an export, run the queue and return the finished job."""
    response = start(client, **choice)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_queued_jobs()
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert (job.state, job.error) == (Job.State.SUCCEEDED, "")
    return job


def workbook_of(job):
    with default_storage.open(job.result_file, "rb") as file:
        return load_workbook(file)


def rows_of(sheet) -> list[tuple]:
    """The data rows below the header."""
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
