import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Sector
from plans import services
from plans.models import StepStatus
from tests.factories import make_organisation, make_user
from tests.notifications.factories import forget_bell_counts
from tests.plans.factories import days_from_today, make_plan, make_step

# Session, user, the viewer's organisation, the unread-notifications badge of the top
# bar, the campaign and association choices of the filter, the current campaign, the
# count and the page.
MAX_LIST_QUERIES = 9
# Session, user, the viewer's organisation, the unread-notifications badge, the plan
# with its unit and campaign, the steps, the comments with their authors.
MAX_DETAIL_QUERIES = 7


def add_plans(world, count):
    """`count` plans of 石家庄 units, each with an overdue, a done and an open step."""
    for _ in range(count):
        unit = make_organisation(parent=world.changan, sector=Sector.SCHOOL)
        operator = make_user(role="unit", organisation=unit)
        plan = make_plan(operator=operator)
        make_step(plan=plan, operator=operator, deadline=days_from_today(-2))
        make_step(plan=plan, operator=operator, status=StepStatus.DONE)
        make_step(plan=plan, operator=operator)


def count_queries(client, url, limit, django_assert_max_num_queries) -> int:
    forget_bell_counts()
    with django_assert_max_num_queries(limit), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["province_staff", "sjz_association"])
def test_queries_list_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries, who):
    client = client_for(getattr(world, who))
    add_plans(world, 1)
    with_one = count_queries(client, reverse("plans:list"), MAX_LIST_QUERIES, django_assert_max_num_queries)
    add_plans(world, 2)
    with_three = count_queries(client, reverse("plans:list"), MAX_LIST_QUERIES, django_assert_max_num_queries)
    assert with_one == with_three


def test_queries_list_shows_three_rows_with_their_counts(world, client_for):
    add_plans(world, 3)
    response = client_for(world.sjz_association).get(reverse("plans:list"))
    rows = [(plan.done_count, plan.step_count, plan.overdue_count) for plan in response.context["page_obj"]]
    assert rows == [(1, 3, 1)] * 3


@pytest.mark.parametrize("who", ["sjz_operator", "sjz_association"])
def test_queries_plan_page_does_not_grow_with_steps_or_comments(world, client_for, django_assert_max_num_queries, who):
    plan = make_plan(operator=world.sjz_operator)
    url = reverse("plans:detail", kwargs={"pk": plan.pk})
    client = client_for(getattr(world, who))

    def add(n):
        for _ in range(n):
            make_step(plan=plan, operator=world.sjz_operator)
            services.add_comment(actor=world.sjz_association, plan=plan, text="意见")

    add(1)
    with_one = count_queries(client, url, MAX_DETAIL_QUERIES, django_assert_max_num_queries)
    add(2)
    with_three = count_queries(client, url, MAX_DETAIL_QUERIES, django_assert_max_num_queries)
    assert with_one == with_three
