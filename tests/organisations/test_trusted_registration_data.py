"""Registration data that can be trusted: region codes from the GB/T 2260 list in force
and within the parent's area, 统一社会信用代码 with their check digit, telephone numbers
that are numbers, official names unique under their parent and free of emoji; areas listed
in the official order; accounts waiting for approval shown as waiting."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from stdnum.cn import uscc

from organisations.models import Kind, Organisation, Status
from organisations.regions import current_divisions
from organisations.services import create_organisation
from tests.factories import make_organisation


def _county(world, **fields):
    return create_organisation(
        actor=world.province_staff, **{"name": "新区", "kind": Kind.COUNTY, "parent": world.shijiazhuang, **fields}
    )


def _unit(world, **fields):
    return create_organisation(
        actor=world.province_staff, **{"kind": Kind.UNIT, "parent": world.changan, "sector": "school", **fields}
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("130199", "130199 不是现行的行政区划代码"),
        ("110101", "110101 不在石家庄市（130100）的辖区内"),
        ("130102", "130102 已是长安区的区划代码"),
        ("130100", "130100 不在石家庄市（130100）的辖区内"),
        ("1301", "6 位数字"),
    ],
)
def test_region_codes_that_do_not_exist_or_lie_elsewhere_are_refused(world, code, message):
    with pytest.raises(ValidationError) as refused:
        _county(world, region_code=code)
    assert message in refused.value.message_dict["region_code"][0]
    assert not Organisation.objects.filter(name="新区").exists()


def test_todays_divisions_are_accepted(world):
    assert current_divisions()["130503"] == "信都区"
    assert "130502" in current_divisions()  # 襄都区, the former 桥东区
    xingtai = make_organisation(name="邢台市", kind=Kind.CITY, parent=world.province, region_code="130500")
    county = create_organisation(
        actor=world.province_staff, name="信都区", kind=Kind.COUNTY, parent=xingtai, region_code="130503"
    )
    assert county.region_code == "130503"


def test_unified_social_credit_codes_are_checked_with_their_check_digit(world):
    from organisations.models import code_validator

    assert "12130000MB1234567Q" in str(code_validator.message)
    assert uscc.is_valid("12130000MB1234567Q")  # the help text's example passes its own check
    with pytest.raises(ValidationError) as refused:
        _unit(world, name="校验位错误的单位", code="12130000MB1234567X")
    assert "校验不通过" in refused.value.message_dict["code"][0]


@pytest.mark.parametrize(
    ("phone", "good"), [("13912345678", True), ("0311-86012345", True), ("12345", False), ("1391234567x", False)]
)
def test_contact_phones_are_mobile_or_landline_with_area_code(world, phone, good):
    unit = Organisation(name="电话单位", kind=Kind.UNIT, parent=world.changan, sector="school", contact_phone=phone)
    if good:
        unit.full_clean(exclude=["path"])
    else:
        with pytest.raises(ValidationError) as refused:
            unit.full_clean(exclude=["path"])
        assert "手机号码" in refused.value.message_dict["contact_phone"][0]


@pytest.mark.parametrize("name", ["石家庄第一中学", "幸福社区😀", "长安\u200b社区", "长安\x07社区"])
def test_official_names_are_unique_under_their_parent_and_free_of_emoji(world, name):
    with pytest.raises(ValidationError) as refused:
        _unit(world, name=name)
    assert refused.value.message_dict["name"]
    # The same name under another parent is another unit.
    if name == "石家庄第一中学":
        assert _unit(world, name=name, parent=world.tangshan).pk


def test_self_registration_is_told_next_to_the_field(world, client_for):
    from django.test import Client

    from tests.accounts.registration_helpers import register

    response = register(
        Client(),
        {
            "unit_name": "石家庄第一中学",
            "association": world.changan.pk,
            "sector": "school",
            "address": "长安区",
            "region_code": "130199",
            "contact_name": "王红",
            "contact_phone": "12345",
            "email": "a@example.cn",
            "username": "newunit",
            "password1": "Xq7-long-password",
            "password2": "Xq7-long-password",
        },
    )
    errors = response.context["form"].errors
    assert "不是现行" in errors["region_code"][0]
    assert "手机号码" in errors["contact_phone"][0]
    assert not Organisation.objects.filter(status=Status.PENDING, name="石家庄第一中学").exists()


def test_areas_are_listed_by_code_with_the_counties_the_province_governs(world, client_for):
    from applications.selectors import areas_for

    dingzhou = make_organisation(name="定州市", kind=Kind.COUNTY, parent=world.province, region_code="130682")
    system = make_organisation(name="省直工委", kind=Kind.DEPARTMENT, parent=world.province)
    assert list(areas_for(world.province_staff)) == [world.shijiazhuang, world.tangshan, dingzhou, system]


def test_accounts_waiting_for_approval_are_listed_as_waiting(world, client_for):
    page = client_for(world.sjz_association).get(reverse("accounts:user-list")).content.decode()
    assert 'data-account-state="pending"' in page
