"""An inspector's scoresheet: saving as one types, the rules of a score, submission and
its lock, who may read which sheet, reopening by the leader only, photos."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from inspections.models import SheetPhoto, SheetScore, SheetStatus
from notifications.models import Notification
from tests.inspections import factories
from tests.materials.factories import EXE, JPEG, PDF, upload


@pytest.fixture
def inspection(world):
    return factories.planned(world)


@pytest.fixture
def sheet(inspection, world):
    return inspection.sheets.get(inspector__user=world.inspector)


def _indicators(sheet):
    return list(
        sheet.inspection.application.version.categories.values_list("indicators__pk", flat=True).order_by(
            "order", "indicators__order"
        )
    )


def _save(client, sheet, indicator_id, score, comment="", htmx=True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("inspections:score-save", args=[sheet.pk, indicator_id]),
        {f"i{indicator_id}-score": score, f"i{indicator_id}-comment": comment},
        **headers,
    )


def test_a_score_is_saved_as_the_inspector_types(world, client_for, sheet):
    indicator = _indicators(sheet)[0]
    response = _save(client_for(world.inspector), sheet, indicator, "4.5", "档案不全")
    row = SheetScore.objects.get(sheet=sheet, indicator_id=indicator)
    assert response.status_code == 200
    assert "已保存" in response.content.decode()
    assert (row.score, row.comment) == (Decimal("4.5"), "档案不全")


def test_a_score_below_the_maximum_without_comment_is_kept_with_a_warning(world, client_for, sheet):
    indicator = _indicators(sheet)[0]
    response = _save(client_for(world.inspector), sheet, indicator, "3")
    assert response.status_code == 200
    assert "低于满分：提交前须填写评语。" in response.content.decode()
    assert SheetScore.objects.get(sheet=sheet, indicator_id=indicator).score == Decimal("3")


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("5.5", "分数须在 0 到 5 之间。"),
        ("-1", "分数须在 0 到 5 之间。"),
        ("2.3", "分数以 0.5 为单位，例如 2、2.5 或 3。"),
        ("abc", "请输入数字，例如 4 或 4.5。"),
    ],
)
def test_a_bad_score_is_refused_and_nothing_is_saved(world, client_for, sheet, score, message):
    indicator = _indicators(sheet)[0]
    response = _save(client_for(world.inspector), sheet, indicator, score)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SheetScore.objects.filter(sheet=sheet).exists()


def test_without_javascript_a_bad_score_shows_the_whole_sheet_with_the_error(world, client_for, sheet):
    indicator = _indicators(sheet)[0]
    response = _save(client_for(world.inspector), sheet, indicator, "9", htmx=False)
    assert response.status_code == 422
    assert 'data-field-error="score"' in response.content.decode()


def test_submitting_lists_what_is_missing(world, client_for, sheet):
    indicators = _indicators(sheet)
    client = client_for(world.inspector)
    _save(client, sheet, indicators[0], "3")
    response = client.post(reverse("inspections:sheet-submit", args=[sheet.pk]))
    html = response.content.decode()
    assert response.status_code == 422
    assert "低于满分 5，请在评语中说明理由。" in html
    assert "（一）2 尚未打分。" in html
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


def test_a_submitted_sheet_is_locked_and_audited_with_its_scores(world, client_for, sheet):
    factories.score_sheet(sheet, Decimal("4.5"))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    record = AuditRecord.objects.get(action="scoresheet.submit")
    assert set(record.details["scores"].values()) == {"4.5"}
    response = _save(client_for(world.inspector), sheet, _indicators(sheet)[0], "5")
    assert response.status_code == 422
    assert "评分表已提交" in response.content.decode()
    assert set(sheet.scores.values_list("score", flat=True)) == {Decimal("4.5")}


def test_an_inspector_sees_only_its_own_sheet_until_it_has_submitted(world, client_for, inspection, sheet):
    other = inspection.sheets.exclude(pk=sheet.pk).first()
    factories.score_sheet(other, Decimal("5"))
    client = client_for(world.inspector)
    assert client.get(reverse("inspections:sheet", args=[other.pk])).status_code == 404
    factories.score_sheet(sheet, Decimal("5"))
    assert client.get(reverse("inspections:sheet", args=[other.pk])).status_code == 200


def test_a_teammate_draft_stays_hidden_even_after_submitting(world, client_for, inspection, sheet):
    other = inspection.sheets.exclude(pk=sheet.pk).first()
    factories.score_sheet(sheet, Decimal("5"))
    assert client_for(world.inspector).get(reverse("inspections:sheet", args=[other.pk])).status_code == 404


def test_an_inspector_cannot_write_on_another_sheet(world, client_for, inspection, sheet):
    other = inspection.sheets.exclude(pk=sheet.pk).first()
    response = _save(client_for(other.inspector.user), sheet, _indicators(sheet)[0], "5")
    assert response.status_code == 404
    assert not SheetScore.objects.filter(sheet=sheet).exists()


def test_an_inspector_of_another_inspection_gets_404(world, client_for, sheet):
    outsider = factories.make_inspector(name="局外专家", organisation=world.province)
    client = client_for(outsider.user)
    assert client.get(reverse("inspections:sheet", args=[sheet.pk])).status_code == 404
    assert _save(client, sheet, _indicators(sheet)[0], "5").status_code == 404


def test_the_leader_reopens_a_sheet_with_a_reason(world, client_for, inspection):
    member_sheet = inspection.sheets.exclude(inspector__user=world.inspector).first()
    factories.score_sheet(member_sheet, Decimal("5"))
    client = client_for(world.inspector)  # the leader
    refused = client.post(reverse("inspections:sheet-reopen", args=[member_sheet.pk]), {"reason": ""})
    member_sheet.refresh_from_db()
    assert refused.status_code == 302
    assert member_sheet.status == SheetStatus.SUBMITTED
    client.post(reverse("inspections:sheet-reopen", args=[member_sheet.pk]), {"reason": "第3项分数录错"})
    member_sheet.refresh_from_db()
    assert member_sheet.status == SheetStatus.DRAFT
    assert AuditRecord.objects.get(action="scoresheet.reopen").reason == "第3项分数录错"
    notice = Notification.objects.get(kind="scoresheet.reopen")
    assert notice.recipient == member_sheet.inspector.user


def test_a_member_who_is_not_the_leader_cannot_reopen(world, client_for, inspection, sheet):
    factories.score_sheet(sheet, Decimal("5"))
    member = inspection.members.filter(is_leader=False).first().inspector.user
    response = client_for(member).post(reverse("inspections:sheet-reopen", args=[sheet.pk]), {"reason": "想改"})
    sheet.refresh_from_db()
    assert response.status_code == 403
    assert sheet.status == SheetStatus.SUBMITTED


def test_a_photo_taken_on_site_is_kept_with_its_indicator(world, client_for, sheet):
    indicator = _indicators(sheet)[0]
    client = client_for(world.inspector)
    response = client.post(
        reverse("inspections:photo-upload", args=[sheet.pk]),
        {"indicator": indicator, "photo": upload("现场.jpg", JPEG)},
    )
    photo = SheetPhoto.objects.get()
    assert response.status_code == 302
    assert (photo.indicator_id, photo.original_name, photo.content_type) == (indicator, "现场.jpg", "image/jpeg")
    for name in ("inspections:photo", "inspections:photo-thumbnail"):
        response = client.get(reverse(name, args=[photo.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("报告.pdf", PDF, "这里只能添加照片（JPEG 或 PNG）。"), ("病毒.jpg", EXE, "是可执行程序而非文档，不能上传。")],
)
def test_a_file_that_is_not_a_photo_is_refused(world, client_for, sheet, name, content, message):
    indicator = _indicators(sheet)[0]
    response = client_for(world.inspector).post(
        reverse("inspections:photo-upload", args=[sheet.pk]), {"indicator": indicator, "photo": upload(name, content)}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SheetPhoto.objects.exists()


def test_the_province_reads_every_sheet_but_cannot_score(world, client_for, sheet):
    client = client_for(world.province_staff)
    assert client.get(reverse("inspections:sheet", args=[sheet.pk])).status_code == 200
    assert _save(client, sheet, _indicators(sheet)[0], "5").status_code == 403


def test_the_sheet_page_query_count_does_not_grow_with_photos(world, client_for, sheet, django_assert_max_num_queries):
    indicators = _indicators(sheet)
    client = client_for(world.inspector)
    for indicator in indicators[:3]:
        _save(client, sheet, indicator, "5")
        factories.scoring.add_photo(
            actor=world.inspector, sheet=sheet, indicator_id=indicator, upload=upload("a.jpg", JPEG)
        )
    with django_assert_max_num_queries(22):
        response = client.get(reverse("inspections:sheet", args=[sheet.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="img-thumbnail sheet-photo"') == 3


def test_the_sweep_of_orphan_material_files_leaves_on_site_photos_alone(world, sheet):
    import datetime

    from django.core.files.storage import default_storage

    from materials.services import sweep_orphan_files

    indicator = _indicators(sheet)[0]
    photo = factories.scoring.add_photo(
        actor=world.inspector, sheet=sheet, indicator_id=indicator, upload=upload("现场.jpg", JPEG)
    )
    assert not photo.file.name.startswith("materials/")
    assert sweep_orphan_files(older_than=datetime.timedelta(seconds=0)) == []
    assert default_storage.exists(photo.file.name)
