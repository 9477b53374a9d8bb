"""What waits in the showcase (core.todos): the experience articles submitted to the
provincial office, and for a named unit the article it has not written yet."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import PROVINCE_ROLES, Role
from core.todos import Todo, provides, waiting_in
from designations.models import Designation, DesignationStatus
from showcase.models import ArticleStatus, ExperienceArticle


@provides(*PROVINCE_ROLES)
def articles_to_review(user, today):
    yield from waiting_in(
        ExperienceArticle.objects.visible_to(user).filter(status=ArticleStatus.SUBMITTED),
        since="submitted_at",
        key="showcase.review",
        text=_("Review the submitted experience articles"),
        url=f"{reverse('showcase:articles-review')}?status={ArticleStatus.SUBMITTED}",
    )


@provides(Role.UNIT)
def article_to_write(user, today):
    site = (
        Designation.objects.visible_to(user)
        .filter(status=DesignationStatus.ACTIVE)
        .exclude(Exists(ExperienceArticle.objects.filter(designation=OuterRef("pk"))))
        .order_by("named_on", "pk")
        .first()
    )
    if site is not None:
        yield Todo(
            key="showcase.write",
            text=_("Share your unit's practice: write an experience article for the showcase"),
            url=reverse("showcase:article-create", args=[site.pk]),
            since=site.named_on,
        )
