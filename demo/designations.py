"""Named sites of the demo province, so that the public showcase of `make run` is not
empty. They are history written directly (named in an earlier round, as a province
moving onto the platform would import them): no self-assessment, no inspection."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.models import Application, RegistrationCounter, State
from campaigns.selectors import current_campaign, current_version
from campaigns.validators import format_certificate_number
from designations.models import CertificateCounter, Designation, DesignationStatus, NamingAnnouncement
from organisations.models import Organisation

DEMO_SITES = [
    "石药集团有限公司",
    "唐山市开滦第一中学",
    "路北区龙东社区",
    "张北县二台镇德胜村",
    "河北省农业农村厅",
    "衡水中学",
]
NAMED_ON = datetime.date(2025, 6, 18)


@transaction.atomic
def seed_demo_designations() -> None:
    """Name the demo units of DEMO_SITES that exist, once (idempotent)."""
    campaign = current_campaign()
    if campaign is None or NamingAnnouncement.objects.exists():
        return
    units = list(Organisation.objects.units().filter(name__in=DEMO_SITES).order_by("pk"))
    admin = User.objects.filter(username="sheng_admin").first()
    if not units or admin is None:
        return
    version = current_version(campaign)
    announcement = NamingAnnouncement.objects.create(
        campaign=campaign,
        title="关于命名第一批河北省人文关怀心理疏导示范点的决定（演示）",
        doc_number="冀研字〔2025〕6号",
        issued_on=NAMED_ON,
        issuer=campaign.issuer or "河北省思想政治工作研究会",
        created_by=admin,
    )
    registrations, _ = RegistrationCounter.objects.get_or_create(campaign=campaign, year=NAMED_ON.year)
    counter, _ = CertificateCounter.objects.get_or_create(campaign=campaign, year=NAMED_ON.year)
    moment = timezone.make_aware(datetime.datetime.combine(NAMED_ON, datetime.time(9)))
    for unit in units:
        registrations.last_number += 1
        counter.last_serial += 1
        application = Application.objects.create(
            unit=unit,
            campaign=campaign,
            version=version,
            state=State.NAMED,
            **registrations.fields_of(registrations.last_number),
            round=1,
            submitted_at=moment - datetime.timedelta(days=90),
            registered_at=moment - datetime.timedelta(days=88),
            decided_at=moment,
        )
        Designation.objects.create(
            application=application,
            unit=unit,
            campaign=campaign,
            announcement=announcement,
            year=NAMED_ON.year,
            serial=counter.last_serial,
            certificate_number=format_certificate_number(
                campaign.certificate_pattern, year=NAMED_ON.year, serial=counter.last_serial
            ),
            named_on=NAMED_ON,
        )
    registrations.save(update_fields=["last_number"])
    counter.save(update_fields=["last_serial"])


def seed_synthetic_designations(*, count: int, revoked_every: int = 20, batch_size: int = 1000) -> float:
    """Name `count` scored synthetic applications (run --spread-states first) under one
    synthetic announcement, as designations.services would: the application named and
    decided, one Designation with the next serial and certificate number of the year;
    every `revoked_every`-th is revoked afterwards (application and site). States are set
    directly in bulk (synthetic data for measuring: no audit, no notification, no
    certificate PDF). Returns the seconds it took."""
    import time

    started = time.perf_counter()
    campaign = current_campaign()
    candidates = list(
        Application.objects.filter(campaign=campaign, state=State.SCORED, designation__isnull=True)
        .order_by("pk")
        .values_list("pk", "unit_id")[:count]
    )
    if len(candidates) < count:
        raise ValueError(f"only {len(candidates)} scored applications to name: use --spread-states first")
    admin = User.objects.filter(role__in=["province_admin", "province_staff"]).order_by("role", "pk").first()
    named_on = timezone.localdate() - datetime.timedelta(days=30)
    moment = timezone.make_aware(datetime.datetime.combine(named_on, datetime.time(9)))
    number = NamingAnnouncement.objects.count() + 1
    announcement = NamingAnnouncement.objects.create(
        campaign=campaign,
        title=f"关于命名第{number}批河北省人文关怀心理疏导示范点的决定（合成数据）",
        doc_number=f"冀研字〔{named_on.year}〕{90 + number}号",
        issued_on=named_on,
        issuer=campaign.issuer or "河北省思想政治工作研究会",
        created_by=admin,
    )
    counter, _ = CertificateCounter.objects.get_or_create(campaign=campaign, year=named_on.year)
    serial = counter.last_serial
    for first in range(0, len(candidates), batch_size):
        batch = candidates[first : first + batch_size]
        designations, revoked = [], []
        for offset, (application_id, unit_id) in enumerate(batch):
            serial += 1
            is_revoked = revoked_every and (first + offset + 1) % revoked_every == 0
            designation = Designation(
                application_id=application_id,
                unit_id=unit_id,
                campaign=campaign,
                announcement=announcement,
                year=named_on.year,
                serial=serial,
                certificate_number=format_certificate_number(
                    campaign.certificate_pattern, year=named_on.year, serial=serial
                ),
                named_on=named_on,
            )
            if is_revoked:
                designation.status = DesignationStatus.REVOKED
                designation.revoked_on = named_on + datetime.timedelta(days=20)
                designation.revoke_doc_number = f"冀研字〔{named_on.year}〕{200 + number}号"
                designation.revoke_reason = "年度复核不合格，整改期满仍未达到标准。"
                revoked.append(application_id)
            designations.append(designation)
        with transaction.atomic():
            Designation.objects.bulk_create(designations)
            Application.objects.filter(pk__in=[pk for pk, _u in batch]).update(
                state=State.NAMED, decided_at=moment, updated_at=timezone.now()
            )
            Application.objects.filter(pk__in=revoked).update(state=State.REVOKED)
    CertificateCounter.objects.filter(pk=counter.pk).update(last_serial=serial)
    return time.perf_counter() - started
