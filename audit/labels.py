"""What an audit record's action and states say to a person, in the reader's language:
the timeline of an application, the audit log and its exports never show a code such as
"auth.2fa_verified" or "registered".

Actions: one table of every action the platform records (tests/audit/test_labels.py reads
the source and fails on an action missing here). States: the label of the choice on the
recorded object's own `state` or `status` field, found through the app registry, so this
module imports no app above it.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIONS = {
    "access.denied": _("Access refused"),
    # applications (applications.workflow's transitions and the unit's own steps)
    "application.create": _("Application started"),
    "application.submit": _("Application submitted"),
    "application.withdraw": _("Application withdrawn"),
    "application.register": _("Application registered"),
    "application.pass": _("Passed the preliminary review"),
    "application.return": _("Returned for supplement"),
    "application.reject": _("Application rejected"),
    "application.resubmit": _("Application resubmitted"),
    "application.score": _("Scored by the inspection team"),
    "application.name": _("Named a demonstration site"),
    "application.decline": _("Not named"),
    "application.revoke": _("Title revoked"),
    "application.recommend": _("Recommendation written"),
    # experience articles
    "article.create": _("Experience article started"),
    "article.update": _("Experience article changed"),
    "article.submit": _("Experience article submitted"),
    "article.publish": _("Experience article published"),
    "article.unpublish": _("Experience article unpublished"),
    "article.return": _("Experience article returned to the unit"),
    "article.feature": _("Experience article featured"),
    "article.unfeature": _("Experience article no longer featured"),
    "article.photo_add": _("Photo added to an article"),
    "article.photo_update": _("Article photo changed"),
    "article.photo_remove": _("Photo removed from an article"),
    # the audit log itself
    "audit.anchor": _("Audit chain anchor refused"),
    "audit.export": _("Audit log exported"),
    "audit.purge": _("Old audit records removed"),
    "audit.verify": _("Audit chain verified"),
    # signing in
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.logout": _("Signed out"),
    "auth.lock": _("Account locked"),
    "auth.unlock": _("Account unlocked"),
    "auth.under_attack": _("Account under attack: security administrators alerted"),
    "auth.session_end": _("Session ended"),
    "auth.session_timeout": _("Session timed out"),
    "auth.2fa_verified": _("Second factor verified"),
    "auth.2fa_failed": _("Wrong second-factor code"),
    "twofactor.enrol": _("Authenticator app enrolled"),
    "twofactor.disable": _("Second factor turned off"),
    "twofactor.reset": _("Second factor reset"),
    # privileged account changes (三员分立, accounts.grants)
    "role_grant.request": _("Privileged account change asked for"),
    "role_grant.approve": _("Privileged account change approved"),
    "role_grant.reject": _("Privileged account change rejected"),
    "twofactor.recovery_code_used": _("Recovery code used"),
    "twofactor.recovery_codes_regenerated": _("New recovery codes made"),
    # campaigns and standards
    "campaign.create": _("Campaign created"),
    "campaign.update": _("Campaign changed"),
    "standard.create": _("Standard version drafted"),
    "standard.update": _("Standard draft changed"),
    "standard.publish": _("Standard version published"),
    "standard.retire": _("Standard version retired"),
    "standard.discard": _("Standard draft discarded"),
    "contact.update": _("Contact page changed"),
    "crypto.reseal": _("Personal numbers re-encrypted"),
    # naming and yearly review
    "designation.announce": _("Naming announced"),
    "designation.certificate": _("Certificate downloaded"),
    "designation.review_open": _("Yearly review opened"),
    "designation.review_close": _("Yearly review closed"),
    "designation.report_submit": _("Yearly report submitted"),
    "designation.report_file": _("File added to a yearly report"),
    "designation.review_keep": _("Title kept"),
    "designation.review_rectify": _("Title kept, with rectification"),
    "designation.review_revoke": _("Title revoked after the yearly review"),
    "export.table": _("Table exported"),
    # inspections
    "inspection.plan": _("Inspection planned"),
    "inspection.change": _("Inspection changed"),
    "inspection.draw": _("Team drawn"),
    "inspection.team": _("Team changed"),
    "inspection.cancel": _("Inspection cancelled"),
    "inspection.visit_recorded": _("Actual day of the visit recorded"),
    "inspection.finalise": _("Team result finalised"),
    "inspection.export": _("Inspection report downloaded"),
    "inspection.photo": _("Inspection photo added"),
    "inspector.create": _("Expert added"),
    "inspector.update": _("Expert changed"),
    "inspector.activate": _("Expert back in the pool"),
    "inspector.deactivate": _("Expert out of the pool"),
    "inspector.conflict_add": _("Conflict of interest declared"),
    "inspector.conflict_remove": _("Conflict of interest removed"),
    "inspector.export": _("Expert pool exported"),
    "inspector.import": _("Expert pool imported"),
    "scoresheet.score": _("Score saved"),
    "scoresheet.vetoes": _("Veto items recorded"),
    "scoresheet.submit": _("Scoresheet submitted"),
    "scoresheet.reopen": _("Scoresheet reopened"),
    # imports
    "import.units": _("Units imported"),
    "import.organisations": _("Organisations imported"),
    "import.operators": _("Unit accounts imported"),
    "import.inspectors": _("Expert pool imported"),
    # background jobs
    "job.start": _("Job requested"),
    "job.run": _("Job started"),
    "job.finish": _("Job finished"),
    "job.restart": _("Job restarted"),
    "job.requeue": _("Job queued again"),
    "job.download": _("Job result downloaded"),
    # every stored file handed out (core.files.stream_stored)
    "file.download": _("Stored file downloaded"),
    # materials
    "material.upload": _("File uploaded"),
    "material.replace": _("File replaced"),
    "material.remove": _("File removed"),
    # notices
    "notice.create": _("Notice drafted"),
    "notice.update": _("Notice changed"),
    "notice.publish": _("Notice published"),
    "notice.withdraw": _("Notice withdrawn"),
    "notice.attachment_remove": _("Notice attachment removed"),
    # organisations and accounts
    "organisation.create": _("Organisation created"),
    "organisation.update": _("Organisation changed"),
    "organisation.delete": _("Organisation deleted"),
    "organisation.self_register": _("Unit registered itself"),
    "organisation.self_register_refused": _("Unit registration refused: too many from one address"),
    "organisation.approve": _("Registration approved"),
    "organisation.refuse": _("Registration refused"),
    "user.create": _("Account created"),
    "user.update": _("Account changed"),
    "user.delete": _("Account deleted"),
    "user.enable": _("Account enabled"),
    "user.disable": _("Account disabled"),
    "user.password_change": _("Password changed"),
    "user.password_reset": _("Password reset"),
    "pii.unmask": _("Personal number shown in full"),
    # plans
    "plan.create": _("Creation plan written"),
    "plan.update": _("Creation plan changed"),
    "plan.comment": _("Comment on a creation plan"),
    "plan.step_add": _("Plan step added"),
    "plan.step_update": _("Plan step changed"),
    "plan.step_move": _("Plan step moved"),
    "plan.step_remove": _("Plan step removed"),
    "plan.step_status": _("Plan step progress"),
    # progress reports
    "reports.schedule_create": _("Reporting schedule set"),
    "reports.schedule_update": _("Reporting schedule changed"),
    "reports.report_create": _("Progress report drafted"),
    "reports.report_update": _("Progress report changed"),
    "reports.report_submit": _("Progress report submitted"),
    "reports.report_comment": _("Comment on a progress report"),
    "reports.report_remind": _("Late association reminded"),
    "reports.unit_remind": _("Unit reminded"),
    "reports.period_export": _("Progress reports exported"),
    # operations
    "system.backup": _("Backup made"),
    "system.restore": _("Backup restored"),
    "workdays.year_create": _("Holiday arrangement entered"),
    "workdays.year_update": _("Holiday arrangement changed"),
    "workdays.year_delete": _("Holiday arrangement removed"),
}

# Django admin changes of models without an action of their own: "<model_name>.<verb>".
ADMIN_VERBS = {
    "create": pgettext_lazy("admin change", "Added"),
    "update": pgettext_lazy("admin change", "Changed"),
    "delete": pgettext_lazy("admin change", "Deleted"),
}


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def action_label(action: str, object_type: str = "") -> str:
    """`action` as its reader says it; the code itself only for an action unknown here."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    verb = action.rpartition(".")[2]
    model = _model(object_type)
    if verb in ADMIN_VERBS and model is not None:
        return _("%(change)s %(model)s in the Django admin") % {
            "change": ADMIN_VERBS[verb],
            "model": model._meta.verbose_name,
        }
    return action


def state_label(object_type: str, value: str) -> str:
    """`value` of the recorded object's `state` or `status` field, as its choice's label."""
    if not value:
        return ""
    model = _model(object_type)
    if model is not None:
        for name in ("state", "status"):
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            labels = dict(field.flatchoices)
            if value in labels:
                return str(labels[value])
    return value
