import pytest

from organisations.models import Organisation


def test_association_sees_only_its_own_subtree(world):
    names = set(Organisation.objects.visible_to(world.sjz_association).values_list("name", flat=True))
    assert names == {"石家庄市", "长安区", "石家庄第一中学", "长安社区"}


def test_unit_sees_only_itself(world):
    assert list(Organisation.objects.visible_to(world.sjz_operator)) == [world.sjz_unit]


def test_province_sees_everything(world):
    assert Organisation.objects.visible_to(world.province_staff).count() == Organisation.objects.count()


@pytest.mark.parametrize("role_user", ["inspector", "security_admin", "audit_admin"])
def test_roles_without_organisation_scope_see_nothing(world, role_user):
    assert Organisation.objects.visible_to(getattr(world, role_user)).count() == 0


def test_association_of_another_city_gets_404_by_url(world, client_for):
    client = client_for(world.ts_association)
    for name in ("detail", "edit"):
        response = client.get(f"/organisations/{world.sjz_unit.pk}/" + ("edit/" if name == "edit" else ""))
        assert response.status_code == 404


def test_association_list_never_counts_another_city(world, client_for):
    response = client_for(world.ts_association).get("/organisations/?q=石家庄")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert "data-organisation=" not in response.content.decode()


def test_unit_operator_of_another_unit_gets_404(world, client_for):
    response = client_for(world.ts_operator).get(f"/organisations/{world.sjz_unit.pk}/")
    assert response.status_code == 404
