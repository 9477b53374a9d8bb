"""The import pages: who may use them, the upload form's refusals, the templates, the
recent jobs and the check's result on the job page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from imports.jobs import check_kind
from jobs.models import Job
from jobs.services import start_job
from tests.imports.helpers import check, unit_row, workbook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", [Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
)
@pytest.mark.parametrize(("name", "kwargs"), [("imports:index", {}), ("imports:upload", {"kind": "units"})])
def test_import_pages_answer_403_to_non_province_roles(world, client_for, role, name, kwargs):
    client = client_for(world.user_of(role))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    upload = workbook("units", [unit_row(1)])
    assert client.post(reverse("imports:upload", args=["units"]), {"file": upload}).status_code == 403
    assert Job.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("单位.csv", "统一社会信用代码,单位名称\n".encode()),
        SimpleUploadedFile("单位.xlsx", b"not a workbook at all"),
    ],
    ids=["csv", "fake-xlsx"],
)
def test_upload_refuses_a_file_that_is_not_a_workbook_next_to_the_field(world, client_for, upload):
    response = client_for(world.province_staff).post(reverse("imports:upload", args=["units"]), {"file": upload})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert Job.objects.count() == 0


def test_unknown_kind_answers_404(world, client_for):
    assert client_for(world.province_staff).get(reverse("imports:upload", args=["zzz"])).status_code == 404


@pytest.mark.parametrize("kind", ["organisations", "units", "operators", "inspectors"])
def test_template_has_the_header_row_an_example_row_and_drop_down_lists(world, client_for, kind):
    response = client_for(world.province_staff).get(reverse("imports:template", args=[kind]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][-1] == "示例行：导入时自动忽略，可删除"
    assert len(sheet.data_validations.dataValidation) == (
        0 if kind == "operators" else 1 if kind != "inspectors" else 2
    )


def test_index_lists_own_recent_import_jobs_in_bounded_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.province_staff)
    start_job(kind=check_kind("units"), owner=world.province_admin, params={"kind": "units"})
    for count in (1, 3):
        while Job.objects.filter(owner=world.province_staff).count() < count:
            start_job(kind=check_kind("units"), owner=world.province_staff, params={"kind": "units"})
        with django_assert_max_num_queries(6):
            response = client.get(reverse("imports:index"))
        assert len(response.context["recent_jobs"]) == count
    assert 'data-testid="recent-imports"' in response.content.decode()


def test_index_without_jobs_says_what_to_do(world, client_for):
    response = client_for(world.province_staff).get(reverse("imports:index"))
    assert 'data-testid="recent-imports-empty"' in response.content.decode()


def test_job_page_shows_the_check_result_with_the_right_button(world, client_for):
    client = client_for(world.province_staff)
    good = check(client, "units", workbook("units", [unit_row(1)]))
    page = client.get(reverse("jobs:detail", args=[good.pk])).content.decode()
    assert 'data-testid="import-all"' in page
    assert 'data-testid="import-good-only"' not in page
    mixed = check(client, "units", workbook("units", [unit_row(1), unit_row(2, sector="工厂")]))
    page = client.get(reverse("jobs:detail", args=[mixed.pk])).content.decode()
    assert 'data-testid="import-good-only"' in page
    assert 'data-testid="import-all"' not in page
    assert 'data-row="3"' in page
    assert reverse("jobs:download", args=[mixed.pk]) in page
