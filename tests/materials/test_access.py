"""The walk of tests/core/test_url_access.py over the materials URLs only, and the data
scope of every page and file by URL."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from core.roles import Role
from materials.models import Kind
from tests.core.test_url_access import url_names
from tests.materials.conftest import read_streamed
from tests.materials.factories import JPEG, PDF, make_material, upload
from tests.materials.url_samples import samples


def app_url_names() -> set[str]:
    _namespace, resolver = get_resolver().namespace_dict["materials"]
    return {f"materials:{name}" for name in resolver.reverse_dict if isinstance(name, str)}


def test_access_url_samples_cover_every_url_name_of_the_app(world):
    kwargs = samples(world)
    assert set(kwargs) == app_url_names()
    for name, values in kwargs.items():
        assert reverse(name, kwargs=values).startswith("/materials/")


@pytest.mark.parametrize("role", [None, *Role.values])
def test_access_every_materials_url_answers_each_role_as_declared(world, role):
    kwargs = samples(world)
    client = Client()
    user = world.user_of(role) if role else None
    if user:
        client.force_login(user)
    wrong = []
    for name, view in url_names():
        if not name.startswith("materials:"):
            continue
        response = client.get(reverse(name, kwargs=kwargs[name]))
        read_streamed(response)
        allowed = user is not None and user.role in view.access.roles
        login_redirect = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        if allowed and (response.status_code == 403 or login_redirect or response.status_code >= 500):
            wrong.append((name, response.status_code))
        if not allowed and user is None and not login_redirect:
            wrong.append((name, response.status_code))
        if not allowed and user is not None and response.status_code != 403:
            wrong.append((name, response.status_code))
    assert wrong == []


@pytest.fixture
def files(world):
    """A PDF and an image of the 石家庄 unit."""
    pdf = make_material(operator=world.sjz_operator, file=upload("工作方案.pdf", PDF))
    image = make_material(operator=world.sjz_operator, file=upload("活动照片.jpg", JPEG))
    return {"pdf": pdf.current_version, "image": image.current_version, "material": pdf}


def file_urls(files) -> list[str]:
    return [
        reverse("materials:version-download", args=[files["pdf"].pk]),
        reverse("materials:version-preview", args=[files["pdf"].pk]),
        reverse("materials:version-download", args=[files["image"].pk]),
        reverse("materials:version-thumbnail", args=[files["image"].pk]),
        reverse("materials:detail", args=[files["material"].pk]),
    ]


def statuses(client, urls) -> list[int]:
    codes = []
    for url in urls:
        response = client.get(url)
        read_streamed(response)
        codes.append(response.status_code)
    return codes


@pytest.mark.parametrize("who", ["sjz_operator", "sjz_association", "province_staff", "province_admin"])
def test_access_files_answer_those_who_may_see_the_unit(world, client_for, files, who):
    assert statuses(client_for(getattr(world, who)), file_urls(files)) == [200] * 5


@pytest.mark.parametrize("who", ["ts_operator", "ts_association", "inspector", "pending_operator"])
def test_access_files_of_another_unit_answer_404(world, client_for, files, who):
    assert statuses(client_for(getattr(world, who)), file_urls(files)) == [404] * 5


@pytest.mark.parametrize("who", ["system_admin", "security_admin", "audit_admin"])
def test_access_it_roles_are_refused_the_files(world, client_for, files, who):
    assert statuses(client_for(getattr(world, who)), file_urls(files)) == [403] * 5


def test_access_anonymous_is_sent_to_sign_in(client, files):
    for url in file_urls(files):
        response = client.get(url)
        assert (url, response.status_code, response["Location"].startswith("/accounts/login/")) == (url, 302, True)


def test_access_operator_of_another_unit_cannot_change_by_url(world, client_for, files, media_root):
    material = files["material"]
    client = client_for(world.ts_operator)
    replace = client.post(reverse("materials:replace", args=[material.pk]), {"file": upload("替换.pdf", PDF)})
    remove = client.post(reverse("materials:remove", args=[material.pk]))
    assert (replace.status_code, remove.status_code) == (404, 404)
    material.refresh_from_db()
    assert (material.removed, material.versions.count()) == (False, 1)


def test_access_unit_page_lists_only_its_own_unit(world, client_for):
    make_material(operator=world.ts_operator, title="唐山的材料")
    mine = make_material(operator=world.sjz_operator, title="石家庄的材料")
    response = client_for(world.sjz_operator).get(reverse("materials:mine"))
    assert [m.pk for m in response.context["page_obj"]] == [mine.pk]
    assert "唐山的材料" not in response.content.decode()


def test_access_evidence_of_another_unit_is_not_shown(world, client_for):
    make_material(operator=world.ts_operator, kind=Kind.EVIDENCE, title="唐山佐证")
    response = client_for(world.sjz_operator).get(reverse("materials:evidence"))
    assert response.status_code == 200
    assert 'data-evidence-count="1"' not in response.content.decode()
