"""A small province of applications in several states, cities and sectors, made through
the real services, with the workflow's timestamps then set to known days."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from applications.models import Application, Review
from core.roles import Role
from designations.models import Designation
from inspections.models import Result
from organisations.models import Sector
from tests.applications import factories as application_factories
from tests.designations import factories as designation_factories
from tests.factories import make_organisation, make_user
from tests.inspections import factories as inspection_factories
from tests.plans.factories import make_plan


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@dataclass
class Applications:
    named: Application  # 石家庄, school
    registered: Application  # 石家庄, community
    submitted: Application  # 唐山, enterprise
    awaiting: Application  # 唐山, village


def unit_with_operator(world, name, *, parent, sector):
    unit = make_organisation(name=name, parent=parent, sector=sector)
    return unit, make_user(role=Role.UNIT, organisation=unit)


def build(world) -> Applications:
    """Four applications: a named one and a registered one in 石家庄 (school, community),
    a submitted one and one awaiting inspection in 唐山 (enterprise, village); a plan for
    the 石家庄 school. Submitted in 2026-03 (two) and 2026-04 (two)."""
    _sjz_unit2, sjz_operator2 = unit_with_operator(world, "长安社区中心", parent=world.changan, sector=Sector.COMMUNITY)
    _ts_unit2, ts_operator2 = unit_with_operator(world, "唐山某村", parent=world.tangshan, sector=Sector.VILLAGE)
    make_plan(operator=world.sjz_operator)
    named = designation_factories.named(world, issued_on=datetime.date(2026, 5, 20)).application
    registered = application_factories.registered(world, operator=sjz_operator2)
    submitted = application_factories.submitted(world, operator=world.ts_operator)
    awaiting = inspection_factories.awaiting(world, operator=ts_operator2)

    # Known days (2026-03-02 is a Monday; 2026-04-06 is 清明 holiday Monday).
    Application.objects.filter(pk=named.pk).update(
        submitted_at=at(datetime.date(2026, 3, 2)), registered_at=at(datetime.date(2026, 3, 5))
    )
    Review.objects.filter(application=named).update(created_at=at(datetime.date(2026, 3, 10)))
    Result.objects.filter(inspection__application=named).update(finalised_at=at(datetime.date(2026, 4, 20)))
    Application.objects.filter(pk=registered.pk).update(
        submitted_at=at(datetime.date(2026, 3, 20)), registered_at=at(datetime.date(2026, 4, 7))
    )
    Application.objects.filter(pk=submitted.pk).update(submitted_at=at(datetime.date(2026, 4, 1)))
    Application.objects.filter(pk=awaiting.pk).update(
        submitted_at=at(datetime.date(2026, 4, 3)), registered_at=at(datetime.date(2026, 4, 8))
    )
    Review.objects.filter(application=awaiting).update(created_at=at(datetime.date(2026, 4, 9)))
    assert Designation.objects.filter(application=named).count() == 1
    return Applications(
        named=Application.objects.get(pk=named.pk),
        registered=Application.objects.get(pk=registered.pk),
        submitted=Application.objects.get(pk=submitted.pk),
        awaiting=Application.objects.get(pk=awaiting.pk),
    )
