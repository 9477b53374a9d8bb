"""Workbooks for import tests, and the upload → check → import flow through the real queue."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from imports.layouts import LAYOUTS
from imports.workbook import template_workbook
from jobs.models import Job
from jobs.testing import run_queued_jobs


def workbook(kind: str, rows: list[dict], *, from_template: bool = False, name: str = "导入.xlsx"):
    """An upload of `rows` ({field: value}) below the header row of `kind`'s layout;
    `from_template` starts from the platform's template, example row included."""
    layout = LAYOUTS[kind]
    if from_template:
        book = load_workbook(io.BytesIO(template_workbook(layout)))
        sheet = book.worksheets[0]
    else:
        book = Workbook()
        sheet = book.active
        sheet.append(layout.headers)
    for row in rows:
        sheet.append([row.get(field, "") for _header, field in layout.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def uscc_code(base: str) -> str:
    """A 统一社会信用代码 of 17 characters `base` completed with its check digit."""
    from stdnum.cn import uscc

    return base + uscc.calc_check_digit(base)


def unit_row(n: int, **fields) -> dict:
    return {
        "code": uscc_code(f"91130100MA{n:07d}"),
        "name": f"导入单位{n}",
        "sector": "企业",
        "parent": "长安区",
        "contact_phone": "13812345678",
        **fields,
    }


def check(client, kind: str, upload) -> Job:
    """Upload `upload` and run its check job; the finished job."""
    response = client.post(reverse("imports:upload", args=[kind]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    run_queued_jobs()
    job.refresh_from_db()
    return job


def confirm(client, check_job: Job, **data) -> Job | None:
    """Confirm the import of a checked file and run it; the import job, or None when refused."""
    before = set(Job.objects.values_list("pk", flat=True))
    client.post(reverse("imports:confirm", args=[check_job.pk]), data)
    started = Job.objects.exclude(pk__in=before)
    run_queued_jobs()
    job = started.first()
    if job is not None:
        job.refresh_from_db()
    return job
