import datetime

from django.utils import timezone

from accounts.models import User
from applications import services as application_services
from core.roles import PROVINCE_ROLES, Role
from designations.services import review
from tests.core.scope import EVERY_OBJECT
from tests.designations import factories
from tests.designations.review_samples import NAMED_ON
from tests.factories import make_tangshan_operator
from tests.materials.factories import pdf_upload


def _optional(module, name):
    # The certificate and yearly review pages bring their own samples.
    try:
        return getattr(__import__(f"tests.designations.{module}", fromlist=[name]), name)
    except (ImportError, AttributeError):
        return lambda world: {}


def samples(world) -> dict[str, dict]:
    designation = factories.named(world)
    scored = factories.scored(
        world, application=factories.inspection_factories.awaiting(world, operator=world.ts_operator)
    )
    return {
        **_optional("certificate_samples", "certificate_samples")(world),
        **_optional("review_samples", "review_samples")(world),
        "designations:scored": {},
        "designations:announce": {},
        "designations:decline": {"application_pk": scored.pk},
        "designations:announcements": {},
        "designations:announcement": {"pk": designation.announcement_id},
        "designations:sites": {},
        "designations:site": {"pk": designation.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """A site of a 唐山 unit named on 2024-06-01, its certificate, and its report of a
    yearly review round (with one file) lie outside the 石家庄 association and the
    石家庄 unit's operator. A unit's draft application cannot be declined by the province."""
    # Named a year before the review samples' site: certificate numbers count per year.
    designation = factories.named_elsewhere(
        world, "唐山样例命名单位", parent=world.tangshan, issued_on=NAMED_ON.replace(year=NAMED_ON.year - 1)
    )
    operator = User.objects.get(organisation=designation.unit)
    today = timezone.localdate()
    current = review.open_round(
        actor=world.province_staff, title="唐山样例复核", opened_on=today, deadline=today + datetime.timedelta(days=30)
    )
    report = current.reports.get(designation=designation)
    item = review.add_report_file(actor=operator, report=report, upload=pdf_upload("唐山年度报告.pdf"))
    drafting = make_tangshan_operator(world, "唐山样例未命名单位")
    draft = application_services.start_application(
        actor=drafting, unit=drafting.organisation, campaign=designation.campaign
    )
    province = dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT)

    def outside(pk):
        return {**province, Role.ASSOCIATION: {"pk": pk}, Role.UNIT: {"pk": pk}}

    return {
        "designations:decline": {Role.PROVINCE_ADMIN: {"application_pk": draft.pk}},
        "designations:announcement": province,
        "designations:site": outside(designation.pk),
        "designations:certificate": outside(designation.pk),
        "designations:review-round": province,
        "designations:review-report": outside(report.pk),
        "designations:review-report-submit": {Role.UNIT: {"pk": report.pk}},
        "designations:review-report-file": {Role.UNIT: {"pk": report.pk}},
        "designations:review-decide": province,
        "designations:review-file": outside(item.pk),
    }
