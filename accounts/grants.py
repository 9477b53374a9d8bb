"""三员分立 (DESIGN.md §2, docs/security.md): no administrator alone gives anyone a
privileged role (core.roles.PRIVILEGED_ROLES). Creating an account with one, changing a
role to or from one, enabling an account that holds one and resetting its password are
asked for here and take effect only when a second administrator approves: a system,
security or audit administrator, of another role than the one who asked, and neither the
one who asked nor the account itself. Every step is audited and the other side notified.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RoleGrant, User
from accounts.password_validation import initial_password
from accounts.permissions import role_fits_organisation
from audit.services import record_event
from core.roles import IT_ROLES, PRIVILEGED_ROLES, Role
from notifications.services import notify, translatable
from security.services import end_user_sessions


def needs_approval(*, from_role: str, to_role: str) -> bool:
    """A change of role that touches a privileged role on either side."""
    return from_role != to_role and (from_role in PRIVILEGED_ROLES or to_role in PRIVILEGED_ROLES)


def deciders_q(grant: RoleGrant) -> Q:
    """The accounts that may decide `grant`: active administrators of the three roles,
    not of the asker's role, neither the asker nor the account concerned."""
    return (
        Q(is_active=True, role__in=IT_ROLES)
        & ~Q(role=grant.requested_by.role)
        & ~Q(pk__in=[grant.requested_by_id, grant.user_id])
    )


def can_decide(actor, grant: RoleGrant) -> bool:
    return (
        actor.is_authenticated
        and grant.status == RoleGrant.Status.PENDING
        and User.objects.filter(deciders_q(grant), pk=actor.pk).exists()
    )


def decidable_by(actor):
    """The pending requests `actor` may decide, for its to-do list."""
    if not actor.is_authenticated or actor.role not in IT_ROLES:
        return RoleGrant.objects.none()
    return (
        RoleGrant.objects.pending()
        .exclude(requested_by__role=actor.role)
        .exclude(requested_by=actor)
        .exclude(user=actor)
    )


def pending_for(user: User) -> RoleGrant | None:
    return RoleGrant.objects.pending().filter(user=user).select_related("requested_by").first()


def request(*, actor, user: User, kind: str, to_role: str, from_role: str = "") -> RoleGrant:
    """File a request for `user` (inside the caller's transaction, which checked that
    `actor` may manage the account). ValidationError when one waits already."""
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user, kind=kind, from_role=from_role, to_role=to_role, requested_by=actor
            )
    except IntegrityError as error:
        raise ValidationError(
            {"role": _("A change of this account already waits for approval. Wait for its decision.")}
        ) from error
    record_event(
        actor=actor,
        action="role_grant.request",
        obj=user,
        from_state=from_role,
        to_state=to_role,
        details={"grant": grant.pk, "kind": kind},
    )
    deciders = User.objects.filter(deciders_q(grant))
    transaction.on_commit(
        lambda: notify(
            recipients=deciders,
            title=translatable(
                gettext_lazy("%(asker)s asks to change the privileged account %(account)s"),
                asker=actor.get_username(),
                account=user.get_username(),
            ),
            body=translatable(
                gettext_lazy("%(change)s: %(role)s. It takes effect only when you or another administrator approve."),
                change=grant.get_kind_display(),
                role=grant.get_to_role_display(),
            ),
            url=reverse("accounts:grant-list"),
            actor=actor,
            kind="role_grant",
        )
    )
    return grant


def _locked_pending(actor, grant: RoleGrant) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=grant.pk)
    if not can_decide(actor, grant):
        raise PermissionDenied
    return grant


def _decide(grant: RoleGrant, *, actor, status: str, reason: str = "") -> None:
    grant.status = status
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.reason = reason
    grant.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _tell_asker(grant: RoleGrant, actor) -> None:
    approved = grant.status == RoleGrant.Status.APPROVED
    title = (
        gettext_lazy("The change of %(account)s was approved")
        if approved
        else gettext_lazy("The change of %(account)s was rejected")
    )
    transaction.on_commit(
        lambda: notify(
            recipients=[grant.requested_by],
            title=translatable(title, account=grant.user.get_username()),
            body=grant.reason,
            url=reverse("accounts:grant-list"),
            actor=actor,
            kind="role_grant",
        )
    )


@transaction.atomic
def approve(*, actor, grant: RoleGrant) -> str | None:
    """Apply `grant`. Returns the new password of an approved password reset, to be shown
    once to the approver, who hands it over; None otherwise."""
    grant = _locked_pending(actor, grant)
    user = User.objects.select_for_update().get(pk=grant.user_id)
    password = None
    if grant.kind == RoleGrant.Kind.ROLE:
        # The organisation may have changed since the request.
        if user.role != grant.from_role or not role_fits_organisation(grant.to_role, user.organisation):
            raise ValidationError(_("The account changed since this request; reject it and ask again."))
        record_event(
            actor=actor,
            action="user.update",
            obj=user,
            details={"changed": {"role": [user.role, grant.to_role]}, "grant": grant.pk},
        )
        user.role = grant.to_role
        user.is_staff = user.role == Role.SYSTEM_ADMIN
        user.save(update_fields=["role", "is_staff"])
        end_user_sessions(user=user)
    elif grant.kind == RoleGrant.Kind.ENABLE:
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_event(
            actor=actor,
            action="user.enable",
            obj=user,
            from_state="disabled",
            to_state="active",
            details={"grant": grant.pk},
        )
    else:
        password = initial_password()
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        ended = end_user_sessions(user=user)
        record_event(
            actor=actor,
            action="user.password_reset",
            obj=user,
            details={"sessions_ended": ended, "grant": grant.pk},
        )
    _decide(grant, actor=actor, status=RoleGrant.Status.APPROVED)
    record_event(
        actor=actor,
        action="role_grant.approve",
        obj=user,
        from_state=grant.from_role,
        to_state=grant.to_role,
        details={"grant": grant.pk, "kind": grant.kind, "asked_by": grant.requested_by.get_username()},
    )
    _tell_asker(grant, actor)
    return password


@transaction.atomic
def reject(*, actor, grant: RoleGrant, reason: str) -> RoleGrant:
    """Refuse `grant` with a reason the asker reads; the account stays as it was (an
    account created with a privileged role stays disabled)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the change is rejected.")})
    grant = _locked_pending(actor, grant)
    _decide(grant, actor=actor, status=RoleGrant.Status.REJECTED, reason=reason)
    record_event(
        actor=actor,
        action="role_grant.reject",
        obj=grant.user,
        from_state=grant.from_role,
        to_state=grant.to_role,
        reason=reason,
        details={"grant": grant.pk, "kind": grant.kind, "asked_by": grant.requested_by.get_username()},
    )
    _tell_asker(grant, actor)
    return grant
