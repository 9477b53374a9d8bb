"""Benchmark data of the showcase: experience articles of the synthetic named sites."""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.roles import Role
from designations.models import Designation, DesignationStatus
from showcase.models import ArticleStatus, ExperienceArticle

# Of every 20 articles: 16 published, 2 submitted for review, 1 draft, 1 unpublished.
STATUS_TURN = [ArticleStatus.PUBLISHED] * 16 + [ArticleStatus.SUBMITTED] * 2
STATUS_TURN += [ArticleStatus.DRAFT, ArticleStatus.UNPUBLISHED]
BODY = (
    "## 工作做法\n\n"
    "本单位坚持以人为本，建立心理疏导室，配备专兼职心理辅导员，定期开展谈心谈话和心理健康讲座。\n\n"
    "## 取得成效\n\n"
    "- 建立了覆盖全体职工的心理健康档案\n"
    "- 每季度开展一次团体辅导活动\n"
    "- 形成了“早发现、早干预”的工作机制\n"
)


def seed_synthetic_articles(*, count: int, batch_size: int = 2000) -> float:
    """Add `count` experience articles spread over the named sites (active ones first,
    in turn), written by each site's unit operator, mostly published, some submitted,
    draft or unpublished (STATUS_TURN). Statuses and dates are set directly in bulk, as
    showcase's services would leave them (synthetic data for measuring: no audit, no
    photos). Returns the seconds it took."""
    started = time.perf_counter()
    authors = dict(
        User.objects.filter(role=Role.UNIT, organisation_id__isnull=False)
        .order_by("-pk")
        .values_list("organisation_id", "pk")
    )
    sites = [
        (pk, authors[unit_id])
        for pk, unit_id in Designation.objects.filter(status=DesignationStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "unit_id")
        if unit_id in authors
    ]
    if not sites:
        raise ValueError("no named site with a unit operator: use --named-sites first")
    now = timezone.now()
    for first in range(0, count, batch_size):
        articles = []
        for number in range(first, min(first + batch_size, count)):
            designation_id, author_id = sites[number % len(sites)]
            status = STATUS_TURN[number % len(STATUS_TURN)]
            written = now - timedelta(days=number % 300, minutes=number % 1440)
            article = ExperienceArticle(
                designation_id=designation_id,
                author_id=author_id,
                title=f"凝心聚力办实事 暖心疏导促和谐——经验交流第{number + 1}篇",
                summary="介绍本示范点开展人文关怀和心理疏导工作的主要做法和经验。",
                body=BODY,
                status=status,
            )
            if status != ArticleStatus.DRAFT:
                article.submitted_at = written
            if status in (ArticleStatus.PUBLISHED, ArticleStatus.UNPUBLISHED):
                article.published_at = written + timedelta(days=2)
            if status == ArticleStatus.UNPUBLISHED:
                article.review_note = "部分内容需要核实，暂时撤下。"
            articles.append(article)
        with transaction.atomic():
            ExperienceArticle.objects.bulk_create(articles)
    return time.perf_counter() - started
