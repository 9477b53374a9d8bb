from tests.core.scope import EVERY_OBJECT


def samples(world) -> dict[str, dict]:
    """The dashboard has no object in its URLs: any chart key stands for the export."""
    return {"dashboard:home": {}, "dashboard:export": {"chart": "funnel"}}


def out_of_scope_samples(world) -> dict[str, dict]:
    """A chart key names no object: the province sees every chart."""
    return {"dashboard:export": EVERY_OBJECT}
