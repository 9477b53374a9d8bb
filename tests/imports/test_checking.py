"""The check job reports every bad row with its Excel row number and writes nothing."""

import pytest

from accounts.models import User
from jobs.models import Job
from organisations.models import Organisation
from tests.factories import make_organisation
from tests.imports.helpers import check, unit_row, workbook

pytestmark = pytest.mark.django_db


def _problems(job) -> dict[int, list[str]]:
    return {bad["row"]: bad["problems"] for bad in job.result["bad_rows"]}


def test_check_units_reports_each_bad_row_with_its_number_and_writes_nothing(world, client_for):
    make_organisation(name="已有单位", parent=world.changan, code="91130100MA9999999W")
    before = Organisation.objects.count()
    rows = [
        unit_row(1),  # row 2: good
        unit_row(2, name=""),  # row 3: missing name
        unit_row(3, parent="火星市"),  # row 4: unknown city
        unit_row(1, name="重复单位"),  # row 5: code also on row 2
        unit_row(5, code="91130100MA9999999W"),  # row 6: code already on the platform
        unit_row(6, sector="工厂"),  # row 7: bad sector
        unit_row(7, contact_phone="12345"),  # row 8: malformed phone
        unit_row(8, code="91130100ma0000000I"),  # row 9: bad code (I is not allowed)
    ]
    job = check(client_for(world.province_staff), "units", workbook("units", rows))
    assert (job.state, job.result["rows"], job.result["good"], job.result["bad"]) == (Job.State.SUCCEEDED, 8, 1, 7)
    problems = _problems(job)
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]
    assert all(len(reasons) == 1 for reasons in problems.values())
    assert "单位名称" in problems[3][0]
    assert "火星市" in problems[4][0]
    assert "91130100MA00000012" in problems[5][0]
    assert "2" in problems[5][0]
    assert "91130100MA9999999W" in problems[6][0]
    assert "工厂" in problems[7][0]
    assert "12345" in problems[8][0]
    assert "91130100ma0000000I" in problems[9][0]
    assert Organisation.objects.count() == before
    assert job.result_name.endswith(".xlsx")


def test_check_units_accepts_landlines_and_parent_codes(world, client_for):
    world.tangshan.code = "11130200000000001K"
    world.tangshan.save(update_fields=["code"])
    rows = [
        unit_row(1, contact_phone="0311-86001234"),
        unit_row(2, parent="11130200000000001K", contact_phone="031586001234"),
        unit_row(3, contact_phone=""),
    ]
    job = check(client_for(world.province_admin), "units", workbook("units", rows))
    assert (job.result["good"], job.result["bad"]) == (3, 0)


def test_check_units_from_template_skips_the_example_row(world, client_for):
    job = check(client_for(world.province_staff), "units", workbook("units", [unit_row(1)], from_template=True))
    assert (job.result["rows"], job.result["good"], job.result["bad"]) == (1, 1, 0)


def test_check_organisations_reports_bad_kind_and_parent(world, client_for):
    rows = [
        {"name": "邯郸市", "kind": "市", "parent": "河北省", "region_code": "130400"},  # row 2: good
        {"name": "丛台区", "kind": "县（市、区）", "parent": "邯郸市"},  # row 3: good, below row 2
        {"name": "某某", "kind": "省", "parent": "河北省"},  # row 4: unknown kind
        {"name": "某区", "kind": "县（市、区）", "parent": "火星市"},  # row 5: unknown parent
        {"name": "某市", "kind": "市", "parent": "石家庄市"},  # row 6: a city cannot hang below a city
        {"name": "唐山市", "kind": "市", "parent": "河北省"},  # row 7: already on the platform
        {"name": "某县", "kind": "县（市、区）", "parent": "", "region_code": "1301"},  # row 8: no parent, bad code
        {"name": "某某区", "kind": "县（市、区）", "parent": "某市"},  # row 9: its parent row is bad
    ]
    before = Organisation.objects.count()
    job = check(client_for(world.province_staff), "organisations", workbook("organisations", rows))
    problems = _problems(job)
    assert sorted(problems) == [4, 5, 6, 8, 9]  # 唐山市, already there, is kept as it is
    assert "省" in problems[4][0]
    assert "火星市" in problems[5][0]
    assert "石家庄市" in problems[6][0]
    assert len(problems[8]) == 2
    assert "6" in problems[9][0]
    assert Organisation.objects.count() == before


def test_check_operators_reports_unknown_unit_taken_login_and_bad_mobile(world, client_for):
    world.sjz_unit.code = "91130100MA00000012"
    world.sjz_unit.save(update_fields=["code"])
    rows = [
        {"username": "newop", "display_name": "新人", "unit": "91130100MA00000012", "phone": "13912345678"},
        {"username": "SJZUNIT", "display_name": "重名", "unit": "91130100MA00000012"},
        {"username": "op3", "display_name": "某人", "unit": "91130100MA00000025"},
        {"username": "op4", "display_name": "某人", "unit": "91130100MA00000012", "phone": "23912345678"},
        {"username": "newop", "display_name": "重复", "unit": "91130100MA00000012", "email": "not-mail"},
    ]
    before = User.objects.count()
    job = check(client_for(world.province_staff), "operators", workbook("operators", rows))
    problems = _problems(job)
    assert sorted(problems) == [3, 4, 5, 6]
    assert "SJZUNIT" in problems[3][0]
    assert "91130100MA00000025" in problems[4][0]
    assert "23912345678" in problems[5][0]
    assert len(problems[6]) == 2
    assert User.objects.count() == before


def test_check_of_an_unreadable_file_fails_with_a_message(world, client_for):
    upload = workbook("units", [unit_row(1)])
    job = check(client_for(world.province_staff), "organisations", upload)
    assert job.state == Job.State.FAILED
    assert "名称" in job.error
