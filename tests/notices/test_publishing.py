import ast
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditRecord
from notices import services
from notices.models import Notice, State, Visibility
from tests.notices.factories import make_notice

FORM = {
    "title": "关于召开示范点创建工作推进会的通知",
    "doc_number": "冀研发【2026】3号",
    "issuer": "河北省思想政治工作研究会",
    "issued_on": "2026-11-20",
    "visibility": "public",
    "body": "# 一、会议时间\n\n2026年12月1日。",
}


def events(action):
    return list(
        AuditRecord.objects.filter(action=action).order_by("id").values_list("from_state", "to_state", "reason")
    )


def test_publishing_form_saves_a_draft(world, client_for):
    response = client_for(world.province_staff).post(reverse("notices:create"), {**FORM, "action": "save"})
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:detail", kwargs={"pk": notice.pk})
    assert (notice.state, notice.title, notice.doc_number, notice.issued_on) == (
        State.DRAFT,
        FORM["title"],
        FORM["doc_number"],
        date(2026, 11, 20),
    )
    assert notice.author == world.province_staff
    assert events("notice.create") == [("", "draft", "")]


def test_publishing_form_saves_and_publishes(world, client_for):
    client_for(world.province_admin).post(reverse("notices:create"), {**FORM, "action": "publish"})
    notice = Notice.objects.get()
    assert notice.state == State.PUBLISHED
    assert notice.published_at is not None
    assert events("notice.publish") == [("draft", "published", "")]


def test_publishing_form_errors_stay_on_the_form(world, client_for):
    response = client_for(world.province_staff).post(reverse("notices:create"), {**FORM, "title": ""})
    assert response.status_code == 200
    assert 'data-field-error="title"' in response.content.decode()
    assert Notice.objects.count() == 0


def test_publishing_draft_becomes_visible_to_units(world, client_for):
    notice = make_notice(author=world.province_staff, state=State.DRAFT, visibility=Visibility.INTERNAL)
    url = reverse("notices:detail", kwargs={"pk": notice.pk})
    assert client_for(world.sjz_operator).get(url).status_code == 404
    response = client_for(world.province_staff).post(reverse("notices:publish", kwargs={"pk": notice.pk}))
    assert response.status_code == 302
    assert client_for(world.sjz_operator).get(url).status_code == 200
    assert events("notice.publish") == [("draft", "published", "")]


def test_publishing_withdraw_hides_the_notice_and_keeps_the_reason(world, client_for):
    notice = make_notice(author=world.province_staff)
    client_for(world.province_staff).post(
        reverse("notices:withdraw", kwargs={"pk": notice.pk}), {"reason": "内容有误，修改后重发"}
    )
    notice.refresh_from_db()
    assert notice.state == State.WITHDRAWN
    assert events("notice.withdraw") == [("published", "withdrawn", "内容有误，修改后重发")]
    assert client_for(world.sjz_operator).get(reverse("notices:detail", kwargs={"pk": notice.pk})).status_code == 404


def test_publishing_withdraw_without_reason_changes_nothing(world, client_for):
    notice = make_notice(author=world.province_staff)
    client_for(world.province_staff).post(reverse("notices:withdraw", kwargs={"pk": notice.pk}), {"reason": "  "})
    notice.refresh_from_db()
    assert notice.state == State.PUBLISHED
    assert events("notice.withdraw") == []


def test_publishing_withdrawn_notice_can_be_published_again(world):
    notice = make_notice(author=world.province_staff, state=State.WITHDRAWN)
    services.publish_notice(actor=world.province_staff, notice=notice)
    notice.refresh_from_db()
    assert notice.state == State.PUBLISHED
    assert events("notice.publish") == [("draft", "published", ""), ("withdrawn", "published", "")]


def test_publishing_twice_is_refused_and_changes_nothing(world):
    notice = make_notice(author=world.province_staff)
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.publish_notice(actor=world.province_staff, notice=notice)
    assert raised.value.code == "invalid_transition"
    assert AuditRecord.objects.count() == before


def test_publishing_withdraw_of_a_draft_is_refused(world):
    notice = make_notice(author=world.province_staff, state=State.DRAFT)
    with pytest.raises(ValidationError):
        services.withdraw_notice(actor=world.province_staff, notice=notice, reason="不需要")
    notice.refresh_from_db()
    assert notice.state == State.DRAFT


def test_publishing_refused_to_a_unit_operator_by_the_service(world):
    notice = make_notice(author=world.province_staff, state=State.DRAFT)
    with pytest.raises(PermissionDenied):
        services.publish_notice(actor=world.sjz_operator, notice=notice)


def test_publishing_edit_of_a_published_notice_is_audited(world, client_for):
    notice = make_notice(author=world.province_staff, title="旧标题", body="旧正文")
    response = client_for(world.province_staff).post(
        reverse("notices:edit", kwargs={"pk": notice.pk}),
        {**FORM, "title": "新标题", "body": "新正文", "issued_on": notice.issued_on.isoformat()},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.title, notice.body, notice.state) == ("新标题", "新正文", State.PUBLISHED)
    record = AuditRecord.objects.get(action="notice.update")
    assert record.details["state"] == "published"
    assert record.details["changed"]["title"] == ["旧标题", "新标题"]
    assert record.details["changed"]["body"] == ["旧正文", "新正文"]
    assert record.actor == world.province_staff


def test_publishing_edit_without_change_writes_no_audit_row(world):
    notice = make_notice(author=world.province_staff, title="不变")
    services.update_notice(actor=world.province_staff, notice=notice, title="不变")
    assert AuditRecord.objects.filter(action="notice.update").count() == 0


def _state_writers(tree) -> set[str]:
    """Names of the functions that assign `.state` or pass `state=` to a write."""
    writers = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            assigns = isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and any(
                isinstance(target, ast.Attribute) and target.attr == "state"
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
            call = node.func if isinstance(node, ast.Call) else None
            call_name = getattr(call, "attr", None) or getattr(call, "id", None)
            writes = call_name in {"Notice", "create", "update", "get_or_create", "update_or_create"} and any(
                keyword.arg == "state" for keyword in node.keywords
            )
            if assigns or writes:
                writers.add(function.name)
    return writers


def test_publishing_state_is_assigned_only_by_the_transition():
    # The workflow is data: only services.transition_notice may write Notice.state.
    app = Path(__file__).resolve().parents[2] / "notices"
    writers = set()
    for path in app.rglob("*.py"):
        if "migrations" not in path.parts:
            writers |= {f"{path.stem}.{name}" for name in _state_writers(ast.parse(path.read_text(encoding="utf-8")))}
    assert writers == {"services.transition_notice"}
