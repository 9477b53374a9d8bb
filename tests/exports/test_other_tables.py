import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from applications.models import Application
from plans.models import StepStatus
from tests.applications import factories as application_factories
from tests.designations import factories as designation_factories
from tests.exports.helpers import export, rows_of, workbook_of
from tests.inspections import factories as inspection_factories
from tests.plans.factories import days_from_today, make_plan, make_step
from workdays.calendar import working_days_between

pytestmark = pytest.mark.django_db


def _on_sheet(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min)


def test_plans_export_counts_steps_done_and_overdue(world, client_for):
    plan = make_plan(operator=world.sjz_operator)
    make_step(plan=plan, operator=world.sjz_operator, status=StepStatus.DONE)
    make_step(plan=plan, operator=world.sjz_operator)
    late = make_step(plan=plan, operator=world.sjz_operator)
    type(late).objects.filter(pk=late.pk).update(deadline=days_from_today(-3))
    make_plan(operator=world.ts_operator)
    rows = rows_of(workbook_of(export(client_for(world.province_staff), table="plans")).active)
    by_unit = {row[0]: row for row in rows}
    assert sorted(by_unit) == sorted([world.sjz_unit.name, world.ts_unit.name])
    today = _on_sheet(timezone.localdate())
    assert by_unit[world.sjz_unit.name][1:] == (
        "石家庄市",
        "长安区",
        "学校",
        plan.campaign.name,
        by_unit[world.sjz_unit.name][5],
        3,
        1,
        1,
        pytest.approx(1 / 3),
        today,
        today,
    )
    assert by_unit[world.ts_unit.name][6:9] == (0, 0, 0)


def test_plans_export_of_an_association_leaves_out_other_cities(world, client_for):
    make_plan(operator=world.sjz_operator)
    make_plan(operator=world.ts_operator)
    rows = rows_of(workbook_of(export(client_for(world.ts_association), table="plans")).active)
    assert [row[0] for row in rows] == [world.ts_unit.name]


def test_applications_export_gives_state_registration_and_waiting_days(world, client_for):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    # Audit records are sealed when written and never changed: the registration is
    # recorded ten days back by writing it then.
    with mock.patch("audit.services.timezone.now", return_value=ten_days_ago):
        registered = application_factories.registered(world)
    submitted = application_factories.submitted(world, operator=world.ts_operator)
    application_factories.full_draft(world, operator=world.pending_operator, unit=world.pending_unit)
    registered.refresh_from_db()
    job = export(client_for(world.province_staff), table="applications")
    rows = {row[1]: row for row in rows_of(workbook_of(job).active)}
    # Drafts are the unit's own until submitted: never exported.
    assert sorted(rows) == sorted([world.sjz_unit.name, world.ts_unit.name])
    today = timezone.localdate()
    entered = timezone.localdate(ten_days_ago)
    assert rows[world.sjz_unit.name] == (
        registered.registration_code,
        world.sjz_unit.name,
        "石家庄市",
        "长安区",
        "学校",
        registered.campaign.name,
        "已登记",
        _on_sheet(entered),
        working_days_between(entered, today),
        _on_sheet(timezone.localdate(registered.submitted_at)),
        _on_sheet(timezone.localdate(registered.registered_at)),
    )
    assert rows[world.ts_unit.name][0] is None
    assert rows[world.ts_unit.name][6:9] == ("已提交", _on_sheet(today), 0)
    assert job.result["rows"] == Application.objects.filter(submitted_at__isnull=False).count() == 2
    assert submitted.state == "submitted"


def test_applications_export_filters_by_state(world, client_for):
    application_factories.registered(world)
    application_factories.submitted(world, operator=world.ts_operator)
    rows = rows_of(
        workbook_of(export(client_for(world.province_staff), table="applications", state="submitted")).active
    )
    assert [row[1] for row in rows] == [world.ts_unit.name]


def test_scores_export_has_a_column_per_indicator_and_the_total(world, client_for):
    inspection = inspection_factories.finalised(world)
    application_factories.registered(world, operator=world.ts_operator)
    sheet = workbook_of(export(client_for(world.province_staff), table="scores")).active
    indicators = list(
        inspection.application.version.categories.order_by("order").values_list("indicators__pk", flat=True)
    )
    headers = [cell.value for cell in sheet[1]]
    assert len(headers) == 5 + len(indicators) + 4
    assert len(indicators) == 20
    rows = rows_of(sheet)
    assert len(rows) == 1
    row = rows[0]
    assert row[:5] == (inspection.application.registration_code, world.sjz_unit.name, "石家庄市", "学校", "已打分")
    assert row[5 : 5 + len(indicators)] == tuple([5.0] * len(indicators))
    assert row[5 + len(indicators)] == float(inspection.result.total) == 100.0
    assert row[-1] == _on_sheet(timezone.localdate())


def test_scores_export_reads_each_indicator_of_the_team_result(world, client_for):
    scores = {index: [Decimal("4")] + [Decimal("5")] * 19 for index in range(5)}
    inspection = inspection_factories.finalised(world, scores=scores)
    rows = rows_of(workbook_of(export(client_for(world.province_staff), table="scores")).active)
    assert rows[0][5:7] == (4.0, 5.0)
    assert rows[0][25] == float(inspection.result.total) == 99.0


def test_named_sites_export_lists_certificates_in_scope(world, client_for):
    site = designation_factories.named(world, issued_on=datetime.date(2026, 11, 20))
    other = designation_factories.named_elsewhere(world, "唐山示范社区", parent=world.tangshan)
    province_rows = rows_of(workbook_of(export(client_for(world.province_staff), table="sites")).active)
    assert sorted(row[0] for row in province_rows) == sorted([site.certificate_number, other.certificate_number])
    sheet = workbook_of(export(client_for(world.sjz_association), table="sites")).active
    assert rows_of(sheet) == [
        (
            site.certificate_number,
            site.campaign.named_title,
            datetime.datetime(2026, 11, 20),
            world.sjz_unit.name,
            "石家庄市",
            "学校",
            "已命名",
            None,
        )
    ]
    assert sheet["C2"].number_format == 'yyyy"年"m"月"d"日"'
