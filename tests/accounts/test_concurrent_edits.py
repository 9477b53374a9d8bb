"""Two managers editing one account at once (the system administrator and the city's
association): the second save is refused."""

from django.urls import reverse

from accounts.models import User
from tests.concurrency import assert_refused, audit_count


def _form_data(page, **changes):
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "username"}
    return {**data, **changes}


def test_concurrent_edits_of_an_account_refuse_the_second_save(world, client_for):
    url = reverse("accounts:user-edit", args=[world.sjz_operator.pk])
    first, second = client_for(world.system_admin), client_for(world.sjz_association)
    page_first, page_second = first.get(url), second.get(url)
    assert second.post(url, _form_data(page_second, display_name="王红")).status_code == 302
    before = audit_count()

    refused = first.post(url, _form_data(page_first, display_name="李明"))

    assert_refused(refused, typed="李明", by=world.sjz_association.username)
    assert User.objects.get(pk=world.sjz_operator.pk).display_name == "王红"
    assert audit_count() == before


def test_concurrent_edits_of_an_account_single_save_works(world, client_for):
    url = reverse("accounts:user-edit", args=[world.sjz_operator.pk])
    client = client_for(world.system_admin)

    assert client.post(url, _form_data(client.get(url), display_name="李明")).status_code == 302

    assert User.objects.get(pk=world.sjz_operator.pk).display_name == "李明"
