"""An inspection's visit as an iCalendar file (RFC 5545), for the unit's and the team's
calendars: one all-day event, the same UID for every download so that a calendar
updates the event when the visit moves instead of adding a second one."""

from datetime import UTC, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded (§3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return "\r\n ".join(part.decode() for part in out)


def visit_ics(inspection, *, host: str) -> bytes:
    """The calendar file of `inspection`'s visit (annotated with `leader_name`)."""
    unit = inspection.application.unit.name
    description = _("On-site inspection of %(unit)s at %(place)s.") % {"unit": unit, "place": inspection.place}
    if inspection.leader_name:
        description += " " + _("Team leader: %(leader)s.") % {"leader": inspection.leader_name}
    summary = _("On-site inspection: %(unit)s") % {"unit": unit}
    stamp = timezone.now().astimezone(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//shifandian//inspection visit//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:inspection-{inspection.pk}@{host}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{inspection.visit_date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{inspection.visit_date + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text(summary)}",
        f"LOCATION:{_text(inspection.place)}",
        f"DESCRIPTION:{_text(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
