"""The one place tests make data. Plain functions: each makes one valid object."""

import itertools

from accounts.models import User
from core.roles import Role
from organisations.models import Kind, Organisation, Sector, Status
from organisations.services import path_for

PASSWORD = "Test-pass-2026"
_counter = itertools.count(1)


def make_organisation(*, name=None, kind=Kind.UNIT, parent=None, sector=None, status=Status.ACTIVE, **fields):
    if sector is None:
        sector = Sector.ENTERPRISE if kind == Kind.UNIT else ""
    org = Organisation.objects.create(
        name=name or f"组织{next(_counter)}", kind=kind, parent=parent, sector=sector, status=status, **fields
    )
    org.path = path_for(pk=org.pk, parent=parent)
    org.depth = org.path.count("/") - 1
    org.save(update_fields=["path", "depth"])
    return org


def make_user(*, role, organisation, username=None, password=PASSWORD, **fields):
    user = User(username=username or f"user{next(_counter)}", role=role, organisation=organisation, **fields)
    user.set_password(password)
    user.is_staff = role == Role.SYSTEM_ADMIN
    user.save()
    return user


class World:
    """A small province with two cities whose data must never mix, and a user of every role.

    shijiazhuang / tangshan: cities; sjz_unit / ts_unit: a unit in each; pending_unit: a
    self-registered unit of 石家庄 awaiting approval.
    """

    def __init__(self):
        self.province = make_organisation(name="河北省", kind=Kind.PROVINCE, region_code="130000")
        self.shijiazhuang = make_organisation(
            name="石家庄市", kind=Kind.CITY, parent=self.province, region_code="130100"
        )
        self.tangshan = make_organisation(name="唐山市", kind=Kind.CITY, parent=self.province, region_code="130200")
        self.changan = make_organisation(
            name="长安区", kind=Kind.COUNTY, parent=self.shijiazhuang, region_code="130102"
        )
        self.sjz_unit = make_organisation(name="石家庄第一中学", parent=self.changan, sector=Sector.SCHOOL)
        self.ts_unit = make_organisation(name="唐山钢铁公司", parent=self.tangshan, sector=Sector.ENTERPRISE)
        self.pending_unit = make_organisation(
            name="长安社区", parent=self.changan, sector=Sector.COMMUNITY, status=Status.PENDING
        )
        self.province_admin = make_user(role=Role.PROVINCE_ADMIN, organisation=self.province, username="padmin")
        self.province_staff = make_user(role=Role.PROVINCE_STAFF, organisation=self.province, username="pstaff")
        self.sjz_association = make_user(role=Role.ASSOCIATION, organisation=self.shijiazhuang, username="sjz")
        self.ts_association = make_user(role=Role.ASSOCIATION, organisation=self.tangshan, username="ts")
        self.sjz_operator = make_user(role=Role.UNIT, organisation=self.sjz_unit, username="sjzunit")
        self.ts_operator = make_user(role=Role.UNIT, organisation=self.ts_unit, username="tsunit")
        self.pending_operator = make_user(role=Role.UNIT, organisation=self.pending_unit, username="pending")
        self.inspector = make_user(role=Role.INSPECTOR, organisation=self.province, username="inspector")
        self.system_admin = make_user(role=Role.SYSTEM_ADMIN, organisation=self.province, username="sysadmin")
        self.security_admin = make_user(role=Role.SECURITY_ADMIN, organisation=self.province, username="secadmin")
        self.audit_admin = make_user(role=Role.AUDIT_ADMIN, organisation=self.province, username="auditadmin")

    def user_of(self, role):
        """One signed-in user per role, for walks over every role."""
        return {
            Role.PROVINCE_ADMIN: self.province_admin,
            Role.PROVINCE_STAFF: self.province_staff,
            Role.ASSOCIATION: self.sjz_association,
            Role.UNIT: self.sjz_operator,
            Role.INSPECTOR: self.inspector,
            Role.SYSTEM_ADMIN: self.system_admin,
            Role.SECURITY_ADMIN: self.security_admin,
            Role.AUDIT_ADMIN: self.audit_admin,
        }[role]


def make_tangshan_operator(world, name: str):
    """The operator of a new unit of 唐山市: outside the 石家庄 association's city and
    outside every other unit, for the objects the scope walk (tests/core/test_scope_walk.py)
    must find refused. A unit of its own, so that no other sample's unit is taken."""
    unit = make_organisation(name=name, parent=world.tangshan, sector=Sector.COMMUNITY)
    return make_user(role=Role.UNIT, organisation=unit)


def make_totp_device(user, *, secret=None, confirmed=True):
    """`user`'s authenticator app (confirmed unless told), made or completed; the plain
    secret is on `device.secret`. tests.factories.totp_code(device) types its code."""
    from django.utils import timezone

    from twofactor.models import TOTPDevice
    from twofactor.services import new_secret

    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": secret or new_secret()})
    if secret and device.secret != secret:
        device.secret = secret
    device.confirmed = confirmed
    device.confirmed_at = timezone.now() if confirmed else None
    device.enrolment_required = False
    device.save()
    return device


def totp_code(device, *, offset=0):
    """The code `device`'s app shows now (`offset` steps later or earlier), for a step not
    used yet: a person signing in twice within 30 seconds waits for the next code, a test
    takes the next step (the server accepts one step of drift)."""
    from twofactor.services import current_step
    from twofactor.services import totp_code as code_at

    device.refresh_from_db()
    step = current_step() + offset
    if offset == 0 and device.last_used_step is not None and step <= device.last_used_step:
        step = device.last_used_step + 1
    return code_at(device.secret, step)
