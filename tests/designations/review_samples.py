"""Sample URL arguments of the yearly review pages (merged into url_samples.py by the lead)."""

import datetime

from django.utils import timezone

from core.roles import Role
from designations.services import review
from tests.designations.factories import announce, scored
from tests.factories import make_organisation, make_user
from tests.inspections.factories import awaiting
from tests.materials.factories import pdf_upload

NAMED_ON = datetime.date(2025, 6, 1)


def review_samples(world) -> dict[str, dict]:
    """A round open today with the report, carrying one file, of a site named on
    2025-06-01: a unit of its own in 石家庄市/长安区 (the world's units stay free for the
    other samples, a unit is named once), so that the 石家庄 association reads it and
    the world's unit operator is answered 404."""
    unit = make_organisation(name="石家庄样例复核单位", parent=world.changan)
    operator = make_user(role=Role.UNIT, organisation=unit)
    application = scored(world, application=awaiting(world, operator=operator))
    designation = announce(world, [application], issued_on=NAMED_ON).designations.get()
    today = timezone.localdate()
    current = review.open_round(
        actor=world.province_staff,
        title="2026年度示范点复核",
        opened_on=today,
        deadline=today + datetime.timedelta(days=30),
    )
    report = current.reports.get(designation=designation)
    item = review.add_report_file(actor=operator, report=report, upload=pdf_upload("年度报告.pdf"))
    return {
        "designations:review-rounds": {},
        "designations:review-round-create": {},
        "designations:review-round": {"pk": current.pk},
        "designations:review-mine": {},
        "designations:review-report": {"pk": report.pk},
        "designations:review-report-submit": {"pk": report.pk},
        "designations:review-report-file": {"pk": report.pk},
        "designations:review-decide": {"pk": report.pk},
        "designations:review-file": {"pk": item.pk},
    }
