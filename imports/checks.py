"""Checking an import's rows against the platform as it is now. Reads only.

Every row gets a verdict: its Excel row number, what it names, and each reason it is
refused (none when it is good), plus, when good, the values its write needs. The same
check runs twice: in the check job, which writes nothing, and again in the import job
right before writing, because the platform may have changed in between."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from accounts.models import User
from imports.layouts import (
    CODE,
    INSPECTORS,
    KIND_TEXT,
    LAYOUTS,
    MOBILE,
    OPERATORS,
    ORGANISATIONS,
    PHONE,
    REGION_CODE,
    SECTOR_TEXT,
    SPACES,
    UNITS,
    Layout,
)
from imports.workbook import read_rows
from inspections import pool_io
from organisations import regions
from organisations.models import ALLOWED_PARENT_KINDS, Kind, Organisation, Status

# Rows asked about in one query: below every database's limit of parameters.
LOOKUP_CHUNK = 900
LIMITS = {"name": 200, "address": 255, "contact_name": 50, "display_name": 50, "email": 254, "username": 150}
ADVANCE_EVERY = 1000


@dataclass
class RowResult:
    number: int
    label: str
    problems: list[str] = field(default_factory=list)
    values: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class CheckReport:
    """The verdict on every row of a file. `pool_report` is the expert pool's own report,
    which its writer (inspections.pool_io.import_report) takes as it is."""

    kind: str
    rows: list[RowResult]
    pool_report: object = None

    @property
    def good(self) -> list[RowResult]:
        return [row for row in self.rows if row.ok]

    @property
    def bad(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]

    def summary(self) -> dict:
        good = len(self.good)
        existing = sum(1 for row in self.good if row.values and row.values.get("existing_id"))
        return {"rows": len(self.rows), "good": good, "bad": len(self.rows) - good, "existing": existing}


def _nothing(*args) -> None:
    return None


def check_file(
    file,
    *,
    kind: str,
    started: Callable[[int], None] = _nothing,
    advance: Callable[[int, int], None] = _nothing,
) -> CheckReport:
    """Read and check an uploaded workbook of import `kind`, calling `started(rows)` once
    the file is read and `advance(done, total)` as rows are checked. Raises
    ValidationError with a message for the user when the file cannot be read at all."""
    if kind == INSPECTORS:
        report = pool_io.check_workbook(file)
        started(len(report.rows))
        rows = [RowResult(number=row.number, label=row.name, problems=list(row.problems)) for row in report.rows]
        advance(len(rows), len(rows))
        return CheckReport(kind=kind, rows=rows, pool_report=report)
    layout = LAYOUTS[kind]
    rows = read_rows(file, layout)
    started(len(rows))
    checker = {ORGANISATIONS: _check_organisations, UNITS: _check_units, OPERATORS: _check_operators}[kind]
    return CheckReport(kind=kind, rows=checker(rows, layout, advance))


def _chunks(items: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _missing(layout: Layout, cells: dict, problems: list[str]) -> None:
    for header, name in layout.columns:
        if name in layout.required and not cells[name]:
            problems.append(_("%(column)s is missing.") % {"column": header})


def _too_long(layout: Layout, cells: dict, problems: list[str]) -> None:
    for header, name in layout.columns:
        limit = LIMITS.get(name)
        if limit and len(cells[name]) > limit:
            problems.append(_("%(column)s is longer than %(limit)d characters.") % {"column": header, "limit": limit})


def _phone(layout: Layout, cells: dict, name: str, problems: list[str], *, mobile_only: bool = False) -> str:
    phone = SPACES.sub("", cells[name])
    if phone and not (MOBILE if mobile_only else PHONE).match(phone):
        if mobile_only:
            message = _("%(column)s “%(value)s” is not a mobile number: 11 digits starting with 13 to 19.")
        else:
            message = _(
                "%(column)s “%(value)s” is neither a mobile number (11 digits starting with 13 to 19) "
                "nor a landline with its area code (0311-86001234)."
            )
        problems.append(message % {"column": layout.header_of(name), "value": cells[name]})
    return phone


def _code(layout: Layout, cells: dict, name: str, problems: list[str]) -> str:
    code = SPACES.sub("", cells[name]).upper()
    if code and not CODE.match(code):
        problems.append(
            _("%(column)s “%(value)s” is not 18 digits and capital letters (GB 32100).")
            % {"column": layout.header_of(name), "value": cells[name]}
        )
    elif code and not uscc.is_valid(code):
        problems.append(
            _("%(column)s “%(value)s” does not check out: its last character (the check digit) does not fit.")
            % {"column": layout.header_of(name), "value": cells[name]}
        )
    return code


def _region_code(layout: Layout, cells: dict, problems: list[str]) -> str:
    region = cells["region_code"]
    if region and not REGION_CODE.match(region):
        problems.append(
            _("%(column)s “%(value)s” is not six digits (GB/T 2260), e.g. 130102.")
            % {"column": layout.header_of("region_code"), "value": region}
        )
    elif region and not regions.is_current(region):
        problems.append(
            _("%(column)s “%(value)s” is not a region code in force (GB/T 2260).")
            % {"column": layout.header_of("region_code"), "value": region}
        )
    return region


def _region_placement(layout: Layout, region: str, parent: dict, taken: dict, problems: list[str]) -> None:
    """A division's code lies within its parent's and belongs to no other division."""
    if not region or not REGION_CODE.match(region):
        return
    parent_region = parent.get("region_code") or ""
    if parent_region and (not regions.lies_within(region, parent_region) or region == parent_region):
        problems.append(
            _("%(column)s “%(value)s” does not lie within %(parent)s (%(parent_code)s).")
            % {
                "column": layout.header_of("region_code"),
                "value": region,
                "parent": parent["name"],
                "parent_code": parent_region,
            }
        )
    elif region in taken:
        problems.append(
            _("%(column)s “%(value)s” is already the code of %(holder)s.")
            % {"column": layout.header_of("region_code"), "value": region, "holder": taken[region]}
        )


def _taken_codes(codes: set[str]) -> set[str]:
    taken = set()
    for chunk in _chunks(sorted(codes)):
        # exclude(code="") lets SQLite use the partial unique index on codes.
        codes_found = Organisation.objects.filter(code__in=chunk).exclude(code="").order_by()
        taken.update(codes_found.values_list("code", flat=True))
    return taken


def _duplicate_code(layout, code, number, seen, taken, problems, *, name="code") -> None:
    if not code or not CODE.match(code):
        return
    if code in seen:
        problems.append(
            _("%(column)s “%(value)s” is also on row %(row)d.")
            % {"column": layout.header_of(name), "value": code, "row": seen[code]}
        )
    else:
        seen[code] = number
    if code in taken:
        problems.append(
            _("%(column)s “%(value)s” is already on the platform.") % {"column": layout.header_of(name), "value": code}
        )


class _Parents:
    """The organisations that may be a parent (every active one but units): by code, by
    region code, by full path (邢台市/桥西区: 桥西区 is also a district of 石家庄市 and of
    张家口市) and by name."""

    def __init__(self):
        self.by_name, self.by_code, self.by_region, self.by_path = defaultdict(list), {}, {}, defaultdict(list)
        nodes = list(
            Organisation.objects.exclude(kind=Kind.UNIT)
            .filter(status=Status.ACTIVE)
            .values("pk", "name", "code", "kind", "path", "region_code")
        )
        names = {node["pk"]: node["name"] for node in nodes}
        for node in nodes:
            self.by_name[node["name"]].append(node)
            if node["code"]:
                self.by_code[node["code"]] = node
            if node["region_code"]:
                self.by_region[node["region_code"]] = node
            chain = [names.get(int(pk), "") for pk in node["path"].split("/") if pk]
            # Every tail of the chain of names: 河北省/邢台市/桥西区, 邢台市/桥西区.
            for start in range(len(chain) - 1):
                self.by_path["/".join(chain[start:])].append(node)

    def find(self, text: str) -> tuple[dict | None, str]:
        """The node `text` names (by code, region code, path, else name) and "", or None
        and why not."""
        code = SPACES.sub("", text).upper()
        if code in self.by_code:
            return self.by_code[code], ""
        if REGION_CODE.match(code):
            return (self.by_region[code], "") if code in self.by_region else (None, "unknown")
        key = "/".join(part.strip() for part in text.replace("／", "/").split("/"))
        matches = self.by_path.get(key, []) if "/" in key else self.by_name.get(text, [])
        if not matches:
            return None, "unknown"
        if len(matches) > 1:
            return None, "ambiguous"
        return matches[0], ""


def _parent_problem(layout: Layout, text: str, why: str) -> str:
    if why == "ambiguous":
        return _(
            "%(column)s “%(value)s”: several organisations have this name; give its region code or its path "
            "instead, e.g. 邢台市/桥西区."
        ) % {
            "column": layout.header_of("parent"),
            "value": text,
        }
    return _("%(column)s “%(value)s”: no city, county, industry system or department has this name or code.") % {
        "column": layout.header_of("parent"),
        "value": text,
    }


def _placement_problem(layout: Layout, text: str) -> str:
    return _("%(column)s “%(value)s”: this kind of organisation cannot be placed below it.") % {
        "column": layout.header_of("parent"),
        "value": text,
    }


def _check_units(rows, layout: Layout, advance) -> list[RowResult]:
    parents = _Parents()
    allowed = ALLOWED_PARENT_KINDS[Kind.UNIT]
    codes = {SPACES.sub("", cells["code"]).upper() for _number, cells in rows if cells["code"]}
    taken = _taken_codes(codes)
    seen: dict[str, int] = {}
    results = []
    total = len(rows)
    for index, (number, cells) in enumerate(rows, start=1):
        problems: list[str] = []
        _missing(layout, cells, problems)
        _too_long(layout, cells, problems)
        code = _code(layout, cells, "code", problems)
        _duplicate_code(layout, code, number, seen, taken, problems)
        sector = SECTOR_TEXT.get(cells["sector"])
        if cells["sector"] and sector is None:
            problems.append(
                _("%(column)s “%(value)s” is not one of: %(words)s.")
                % {"column": layout.header_of("sector"), "value": cells["sector"], "words": "、".join(SECTOR_TEXT)}
            )
        parent = None
        if cells["parent"]:
            parent, why = parents.find(cells["parent"])
            if parent is None:
                problems.append(_parent_problem(layout, cells["parent"], why))
            elif parent["kind"] not in allowed:
                problems.append(_placement_problem(layout, cells["parent"]))
        phone = _phone(layout, cells, "contact_phone", problems)
        result = RowResult(number=number, label=f"{cells['name']} {code}".strip(), problems=problems)
        if not problems:
            result.values = {
                "code": code,
                "name": cells["name"],
                "sector": sector,
                "parent_id": parent["pk"],
                "parent_path": parent["path"],
                # The unit is in its county's or city's division.
                "region_code": parent["region_code"],
                "address": cells["address"],
                "contact_name": cells["contact_name"],
                "contact_phone": phone,
            }
        results.append(result)
        if index % ADVANCE_EVERY == 0:
            advance(index, total)
    advance(total, total)
    return results


def _check_organisations(rows, layout: Layout, advance) -> list[RowResult]:
    parents = _Parents()
    codes = {SPACES.sub("", cells["code"]).upper() for _number, cells in rows if cells["code"]}
    taken = _taken_codes(codes)
    divisions = Organisation.objects.exclude(kind=Kind.UNIT).exclude(status=Status.REFUSED).order_by()
    existing_children = {
        (parent_id, name): pk for pk, parent_id, name in divisions.values_list("pk", "parent_id", "name")
    }
    taken_regions = dict(divisions.exclude(region_code="").values_list("region_code", "name"))
    seen_codes: dict[str, int] = {}
    # The rows of the file another row may name as its parent, by name and by code.
    in_file = defaultdict(list)
    for number, cells in rows:
        if cells["name"]:
            in_file[cells["name"]].append(number)
        if cells["code"]:
            in_file[SPACES.sub("", cells["code"]).upper()].append(number)
    # Rows that name an organisation already on the platform (same name below the same
    # parent): another row naming it means that organisation, not an ambiguity.
    already_there = {}
    for number, cells in rows:
        parent, _why = parents.find(cells["parent"]) if cells["parent"] else (None, "")
        if parent is not None and (parent["pk"], cells["name"]) in existing_children:
            already_there[number] = existing_children[(parent["pk"], cells["name"])]
    results, by_number, seen_names = [], {}, {}
    for number, cells in rows:
        problems: list[str] = []
        _missing(layout, cells, problems)
        _too_long(layout, cells, problems)
        code = _code(layout, cells, "code", problems)
        _duplicate_code(layout, code, number, seen_codes, taken, problems)
        region = _region_code(layout, cells, problems)
        phone = _phone(layout, cells, "contact_phone", problems)
        kind = KIND_TEXT.get(cells["kind"])
        if cells["kind"] and kind is None:
            problems.append(
                _("%(column)s “%(value)s” is not one of: %(words)s.")
                % {"column": layout.header_of("kind"), "value": cells["kind"], "words": "、".join(KIND_TEXT)}
            )
        values = {
            "name": cells["name"],
            "kind": kind,
            "code": code,
            "region_code": region,
            "contact_name": cells["contact_name"],
            "contact_phone": phone,
            "parent_id": None,
            "parent_row": None,
        }
        text = cells["parent"]
        if text:
            key = (text, cells["name"])
            if key in seen_names:
                problems.append(
                    _("The same organisation (name and parent) is also on row %(row)d.") % {"row": seen_names[key]}
                )
            else:
                seen_names[key] = number
            named = in_file.get(text) or in_file.get(SPACES.sub("", text).upper(), [])
            parent, why = parents.find(text)
            others = [
                n for n in named if n != number and not (parent is not None and already_there.get(n) == parent["pk"])
            ]
            if others and (parent is not None or len(others) > 1):
                problems.append(_parent_problem(layout, text, "ambiguous"))
            elif others:
                # The parent is another row of the same file: resolved once every row is checked.
                values["parent_row"] = others[0]
            elif parent is None:
                problems.append(_parent_problem(layout, text, why))
            else:
                values["parent_id"], values["parent_kind"] = parent["pk"], parent["kind"]
                if kind and parent["kind"] not in ALLOWED_PARENT_KINDS[kind]:
                    problems.append(_placement_problem(layout, text))
                existing = existing_children.get((parent["pk"], cells["name"]))
                if existing is not None:
                    # Already on the platform: kept as it is, and the rows below it hang there.
                    values["existing_id"] = existing
                else:
                    _region_placement(layout, region, parent, taken_regions, problems)
        result = RowResult(number=number, label=cells["name"], problems=problems, values=values)
        results.append(result)
        by_number[number] = (result, kind)
    # A row below another row of the file is good only when that row is, and may hang there.
    for result, kind in by_number.values():
        parent_row = result.values["parent_row"]
        if parent_row is None:
            continue
        parent_result, parent_kind = by_number[parent_row]
        if parent_kind and kind and parent_kind not in ALLOWED_PARENT_KINDS[kind]:
            result.problems.append(_placement_problem(layout, parent_result.label))
        elif parent_result.values["parent_row"] is not None or parent_result.problems:
            result.problems.append(_("Its parent, on row %(row)d, cannot be imported.") % {"row": parent_row})
        elif parent_result.values.get("existing_id"):
            # Its parent is already on the platform: the row hangs below that one.
            result.values["parent_id"], result.values["parent_row"] = parent_result.values["existing_id"], None
            parent = {"name": parent_result.label, "region_code": parent_result.values["region_code"]}
            _region_placement(layout, result.values["region_code"], parent, taken_regions, result.problems)
        else:
            parent = {"name": parent_result.label, "region_code": parent_result.values["region_code"]}
            _region_placement(layout, result.values["region_code"], parent, taken_regions, result.problems)
    for result in results:
        if result.problems:
            result.values = None
    advance(len(rows), len(rows))
    return results


def _check_operators(rows, layout: Layout, advance) -> list[RowResult]:
    usernames = sorted({cells["username"].lower() for _number, cells in rows if cells["username"]})
    taken = set()
    for chunk in _chunks(usernames):
        taken.update(
            User.objects.annotate(lowered=Lower("username")).filter(lowered__in=chunk).values_list("lowered", flat=True)
        )
    codes = sorted({SPACES.sub("", cells["unit"]).upper() for _number, cells in rows if cells["unit"]})
    units = {}
    for chunk in _chunks(codes):
        for pk, code, name in (
            Organisation.objects.units()
            .active()
            .filter(code__in=chunk)
            .exclude(code="")
            .order_by()
            .values_list("pk", "code", "name")
        ):
            units[code] = (pk, name)
    username_rule = UnicodeUsernameValidator()
    seen: dict[str, int] = {}
    results = []
    for number, cells in rows:
        problems: list[str] = []
        _missing(layout, cells, problems)
        _too_long(layout, cells, problems)
        username = cells["username"]
        if username:
            try:
                username_rule(username)
            except ValidationError:
                problems.append(
                    _("%(column)s “%(value)s” may hold only letters, digits and @ . + - _.")
                    % {"column": layout.header_of("username"), "value": username}
                )
            lowered = username.lower()
            if lowered in seen:
                problems.append(
                    _("%(column)s “%(value)s” is also on row %(row)d.")
                    % {"column": layout.header_of("username"), "value": username, "row": seen[lowered]}
                )
            else:
                seen[lowered] = number
            if lowered in taken:
                problems.append(
                    _("%(column)s “%(value)s” is already taken on the platform.")
                    % {"column": layout.header_of("username"), "value": username}
                )
        unit_code = SPACES.sub("", cells["unit"]).upper()
        unit = units.get(unit_code)
        if cells["unit"] and unit is None:
            problems.append(
                _("%(column)s “%(value)s”: no active unit has this code. Import the units first.")
                % {"column": layout.header_of("unit"), "value": cells["unit"]}
            )
        phone = _phone(layout, cells, "phone", problems, mobile_only=True)
        email = cells["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    _("%(column)s “%(value)s” is not a valid e-mail address.")
                    % {"column": layout.header_of("email"), "value": email}
                )
        result = RowResult(number=number, label=username, problems=problems)
        if not problems:
            result.values = {
                "username": username,
                "display_name": cells["display_name"],
                "organisation_id": unit[0],
                "unit_name": unit[1],
                "phone": phone,
                "email": email,
            }
        results.append(result)
    advance(len(rows), len(rows))
    return results
