def samples(world) -> dict[str, dict]:
    return {
        "accounts:login": {},
        "accounts:logout": {},
        "accounts:password-change": {},
        "accounts:password-change-done": {},
        "accounts:register": {},
        "accounts:register-done": {},
        "accounts:user-list": {},
        "accounts:user-detail": {"pk": world.sjz_operator.pk},
        "accounts:user-edit": {"pk": world.sjz_operator.pk},
        "accounts:user-set-active": {"pk": world.sjz_operator.pk},
        "accounts:user-create": {"organisation_pk": world.sjz_unit.pk},
    }
