import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.roles import PROVINCE_ROLES, Role
from notices import services
from notices.models import Notice, State
from tests.notices import factories
from tests.notices.factories import make_notice, upload

OTHER_ROLES = sorted(set(Role.values) - set(PROVINCE_ROLES))


@pytest.fixture
def urls(world):
    notice = make_notice(author=world.province_staff, files=[upload("附件.pdf", factories.PDF)])
    attachment = notice.attachments.get()
    return {
        "create": reverse("notices:create"),
        "edit": reverse("notices:edit", kwargs={"pk": notice.pk}),
        "publish": reverse("notices:publish", kwargs={"pk": notice.pk}),
        "withdraw": reverse("notices:withdraw", kwargs={"pk": notice.pk}),
        "attachment-remove": reverse("notices:attachment-remove", kwargs={"pk": attachment.pk}),
        "contact-edit": reverse("notices:contact-edit"),
    }


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_permissions_only_the_provincial_office_writes(world, client_for, urls, role):
    client = client_for(world.user_of(role))
    answers = {
        name: client.post(url, {"reason": "试图撤回", "title": "篡改"}).status_code for name, url in urls.items()
    }
    assert answers == dict.fromkeys(urls, 403)
    assert Notice.objects.get().state == State.PUBLISHED


def test_permissions_anonymous_is_sent_to_sign_in(client, urls):
    for url in urls.values():
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(PROVINCE_ROLES))
def test_permissions_provincial_office_opens_the_forms(world, client_for, urls, role):
    client = client_for(world.user_of(role))
    assert client.get(urls["create"]).status_code == 200
    assert client.get(urls["edit"]).status_code == 200
    assert client.get(urls["contact-edit"]).status_code == 200


def test_permissions_services_refuse_other_roles(world):
    with pytest.raises(PermissionDenied):
        services.create_notice(
            actor=world.sjz_association,
            title="越权",
            issuer="某市政研会",
            issued_on="2026-11-01",
            body="正文",
            visibility="public",
        )
    with pytest.raises(PermissionDenied):
        services.update_contact(actor=world.sjz_operator, phone="123")


def test_permissions_edit_of_unknown_notice_is_404(world, client_for):
    assert client_for(world.province_staff).get(reverse("notices:edit", kwargs={"pk": 999999})).status_code == 404
