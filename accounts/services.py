from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import grants, permissions
from accounts.models import RoleGrant, User
from accounts.password_validation import initial_password
from audit.services import apply_changes, as_audit_text, record_event
from core.concurrency import check_unchanged
from core.pii import mask_for
from core.roles import PRIVILEGED_ROLES, Role
from organisations.models import Kind, Organisation, Status
from organisations.services import create_organisation
from security.services import end_user_sessions

PROFILE_FIELDS = ("display_name", "email", "phone", "role", "organisation")


def _check_assignment(*, actor, role: str, organisation: Organisation) -> None:
    if role not in permissions.assignable_roles(actor):
        raise ValidationError({"role": _("You may not give this role.")})
    if not Organisation.objects.visible_to(actor).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("This organisation is outside your area.")})
    if not permissions.role_fits_organisation(role, organisation):
        raise ValidationError({"organisation": _("This role does not fit this kind of organisation.")})


@transaction.atomic
def create_user(*, actor, username: str, password: str, role: str, organisation: Organisation, **profile) -> User:
    """Create an account within `actor`'s area with a role `actor` may give.
    Raises ValidationError (by field) on a taken name, a weak password or a bad role."""
    if not permissions.can_manage_users(actor):
        raise PermissionDenied
    _check_assignment(actor=actor, role=role, organisation=organisation)
    user = User(username=username, role=role, organisation=organisation, **profile)
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    # The creator chose the password and hands it over: the owner must choose its own.
    user.must_change_password = True
    user.is_staff = role == Role.SYSTEM_ADMIN
    # 三员分立: an account with a privileged role is made disabled, and enabled when a
    # second administrator approves (accounts.grants).
    privileged = role in PRIVILEGED_ROLES
    user.is_active = not privileged
    user.save()
    record_event(actor=actor, action="user.create", obj=user, to_state=role, details={"values": _audit_values(user)})
    if privileged:
        grants.request(actor=actor, user=user, kind=RoleGrant.Kind.ENABLE, to_role=role)
    return user


def _audit_values(user: User) -> dict[str, str]:
    """The profile of a new account as its audit record keeps it (numbers masked)."""
    return {name: (mask_for(user, name) or as_audit_text)(getattr(user, name)) for name in PROFILE_FIELDS}


@transaction.atomic
def update_user(*, actor, user: User, edit_token: str | None = None, **fields) -> User:
    """Change an account's profile, role or organisation; each change is audited.
    EditConflict when the fields changed since the form showed `edit_token`."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_manage_user(actor, user):
        raise PermissionDenied
    check_unchanged(user, token=edit_token, values=fields)
    _check_assignment(
        actor=actor, role=fields.get("role", user.role), organisation=fields.get("organisation", user.organisation)
    )
    # A change to or from a privileged role waits for a second administrator; the rest of
    # the form is saved now.
    asked_role = fields.pop("role", user.role)
    held_role = user.role
    if not grants.needs_approval(from_role=held_role, to_role=asked_role):
        fields["role"] = asked_role
    changed = apply_changes(user, names=PROFILE_FIELDS, values=fields)
    user.is_staff = user.role == Role.SYSTEM_ADMIN
    user.full_clean(exclude=["password"])
    user.save()
    if changed:
        record_event(actor=actor, action="user.update", obj=user, details={"changed": changed})
    if asked_role != user.role:
        grants.request(actor=actor, user=user, kind=RoleGrant.Kind.ROLE, from_role=held_role, to_role=asked_role)
    return user


@transaction.atomic
def set_user_active(*, actor, user: User, active: bool) -> User:
    """Enable or disable an account; a disabled account cannot sign in."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_manage_user(actor, user):
        raise PermissionDenied
    if user.is_active == active:
        return user
    if active and user.role in PRIVILEGED_ROLES:
        grants.request(actor=actor, user=user, kind=RoleGrant.Kind.ENABLE, to_role=user.role)
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # At once, not at the next request: the session rows go from the store too.
        end_user_sessions(user=user)
    record_event(
        actor=actor,
        action="user.enable" if active else "user.disable",
        obj=user,
        from_state="active" if not active else "disabled",
        to_state="active" if active else "disabled",
    )
    return user


@transaction.atomic
def change_password(*, user: User, password: str) -> User:
    """The signed-in `user` chose a new `password` (the form has checked it against the
    password rules): the forced change of security.selectors is satisfied. Audited."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    # save() also keeps the hash in the password history (PasswordHistoryValidator).
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record_event(actor=user, action="user.password_change", obj=user)
    return user


@transaction.atomic
def reset_password(*, actor, user: User) -> str | None:
    """A manager of `user` gives it a new random password, returned to be handed over
    once; the owner must change it at the next sign-in, and every session of the account
    ends. Audited "user.password_reset". PermissionDenied unless can_manage_user.
    For an account with a privileged role the reset is asked for (accounts.grants) and
    None returned: its password would be a way into the role."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_manage_user(actor, user):
        raise PermissionDenied
    if user.role in PRIVILEGED_ROLES:
        grants.request(actor=actor, user=user, kind=RoleGrant.Kind.PASSWORD, to_role=user.role, from_role=user.role)
        return None
    password = initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    ended = end_user_sessions(user=user)
    record_event(actor=actor, action="user.password_reset", obj=user, details={"sessions_ended": ended})
    return password


@transaction.atomic
def register_unit(
    *,
    unit_name: str,
    association: Organisation,
    sector: str,
    address: str,
    region_code: str,
    contact_name: str,
    contact_phone: str,
    username: str,
    email: str,
    password: str,
) -> User:
    """A grassroots unit registers itself: the unit waits for its association's approval
    and its operator cannot sign in until then."""
    if association.kind == Kind.UNIT or association.status != Status.ACTIVE:
        raise ValidationError({"association": _("Choose the association your unit belongs to.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken. Choose another.")})
    probe = User(username=username, email=email, display_name=contact_name)
    try:
        validate_password(password, probe)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    try:
        unit = create_organisation(
            actor=None,
            status=Status.PENDING,
            name=unit_name,
            kind=Kind.UNIT,
            parent=association,
            sector=sector,
            address=address,
            region_code=region_code,
            contact_name=contact_name,
            contact_phone=contact_phone,
        )
    except ValidationError as error:
        # The form calls the unit's name "unit_name": the message goes next to that field.
        raise ValidationError(
            {"unit_name" if field == "name" else field: messages for field, messages in error.message_dict.items()}
        ) from error
    user = User(
        username=username,
        email=email,
        display_name=contact_name,
        phone=contact_phone,
        role=Role.UNIT,
        organisation=unit,
    )
    user.full_clean(exclude=["password"])
    user.set_password(password)
    user.save()
    record_event(actor=None, action="organisation.self_register", obj=unit, to_state=Status.PENDING)
    return user
