import pytest
from django.urls import reverse

from audit.models import AuditRecord
from plans.models import PlanComment

HTMX = {"HTTP_HX_REQUEST": "true"}


def comment_url(plan):
    return reverse("plans:comment-create", kwargs={"pk": plan.pk})


def detail_url(plan):
    return reverse("plans:detail", kwargs={"pk": plan.pk})


def test_comments_of_the_association_reach_the_unit(world, client_for, sjz_plan):
    response = client_for(world.sjz_association).post(comment_url(sjz_plan), {"text": "请把经费保障写进计划。"})
    assert (response.status_code, response["Location"]) == (302, detail_url(sjz_plan) + "#plan-comments")
    comment = PlanComment.objects.get()
    assert (comment.plan, comment.author, comment.text) == (sjz_plan, world.sjz_association, "请把经费保障写进计划。")
    page = client_for(world.sjz_operator).get(detail_url(sjz_plan))
    assert [c.pk for c in page.context["comments"]] == [comment.pk]
    assert "请把经费保障写进计划。" in page.content.decode()
    assert page.context["comment_form"] is None


def test_comments_are_audited_with_their_text(world, client_for, sjz_plan):
    client_for(world.province_staff).post(comment_url(sjz_plan), {"text": "省里关注进度。"})
    record = AuditRecord.objects.get(action="plan.comment")
    comment = PlanComment.objects.get()
    assert (record.actor, record.object_type, record.object_id) == (
        world.province_staff,
        "plans.plan",
        str(sjz_plan.pk),
    )
    assert record.details == {"comment": comment.pk, "text": "省里关注进度。"}


@pytest.mark.parametrize("text", ["", "   ", "长" * 2001])
@pytest.mark.parametrize("htmx", [False, True])
def test_comments_bad_input_changes_nothing(world, client_for, sjz_plan, text, htmx):
    response = client_for(world.sjz_association).post(comment_url(sjz_plan), {"text": text}, **(HTMX if htmx else {}))
    assert response.status_code == 200
    assert 'data-field-error="text"' in response.content.decode()
    assert PlanComment.objects.count() == 0
    assert AuditRecord.objects.filter(action="plan.comment").count() == 0


def test_comments_with_htmx_return_the_comments_section(world, client_for, sjz_plan):
    response = client_for(world.sjz_association).post(comment_url(sjz_plan), {"text": "很好。"}, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="plan-comments"')
    assert content.count("data-comment=") == 1


def test_comments_form_is_offered_to_the_association_and_the_province(world, client_for, sjz_plan):
    for who in ("sjz_association", "province_admin"):
        page = client_for(getattr(world, who)).get(detail_url(sjz_plan))
        assert 'data-testid="comment-form"' in page.content.decode()


def test_a_comment_notifies_the_units_operators(world, client_for):
    from notifications.models import Notification
    from tests.plans.factories import make_plan

    plan = make_plan(operator=world.sjz_operator)
    client_for(world.sjz_association).post(f"/plans/{plan.pk}/comments/new/", {"text": "请细化第二步"})
    notification = Notification.objects.get(recipient=world.sjz_operator)
    assert (notification.kind, notification.body, notification.url) == (
        "plan.comment",
        "请细化第二步",
        f"/plans/{plan.pk}/",
    )
