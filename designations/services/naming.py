"""Naming (命名): the provincial admin names scored applications in one announcement,
or declines one with reasons.

Certificate numbers come from one CertificateCounter row per campaign and year, locked
while it is increased, so they are consecutive and never given twice even when two
announcements are issued at once. Each application moves to named through
applications.workflow (audited, the unit notified), and the announcement is published
as a notice listing the named sites.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from applications.models import Application, State
from applications.workflow import transition
from audit.services import record_event
from campaigns.validators import format_certificate_number
from core.roles import Role
from designations.models import CertificateCounter, Designation, NamingAnnouncement
from notices.models import Visibility
from notices.services import create_notice, publish_notice


def _require_admin(actor) -> None:
    if not (actor.is_authenticated and actor.role == Role.PROVINCE_ADMIN):
        raise PermissionDenied


def _next_serials(*, campaign, year: int, count: int) -> list[int]:
    counter, _created = CertificateCounter.objects.get_or_create(campaign=campaign, year=year)
    counter = CertificateCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last_serial + 1
    counter.last_serial += count
    counter.save(update_fields=["last_serial"])
    return list(range(first, first + count))


def _notice_body(announcement, designations) -> str:
    """The announcement as the provincial office writes a 公文 (Markdown, in Chinese
    whatever the language of whoever announces it): the addressees, the grounds, the
    decision with the number of units, the numbered list of the named units with their
    certificate numbers, the closing expectations, then the issuing body and the date."""
    campaign = announcement.campaign
    with translation.override(settings.LANGUAGE_CODE):
        grounds = (
            _(
                "In accordance with “%(campaign)s” (%(doc_number)s), after application, registration, preliminary "
                "review and on-site inspection, it has been decided to name the following %(count)d units "
                "“%(title)s”:"
            )
            if campaign.doc_number
            else _(
                "After application, registration, preliminary review and on-site inspection, it has been decided "
                "to name the following %(count)d units “%(title)s”:"
            )
        )
        lines = [
            _("To the associations of the cities and industry systems, and every unit concerned:"),
            "",
            grounds
            % {
                "campaign": campaign.name,
                "doc_number": campaign.doc_number,
                "count": len(designations),
                "title": campaign.named_title,
            },
            "",
        ]
        certificate = _("certificate No. %(number)s")
        lines += [
            f"{number}. {designation.unit.name}（{certificate % {'number': designation.certificate_number}}）"
            for number, designation in enumerate(designations, start=1)
        ]
        lines += [
            "",
            _(
                "The named units are to cherish the honour, keep improving their work and lead by example; the "
                "associations are to spread their practices, so that humanistic care and psychological counselling "
                "reach every grassroots unit."
            ),
            "",
            announcement.issuer,
            "",
            formats.date_format(announcement.issued_on, "DATE_FORMAT"),
        ]
    return "\n".join(lines)


@transaction.atomic
def announce_naming(
    *,
    actor,
    campaign,
    applications: list[Application],
    title: str,
    doc_number: str,
    issued_on: datetime.date,
    issuer: str,
) -> NamingAnnouncement:
    """Name `applications` (scored, of `campaign`, whose team result meets the naming
    standard) in one announcement. Gives each a certificate number in registration
    order, moves it to named, publishes the announcement as a public notice and notifies
    the units. Province admin only (PermissionDenied); ValidationError, and nothing
    written, when an application may not be named or a field is wrong."""
    _require_admin(actor)
    if not applications:
        raise ValidationError({"applications": _("Choose at least one application to name.")})
    errors = {}
    if not (doc_number or "").strip():
        errors["doc_number"] = _("Give the document number of the announcement.")
    if not (title or "").strip():
        errors["title"] = _("Give the title of the announcement.")
    if not (issuer or "").strip():
        errors["issuer"] = _("Give the issuing body.")
    if errors:
        raise ValidationError(errors)
    ids = [a.pk for a in applications]
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("unit", "campaign")
        .order_by("registration_number", "pk")
    )
    refused = []
    for application in locked:
        result = _result_of(application)
        if application.campaign_id != campaign.pk or application.state != State.SCORED:
            refused.append(
                _("%(unit)s is not a scored application of this campaign.") % {"unit": application.unit.name}
            )
        elif result is None or not result.meets_standard:
            refused.append(
                _("%(unit)s does not meet the naming standard according to its inspection.")
                % {"unit": application.unit.name}
            )
    if refused or len(locked) != len(set(ids)):
        raise ValidationError({"applications": refused or [_("An application could not be found.")]})
    try:
        with transaction.atomic():
            announcement = NamingAnnouncement.objects.create(
                campaign=campaign,
                title=title.strip(),
                doc_number=doc_number.strip(),
                issued_on=issued_on,
                issuer=issuer.strip(),
                created_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError({"doc_number": _("An announcement with this document number already exists.")}) from error
    serials = _next_serials(campaign=campaign, year=issued_on.year, count=len(locked))
    designations = []
    for application, serial in zip(locked, serials, strict=True):

        def effect(app, serial=serial):
            designations.append(
                Designation.objects.create(
                    application=app,
                    unit=app.unit,
                    campaign=campaign,
                    announcement=announcement,
                    year=issued_on.year,
                    serial=serial,
                    certificate_number=format_certificate_number(
                        campaign.certificate_pattern, year=issued_on.year, serial=serial
                    ),
                    named_on=issued_on,
                )
            )

        transition(application=application, name="name", actor=actor, effect=effect)
    notice = create_notice(
        actor=actor,
        title=announcement.title,
        doc_number=announcement.doc_number,
        issuer=announcement.issuer,
        issued_on=announcement.issued_on,
        body=_notice_body(announcement, designations),
        visibility=Visibility.PUBLIC,
    )
    notice = publish_notice(actor=actor, notice=notice)
    announcement.notice = notice
    announcement.save(update_fields=["notice"])
    record_event(
        actor=actor,
        action="designation.announce",
        obj=announcement,
        details={"designations": [d.certificate_number for d in designations], "notice": notice.pk},
    )
    return announcement


def _result_of(application):
    from inspections.models import InspectionStatus, Result

    return Result.objects.filter(
        inspection__application=application, inspection__status=InspectionStatus.FINALISED
    ).first()


def decline_naming(*, actor, application: Application, reason: str) -> Application:
    """Decline to name a scored application, with reasons the unit reads; it may apply
    again in a later round. Province admin only; TransitionError from the workflow."""
    _require_admin(actor)
    return transition(application=application, name="decline", actor=actor, reason=reason)
