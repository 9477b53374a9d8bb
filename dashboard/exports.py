"""One chart's table as an .xlsx workbook (small: built in memory, sent at once)."""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import append_row
from dashboard.selectors import Table

# Characters Excel refuses in a sheet name.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def table_workbook(table: Table, filters_text: str) -> bytes:
    """`table` with its header row frozen, and a second sheet saying which filters made it.
    Organisation names are user text: written through core.spreadsheets, never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_NAME_FORBIDDEN.sub(" ", table.title)[:31]
    append_row(sheet, [table.label_header, *table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for label, values in table.rows:
        append_row(sheet, [label, *values])
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = max(12, min(60, max((len(label) for label, _v in table.rows), default=0) * 2))
    about = workbook.create_sheet(_("Filters"))
    append_row(about, [_("Filters"), filters_text])
    about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
