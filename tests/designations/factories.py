"""Named sites made through the real services."""

import datetime
import itertools

from designations.services.naming import announce_naming
from tests.inspections import factories as inspection_factories

_documents = itertools.count(1)


def scored(world, **kwargs):
    """An application scored by its team (all 5s: it meets the naming standard)."""
    inspection = inspection_factories.finalised(world, **kwargs)
    return inspection.application


def announce(world, applications, *, issued_on=None):
    return announce_naming(
        actor=world.province_admin,
        campaign=applications[0].campaign,
        applications=applications,
        title="关于命名河北省人文关怀心理疏导示范点的决定",
        doc_number=f"冀研字〔2026〕{next(_documents)}号",
        issued_on=issued_on or datetime.date(2026, 11, 20),
        issuer="河北省思想政治工作研究会",
    )


def named(world, *, issued_on=None, **kwargs):
    """A named site: the application scored, then named in an announcement of its own."""
    application = scored(world, **kwargs)
    announcement = announce(world, [application], issued_on=issued_on)
    return announcement.designations.get()


def scored_elsewhere(world, name, *, parent=None):
    """A scored application of a new unit of its own (under 长安区 unless `parent`): the
    world's units stay free for other data (a unit has one open application)."""
    from core.roles import Role
    from tests.factories import make_organisation, make_user

    unit = make_organisation(name=name, parent=parent or world.changan)
    operator = make_user(role=Role.UNIT, organisation=unit)
    return scored(world, application=inspection_factories.awaiting(world, operator=operator))


def named_elsewhere(world, name, *, parent=None, issued_on=None):
    return announce(world, [scored_elsewhere(world, name, parent=parent)], issued_on=issued_on).designations.get()
