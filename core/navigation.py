"""The main menu, by role. One table: a link appears for the roles listed beside it."""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import ALL_ROLES, IT_ROLES, PROVINCE_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    group: str | None = None  # the drop-down it sits in; None: on the bar itself


# The groups, in the order of the bar. A group that holds a single item for a role shows
# that item on the bar instead.
OVERVIEW = _("Overview")
CREATION = _("Creation and applications")
INSPECTION = _("Inspection and naming")
PUBLICITY = _("Publicity")
PEOPLE = _("Organisations and accounts")
SETTINGS = _("Data and settings")
OVERSIGHT = _("Audit")
SECURITY = _("Security")

MENU = [
    NavItem(_("Home"), "home:index", ALL_ROLES),
    NavItem(_("Dashboard"), "dashboard:home", PROVINCE_ROLES, OVERVIEW),
    NavItem(_("Workspace"), "reports:workspace", frozenset({Role.ASSOCIATION}), OVERVIEW),
    NavItem(_("Association workspaces"), "reports:workspace", PROVINCE_ROLES, OVERVIEW),
    NavItem(_("Progress reports"), "reports:progress", PROVINCE_ROLES | {Role.ASSOCIATION}, OVERVIEW),
    NavItem(_("Our plan"), "plans:mine", frozenset({Role.UNIT}), CREATION),
    NavItem(_("Our application"), "applications:mine", frozenset({Role.UNIT}), CREATION),
    NavItem(_("Materials"), "materials:mine", frozenset({Role.UNIT}), CREATION),
    NavItem(_("Inbox"), "applications:inbox", PROVINCE_ROLES, CREATION),
    NavItem(_("Applications"), "applications:list", PROVINCE_ROLES | {Role.ASSOCIATION}, CREATION),
    NavItem(_("Creation plans"), "plans:list", PROVINCE_ROLES | {Role.ASSOCIATION}, CREATION),
    NavItem(_("On-site inspections"), "inspections:list", PROVINCE_ROLES, INSPECTION),
    NavItem(_("Expert pool"), "inspections:expert-list", PROVINCE_ROLES, INSPECTION),
    NavItem(_("My inspections"), "inspections:mine", frozenset({Role.INSPECTOR}), INSPECTION),
    NavItem(_("Naming decision"), "designations:scored", PROVINCE_ROLES, INSPECTION),
    NavItem(
        pgettext_lazy("menu", "Named sites"),
        "designations:sites",
        PROVINCE_ROLES | {Role.ASSOCIATION, Role.UNIT},
        INSPECTION,
    ),
    NavItem(_("Yearly review"), "designations:review-rounds", PROVINCE_ROLES, INSPECTION),
    NavItem(_("Our yearly review"), "designations:review-mine", frozenset({Role.UNIT}), INSPECTION),
    NavItem(_("Experience articles"), "showcase:articles-mine", frozenset({Role.UNIT}), PUBLICITY),
    NavItem(_("Experience articles"), "showcase:articles-review", PROVINCE_ROLES, PUBLICITY),
    NavItem(pgettext_lazy("menu", "Demonstration sites"), "showcase:home", ALL_ROLES, PUBLICITY),
    NavItem(_("Notices"), "notices:list", ALL_ROLES, PUBLICITY),
    NavItem(_("Contact us"), "notices:contact", ALL_ROLES, PUBLICITY),
    NavItem(_("Organisations"), "organisations:list", PROVINCE_ROLES | {Role.ASSOCIATION}, PEOPLE),
    NavItem(_("Registrations"), "organisations:registrations", PROVINCE_ROLES | {Role.ASSOCIATION}, PEOPLE),
    NavItem(_("Users"), "accounts:user-list", PROVINCE_ROLES | {Role.ASSOCIATION, Role.SYSTEM_ADMIN}, PEOPLE),
    NavItem(_("Privileged account changes"), "accounts:grant-list", PROVINCE_ROLES | IT_ROLES, PEOPLE),
    NavItem(_("My unit"), "organisations:mine", frozenset({Role.UNIT, Role.ASSOCIATION}), PEOPLE),
    NavItem(_("Campaigns"), "campaigns:list", PROVINCE_ROLES | {Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR}, SETTINGS),
    NavItem(_("Excel imports"), "imports:index", PROVINCE_ROLES, SETTINGS),
    NavItem(_("Excel exports"), "exports:home", PROVINCE_ROLES | {Role.ASSOCIATION}, SETTINGS),
    NavItem(_("Working-day calendar"), "workdays:year-list", PROVINCE_ROLES | {Role.SYSTEM_ADMIN}, SETTINGS),
    NavItem(_("Administration"), "admin:index", IT_ROLES & {Role.SYSTEM_ADMIN}, SETTINGS),
    NavItem(_("Audit log"), "audit:record-list", frozenset({Role.AUDIT_ADMIN}), OVERSIGHT),
    NavItem(_("Verify the audit log"), "audit:verify", frozenset({Role.AUDIT_ADMIN}), OVERSIGHT),
    NavItem(_("Signed-in users"), "security:session-list", frozenset({Role.SECURITY_ADMIN}), SECURITY),
    NavItem(_("Sign-in locks"), "security:lock-list", frozenset({Role.SECURITY_ADMIN}), SECURITY),
    NavItem(_("Second factors"), "twofactor:user-list", frozenset({Role.SECURITY_ADMIN}), SECURITY),
]

PUBLIC_MENU = [
    NavItem(_("Home"), "home:index", frozenset()),
    NavItem(_("Demonstration sites"), "showcase:home", frozenset()),
    NavItem(_("Verify a certificate"), "showcase:verify", frozenset()),
    NavItem(_("Notices"), "notices:list", frozenset()),
    NavItem(_("Contact us"), "notices:contact", frozenset()),
]


def menu_for(user, current_path: str) -> list[dict]:
    """The menu items of `user`'s role; the one whose address is the longest prefix of
    the current page is marked active (/organisations/registrations/ is 注册审核, not 组织机构)."""
    items, urls = _items_of(user.role if user.is_authenticated else None, get_script_prefix())
    matching = [url for url in urls if (current_path == url if url == "/" else current_path.startswith(url))]
    active_url = max(matching, key=len, default=None)
    return [
        {"label": item.label, "url": url, "active": url == active_url, "name": item.url_name, "group": item.group}
        for item, url in zip(items, urls, strict=True)
    ]


def grouped(menu: list[dict]) -> list[dict]:
    """menu_for()'s items as the bar shows them: each group a drop-down ({"label",
    "children", "active"}; not "items", which a template would read as dict.items), a
    group of one item and an ungrouped item a link of its own."""
    bar, by_group = [], {}
    for item in menu:
        if item["group"] is None:
            bar.append(item)
            continue
        if item["group"] not in by_group:
            by_group[item["group"]] = {"label": item["group"], "children": [], "active": False}
            bar.append(by_group[item["group"]])
        by_group[item["group"]]["children"].append(item)
        by_group[item["group"]]["active"] |= item["active"]
    return [entry["children"][0] if len(entry.get("children", ())) == 1 else entry for entry in bar]


# Every page asks for its reader's menu: the items and addresses of a role are found
# once per process (and per address prefix), not a dozen reverse() calls per request.
@lru_cache(maxsize=64)
def _items_of(role: str | None, script_prefix: str) -> tuple[list[NavItem], list[str]]:
    items = PUBLIC_MENU if role is None else [item for item in MENU if role in item.roles]
    return items, [reverse(item.url_name) for item in items]
