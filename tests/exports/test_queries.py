import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from jobs.testing import run_queued_jobs
from tests.applications import factories as application_factories
from tests.exports.helpers import start
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

# The job's own bookkeeping (take the task, mark running, audit, finish, notify) and the
# export's reads; the same whatever the number of rows. Each of the job's four audit rows
# also locks and moves the head of the audit chain (two queries).
JOB_QUERIES = 40


@pytest.mark.parametrize("table", ["units", "plans", "applications", "scores", "sites"])
def test_export_job_queries_are_bounded_for_every_table(world, client_for, django_assert_max_num_queries, table):
    start(client_for(world.province_staff), table=table)
    with django_assert_max_num_queries(JOB_QUERIES):
        run_queued_jobs()


def _queries_of_one_export(client, **choice) -> int:
    start(client, **choice)
    with CaptureQueriesContext(connection) as queries:
        run_queued_jobs()
    return len(queries)


def test_applications_export_query_count_is_equal_for_1_and_3_rows(world, client_for):
    client = client_for(world.province_staff)
    application_factories.submitted(world)
    one = _queries_of_one_export(client, table="applications")
    for index in range(2):
        unit = make_organisation(name=f"申报单位{index}", parent=world.changan)
        application_factories.submitted(world, operator=make_user(role=Role.UNIT, organisation=unit))
    assert _queries_of_one_export(client, table="applications") == one


def test_units_export_query_count_is_equal_for_1_and_5_rows(world, client_for):
    counts = []
    for extra in (0, 4):
        for index in range(extra):
            make_organisation(name=f"新单位{index}", parent=world.tangshan)
        start(client_for(world.ts_association))
        with CaptureQueriesContext(connection) as queries:
            run_queued_jobs()
        counts.append(len(queries))
    assert counts[0] == counts[1]
