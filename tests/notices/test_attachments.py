import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditRecord
from notices import services
from notices.models import Attachment, Notice, State
from tests.notices import factories
from tests.notices.conftest import stored_files
from tests.notices.factories import make_notice, upload

FORM = {
    "title": "关于报送申报材料的通知",
    "doc_number": "",
    "issuer": "河北省思想政治工作研究会",
    "issued_on": "2026-11-20",
    "visibility": "public",
    "body": "请按附件格式报送。",
    "action": "save",
}
UUID_NAME = re.compile(r"^notices/attachments/[0-9a-f]{32}\.(\w+)$")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("量化评价细则.pdf", factories.PDF, "application/pdf"),
        ("申报表.doc", factories.OLE, "application/msword"),
        ("汇总表.xls", factories.OLE, "application/vnd.ms-excel"),
        ("汇报.ppt", factories.OLE, "application/vnd.ms-powerpoint"),
        (
            "申报表.docx",
            factories.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("汇总表.xlsx", factories.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "汇报.pptx",
            factories.PPTX,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("现场照片.JPG", factories.JPEG, "image/jpeg"),
        ("现场照片.jpeg", factories.JPEG, "image/jpeg"),
        ("牌匾.png", factories.PNG, "image/png"),
        ("材料.zip", factories.ZIP, "application/zip"),
        ("申报表.zip", factories.DOCX, "application/zip"),
    ],
)
def test_attachments_accepted_by_content(world, client_for, media_root, name, content, content_type):
    response = client_for(world.province_staff).post(
        reverse("notices:create"), {**FORM, "attachments": [upload(name, content)]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    assert UUID_NAME.match(attachment.file.name).group(1) == name.rsplit(".", 1)[1].lower()
    assert stored_files(media_root) == [attachment.file.name]
    assert (media_root / attachment.file.name).read_bytes() == content


def test_attachments_several_at_once(world, client_for, media_root):
    files = [upload("一.pdf", factories.PDF), upload("二.png", factories.PNG), upload("三.docx", factories.DOCX)]
    client_for(world.province_staff).post(reverse("notices:create"), {**FORM, "attachments": files})
    notice = Notice.objects.get()
    assert list(notice.attachments.values_list("original_name", flat=True)) == ["一.pdf", "二.png", "三.docx"]
    assert len(stored_files(media_root)) == 3
    assert AuditRecord.objects.get(action="notice.create").details == {"attachments": ["一.pdf", "二.png", "三.docx"]}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("评价细则.pdf", factories.HTML),
        ("申报表.docx", factories.ZIP),
        ("汇总表.xlsx", factories.DOCX),
        ("汇报.pptx", factories.XLSX),
        ("申报表.doc", factories.EXE),
        ("照片.jpg", factories.PNG),
        ("照片.png", factories.JPEG),
        ("材料.zip", factories.PDF),
    ],
)
def test_attachments_rejected_when_content_lies_about_extension(world, client_for, media_root, name, content):
    response = client_for(world.province_staff).post(
        reverse("notices:create"), {**FORM, "attachments": [upload(name, content)]}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["attachments"]] == ["attachment_content"]
    assert 'data-field-error="attachments"' in response.content.decode()
    assert (Notice.objects.count(), Attachment.objects.count()) == (0, 0)
    assert AuditRecord.objects.filter(action__startswith="notice.").count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "noextension", "脚本.js"])
def test_attachments_rejected_when_the_type_is_not_accepted(world, client_for, media_root, name):
    response = client_for(world.province_staff).post(
        reverse("notices:create"), {**FORM, "attachments": [upload(name, factories.PDF)]}
    )
    assert [e.code for e in response.context["form"].errors.as_data()["attachments"]] == ["attachment_type"]
    assert (Notice.objects.count(), stored_files(media_root)) == (0, [])


def test_attachments_rejected_when_too_large(world, client_for, media_root, settings):
    settings.NOTICE_ATTACHMENT_MAX_BYTES = len(factories.PDF) + 10
    big = factories.PDF + b"0" * 11
    response = client_for(world.province_staff).post(
        reverse("notices:create"), {**FORM, "attachments": [upload("小.pdf", factories.PDF), upload("大.pdf", big)]}
    )
    assert [e.code for e in response.context["form"].errors.as_data()["attachments"]] == ["attachment_size"]
    assert (Notice.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(media_root) == []


def test_attachments_limit_is_inclusive(world, media_root, settings):
    settings.NOTICE_ATTACHMENT_MAX_BYTES = len(factories.PDF)
    notice = make_notice(author=world.province_staff, files=[upload("刚好.pdf", factories.PDF)])
    assert notice.attachments.count() == 1


def test_attachments_bad_file_on_edit_changes_nothing(world, client_for, media_root):
    notice = make_notice(author=world.province_staff, title="原标题", files=[upload("原件.pdf", factories.PDF)])
    before = stored_files(media_root)
    response = client_for(world.province_staff).post(
        reverse("notices:edit", kwargs={"pk": notice.pk}),
        {**FORM, "title": "新标题", "attachments": [upload("新件.pdf", factories.HTML)]},
    )
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.title == "原标题"
    assert list(notice.attachments.values_list("original_name", flat=True)) == ["原件.pdf"]
    assert stored_files(media_root) == before
    assert AuditRecord.objects.filter(action="notice.update").count() == 0


def test_attachments_added_on_edit_of_a_published_notice_are_audited(world, client_for, media_root):
    notice = make_notice(author=world.province_staff)
    client_for(world.province_staff).post(
        reverse("notices:edit", kwargs={"pk": notice.pk}),
        {
            **FORM,
            "title": notice.title,
            "body": notice.body,
            "issued_on": notice.issued_on.isoformat(),
            "attachments": [upload("补充.pdf", factories.PDF)],
        },
    )
    record = AuditRecord.objects.get(action="notice.update")
    assert (record.details["state"], record.details["attachments_added"]) == ("published", ["补充.pdf"])
    assert len(stored_files(media_root)) == 1


def test_attachments_failed_database_write_leaves_no_file(world, media_root):
    notice = make_notice(author=world.province_staff)
    Notice.objects.filter(pk=notice.pk).delete()  # someone else deleted it meanwhile
    with pytest.raises(Notice.DoesNotExist):
        services.add_attachments(actor=world.province_staff, notice=notice, files=[upload("迟到.pdf", factories.PDF)])
    assert stored_files(media_root) == []
    assert Attachment.objects.count() == 0


def test_attachments_service_refuses_a_lying_file_without_storing(world, media_root):
    notice = make_notice(author=world.province_staff, state=State.DRAFT)
    with pytest.raises(ValidationError) as raised:
        services.add_attachments(actor=world.province_staff, notice=notice, files=[upload("假.pdf", factories.EXE)])
    assert list(raised.value.error_dict) == ["attachments"]
    assert stored_files(media_root) == []


def test_attachments_remove_deletes_row_and_file_after_commit(
    world, client_for, media_root, django_capture_on_commit_callbacks
):
    notice = make_notice(author=world.province_staff, files=[upload("作废.pdf", factories.PDF)])
    attachment = notice.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.province_staff).post(
            reverse("notices:attachment-remove", kwargs={"pk": attachment.pk})
        )
    assert response.status_code == 302
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []
    assert AuditRecord.objects.get(action="notice.attachment_remove").details == {
        "attachment": "作废.pdf",
        "state": "published",
    }


def test_attachments_original_name_is_never_part_of_the_storage_name(world, media_root):
    notice = make_notice(author=world.province_staff, files=[upload("../../etc/passwd.pdf", factories.PDF)])
    attachment = notice.attachments.get()
    assert UUID_NAME.match(attachment.file.name) is not None
    assert attachment.original_name == "passwd.pdf"
