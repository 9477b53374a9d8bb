from tests.applications import factories


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
