"""Applications in a given state, made through the real services wherever possible."""

from decimal import Decimal

from applications import services
from applications.models import Application
from campaigns.selectors import current_campaign
from materials.models import Material
from materials.services import upload_material
from tests.materials.factories import pdf_upload


def campaign():
    return current_campaign()


def full_draft(world, *, operator=None, unit=None, score=Decimal("5")) -> Application:
    """A draft whose every indicator has a score and an evidence file, and a work summary."""
    operator = operator or world.sjz_operator
    unit = unit or operator.organisation
    application = services.start_application(actor=operator, unit=unit, campaign=campaign())
    for row in application.indicators.all():
        services.save_indicator(
            actor=operator, application=application, indicator_id=row.indicator_id, score=score, account="已落实"
        )
        upload_material(
            actor=operator,
            unit=unit,
            campaign=application.campaign,
            kind=Material.Kind.EVIDENCE,
            indicator=row.indicator,
            file=pdf_upload(f"佐证{row.indicator_id}.pdf"),
        )
    upload_material(
        actor=operator,
        unit=unit,
        campaign=application.campaign,
        kind=Material.Kind.WORK_SUMMARY,
        file=pdf_upload("工作总结.pdf"),
    )
    return application


def submitted(world, **kwargs) -> Application:
    application = full_draft(world, **kwargs)
    operator = kwargs.get("operator") or world.sjz_operator
    return services.submit_application(actor=operator, application=application)


def registered(world, **kwargs) -> Application:
    return services.register_application(actor=world.province_staff, application=submitted(world, **kwargs))
