def samples(world) -> dict[str, dict]:
    """The dashboard has no object in its URLs: any chart key stands for the export."""
    return {"dashboard:home": {}, "dashboard:export": {"chart": "funnel"}}
