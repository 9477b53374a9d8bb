"""The unit learns of its inspection in the platform: told (bell and e-mail) when it is
planned, moved or cancelled, with date, place and leader; shown on its application page
and home page; offered as a calendar file. Sheets wait for the day of the visit, unless
the leader records that the team visited earlier."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRecord
from inspections.models import Inspection, SheetStatus
from inspections.services import scoring, teams
from notifications.models import Notification
from tests.inspections import factories


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _unit_notices():
    return list(Notification.objects.filter(kind__startswith="inspection.unit_").order_by("pk"))


def test_unit_told_when_its_inspection_is_planned_moved_and_cancelled(world, django_capture_on_commit_callbacks):
    world.sjz_operator.email = "yizhong@example.cn"
    world.sjz_operator.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        inspection = factories.planned(world, visit_date=_days(9))
    [planned] = _unit_notices()
    assert planned.recipient == world.sjz_operator
    assert planned.title == f"贵单位的现场考察已安排在 {_days(9).isoformat()}"
    assert planned.body == f"考察日期 {_days(9).isoformat()}，地点 单位会议室，考察组组长 专家1。"
    assert planned.url == reverse("applications:detail", args=[inspection.application_id])
    [to_unit] = [m for m in mail.outbox if m.to == ["yizhong@example.cn"] and m.subject == planned.title]
    assert "单位会议室" in to_unit.body

    team = [member.inspector for member in inspection.members.order_by("-is_leader", "pk")]
    move = {"application": inspection.application, "inspection": inspection, "leader": team[0], "members": team[1:]}
    teams.plan_inspection(
        actor=world.province_staff, visit_date=_days(9), place="单位会议室", notes="带上评分细则", **move
    )
    assert len(_unit_notices()) == 1  # notes for the team are not the unit's business
    teams.plan_inspection(actor=world.province_staff, visit_date=_days(12), place="学校报告厅", **move)
    moved = _unit_notices()[-1]
    assert (moved.kind, moved.title) == (
        "inspection.unit_changed",
        f"贵单位的现场考察有变动：改为 {_days(12).isoformat()}",
    )
    assert "学校报告厅" in moved.body

    teams.cancel_inspection(actor=world.province_staff, inspection=inspection, reason="考察组成员临时出差")
    cancelled = _unit_notices()[-1]
    assert cancelled.kind == "inspection.unit_cancelled"
    assert cancelled.body == "原因：考察组成员临时出差"


def test_unit_reads_its_visit_on_the_application_page_and_takes_the_calendar_file(world, client_for):
    inspection = factories.planned(world, visit_date=_days(9))
    Inspection.objects.filter(pk=inspection.pk).update(place="会议室, 二楼; 东侧")
    client = client_for(world.sjz_operator)
    page = client.get(reverse("applications:detail", args=[inspection.application_id])).content.decode()
    assert 'data-testid="coming-visit"' in page
    assert "组长 专家1" in page
    ics_url = reverse("inspections:visit-ics", args=[inspection.pk])
    assert f'href="{ics_url}"' in page

    response = client.get(ics_url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = b"".join(response.streaming_content).decode().replace("\r\n ", "")
    assert f"DTSTART;VALUE=DATE:{_days(9):%Y%m%d}" in text
    assert f"DTEND;VALUE=DATE:{_days(10):%Y%m%d}" in text
    assert "LOCATION:会议室\\, 二楼\\; 东侧" in text
    assert f"UID:inspection-{inspection.pk}@" in text
    assert "SUMMARY:现场考察：石家庄第一中学" in text
    assert all(len(line) <= 75 for line in b"".join(client.get(ics_url).streaming_content).split(b"\r\n"))

    # The association reads the visit too, but nobody else's unit takes it.
    association_page = client_for(world.sjz_association).get(
        reverse("applications:detail", args=[inspection.application_id])
    )
    assert b'data-testid="coming-visit"' in association_page.content
    assert client_for(world.ts_operator).get(ics_url).status_code == 404


def test_sheet_waits_for_the_day_of_the_visit(world):
    inspection = factories.planned(world, visit_date=_days(3))
    sheet = inspection.sheets.get(inspector__user=world.inspector)
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        factories.score_sheet(sheet, 5)
    assert f"考察日期为 {_days(3).isoformat()}" in refused.value.messages[0]
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert not AuditRecord.objects.filter(action="scoresheet.submit").exists()
    assert AuditRecord.objects.count() > before  # the scores themselves were saved and audited


def test_leader_records_an_earlier_visit_and_the_sheets_go_in(world, client_for):
    inspection = factories.planned(world, visit_date=_days(3))
    leader = inspection.members.get(is_leader=True).inspector.user
    member = inspection.members.filter(is_leader=False).first().inspector.user
    url = reverse("inspections:record-visit", args=[inspection.pk])
    client = client_for(leader)
    assert b'data-testid="record-visit"' in client.get(reverse("inspections:detail", args=[inspection.pk])).content

    for data, field, message in (
        ({"visit_date": _days(1).isoformat(), "reason": "提前"}, "visit_date", "不能是将来的日期"),
        ({"visit_date": _days(-1).isoformat(), "reason": ""}, "reason", "请填写理由"),
        ({"visit_date": "昨天", "reason": "提前"}, "visit_date", "请输入日期"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in response.context["visit_form"].errors[field][0]
    assert Inspection.objects.get(pk=inspection.pk).visit_date == _days(3)
    assert client_for(member).post(url, {"visit_date": _days(-1).isoformat(), "reason": "提前"}).status_code == 403
    with pytest.raises(PermissionDenied):
        teams.record_visit_date(actor=member, inspection=inspection, visit_date=_days(-1), reason="提前")

    response = client.post(url, {"visit_date": _days(-1).isoformat(), "reason": "单位临时调整，考察组提前两天到达"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.visit_date, inspection.planned_date) == (_days(-1), _days(3))
    record = AuditRecord.objects.get(action="inspection.visit_recorded")
    assert record.details == {"changed": {"visit_date": [_days(3).isoformat(), _days(-1).isoformat()]}}
    assert record.reason == "单位临时调整，考察组提前两天到达"
    assert Notification.objects.filter(kind="inspection.unit_changed", recipient=world.sjz_operator).exists()
    assert Notification.objects.filter(kind="inspection.visit_recorded", recipient=world.province_staff).exists()
    for sheet in inspection.sheets.select_related("inspector__user"):
        factories.score_sheet(sheet, 5)
    scoring.finalise_inspection(actor=leader, inspection=inspection)
