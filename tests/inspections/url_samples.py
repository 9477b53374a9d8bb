from accounts.roles import Role
from inspections.services import scoring
from tests.factories import make_organisation, make_user
from tests.inspections import factories
from tests.materials.factories import JPEG, upload

try:
    from tests.inspections.pool_samples import pool_samples
except ImportError:  # the expert pool's samples, while its pages are being written

    def pool_samples(world):
        return {}


def _operator(world, name):
    return make_user(role=Role.UNIT, organisation=make_organisation(name=name, parent=world.changan))


def samples(world) -> dict[str, dict]:
    # The world's inspector leads this inspection, so that its role walk is let in.
    # Units of their own: the world's units are taken by the other apps' samples.
    inspection = factories.planned(
        world, application=factories.awaiting(world, operator=_operator(world, "样例考察单位"))
    )
    waiting = factories.awaiting(world, operator=_operator(world, "样例待考察单位"))
    sheet = inspection.sheets.get(inspector__user=world.inspector)
    indicator = inspection.application.version.categories.first().indicators.first()
    photo = scoring.add_photo(
        actor=world.inspector, sheet=sheet, indicator_id=indicator.pk, upload=upload("现场.jpg", JPEG)
    )
    return {
        **pool_samples(world),
        "inspections:list": {},
        "inspections:mine": {},
        "inspections:plan": {"application_pk": waiting.pk},
        "inspections:detail": {"pk": inspection.pk},
        "inspections:edit": {"pk": inspection.pk},
        "inspections:cancel": {"pk": inspection.pk},
        "inspections:finalise": {"pk": inspection.pk},
        "inspections:sheet": {"pk": sheet.pk},
        "inspections:score-save": {"pk": sheet.pk, "indicator_pk": indicator.pk},
        "inspections:vetoes-save": {"pk": sheet.pk},
        "inspections:photo-upload": {"pk": sheet.pk},
        "inspections:sheet-submit": {"pk": sheet.pk},
        "inspections:sheet-reopen": {"pk": sheet.pk},
        "inspections:photo": {"pk": photo.pk},
        "inspections:photo-thumbnail": {"pk": photo.pk},
        "inspections:report-pdf": {"pk": inspection.pk},
        "inspections:report-xlsx": {"pk": inspection.pk},
    }
