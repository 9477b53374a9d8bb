def samples(world) -> dict[str, dict]:
    return {
        "set_language": {},
        "core:home": {},
        "core:text-size": {},
        "core:healthz": {},
    }
