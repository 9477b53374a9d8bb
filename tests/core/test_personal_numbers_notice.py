"""Every form where units and associations write about their work says that the platform
keeps no individual counselling records (issue 7, control 4)."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from tests.applications.factories import full_draft
from tests.plans.factories import make_plan
from tests.reports.factories import current_period
from tests.showcase import factories as showcase_factories

pytestmark = pytest.mark.django_db

NOTICE = 'data-testid="no-personal-records"'


def assert_notice(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count(NOTICE) == 1


def test_notice_on_the_creation_plan_forms(world, client_for):
    client = client_for(world.sjz_operator)
    assert_notice(client, reverse("plans:mine"))  # the plan's first form
    plan = make_plan(operator=world.sjz_operator)
    assert_notice(client, reverse("plans:edit", args=[plan.pk]))
    assert_notice(client, reverse("plans:step-create", args=[plan.pk]))


def test_notice_on_the_application_and_self_assessment(world, client_for):
    client = client_for(world.sjz_operator)
    assert_notice(client, reverse("applications:mine"))
    application = full_draft(world)
    assert_notice(client, reverse("applications:assessment", args=[application.pk]))


def test_notice_on_the_work_summary_and_materials_upload(world, client_for):
    assert_notice(client_for(world.sjz_operator), reverse("materials:mine"))


def test_notice_on_the_experience_article_form(world, client_for):
    _unit, operator = showcase_factories.new_unit(world, name="须知社区")
    site = showcase_factories.site_of(world, operator)
    assert_notice(client_for(operator), reverse("showcase:article-create", args=[site.pk]))


def test_notice_on_the_associations_progress_report(world, client_for):
    campaign, period = current_period(Campaign.objects.order_by("start_date", "pk").first())
    url = reverse("reports:report-write", kwargs={"campaign_pk": campaign.pk, "period": period.key})
    assert_notice(client_for(world.sjz_association), url)
