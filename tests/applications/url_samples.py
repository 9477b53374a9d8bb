from applications import services
from core.roles import PROVINCE_ROLES, Role
from tests.applications import factories
from tests.factories import make_tangshan_operator


def samples(world) -> dict[str, dict]:
    application = factories.submitted(world)
    return {
        "applications:mine": {},
        "applications:start": {},
        "applications:inbox": {},
        "applications:list": {},
        "applications:detail": {"pk": application.pk},
        "applications:assessment": {"pk": application.pk},
        "applications:indicator-save": {
            "pk": application.pk,
            "indicator_pk": application.indicators.first().indicator_id,
        },
        "applications:submit": {"pk": application.pk},
        "applications:withdraw": {"pk": application.pk},
        "applications:register": {"pk": application.pk},
        "applications:review": {"pk": application.pk},
        "applications:recommend": {"pk": application.pk},
        "applications:snapshot": {"pk": application.pk, "round": 1},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """A submitted application of a 唐山 unit lies outside the 石家庄 association, the
    石家庄 unit's operator and the inspector (no inspection of it); a unit's draft lies
    outside the province too (a unit's work is its own until submitted)."""
    application = factories.submitted(world, operator=make_tangshan_operator(world, "唐山样例申报单位"))
    drafting = make_tangshan_operator(world, "唐山样例自查单位")
    draft = services.start_application(actor=drafting, unit=drafting.organisation, campaign=factories.campaign())
    outside = {"pk": application.pk}
    unseen_draft = {"pk": draft.pk}
    readers = {
        **dict.fromkeys(PROVINCE_ROLES, unseen_draft),
        Role.ASSOCIATION: outside,
        Role.UNIT: outside,
        Role.INSPECTOR: outside,
    }
    indicator = application.indicators.first().indicator_id
    return {
        "applications:detail": readers,
        "applications:snapshot": {role: {**kwargs, "round": 1} for role, kwargs in readers.items()},
        "applications:assessment": {Role.UNIT: outside},
        "applications:indicator-save": {Role.UNIT: {**outside, "indicator_pk": indicator}},
        "applications:submit": {Role.UNIT: outside},
        "applications:withdraw": {Role.UNIT: outside},
        "applications:register": dict.fromkeys(PROVINCE_ROLES, unseen_draft),
        "applications:review": dict.fromkeys(PROVINCE_ROLES, unseen_draft),
        "applications:recommend": {Role.ASSOCIATION: outside},
    }
