"""Two tabs or devices of one unit on its self-assessment, and an offline draft sent
again later: a row changed meanwhile is never written over."""

import re
from decimal import Decimal

import pytest

from applications import services
from tests.applications import factories
from tests.concurrency import assert_refused, edit_token

HTMX = {"hx-request": "true"}


@pytest.fixture
def draft(world):
    return services.start_application(actor=world.sjz_operator, unit=world.sjz_unit, campaign=factories.campaign())


def _save(client, application, row, *, score, account, token, headers=None):
    prefix = f"i{row.indicator_id}"
    return client.post(
        f"/applications/{application.pk}/indicators/{row.indicator_id}/",
        {f"{prefix}-score": score, f"{prefix}-account": account, f"{prefix}-edit_token": token},
        headers=headers or {},
    )


def _tokens(clients, application, row):
    name = f"i{row.indicator_id}-edit_token"
    return [edit_token(client.get(f"/applications/{application.pk}/assessment/"), name) for client in clients]


def test_concurrent_edits_of_a_self_assessment_row_refuse_the_second_save(world, client_for, draft):
    row = draft.indicators.first()
    first, second = client_for(world.sjz_operator), client_for(world.sjz_operator)
    token_first, token_second = _tokens((first, second), draft, row)
    assert _save(second, draft, row, score="4", account="手机上写的", token=token_second).status_code == 302

    refused = _save(first, draft, row, score="5", account="电脑上写的", token=token_first)

    assert_refused(refused, typed="电脑上写的", status=(422,))
    assert "手机上写的" in refused.content.decode()
    row.refresh_from_db()
    assert (row.score, row.account) == (Decimal("4"), "手机上写的")


def test_concurrent_edits_of_a_self_assessment_row_refuse_an_offline_draft_sent_later(world, client_for, draft):
    """The browser's draft (static/js/autosave.js) keeps the token it was typed against;
    sent again once the connection returns, it is refused with 409, which the script
    treats as an error: the draft stays in the browser and the row shows both versions."""
    row = draft.indicators.first()
    offline, online = client_for(world.sjz_operator), client_for(world.sjz_operator)
    token_offline, token_online = _tokens((offline, online), draft, row)
    assert (
        _save(online, draft, row, score="3", account="在线保存的", token=token_online, headers=HTMX).status_code == 200
    )

    replayed = _save(offline, draft, row, score="5", account="离线写的", token=token_offline, headers=HTMX)

    # The fragment shows the saved version; what was typed stays in the row's inputs.
    assert_refused(replayed, typed="在线保存的", status=(409,))
    row.refresh_from_db()
    assert (row.score, row.account) == (Decimal("3"), "在线保存的")
    # The row's form keeps the refused token and gets the current one in waiting: the
    # script puts it in place at the next keystroke, the merge, which then goes through.
    assert f'name="i{row.indicator_id}-edit_token"' not in replayed.content.decode()
    current = _pending_token(replayed)
    merged = _save(offline, draft, row, score="5", account="在线保存的；离线写的", token=current, headers=HTMX)
    assert merged.status_code == 200
    row.refresh_from_db()
    assert row.account == "在线保存的；离线写的"


def test_concurrent_edits_of_a_self_assessment_row_autosave_moves_the_token_on(world, client_for, draft):
    """One tab saving a row again and again is no conflict with itself: every answer
    carries the row's new token."""
    row = draft.indicators.first()
    client = client_for(world.sjz_operator)
    (token,) = _tokens((client,), draft, row)
    name = f"i{row.indicator_id}-edit_token"
    for account in ("第一稿", "第二稿", "第三稿"):
        response = _save(client, draft, row, score="4", account=account, token=token, headers=HTMX)
        assert response.status_code == 200
        token = _oob_token(response, name)
    row.refresh_from_db()
    assert row.account == "第三稿"


def _pending_token(response) -> str:
    match = re.search(r'data-pending-token="([0-9a-f]+)"', response.content.decode())
    assert match is not None
    return match[1]


def _oob_token(response, name) -> str:
    match = re.search(
        rf'name="{name}" id="[^"]*" value="([0-9a-f]+)"[^>]*hx-swap-oob="true"', response.content.decode()
    )
    assert match is not None
    return match[1]
