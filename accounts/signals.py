"""Sign-ins, sign-outs and failures are written to the audit log from Django's own auth signals,
the one place every sign-in path (the page, the admin) passes through."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditRecord
from audit.services import record_event


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record_event(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    record_event(
        actor=None,
        action="auth.login_failed",
        result=AuditRecord.Result.FAILED,
        details={"username": str(credentials.get("username", ""))[:150]},
    )
