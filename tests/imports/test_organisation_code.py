"""Organisation.code: 18 digits and capital letters (GB 32100), unique when given."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import Organisation
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_code_must_be_18_digits_and_capital_letters(world):
    unit = Organisation(name="某单位", kind="unit", parent=world.changan, sector="school", code="91130100ma0000000I")
    with pytest.raises(ValidationError) as error:
        unit.full_clean(exclude=["path"])
    assert list(error.value.message_dict) == ["code"]


def test_code_is_unique_only_when_given(world):
    make_organisation(name="甲", parent=world.changan, code="91130100MA00000001")
    make_organisation(name="乙", parent=world.changan)
    make_organisation(name="丙", parent=world.changan)
    duplicate = Organisation(name="丁", kind="unit", parent=world.changan, sector="school", code="91130100MA00000001")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean(exclude=["path"])
    assert error.value.messages != []


def test_organisation_form_shows_the_code_and_refuses_a_bad_one_next_to_it(world, client_for):
    client = client_for(world.province_admin)
    url = reverse("organisations:create", args=[world.changan.pk])
    assert 'name="code"' in client.get(url).content.decode()
    response = client.post(url, {"name": "新单位", "kind": "unit", "sector": "school", "code": "123"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    # Eighteen good characters with a wrong check digit are refused too (GB 32100, python-stdnum).
    response = client.post(url, {"name": "新单位", "kind": "unit", "sector": "school", "code": "91130100MA00000009"})
    assert response.context["form"].errors["code"] == [
        "该统一社会信用代码校验不通过：最后一位与前面各位不符。请对照证书重新填写。"
    ]
    response = client.post(url, {"name": "新单位", "kind": "unit", "sector": "school", "code": "91130100MA0000000Y"})
    assert response.status_code == 302
    assert Organisation.objects.get(name="新单位").code == "91130100MA0000000Y"


def test_editing_an_organisation_saves_its_code(world, client_for):
    url = reverse("organisations:edit", args=[world.sjz_unit.pk])
    data = {"name": world.sjz_unit.name, "kind": "unit", "parent": world.changan.pk, "sector": "school"}
    response = client_for(world.province_admin).post(url, {**data, "code": "91130100MA00000012"})
    assert response.status_code == 302
    world.sjz_unit.refresh_from_db()
    assert world.sjz_unit.code == "91130100MA00000012"
