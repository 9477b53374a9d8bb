from core.roles import Role
from tests.notifications.factories import make_notification


def samples(world) -> dict[str, dict]:
    """A notification of the 石家庄 unit operator stands behind the URL with a key: its
    owner is sent to the list, every other signed-in user gets 404."""
    notification = make_notification(recipient=world.sjz_operator, url="/notifications/", email=False)
    return {
        "notifications:list": {},
        "notifications:mark-all-read": {},
        "notifications:bell": {},
        "notifications:open": {"pk": notification.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """A notification of 唐山's unit operator is nobody else's to open (or mark read)."""
    other = make_notification(recipient=world.ts_operator, url="/notifications/", email=False)
    return {"notifications:open": {role: {"pk": other.pk} for role in Role.values}}
