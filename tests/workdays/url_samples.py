from datetime import date

from tests.core.scope import EVERY_OBJECT
from workdays.models import DayKind
from workdays.services import Day, save_year

YEAR = 2050


def samples(world) -> dict[str, dict]:
    save_year(
        actor=None, year=YEAR, doc_number="国办发明电〔2049〕1号", days=[Day(date(YEAR, 1, 3), DayKind.HOLIDAY, "元旦")]
    )
    year = {"year": YEAR}
    return {
        "workdays:year-list": {},
        "workdays:year-detail": year,
        "workdays:year-edit": year,
        "workdays:year-upload": year,
        "workdays:year-delete": year,
        "workdays:template": year,
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """One calendar for the whole platform: whoever may read it reads every year."""
    return dict.fromkeys(
        [
            "workdays:year-detail",
            "workdays:year-edit",
            "workdays:year-upload",
            "workdays:year-delete",
            "workdays:template",
        ],
        EVERY_OBJECT,
    )
