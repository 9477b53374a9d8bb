from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditRecord
from campaigns import services
from campaigns.models import VersionStatus
from tests.campaigns.factories import indicators_of, make_campaign, make_version, version_form_data


@pytest.fixture
def versions(db):
    campaign = make_campaign()
    retired = make_version(campaign=campaign, number=1, status=VersionStatus.RETIRED)
    published = make_version(campaign=campaign, number=2, status=VersionStatus.PUBLISHED)
    return {"retired": retired, "published": published}


@pytest.mark.parametrize("which", ["published", "retired"])
def test_update_of_a_frozen_version_is_refused_and_changes_nothing(world, versions, which):
    version = versions[which]
    indicator = indicators_of(version)[0]
    with pytest.raises(ValidationError) as raised:
        services.update_draft(
            actor=world.province_admin,
            version=version,
            settings={"threshold_total": Decimal("1")},
            indicators={indicator.pk: {"max_score": Decimal("1"), "text": "改"}},
            veto_items=["新增否决项"],
        )
    assert raised.value.code == "frozen"
    indicator.refresh_from_db()
    version.refresh_from_db()
    assert (indicator.max_score, indicator.text, version.threshold_total) == (Decimal("5"), "指标1.1", Decimal("17"))
    assert version.veto_items.count() == 0
    assert AuditRecord.objects.count() == 0


@pytest.mark.parametrize("which", ["published", "retired"])
def test_publish_or_discard_of_a_frozen_version_is_refused(world, versions, which):
    version = versions[which]
    with pytest.raises(ValidationError):
        services.publish_version(actor=world.province_admin, version=version)
    with pytest.raises(ValidationError):
        services.discard_draft(actor=world.province_admin, version=version)
    version.refresh_from_db()
    assert version.status == which


def test_editing_a_published_version_by_url_changes_nothing(world, versions, client_for):
    version = versions["published"]
    indicator = indicators_of(version)[0]
    data = version_form_data(version, indicators={indicator: {"max_score": "1"}})
    response = client_for(world.province_admin).post(f"/campaigns/versions/{version.pk}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/versions/{version.pk}/"
    indicator.refresh_from_db()
    assert indicator.max_score == Decimal("5")


def test_publishing_a_retired_version_by_url_changes_nothing(world, versions, client_for):
    version = versions["retired"]
    response = client_for(world.province_admin).post(f"/campaigns/versions/{version.pk}/publish/")
    assert response.status_code == 302
    version.refresh_from_db()
    versions["published"].refresh_from_db()
    assert (version.status, versions["published"].status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
