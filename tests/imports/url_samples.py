from imports.jobs import check_kind
from jobs.services import start_job


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
