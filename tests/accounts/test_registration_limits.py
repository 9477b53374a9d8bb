"""Self-registration is bounded per client address: so many registration requests an
hour (then 429 with a Chinese page), and so many registrations of the last 24 hours
awaiting their association's decision (then a clear message and nothing created). A
registration keeps the address it came from."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import User
from audit.models import AuditRecord
from organisations.models import Organisation
from organisations.services import approve_registration
from tests.accounts.registration_helpers import register, registration_data

HOME = "10.1.2.3"
ELSEWHERE = "10.9.8.7"
PENDING_LIMIT_MESSAGE = (
    "您所在网络地址在 24 小时内提交的注册已有 3 个正在等待审核，已达上限，本次注册未保存。"
    "请待所属政研会审核后或明天再提交。"
)


def _unit(world, number: int) -> dict:
    return registration_data(
        world, unit_name=f"育才街道第{number}社区", username=f"yucai{number}", email=f"yucai{number}@example.cn"
    )


def test_registration_requests_beyond_the_hourly_limit_of_an_address_get_429(world, client, settings):
    settings.REGISTRATION_POSTS_PER_HOUR = 3
    for _ in range(3):
        assert register(client, _unit(world, 1), typed="WRONG", address=HOME).status_code == 200
    refused = register(client, _unit(world, 1), address=HOME)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    page = refused.content.decode()
    assert "一小时内从您所在网络地址提交的注册已超过 3 次。请一小时后再提交。" in page
    # What was typed waits in the form, the passwords aside.
    assert 'value="育才街道第1社区"' in page
    assert 'value="yucai1"' in page
    assert "Peach-2026-pass" not in page
    assert not Organisation.objects.filter(name="育才街道第1社区").exists()
    # Another address is not held up.
    assert register(client, _unit(world, 1), address=ELSEWHERE).status_code == 302


def test_the_page_itself_is_not_limited(world, client, settings):
    settings.REGISTRATION_POSTS_PER_HOUR = 1
    for _ in range(3):
        assert client.get("/accounts/register/", REMOTE_ADDR=HOME).status_code == 200


def test_registrations_awaiting_approval_are_capped_per_address(world, client, settings):
    settings.REGISTRATION_PENDING_PER_ADDRESS = 3
    for number in range(3):
        assert register(client, _unit(world, number), address=HOME).status_code == 302
    before = (Organisation.objects.count(), User.objects.count())
    response = register(client, _unit(world, 3), address=HOME)
    assert response.status_code == 200
    assert [str(message) for message in response.context["form"].non_field_errors()] == [PENDING_LIMIT_MESSAGE]
    assert 'data-error="pending_limit"' in response.content.decode()
    assert 'value="育才街道第3社区"' in response.content.decode()
    assert (Organisation.objects.count(), User.objects.count()) == before
    refusal = AuditRecord.objects.get(action="organisation.self_register_refused")
    assert (refusal.ip, refusal.result, refusal.reason) == (HOME, AuditRecord.Result.FAILED, "pending_limit")
    # Units registering from elsewhere are not held up.
    assert register(client, _unit(world, 3), address=ELSEWHERE).status_code == 302


def test_a_registration_keeps_the_address_it_came_from(world, client):
    register(client, _unit(world, 1), address=HOME)
    unit = Organisation.objects.get(name="育才街道第1社区")
    record = AuditRecord.objects.get(action="organisation.self_register", object_id=str(unit.pk))
    assert record.ip == HOME


def test_decided_registrations_no_longer_count(world, client, settings):
    settings.REGISTRATION_PENDING_PER_ADDRESS = 2
    for number in range(2):
        register(client, _unit(world, number), address=HOME)
    approve_registration(actor=world.sjz_association, organisation=Organisation.objects.get(name="育才街道第0社区"))
    assert register(client, _unit(world, 2), address=HOME).status_code == 302
    assert register(client, _unit(world, 3), address=HOME).status_code == 200


def test_registrations_older_than_a_day_no_longer_count(world, client, settings):
    settings.REGISTRATION_PENDING_PER_ADDRESS = 1
    register(client, _unit(world, 0), address=HOME)
    assert register(client, _unit(world, 1), address=HOME).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        # A new visit: yesterday's session has ended.
        assert register(Client(), _unit(world, 1), address=HOME).status_code == 302
