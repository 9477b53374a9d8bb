"""The provincial or system administrator enters a year's holiday arrangement on a form
or from a workbook; bad input is told next to its field and changes nothing; every save
is audited; the staff read it; nobody else reaches it."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditRecord
from tests.workdays.factories import holiday_workbook
from workdays import calendar
from workdays.models import HolidayDay, HolidayYear
from workdays.services import Day, save_year, year_token

YEAR = 2050  # not in the package: the entries are what counts
EDIT = f"/workdays/{YEAR}/edit/"
UPLOAD = f"/workdays/{YEAR}/upload/"
# Session, user, the bell, the arrangements with who changed them, and their days.
QUERIES_OF_THE_YEAR_LIST = 5


def _rows(*rows):
    """The form's POST data for holiday rows (name, first, last, worked 1, worked 2)."""
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0", "doc_number": "国办发明电〔2049〕1号"}
    for index, row in enumerate(rows):
        for field, value in zip(("name", "first_day", "last_day", "workday_1", "workday_2"), row, strict=False):
            data[f"rows-{index}-{field}"] = value
    return data


def _days():
    return [(row.day.isoformat(), row.kind, row.name) for row in HolidayDay.objects.order_by("day")]


def test_the_form_saves_each_holidays_days_off_and_weekend_days_worked(world, client_for):
    # 2050: Saturday 22 January worked, Sunday 23 to Saturday 29 January off for 春节.
    response = client_for(world.province_admin).post(
        EDIT, _rows(("春节", "2050-01-23", "2050-01-29", "2050-01-22"), ("", "", ""))
    )
    assert (response.status_code, response["Location"]) == (302, f"/workdays/{YEAR}/")
    assert _days() == [("2050-01-22", "workday", "春节")] + [
        (f"2050-01-{day}", "holiday", "春节") for day in range(23, 30)
    ]
    record = AuditRecord.objects.get(action="workdays.year_create")
    assert (record.actor_id, record.details["year"], len(record.details["added"]), record.details["removed"]) == (
        world.province_admin.pk,
        YEAR,
        8,
        [],
    )
    assert calendar.working_days_between(datetime.date(2050, 1, 21), datetime.date(2050, 1, 31)) == 2


def test_the_form_shows_the_saved_arrangement_one_row_a_holiday(world, client_for):
    client = client_for(world.system_admin)
    client.post(EDIT, _rows(("春节", "2050-01-23", "2050-01-29", "2050-01-22"), ("元旦", "2050-01-01", "2050-01-01")))
    page = client.get(EDIT).content.decode()
    assert 'name="rows-0-name" value="元旦"' in page
    assert 'name="rows-1-workday_1" value="2050-01-22"' in page
    assert 'name="rows-TOTAL_FORMS" value="4"' in page  # two holidays and two blank rows


@pytest.mark.parametrize(
    ("row", "field", "code_text"),
    [
        (("春节", "2050-01-29", "2050-01-23"), "last_day", "末日"),
        (("春节", "2050-01-23", ""), "last_day", "首日和末日"),
        (("", "2050-01-23", "2050-01-29"), "name", "节日"),
        (("春节", "2050-01-23", "2050-13-29"), "last_day", "日期"),
    ],
)
def test_a_bad_row_is_told_next_to_its_field_and_nothing_is_saved(world, client_for, row, field, code_text):
    response = client_for(world.province_admin).post(EDIT, _rows(row))
    page = response.content.decode()
    assert response.status_code == 422
    assert f'data-field-error="{field}"' in page
    assert code_text in page
    assert (HolidayYear.objects.count(), AuditRecord.objects.filter(action__startswith="workdays.").count()) == (0, 0)


def test_a_weekday_given_as_a_day_worked_is_refused_with_its_date(world, client_for):
    response = client_for(world.province_admin).post(EDIT, _rows(("春节", "2050-01-23", "2050-01-29", "2050-01-20")))
    assert response.status_code == 422
    assert "2050-01-20" in response.content.decode()
    assert "星期四" in response.content.decode()
    assert HolidayYear.objects.count() == 0


def test_a_day_outside_the_year_is_refused(world, client_for):
    response = client_for(world.province_admin).post(EDIT, _rows(("元旦", "2049-11-30", "2049-11-30")))
    assert response.status_code == 422
    assert "2049-11-30" in response.content.decode()
    assert HolidayYear.objects.count() == 0


def test_a_save_over_someone_elses_is_refused_and_keeps_what_was_typed(world, client_for):
    stale = year_token(YEAR)
    client_for(world.system_admin).post(EDIT, _rows(("元旦", "2050-01-01", "2050-01-03")))
    response = client_for(world.province_admin).post(
        EDIT, {**_rows(("春节", "2050-01-23", "2050-01-29")), "edit_token": stale}
    )
    assert response.status_code == 422
    assert 'value="2050-01-23"' in response.content.decode()
    assert [day for day, _kind, _name in _days()] == ["2050-01-01", "2050-01-02", "2050-01-03"]


def test_a_workbook_replaces_the_years_days(world, client_for):
    client = client_for(world.province_admin)
    client.post(EDIT, _rows(("元旦", "2050-01-01", "2050-01-03")))
    workbook = holiday_workbook(
        [(datetime.date(2050, 1, 23), "放假", "春节"), ("2050/1/24", "放假", "春节"), ("2050年1月22日", "上班", "春节")]
    )
    response = client.post(
        UPLOAD, {"doc_number": "国办发明电〔2049〕1号", "file": SimpleUploadedFile("2050.xlsx", workbook)}
    )
    assert response.status_code == 302
    assert _days() == [
        ("2050-01-22", "workday", "春节"),
        ("2050-01-23", "holiday", "春节"),
        ("2050-01-24", "holiday", "春节"),
    ]
    record = AuditRecord.objects.get(action="workdays.year_update")
    assert (record.details["source"], len(record.details["removed"]), len(record.details["added"])) == ("upload", 3, 3)


def test_a_workbook_with_bad_rows_names_each_row_and_changes_nothing(world, client_for):
    workbook = holiday_workbook(
        [("2050-01-23", "放假", "春节"), ("下周一", "放假", "春节"), ("2050-01-25", "加班", "")]
    )
    response = client_for(world.province_admin).post(
        UPLOAD, {"doc_number": "国办发明电〔2049〕1号", "file": SimpleUploadedFile("2050.xlsx", workbook)}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert ("第 3 行" in page, "第 4 行" in page, "第 2 行" in page) == (True, True, False)
    assert HolidayYear.objects.count() == 0


def test_a_workbook_without_the_templates_header_is_refused(world, client_for):
    workbook = holiday_workbook([("2050-01-23", "放假", "春节")], header=("Date", "Kind", "Name"))
    response = client_for(world.province_admin).post(
        UPLOAD, {"doc_number": "国办发明电〔2049〕1号", "file": SimpleUploadedFile("2050.xlsx", workbook)}
    )
    assert response.status_code == 422
    assert 'data-field-error="file"' in response.content.decode()
    assert HolidayYear.objects.count() == 0


def test_the_template_downloads_as_a_workbook_with_its_header(world, client_for):
    from openpyxl import load_workbook

    response = client_for(world.system_admin).get(f"/workdays/{YEAR}/template.xlsx")
    import io

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["日期", "类型", "节日"]
    assert "attachment" in response["Content-Disposition"]


def test_removing_a_years_arrangement_is_audited_with_its_days(world, client_for):
    client = client_for(world.province_admin)
    client.post(EDIT, _rows(("元旦", "2050-01-03", "2050-01-04")))
    assert calendar.basis(YEAR) == calendar.Basis.PROVINCE
    response = client.post(f"/workdays/{YEAR}/delete/")
    assert response.status_code == 302
    assert HolidayDay.objects.count() == 0
    assert AuditRecord.objects.get(action="workdays.year_delete").details["removed"] == [
        "2050-01-03 holiday 元旦",
        "2050-01-04 holiday 元旦",
    ]
    assert calendar.basis(YEAR) == calendar.Basis.WEEKDAYS


def test_the_staff_read_the_calendar_but_do_not_change_it(world, client_for):
    client = client_for(world.province_staff)
    listing = client.get("/workdays/").content.decode()
    # Last year, this year and next year; no other year while the province keeps none.
    this_year = timezone.localdate().year
    assert re.findall(r'data-year="(\d+)"', listing) == [str(this_year + 1), str(this_year), str(this_year - 1)]
    assert 'data-testid="year-edit"' not in client.get(f"/workdays/{YEAR}/").content.decode()
    assert client.post(EDIT, _rows(("元旦", "2050-01-03", "2050-01-04"))).status_code == 403
    assert HolidayYear.objects.count() == 0


def test_a_year_outside_the_calendar_is_not_found(world, client_for):
    assert client_for(world.province_admin).get("/workdays/1999/").status_code == 404


def test_a_save_over_a_year_removed_meanwhile_is_refused(world, client_for):
    client = client_for(world.province_admin)
    client.post(EDIT, _rows(("元旦", "2050-01-03", "2050-01-04")))
    stale = year_token(YEAR)
    client.post(f"/workdays/{YEAR}/delete/")
    response = client.post(EDIT, {**_rows(("春节", "2050-01-23", "2050-01-29")), "edit_token": stale})
    assert response.status_code == 422
    assert HolidayYear.objects.count() == 0
    assert client.post(f"/workdays/{YEAR}/delete/").status_code == 404


@pytest.mark.parametrize("years", [1, 3])
def test_the_year_list_costs_the_same_queries_for_one_year_or_three(
    world, client_for, years, django_assert_num_queries
):
    from tests.notifications.factories import forget_bell_counts

    for year in range(YEAR, YEAR + years):
        save_year(
            actor=world.province_admin,
            year=year,
            doc_number="x",
            days=[Day(datetime.date(year, 1, 3), "holiday", "元旦")],
        )
    client = client_for(world.province_admin)
    client.get("/workdays/")  # the calendar itself is read once per process, not per page
    forget_bell_counts()
    with django_assert_num_queries(QUERIES_OF_THE_YEAR_LIST):
        response = client.get("/workdays/")
    assert response.content.decode().count('data-basis="province"') == years
