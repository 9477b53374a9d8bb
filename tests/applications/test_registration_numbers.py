import datetime
import threading
import zoneinfo

import pytest
from django.db import connection, connections
from django.utils import timezone

from applications import services
from tests.applications import factories
from tests.factories import make_organisation, make_user


def test_registration_numbers_follow_the_order_of_registration(world):
    first = factories.submitted(world)
    second = factories.submitted(world, operator=world.ts_operator)
    services.register_application(actor=world.province_staff, application=second)
    services.register_application(actor=world.province_staff, application=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.registration_number, first.registration_number) == (1, 2)
    year = timezone.localdate().year
    assert (first.registration_code, first.registration_year) == (f"{year}-00002", year)


def test_registration_numbers_carry_the_year_and_start_again_each_year(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 30, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
    december = services.register_application(actor=world.province_staff, application=factories.submitted(world))
    time_machine.move_to(datetime.datetime(2027, 1, 4, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
    january = services.register_application(
        actor=world.province_staff, application=factories.submitted(world, operator=world.ts_operator)
    )
    assert (december.registration_code, january.registration_code) == ("2026-00001", "2027-00001")


def test_registration_numbers_follow_the_campaigns_pattern(world):
    campaign = factories.campaign()
    campaign.registration_pattern = "冀研登〔{year}〕{serial:04d}号"
    campaign.save(update_fields=["registration_pattern"])
    application = services.register_application(actor=world.province_staff, application=factories.submitted(world))
    assert application.registration_code == f"冀研登〔{timezone.localdate().year}〕0001号"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are what is tested: PostgreSQL pass")
@pytest.mark.django_db(transaction=True)
def test_two_staff_registering_at_the_same_moment_get_consecutive_numbers(seeded_campaign, world):
    from core.roles import Role

    applications = []
    for index in range(6):
        unit = make_organisation(name=f"并发单位{index}", parent=world.changan)
        operator = make_user(role=Role.UNIT, organisation=unit)
        applications.append(factories.submitted(world, operator=operator, unit=unit))
    barrier = threading.Barrier(2)
    errors = []

    def register(batch):
        try:
            barrier.wait(timeout=10)
            for application in batch:
                services.register_application(actor=world.province_staff, application=application)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=register, args=(applications[0::2],)),
        threading.Thread(target=register, args=(applications[1::2],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(
        a.registration_number for a in type(applications[0]).objects.filter(pk__in=[a.pk for a in applications])
    )
    assert numbers == [1, 2, 3, 4, 5, 6]
