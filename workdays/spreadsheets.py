"""A year's arrangement as a small workbook: the blank template, and reading an upload
of it (日期 | 类型 | 节日, one row a day)."""

import io
import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from core.spreadsheets import append_row, cell_text, check_xlsx_upload, unreadable_workbook
from workdays.models import DayKind
from workdays.services import Day

HEADERS = ("日期", "类型", "节日")
KIND_TEXTS = {
    "放假": DayKind.HOLIDAY,
    "休息": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "上班": DayKind.WORKDAY,
    "调休上班": DayKind.WORKDAY,
    "workday": DayKind.WORKDAY,
}
MAX_BYTES = 1024 * 1024
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
MAX_ROWS = 400
DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_workbook(year: int) -> bytes:
    """The blank template of `year`: the header row, date-formatted cells below it and a
    sheet that says how to fill it in (no example row, which would be read as a day)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    append_row(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in range(2, 102):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    for column, width in zip("ABC", (14, 10, 14), strict=True):
        sheet.column_dimensions[column].width = width
    notes = workbook.create_sheet(_("How to fill in"))
    for line in (
        _("One row a day of the State Council's holiday arrangement for %(year)s.") % {"year": year},
        _("日期: the date, e.g. %(year)s-02-06 (an Excel date or text).") % {"year": year},
        _("类型: 放假 for a day off, 上班 for a Saturday or Sunday worked (调休上班)."),
        _("节日: the holiday the day belongs to, e.g. 春节."),
        _("List every day off of each holiday, weekends inside it included. The upload replaces the year's entries."),
    ):
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _date_of(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_TEXT.match(cell_text(value))
    if match is None:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def read_days(upload) -> list[Day]:
    """The days of an uploaded template. Raises one ValidationError listing every bad row
    by its Excel row number (nothing is kept of a file with a bad row)."""
    check_xlsx_upload(upload, max_bytes=MAX_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(max_col=3, max_row=MAX_ROWS + 2, values_only=True))
        workbook.close()
    except Exception as error:
        # Whatever openpyxl raises on a damaged workbook.
        raise unreadable_workbook() from error
    if not rows or tuple(cell_text(value) for value in rows[0][:3]) != HEADERS:
        raise ValidationError(
            _("The first row must be the template's header: 日期, 类型, 节日. Download the template and fill it in."),
            code="header",
        )
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(_("A year has at most %(rows)s rows."), code="too_many_rows", params={"rows": MAX_ROWS})
    days, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = (*row, None, None, None)[:3]
        if all(cell_text(value) == "" for value in cells):
            continue
        day, kind, name = _date_of(cells[0]), KIND_TEXTS.get(cell_text(cells[1]).lower()), cell_text(cells[2])
        problems = []
        if day is None:
            problems.append(_("the date cannot be read (write it as 2027-02-06)"))
        if kind is None:
            problems.append(_("the kind must be 放假 or 上班"))
        if not name:
            problems.append(_("the holiday's name is missing"))
        elif len(name) > 50:
            problems.append(_("the holiday's name is longer than 50 characters"))
        if problems:
            errors.append(
                ValidationError(
                    _("Row %(row)s: %(problems)s."),
                    code="bad_row",
                    params={"row": number, "problems": "；".join(problems)},
                )
            )
        else:
            days.append(Day(day=day, kind=kind, name=name))
    if errors:
        raise ValidationError(errors)
    if not days:
        raise ValidationError(_("The file holds no day. Fill in the template's rows."), code="empty")
    return days
