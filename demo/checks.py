"""The deployment check that no demo account keeps the published demo password."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.database)
def check_no_demo_accounts_in_production(app_configs, databases=None, **kwargs):
    """No default account in production: a demo login of demo.seeding still signing in with
    the published demo password would let anyone in. It reads the database, so it runs
    when asked with `manage.py check --deploy --database default`, which the production
    start runs (README, "Deploying")."""
    if not settings.PRODUCTION or not databases:
        return []
    from django.contrib.auth.hashers import check_password
    from django.db import DatabaseError

    from accounts.models import User
    from demo.seeding import DEMO_PASSWORD, demo_logins

    usernames = [login.username for login in demo_logins()]
    found = []
    for alias in databases:
        try:
            # The hasher, not user.check_password(): a check must not upgrade and save a hash.
            accounts = list(User.objects.using(alias).filter(username__in=usernames))
        except DatabaseError:  # not migrated yet: there is no account at all
            continue
        found += [account.username for account in accounts if check_password(DEMO_PASSWORD, account.password)]
    if found:
        return [
            Error(
                f"Demo accounts with the published demo password exist: {', '.join(sorted(found))}.",
                hint="Delete them or give them new passwords; production never runs `seed_demo`.",
                id="security.E001",
            )
        ]
    return []
