"""Demo and synthetic data: a small realistic province for trying the platform, and a
large synthetic set for measuring it. Both only ever run from `manage.py seed_demo`."""

import random
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from core.bulk import insert_rows, reset_sequences
from core.roles import Role
from organisations.models import Kind, Organisation, Sector, Status
from organisations.services import path_for

# Known on purpose: these accounts exist only in demo data (README, "Demo logins").
DEMO_PASSWORD = "Demo-2026!"
# The TOTP secret (base32) of the demo accounts that must sign in with a second factor
# (TWO_FACTOR_REQUIRED_ROLES): known on purpose too, so that a reviewer can add it to any
# authenticator app, or type `oathtool --totp -b SECRET`. Demo data only.
DEMO_TOTP_SECRET = "SHIFANDIANDEMOTWOFACTORSECRETKEY"

CITIES = [
    ("石家庄市", "130100"),
    ("唐山市", "130200"),
    ("秦皇岛市", "130300"),
    ("邯郸市", "130400"),
    ("邢台市", "130500"),
    ("保定市", "130600"),
    ("张家口市", "130700"),
    ("承德市", "130800"),
    ("沧州市", "130900"),
    ("廊坊市", "131000"),
    ("衡水市", "131100"),
]
COUNTIES = {
    "石家庄市": [("长安区", "130102"), ("桥西区", "130104"), ("新华区", "130105"), ("正定县", "130123")],
    "唐山市": [("路南区", "130202"), ("路北区", "130203"), ("迁安市", "130283")],
    "保定市": [("竞秀区", "130602"), ("莲池区", "130606")],
    "邯郸市": [("邯山区", "130402")],
    "廊坊市": [("广阳区", "131003")],
}
# 省直管县(市) hang directly below the province.
DIRECT_COUNTIES = [("辛集市", "130181"), ("定州市", "130682")]
SYSTEMS = [("华北油田公司", Kind.SYSTEM, "130900"), ("省教育系统", Kind.SYSTEM, "130000")]
DEPARTMENTS = [("省直机关工委", Kind.DEPARTMENT, "130000"), ("河钢集团", Kind.DEPARTMENT, "130000")]

UNITS = [
    # (name, parent, sector)
    ("石家庄市第一中学", "长安区", Sector.SCHOOL),
    ("长安区建北街道建设北大街社区", "长安区", Sector.COMMUNITY),
    ("石家庄市长安区人民政府办公室", "长安区", Sector.AGENCY),
    ("石家庄桥西区维明街道友谊社区", "桥西区", Sector.COMMUNITY),
    ("石家庄市第二中学", "桥西区", Sector.SCHOOL),
    ("新华区合作路小学", "新华区", Sector.SCHOOL),
    ("石家庄新华区赵陵铺镇东杜庄村", "新华区", Sector.VILLAGE),
    ("正定县塔元庄村", "正定县", Sector.VILLAGE),
    ("正定县正定镇政府", "正定县", Sector.AGENCY),
    ("石药集团有限公司", "石家庄市", Sector.ENTERPRISE),
    ("石家庄四药有限公司", "石家庄市", Sector.ENTERPRISE),
    ("唐山市开滦第一中学", "路南区", Sector.SCHOOL),
    ("路南区学院南路街道社区", "路南区", Sector.COMMUNITY),
    ("路北区龙东社区", "路北区", Sector.COMMUNITY),
    ("迁安市大崔庄镇白羊峪村", "迁安市", Sector.VILLAGE),
    ("唐山三友集团有限公司", "唐山市", Sector.ENTERPRISE),
    ("开滦（集团）有限责任公司", "唐山市", Sector.ENTERPRISE),
    ("秦皇岛市海港区文化路小学", "秦皇岛市", Sector.SCHOOL),
    ("秦皇岛港股份有限公司", "秦皇岛市", Sector.ENTERPRISE),
    ("邯郸市邯山区罗城头街道社区", "邯山区", Sector.COMMUNITY),
    ("邯郸市第一中学", "邯郸市", Sector.SCHOOL),
    ("邢台市襄都区人民政府", "邢台市", Sector.AGENCY),
    ("邢台市第一中学", "邢台市", Sector.SCHOOL),
    ("保定市竞秀区东风街道社区", "竞秀区", Sector.COMMUNITY),
    ("保定市莲池区五四路小学", "莲池区", Sector.SCHOOL),
    ("保定市易县南城司乡村", "保定市", Sector.VILLAGE),
    ("长城汽车股份有限公司", "保定市", Sector.ENTERPRISE),
    ("张家口市宣化区人民政府", "张家口市", Sector.AGENCY),
    ("张北县二台镇德胜村", "张家口市", Sector.VILLAGE),
    ("承德市双桥区西大街街道社区", "承德市", Sector.COMMUNITY),
    ("承德钢铁集团有限公司", "承德市", Sector.ENTERPRISE),
    ("沧州市运河区水月寺街道社区", "沧州市", Sector.COMMUNITY),
    ("沧州市第一中学", "沧州市", Sector.SCHOOL),
    ("廊坊市广阳区新开路社区", "广阳区", Sector.COMMUNITY),
    ("廊坊市第一中学", "廊坊市", Sector.SCHOOL),
    ("衡水中学", "衡水市", Sector.SCHOOL),
    ("衡水市桃城区河沿镇村", "衡水市", Sector.VILLAGE),
    ("辛集市旧城镇人民政府", "辛集市", Sector.AGENCY),
    ("定州市北城区街道社区", "定州市", Sector.COMMUNITY),
    ("华北油田采油一厂", "华北油田公司", Sector.ENTERPRISE),
    ("华北油田第一小学", "华北油田公司", Sector.SCHOOL),
    ("华北油田矿区服务事业部社区", "华北油田公司", Sector.COMMUNITY),
    ("河北师范大学", "省教育系统", Sector.SCHOOL),
    ("河北科技大学", "省教育系统", Sector.SCHOOL),
    ("河北省人力资源和社会保障厅", "省直机关工委", Sector.AGENCY),
    ("河北省农业农村厅", "省直机关工委", Sector.AGENCY),
    ("河钢集团唐钢公司", "河钢集团", Sector.ENTERPRISE),
    ("河钢集团邯钢公司", "河钢集团", Sector.ENTERPRISE),
    ("承德县两家满族乡村", "承德市", Sector.VILLAGE),
    ("邢台市信都区将军墓镇村", "邢台市", Sector.VILLAGE),
]
PENDING_UNIT = ("长安区谈固街道尚德社区", "长安区", Sector.COMMUNITY)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    organisation: str
    # DEMO_TOTP_SECRET for the accounts that sign in with a second factor, else "".
    totp_secret: str = ""


DEMO_ACCOUNTS = [
    (Role.PROVINCE_ADMIN, "sheng_admin", "省政研会管理员", "河北省"),
    (Role.PROVINCE_STAFF, "sheng_staff", "省政研会工作人员", "河北省"),
    (Role.ASSOCIATION, "sjz_assoc", "石家庄市政研会", "石家庄市"),
    (Role.UNIT, "sjz_yizhong", "石家庄市第一中学", "石家庄市第一中学"),
    (Role.INSPECTOR, "expert_demo", "考察专家（演示）", "河北省"),
    (Role.SYSTEM_ADMIN, "sys_admin", "系统管理员", "河北省"),
    (Role.SECURITY_ADMIN, "sec_admin", "安全管理员", "河北省"),
    (Role.AUDIT_ADMIN, "audit_admin", "审计管理员", "河北省"),
]


def _node(name, kind, parent, *, status=Status.ACTIVE, **fields):
    org = Organisation.objects.create(name=name, kind=kind, parent=parent, status=status, **fields)
    org.path = path_for(pk=org.pk, parent=parent)
    org.depth = org.path.count("/") - 1
    org.save(update_fields=["path", "depth"])
    return org


def demo_exists() -> bool:
    return Organisation.objects.filter(kind=Kind.PROVINCE).exists()


@transaction.atomic
def seed_small_demo(*, stdout=None) -> None:
    """The province, 11 cities, systems, departments, counties, about 50 units in all five
    sectors, one pending self-registration and one account of every role."""
    province = _node("河北省", Kind.PROVINCE, None, region_code="130000", address="石家庄市维明南大街46号")
    by_name = {"河北省": province}
    for name, code in CITIES:
        by_name[name] = _node(name, Kind.CITY, province, region_code=code)
    for name, kind, code in SYSTEMS + DEPARTMENTS:
        by_name[name] = _node(name, kind, province, region_code=code)
    for city, counties in COUNTIES.items():
        for name, code in counties:
            by_name[name] = _node(name, Kind.COUNTY, by_name[city], region_code=code)
    for name, code in DIRECT_COUNTIES:
        by_name[name] = _node(name, Kind.COUNTY, province, region_code=code)
    for name, parent, sector in UNITS:
        parent_org = by_name[parent]
        by_name[name] = _node(
            name, Kind.UNIT, parent_org, sector=sector, region_code=parent_org.region_code, address=f"{parent_org.name}"
        )
    name, parent, sector = PENDING_UNIT
    pending = _node(
        name,
        Kind.UNIT,
        by_name[parent],
        sector=sector,
        region_code="130102",
        status=Status.PENDING,
        address="石家庄市长安区谈固南大街",
        contact_name="尚德社区居委会",
        contact_phone="0311-85000000",
    )
    password_hash = make_password(DEMO_PASSWORD)
    for role, username, display_name, org_name in DEMO_ACCOUNTS:
        User.objects.create(
            username=username,
            password=password_hash,
            display_name=display_name,
            role=role,
            organisation=by_name[org_name],
            is_staff=role == Role.SYSTEM_ADMIN,
        )
    User.objects.create(
        username="shangde_shequ", password=password_hash, display_name="尚德社区", role=Role.UNIT, organisation=pending
    )
    # Django's admin checks model permissions: the system administrator gets those of
    # accounts and organisations (issue 7 narrows the three IT roles further).
    sysadmin = User.objects.get(username="sys_admin")
    sysadmin.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["accounts", "organisations"]))
    _seed_other_apps(author=User.objects.get(username="sheng_staff"))


def _seed_other_apps(*, author) -> None:
    from demo.designations import seed_demo_designations
    from demo.inspections import seed_demo_experts
    from demo.notices import seed_contact, seed_notices
    from demo.reports import seed_demo_reports

    seed_notices(author=author)
    seed_contact()
    seed_demo_experts()
    seed_demo_designations()
    seed_demo_reports()


def demo_logins() -> list[DemoLogin]:
    from django.conf import settings

    return [
        DemoLogin(
            str(Role(role).label),
            username,
            org,
            DEMO_TOTP_SECRET if role in settings.TWO_FACTOR_REQUIRED_ROLES else "",
        )
        for role, username, _, org in DEMO_ACCOUNTS
    ]


def close_demo_logins() -> int:
    """Take their published password from the demo accounts, for a data set built with
    `seed_demo` that runs under production settings (`make bench`, `make faults`): the
    system check security.E001 stops such a set-up otherwise. Load scripts sign their
    users in straight in the session store. Returns how many accounts were closed."""
    usernames = [account[1] for account in DEMO_ACCOUNTS]
    return User.objects.filter(username__in=usernames).update(password=make_password(None))


def seed_demo_second_factors() -> int:
    """Give the demo accounts of TWO_FACTOR_REQUIRED_ROLES an authenticator app already
    enrolled with DEMO_TOTP_SECRET (no recovery codes), unless they have one. Run at every
    `seed_demo`, so that demo data loaded before two-factor sign-in gets it too. Returns
    how many were added."""
    from django.conf import settings

    from twofactor.models import TOTPDevice

    usernames = [username for role, username, _, _ in DEMO_ACCOUNTS if role in settings.TWO_FACTOR_REQUIRED_ROLES]
    added = 0
    for user in User.objects.filter(username__in=usernames, totp_device__isnull=True):
        TOTPDevice.objects.create(user=user, secret=DEMO_TOTP_SECRET, confirmed=True, confirmed_at=timezone.now())
        added += 1
    return added


def seed_synthetic_units(*, count: int, batch_size: int = 5000, seed: int = 2014) -> float:
    """Add `count` synthetic grassroots units, each with an operator account that cannot
    sign in, spread over every association of the tree. Returns the seconds it took.

    Rows go in with executemany and keys given here: the ORM's per-value preparation of
    bulk_create costs more than the insert itself at this size (measured: 38 s against
    a few for 100,000 units on SQLite)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    parents = list(Organisation.objects.exclude(kind__in=[Kind.UNIT, Kind.PROVINCE]).only("pk", "path", "name"))
    sectors = list(Sector.values)
    now = timezone.now()
    org_template = Organisation(kind=Kind.UNIT, region_code="130000", status=Status.ACTIVE, created_at=now)
    user_template = User(password=make_password(None), role=Role.UNIT, date_joined=now)
    next_org = (Organisation.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_user = (User.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    for first in range(0, count, batch_size):
        org_rows, user_rows = [], []
        for offset in range(first, min(first + batch_size, count)):
            pk = next_org + offset
            parent = parents[rng.randrange(len(parents))]
            path = f"{parent.path}{pk}/"
            org_rows.append(
                {
                    "id": pk,
                    "name": f"{parent.name}示范创建单位{pk}号",
                    "parent_id": parent.pk,
                    "path": path,
                    "depth": path.count("/") - 1,
                    "sector": sectors[pk % len(sectors)],
                }
            )
            user_rows.append({"id": next_user + offset, "username": f"unit{pk}", "organisation_id": pk})
        with transaction.atomic():
            insert_rows(org_template, org_rows)
            insert_rows(user_template, user_rows)
    reset_sequences([Organisation, User])
    # Fresh statistics, so that the planner picks the covering indexes for the counts.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def seed_synthetic_applications(*, count: int, seed: int = 2014) -> float:
    """Add `count` submitted applications of existing units (one per unit, those without
    one first) in the running campaign, spread over submitted, registered, returned and
    awaiting inspection and over the last 60 days: the inbox and list pages' data set,
    each with its self-assessment filled in (no files). Returns the seconds."""
    from applications.models import Application, RegistrationCounter, State
    from campaigns.selectors import current_campaign, current_version

    started = time.perf_counter()
    campaign = current_campaign()
    version = current_version(campaign)
    units = list(
        Organisation.objects.units()
        .active()
        .exclude(applications__campaign=campaign)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    if len(units) < count:
        raise ValueError(f"only {len(units)} units without an application: add units first (--units)")
    rng = random.Random(seed)
    now = timezone.now()
    states = [State.SUBMITTED, State.SUBMITTED, State.REGISTERED, State.REGISTERED, State.RETURNED]
    states += [State.AWAITING_INSPECTION]
    counter, _ = RegistrationCounter.objects.get_or_create(campaign=campaign, year=timezone.localdate().year)
    number = counter.last_number
    template = Application(campaign=campaign, version=version, round=1, created_at=now, updated_at=now)
    next_pk = (Application.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    rows = []
    for offset, unit_id in enumerate(units):
        state = states[rng.randrange(len(states))]
        submitted_at = now - timedelta(days=rng.randrange(60), minutes=rng.randrange(1440))
        row = {"id": next_pk + offset, "unit_id": unit_id, "state": state, "submitted_at": submitted_at}
        if state != State.SUBMITTED:
            number += 1
            row.update(counter.fields_of(number), registered_at=submitted_at + timedelta(days=1))
        rows.append(row)
    with transaction.atomic():
        for first in range(0, len(rows), 5000):
            insert_rows(template, rows[first : first + 5000])
        RegistrationCounter.objects.filter(pk=counter.pk).update(last_number=number)
    reset_sequences([Application])
    seed_synthetic_self_assessments([row["id"] for row in rows], version=version, rng=rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def seed_synthetic_self_assessments(application_ids: list[int], *, version, rng, batch_size: int = 20000) -> None:
    """A self-score (on the half-point steps, within each maximum) and a short account for
    every indicator of `version`, for each of `application_ids`, as a unit that has filled
    in its whole self-assessment: the self-assessment, application and review pages then
    show what they show for real applications."""
    from applications.models import ApplicationIndicator
    from campaigns.models import Indicator

    indicators = list(Indicator.objects.filter(category__version=version).values_list("pk", "max_score"))
    template = ApplicationIndicator(account="", updated_at=timezone.now())
    next_pk = (ApplicationIndicator.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    pairs = [(application_id, indicator) for application_id in application_ids for indicator in indicators]
    rows = [
        {
            "id": next_pk + offset,
            "application_id": application_id,
            "indicator_id": indicator_id,
            "score": Decimal(rng.randrange(int(maximum * 2) + 1)) / 2,
            "account": "（合成数据）本单位按照标准开展了相关工作，制度、场所、人员和活动记录齐全。",
        }
        for offset, (application_id, (indicator_id, maximum)) in enumerate(pairs)
    ]
    with transaction.atomic():
        for first in range(0, len(rows), batch_size):
            insert_rows(template, rows[first : first + batch_size])
    reset_sequences([ApplicationIndicator])


# The states that --spread-states gives, in turn: applications never inspected, and
# inspected ones (--named-sites then names some of the scored ones).
SPREAD_UNINSPECTED = ["draft", "submitted", "registered", "returned", "rejected"]
SPREAD_INSPECTED = ["awaiting_inspection", "scored", "scored", "scored", "not_named"]


def freeze_synthetic_snapshots(applications, *, batch_size: int = 1000) -> int:
    """The submitted round of each of `applications` (past submission) that has none, as
    submission freezes it (applications.services.snapshot_data): the review and the
    application's page read it. Synthetic units have no files. Returns how many."""
    from applications.models import ApplicationIndicator, Snapshot
    from applications.services import snapshot_data
    from campaigns.models import StandardVersion
    from campaigns.scoring import compute_totals

    frozen = set(Snapshot.objects.values_list("application_id", flat=True))
    waiting = [application for application in applications if application.pk not in frozen]
    versions = {version.pk: version for version in StandardVersion.objects.all()}
    totals = {pk: compute_totals(version) for pk, version in versions.items()}
    no_files = {"work_summary": None, "supporting": [], "evidence": []}
    for start in range(0, len(waiting), batch_size):
        batch = waiting[start : start + batch_size]
        rows: dict[int, list] = {application.pk: [] for application in batch}
        indicators = ApplicationIndicator.objects.filter(application__in=batch).select_related("indicator__category")
        for row in indicators.order_by("application_id", "indicator__category__order", "indicator__order"):
            rows[row.application_id].append(row)
        snapshots = []
        for application in batch:
            application.version = versions[application.version_id]
            data = snapshot_data(application, rows[application.pk], no_files, totals=totals[application.version_id])
            snapshots.append(Snapshot(application=application, round=application.round, data=data))
        Snapshot.objects.bulk_create(snapshots)
    return len(waiting)


def _unregister(application) -> None:
    application.registration_number = application.registration_year = None
    application.registration_code = ""


def spread_synthetic_states(*, seed: int = 2014) -> dict[str, int]:
    """Spread the applications of the running campaign (--applications made them), named
    sites aside, over the states of the
    workflow, so that every page has data of every state: those without an inspection
    over draft, submitted, registered, returned and rejected; the inspected ones over
    awaiting inspection, scored and not named (their inspections finalised with a
    computed result when scored or decided). Named sites come from --named-sites.

    States are set directly in bulk, not through applications.workflow.transition():
    this is synthetic data for measuring, and writes no audit or notification. Each row
    is left as the workflow would leave it: a draft has no submission, anything past
    submission has a registration number, decided ones a decision date. Returns the
    count per state."""
    from applications.models import Application, RegistrationCounter, State
    from campaigns.selectors import current_campaign
    from demo.inspections import finalise_synthetic_inspections
    from designations.models import Designation
    from inspections.models import Inspection

    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    campaign = current_campaign()
    inspected = set(Inspection.objects.values_list("application_id", flat=True))
    named = set(Designation.objects.values_list("application_id", flat=True))
    applications = list(Application.objects.filter(campaign=campaign).exclude(pk__in=named).order_by("pk"))
    counter, _ = RegistrationCounter.objects.get_or_create(campaign=campaign, year=timezone.localdate().year)
    number = counter.last_number
    counts: dict[str, int] = {}
    to_finalise = []
    uninspected = inspected_turn = 0
    for application in applications:
        if application.pk in inspected:
            state = SPREAD_INSPECTED[inspected_turn % len(SPREAD_INSPECTED)]
            inspected_turn += 1
            if state != State.AWAITING_INSPECTION:
                to_finalise.append(application.pk)
        else:
            state = SPREAD_UNINSPECTED[uninspected % len(SPREAD_UNINSPECTED)]
            uninspected += 1
        submitted_at = application.submitted_at or now - timedelta(days=rng.randrange(60), minutes=rng.randrange(1440))
        application.state = state
        application.decided_at = None
        if state == State.DRAFT:
            application.round = 0
            application.submitted_at = application.registered_at = None
            _unregister(application)
        else:
            application.round = max(application.round, 1)
            application.submitted_at = submitted_at
            if state == State.SUBMITTED:
                application.registered_at = None
                _unregister(application)
            else:
                if application.registration_number is None:
                    number += 1
                    for name, value in counter.fields_of(number).items():
                        setattr(application, name, value)
                application.registered_at = application.registered_at or submitted_at + timedelta(days=1)
            if state in (State.REJECTED, State.NOT_NAMED):
                application.decided_at = application.registered_at + timedelta(days=20)
        application.updated_at = now
        counts[state] = counts.get(state, 0) + 1
    fields = [
        "state",
        "round",
        "submitted_at",
        "registered_at",
        "registration_number",
        "registration_year",
        "registration_code",
        "decided_at",
        "updated_at",
    ]
    with transaction.atomic():
        Application.objects.bulk_update(applications, fields, batch_size=1000)
        RegistrationCounter.objects.filter(pk=counter.pk).update(last_number=number)
    # Every application past submission, the small demo's named ones too.
    freeze_synthetic_snapshots(list(Application.objects.exclude(state=State.DRAFT).order_by("pk")))
    finalise_synthetic_inspections(to_finalise)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts
