"""The expert pool as an Excel workbook: its layout, the blank template and the export.

The workbook's layout is a file format, not page text: its column headers, the two
states and the mark of the example row are fixed Chinese strings, whatever the language
of the page, so that a file exported or filled in under one language imports under the
other. What a person reads (the instructions sheet) goes through gettext.
"""

import io
import re

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from audit.services import record_event
from core import filetypes
from core.masking import mask_phone
from core.roles import Role
from core.spreadsheets import append_row, display_width, put_cell
from inspections.models import Conflict
from inspections.permissions import require_province
from inspections.services.pool import AREA_KINDS
from organisations.models import Organisation

# (header, field) in the order of the columns.
COLUMNS = (
    ("姓名", "name"),
    ("工作单位", "employer"),
    ("职务职称", "title"),
    ("所属市/系统", "area"),
    ("专业领域", "specialities"),
    ("手机号码", "phone"),
    ("电子邮箱", "email"),
    ("登录账号", "user"),
    ("状态", "is_active"),
    ("回避单位", "conflicts"),
    ("备注", "notes"),
)
HEADERS = tuple(header for header, _field in COLUMNS)
HEADER_OF = {name: header for header, name in COLUMNS}
ACTIVE_TEXT = "在库"
INACTIVE_TEXT = "停用"
PROVINCIAL_TEXT = "省级"
# A row whose 备注 is exactly this is the template's example and is never imported.
EXAMPLE_MARK = "示例行：导入时自动忽略，可删除"
CONFLICT_SEPARATOR = re.compile(r"[；;]")
MOBILE = re.compile(r"^1\d{10}$")
# Spaces and hyphens people type into phone numbers ("138-1234-5678").
PHONE_NOISE = re.compile(r"[\s\-]")
TEXT_LIMITS = {"name": 50, "employer": 200, "title": 100, "specialities": 200, "notes": 2000}
EMAIL_LIMIT = 254

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# What the XML inside the upload may unpack to: a small file that inflates to gigabytes
# is refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Rows read at most, empty ones included: a sheet formatted down to row 1,048,576 is
# refused rather than read to the end.
MAX_SCANNED_ROWS = 50_000
VALIDATED_ROWS = MAX_ROWS + 1
BATCH_SIZE = 500
STASH_FOLDER = "imports/experts"
# How long an upload checked but never confirmed is kept.
STASH_HOURS = 24
XLSX_CONTENT_TYPE = filetypes.KNOWN_TYPES["xlsx"].content_type
MIN_WIDTH, MAX_WIDTH = 8, 50
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")


def can_export_unmasked(user) -> bool:
    """Only the provincial administrator may take the pool away with whole phone numbers."""
    return user.is_authenticated and user.role == Role.PROVINCE_ADMIN


def _fit_columns(sheet, rows: list[list[str]]) -> None:
    for index in range(len(HEADERS)):
        widest = max((display_width(str(row[index] or "")) for row in rows), default=0)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)


def _write_header(sheet) -> None:
    append_row(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
    # Phone numbers stay text: Excel would show 13812345678 as 1.38123E+10.
    sheet.column_dimensions[get_column_letter(HEADERS.index("手机号码") + 1)].number_format = "@"


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def area_names() -> list[str]:
    """The names a row may give as 所属市/系统: provincial level, then every city, system
    and provincial department in the order of the tree."""
    names = Organisation.objects.filter(kind__in=AREA_KINDS).active().order_by("path").values_list("name", flat=True)
    return [PROVINCIAL_TEXT, *dict.fromkeys(names)]


def template_workbook() -> bytes:
    """The blank import template: the header row, one example row (ignored on import),
    drop-down lists for 所属市/系统 (from the live organisations) and 状态, and a sheet
    of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Experts")
    _write_header(sheet)
    areas = area_names()
    example = [
        "张三",
        "河北师范大学",
        "教授",
        areas[1] if len(areas) > 1 else PROVINCIAL_TEXT,
        "心理咨询；人文关怀",
        "13800000000",
        "zhangsan@example.com",
        "",
        ACTIVE_TEXT,
        "",
        EXAMPLE_MARK,
    ]
    append_row(sheet, example)
    for cell in sheet[2]:
        cell.font = EXAMPLE_FONT
    area_index = HEADERS.index("所属市/系统")
    samples = [[name if index == area_index else "" for index in range(len(HEADERS))] for name in areas]
    _fit_columns(sheet, [list(HEADERS), example, *samples])

    lists = workbook.create_sheet(_("Lists"))
    for row, name in enumerate(areas, start=1):
        put_cell(lists, row, 1, name)
    lists.sheet_state = "hidden"
    last_row = VALIDATED_ROWS
    area_column = get_column_letter(HEADERS.index("所属市/系统") + 1)
    state_column = get_column_letter(HEADERS.index("状态") + 1)
    area_list = DataValidation(
        type="list",
        formula1=f"'{lists.title}'!$A$1:$A${len(areas)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Unknown city or system"),
        error=_("Choose a city, industry system or provincial department from the list."),
    )
    state_list = DataValidation(
        type="list",
        formula1=f'"{ACTIVE_TEXT},{INACTIVE_TEXT}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Unknown state"),
        error=_("Choose %(active)s or %(inactive)s.") % {"active": ACTIVE_TEXT, "inactive": INACTIVE_TEXT},
    )
    area_list.add(f"{area_column}2:{area_column}{last_row}")
    state_list.add(f"{state_column}2:{state_column}{last_row}")
    sheet.add_data_validation(area_list)
    sheet.add_data_validation(state_list)

    notes = workbook.create_sheet(_("Instructions"))
    for line in _instructions():
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    workbook.active = 0
    return _save(workbook)


def _instructions() -> list[str]:
    return [
        _("How to fill in the expert pool template"),
        _("One expert per row of the first sheet; keep the header row as it is. At most %(max)d rows.")
        % {"max": MAX_ROWS},
        _("The grey example row is ignored on import; you may delete it."),
        _("%(column)s is required; every other column may stay empty.") % {"column": HEADER_OF["name"]},
        _(
            "%(column)s: choose from the list; leave it empty or choose %(provincial)s for an expert at provincial level."
        )
        % {"column": HEADER_OF["area"], "provincial": PROVINCIAL_TEXT},
        _("%(column)s: 11 digits starting with 1.") % {"column": HEADER_OF["phone"]},
        _(
            "%(column)s: the user name of an existing inspector account. A row with the account of an expert "
            "already in the pool updates that expert; every other row adds a new expert."
        )
        % {"column": HEADER_OF["user"]},
        _("%(column)s: %(active)s or %(inactive)s; empty means %(active)s.")
        % {"column": HEADER_OF["is_active"], "active": ACTIVE_TEXT, "inactive": INACTIVE_TEXT},
        _(
            "%(column)s: the exact names of units or associations the expert must not inspect, separated by ； or ;. "
            "An import adds conflicts and never withdraws one."
        )
        % {"column": HEADER_OF["conflicts"]},
        _(
            "Two rows with the same name and phone number, or a row repeating an expert already in the pool, are refused."
        ),
    ]


def export_workbook(*, actor, inspectors, unmasked: bool = False) -> bytes:
    """The pool entries of `inspectors` (already scoped and filtered by the caller) in the
    template's columns, phone numbers masked unless `unmasked`, which only the provincial
    administrator may ask for (PermissionDenied otherwise). Records an audit event
    "inspector.export" with the number of rows and whether phones were whole."""
    require_province(actor)
    if unmasked and not can_export_unmasked(actor):
        raise PermissionDenied
    conflicts = Prefetch("conflicts", queryset=Conflict.objects.select_related("organisation").order_by("pk"))
    rows = []
    queryset = inspectors.select_related("area", "user").prefetch_related(conflicts).order_by("name", "pk")
    for inspector in queryset.iterator(chunk_size=1000):
        rows.append(
            [
                inspector.name,
                inspector.employer,
                inspector.title,
                inspector.area.name if inspector.area else PROVINCIAL_TEXT,
                inspector.specialities,
                inspector.phone if unmasked else mask_phone(inspector.phone),
                inspector.email,
                inspector.user.username if inspector.user else "",
                ACTIVE_TEXT if inspector.is_active else INACTIVE_TEXT,
                "；".join(conflict.organisation.name for conflict in inspector.conflicts.all()),
                inspector.notes,
            ]
        )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Experts")
    _write_header(sheet)
    for row in rows:
        append_row(sheet, row)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"
    _fit_columns(sheet, [list(HEADERS), *rows])
    record_event(actor=actor, action="inspector.export", details={"rows": len(rows), "unmasked": unmasked})
    return _save(workbook)
