from core.roles import Role
from imports.jobs import check_kind
from jobs.services import start_job
from tests.core.scope import EVERY_OBJECT


def samples(world) -> dict[str, dict]:
    """A queued check job of the provincial staff member stands behind the confirmation:
    it is not finished, so even its owner is sent back; everyone else gets 404 or 403."""
    job = start_job(kind=check_kind("units"), owner=world.province_staff, params={"kind": "units"})
    return {
        "imports:index": {},
        "imports:upload": {"kind": "units"},
        "imports:template": {"kind": "units"},
        "imports:confirm": {"pk": job.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """A check job is its owner's alone: the provincial administrator's is not the staff
    member's to confirm, nor the other way round. The kind of import names no object."""

    def job_of(user):
        return {"pk": start_job(kind=check_kind("units"), owner=user, params={"kind": "units"}).pk}

    return {
        "imports:upload": EVERY_OBJECT,
        "imports:template": EVERY_OBJECT,
        "imports:confirm": {
            Role.PROVINCE_ADMIN: job_of(world.province_staff),
            Role.PROVINCE_STAFF: job_of(world.province_admin),
        },
    }
