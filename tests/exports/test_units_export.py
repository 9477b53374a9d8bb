import datetime

import pytest
from django.utils import timezone

from audit.models import AuditRecord
from organisations.models import Organisation
from tests.exports.helpers import export, rows_of, workbook_of
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def _today_on_sheet():
    return datetime.datetime.combine(timezone.localdate(), datetime.time.min)


def test_units_export_rows_match_the_units_of_the_province(world, client_for):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(
        address="石家庄市长安区建设北大街1号", contact_name="王红", contact_phone="13812345678"
    )
    job = export(client_for(world.province_admin))
    sheet = workbook_of(job).active
    expected = [
        (
            unit.name,
            "石家庄市" if unit.path.startswith(world.shijiazhuang.path) else "唐山市",
            "长安区" if unit.path.startswith(world.changan.path) else None,
            unit.get_sector_display(),
            unit.address or None,
            unit.contact_name or None,
            unit.contact_phone or None,
            unit.get_status_display(),
            _today_on_sheet(),
        )
        for unit in Organisation.objects.units().order_by("path")
    ]
    assert rows_of(sheet) == expected
    assert len(expected) == 3
    assert job.result == {"table": "units", "rows": 3, "masked": False}


def test_units_export_freezes_header_and_writes_chinese_dates(world, client_for):
    sheet = workbook_of(export(client_for(world.province_staff))).active
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]][:3] == ["名称", "市或系统", "县（市、区）"]
    assert sheet["I2"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet["I2"].value == _today_on_sheet()


def test_units_export_fits_columns_to_chinese_text(world, client_for):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(address="河北省石家庄市长安区建设北大街一百二十号院内")
    sheet = workbook_of(export(client_for(world.province_staff))).active
    # 22 Chinese characters take 44 columns, plus a margin of 2.
    assert sheet.column_dimensions["E"].width == pytest.approx(46, abs=1)
    assert sheet.column_dimensions["B"].width == pytest.approx(10, abs=1)


@pytest.mark.parametrize(
    ("role_user", "shown"),
    [("province_admin", "13812345678"), ("province_staff", "138****5678"), ("sjz_association", "138****5678")],
)
def test_units_export_masks_phones_unless_provincial_admin(world, client_for, role_user, shown):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_phone="13812345678")
    job = export(client_for(getattr(world, role_user)))
    phones = {row[0]: row[6] for row in rows_of(workbook_of(job).active)}
    assert phones[world.sjz_unit.name] == shown
    assert job.result["masked"] == (shown != "13812345678")


def test_association_export_holds_only_its_subtree(world, client_for):
    for index in range(3):
        make_organisation(name=f"唐山单位{index}", parent=world.tangshan, contact_phone="13900000000")
    make_organisation(name="石家庄直属单位", parent=world.shijiazhuang)
    job = export(client_for(world.sjz_association))
    names = sorted(row[0] for row in rows_of(workbook_of(job).active))
    expected = sorted(
        Organisation.objects.units().filter(path__startswith=world.shijiazhuang.path).values_list("name", flat=True)
    )
    assert names == expected
    assert names == sorted(["石家庄第一中学", "长安社区", "石家庄直属单位"])


def test_units_export_filters_by_area_and_sector(world, client_for):
    make_organisation(name="唐山学校", parent=world.tangshan, sector="school")
    job = export(client_for(world.province_staff), area=world.tangshan.pk, sector="school")
    assert [row[0] for row in rows_of(workbook_of(job).active)] == ["唐山学校"]


def test_units_export_is_audited_with_filters_count_and_masking(world, client_for):
    job = export(client_for(world.province_staff), sector="school")
    record = AuditRecord.objects.get(action="export.table")
    assert (record.actor, record.object_id) == (world.province_staff, str(job.pk))
    assert record.details == {
        "table": "units",
        "filters": {
            "table": "units",
            "campaign": None,
            "area": None,
            "sector": "school",
            "state": "",
            "site_status": "",
        },
        "rows": 1,
        "masked": True,
    }
