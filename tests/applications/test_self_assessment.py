from decimal import Decimal

import pytest

from applications import services
from tests.applications import factories


@pytest.fixture
def draft(world):
    return services.start_application(actor=world.sjz_operator, unit=world.sjz_unit, campaign=factories.campaign())


def save(client, application, row, score, account="已开展"):
    prefix = f"i{row.indicator_id}"
    return client.post(
        f"/applications/{application.pk}/indicators/{row.indicator_id}/",
        {f"{prefix}-score": score, f"{prefix}-account": account},
        headers={"hx-request": "true"},
    )


def test_starting_makes_one_row_per_indicator_of_the_standard(draft):
    assert draft.indicators.count() == 20


def test_autosave_stores_the_score_and_returns_the_new_total(world, client_for, draft):
    row = draft.indicators.first()
    response = save(client_for(world.sjz_operator), draft, row, "4.5")
    row.refresh_from_db()
    assert (response.status_code, row.score, row.account) == (200, Decimal("4.5"), "已开展")
    assert 'data-total="4.5"' in response.content.decode()


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "5.3", "-1", "6", "1e3"])
def test_autosave_refuses_a_bad_score_and_keeps_the_old_one(world, client_for, draft, bad):
    row = draft.indicators.first()
    save(client_for(world.sjz_operator), draft, row, "3")
    response = save(client_for(world.sjz_operator), draft, row, bad)
    row.refresh_from_db()
    assert (response.status_code, row.score) == (422, Decimal("3"))
    assert 'data-field-error="score"' in response.content.decode()


def test_another_unit_cannot_save_into_the_application(world, client_for, draft):
    row = draft.indicators.first()
    response = save(client_for(world.ts_operator), draft, row, "5")
    row.refresh_from_db()
    assert (response.status_code, row.score) == (404, None)


def test_the_page_without_javascript_saves_with_a_button_and_comes_back(world, client_for, draft):
    row = draft.indicators.first()
    prefix = f"i{row.indicator_id}"
    response = client_for(world.sjz_operator).post(
        f"/applications/{draft.pk}/indicators/{row.indicator_id}/", {f"{prefix}-score": "2", f"{prefix}-account": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{draft.pk}/assessment/#indicator-{row.indicator_id}"


def test_assessment_page_lists_what_is_missing_before_submission(world, client_for, draft):
    response = client_for(world.sjz_operator).get(f"/applications/{draft.pk}/assessment/")
    assert response.status_code == 200
    assert len(response.context["problems"]) == 41


def test_assessment_page_query_count_is_bounded(world, client_for, draft, django_assert_max_num_queries):
    client = client_for(world.sjz_operator)
    with django_assert_max_num_queries(25):
        response = client.get(f"/applications/{draft.pk}/assessment/")
    assert response.status_code == 200
