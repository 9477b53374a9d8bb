"""Reads of campaigns and standards that other apps and the views share."""

from django.db.models import Prefetch

from campaigns.models import Campaign, StandardVersion, VersionStatus


def current_campaign() -> Campaign | None:
    """The running campaign: the active one with the newest start date, or None."""
    return Campaign.objects.active().order_by("-start_date", "-pk").first()


def current_version(campaign: Campaign) -> StandardVersion | None:
    """The version of `campaign`'s standard in force now (its published one), or None.
    An application records this version when it is registered and is scored on it."""
    return campaign.versions.published().first()


def draft_version(campaign: Campaign) -> StandardVersion | None:
    """The draft being edited, if any (there is at most one)."""
    return campaign.versions.drafts().first()


def campaigns_for_list(user):
    """The campaigns `user` may see, each with `published_versions` (a list of zero or
    one version) attached in one extra query whatever the number of rows."""
    published = StandardVersion.objects.filter(status=VersionStatus.PUBLISHED)
    return Campaign.objects.visible_to(user).prefetch_related(
        Prefetch("versions", queryset=published, to_attr="published_versions")
    )


def versions_of(campaign: Campaign, user):
    """The versions of `campaign` that `user` may read, newest first."""
    return StandardVersion.objects.visible_to(user).filter(campaign=campaign).order_by("-number")


def with_content(queryset):
    """`queryset` of versions with campaign, categories, indicators and veto items loaded
    in four queries whatever the size of the standard."""
    return queryset.select_related("campaign").prefetch_related("categories__indicators", "veto_items")
