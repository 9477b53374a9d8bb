def samples(world) -> dict[str, dict]:
    return {}
