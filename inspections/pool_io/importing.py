"""Importing the expert pool from an Excel workbook.

An import is checked as a whole before anything is written: every row gets a report
(its Excel row number and, when it is bad, each reason) and the rows are written in bulk
by inspections.services.pool.import_inspectors, either all of them when every row is
good or only the good ones when the user chooses so.
"""

import io
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import User
from core.spreadsheets import cell_text, check_xlsx_upload, unreadable_workbook
from inspections.models import Inspector
from inspections.permissions import require_province
from inspections.pool_io.workbook import (
    ACTIVE_TEXT,
    BATCH_SIZE,
    COLUMNS,
    CONFLICT_SEPARATOR,
    EMAIL_LIMIT,
    EXAMPLE_MARK,
    HEADER_OF,
    HEADERS,
    INACTIVE_TEXT,
    MAX_BYTES,
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    MAX_UNPACKED_BYTES,
    MOBILE,
    PHONE_NOISE,
    PROVINCIAL_TEXT,
    STASH_FOLDER,
    STASH_HOURS,
    TEXT_LIMITS,
)
from inspections.services.pool import AREA_KINDS, ImportCounts, PoolRow, import_inspectors, login_account_problem
from organisations.models import Kind, Organisation


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


def check_upload(upload) -> None:
    """Refuse, with a message for the user, anything but a plausible .xlsx workbook of at
    most MAX_BYTES whose content does not inflate past MAX_UNPACKED_BYTES."""
    check_xlsx_upload(upload, max_bytes=MAX_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES)


def read_rows(file) -> list[tuple[int, dict]]:
    """The non-empty rows of the first sheet with the template's headers, as (Excel row
    number, {field: cell}). Raises ValidationError with a message for the user when the
    file is unreadable, lacks columns or holds more than MAX_ROWS rows."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        # openpyxl raises whatever its XML and ZIP readers raise on a damaged file.
        raise unreadable_workbook() from error
    try:
        return _rows_of(workbook)
    except ValidationError:
        raise
    except Exception as error:
        raise unreadable_workbook() from error
    finally:
        workbook.close()


def _rows_of(workbook) -> list[tuple[int, dict]]:
    sheet, positions = None, {}
    for candidate in workbook.worksheets:
        header = next(candidate.iter_rows(min_row=1, max_row=1, values_only=True), ())
        found = {cell_text(value): index for index, value in enumerate(header) if cell_text(value)}
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
            name: cell_text(values[positions[header]]) if positions[header] < len(values) else ""
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
    require_province(actor)
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
