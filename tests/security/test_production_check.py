"""No default account in production: the system check run by the production start
(`manage.py check --deploy --database default`) refuses demo logins with the demo password."""

from django.core import checks

from core.roles import Role
from demo.checks import check_no_demo_accounts_in_production
from demo.seeding import DEMO_PASSWORD, demo_logins
from tests.factories import make_user


def demo_account(world, password=DEMO_PASSWORD):
    return make_user(role=Role.UNIT, organisation=world.sjz_unit, username=demo_logins()[0].username, password=password)


def test_production_refuses_a_demo_account_with_the_demo_password(world, settings):
    settings.PRODUCTION = True
    account = demo_account(world)
    errors = check_no_demo_accounts_in_production(None, databases=["default"])
    assert [error.id for error in errors] == ["security.E001"]
    assert account.username in errors[0].msg


def test_the_check_is_registered_for_the_database_tag(world, settings):
    settings.PRODUCTION = True
    demo_account(world)
    errors = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    assert "security.E001" in [error.id for error in errors]


def test_a_demo_name_with_its_own_password_is_allowed(world, settings):
    settings.PRODUCTION = True
    demo_account(world, password="Own-choice-2026")
    assert check_no_demo_accounts_in_production(None, databases=["default"]) == []


def test_demo_accounts_are_fine_outside_production(world, settings):
    settings.PRODUCTION = False
    demo_account(world)
    assert check_no_demo_accounts_in_production(None, databases=["default"]) == []


def test_the_check_reads_no_database_unless_asked(world, settings, django_assert_num_queries):
    settings.PRODUCTION = True
    demo_account(world)
    with django_assert_num_queries(0):
        assert check_no_demo_accounts_in_production(None, databases=None) == []
