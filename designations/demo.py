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
from designations.models import CertificateCounter, Designation, NamingAnnouncement
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
    registrations, _ = RegistrationCounter.objects.get_or_create(campaign=campaign)
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
            registration_number=registrations.last_number,
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
