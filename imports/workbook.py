"""The import workbooks as files: the blank templates, reading an upload's rows, and the
files an import gives back (the report of bad rows, the operators' initial passwords)."""

import io
import re
import zipfile
from xml.etree import ElementTree

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import append_row, cell_text, check_xlsx_upload, unreadable_workbook, write_cell, write_cells
from imports.layouts import EXAMPLE, INSPECTORS, MAX_BYTES, MAX_UNPACKED_BYTES, NOTES, Layout
from inspections import pool_io

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
# Rows past the last one a file may hold that are still read before giving up: a sheet
# formatted down to row 1,048,576 is refused rather than read to the end.
SCAN_MARGIN = 10_000
# Rows whose cells carry the drop-down lists in a template.
VALIDATED_ROWS = 5_001


def check_upload(upload) -> None:
    """Refuse, with a message for the user, anything but a plausible .xlsx workbook of at
    most MAX_BYTES whose content does not inflate past MAX_UNPACKED_BYTES."""
    check_xlsx_upload(upload, max_bytes=MAX_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES)


def read_rows(file, layout: Layout) -> list[tuple[int, dict]]:
    """The non-empty rows of the first sheet with the layout's header row, as (Excel row
    number, {field: text}); the example row is left out. Raises ValidationError with a
    message for the user when the file is unreadable, lacks columns or is too long."""
    try:
        return _rows_of(_sheets(file), layout)
    except ValidationError:
        raise
    except Exception as error:
        # Whatever the ZIP and XML readers raise on a damaged file.
        raise unreadable_workbook() from error


# The workbook is read with the standard library's XML parser rather than openpyxl:
# openpyxl builds an object per shared string and per cell, which takes about 30 s for
# 100,000 rows against 3 s here. Only values are needed; styles and formulas are not.
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CELL_REFERENCE = re.compile(r"^([A-Z]+)(\d+)$")


def _sheets(file):
    """For each worksheet in the workbook's order, a function giving its rows as
    (Excel row number, [cell text by column])."""
    archive = zipfile.ZipFile(file)
    strings = _shared_strings(archive)
    targets = {}
    with archive.open("xl/_rels/workbook.xml.rels") as rels:
        root = ElementTree.parse(rels).getroot()  # noqa: S314  (expat 2.4+ refuses entity expansion bombs and never fetches external entities; the upload's unpacked size is bounded)
        for relation in root.iter(f"{RELATIONSHIPS}Relationship"):
            target = relation.get("Target", "")
            targets[relation.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    with archive.open("xl/workbook.xml") as book:
        root = ElementTree.parse(book).getroot()  # noqa: S314  (expat 2.4+ refuses entity expansion bombs and never fetches external entities; the upload's unpacked size is bounded)
        sheets = [sheet.get(RELATION_ID) for sheet in root.iter(f"{MAIN}sheet")]
    return [lambda name=targets[sheet]: _sheet_rows(archive, name, strings) for sheet in sheets if sheet in targets]


def _shared_strings(archive) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings = []
    with stream:
        for _event, element in ElementTree.iterparse(stream):  # noqa: S314  (see _sheets)
            if element.tag == f"{MAIN}si":
                # Text runs (r/t) count, phonetic guides (rPh/t) do not.
                parts = [child.text or "" for child in element if child.tag == f"{MAIN}t"]
                parts += [t.text or "" for run in element.iterfind(f"{MAIN}r") for t in run.iterfind(f"{MAIN}t")]
                strings.append("".join(parts))
                element.clear()
    return strings


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _cell_text(cell, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{MAIN}t")).strip()
    value = cell.find(f"{MAIN}v")
    text = value.text if value is not None and value.text is not None else ""
    if kind == "s":
        return strings[int(text)].strip() if text else ""
    if kind == "n" and text:
        # A number typed into a text column (a phone as 13812345678 or 1.3812345678E10).
        try:
            return str(int(text))
        except ValueError:
            return cell_text(float(text))
    if kind == "e":
        return ""
    return text.strip()


def _sheet_rows(archive, name: str, strings: list[str]):
    with archive.open(name) as stream:
        number = 0
        for _event, element in ElementTree.iterparse(stream):  # noqa: S314 (see _sheets)
            if element.tag != f"{MAIN}row":
                continue
            number = int(element.get("r") or number + 1)
            values, position = [], 0
            for cell in element.iterfind(f"{MAIN}c"):
                match = CELL_REFERENCE.match(cell.get("r") or "")
                position = _column_index(match.group(1)) if match else position
                if position >= len(values):
                    values.extend([""] * (position + 1 - len(values)))
                values[position] = _cell_text(cell, strings)
                position += 1
            element.clear()
            yield number, values


def _rows_of(sheets, layout: Layout) -> list[tuple[int, dict]]:
    first = layout.headers[0]
    rows_iter, positions = None, {}
    for sheet in sheets:
        candidate = sheet()
        number, header = next(candidate, (0, []))
        found = {value: index for index, value in enumerate(header) if value}
        if number == 1 and first in found:
            rows_iter, positions = candidate, found
            break
        candidate.close()
    if rows_iter is None:
        raise ValidationError(
            _("No sheet has the header row of the template (its first column is %(column)s). Use the template.")
            % {"column": first},
            code="no_header",
        )
    missing = [header for header in layout.headers if header not in positions]
    if missing:
        raise ValidationError(
            _("These columns of the template are missing: %(columns)s. Use the template.")
            % {"columns": "、".join(missing)},
            code="missing_columns",
        )
    columns = [(name, positions[header]) for header, name in layout.columns]
    rows = []
    max_scanned = layout.max_rows + SCAN_MARGIN
    for number, values in rows_iter:
        if number > max_scanned:
            raise ValidationError(
                _("The sheet is longer than %(max)d rows. Split it into several files.") % {"max": max_scanned},
                code="too_long",
            )
        width = len(values)
        cells = {name: values[index] if index < width else "" for name, index in columns}
        if cells.get("notes") == EXAMPLE or not any(cells.values()):
            continue
        rows.append((number, cells))
        if len(rows) > layout.max_rows:
            raise ValidationError(
                _("The file holds more than %(max)d rows. Split it into several files.") % {"max": layout.max_rows},
                code="too_many_rows",
            )
    return rows


def template_workbook(layout: Layout) -> bytes:
    """The blank template of `layout`: the header row, a grey example row (skipped on
    import), drop-down lists for its fixed words, and a sheet of instructions."""
    if layout.kind == INSPECTORS:
        return pool_io.template_workbook()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(layout.title)[:31]
    append_row(sheet, layout.headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    sheet.freeze_panes = "A2"
    example = [EXAMPLE if name == "notes" else layout.example.get(name, "") for _header, name in layout.columns]
    append_row(sheet, example)
    for cell in sheet[2]:
        cell.font = EXAMPLE_FONT
    for index, (header, name) in enumerate(layout.columns, start=1):
        letter = get_column_letter(index)
        width = max(len(header), len(str(example[index - 1]))) * 2 + 2
        sheet.column_dimensions[letter].width = min(max(width, 10), 40 if name != "notes" else 60)
        # Codes and phone numbers stay text: Excel would show 13812345678 as 1.38123E+10.
        sheet.column_dimensions[letter].number_format = "@"
        if name in layout.choices:
            words = ",".join(layout.choices[name])
            validation = DataValidation(
                type="list",
                formula1=f'"{words}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not in the list"),
                error=_("Choose one of: %(words)s") % {"words": "、".join(layout.choices[name])},
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
    notes = workbook.create_sheet(_("Instructions"))
    for line in _instructions(layout):
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(layout: Layout) -> list[str]:
    required = "、".join(layout.header_of(name) for name in sorted(layout.required, key=_order(layout)))
    return [
        _("One row per line of the first sheet; keep the header row as it is. At most %(max)d rows.")
        % {"max": layout.max_rows},
        _("The grey example row (its %(column)s says it is an example) is skipped on import; you may delete it.")
        % {"column": NOTES},
        _("Required columns: %(columns)s.") % {"columns": required},
        _("Phone numbers: a mobile number (11 digits starting with 13 to 19) or a landline with its area code."),
        _("Every row is checked first; nothing is written until you confirm the import."),
    ]


def _order(layout: Layout):
    fields = [name for _header, name in layout.columns]
    return fields.index


def error_report(*, bad_rows: list[dict]) -> bytes:
    """A workbook of every bad row: its Excel row number, what it names, and the reasons."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet(_("Rows with problems")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    write_cells(sheet, 0, 0, [_("Row"), _("Content"), _("Problems")], bold)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 2, 100)
    sheet.freeze_panes(1, 0)
    for index, row in enumerate(bad_rows, start=1):
        write_cells(sheet, index, 0, [row["row"], row["label"], "；".join(row["problems"])])
    workbook.close()
    return buffer.getvalue()


def passwords_workbook(accounts: list[tuple[str, str, str, str]]) -> bytes:
    """The initial passwords of imported operators: (login, full name, unit, password)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet(_("Initial passwords")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    write_cells(
        sheet, 0, 0, [_("Login name"), _("Full name"), pgettext("organisation", "Unit"), _("Initial password")], bold
    )
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 2, 40)
    sheet.set_column(3, 3, 20)
    sheet.freeze_panes(1, 0)
    for index, account in enumerate(accounts, start=1):
        for column, value in enumerate(account):
            # Text even when a password is all digits: write_cell would make it a number.
            write_cell(sheet, index, column, str(value))
    workbook.close()
    return buffer.getvalue()
