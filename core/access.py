"""Who may use a view: every view of the project declares it with one of these decorators.

The declaration is kept on the view as `view.access` so that a test can walk every URL
pattern and fail when a view declares nothing. Missing and forbidden objects are told
apart only by the role: a user whose role may use the view gets 404 for an object
outside its scope (the scope querysets do that), a user whose role may not gets 403.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.roles import ALL_ROLES, Role


@dataclass(frozen=True)
class Access:
    public: bool
    roles: frozenset

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return user.role in self.roles


def _declare(access: Access):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not access.public:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if request.user.role not in access.roles:
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access = access
        return wrapped

    return decorator


def public(view):
    """Anyone, signed in or not."""
    return _declare(Access(public=True, roles=frozenset()))(view)


def signed_in(view):
    """Any signed-in user, whatever the role."""
    return _declare(Access(public=False, roles=ALL_ROLES))(view)


def roles(*allowed: Role):
    """Only signed-in users with one of these roles."""
    if not allowed:
        raise ValueError("roles() needs at least one role")
    return _declare(Access(public=False, roles=frozenset(allowed)))
