import pytest

from campaigns.models import CampaignStatus, VersionStatus
from tests.campaigns.factories import make_campaign, make_version


@pytest.mark.parametrize("count", [1, 3])
def test_campaign_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries, count):
    for _ in range(count):
        make_version(campaign=make_campaign(), status=VersionStatus.PUBLISHED)
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(7):
        response = client.get("/campaigns/")
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count + 1  # and the 2014 campaign


def test_campaign_list_links_the_standard_in_force(world, client_for):
    campaign = make_campaign()
    version = make_version(campaign=campaign, status=VersionStatus.PUBLISHED)
    html = client_for(world.sjz_operator).get("/campaigns/").content.decode()
    assert f'data-current-version="{version.pk}"' in html


def test_campaign_list_filters_by_status(world, client_for):
    closed = make_campaign(status=CampaignStatus.CLOSED)
    response = client_for(world.province_admin).get("/campaigns/?status=closed")
    assert list(response.context["page_obj"].object_list) == [closed]
    assert 'data-status-filter="closed"' in response.content.decode()
