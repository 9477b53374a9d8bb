"""The expert pool in Excel: the template, the export (masked unless the provincial
administrator asks) and the import with its row-by-row report."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from audit.models import AuditRecord
from core.roles import Role
from inspections import pool_io
from inspections.models import Conflict, Inspector
from organisations.models import Kind
from tests.factories import make_organisation, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_URL = "/inspections/experts/import/"


def zh(message, **params):
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % params if params else text


def row(**cells):
    """A row of the template's columns; every cell empty unless given."""
    values = {name: "" for _header, name in pool_io.COLUMNS}
    values.update(cells)
    return [values[name] for _header, name in pool_io.COLUMNS]


def workbook_bytes(rows, headers=pool_io.HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="专家库.xlsx", content_type=XLSX):
    return SimpleUploadedFile(name, content, content_type=content_type)


def check(client, rows, **kwargs):
    return client.post(IMPORT_URL, {"file": upload(workbook_bytes(rows), **kwargs)})


def confirm(client, response, mode):
    report = response.context["report"]
    return client.post(IMPORT_URL, {"token": response.context["token"], "mode": mode, "expected": report.good_count})


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


GOOD_ROWS = [
    row(
        name="李明",
        employer="河北师范大学",
        title="教授",
        area="石家庄市",
        specialities="心理咨询",
        phone="13812345678",
        email="liming@example.com",
        is_active="在库",
        conflicts="唐山钢铁公司；石家庄第一中学",
    ),
    row(name="王芳", area="省级", phone=13912345678, is_active="停用", notes="退休"),
]


# --- Template ------------------------------------------------------------------------------


def test_template_has_the_columns_an_example_row_and_drop_down_lists(world, client_for):
    response = client_for(world.province_staff).get(reverse("inspections:expert-template"))
    assert (response.status_code, response["Content-Type"]) == (200, XLSX)
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == pool_io.HEADERS
    assert len(rows) == 2
    assert rows[1][pool_io.HEADERS.index("备注")] == pool_io.EXAMPLE_MARK
    assert sheet.freeze_panes == "A2"
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["I2:I5001"] == '"在库,停用"'
    lists = workbook.worksheets[1]
    assert validations["D2:D5001"] == f"'{lists.title}'!$A$1:$A$3"
    assert [cell.value for cell in lists["A"]] == ["省级", "石家庄市", "唐山市"]
    assert lists.sheet_state == "hidden"


def test_the_template_imports_to_nothing(world, client_for):
    client = client_for(world.province_staff)
    template = client.get(reverse("inspections:expert-template")).content
    response = client.post(IMPORT_URL, {"file": upload(template)})
    assert (response.status_code, response.context["report"].rows) == (200, [])
    assert Inspector.objects.count() == 0


# --- Export --------------------------------------------------------------------------------


@pytest.fixture
def expert(world):
    inspector = Inspector.objects.create(
        name="赵强", area=world.tangshan, phone="13812345678", employer="唐山学院", user=world.inspector
    )
    Conflict.objects.create(inspector=inspector, organisation=world.ts_unit)
    return inspector


def test_export_masks_phones_and_is_audited(world, client_for, expert):
    response = client_for(world.province_staff).get(reverse("inspections:expert-export"))
    sheet = sheet_of(response)
    assert response["Content-Disposition"].startswith("attachment;")
    assert list(sheet.iter_rows(values_only=True)) == [
        pool_io.HEADERS,
        ("赵强", "唐山学院", None, "唐山市", None, "138****5678", None, "inspector", "在库", "唐山钢铁公司", None),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 10
    record = AuditRecord.objects.get(action="inspector.export")
    assert (record.actor, record.details) == (world.province_staff, {"rows": 1, "unmasked": False})


def test_export_unmasked_for_the_administrator_is_audited(world, client_for, expert):
    response = client_for(world.province_admin).get(reverse("inspections:expert-export"), {"unmasked": "1"})
    assert sheet_of(response)["F2"].value == "13812345678"
    assert AuditRecord.objects.get(action="inspector.export").details == {"rows": 1, "unmasked": True}


def test_export_unmasked_is_refused_to_staff(world, client_for, expert):
    response = client_for(world.province_staff).get(reverse("inspections:expert-export"), {"unmasked": "1"})
    assert (response.status_code, AuditRecord.objects.filter(action="inspector.export").count()) == (403, 0)


def test_only_the_administrator_is_offered_the_unmasked_export(world, client_for, expert):
    url = reverse("inspections:expert-list")
    staff_page = client_for(world.province_staff).get(url).content.decode()
    admin_page = client_for(world.province_admin).get(url).content.decode()
    assert (
        'data-testid="expert-export-unmasked"' in staff_page,
        'data-testid="expert-export-unmasked"' in admin_page,
    ) == (
        False,
        True,
    )


def test_export_follows_the_list_filters(world, client_for, expert):
    Inspector.objects.create(name="钱敏", phone="13900000000")
    response = client_for(world.province_staff).get(reverse("inspections:expert-export"), {"area": "provincial"})
    assert [cells[0] for cells in sheet_of(response).iter_rows(min_row=2, values_only=True)] == ["钱敏"]


def test_an_export_imports_back_as_updates(world, client_for, expert):
    client = client_for(world.province_admin)
    exported = client.get(reverse("inspections:expert-export"), {"unmasked": "1"}).content
    response = client.post(IMPORT_URL, {"file": upload(exported)})
    report = response.context["report"]
    assert [(r.number, r.ok, r.updates) for r in report.rows] == [(2, True, True)]


# --- Import --------------------------------------------------------------------------------


def test_import_all_good_rows_creates_them(world, client_for):
    client = client_for(world.province_staff)
    response = check(client, GOOD_ROWS)
    report = response.context["report"]
    assert (response.status_code, [(r.number, r.name, r.problems) for r in report.rows]) == (
        200,
        [(2, "李明", []), (3, "王芳", [])],
    )
    assert Inspector.objects.count() == 0
    done = confirm(client, response, "all")
    assert (done.status_code, done["Location"]) == (302, reverse("inspections:expert-list"))
    li, wang = Inspector.objects.order_by("pk")
    assert (li.name, li.area, li.phone, li.email, li.is_active) == (
        "李明",
        world.shijiazhuang,
        "13812345678",
        "liming@example.com",
        True,
    )
    assert sorted(li.conflicts.values_list("organisation__name", flat=True)) == ["唐山钢铁公司", "石家庄第一中学"]
    assert (wang.area, wang.phone, wang.is_active, wang.notes) == (None, "13912345678", False, "退休")
    record = AuditRecord.objects.get(action="inspector.import")
    assert (record.actor, record.details) == (
        world.province_staff,
        {"rows": 2, "created": 2, "updated": 0, "conflicts": 2, "skipped": 0},
    )


def test_a_row_with_the_login_of_an_expert_updates_it(world, client_for, expert):
    client = client_for(world.province_staff)
    response = check(client, [row(name="赵强", phone="13812345678", employer="燕山大学", user="inspector")])
    assert response.context["report"].rows[0].updates is True
    confirm(client, response, "all")
    expert.refresh_from_db()
    assert (Inspector.objects.count(), expert.employer, expert.area, expert.user) == (
        1,
        "燕山大学",
        None,
        world.inspector,
    )
    assert AuditRecord.objects.get(action="inspector.import").details["updated"] == 1


def test_a_new_row_may_link_a_free_inspector_account(world, client_for):
    client = client_for(world.province_staff)
    confirm(client, check(client, [row(name="孙磊", user="inspector")]), "all")
    assert Inspector.objects.get().user == world.inspector


def test_one_bad_row_is_reported_with_its_row_number_and_nothing_is_written(world, client_for):
    client = client_for(world.province_staff)
    response = check(client, [GOOD_ROWS[0], row(name="钱敏", phone="1381234"), GOOD_ROWS[1]])
    report = response.context["report"]
    assert [(r.number, r.ok) for r in report.rows] == [(2, True), (3, False), (4, True)]
    reason = zh(
        "%(column)s “%(value)s” is not a mobile number: 11 digits starting with 1.", column="手机号码", value="1381234"
    )
    assert report.rows[1].problems == [reason]
    assert "手机号码" in reason
    content = response.content.decode()
    assert reason in content
    assert 'data-testid="import-all" disabled' in content
    assert Inspector.objects.count() == 0

    refused = confirm(client, response, "all")
    assert (refused.status_code, Inspector.objects.count()) == (422, 0)
    assert AuditRecord.objects.filter(action="inspector.import").count() == 0


def test_import_only_the_good_rows(world, client_for):
    client = client_for(world.province_staff)
    response = check(client, [GOOD_ROWS[0], row(name="钱敏", area="廊坊市"), GOOD_ROWS[1]])
    assert response.context["report"].good_count == 2
    done = confirm(client, response, "good")
    assert done.status_code == 302
    assert sorted(Inspector.objects.values_list("name", flat=True)) == ["李明", "王芳"]
    assert AuditRecord.objects.get(action="inspector.import").details == {
        "rows": 3,
        "created": 2,
        "updated": 0,
        "conflicts": 2,
        "skipped": 1,
    }


def test_every_kind_of_bad_row_has_its_reason(world, client_for, expert):
    make_user(role=Role.UNIT, organisation=world.sjz_unit, username="operator2")
    make_user(role=Role.INSPECTOR, organisation=world.province, username="retired", is_active=False)
    make_user(role=Role.INSPECTOR, organisation=world.province, username="free")
    make_organisation(name="重名单位", parent=world.tangshan)
    make_organisation(name="重名单位", parent=world.changan)
    rows = [
        row(phone="13800000000"),
        row(name="甲", area="廊坊市"),
        row(name="乙", area="长安区"),
        row(name="丙", email="no-at-sign"),
        row(name="丁", user="nobody"),
        row(name="戊", user="operator2"),
        row(name="己", user="retired"),
        row(name="庚", is_active="退休"),
        row(name="辛", conflicts="不存在单位;重名单位；河北省"),
        row(name="壬", phone="13700000000", user="free"),
        row(name="壬", phone="13700000000"),
        row(name="癸", user="free"),
        row(name="赵强", phone="13812345678"),
        row(name="长" * 51),
    ]
    response = check(client_for(world.province_staff), rows)
    problems = {r.number: r.problems for r in response.context["report"].rows}
    assert problems == {
        2: [zh("%(column)s is missing.", column="姓名")],
        3: [
            zh(
                "%(column)s “%(value)s”: no city, industry system or provincial department has this name.",
                column="所属市/系统",
                value="廊坊市",
            )
        ],
        4: [
            zh(
                "%(column)s “%(value)s”: no city, industry system or provincial department has this name.",
                column="所属市/系统",
                value="长安区",
            )
        ],
        5: [zh("%(column)s “%(value)s” is not a valid e-mail address.", column="电子邮箱", value="no-at-sign")],
        6: [zh("%(column)s “%(value)s”: no account has this user name.", column="登录账号", value="nobody")],
        7: [
            zh(
                "%(column)s “%(value)s”: %(problem)s",
                column="登录账号",
                value="operator2",
                problem=zh("This account does not have the inspector role."),
            )
        ],
        8: [
            zh(
                "%(column)s “%(value)s”: %(problem)s",
                column="登录账号",
                value="retired",
                problem=zh("This account is disabled."),
            )
        ],
        9: [
            zh(
                "%(column)s must be %(active)s or %(inactive)s, not “%(value)s”.",
                column="状态",
                active="在库",
                inactive="停用",
                value="退休",
            )
        ],
        10: [
            zh("%(column)s “%(value)s”: no organisation has this name.", column="回避单位", value="不存在单位"),
            zh(
                "%(column)s “%(value)s”: several organisations have this name; declare it on the expert's page.",
                column="回避单位",
                value="重名单位",
            ),
            zh("%(column)s “%(value)s”: the whole province cannot be declared.", column="回避单位", value="河北省"),
        ],
        11: [],
        12: [zh("Same name and phone number as row %(row)d.", row=11)],
        13: [zh("%(column)s “%(value)s” is also on row %(row)d.", column="登录账号", value="free", row=11)],
        14: [
            zh(
                "%(name)s with this phone number is already in the pool. Give the expert's login account "
                "to update the entry, or remove the row.",
                name="赵强",
            )
        ],
        15: [zh("%(column)s is longer than %(limit)d characters.", column="姓名", limit=50)],
    }


def test_a_file_that_is_not_xlsx_is_refused_with_a_message(world, client_for):
    response = client_for(world.province_staff).post(
        IMPORT_URL, {"file": upload("姓名,电话\n李明,13812345678\n".encode(), name="专家.csv", content_type="text/csv")}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        zh("Only Excel workbooks (.xlsx) can be imported. Download the template and fill it in.")
    ]
    assert Inspector.objects.count() == 0


def test_a_damaged_xlsx_is_refused_with_a_message(world, client_for):
    response = client_for(world.province_staff).post(IMPORT_URL, {"file": upload(b"PK\x03\x04 not really a zip")})
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        zh("This file cannot be read as an Excel workbook (.xlsx). Save it as .xlsx in Excel or WPS and try again.")
    ]


def test_a_workbook_without_the_columns_is_refused(world, client_for):
    content = workbook_bytes([["李明"]], headers=["姓名", "电话"])
    response = client_for(world.province_staff).post(IMPORT_URL, {"file": upload(content)})
    missing = "、".join(header for header in pool_io.HEADERS if header != "姓名")
    assert response.context["form"].errors["file"] == [
        zh("These columns of the template are missing: %(columns)s. Use the template.", columns=missing)
    ]


def test_more_than_5000_rows_are_refused(world, client_for):
    rows = [row(name=f"专家{index}") for index in range(pool_io.MAX_ROWS + 1)]
    response = check(client_for(world.province_staff), rows)
    assert response.context["form"].errors["file"] == [
        zh("The file holds more than %(max)d experts. Split it into several files.", max=5000)
    ]


def test_the_checked_file_only_opens_for_its_uploader(world, client_for):
    response = check(client_for(world.province_staff), GOOD_ROWS)
    stolen = client_for(world.province_admin).post(
        IMPORT_URL, {"token": response.context["token"], "mode": "all", "expected": 2}
    )
    assert (stolen.status_code, stolen["Location"], Inspector.objects.count()) == (302, IMPORT_URL, 0)


def test_a_confirmed_file_cannot_be_imported_twice(world, client_for):
    client = client_for(world.province_staff)
    response = check(client, GOOD_ROWS)
    confirm(client, response, "all")
    again = confirm(client, response, "all")
    assert (again.status_code, Inspector.objects.count()) == (302, 2)


def test_the_report_is_shown_again_when_the_pool_changed_since_the_check(world, client_for):
    client = client_for(world.province_staff)
    response = check(client, GOOD_ROWS)
    Inspector.objects.create(name="李明", phone="13812345678")
    again = confirm(client, response, "all")
    assert (again.status_code, again.context["report"].good_count, Inspector.objects.count()) == (422, 1, 1)


def test_checking_a_file_takes_the_same_queries_for_10_and_200_rows(world):
    def queries(count):
        rows = [
            row(name=f"专家{index}", area="唐山市", phone=f"1380000{index:04d}", conflicts="唐山钢铁公司")
            for index in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            report = pool_io.check_workbook(io.BytesIO(workbook_bytes(rows)))
        assert report.good_count == count
        return len(captured)

    assert queries(10) == queries(200)


def test_importing_writes_in_bulk(world):
    rows = [
        row(name=f"专家{index}", area="唐山市", phone=f"1380000{index:04d}", conflicts="唐山钢铁公司")
        for index in range(600)
    ]
    report = pool_io.check_workbook(io.BytesIO(workbook_bytes(rows)))
    with CaptureQueriesContext(connection) as captured:
        counts = pool_io.import_report(actor=world.province_staff, report=report)
    assert (counts.created, counts.conflicts, Conflict.objects.count()) == (600, 600, 600)
    assert len(captured) < 20


def test_area_names_list_departments_and_systems_but_not_counties(world):
    make_organisation(name="省教育厅", kind=Kind.DEPARTMENT, parent=world.province)
    assert pool_io.area_names() == ["省级", "石家庄市", "唐山市", "省教育厅"]


def test_an_upload_never_confirmed_is_deleted_a_day_later(world, client_for, settings):
    client = client_for(world.province_staff)
    first = check(client, GOOD_ROWS).context["token"]
    folder = settings.MEDIA_ROOT / pool_io.STASH_FOLDER / str(world.province_staff.pk)
    stale = folder / f"{first}.xlsx"
    day_and_a_bit = time.time() - (pool_io.STASH_HOURS + 1) * 3600
    os.utime(stale, (day_and_a_bit, day_and_a_bit))
    second = check(client, GOOD_ROWS).context["token"]
    assert sorted(path.name for path in folder.iterdir()) == [f"{second}.xlsx"]
