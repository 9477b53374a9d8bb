"""The pages `make bench` measures (bench/wrk.py pages()) cost the same number of queries
whatever the size of the data (issue 8): each page is asked once on a small world, then
again after several times more of what it lists or counts was added. The cache is
emptied before each count, so that the figures the dashboard and the workspace keep for
a minute are counted too; the request before the first count lets the once-a-minute
session touch happen outside both counts."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from designations.models import Designation
from inspections.models import Scoresheet
from notices.models import State as NoticeState
from notices.models import Visibility
from organisations.models import Sector, Status
from tests.applications import factories as application_factories
from tests.designations import factories as designation_factories
from tests.factories import make_organisation, make_user
from tests.inspections import factories as inspection_factories
from tests.materials.factories import JPEG, upload
from tests.notices.factories import make_notice
from tests.notifications.factories import make_notification
from tests.plans.factories import days_from_today, make_plan, make_step
from tests.reports.factories import set_schedule
from tests.showcase import factories as showcase_factories

# How many more of each listed or counted thing the second count is asked with.
MORE = 3


@dataclass
class Page:
    client: Client
    url: str
    state: dict


def _operator(world, name, *, parent=None, sector=Sector.COMMUNITY):
    unit = make_organisation(name=name, parent=parent or world.changan, sector=sector)
    return make_user(role=Role.UNIT, organisation=unit)


def _more_units(world, count, *, parent=None):
    """Units of 石家庄 (under `parent`) in every situation the figures count: with a plan
    and an overdue step, with a submitted application, and idle."""
    for number in range(count):
        operator = _operator(world, f"增加的单位{number}", parent=parent)
        if number % 3 == 0:
            plan = make_plan(operator=operator)
            make_step(plan=plan, operator=operator, deadline=days_from_today(-3))
        elif number % 3 == 1:
            application_factories.submitted(world, operator=operator)


def _more_notices_and_notifications(world, user, count):
    for _number in range(count):
        make_notice(author=world.province_admin, visibility=Visibility.PUBLIC)
        make_notification(recipient=user)


# --- the pages: how each is set up, and what more of its data is ---------------------


def _login_page(world, client_for):
    return Page(Client(), reverse("accounts:login"), {})


def _grow_login_page(world, page):
    for number in range(MORE):
        make_user(role=Role.UNIT, organisation=make_organisation(name=f"登录单位{number}", parent=world.changan))


def _unit_home(world, client_for):
    make_plan(operator=world.sjz_operator)
    make_notification(recipient=world.sjz_operator)
    make_notice(author=world.province_admin)
    return Page(client_for(world.sjz_operator), "/", {})


def _grow_unit_home(world, page):
    plan = world.sjz_operator.organisation.plans.get()
    for number in range(MORE * 3):  # more overdue steps than the list names one by one
        make_step(plan=plan, operator=world.sjz_operator, title=f"逾期步骤{number}", deadline=days_from_today(-5))
        make_step(plan=plan, operator=world.sjz_operator, title=f"后续步骤{number}", deadline=days_from_today(5))
    _more_notices_and_notifications(world, world.sjz_operator, MORE * 3)
    _more_units(world, MORE)


def _staff_home(world, client_for):
    application_factories.submitted(world)
    make_notice(author=world.province_admin, state=NoticeState.DRAFT)
    return Page(client_for(world.province_admin), "/", {})


def _grow_staff_home(world, page):
    """Every stage of the office's to-do list several times over, in two cities."""
    for number in range(MORE):
        parent = world.tangshan if number % 2 else None
        application_factories.registered(world, operator=_operator(world, f"待审单位{number}", parent=parent))
        inspection_factories.awaiting(world, operator=_operator(world, f"待考察单位{number}", parent=parent))
        designation_factories.scored_elsewhere(world, f"待命名单位{number}", parent=parent)
        make_notice(author=world.province_admin, state=NoticeState.DRAFT)
        make_organisation(name=f"待批准单位{number}", parent=world.changan, status=Status.PENDING)
    _more_notices_and_notifications(world, world.province_admin, MORE)


def _association_home(world, client_for):
    set_schedule(starts_on=timezone.localdate().replace(day=1) - datetime.timedelta(days=70))
    _more_units(world, 3)
    return Page(client_for(world.sjz_association), "/", {})


def _grow_association_home(world, page):
    _more_units(world, 3 * MORE)
    for number in range(MORE):
        make_organisation(name=f"待批准单位{number}", parent=world.changan, status=Status.PENDING)
    _more_notices_and_notifications(world, world.sjz_association, MORE)


def _inspector_home(world, client_for):
    inspection_factories.planned(world)
    return Page(client_for(world.inspector), "/", {})


def _grow_inspector_home(world, page):
    for number in range(MORE * 2):
        application = inspection_factories.awaiting(world, operator=_operator(world, f"考察单位{number}"))
        inspection_factories.planned(world, application=application)
    _more_notices_and_notifications(world, world.inspector, MORE)


def _self_assessment(world, client_for):
    application = application_factories.full_draft(world)
    return Page(client_for(world.sjz_operator), reverse("applications:assessment", args=[application.pk]), {})


def _grow_self_assessment(world, page):
    from materials.models import Material
    from materials.services import upload_material
    from tests.materials.factories import pdf_upload

    application = world.sjz_operator.organisation.applications.get()
    for row in application.indicators.select_related("indicator")[: MORE * 2]:
        for number in range(MORE):
            upload_material(
                actor=world.sjz_operator,
                unit=world.sjz_unit,
                campaign=application.campaign,
                kind=Material.Kind.EVIDENCE,
                indicator=row.indicator,
                file=pdf_upload(f"补充佐证{number}.pdf"),
            )
    _more_notices_and_notifications(world, world.sjz_operator, MORE)
    application_factories.full_draft(world, operator=_operator(world, "另一个起草的单位"))


def _staff_inbox(world, client_for):
    application_factories.submitted(world)
    return Page(client_for(world.province_staff), reverse("applications:inbox"), {})


def _grow_staff_inbox(world, page):
    for number in range(MORE):
        operator = _operator(world, f"收件单位{number}", parent=world.tangshan if number % 2 else None)
        if number % 2:
            application_factories.registered(world, operator=operator)
        else:
            application_factories.submitted(world, operator=operator)
    _more_notices_and_notifications(world, world.province_staff, MORE)


def _application_page(world, client_for):
    application = application_factories.registered(world)
    return Page(
        client_for(world.province_staff),
        reverse("applications:detail", args=[application.pk]),
        {"application": application},
    )


def _grow_application_page(world, page):
    from applications import services

    application = page.state["application"]
    if not application.campaign.recommendations_enabled:
        application.campaign.recommendations_enabled = True
        application.campaign.save(update_fields=["recommendations_enabled"])
    for number in range(MORE):
        services.recommend_application(actor=world.sjz_association, application=application, text=f"推荐意见{number}")
    for number in range(MORE):
        application_factories.registered(world, operator=_operator(world, f"详情另一单位{number}"))
    _more_notices_and_notifications(world, world.province_staff, MORE)


def _scoresheet(world, client_for):
    inspection = inspection_factories.planned(world)
    sheet = Scoresheet.objects.get(inspection=inspection, inspector__user=world.inspector)
    return Page(client_for(world.inspector), reverse("inspections:sheet", args=[sheet.pk]), {"sheet": sheet})


def _grow_scoresheet(world, page):
    from inspections.services import scoring

    sheet = page.state["sheet"]
    indicators = list(
        sheet.inspection.application.version.categories.values_list("indicators__pk", flat=True).order_by(
            "order", "indicators__order"
        )
    )
    for indicator_id in indicators[: MORE * 2]:
        scoring.save_score(
            actor=world.inspector, sheet=sheet, indicator_id=indicator_id, score=Decimal("4"), comment=""
        )
        for _number in range(2):
            scoring.add_photo(
                actor=world.inspector, sheet=sheet, indicator_id=indicator_id, upload=upload("现场.jpg", JPEG)
            )
    for number in range(MORE):
        application = inspection_factories.awaiting(world, operator=_operator(world, f"检查单位{number}"))
        inspection_factories.planned(world, application=application)
    _more_notices_and_notifications(world, world.inspector, MORE)


def _association_workspace(world, client_for):
    _more_units(world, 3)
    return Page(client_for(world.sjz_association), reverse("reports:workspace"), {})


def _grow_association_workspace(world, page):
    _more_units(world, 3 * MORE)
    _more_units(world, MORE, parent=world.tangshan)
    _more_notices_and_notifications(world, world.sjz_association, MORE)


def _dashboard(world, client_for):
    application_factories.submitted(world)
    return Page(client_for(world.province_staff), reverse("dashboard:home"), {})


def _grow_dashboard(world, page):
    from organisations.models import Kind

    for number in range(MORE):
        city = make_organisation(name=f"新增市{number}", kind=Kind.CITY, parent=world.province)
        application_factories.registered(world, operator=_operator(world, f"看板单位{number}", parent=city))
    designation_factories.named_elsewhere(world, "看板命名单位")
    _more_units(world, MORE)
    _more_notices_and_notifications(world, world.province_staff, MORE)


def _public_list(world, client_for):
    showcase_factories.sjz_site(world)
    return Page(Client(), reverse("showcase:sites"), {})


def _grow_public_list(world, page):
    from organisations.models import Kind

    city = make_organisation(name="新增的市", kind=Kind.CITY, parent=world.province)
    designation_factories.announce(
        world,
        [
            designation_factories.scored_elsewhere(world, f"命名单位{number}", parent=city if number % 2 else None)
            for number in range(MORE)
        ],
    )


def _public_site(world, client_for):
    site = showcase_factories.sjz_site(world)
    showcase_factories.published(site, staff=world.province_staff, photos=1)
    return Page(Client(), reverse("showcase:site", args=[site.pk]), {"site": site})


def _grow_public_site(world, page):
    site = page.state["site"]
    for _number in range(MORE):
        showcase_factories.published(site, staff=world.province_staff, photos=2)
    showcase_factories.draft(site)
    designation_factories.named_elsewhere(world, "另一命名单位")


PAGES = {
    "login page": (_login_page, _grow_login_page),
    "unit's home": (_unit_home, _grow_unit_home),
    "provincial office's home": (_staff_home, _grow_staff_home),
    "association's home": (_association_home, _grow_association_home),
    "inspector's home": (_inspector_home, _grow_inspector_home),
    "self-assessment": (_self_assessment, _grow_self_assessment),
    "staff inbox": (_staff_inbox, _grow_staff_inbox),
    "application page": (_application_page, _grow_application_page),
    "scoresheet": (_scoresheet, _grow_scoresheet),
    "association workspace": (_association_workspace, _grow_association_workspace),
    "provincial dashboard": (_dashboard, _grow_dashboard),
    "named sites (public list)": (_public_list, _grow_public_list),
    "named site (public page)": (_public_site, _grow_public_site),
}


def _queries(page: Page) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = page.client.get(page.url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_queries_do_not_grow_with_the_data(world, client_for, name):
    set_up, grow = PAGES[name]
    page = set_up(world, client_for)
    assert page.client.get(page.url).status_code == 200
    small = _queries(page)
    grow(world, page)
    large = _queries(page)
    assert len(large) == len(small), "\n".join(large)


def test_the_grown_public_list_holds_every_named_site(world):
    # The larger world of the public list really is larger: the count above compares
    # one site with four.
    page = _public_list(world, None)
    _grow_public_list(world, page)
    assert Designation.objects.public().count() == 1 + MORE
