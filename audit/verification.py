"""Verifying the whole chain as a background job (large logs take a while), with its
progress on the job's page and the first broken link as its result."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.anchoring import AnchorRefused, anchor_chain_head
from audit.chain import verify_chain
from audit.models import AuditRecord
from audit.permissions import can_read_audit_log
from audit.services import record_event
from jobs.models import Job
from jobs.registry import JobError
from jobs.services import start_job

VERIFY_KIND = "audit.verify"


def start_verification(*, actor) -> Job:
    """Queue a verification of the whole chain (the audit administrator only)."""
    if not can_read_audit_log(actor):
        raise PermissionDenied
    return start_job(kind=VERIFY_KIND, owner=actor)


def run_verification(job: Job, progress) -> None:
    """Verify the chain; `job.result` says whether it holds and, if not, where it first
    breaks. Audited as audit.verify (result failed when the chain is broken); an intact
    chain's head is then anchored outside the database (audit.anchoring)."""
    if not can_read_audit_log(job.owner):
        raise JobError(_("Your account may no longer read the audit log."))
    progress.stage(gettext_noop("Checking records"))
    verification = verify_chain(progress=lambda done, total: progress.advance(done, total=total))
    job.result = verification_summary(verification)
    with transaction.atomic():
        record_event(
            actor=job.owner,
            action="audit.verify",
            obj=job,
            result=AuditRecord.Result.SUCCESS if verification.intact else AuditRecord.Result.FAILED,
            details=job.result,
        )
    if verification.intact:
        # A verified head (and the record of this verification) is anchored outside the
        # database; a broken chain is not, so that the anchor keeps pointing at its past.
        try:
            anchor = anchor_chain_head()
        except AnchorRefused:  # the log was cut since the walk; audited by anchor_chain_head
            return
        job.result["anchored_record_id"] = anchor.last_id


def verification_summary(verification) -> dict:
    """A verification as JSON (for a job's result and the audit record)."""
    summary = {"checked": verification.checked, "intact": verification.intact}
    broken = verification.first_break
    if broken is not None:
        summary["break"] = {
            "record_id": broken.record_id,
            "at": broken.at.isoformat() if broken.at else "",
            "problem": broken.problem,
            "expected": broken.expected,
            "found": broken.found,
        }
    return summary
