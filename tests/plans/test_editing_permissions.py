"""Only the unit writes its plan; the association and the province guide by comments."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditRecord
from core.roles import Role
from plans import services
from plans.models import Plan, PlanComment, PlanStep, StepStatus
from tests.plans.factories import make_step, step_form_data

NOT_UNITS = sorted(set(Role.values) - {Role.UNIT})


@pytest.fixture
def step(world, sjz_plan):
    return make_step(plan=sjz_plan, operator=world.sjz_operator)


@pytest.mark.parametrize("role", NOT_UNITS)
def test_editing_only_the_unit_may_write_its_plan(world, client_for, sjz_plan, step, role):
    client = client_for(world.user_of(role))
    plan_kwargs, step_kwargs = {"pk": sjz_plan.pk}, {"pk": step.pk}
    requests = {
        "edit": (reverse("plans:edit", kwargs=plan_kwargs), {"goals": "篡改", "content": "篡改"}),
        "step-create": (reverse("plans:step-create", kwargs=plan_kwargs), step_form_data()),
        "step-update": (reverse("plans:step-update", kwargs=step_kwargs), step_form_data(status="done")),
        "step-progress": (reverse("plans:step-progress", kwargs=step_kwargs), {f"step-{step.pk}-status": "done"}),
        "step-delete": (reverse("plans:step-delete", kwargs=step_kwargs), {}),
        "step-move": (reverse("plans:step-move", kwargs=step_kwargs), {"direction": "down"}),
    }
    answers = {name: client.post(url, data).status_code for name, (url, data) in requests.items()}
    assert answers == dict.fromkeys(requests, 403)
    gets = {name: client.get(url).status_code for name, (url, _) in requests.items() if name in ("edit", "step-create")}
    assert gets == {"edit": 403, "step-create": 403}
    step.refresh_from_db()
    sjz_plan.refresh_from_db()
    assert (sjz_plan.goals, step.status, PlanStep.objects.count()) == ("建成规范的心理疏导工作站。", "not_started", 1)


@pytest.mark.parametrize("who", ["sjz_association", "province_staff", "ts_operator"])
def test_editing_services_refuse_anyone_but_the_units_operator(world, sjz_plan, step, who):
    actor = getattr(world, who)
    calls = [
        lambda: services.update_plan(actor=actor, plan=sjz_plan, goals="篡改"),
        lambda: services.add_step(actor=actor, plan=sjz_plan, title="篡改", deadline=step.deadline, owner="某人"),
        lambda: services.update_step(actor=actor, step=step, status=StepStatus.DONE),
        lambda: services.move_step(actor=actor, step=step, direction="up"),
        lambda: services.remove_step(actor=actor, step=step),
        lambda: services.create_plan(
            actor=actor, unit=world.sjz_unit, campaign=sjz_plan.campaign, goals="另一个", content="另一个"
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert AuditRecord.objects.filter(actor=actor).count() == 0
    assert (Plan.objects.count(), PlanStep.objects.get().status) == (1, "not_started")


@pytest.mark.parametrize("who", ["sjz_operator", "ts_operator", "inspector"])
def test_editing_units_and_others_do_not_comment(world, sjz_plan, client_for, who):
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=getattr(world, who), plan=sjz_plan, text="自己评论自己")
    response = client_for(getattr(world, who)).post(
        reverse("plans:comment-create", kwargs={"pk": sjz_plan.pk}), {"text": "自己评论自己"}
    )
    assert response.status_code == 403
    assert PlanComment.objects.count() == 0


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_editing_roles_without_business_in_plans_get_403_on_every_page(world, client_for, sjz_plan, role):
    client = client_for(world.user_of(role))
    urls = [reverse("plans:list"), reverse("plans:mine"), reverse("plans:detail", kwargs={"pk": sjz_plan.pk})]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
