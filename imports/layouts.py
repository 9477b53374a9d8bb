"""The four import workbooks: their columns, fixed words and limits.

A workbook's layout is a file format, not page text: headers, the words of the drop-down
lists and the mark of the example row are fixed Chinese strings whatever the language of
the page, so that a file filled in under one language imports under the other (the
expert pool's own layout, inspections.pool_io.workbook, does the same)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from inspections.pool_io import EXAMPLE_MARK
from organisations.models import Kind, Sector

ORGANISATIONS, UNITS, OPERATORS, INSPECTORS = "organisations", "units", "operators", "inspectors"
NOTES = "备注"

# The words a row gives for a kind of organisation or a sector, as people say them.
KIND_TEXT = {"市": Kind.CITY, "行业系统": Kind.SYSTEM, "省直部门": Kind.DEPARTMENT, "县（市、区）": Kind.COUNTY}
SECTOR_TEXT = {
    "企业": Sector.ENTERPRISE,
    "学校": Sector.SCHOOL,
    "农村": Sector.VILLAGE,
    "机关": Sector.AGENCY,
    "社区": Sector.COMMUNITY,
}
# Mainland mobile numbers, or a landline with its area code (0311-86001234, extension allowed).
PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Spaces people type into numbers ("138 1234 5678"); hyphens are kept for landlines.
SPACES = re.compile(r"\s")
REGION_CODE = re.compile(r"^\d{6}$")
CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


@dataclass(frozen=True)
class Layout:
    """One import kind: its (header, field) columns, the required fields, the example row,
    the drop-down lists ({field: words}) and how many rows a file may hold."""

    kind: str
    title: object
    description: object
    columns: tuple
    required: frozenset
    example: dict
    choices: dict
    max_rows: int

    @property
    def headers(self) -> tuple:
        return tuple(header for header, _field in self.columns)

    def header_of(self, field: str) -> str:
        return {name: header for header, name in self.columns}[field]


LAYOUTS = {
    ORGANISATIONS: Layout(
        kind=ORGANISATIONS,
        title=_("Organisations"),
        description=_("Cities, industry systems, provincial departments and counties, with their parent."),
        columns=(
            ("名称", "name"),
            ("类型", "kind"),
            ("上级组织（名称或代码）", "parent"),
            ("统一社会信用代码", "code"),
            ("行政区划代码", "region_code"),
            ("联系人", "contact_name"),
            ("联系电话", "contact_phone"),
            (NOTES, "notes"),
        ),
        required=frozenset({"name", "kind", "parent"}),
        example={
            "name": "示例市",
            "kind": "市",
            "parent": "河北省",
            "region_code": "130100",
            "contact_name": "张三",
            "contact_phone": "0311-86001234",
        },
        choices={"kind": tuple(KIND_TEXT)},
        max_rows=5_000,
    ),
    UNITS: Layout(
        kind=UNITS,
        title=_("Grassroots units"),
        description=_("Units with their unified social credit code, sector and the city, county or system above them."),
        columns=(
            ("统一社会信用代码", "code"),
            ("单位名称", "name"),
            ("行业类别", "sector"),
            ("所属市/县/系统（名称或代码）", "parent"),
            ("地址", "address"),
            ("联系人", "contact_name"),
            ("联系电话", "contact_phone"),
            (NOTES, "notes"),
        ),
        required=frozenset({"code", "name", "sector", "parent"}),
        example={
            "code": "12130000MB1234567Q",
            "name": "示例中学",
            "sector": "学校",
            "parent": "长安区",
            "address": "石家庄市长安区示例路1号",
            "contact_name": "李四",
            "contact_phone": "13800000000",
        },
        choices={"sector": tuple(SECTOR_TEXT)},
        max_rows=100_000,
    ),
    OPERATORS: Layout(
        kind=OPERATORS,
        title=_("Unit operators"),
        description=_("Sign-in accounts of the units' operators; each gets an initial password you hand over."),
        columns=(
            ("登录账号", "username"),
            ("姓名", "display_name"),
            ("单位统一社会信用代码", "unit"),
            ("手机号码", "phone"),
            ("电子邮箱", "email"),
            (NOTES, "notes"),
        ),
        required=frozenset({"username", "display_name", "unit"}),
        example={
            "username": "shili01",
            "display_name": "王五",
            "unit": "12130000MB1234567Q",
            "phone": "13800000000",
            "email": "wangwu@example.com",
        },
        choices={},
        # Every account's password is hashed at the platform's full cost (Argon2: 0.1 to 0.4 s each),
        # so a full file takes from 10 to 30 minutes in the background.
        max_rows=5_000,
    ),
    INSPECTORS: Layout(
        kind=INSPECTORS,
        title=_("Inspectors (expert pool)"),
        description=_("Experts of the pool, in the expert pool's own template."),
        columns=(),
        required=frozenset(),
        example={},
        choices={},
        max_rows=5_000,
    ),
}
KINDS = tuple(LAYOUTS)
EXAMPLE = EXAMPLE_MARK
# The file a user may upload: large enough for 100,000 units (about 8 MB), small enough
# to refuse a mistaken upload at once.
MAX_BYTES = 30 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
# Bad rows shown on the result page; all of them are in the downloadable report.
SHOWN_BAD_ROWS = 100
