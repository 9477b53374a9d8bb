from jobs.services import start_job
from tests.jobs import kinds  # noqa: F401 -- registers the test kinds


def samples(world) -> dict[str, dict]:
    """A queued job of the provincial staff member: its owner sees it, everyone else 404."""
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 1})
    return {
        "jobs:list": {},
        "jobs:detail": {"pk": job.pk},
        "jobs:download": {"pk": job.pk},
        "jobs:restart": {"pk": job.pk},
    }
