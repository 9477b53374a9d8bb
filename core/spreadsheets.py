"""What every Excel workbook of the platform shares: the checks of an upload (expert pool,
bulk imports), reading a cell as text, the width text takes in a column, and writing a
cell so that text never becomes a formula."""

import re
import unicodedata
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core import filetypes


def unreadable_workbook() -> ValidationError:
    return ValidationError(
        _("This file cannot be read as an Excel workbook (.xlsx). Save it as .xlsx in Excel or WPS and try again."),
        code="unreadable",
    )


def check_xlsx_upload(upload, *, max_bytes: int, max_unpacked_bytes: int) -> None:
    """Refuse, with a message for the user, anything but a plausible .xlsx workbook of at
    most `max_bytes` whose content does not inflate past `max_unpacked_bytes` (a zip bomb
    would otherwise fill the memory of whoever opens it)."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(size)d MB. Split it into several files.")
            % {"size": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    if filetypes.extension_of(upload.name or "") != "xlsx":
        raise ValidationError(
            _("Only Excel workbooks (.xlsx) can be imported. Download the template and fill it in."),
            code="not_xlsx",
        )
    if "xlsx" not in filetypes.content_kinds(upload):
        raise unreadable_workbook()
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise unreadable_workbook() from error
    finally:
        upload.seek(0)
    if unpacked > max_unpacked_bytes:
        raise unreadable_workbook()


def cell_text(value) -> str:
    """A cell as text: numbers typed into a text column (a phone as 13812345678 or
    1.3812345678E10) come back as their digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def display_width(text: str) -> int:
    """Columns of Excel's default font the text takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# Writing: every text cell of every workbook (and CSV file) the platform produces goes
# through cell_value(), so that text a user typed can never become a formula (OWASP
# "CSV injection"): a unit named =HYPERLINK("http://…"&A2,"点击查看") would otherwise be a
# live link, or a DDE call, in the reader's spreadsheet. A test enumerates the writers.

# What a spreadsheet takes for the start of a formula (or a DDE call) when it reads text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed number written as text (-0.12, +8613812345678) computes nothing: left as it is.
SIGNED_NUMBER = re.compile(r"[+-]\d+(?:\.\d+)?")


def safe_text(text) -> str:
    """`text` as a spreadsheet shows it and never evaluates: characters XML cannot hold
    removed, and a single quote in front of text that starts like a formula (OWASP)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    if text.startswith(FORMULA_START) and not SIGNED_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def cell_value(value):
    """What to write in a cell for `value`: text (lazy translations included) made safe by
    safe_text(); numbers, dates and None as they are."""
    if isinstance(value, str | Promise):
        return safe_text(value)
    return value


def put_cell(sheet, row: int, column: int, value):
    """openpyxl: write `value` into `sheet` at (row, column), 1-based, and return the cell.
    Text is always a string cell, never a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cell_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def append_row(sheet, values) -> None:
    """openpyxl: add `values` as the next row of `sheet`, text as string cells."""
    # The row Worksheet.append would write next (openpyxl has no public name for it).
    row = sheet._current_row + 1
    for column, value in enumerate(values, start=1):
        if value is not None:
            put_cell(sheet, row, column, value)
    # An all-empty row still counts, as with Worksheet.append.
    sheet._current_row = row


def write_cell(worksheet, row: int, column: int, value, cell_format=None) -> None:
    """XlsxWriter: write `value` at (row, column), 0-based: text with write_string (never a
    formula), numbers with write_number, dates with write_datetime; None leaves it empty."""
    value = cell_value(value)
    if value is None:
        return
    if isinstance(value, str):
        worksheet.write_string(row, column, value, cell_format)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, column, value, cell_format)
    elif isinstance(value, date | datetime | time):
        worksheet.write_datetime(row, column, value, cell_format)
    else:
        worksheet.write_string(row, column, safe_text(value), cell_format)


def write_cells(worksheet, row: int, first_column: int, values, cell_format=None) -> None:
    """XlsxWriter: write_cell() for each of `values` along `row`."""
    for offset, value in enumerate(values):
        write_cell(worksheet, row, first_column + offset, value, cell_format)


def csv_row(values) -> list:
    """A row for csv.writer: text made safe by safe_text(), numbers as they are."""
    return ["" if value is None else cell_value(value) for value in values]
