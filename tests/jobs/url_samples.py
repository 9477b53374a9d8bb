from core.roles import Role
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


def out_of_scope_samples(world) -> dict[str, dict]:
    """A job is its owner's alone: one of 唐山's unit operator is nobody else's."""
    job = start_job(kind="tests.count", owner=world.ts_operator, params={"n": 1})
    outside = {role: {"pk": job.pk} for role in Role.values}
    return {"jobs:detail": outside, "jobs:download": outside, "jobs:restart": outside}
