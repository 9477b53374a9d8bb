"""Who may do what with experience articles. Services enforce these; templates get the
booleans. Seeing an article at all is ExperienceArticle.objects.visible_to(user) (or
`published()` for everyone): these predicates only decide what a reader may do with it."""

from core.roles import PROVINCE_ROLES, Role
from showcase.models import ArticleStatus


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def is_operator_of(user, designation) -> bool:
    """The operator of the named unit, while the site holds its title."""
    return (
        _active(user)
        and user.role == Role.UNIT
        and user.organisation_id == designation.unit_id
        and designation.is_active
    )


def can_review(user) -> bool:
    """The provincial office edits, publishes, unpublishes, returns and features articles."""
    return _active(user) and user.role in PROVINCE_ROLES


def can_write_article(user, designation) -> bool:
    """A named unit writes new articles about its own site."""
    return is_operator_of(user, designation)


def can_edit_article(user, article) -> bool:
    """The provincial office edits any article in any state; the unit edits its own
    while it is a draft (before submitting, or once returned)."""
    if can_review(user):
        return True
    return is_operator_of(user, article.designation) and article.status == ArticleStatus.DRAFT


def can_submit_article(user, article) -> bool:
    return is_operator_of(user, article.designation) and article.status == ArticleStatus.DRAFT
