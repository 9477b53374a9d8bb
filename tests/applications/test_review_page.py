from applications.models import Review, State
from tests.applications import factories


def test_returning_without_reasons_is_refused_next_to_the_field_and_changes_nothing(world, client_for):
    application = factories.registered(world)
    note_field = f"note-{application.indicators.first().indicator_id}"
    response = client_for(world.province_staff).post(
        f"/applications/{application.pk}/review/", {"decision": "return", "reason": " ", note_field: "请补充"}
    )
    application.refresh_from_db()
    assert (response.status_code, application.state, Review.objects.count()) == (422, State.REGISTERED, 0)
    assert list(response.context["form"].errors) == ["reason"]
    # What the reviewer typed comes back in the page.
    assert "请补充" in response.content.decode()


def test_a_return_keeps_the_notes_by_indicator(world, client_for):
    application = factories.registered(world)
    indicator_id = application.indicators.first().indicator_id
    client_for(world.province_staff).post(
        f"/applications/{application.pk}/review/",
        {"decision": "return", "reason": "材料不全", f"note-{indicator_id}": "请补充成立文件"},
    )
    review = Review.objects.get()
    assert (review.decision, review.reason, review.round) == ("return", "材料不全", 1)
    assert list(review.notes.values_list("indicator_id", "note")) == [(indicator_id, "请补充成立文件")]


def test_only_a_registered_application_can_be_reviewed(world, client_for):
    application = factories.submitted(world)
    response = client_for(world.province_staff).get(f"/applications/{application.pk}/review/")
    assert response.status_code == 302
    assert Review.objects.count() == 0


def test_an_application_without_a_submitted_round_is_refused_not_a_500(world, client_for):
    application = factories.registered(world)
    application.snapshots.all().delete()
    response = client_for(world.province_staff).post(
        f"/applications/{application.pk}/review/", {"decision": "return", "reason": "材料不全"}
    )
    application.refresh_from_db()
    assert (response.status_code, application.state, Review.objects.count()) == (302, State.REGISTERED, 0)
