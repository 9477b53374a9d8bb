def samples(world) -> dict[str, dict]:
    """The export page has no key: the province and the associations use it, every other role gets 403."""
    return {"exports:home": {}}
