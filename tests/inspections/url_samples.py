from applications import services as application_services
from core.roles import PROVINCE_ROLES, Role
from inspections.services import scoring
from tests.core.scope import EVERY_OBJECT
from tests.factories import make_organisation, make_tangshan_operator, make_user
from tests.inspections import factories
from tests.inspections.pool_samples import pool_samples
from tests.materials.factories import JPEG, upload


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
        "inspections:record-visit": {"pk": inspection.pk},
        "inspections:visit-ics": {"pk": inspection.pk},
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


def out_of_scope_samples(world) -> dict[str, dict]:
    """An inspection of a 唐山 unit by a team without the world's inspector lies outside
    that inspector: its sheets, photos and reports too. The province sees every
    inspection, but not a unit's draft (it cannot plan an inspection of it). An expert's
    declared conflict is removed through its own expert only."""
    team = [factories.make_inspector(name=f"唐山专家{index}", organisation=world.province) for index in range(1, 6)]
    application = factories.awaiting(world, operator=make_tangshan_operator(world, "唐山样例考察单位"))
    inspection = factories.planned(world, application=application, team=team[: application.campaign.team_size])
    sheet = inspection.sheets.get(inspector=team[0])
    indicator = application.version.categories.first().indicators.first()
    photo = scoring.add_photo(
        actor=team[0].user, sheet=sheet, indicator_id=indicator.pk, upload=upload("现场.jpg", JPEG)
    )
    drafting = make_tangshan_operator(world, "唐山样例未申报单位")
    draft = application_services.start_application(
        actor=drafting, unit=drafting.organisation, campaign=application.campaign
    )
    province = dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT)
    outside = {Role.INSPECTOR: {"pk": inspection.pk}}
    outside_sheet = {Role.INSPECTOR: {"pk": sheet.pk}}
    outside_photo = {**province, Role.INSPECTOR: {"pk": photo.pk}}
    other_expert = team[1]
    conflict = other_expert.conflicts.create(organisation=world.ts_unit)
    return {
        "inspections:plan": {key: {"application_pk": draft.pk} for key in PROVINCE_ROLES},
        "inspections:detail": {**province, **outside},
        "inspections:edit": province,
        "inspections:cancel": province,
        "inspections:record-visit": outside,
        # A unit reads the visit of its own application only.
        "inspections:visit-ics": {**province, **outside, Role.UNIT: {"pk": inspection.pk}},
        "inspections:finalise": outside,
        "inspections:sheet": {**province, **outside_sheet},
        "inspections:score-save": {Role.INSPECTOR: {"pk": sheet.pk, "indicator_pk": indicator.pk}},
        "inspections:vetoes-save": outside_sheet,
        "inspections:photo-upload": outside_sheet,
        "inspections:sheet-submit": outside_sheet,
        "inspections:sheet-reopen": outside_sheet,
        "inspections:photo": outside_photo,
        "inspections:photo-thumbnail": outside_photo,
        "inspections:report-pdf": {**province, **outside},
        "inspections:report-xlsx": {**province, **outside},
        "inspections:expert-edit": province,
        "inspections:expert-toggle": province,
        "inspections:expert-login": province,
        "inspections:expert-conflict-add": province,
        "inspections:expert-conflict-remove": {
            key: {"pk": team[0].pk, "conflict_pk": conflict.pk} for key in PROVINCE_ROLES
        },
    }
