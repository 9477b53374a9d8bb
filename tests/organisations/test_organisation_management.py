import pytest

from audit.models import AuditRecord
from organisations.models import Kind, Organisation, Sector
from tests.factories import make_organisation


def unit_data(**changes):
    data = {
        "name": "长安区新建小学",
        "kind": Kind.UNIT,
        "sector": Sector.SCHOOL,
        "address": "长安区",
        "region_code": "130102",
    }
    data.update(changes)
    return data


def test_province_staff_creates_a_city(world, client_for):
    response = client_for(world.province_staff).post(
        f"/organisations/{world.province.pk}/new/",
        {"name": "秦皇岛市", "kind": Kind.CITY, "sector": "", "region_code": "130300"},
    )
    city = Organisation.objects.get(name="秦皇岛市")
    assert response.status_code == 302
    assert (city.parent, city.path, city.depth) == (world.province, f"{world.province.path}{city.pk}/", 1)
    assert AuditRecord.objects.filter(action="organisation.create", object_id=str(city.pk)).count() == 1


def test_association_creates_a_unit_in_its_subtree(world, client_for):
    response = client_for(world.sjz_association).post(f"/organisations/{world.changan.pk}/new/", unit_data())
    assert response.status_code == 302
    assert Organisation.objects.get(name="长安区新建小学").parent == world.changan


def test_association_cannot_create_in_another_city(world, client_for):
    response = client_for(world.ts_association).post(f"/organisations/{world.changan.pk}/new/", unit_data())
    assert response.status_code == 404
    assert not Organisation.objects.filter(name="长安区新建小学").exists()


def test_association_may_only_create_units(world, client_for):
    response = client_for(world.sjz_association).post(
        f"/organisations/{world.shijiazhuang.pk}/new/",
        unit_data(name="新区", kind=Kind.COUNTY, sector="", region_code=""),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["kind"]
    assert not Organisation.objects.filter(name="新区").exists()


def test_association_cannot_edit_its_own_organisation(world, client_for):
    response = client_for(world.sjz_association).get(f"/organisations/{world.shijiazhuang.pk}/edit/")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sector": ""}, "sector"),
        ({"region_code": "1301"}, "region_code"),
        ({"name": ""}, "name"),
        ({"kind": Kind.CITY, "sector": "", "region_code": ""}, "__all__"),
        ({"kind": Kind.CITY, "sector": Sector.SCHOOL}, "sector"),
    ],
)
def test_bad_organisation_input_changes_nothing(world, client_for, changes, field):
    before = Organisation.objects.count()
    response = client_for(world.province_staff).post(f"/organisations/{world.changan.pk}/new/", unit_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Organisation.objects.count() == before


def test_moving_a_county_moves_its_whole_subtree(world, client_for):
    response = client_for(world.province_staff).post(
        f"/organisations/{world.changan.pk}/edit/",
        {"name": "长安区", "kind": Kind.COUNTY, "sector": "", "region_code": "130102", "parent": world.tangshan.pk},
    )
    assert response.status_code == 302
    # The edit form does not move organisations: the parent field is not part of it.
    world.sjz_unit.refresh_from_db()
    assert world.sjz_unit.path.startswith(world.shijiazhuang.path)


def test_moving_through_the_service_rewrites_paths_below(world):
    from organisations.services import update_organisation

    # A district moved to another city takes a code of that city.
    update_organisation(
        actor=world.province_staff, organisation=world.changan, parent=world.tangshan, region_code="130202"
    )
    world.sjz_unit.refresh_from_db()
    assert (world.sjz_unit.path, world.sjz_unit.depth) == (
        f"{world.tangshan.path}{world.changan.pk}/{world.sjz_unit.pk}/",
        3,
    )
    names = set(Organisation.objects.visible_to(world.ts_association).values_list("name", flat=True))
    assert "石家庄第一中学" in names


def test_an_organisation_cannot_move_below_itself(world):
    from django.core.exceptions import ValidationError

    from organisations.services import update_organisation

    with pytest.raises(ValidationError) as raised:
        update_organisation(actor=world.province_staff, organisation=world.shijiazhuang, parent=world.changan)
    assert list(raised.value.message_dict) == ["parent"]


@pytest.mark.parametrize("extra", [0, 2])
def test_organisation_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries, extra):
    for i in range(extra):
        make_organisation(name=f"附加单位{i}", parent=world.changan)
    client = client_for(world.province_staff)
    with django_assert_max_num_queries(8):
        response = client.get("/organisations/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 7 + extra


@pytest.mark.parametrize("extra", [0, 2])
def test_organisation_page_query_count_does_not_grow_with_children(
    world, client_for, django_assert_max_num_queries, extra
):
    for i in range(extra):
        make_organisation(name=f"附加单位{i}", parent=world.changan)
    client = client_for(world.sjz_association)
    with django_assert_max_num_queries(10):
        response = client.get(f"/organisations/{world.changan.pk}/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2 + extra
