"""The first administrators of a new production database (`make prod-admin`).

`manage.py createsuperuser` cannot do it: every account belongs to an organisation, and a
new database has none. This makes the province (河北省) when there is no province yet, then
the first system, security and audit administrators there (三员: each role only while no
account holds it, so that later ones are granted on the platform with a second
administrator's approval, accounts.grants), each with a password typed twice (checked by the
password rules). The password counts as chosen by someone else: it must be changed at the
first sign-in, and the second factor is enrolled then (TWO_FACTOR_REQUIRED_ROLES). Run it
with the production environment loaded (the Makefile target does); it asks for each missing
role in turn, and an empty name skips one.
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
    from audit.services import record_event
    from core.roles import Role
    from organisations.models import Kind, Organisation
    from organisations.services import create_organisation

    BOOTSTRAP_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

    with transaction.atomic():
        province = Organisation.objects.filter(kind=Kind.PROVINCE).first() or create_organisation(
            actor=None, name="河北省", kind=Kind.PROVINCE, region_code="130000"
        )
    missing = [role for role in BOOTSTRAP_ROLES if not User.objects.filter(role=role).exists()]
    if not missing:
        print("The system, security and audit administrators exist: grant further ones on the platform.")
        return 1
    for role in missing:
        username = input(f"Username of the {Role(role).label} (empty: skip): ").strip()
        if not username:
            continue
        if User.objects.filter(username=username).exists():
            print("This username is taken.")
            return 1
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            print("The two passwords differ.")
            return 1
        user = User(username=username, role=role, organisation=province, is_staff=role == Role.SYSTEM_ADMIN)
        try:
            validate_password(password, user)
        except ValidationError as error:
            print("\n".join(error.messages))
            return 1
        with transaction.atomic():
            # Checked again under the transaction: two runs at once must not make two.
            if User.objects.select_for_update().filter(role=role).exists():
                print(f"A {Role(role).label} exists already.")
                return 1
            user.set_password(password)
            user.must_change_password = True
            user.save()
            record_event(actor=None, action="user.create", obj=user, to_state=role, details={"via": "create_admin"})
        print(f"{Role(role).label} {username} created at {province.name}; sign in and change the password.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
