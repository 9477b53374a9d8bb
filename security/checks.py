"""Start-up checks of the sign-in limits: a deployment cannot set them so that they turn
against users (an address locked before one account would be, so that one person's
mistakes lock a whole office) or stop bounding guessing."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_sign_in_limits(app_configs, **kwargs):
    names = (
        "LOGIN_LOCK_FAILURES",
        "LOGIN_LOCK_MINUTES",
        "LOGIN_ACCOUNT_FAILURES_PER_HOUR",
        "LOGIN_ADDRESS_CAPTCHA_FAILURES",
        "LOGIN_ADDRESS_LOCK_FAILURES",
        "LOGIN_DEVICE_COOKIE_DAYS",
    )
    errors = [Error(f"{name} must be at least 1.", id="security.E011") for name in names if getattr(settings, name) < 1]
    if errors:
        return errors
    if not (
        settings.LOGIN_LOCK_FAILURES <= settings.LOGIN_ACCOUNT_FAILURES_PER_HOUR < settings.LOGIN_ADDRESS_LOCK_FAILURES
    ):
        errors.append(
            Error(
                "Sign-in limits must grow from one account to one address: LOGIN_LOCK_FAILURES <= "
                "LOGIN_ACCOUNT_FAILURES_PER_HOUR < LOGIN_ADDRESS_LOCK_FAILURES.",
                hint="Many people may share one address; see docs/security.md, Failed sign-ins.",
                id="security.E012",
            )
        )
    if settings.LOGIN_ADDRESS_CAPTCHA_FAILURES <= settings.LOGIN_LOCK_FAILURES // 2:
        errors.append(
            Error(
                "LOGIN_ADDRESS_CAPTCHA_FAILURES is too low: a few people's mistakes would put a captcha on "
                "everyone behind their address.",
                id="security.E013",
            )
        )
    return errors
