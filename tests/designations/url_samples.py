from tests.designations import factories


def _optional(module, name):
    # The certificate and yearly review pages bring their own samples.
    try:
        return getattr(__import__(f"tests.designations.{module}", fromlist=[name]), name)
    except (ImportError, AttributeError):
        return lambda world: {}


def samples(world) -> dict[str, dict]:
    designation = factories.named(world)
    scored = factories.scored(
        world, application=factories.inspection_factories.awaiting(world, operator=world.ts_operator)
    )
    return {
        **_optional("certificate_samples", "certificate_samples")(world),
        **_optional("review_samples", "review_samples")(world),
        "designations:scored": {},
        "designations:announce": {},
        "designations:decline": {"application_pk": scored.pk},
        "designations:announcements": {},
        "designations:announcement": {"pk": designation.announcement_id},
        "designations:sites": {},
        "designations:site": {"pk": designation.pk},
    }
