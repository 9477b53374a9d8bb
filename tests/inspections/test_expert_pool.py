"""The expert pool's pages and services: adding and editing experts, their login account,
taking them out of the pool, declared conflicts, the list, and who may do any of it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import AuditRecord
from core.roles import PROVINCE_ROLES, Role
from inspections.models import Conflict, Inspector
from inspections.services import pool as services
from organisations.models import Kind, Sector
from tests.factories import make_organisation, make_user
from tests.inspections.pool_samples import pool_samples
from tests.notifications.factories import forget_bell_counts

# Session, user, the viewer's organisation in the top bar, the unread-notifications
# badge, the area choices of the filter, the count and the page with areas and accounts.
MAX_LIST_QUERIES = 7
POST_ONLY = {
    "inspections:expert-toggle",
    "inspections:expert-login",
    "inspections:expert-conflict-add",
    "inspections:expert-conflict-remove",
}
NON_PROVINCE_ROLES = [role for role in Role.values if role not in PROVINCE_ROLES]


def zh(message, **params):
    """What the page says, in the language the tests run in."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % params if params else text


def form_data(**overrides):
    data = {
        "name": "李明",
        "employer": "河北师范大学",
        "title": "教授",
        "area": "",
        "specialities": "心理咨询、人文关怀",
        "phone": "13812345678",
        "email": "liming@example.com",
        "user": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def make_expert(**fields):
    defaults = {"name": "王芳", "phone": "13912345678", "area": None}
    defaults.update(fields)
    return Inspector.objects.create(**defaults)


def edit_url(inspector):
    return reverse("inspections:expert-edit", kwargs={"pk": inspector.pk})


# --- Adding and editing ---------------------------------------------------------------


def test_create_expert_adds_it_and_audits(world, client_for):
    response = client_for(world.province_staff).post(
        reverse("inspections:expert-create"), form_data(area=str(world.shijiazhuang.pk))
    )
    inspector = Inspector.objects.get()
    assert (response.status_code, response["Location"]) == (302, edit_url(inspector))
    assert (inspector.name, inspector.area, inspector.phone, inspector.is_active, inspector.user) == (
        "李明",
        world.shijiazhuang,
        "13812345678",
        True,
        None,
    )
    record = AuditRecord.objects.get(action="inspector.create")
    assert (record.actor, record.object_id, record.to_state) == (world.province_staff, str(inspector.pk), "active")


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("phone", "23812345678"), ("phone", "1381234567a"), ("email", "not-an-address"), ("name", "")],
)
def test_create_with_bad_input_is_refused_with_422_and_writes_nothing(world, client_for, field, value):
    response = client_for(world.province_admin).post(reverse("inspections:expert-create"), form_data(**{field: value}))
    assert (response.status_code, list(response.context["form"].errors), Inspector.objects.count()) == (422, [field], 0)
    assert AuditRecord.objects.filter(action__startswith="inspector.").count() == 0


def test_create_with_a_bad_phone_says_what_a_mobile_number_is(world, client_for):
    response = client_for(world.province_staff).post(reverse("inspections:expert-create"), form_data(phone="12345"))
    assert response.context["form"].errors["phone"] == [zh("Enter a mobile number: 11 digits starting with 1.")]
    assert zh("Enter a mobile number: 11 digits starting with 1.") in response.content.decode()


def test_create_refuses_a_county_as_area(world, client_for):
    response = client_for(world.province_staff).post(
        reverse("inspections:expert-create"), form_data(area=str(world.changan.pk))
    )
    assert (response.status_code, list(response.context["form"].errors), Inspector.objects.count()) == (
        422,
        ["area"],
        0,
    )


def test_create_refuses_a_duplicate_of_name_and_phone(world, client_for):
    make_expert(name="李明", phone="13812345678")
    response = client_for(world.province_staff).post(reverse("inspections:expert-create"), form_data())
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        zh("An expert with this name and phone number is already in the pool.")
    ]
    assert Inspector.objects.count() == 1


def test_edit_saves_and_audits_each_change(world, client_for):
    inspector = make_expert(employer="唐山学院")
    response = client_for(world.province_staff).post(
        edit_url(inspector),
        form_data(name="王芳", phone="13912345678", employer="燕山大学", area=str(world.tangshan.pk)),
    )
    inspector.refresh_from_db()
    assert (response.status_code, inspector.employer, inspector.area) == (302, "燕山大学", world.tangshan)
    record = AuditRecord.objects.get(action="inspector.update")
    assert record.details["changed"]["employer"] == ["唐山学院", "燕山大学"]
    assert record.details["changed"]["area"] == ["", "唐山市"]


def test_edit_with_bad_input_is_refused_with_422_and_changes_nothing(world, client_for):
    inspector = make_expert()
    response = client_for(world.province_staff).post(
        edit_url(inspector), form_data(name="王芳", phone="1391234567", employer="燕山大学")
    )
    inspector.refresh_from_db()
    assert (response.status_code, list(response.context["form"].errors)) == (422, ["phone"])
    assert (inspector.employer, inspector.phone) == ("", "13912345678")


def test_edit_page_shows_the_masked_phone_and_the_conflicts(world, client_for):
    # The whole number only through the audited unmask (core.pii), not in the form.
    inspector = make_expert()
    Conflict.objects.create(inspector=inspector, organisation=world.ts_unit, reason="曾在此任职")
    response = client_for(world.province_staff).get(edit_url(inspector))
    content = response.content.decode()
    assert (response.status_code, "13912345678" in content, "139****5678" in content) == (200, False, True)
    assert ("唐山钢铁公司" in content, "曾在此任职" in content) == (True, True)


# --- Login account ----------------------------------------------------------------------


def test_linking_an_inspector_account_through_the_form(world, client_for):
    inspector = make_expert()
    response = client_for(world.province_staff).post(
        edit_url(inspector), form_data(name="王芳", phone="13912345678", user=str(world.inspector.pk))
    )
    inspector.refresh_from_db()
    assert (response.status_code, inspector.user) == (302, world.inspector)
    assert AuditRecord.objects.get(action="inspector.update").details["changed"]["user"] == ["", "inspector"]


def test_the_form_offers_only_free_active_inspector_accounts(world, client_for):
    taken = make_user(role=Role.INSPECTOR, organisation=world.province, username="taken")
    make_expert(name="已关联", user=taken)
    make_user(role=Role.INSPECTOR, organisation=world.province, username="off", is_active=False)
    response = client_for(world.province_staff).get(reverse("inspections:expert-create"))
    offered = [user.username for user in response.context["form"].fields["user"].queryset]
    assert offered == ["inspector"]


@pytest.mark.parametrize("problem", ["other role", "disabled", "linked elsewhere"])
def test_link_account_refuses_an_unusable_account_on_the_user_field(world, problem):
    inspector = make_expert()
    if problem == "other role":
        account = world.sjz_operator
    elif problem == "disabled":
        account = make_user(role=Role.INSPECTOR, organisation=world.province, is_active=False)
    else:
        account = world.inspector
        make_expert(name="另一位", phone="13700000000", user=account)
    with pytest.raises(ValidationError) as raised:
        services.link_account(actor=world.province_staff, inspector=inspector, user=account)
    inspector.refresh_from_db()
    assert (list(raised.value.error_dict), inspector.user) == (["user"], None)


def test_link_account_and_unlink(world):
    inspector = make_expert()
    services.link_account(actor=world.province_admin, inspector=inspector, user=world.inspector)
    inspector.refresh_from_db()
    assert inspector.user == world.inspector
    services.link_account(actor=world.province_admin, inspector=inspector, user=None)
    inspector.refresh_from_db()
    assert inspector.user is None


# --- In or out of the pool -----------------------------------------------------------


def test_toggle_takes_the_expert_out_and_back_with_audit(world, client_for):
    inspector = make_expert()
    client = client_for(world.province_staff)
    url = reverse("inspections:expert-toggle", kwargs={"pk": inspector.pk})
    assert client.post(url, {"active": "0"}).status_code == 302
    inspector.refresh_from_db()
    assert inspector.is_active is False
    client.post(url, {"active": "1"})
    inspector.refresh_from_db()
    assert inspector.is_active is True
    assert list(
        AuditRecord.objects.filter(action__startswith="inspector.").order_by("pk").values_list("action", "to_state")
    ) == [
        ("inspector.deactivate", "inactive"),
        ("inspector.activate", "active"),
    ]


# --- Conflicts -------------------------------------------------------------------------


def conflict_url(inspector):
    return reverse("inspections:expert-conflict-add", kwargs={"pk": inspector.pk})


def test_conflict_is_declared_by_typing_the_name(world, client_for):
    inspector = make_expert()
    response = client_for(world.province_staff).post(
        conflict_url(inspector), {"organisation": "唐山钢铁", "reason": "亲属任职"}
    )
    conflict = Conflict.objects.get()
    assert (response.status_code, conflict.inspector, conflict.organisation, conflict.reason) == (
        302,
        inspector,
        world.ts_unit,
        "亲属任职",
    )
    assert AuditRecord.objects.get(action="inspector.conflict_add").details["organisation"] == world.ts_unit.pk


def test_conflict_by_number(world, client_for):
    inspector = make_expert()
    client_for(world.province_staff).post(conflict_url(inspector), {"organisation": str(world.tangshan.pk)})
    assert Conflict.objects.get().organisation == world.tangshan


def test_an_exact_name_wins_over_names_containing_it(world, client_for):
    inspector = make_expert()
    make_organisation(name="石家庄市第二中学", parent=world.shijiazhuang, sector=Sector.SCHOOL)
    client_for(world.province_staff).post(conflict_url(inspector), {"organisation": "石家庄市"})
    assert Conflict.objects.get().organisation == world.shijiazhuang


def test_conflict_with_an_unknown_name_is_refused_with_422(world, client_for):
    inspector = make_expert()
    response = client_for(world.province_staff).post(conflict_url(inspector), {"organisation": "不存在的单位"})
    assert response.status_code == 422
    assert response.context["conflict_form"].errors["organisation"] == [
        zh("No organisation is called “%(text)s”. Check the name.", text="不存在的单位")
    ]
    assert Conflict.objects.count() == 0


def test_conflict_with_an_ambiguous_name_asks_for_more(world, client_for):
    inspector = make_expert()
    first = make_organisation(name="实验小学", parent=world.changan, sector=Sector.SCHOOL)
    second = make_organisation(name="实验小学", parent=world.tangshan, sector=Sector.SCHOOL)
    response = client_for(world.province_staff).post(conflict_url(inspector), {"organisation": "实验小学"})
    assert response.status_code == 422
    names = f"实验小学（长安区 · {first.pk}）、实验小学（唐山市 · {second.pk}）"
    assert response.context["conflict_form"].errors["organisation"] == [
        zh(
            "Several organisations match “%(text)s”: %(names)s. Be more precise, or type the number.",
            text="实验小学",
            names=names,
        )
    ]
    assert Conflict.objects.count() == 0


def test_conflict_declared_twice_is_refused(world, client_for):
    inspector = make_expert()
    Conflict.objects.create(inspector=inspector, organisation=world.ts_unit)
    response = client_for(world.province_staff).post(conflict_url(inspector), {"organisation": "唐山钢铁公司"})
    assert response.status_code == 422
    assert response.context["conflict_form"].errors["organisation"] == [
        zh("This conflict is already declared for this expert.")
    ]
    assert Conflict.objects.count() == 1


def test_the_province_cannot_be_a_conflict(world):
    inspector = make_expert()
    with pytest.raises(ValidationError):
        services.add_conflict(actor=world.province_staff, inspector=inspector, organisation=world.province)
    assert Conflict.objects.count() == 0


def test_conflict_is_withdrawn_with_audit(world, client_for):
    inspector = make_expert()
    conflict = Conflict.objects.create(inspector=inspector, organisation=world.ts_unit)
    response = client_for(world.province_staff).post(
        reverse("inspections:expert-conflict-remove", kwargs={"pk": inspector.pk, "conflict_pk": conflict.pk})
    )
    assert (response.status_code, Conflict.objects.count()) == (302, 0)
    assert AuditRecord.objects.get(action="inspector.conflict_remove").object_id == str(inspector.pk)


def test_a_conflict_of_another_expert_is_404(world, client_for):
    inspector = make_expert()
    other = make_expert(name="另一位", phone="13700000000")
    conflict = Conflict.objects.create(inspector=other, organisation=world.ts_unit)
    response = client_for(world.province_staff).post(
        reverse("inspections:expert-conflict-remove", kwargs={"pk": inspector.pk, "conflict_pk": conflict.pk})
    )
    assert (response.status_code, Conflict.objects.count()) == (404, 1)


# --- Who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_PROVINCE_ROLES)
def test_every_pool_url_is_403_for_every_other_role(world, client_for, role):
    samples = pool_samples(world)
    client = client_for(world.user_of(role))
    answers = {}
    for name, kwargs in samples.items():
        url = reverse(name, kwargs=kwargs)
        answers[name] = (client.get(url).status_code, client.post(url, {"active": "0"}).status_code)
    assert answers == dict.fromkeys(samples, (403, 403))
    assert (Inspector.objects.filter(is_active=True).count(), Conflict.objects.count()) == (1, 1)


@pytest.mark.parametrize("role", sorted(PROVINCE_ROLES))
def test_every_pool_url_answers_the_province(world, client_for, role):
    samples = pool_samples(world)
    client = client_for(world.user_of(role))
    answers = {name: client.get(reverse(name, kwargs=kwargs)).status_code for name, kwargs in samples.items()}
    assert answers == {name: 405 if name in POST_ONLY else 200 for name in samples}


def test_anonymous_is_sent_to_sign_in(db, client):
    response = client.get(reverse("inspections:expert-list"))
    assert (response.status_code, response["Location"].startswith("/accounts/login/")) == (302, True)


@pytest.mark.parametrize("name", ["inspections:expert-edit", "inspections:expert-toggle"])
def test_a_missing_expert_is_404_for_the_province(world, client_for, name):
    url = reverse(name, kwargs={"pk": 999_999})
    assert client_for(world.province_staff).post(url, {"active": "0"}).status_code == 404


@pytest.mark.parametrize("role", NON_PROVINCE_ROLES)
def test_services_refuse_anyone_but_the_province(world, role):
    actor = world.user_of(role)
    inspector = make_expert()
    conflict = Conflict.objects.create(inspector=inspector, organisation=world.ts_unit)
    calls = [
        lambda: services.create_inspector(actor=actor, name="赵强"),
        lambda: services.update_inspector(actor=actor, inspector=inspector, name="赵强"),
        lambda: services.set_inspector_active(actor=actor, inspector=inspector, active=False),
        lambda: services.add_conflict(actor=actor, inspector=inspector, organisation=world.sjz_unit),
        lambda: services.remove_conflict(actor=actor, conflict=conflict),
        lambda: services.link_account(actor=actor, inspector=inspector, user=world.inspector),
        lambda: services.import_inspectors(actor=actor, rows=[]),
    ]
    refused = 0
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
        refused += 1
    inspector.refresh_from_db()
    assert (refused, inspector.name, inspector.is_active, Conflict.objects.count()) == (len(calls), "王芳", True, 1)


# --- The list ------------------------------------------------------------------------------


def test_list_masks_phone_numbers(world, client_for):
    make_expert(phone="13812345678")
    response = client_for(world.province_staff).get(reverse("inspections:expert-list"))
    content = response.content.decode()
    assert (response.status_code, "138****5678" in content, "13812345678" in content) == (200, True, False)


def test_list_filters(world, client_for):
    make_expert(name="赵强", employer="燕山大学", specialities="心理咨询", area=world.tangshan, phone="13800000001")
    make_expert(name="钱敏", employer="河北大学", specialities="人文关怀", area=None, phone="13800000002")
    make_expert(name="孙磊", employer="燕山大学", area=world.shijiazhuang, is_active=False, phone="13800000003")
    client = client_for(world.province_staff)

    def names(**query):
        response = client.get(reverse("inspections:expert-list"), query)
        return [inspector.name for inspector in response.context["page_obj"]]

    assert names() == ["孙磊", "赵强", "钱敏"]
    assert names(q="燕山") == ["孙磊", "赵强"]
    assert names(q="钱") == ["钱敏"]
    assert names(area=str(world.tangshan.pk)) == ["赵强"]
    assert names(area="provincial") == ["钱敏"]
    assert names(speciality="人文") == ["钱敏"]
    assert names(status="inactive") == ["孙磊"]
    assert names(status="active", q="燕山") == ["赵强"]


def test_empty_list_says_what_to_do(world, client_for):
    response = client_for(world.province_staff).get(reverse("inspections:expert-list"))
    assert (
        zh("The pool is empty. Add the experts one by one, or download the Excel template, fill it in and import it.")
        in response.content.decode()
    )


def add_experts(world, count, start):
    for index in range(start, start + count):
        inspector = make_expert(
            name=f"专家{index}",
            phone=f"1380000{index:04d}",
            area=world.tangshan if index % 2 else None,
            user=make_user(role=Role.INSPECTOR, organisation=world.province),
        )
        Conflict.objects.create(inspector=inspector, organisation=world.sjz_unit)


def count_queries(client, url, django_assert_max_num_queries) -> int:
    forget_bell_counts()
    with django_assert_max_num_queries(MAX_LIST_QUERIES), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for(world.province_staff)
    url = reverse("inspections:expert-list")
    add_experts(world, 1, start=0)
    with_one = count_queries(client, url, django_assert_max_num_queries)
    add_experts(world, 2, start=1)
    with_three = count_queries(client, url, django_assert_max_num_queries)
    assert with_one == with_three
    assert len(client.get(url).context["page_obj"]) == 3


def test_area_offers_cities_systems_and_departments_only(world, client_for):
    department = make_organisation(name="省教育厅", kind=Kind.DEPARTMENT, parent=world.province)
    response = client_for(world.province_staff).get(reverse("inspections:expert-create"))
    offered = list(response.context["form"].fields["area"].queryset)
    assert offered == [world.shijiazhuang, world.tangshan, department]
