"""Demo and benchmark data of the inspections app: the expert pool of the demo province,
and the provincial-scale inspections of `make bench`."""

import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from campaigns.models import Indicator
from core.bulk import insert_rows, reset_sequences
from core.roles import Role
from inspections.models import Inspection, Inspector, Scoresheet, SheetScore, TeamMember
from organisations.models import Kind, Organisation

DEMO_EXPERTS = [
    ("王建华", "河北师范大学心理学院", "教授", "心理咨询、心理健康教育"),
    ("李秀英", "河北医科大学第一医院", "主任医师", "精神卫生、危机干预"),
    ("张志强", "省委党校", "副教授", "思想政治工作、人文关怀"),
    ("刘敏", "省总工会", "部长", "职工心理服务"),
    ("陈立新", "省社会工作协会", "秘书长", "社区心理服务、社会工作"),
]


def seed_demo_experts() -> None:
    """The demo expert pool: the demo inspector account and a few experts without login
    (the demo's staff can link accounts to them). Idempotent."""
    if Inspector.objects.exists():
        return
    account = User.objects.filter(username="expert_demo").first()
    rows = [Inspector(user=account, name="演示专家", employer="河北省心理卫生协会", specialities="心理疏导")]
    rows += [Inspector(name=n, employer=e, title=t, specialities=s) for n, e, t, s in DEMO_EXPERTS]
    Inspector.objects.bulk_create(rows)


def seed_synthetic_inspections(*, count: int, inspectors: int = 500, seed: int = 2014) -> float:
    """Plan `count` inspections of existing applications (turned awaiting inspection),
    teams of 3 and 5 in turn drawn from a synthetic pool of `inspectors` experts with
    login accounts, and one scoresheet per member with every indicator scored. Returns
    the seconds it took. Rows go in with executemany, as demo.seeding does."""
    from applications.models import Application, State

    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    applications = list(
        Application.objects.filter(submitted_at__isnull=False)
        .exclude(pk__in=Inspection.objects.values("application_id"))
        .order_by("-pk")
        .values_list("pk", "version_id")[:count]
    )
    if len(applications) < count:
        raise ValueError(f"only {len(applications)} applications without an inspection: add applications first")
    province = User.objects.filter(role=Role.PROVINCE_STAFF).first()
    pool = _synthetic_pool(inspectors, now=now)
    indicators = {}
    next_inspection = (Inspection.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_sheet = (Scoresheet.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    # Keys are given here: PostgreSQL takes a NULL from the template's unset key literally.
    next_member = (TeamMember.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_score = (SheetScore.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    inspection_template = Inspection(
        visit_date=now.date(), place="被考察单位会议室", created_by=province, created_at=now, updated_at=now
    )
    member_template = TeamMember(added_at=now)
    sheet_template = Scoresheet(updated_at=now)
    score_template = SheetScore(updated_at=now)
    halves = [Decimal(n) / 2 for n in range(6, 11)]
    for first in range(0, len(applications), 1000):
        batch = applications[first : first + 1000]
        inspection_rows, member_rows, sheet_rows, score_rows = [], [], [], []
        for offset, (application_id, version_id) in enumerate(batch):
            inspection_id = next_inspection + first + offset
            if version_id not in indicators:
                indicators[version_id] = list(
                    Indicator.objects.filter(category__version_id=version_id).values_list("pk", flat=True)
                )
            inspection_rows.append({"id": inspection_id, "application_id": application_id})
            team = rng.sample(pool, 3 if (first + offset) % 2 == 0 else 5)
            for position, inspector_id in enumerate(team):
                member_rows.append(
                    {
                        "id": next_member,
                        "inspection_id": inspection_id,
                        "inspector_id": inspector_id,
                        "is_leader": position == 0,
                    }
                )
                next_member += 1
                sheet_rows.append({"id": next_sheet, "inspection_id": inspection_id, "inspector_id": inspector_id})
                for indicator_id in indicators[version_id]:
                    score = rng.choice(halves)
                    score_rows.append(
                        {"id": next_score, "sheet_id": next_sheet, "indicator_id": indicator_id, "score": score}
                    )
                    next_score += 1
                next_sheet += 1
        with transaction.atomic():
            Application.objects.filter(pk__in=[pk for pk, _v in batch]).update(state=State.AWAITING_INSPECTION)
            insert_rows(inspection_template, inspection_rows)
            insert_rows(member_template, member_rows)
            insert_rows(sheet_template, sheet_rows)
            insert_rows(score_template, score_rows)
    reset_sequences([Inspection, TeamMember, Scoresheet, SheetScore, Inspector, User])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _synthetic_pool(count: int, *, now) -> list[int]:
    """`count` experts with inspector accounts (that cannot sign in with a password)."""
    existing = list(Inspector.objects.filter(name__startswith="合成专家").values_list("pk", flat=True))
    if len(existing) >= count:
        return existing[:count]
    next_user = (User.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_inspector = (Inspector.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    province = Organisation.objects.get(kind=Kind.PROVINCE)
    user_template = User(password=make_password(None), role=Role.INSPECTOR, organisation=province, date_joined=now)
    inspector_template = Inspector(is_active=True, created_at=now, updated_at=now)
    users = [{"id": next_user + n, "username": f"expert{next_user + n}"} for n in range(count)]
    inspectors = [
        {"id": next_inspector + n, "user_id": next_user + n, "name": f"合成专家{n + 1}", "phone": f"139{n:08d}"}
        for n in range(count)
    ]
    with transaction.atomic():
        insert_rows(user_template, users)
        insert_rows(inspector_template, inspectors)
    reset_sequences([User, Inspector])
    return [row["id"] for row in inspectors]


def finalise_synthetic_inspections(application_ids, *, batch_size: int = 500) -> int:
    """Finalise the planned inspections of `application_ids` as the team leader would
    (scoring.finalise_inspection): every sheet submitted, the Result frozen by
    results.frozen_result, the inspection finalised. Synthetic data only:
    the caller sets the applications' states in bulk, no audit or notification is
    written. Returns how many were finalised."""
    from django.db.models import Prefetch

    from inspections.models import InspectionStatus, Result, SheetStatus
    from inspections.results import frozen_result

    now = timezone.now()
    actor = User.objects.filter(role=Role.PROVINCE_STAFF).order_by("pk").first()
    planned = list(
        Inspection.objects.filter(application_id__in=list(application_ids), status=InspectionStatus.PLANNED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for first in range(0, len(planned), batch_size):
        batch = planned[first : first + batch_size]
        with transaction.atomic():
            Scoresheet.objects.filter(inspection_id__in=batch).update(status=SheetStatus.SUBMITTED, submitted_at=now)
            inspections = Inspection.objects.filter(pk__in=batch).select_related(
                "application__campaign", "application__version"
            )
            members = TeamMember.objects.filter(inspection_id__in=batch).select_related("inspector")
            team = {}
            for member in members.order_by("-is_leader", "pk"):
                team.setdefault(member.inspection_id, []).append(member)
            sheets_of = {}
            sheets = Scoresheet.objects.filter(inspection_id__in=batch).prefetch_related(
                Prefetch("scores", queryset=SheetScore.objects.order_by("pk")), "vetoes"
            )
            for sheet in sheets:
                sheets_of.setdefault(sheet.inspection_id, {})[sheet.inspector_id] = sheet
            results = []
            for inspection in inspections:
                ordered = []
                for member in team.get(inspection.pk, []):
                    sheet = sheets_of.get(inspection.pk, {}).get(member.inspector_id)
                    if sheet is not None:
                        sheet.member = member
                        ordered.append(sheet)
                results.append(
                    frozen_result(
                        inspection=inspection,
                        version_id=inspection.application.version_id,
                        sheets=ordered,
                        actor=actor,
                    )
                )
            Result.objects.bulk_create(results, batch_size=500)
            Inspection.objects.filter(pk__in=batch).update(status=InspectionStatus.FINALISED, updated_at=now)
            done += len(results)
    return done
