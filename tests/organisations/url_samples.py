def samples(world) -> dict[str, dict]:
    return {
        "organisations:list": {},
        "organisations:mine": {},
        "organisations:detail": {"pk": world.sjz_unit.pk},
        "organisations:edit": {"pk": world.sjz_unit.pk},
        "organisations:create": {"parent_pk": world.changan.pk},
        "organisations:registrations": {},
        "organisations:registration-approve": {"pk": world.pending_unit.pk},
        "organisations:registration-refuse": {"pk": world.pending_unit.pk},
    }
