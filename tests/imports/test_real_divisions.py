"""The Excel import against Hebei's real divisions: a code that does not exist, one of
another province or one already taken is refused; a city already on the platform is kept
and its new districts hang below it; same-named districts (桥西区 of 石家庄市 and of 张家口市)
are told apart by region code or by path; imported units carry their district's code."""

import pytest

from audit.models import AuditRecord
from organisations.models import Kind, Organisation
from tests.factories import make_organisation
from tests.imports.helpers import check, confirm, unit_row, workbook

COUNTY = "县（市、区）"


def _problems(job) -> dict[int, list[str]]:
    return {bad["row"]: bad["problems"] for bad in job.result["bad_rows"]}


def test_import_of_divisions_checks_codes_and_keeps_what_is_already_there(world, client_for):
    client = client_for(world.province_admin)
    rows = [
        {"name": "某区", "kind": COUNTY, "parent": "石家庄市", "region_code": "130199"},  # row 2: no such code
        {"name": "东城区", "kind": COUNTY, "parent": "石家庄市", "region_code": "110101"},  # row 3: Beijing
        {"name": "新长安区", "kind": COUNTY, "parent": "石家庄市", "region_code": "130102"},  # row 4: 长安区's
        {"name": "石家庄市", "kind": "市", "parent": "河北省", "region_code": "130100"},  # row 5: already there
        {"name": "桥西区", "kind": COUNTY, "parent": "石家庄市", "region_code": "130104"},  # row 6: good
        {"name": "邢台市", "kind": "市", "parent": "河北省", "region_code": "130500"},  # row 7: good
        {"name": "信都区", "kind": COUNTY, "parent": "邢台市", "region_code": "130503"},  # row 8: today's name
    ]
    job = check(client, "organisations", workbook("organisations", rows))
    problems = _problems(job)
    assert sorted(problems) == [2, 3, 4]
    assert "不是现行" in problems[2][0]
    assert "不在石家庄市（130100）的辖区内" in problems[3][0]
    assert "已是长安区的区划代码" in problems[4][0]

    imported = confirm(client, job, only_good="on", understood="on")
    assert imported.result["written"] == 3
    assert Organisation.objects.filter(name="石家庄市").count() == 1
    assert Organisation.objects.get(name="桥西区").parent == world.shijiazhuang
    assert Organisation.objects.get(name="信都区").parent.name == "邢台市"


def test_units_under_same_named_districts_are_placed_by_code_or_path(world, client_for):
    make_organisation(name="桥西区", kind=Kind.COUNTY, parent=world.shijiazhuang, region_code="130104")
    zhangjiakou = make_organisation(name="张家口市", kind=Kind.CITY, parent=world.province, region_code="130700")
    zjk_qiaoxi = make_organisation(name="桥西区", kind=Kind.COUNTY, parent=zhangjiakou, region_code="130703")
    client = client_for(world.province_admin)
    rows = [
        unit_row(1, parent="桥西区"),  # row 2: which one?
        unit_row(2, parent="张家口市/桥西区"),  # row 3: by path
        unit_row(3, parent="130104"),  # row 4: by region code
    ]
    job = check(client, "units", workbook("units", rows))
    problems = _problems(job)
    assert list(problems) == [2]
    assert "邢台市/桥西区" in problems[2][0]  # the message shows how to say which
    confirm(client, job, only_good="on", understood="on")
    by_path = Organisation.objects.get(name="导入单位2")
    by_code = Organisation.objects.get(name="导入单位3")
    assert (by_path.parent, by_path.region_code) == (zjk_qiaoxi, "130703")
    assert (by_code.parent.parent, by_code.region_code) == (world.shijiazhuang, "130104")


@pytest.mark.parametrize("update", [False, True])
def test_organisations_already_there_are_updated_only_when_asked(world, client_for, update):
    client = client_for(world.province_admin)
    rows = [{"name": "石家庄市", "kind": "市", "parent": "河北省", "region_code": "130100", "contact_name": "新联系人"}]
    job = check(client, "organisations", workbook("organisations", rows))
    assert job.result["existing"] == 1
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="update-existing"' in page
    data = {"update_existing": "on"} if update else {}
    imported = confirm(client, job, **data)
    world.shijiazhuang.refresh_from_db()
    assert (imported.result["written"], imported.result["updated"]) == (0, 1 if update else 0)
    assert world.shijiazhuang.contact_name == ("新联系人" if update else "")
    assert AuditRecord.objects.filter(action="organisation.update").exists() is update
