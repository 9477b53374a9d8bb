from datetime import timedelta

from django.utils import timezone

from core.roles import Role
from security.models import SignInThrottle, UserSession
from tests.core.scope import EVERY_OBJECT


def samples(world) -> dict[str, dict]:
    now = timezone.now()
    lock = SignInThrottle.objects.create(
        kind=SignInThrottle.Kind.ACCOUNT,
        key="locked-sample",
        failures=5,
        first_failure_at=now,
        last_failure_at=now,
        locked_until=now + timedelta(minutes=30),
    )
    user_session = UserSession.objects.create(
        user=world.sjz_operator, session_key="sample-session-key", signed_in_at=now, last_seen_at=now
    )
    return {
        "security:captcha": {},
        "security:lock-list": {},
        "security:lock-unlock": {"pk": lock.pk},
        "security:session-list": {},
        "security:session-end": {"pk": user_session.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """The security administrator sees every lock and every session of the platform."""
    return {
        "security:lock-unlock": {Role.SECURITY_ADMIN: EVERY_OBJECT},
        "security:session-end": {Role.SECURITY_ADMIN: EVERY_OBJECT},
    }
