"""The certificate (荣誉证书) of a named site: a printable A4 landscape PDF in Chinese with
the Noto CJK fonts embedded, and a QR code that opens the public verification page.

A certificate is regenerated from its record whenever it is asked for, so the same
record gives the same bytes every time: the words are always Chinese (whoever downloads
it, whatever language they read the platform in), the PDF's dates are the date of
naming, its file identifier is derived from the certificate number, and nothing is
fetched. Nothing here writes or checks access: the view does.
"""

import hashlib
import urllib.parse

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

TEMPLATE = "designations/certificate_pdf.html"
# A certificate is a Chinese document whoever prints it.
LANGUAGE = "zh-hans"


def verification_url(designation) -> str:
    """The absolute address of the public page that verifies `designation`'s certificate
    (what its QR code opens), on the platform's public address settings.PLATFORM_URL."""
    number = urllib.parse.quote(designation.certificate_number)
    return f"{settings.PLATFORM_URL.rstrip('/')}{reverse('showcase:verify')}?number={number}"


def qr_code(url: str) -> segno.QRCode:
    """The QR code of `url`, with error correction level M (readable with a stain or a
    crease on the paper)."""
    return segno.make(url, error="m")


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline <svg> (no width or height: the template sizes
    it), with the quiet zone of 4 modules that scanners need."""
    return qr_code(url).svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, dark="#000")


def _date(value) -> str:
    # zh-hans DATE_FORMAT: 2026年11月20日.
    return formats.date_format(value, "DATE_FORMAT")


# The award sentence gets smaller as the names get longer, so that a long unit name
# (up to 200 characters) and title (up to 100) still fit in the frame, on one page.
AWARD_SIZES = ((70, "normal"), (150, "long"))
LONGEST = "longest"


def award_size(designation) -> str:
    """The size class of the award sentence for the length of the names it holds."""
    length = len(designation.unit.name) + len(designation.campaign.named_title)
    return next((size for limit, size in AWARD_SIZES if length <= limit), LONGEST)


# A title up to this long never breaks across lines (河北省人文关怀心理疏导示范点 has 14).
WHOLE_TITLE = 30

# A heading longer than a few characters (a translation that is not Chinese) is set
# smaller and without the wide letter spacing, so that it keeps to one line.
SHORT_HEADING = 8


def _award(designation) -> str:
    """The sentence of the award, with the unit's name and the title set off for print;
    the translated words are escaped, the values are escaped by format_html."""
    sentence = _("%(unit)s: after review, named “%(title)s”.")
    return mark_safe(  # noqa: S308 (escaped words, values escaped by format_html)
        conditional_escape(sentence)
        % {
            "unit": format_html('<span class="unit">{}</span>', designation.unit.name),
            "title": format_html(
                '<span class="title{}">{}</span>',
                " whole" if len(designation.campaign.named_title) <= WHOLE_TITLE else "",
                designation.campaign.named_title,
            ),
        }
    )


def certificate_content(designation) -> dict:
    """Everything the certificate shows, in Chinese. `designation` comes with its `unit`,
    `campaign` and `announcement` (select_related them)."""
    with translation.override(LANGUAGE):
        announcement = designation.announcement
        url = verification_url(designation)
        heading = _("Certificate of Honour")
        return {
            "language": LANGUAGE,
            "heading": heading,
            "heading_size": "normal" if len(heading) <= SHORT_HEADING else "wide",
            "award": _award(designation),
            "award_size": award_size(designation),
            "closing": _("This certificate is hereby awarded."),
            "unit": designation.unit.name,
            "named_title": designation.campaign.named_title,
            "number_line": _("Certificate No. %(number)s") % {"number": designation.certificate_number},
            "document_line": _("Naming document: %(doc_number)s") % {"doc_number": announcement.doc_number},
            "issuer": announcement.issuer,
            "date": _date(designation.named_on),
            # Pinned PDF metadata: W3C dates, the date of naming for both.
            "created": designation.named_on.isoformat(),
            "qr": mark_safe(qr_svg(url)),  # noqa: S308 (segno's SVG: only its own markup and numbers)
            "qr_caption": _("Scan to verify"),
        }


def certificate_html(designation) -> str:
    """The HTML the PDF is printed from."""
    context = certificate_content(designation)
    with translation.override(LANGUAGE):
        return render_to_string(TEMPLATE, context)


def _identifier(designation) -> bytes:
    """The PDF's file identifier (/ID), fixed for the certificate rather than random or
    hashed from content that could vary."""
    return hashlib.sha256(designation.certificate_number.encode()).hexdigest()[:32].encode()


def render_certificate(designation):
    """The laid-out WeasyPrint document of the certificate (one A4 landscape page).
    Nothing is fetched: the QR code is inline SVG, and a fetcher that allows no protocol
    makes sure nothing slips in through the data."""
    # Imported here: WeasyPrint loads Pango and the fonts, which only the PDF needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = certificate_html(designation)
    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=())).render()


def certificate_pdf(designation) -> bytes:
    """The certificate of `designation` as PDF bytes, identical for the same record."""
    return render_certificate(designation).write_pdf(pdf_identifier=_identifier(designation))
