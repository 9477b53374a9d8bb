"""The registration button says what registering does: a first registration takes the
campaign's next number; an application that has one keeps it (a resubmission goes back to
review without the button at all)."""

import html

from applications import services
from applications.models import Application, State
from tests.applications import factories


def _register_dialog(client, application) -> str:
    page = html.unescape(client.get(f"/applications/{application.pk}/").content.decode())
    start = page.index(f'action="/applications/{application.pk}/register/"')
    return page[start : page.index(">", start)]


def test_the_first_registration_says_a_new_number_is_given(world, client_for):
    application = factories.submitted(world)
    assert "下一个登记号" in _register_dialog(client_for(world.province_staff), application)


def test_a_resubmitted_application_is_reviewed_without_registering_again(world, client_for):
    application = factories.registered(world)
    services.review_application(
        actor=world.province_staff, application=application, decision="return", reason="材料不全"
    )
    application.refresh_from_db()
    application = services.submit_application(actor=world.sjz_operator, application=application)
    page = client_for(world.province_staff).get(f"/applications/{application.pk}/").content.decode()
    assert f'action="/applications/{application.pk}/register/"' not in page
    assert 'data-testid="review"' in page


def test_an_application_resubmitted_before_the_change_is_told_it_keeps_its_number(world, client_for):
    # Resubmissions made before returned applications went straight back to review
    # wait as "submitted" with their number: registering them gives no new one.
    application = factories.registered(world)
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    dialog = _register_dialog(client_for(world.province_staff), application)
    assert "下一个登记号" not in dialog
    assert f"保留登记号 {application.registration_code}" in dialog
