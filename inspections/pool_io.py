"""The expert pool as an Excel workbook: the blank template, the export and the import.

The workbook's layout is a file format, not page text: its column headers, the two
states and the mark of the example row are fixed Chinese strings, whatever the language
of the page, so that a file exported or filled in under one language imports under the
other. What a person reads (the instructions sheet, the import report) goes through
gettext.

An import is checked as a whole before anything is written: every row gets a report
(its Excel row number and, when it is bad, each reason) and the rows are written in bulk
by inspections.services.pool.import_inspectors, either all of them when every row is
good or only the good ones when the user chooses so.
"""

import io
import re
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import User
from accounts.roles import PROVINCE_ROLES, Role
from audit.services import record_event
from core import filetypes
from core.masking import mask_phone
from inspections.models import Conflict, Inspector
from inspections.services.pool import AREA_KINDS, ImportCounts, PoolRow, import_inspectors, login_account_problem
from organisations.models import Kind, Organisation

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


def _require_province(actor) -> None:
    if not (actor.is_authenticated and actor.role in PROVINCE_ROLES):
        raise PermissionDenied


def _display_width(text: str) -> int:
    # A Chinese character takes two columns of Excel's default font.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_columns(sheet, rows: list[list[str]]) -> None:
    for index in range(len(HEADERS)):
        widest = max((_display_width(str(row[index] or "")) for row in rows), default=0)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)


def _write_header(sheet) -> None:
    sheet.append(HEADERS)
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
    sheet.append(example)
    for cell in sheet[2]:
        cell.font = EXAMPLE_FONT
    area_index = HEADERS.index("所属市/系统")
    samples = [[name if index == area_index else "" for index in range(len(HEADERS))] for name in areas]
    _fit_columns(sheet, [list(HEADERS), example, *samples])

    lists = workbook.create_sheet(_("Lists"))
    for row, name in enumerate(areas, start=1):
        lists.cell(row=row, column=1, value=name)
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
        notes.append([line])
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
    _require_province(actor)
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
        sheet.append(row)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"
    _fit_columns(sheet, [list(HEADERS), *rows])
    record_event(actor=actor, action="inspector.export", details={"rows": len(rows), "unmasked": unmasked})
    return _save(workbook)


# --- Import -------------------------------------------------------------------------


@dataclass
class RowReport:
    """The verdict on one row: its Excel row number, the name it gives, the reasons it is
    refused (none when it is good) and, when good, what it writes."""

    number: int
    name: str
    problems: list[str] = field(default_factory=list)
    row: PoolRow | None = None
    updates: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportReport:
    rows: list[RowReport]

    @property
    def good(self) -> list[RowReport]:
        return [row for row in self.rows if row.ok]

    @property
    def good_count(self) -> int:
        return len(self.good)

    @property
    def bad_count(self) -> int:
        return len(self.rows) - self.good_count

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and self.bad_count == 0


def _text(value) -> str:
    """A cell as text: numbers typed into a text column (a phone as 13812345678 or
    1.3812345678E10) come back as their digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unreadable() -> ValidationError:
    return ValidationError(
        _("This file cannot be read as an Excel workbook (.xlsx). Save it as .xlsx in Excel or WPS and try again."),
        code="unreadable",
    )


def check_upload(upload) -> None:
    """Refuse, with a message for the user, anything but a plausible .xlsx workbook."""
    if filetypes.extension_of(upload.name or "") != "xlsx" or upload.size > MAX_BYTES:
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB. Split it into several files.")
                % {"size": MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        raise ValidationError(
            _("Only Excel workbooks (.xlsx) can be imported. Download the template and fill it in."),
            code="not_xlsx",
        )
    if "xlsx" not in filetypes.content_kinds(upload):
        raise _unreadable()
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _unreadable() from error
    finally:
        upload.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _unreadable()


def read_rows(file) -> list[tuple[int, dict]]:
    """The non-empty rows of the first sheet with the template's headers, as (Excel row
    number, {field: cell}). Raises ValidationError with a message for the user when the
    file is unreadable, lacks columns or holds more than MAX_ROWS rows."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        # openpyxl raises whatever its XML and ZIP readers raise on a damaged file.
        raise _unreadable() from error
    try:
        return _rows_of(workbook)
    except ValidationError:
        raise
    except Exception as error:
        raise _unreadable() from error
    finally:
        workbook.close()


def _rows_of(workbook) -> list[tuple[int, dict]]:
    sheet, positions = None, {}
    for candidate in workbook.worksheets:
        header = next(candidate.iter_rows(min_row=1, max_row=1, values_only=True), ())
        found = {_text(value): index for index, value in enumerate(header) if _text(value)}
        if HEADER_OF["name"] in found:
            sheet, positions = candidate, found
            break
    if sheet is None:
        raise ValidationError(
            _("No sheet has the header row of the template (its first column is %(column)s). Use the template.")
            % {"column": HEADER_OF["name"]},
            code="no_header",
        )
    missing = [header for header in HEADERS if header not in positions]
    if missing:
        raise ValidationError(
            _("These columns of the template are missing: %(columns)s. Use the template.")
            % {"columns": "、".join(missing)},
            code="missing_columns",
        )
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if number > MAX_SCANNED_ROWS:
            raise ValidationError(
                _("The sheet is longer than %(max)d rows. Copy the experts into the template.")
                % {"max": MAX_SCANNED_ROWS},
                code="too_long",
            )
        cells = {
            name: _text(values[positions[header]]) if positions[header] < len(values) else ""
            for header, name in COLUMNS
        }
        if not any(cells.values()) or cells["notes"] == EXAMPLE_MARK:
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                _("The file holds more than %(max)d experts. Split it into several files.") % {"max": MAX_ROWS},
                code="too_many_rows",
            )
    return rows


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _names_to_ids(queryset, names: set[str]) -> dict[str, list[int]]:
    found = defaultdict(list)
    for chunk in _chunks(sorted(names)):
        for pk, name in queryset.filter(name__in=chunk).values_list("pk", "name"):
            found[name].append(pk)
    return found


class _Lookups:
    """Everything the rows refer to, read in a few queries whatever the number of rows."""

    def __init__(self, rows: list[tuple[int, dict]]):
        self.areas = _names_to_ids(
            Organisation.objects.filter(kind__in=AREA_KINDS).active(), {cells["area"] for _number, cells in rows}
        )
        conflict_names = {name for _number, cells in rows for name in _split_conflicts(cells["conflicts"])}
        self.organisations = _names_to_ids(Organisation.objects.all(), conflict_names)
        self.provinces = set(Organisation.objects.filter(kind=Kind.PROVINCE).values_list("pk", flat=True))
        self.users = {}
        usernames = sorted({cells["user"] for _number, cells in rows if cells["user"]})
        for chunk in _chunks(usernames):
            for user in User.objects.filter(username__in=chunk).select_related("inspector_profile"):
                self.users[user.username] = user
        self.entries = defaultdict(list)
        for chunk in _chunks(sorted({cells["name"] for _number, cells in rows if cells["name"]})):
            for pk, name, phone in Inspector.objects.filter(name__in=chunk).values_list("pk", "name", "phone"):
                self.entries[(name, phone)].append(pk)


def _split_conflicts(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in CONFLICT_SEPARATOR.split(text) if part.strip()))


def check_rows(rows: list[tuple[int, dict]]) -> ImportReport:
    """Check every row against the pool and the organisations as they are now."""
    lookups = _Lookups(rows)
    seen_keys, seen_logins = {}, {}
    reports = []
    for number, cells in rows:
        report = RowReport(number=number, name=cells["name"])
        values = _check_row(cells, lookups, report.problems)
        target_id = None
        user = values.get("user")
        if user is not None:
            if cells["user"] in seen_logins:
                report.problems.append(
                    _("%(column)s “%(value)s” is also on row %(row)d.")
                    % {"column": HEADER_OF["user"], "value": cells["user"], "row": seen_logins[cells["user"]]}
                )
            else:
                seen_logins[cells["user"]] = number
            linked = getattr(user, "inspector_profile", None)
            target_id = linked.pk if linked is not None else None
        if cells["name"]:
            key = (cells["name"], values.get("phone", cells["phone"]))
            if key in seen_keys:
                report.problems.append(_("Same name and phone number as row %(row)d.") % {"row": seen_keys[key]})
            else:
                seen_keys[key] = number
            if [pk for pk in lookups.entries.get(key, []) if pk != target_id]:
                report.problems.append(
                    _(
                        "%(name)s with this phone number is already in the pool. Give the expert's login account "
                        "to update the entry, or remove the row."
                    )
                    % {"name": cells["name"]}
                )
        if report.ok:
            conflict_ids = values.pop("conflict_ids")
            values.pop("user")
            report.row = PoolRow(values=values, target_id=target_id, conflict_ids=conflict_ids)
            report.updates = target_id is not None
        reports.append(report)
    return ImportReport(rows=reports)


def _is_email(text: str) -> bool:
    if len(text) > EMAIL_LIMIT:
        return False
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _check_row(cells: dict, lookups: _Lookups, problems: list[str]) -> dict:
    values = {}
    if not cells["name"]:
        problems.append(_("%(column)s is missing.") % {"column": HEADER_OF["name"]})
    for name, limit in TEXT_LIMITS.items():
        if len(cells[name]) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)d characters.") % {"column": HEADER_OF[name], "limit": limit}
            )
        values[name] = cells[name][:limit]

    area = cells["area"]
    values["area_id"] = None
    if area and area != PROVINCIAL_TEXT:
        matches = lookups.areas.get(area, [])
        if not matches:
            problems.append(
                _("%(column)s “%(value)s”: no city, industry system or provincial department has this name.")
                % {"column": HEADER_OF["area"], "value": area}
            )
        elif len(matches) > 1:
            problems.append(
                _("%(column)s “%(value)s”: several organisations have this name; set it on the expert's page.")
                % {"column": HEADER_OF["area"], "value": area}
            )
        else:
            values["area_id"] = matches[0]

    phone = PHONE_NOISE.sub("", cells["phone"])
    if phone and not MOBILE.match(phone):
        problems.append(
            _("%(column)s “%(value)s” is not a mobile number: 11 digits starting with 1.")
            % {"column": HEADER_OF["phone"], "value": cells["phone"]}
        )
    values["phone"] = phone

    email = cells["email"]
    if email and not _is_email(email):
        problems.append(
            _("%(column)s “%(value)s” is not a valid e-mail address.") % {"column": HEADER_OF["email"], "value": email}
        )
    values["email"] = email

    values["user"] = values["user_id"] = None
    if cells["user"]:
        user = lookups.users.get(cells["user"])
        if user is None:
            problems.append(
                _("%(column)s “%(value)s”: no account has this user name.")
                % {"column": HEADER_OF["user"], "value": cells["user"]}
            )
        else:
            linked = getattr(user, "inspector_profile", None)
            problem = login_account_problem(user, inspector_id=linked.pk if linked is not None else None)
            if problem:
                problems.append(
                    _("%(column)s “%(value)s”: %(problem)s")
                    % {"column": HEADER_OF["user"], "value": cells["user"], "problem": problem}
                )
            else:
                values["user"], values["user_id"] = user, user.pk

    state = cells["is_active"]
    if state not in ("", ACTIVE_TEXT, INACTIVE_TEXT):
        problems.append(
            _("%(column)s must be %(active)s or %(inactive)s, not “%(value)s”.")
            % {"column": HEADER_OF["is_active"], "active": ACTIVE_TEXT, "inactive": INACTIVE_TEXT, "value": state}
        )
    values["is_active"] = state != INACTIVE_TEXT

    values["conflict_ids"] = []
    for name in _split_conflicts(cells["conflicts"]):
        matches = lookups.organisations.get(name, [])
        if not matches:
            problems.append(
                _("%(column)s “%(value)s”: no organisation has this name.")
                % {"column": HEADER_OF["conflicts"], "value": name}
            )
        elif len(matches) > 1:
            problems.append(
                _("%(column)s “%(value)s”: several organisations have this name; declare it on the expert's page.")
                % {"column": HEADER_OF["conflicts"], "value": name}
            )
        elif matches[0] in lookups.provinces:
            problems.append(
                _("%(column)s “%(value)s”: the whole province cannot be declared.")
                % {"column": HEADER_OF["conflicts"], "value": name}
            )
        else:
            values["conflict_ids"].append(matches[0])
    return values


def check_workbook(file) -> ImportReport:
    """Read and check a workbook; ValidationError when it cannot be read at all."""
    return check_rows(read_rows(file))


def import_report(*, actor, report: ImportReport, only_good: bool = False) -> ImportCounts:
    """Write a checked import: every row when all are good, or only the good rows when
    `only_good`. ValidationError when a row is bad and not `only_good`, or when no row
    is good; PermissionDenied unless `actor` is provincial."""
    _require_province(actor)
    if report.bad_count and not only_good:
        raise ValidationError(
            _("Some rows have problems: correct the file, or import only the good rows."), code="bad_rows"
        )
    good = report.good
    if not good:
        raise ValidationError(_("No row of the file can be imported."), code="nothing_to_import")
    return import_inspectors(actor=actor, rows=[row.row for row in good], skipped=report.bad_count)


# --- The upload kept between the check and the confirmation ----------------------------


def _stash_name(*, user, token: str) -> str:
    return f"{STASH_FOLDER}/{user.pk}/{token}.xlsx"


def stash_upload(*, user, upload) -> str:
    """Keep a checked upload for its confirmation; return the token that names it. The
    token only opens the file for the same user: the name holds the user's key. The
    user's uploads older than STASH_HOURS, never confirmed, are deleted on the way."""
    _purge_stashes(user=user)
    token = uuid.uuid4().hex
    upload.seek(0)
    default_storage.save(_stash_name(user=user, token=token), upload)
    return token


def _purge_stashes(*, user) -> None:
    folder = f"{STASH_FOLDER}/{user.pk}"
    cutoff = timezone.now() - timedelta(hours=STASH_HOURS)
    try:
        names = default_storage.listdir(folder)[1]
        for name in names:
            if default_storage.get_modified_time(f"{folder}/{name}") < cutoff:
                default_storage.delete(f"{folder}/{name}")
    except (OSError, NotImplementedError):
        # A folder not made yet, or a storage that cannot list: nothing to tidy.
        return


def open_stash(*, user, token: str):
    """The stashed upload of `user` named by `token` as a seekable file, or None when the
    token is malformed or the file is gone."""
    try:
        token = uuid.UUID(hex=token).hex
    except (TypeError, ValueError):
        return None
    try:
        with default_storage.open(_stash_name(user=user, token=token), "rb") as stored:
            return io.BytesIO(stored.read())
    except OSError:
        return None


def discard_stash(*, user, token: str) -> None:
    try:
        token = uuid.UUID(hex=token).hex
    except (TypeError, ValueError):
        return
    default_storage.delete(_stash_name(user=user, token=token))
