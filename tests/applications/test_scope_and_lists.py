from datetime import timedelta

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application
from tests.applications import factories
from tests.factories import make_organisation, make_user


def test_association_sees_its_units_applications_and_not_another_citys(world, client_for):
    mine = factories.submitted(world)
    theirs = factories.submitted(world, operator=world.ts_operator)
    response = client_for(world.sjz_association).get("/applications/")
    assert [a.pk for a in response.context["page_obj"]] == [mine.pk]
    client = client_for(world.sjz_association)
    for path in (f"/applications/{theirs.pk}/", f"/applications/{theirs.pk}/rounds/1/"):
        assert client.get(path).status_code == 404


def test_a_unit_cannot_open_another_units_application(world, client_for):
    theirs = factories.submitted(world, operator=world.ts_operator)
    client = client_for(world.sjz_operator)
    for path in (f"/applications/{theirs.pk}/", f"/applications/{theirs.pk}/assessment/"):
        assert client.get(path).status_code == 404


def test_drafts_stay_the_units_own_until_submitted(world, client_for):
    draft = factories.full_draft(world)
    assert client_for(world.province_staff).get(f"/applications/{draft.pk}/").status_code == 404
    assert client_for(world.sjz_association).get(f"/applications/{draft.pk}/").status_code == 404
    assert client_for(world.sjz_operator).get(f"/applications/{draft.pk}/").status_code == 200


def test_associations_cannot_register_or_review(world, client_for):
    application = factories.submitted(world)
    client = client_for(world.sjz_association)
    assert client.post(f"/applications/{application.pk}/register/").status_code == 403
    application.refresh_from_db()
    assert application.registration_number is None


def test_inbox_lists_oldest_first_and_flags_those_over_the_limit(world, client_for):
    old = factories.submitted(world)
    new = factories.submitted(world, operator=world.ts_operator)
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=40))
    response = client_for(world.province_staff).get("/applications/inbox/")
    rows = list(response.context["page_obj"])
    assert [a.pk for a in rows] == [old.pk, new.pk]
    assert [a.overdue for a in rows] == [True, False]
    over = client_for(world.province_staff).get("/applications/inbox/?waiting=over")
    assert [a.pk for a in over.context["page_obj"]] == [old.pk]


def test_inbox_filters_by_city(world, client_for):
    factories.submitted(world)
    theirs = factories.submitted(world, operator=world.ts_operator)
    response = client_for(world.province_staff).get(f"/applications/inbox/?area={world.tangshan.pk}")
    assert [a.pk for a in response.context["page_obj"]] == [theirs.pk]


def add_applications(world, count):
    from core.roles import Role

    for index in range(count):
        unit = make_organisation(name=f"列表单位{index}", parent=world.changan)
        operator = make_user(role=Role.UNIT, organisation=unit)
        factories.submitted(world, operator=operator, unit=unit)


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(
    ("user", "path"), [("province_staff", "/applications/inbox/"), ("sjz_association", "/applications/")]
)
def test_list_query_count_does_not_grow_with_applications(
    world, client_for, django_assert_max_num_queries, count, user, path
):
    add_applications(world, count)
    client = client_for(getattr(world, user))
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert response.context["page_obj"].paginator.count == count


def test_recommendation_only_when_the_campaign_takes_them(world, client_for):
    application = factories.submitted(world)
    client = client_for(world.sjz_association)
    client.post(f"/applications/{application.pk}/recommend/", {"text": "推荐"})
    assert application.recommendations.count() == 0
    application.campaign.recommendations_enabled = True
    application.campaign.save(update_fields=["recommendations_enabled"])
    client.post(f"/applications/{application.pk}/recommend/", {"text": "该单位工作扎实，推荐"})
    assert list(application.recommendations.values_list("text", flat=True)) == ["该单位工作扎实，推荐"]


def test_materials_are_frozen_while_the_office_holds_the_application(world):
    from django.core.exceptions import PermissionDenied

    from materials.models import Material
    from materials.services import upload_material
    from tests.materials.factories import pdf_upload

    application = factories.submitted(world)
    with pytest.raises(PermissionDenied):
        upload_material(
            actor=world.sjz_operator,
            unit=world.sjz_unit,
            campaign=application.campaign,
            kind=Material.Kind.SUPPORTING,
            file=pdf_upload("后补.pdf"),
        )
    services.withdraw_application(actor=world.sjz_operator, application=application)
    version = upload_material(
        actor=world.sjz_operator,
        unit=world.sjz_unit,
        campaign=application.campaign,
        kind=Material.Kind.SUPPORTING,
        file=pdf_upload("后补.pdf"),
    )
    assert version.number == 1
