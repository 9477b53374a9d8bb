def current_campaign():
    """STUB until the campaigns app is built: the running campaign, or None."""
    return None
