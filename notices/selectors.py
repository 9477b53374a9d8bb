def latest_notices_for(user, *, limit: int = 5) -> list:
    """STUB until the notices app is built."""
    return []
