"""Writing a workbook of sheets as an .xlsx file, streamed (the 汇总表 exports, the audit
log's export): XlsxWriter's constant-memory mode
writes each row to disk as it goes, so memory does not grow with the number of rows.

Every sheet has its header row frozen, columns as wide as the header and a sample of
the first rows need (a Chinese character counts double), dates as real dates shown
as 2026年11月28日, phone numbers masked unless the caller asks for them whole, and text
written through core.spreadsheets, never as a formula.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from django.utils.text import capfirst

from core.masking import mask_phone
from core.spreadsheets import display_width, write_cell

# What a column holds decides how the workbook writes it.
TEXT, DATE, NUMBER, PERCENT, PHONE = "text", "date", "number", "percent", "phone"


@dataclass(frozen=True)
class Column:
    header: object  # a lazy translation, resolved in the job's language
    kind: str = TEXT

    @property
    def title(self) -> str:
        return capfirst(str(self.header))


@dataclass
class Sheet:
    """One worksheet: its title, columns, how many rows it will have and the rows."""

    title: str
    columns: list[Column]
    count: int
    rows: Iterator[tuple]


CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
# Rows read ahead to size the columns: enough to see typical values, few enough to keep in memory.
SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 8, 60
# Width of a date written as 2026年11月28日.
DATE_WIDTH = 16
# Rows between two reports of progress (the job's row is written about once a second anyway).
PROGRESS_EVERY = 2000
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _cell_width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind == DATE:
        return DATE_WIDTH
    if kind == PERCENT:
        return 6
    return display_width(str(value))


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel refuses some characters and more than 31 in a sheet's name, and two equal names.
    base = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        name = f"{base[:26]}({number})"
        number += 1
    used.add(name.lower())
    return name


def write_workbook(path: str, sheets: list[Sheet], *, unmasked: bool, progress=None) -> int:
    """Write `sheets` to a new .xlsx file at `path`; returns the number of data rows.
    `progress(done)` is called after every chunk of rows written."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_format = workbook.add_format({"num_format": CHINESE_DATE_FORMAT})
    percent_format = workbook.add_format({"num_format": "0%"})
    used_titles: set[str] = set()
    written = 0
    try:
        for sheet in sheets:
            worksheet = workbook.add_worksheet(_sheet_title(sheet.title, used_titles))
            kinds = [column.kind for column in sheet.columns]
            sample = []
            for row in sheet.rows:
                sample.append(row)
                if len(sample) >= SAMPLE_ROWS:
                    break
            # Column settings go before any cell in constant-memory mode.
            for index, column in enumerate(sheet.columns):
                widest = max([display_width(column.title), *(_cell_width(row[index], kinds[index]) for row in sample)])
                worksheet.set_column(index, index, min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
            worksheet.freeze_panes(1, 0)
            for index, column in enumerate(sheet.columns):
                write_cell(worksheet, 0, index, column.title, header_format)

            row_number = 0
            for row in itertools.chain(sample, sheet.rows):
                row_number += 1
                for index, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    kind = kinds[index]
                    if kind == DATE and isinstance(value, date):
                        write_cell(worksheet, row_number, index, value, date_format)
                    elif kind == NUMBER:
                        write_cell(worksheet, row_number, index, value)
                    elif kind == PERCENT:
                        write_cell(worksheet, row_number, index, value, percent_format)
                    elif kind == PHONE:
                        write_cell(worksheet, row_number, index, value if unmasked else mask_phone(value))
                    else:
                        write_cell(worksheet, row_number, index, str(value))
                if progress is not None and row_number % PROGRESS_EVERY == 0:
                    progress(written + row_number)
            if row_number:
                worksheet.autofilter(0, 0, row_number, len(sheet.columns) - 1)
            written += row_number
            if progress is not None:
                progress(written)
    finally:
        workbook.close()
    return written
