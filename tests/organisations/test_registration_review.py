from audit.models import AuditRecord
from organisations.models import Status


def test_association_of_another_city_cannot_approve(world, client_for):
    response = client_for(world.ts_association).post(f"/organisations/registrations/{world.pending_unit.pk}/approve/")
    world.pending_unit.refresh_from_db()
    assert (response.status_code, world.pending_unit.status) == (404, Status.PENDING)


def test_pending_list_shows_only_the_own_area(world, client_for):
    mine = client_for(world.sjz_association).get("/organisations/registrations/")
    theirs = client_for(world.ts_association).get("/organisations/registrations/")
    assert [o.pk for o in mine.context["page_obj"]] == [world.pending_unit.pk]
    assert list(theirs.context["page_obj"]) == []


def test_refusal_needs_a_reason(world, client_for):
    response = client_for(world.sjz_association).post(
        f"/organisations/registrations/{world.pending_unit.pk}/refuse/", {"reason": "  "}
    )
    world.pending_unit.refresh_from_db()
    assert (response.status_code, world.pending_unit.status) == (200, Status.PENDING)
    assert list(response.context["form"].errors) == ["reason"]


def test_approval_is_audited_with_its_states(world, client_for):
    client_for(world.province_staff).post(f"/organisations/registrations/{world.pending_unit.pk}/approve/")
    record = AuditRecord.objects.get(action="organisation.approve")
    assert (record.actor, record.from_state, record.to_state, record.ip) == (
        world.province_staff,
        Status.PENDING,
        Status.ACTIVE,
        "127.0.0.1",
    )


def test_a_decided_registration_cannot_be_decided_again(world, client_for):
    client = client_for(world.sjz_association)
    client.post(f"/organisations/registrations/{world.pending_unit.pk}/approve/")
    client.post(f"/organisations/registrations/{world.pending_unit.pk}/approve/")
    assert AuditRecord.objects.filter(action="organisation.approve").count() == 1
