"""The first system administrator of a new production database (`make prod-admin`).

`manage.py createsuperuser` cannot do it: every account belongs to an organisation, and a
new database has none. This makes the province (河北省) when there is no province yet, then
one system administrator there, with the password typed twice (checked by the password
rules). The password counts as chosen by someone else: it must be changed at the first
sign-in, and the second factor is enrolled then (TWO_FACTOR_REQUIRED_ROLES). Run it with
the production environment loaded (the Makefile target does).
"""

import getpass
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> int:
    import django

    django.setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from accounts.models import User
    from accounts.roles import Role
    from audit.services import record_event
    from organisations.models import Kind, Organisation
    from organisations.services import create_organisation

    username = input("Username of the system administrator: ").strip()
    if not username or User.objects.filter(username=username).exists():
        print("A new, non-empty username is needed.")
        return 1
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Password (again): "):
        print("The two passwords differ.")
        return 1
    with transaction.atomic():
        province = Organisation.objects.filter(kind=Kind.PROVINCE).first() or create_organisation(
            actor=None, name="河北省", kind=Kind.PROVINCE, region_code="130000"
        )
        user = User(username=username, role=Role.SYSTEM_ADMIN, organisation=province, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            print("\n".join(error.messages))
            return 1
        user.set_password(password)
        user.must_change_password = True
        user.save()
        record_event(actor=None, action="user.create", obj=user, to_state=Role.SYSTEM_ADMIN)
    print(f"System administrator {username} created at {province.name}; sign in and change the password.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
