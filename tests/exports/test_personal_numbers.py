"""The units' workbook reads sealed contact phones: whole for the provincial
administrator (audited as unmasked), masked for everyone else, never the sealed text."""

import pytest

from audit.models import AuditRecord
from organisations.models import Organisation
from tests.core.test_personal_numbers import stored
from tests.exports.helpers import export, rows_of, workbook_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "shown", "masked"),
    [
        ("province_admin", "13812345678", False),
        ("province_staff", "138****5678", True),
        ("sjz_association", "138****5678", True),
    ],
)
def test_units_export_opens_sealed_phones_and_masks_them_by_role(world, client_for, who, shown, masked):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(contact_phone="13812345678")
    assert stored(Organisation, world.sjz_unit.pk, "contact_phone").startswith("enc:")
    job = export(client_for(getattr(world, who)))
    cells = [str(cell) for row in rows_of(workbook_of(job).active) for cell in row if cell is not None]
    assert shown in cells
    assert not any(cell.startswith("enc:") for cell in cells)
    record = AuditRecord.objects.get(action="export.table")
    assert record.details["masked"] == masked
