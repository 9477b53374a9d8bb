"""A provincial staff member reads a unit's contact phone masked, reveals it with one
click (htmx, no page load) and the reveal is in the audit log."""

import pytest

from audit.models import AuditRecord
from organisations.models import Organisation
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_provincial_staff_reveals_a_masked_phone_and_the_view_is_audited(world, page):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_name="王红", contact_phone="13812345678")
    sign_in(page, world.province_staff)
    page.goto(f"/organisations/{world.sjz_unit.pk}/")
    number = page.locator("[data-personal-number='organisation-phone']")
    assert number.inner_text() == "138****5678"
    assert "13812345678" not in page.content()
    assert not AuditRecord.objects.filter(action="pii.unmask").exists()

    page.locator("[data-unmask='organisation-phone']").click()
    page.locator("[data-personal-number='organisation-phone'][data-revealed]").wait_for()
    assert number.inner_text() == "13812345678"
    assert page.url.endswith(f"/organisations/{world.sjz_unit.pk}/")  # swapped in place
    record = AuditRecord.objects.get(action="pii.unmask")
    assert (record.actor_id, record.object_type, record.object_id, record.details) == (
        world.province_staff.pk,
        "organisations.organisation",
        str(world.sjz_unit.pk),
        {"field": "contact_phone"},
    )
