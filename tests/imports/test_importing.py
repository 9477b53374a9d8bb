"""Importing a checked file: every row, or only the good ones when the user chose so."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from accounts.models import User
from audit.models import AuditRecord
from core.roles import Role
from inspections.models import Inspector
from inspections.pool_io import template_workbook as pool_template_workbook
from jobs.models import Job
from organisations.models import Kind, Organisation
from tests.imports.helpers import check, confirm, unit_row, workbook

pytestmark = pytest.mark.django_db


def test_import_of_a_good_units_file_writes_every_unit_below_its_parent(world, client_for):
    client = client_for(world.province_staff)
    checked = check(client, "units", workbook("units", [unit_row(n) for n in range(1, 4)]))
    job = confirm(client, checked)
    assert (job.state, job.result["written"], job.result["skipped"]) == (Job.State.SUCCEEDED, 3, 0)
    units = list(Organisation.objects.filter(code__startswith="91130100MA").order_by("code"))
    assert [unit.name for unit in units] == ["导入单位1", "导入单位2", "导入单位3"]
    assert [unit.path for unit in units] == [f"{world.changan.path}{unit.pk}/" for unit in units]
    assert [unit.depth for unit in units] == [world.changan.depth + 1] * 3
    assert {(unit.kind, unit.sector, unit.parent_id) for unit in units} == {(Kind.UNIT, "enterprise", world.changan.pk)}
    records = AuditRecord.objects.filter(action="import.units")
    assert [record.details["written"] for record in records] == [3]
    visible = Organisation.objects.visible_to(world.sjz_association).filter(pk__in=[u.pk for u in units])
    assert list(visible.order_by("code")) == units


def test_import_with_bad_rows_writes_nothing_unless_only_good_rows_are_chosen(world, client_for):
    client = client_for(world.province_staff)
    rows = [unit_row(1), unit_row(2, sector="工厂"), unit_row(3)]
    checked = check(client, "units", workbook("units", rows))
    assert confirm(client, checked) is None
    assert confirm(client, checked, only_good="on") is None
    assert Organisation.objects.filter(code__startswith="91130100MA").count() == 0
    job = confirm(client, checked, only_good="on", understood="on")
    assert (job.state, job.result["written"], job.result["skipped"]) == (Job.State.SUCCEEDED, 2, 1)
    assert sorted(Organisation.objects.filter(code__startswith="91130100MA").values_list("name", flat=True)) == [
        "导入单位1",
        "导入单位3",
    ]
    # A second confirmation goes to the import already made and writes nothing more.
    assert confirm(client, checked, only_good="on", understood="on") is None
    assert Organisation.objects.filter(code__startswith="91130100MA").count() == 2


def test_import_checks_again_and_writes_nothing_when_the_platform_changed(world, client_for):
    client = client_for(world.province_staff)
    checked = check(client, "units", workbook("units", [unit_row(1), unit_row(2)]))
    Organisation.objects.filter(pk=world.ts_unit.pk).update(code="91130100MA00000025")
    job = confirm(client, checked)
    assert job.state == Job.State.FAILED
    assert Organisation.objects.filter(code="91130100MA00000012").count() == 0


def test_import_of_organisations_places_rows_below_rows_of_the_same_file(world, client_for):
    client = client_for(world.province_admin)
    rows = [
        {"name": "丛台区", "kind": "县（市、区）", "parent": "邯郸市"},
        {"name": "邯郸市", "kind": "市", "parent": "河北省", "region_code": "130400", "code": "11130400000000001N"},
        {"name": "省教育厅", "kind": "省直部门", "parent": "河北省", "contact_phone": "0311-66005000"},
        {"name": "邯山区", "kind": "县（市、区）", "parent": "11130400000000001N"},
    ]
    job = confirm(client, check(client, "organisations", workbook("organisations", rows)))
    assert job.result["written"] == 4
    assert Organisation.objects.get(name="邯山区").parent.name == "邯郸市"
    handan = Organisation.objects.get(name="邯郸市")
    congtai = Organisation.objects.get(name="丛台区")
    assert (handan.kind, handan.code, handan.path) == (
        Kind.CITY,
        "11130400000000001N",
        f"{world.province.path}{handan.pk}/",
    )
    assert (congtai.parent_id, congtai.path, congtai.depth) == (handan.pk, f"{handan.path}{congtai.pk}/", 2)


def test_imported_operators_sign_in_with_the_initial_password_handed_to_the_importer(world, client_for):
    world.sjz_unit.code = "91130100MA00000012"
    world.sjz_unit.save(update_fields=["code"])
    client = client_for(world.province_staff)
    rows = [{"username": "newop", "display_name": "新人", "unit": "91130100MA00000012", "phone": "13912345678"}]
    job = confirm(client, check(client, "operators", workbook("operators", rows)))
    assert job.result["written"] == 1
    user = User.objects.get(username="newop")
    assert (user.role, user.organisation_id, user.display_name, user.phone) == (
        Role.UNIT,
        world.sjz_unit.pk,
        "新人",
        "13912345678",
    )
    with default_storage.open(job.result_file, "rb") as stored:
        sheet = load_workbook(io.BytesIO(stored.read())).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[:3] for row in rows] == [("newop", "新人", "石家庄第一中学")]
    assert Client().login(username="newop", password=rows[0][3]) is True


def test_inspectors_import_through_the_job_with_the_pools_own_check(world, client_for):
    book = load_workbook(io.BytesIO(pool_template_workbook()))
    sheet = book.worksheets[0]
    sheet.append(["李老师", "河北大学", "教授", "石家庄市", "", "13912345678", "", "", "在库", "", ""])
    sheet.append(["", "无名", "", "", "", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(world.province_staff)
    checked = check(client, "inspectors", SimpleUploadedFile("专家.xlsx", buffer.getvalue()))
    assert (checked.result["good"], checked.result["bad"], [b["row"] for b in checked.result["bad_rows"]]) == (
        1,
        1,
        [4],
    )
    job = confirm(client, checked, only_good="on", understood="on")
    assert job.result["written"] == 1
    assert list(Inspector.objects.values_list("name", "area_id")) == [("李老师", world.shijiazhuang.pk)]
    assert AuditRecord.objects.filter(action="inspector.import").count() == 1


def test_confirming_a_check_whose_file_is_gone_asks_to_upload_again(world, client_for):
    client = client_for(world.province_staff)
    checked = check(client, "units", workbook("units", [unit_row(1)]))
    default_storage.delete(checked.input_file)
    assert confirm(client, checked) is None
    assert Organisation.objects.filter(code__startswith="91130100MA").count() == 0
