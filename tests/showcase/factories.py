"""Named sites and experience articles for the showcase tests, made through the real services."""

import itertools

from core.roles import Role
from organisations.models import Sector
from showcase import services
from tests.designations import factories as designation_factories
from tests.factories import make_organisation, make_user
from tests.inspections import factories as inspection_factories
from tests.materials.factories import JPEG, upload

_numbers = itertools.count(1)

BODY = "## 一、主要做法\n\n建立心理咨询室，配备专兼职心理辅导员。\n\n## 二、工作成效\n\n职工满意度明显提升。"


def sjz_site(world):
    """石家庄第一中学, named (certificate 冀人文心理示范〔2026〕第001号 when it is the first)."""
    return designation_factories.named(world)


def site_of(world, operator, *, issued_on=None):
    """A named site of `operator`'s unit, through application, inspection and naming."""
    application = designation_factories.scored(
        world, application=inspection_factories.awaiting(world, operator=operator)
    )
    return designation_factories.announce(world, [application], issued_on=issued_on).designations.get()


def ts_site(world, **kwargs):
    """唐山钢铁公司, named."""
    return site_of(world, world.ts_operator, **kwargs)


def new_unit(world, *, name=None, parent=None, sector=Sector.COMMUNITY):
    """A further unit (of 石家庄 unless `parent` says otherwise) with its operator."""
    unit = make_organisation(name=name or f"示范单位{next(_numbers)}", parent=parent or world.changan, sector=sector)
    operator = make_user(role=Role.UNIT, organisation=unit, phone="13900000000")
    return unit, operator


def operator_of(designation):
    from accounts.models import User

    return User.objects.filter(organisation=designation.unit, role=Role.UNIT).order_by("pk").first()


def draft(designation, *, title=None, summary="心理关爱进班组，职工有了贴心人。", body=BODY, author=None):
    return services.create_article(
        actor=author or operator_of(designation),
        designation=designation,
        title=title or f"经验做法{next(_numbers)}",
        summary=summary,
        body=body,
    )


def photo(article, *, actor=None, alt_text="心理咨询室内，咨询师与职工面谈", caption="心理咨询室", name="咨询室.jpg"):
    return services.add_photo(
        actor=actor or operator_of(article.designation),
        article=article,
        upload=upload(name, JPEG),
        alt_text=alt_text,
        caption=caption,
    )


def submitted(designation, **kwargs):
    article = draft(designation, **kwargs)
    return services.submit_article(actor=operator_of(designation), article=article)


def published(designation, *, staff, photos=0, **kwargs):
    article = draft(designation, **kwargs)
    for _index in range(photos):
        photo(article)
    services.submit_article(actor=operator_of(designation), article=article)
    return services.publish_article(actor=staff, article=article)


def revoke(world, designation, *, on=None, doc_number="冀研字〔2027〕9号"):
    """Revoke the title through the application's workflow, as the yearly review does."""
    import datetime

    from applications.workflow import transition
    from designations.models import DesignationStatus

    def effect(application):
        designation.status = DesignationStatus.REVOKED
        designation.revoked_on = on or datetime.date(2027, 6, 1)
        designation.revoke_doc_number = doc_number
        designation.revoke_reason = "年度复核不合格：心理咨询室长期关闭。"
        designation.save(update_fields=["status", "revoked_on", "revoke_doc_number", "revoke_reason"])

    transition(
        application=designation.application,
        name="revoke",
        actor=world.province_admin,
        reason="年度复核不合格",
        effect=effect,
    )
    designation.refresh_from_db()
    return designation
