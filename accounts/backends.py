from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's own backend, which also reads the account's organisation when it loads the
    signed-in user: every signed-in page names it (base.html) and every scope starts from
    it, so it would otherwise cost one query more on each request."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("organisation")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
