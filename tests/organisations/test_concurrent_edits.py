from organisations.models import Kind
from tests.concurrency import assert_refused, audit_count, edit_token


def county_data(**changes):
    return {"name": "长安区", "kind": Kind.COUNTY, "sector": "", "region_code": "130102", **changes}


def test_concurrent_edits_of_an_organisation_refuse_the_second_save(world, client_for):
    url = f"/organisations/{world.changan.pk}/edit/"
    first, second = client_for(world.province_admin), client_for(world.province_staff)
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))

    saved = second.post(url, county_data(address="中山路 1 号", edit_token=token_second))
    assert saved.status_code == 302
    before = audit_count()

    refused = first.post(url, county_data(address="建设大街 9 号", edit_token=token_first))

    assert_refused(refused, typed="建设大街 9 号", by=world.province_staff.username)
    assert "中山路 1 号" in refused.content.decode()  # the saved version, to merge with
    world.changan.refresh_from_db()
    assert world.changan.address == "中山路 1 号"
    assert audit_count() == before


def test_concurrent_edits_of_an_organisation_save_after_merging(world, client_for):
    url = f"/organisations/{world.changan.pk}/edit/"
    first, second = client_for(world.province_admin), client_for(world.province_staff)
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    second.post(url, county_data(address="中山路 1 号", edit_token=token_second))
    refused = first.post(url, county_data(address="建设大街 9 号", edit_token=token_first))

    # The refused form carries the current token: saving again (after merging) goes through.
    merged = first.post(url, county_data(address="中山路 1 号、建设大街 9 号", edit_token=edit_token(refused)))

    assert merged.status_code == 302
    world.changan.refresh_from_db()
    assert world.changan.address == "中山路 1 号、建设大街 9 号"


def test_concurrent_edits_of_an_organisation_single_save_works(world, client_for):
    url = f"/organisations/{world.changan.pk}/edit/"
    client = client_for(world.province_staff)
    token = edit_token(client.get(url))
    before = audit_count()

    assert client.post(url, county_data(name="长安区（新）", edit_token=token)).status_code == 302

    world.changan.refresh_from_db()
    assert world.changan.name == "长安区（新）"
    assert audit_count() == before + 1


def test_concurrent_edits_of_an_organisation_same_values_are_no_conflict(world, client_for):
    url = f"/organisations/{world.changan.pk}/edit/"
    first, second = client_for(world.province_admin), client_for(world.province_staff)
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    second.post(url, county_data(address="中山路 1 号", edit_token=token_second))

    # Both typed the same: nothing of anybody's is lost, so the second save is no conflict.
    assert first.post(url, county_data(address="中山路 1 号", edit_token=token_first)).status_code == 302


def _admin_client(user, client_for):
    from django.contrib.auth.models import Permission

    from accounts.models import User

    codenames = ["view_organisation", "change_organisation"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return client_for(User.objects.get(pk=user.pk))


def _admin_data(page, **changes):
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    return {**data, **changes}


def test_concurrent_edits_of_an_organisation_in_the_admin_refuse_the_second_save(world, client_for):
    from core.roles import Role
    from tests.factories import make_user

    colleague = make_user(role=Role.SYSTEM_ADMIN, organisation=world.province, username="sysadmin2")
    first, second = _admin_client(world.system_admin, client_for), _admin_client(colleague, client_for)
    url = f"/admin/organisations/organisation/{world.changan.pk}/change/"
    page_first, page_second = first.get(url), second.get(url)
    assert second.post(url, _admin_data(page_second, address="中山路 1 号")).status_code == 302
    before = audit_count()

    refused = first.post(url, _admin_data(page_first, address="建设大街 9 号"))

    assert refused.status_code == 200
    content = refused.content.decode()
    assert "建设大街 9 号" in content
    assert colleague.username in content
    world.changan.refresh_from_db()
    assert world.changan.address == "中山路 1 号"
    assert audit_count() == before
