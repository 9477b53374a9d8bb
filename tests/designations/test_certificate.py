"""The certificate of a named site: a one-page A4 landscape PDF in Chinese with the CJK
fonts embedded and a QR code of the public verification page, the same bytes every time
it is regenerated, and the view that hands it to the unit and to staff."""

import re
import time
import urllib.parse
import zlib

import pytest
import segno
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from weasyprint.formatting_structure.boxes import BlockBox, TextBox

from audit.models import AuditRecord
from campaigns.models import Campaign
from designations import certificate
from designations.models import Designation, DesignationStatus
from organisations.models import Organisation
from tests.designations import factories

PLATFORM_URL = "https://sfd.example.gov.cn/"
NUMBER = "冀人文心理示范〔2026〕第001号"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _platform_url(settings):
    settings.PLATFORM_URL = PLATFORM_URL


@pytest.fixture
def designation(world):
    named = factories.named(world)
    return Designation.objects.select_related("unit", "campaign", "announcement").get(pk=named.pk)


def _text(document) -> str:
    """The text WeasyPrint laid out on the pages (no pdftotext or pypdf on the machine)."""
    return "".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants(placeholders=True)
        if isinstance(box, TextBox)
    )


def _chunks(pdf: bytes) -> list[bytes]:
    """The PDF and each of its streams decompressed (objects sit in compressed object
    streams)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return chunks


def _font_descriptors(pdf: bytes) -> list[bytes]:
    return [d for chunk in _chunks(pdf) for d in re.findall(rb"<</Type /FontDescriptor.*?>>", chunk, flags=re.S)]


def _media_boxes(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) in points of each page's MediaBox, rounded."""
    boxes = []
    for chunk in _chunks(pdf):
        for match in re.finditer(rb"/MediaBox \[([^\]]+)\]", chunk):
            left, bottom, right, top = (float(value) for value in match.group(1).split())
            boxes.append((round(right - left), round(top - bottom)))
    return boxes


def _dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) of segno's SVG path: "M x y" and "m dx dy" move,
    "h n" draws n modules along the row y - 0.5."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([A-Za-z])([^A-Za-z]*)", path):
        values = [float(value) for value in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            dark.update((int(y), column) for column in range(int(x), int(x + values[0])))
            x += values[0]
        else:
            raise AssertionError(f"unexpected SVG path command {command}")
    return dark


def _modules_of(qr, *, border: int) -> set[tuple[int, int]]:
    return {
        (row + border, column + border)
        for row, line in enumerate(qr.matrix)
        for column, value in enumerate(line)
        if value
    }


def _revoke(designation) -> None:
    # The yearly review's revocation goes through the workflow; only the status matters here.
    Designation.objects.filter(pk=designation.pk).update(status=DesignationStatus.REVOKED)


def test_certificate_shows_the_unit_title_number_document_issuer_and_date(designation):
    text = _text(certificate.render_certificate(designation))
    announcement = designation.announcement

    assert designation.certificate_number == NUMBER
    assert gettext("Certificate of Honour") in text
    award = gettext("%(unit)s: after review, named “%(title)s”.") % {
        "unit": "石家庄第一中学",
        "title": designation.campaign.named_title,
    }
    assert award in text
    assert designation.campaign.named_title == "河北省人文关怀心理疏导示范点"
    assert gettext("Certificate No. %(number)s") % {"number": NUMBER} in text
    assert gettext("Naming document: %(doc_number)s") % {"doc_number": announcement.doc_number} in text
    assert announcement.issuer == "河北省思想政治工作研究会"
    assert announcement.issuer in text
    assert designation.named_on.isoformat() == "2026-11-20"
    assert "2026年11月20日" in text
    assert gettext("Scan to verify") in text


def test_certificate_is_chinese_whatever_the_language_of_the_reader(designation):
    chinese = certificate.certificate_pdf(designation)
    with translation.override("en"):
        english_reader = certificate.certificate_pdf(designation)

    assert english_reader == chinese


def test_certificate_prints_markup_in_names_as_text(world, designation):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(name="<b>石家庄</b>第一中学")
    designation.unit.refresh_from_db()

    html = certificate.certificate_html(designation)
    text = _text(certificate.render_certificate(designation))

    assert "&lt;b&gt;石家庄&lt;/b&gt;第一中学" in html
    assert "<b>石家庄</b>第一中学" in text


def _boxes_of(document, css_class: str) -> list:
    return [
        box
        for box in document.pages[0]._page_box.descendants(placeholders=True)
        if isinstance(box, BlockBox)
        and box.element is not None
        and css_class in (box.element.get("class") or "").split()
    ]


def _bottom(box) -> float:
    return box.position_y + box.margin_height()


def test_certificate_fits_the_longest_names_above_its_foot(world, designation):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(name="很长的单位名称" * 28 + "止")
    Campaign.objects.filter(pk=designation.campaign_id).update(named_title="很长的称号" * 20)
    longest = Designation.objects.select_related("unit", "campaign", "announcement").get(pk=designation.pk)
    assert (len(longest.unit.name), len(longest.campaign.named_title)) == (197, 100)

    document = certificate.render_certificate(longest)
    [closing] = _boxes_of(document, "closing")
    [foot] = _boxes_of(document, "foot")

    assert certificate.award_size(longest) == "longest"
    assert len(document.pages) == 1
    assert _bottom(closing) <= foot.position_y
    text = _text(document)
    assert longest.unit.name in text
    assert longest.campaign.named_title in text


def test_certificate_is_one_landscape_a4_page_with_cjk_fonts_embedded(designation):
    document = certificate.render_certificate(designation)
    pdf = certificate.certificate_pdf(designation)
    descriptors = _font_descriptors(pdf)
    names = [re.search(rb"/FontName /([^\s/<>]+)", d).group(1).decode() for d in descriptors]

    assert len(document.pages) == 1
    assert _media_boxes(pdf) == [(842, 595)]
    assert names != []
    # WeasyPrint names a font "ABCDEF+Noto-Serif-CJK-SC": a subset tag, then the family.
    for name in names:
        tag, _plus, family = name.partition("+")
        assert len(tag) == 6
        assert family.replace("-", "").startswith(("NotoSerifCJK", "NotoSansCJK"))
    assert all(b"/FontFile" in d for d in descriptors)


def test_certificate_gives_the_same_bytes_every_time(designation):
    first = certificate.certificate_pdf(designation)
    again = Designation.objects.select_related("unit", "campaign", "announcement").get(pk=designation.pk)
    second = certificate.certificate_pdf(again)

    assert first.startswith(b"%PDF-")
    assert first == second
    # The dates are the date of naming, not the time of printing.
    info = b"".join(_chunks(first))
    assert re.findall(rb"/CreationDate \(([^)]*)\)", info) == [b"D:20261120"]
    assert re.findall(rb"/ModDate \(([^)]*)\)", info) == [b"D:20261120"]


def test_verification_url_is_the_public_page_of_the_number(designation):
    url = certificate.verification_url(designation)

    assert url == "https://sfd.example.gov.cn/showcase/verify/?number=" + urllib.parse.quote(NUMBER)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(url).query) == {"number": [NUMBER]}


def test_certificate_qr_code_encodes_the_verification_url(designation):
    url = certificate.verification_url(designation)
    svg = certificate.qr_svg(url)
    expected = segno.make(url, error="m")
    size = expected.symbol_size(border=4)[0]

    assert svg in certificate.certificate_html(designation)
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert _dark_modules(svg) == _modules_of(expected, border=4)
    assert certificate.qr_code(url).matrix == expected.matrix
    assert not expected.is_micro


def test_certificate_builds_in_under_2_seconds(designation):
    certificate.certificate_pdf(designation)  # fonts loaded once per process

    # CPU time, so that other work on the machine does not make the test flaky.
    started = time.process_time()
    pdf = certificate.certificate_pdf(designation)
    elapsed = time.process_time() - started

    assert pdf.startswith(b"%PDF-")
    # Measured 0.35 s of CPU (0.45 to 0.7 s wall) on the 2-core machine, once the fonts are loaded.
    assert elapsed < 2


# The view


def _url(designation) -> str:
    return reverse("designations:certificate", kwargs={"pk": designation.pk})


def _status(client, designation) -> int:
    response = client.get(_url(designation))
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def test_certificate_view_gives_the_unit_its_certificate_as_an_attachment(world, client_for, designation):
    response = client_for(world.sjz_operator).get(_url(designation))
    content = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert content == certificate.certificate_pdf(designation)
    filename = gettext("Certificate-%(number)s.pdf") % {"number": NUMBER}
    assert response["Content-Disposition"] == content_disposition_header(True, filename)
    assert response["Cache-Control"] == "private, no-store"
    record = AuditRecord.objects.get(action="designation.certificate")
    assert (record.actor, record.object_type, record.object_id) == (
        world.sjz_operator,
        "designations.designation",
        str(designation.pk),
    )


def test_certificate_view_gives_staff_of_the_province_and_the_association_the_certificate(
    world, client_for, designation
):
    users = (world.province_admin, world.province_staff, world.sjz_association)

    statuses = [_status(client_for(user), designation) for user in users]

    assert statuses == [200, 200, 200]
    actors = set(AuditRecord.objects.filter(action="designation.certificate").values_list("actor", flat=True))
    assert actors == {user.pk for user in users}


def test_certificate_view_hides_the_certificate_from_other_units_and_areas(world, client_for, designation):
    users = (world.ts_operator, world.ts_association, world.inspector, world.system_admin, world.audit_admin)

    statuses = [_status(client_for(user), designation) for user in users]

    assert statuses == [404, 404, 403, 403, 403]
    assert AuditRecord.objects.filter(action="designation.certificate").count() == 0


def test_certificate_view_sends_anonymous_visitors_to_sign_in(client, designation):
    response = client.get(_url(designation))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_certificate_view_answers_404_for_an_unknown_site(world, client_for):
    response = client_for(world.province_staff).get(reverse("designations:certificate", kwargs={"pk": 999999}))

    assert response.status_code == 404


def test_revoked_certificate_is_gone_for_the_unit_but_staff_may_print_it(world, client_for, designation):
    _revoke(designation)

    statuses = [
        _status(client_for(user), designation)
        for user in (world.sjz_operator, world.province_staff, world.sjz_association)
    ]

    assert statuses == [404, 200, 200]
    actors = list(AuditRecord.objects.filter(action="designation.certificate").values_list("actor", flat=True))
    assert sorted(actors) == sorted([world.province_staff.pk, world.sjz_association.pk])


def test_certificate_of_a_second_site_is_that_units_own(world, client_for, designation):
    application = factories.scored(
        world, application=factories.inspection_factories.awaiting(world, operator=world.ts_operator)
    )
    second = factories.announce(world, [application]).designations.get()

    statuses = [
        _status(client_for(world.ts_operator), second),
        _status(client_for(world.ts_operator), designation),
        _status(client_for(world.sjz_operator), second),
    ]

    assert statuses == [200, 404, 404]
    assert second.certificate_number != designation.certificate_number


def _overlap(a, b) -> bool:
    return (
        a.position_x < b.position_x + b.margin_width()
        and b.position_x < a.position_x + a.margin_width()
        and a.position_y < _bottom(b)
        and b.position_y < _bottom(a)
    )


@pytest.mark.parametrize(
    "name", ["石家庄第一中学", "石家庄市长安区建设北大街街道育才社区居民委员会", "石家庄钢铁集团有限责任公司第三炼钢厂"]
)
def test_certificate_keeps_the_title_conferred_on_one_line(world, designation, name):
    Organisation.objects.filter(pk=world.sjz_unit.pk).update(name=name)
    site = Designation.objects.select_related("unit", "campaign", "announcement").get(pk=designation.pk)
    document = certificate.render_certificate(site)
    title_lines = {
        round(box.position_y)
        for box in document.pages[0]._page_box.descendants(placeholders=True)
        if isinstance(box, TextBox) and box.element is not None and "title" in (box.element.get("class") or "").split()
    }
    assert len(title_lines) == 1, title_lines
    assert "河北省人文关怀心理疏导示范点" in _text(document)


def test_certificate_has_a_place_for_the_seal_across_the_issuer_and_the_date(designation):
    document = certificate.render_certificate(designation)
    [seal] = _boxes_of(document, "seal")
    [issuer] = _boxes_of(document, "body")
    [date] = _boxes_of(document, "date")
    [qr] = _boxes_of(document, "caption")
    assert seal.width > 100  # about 42 mm: a seal's size
    assert _overlap(seal, issuer)
    assert _overlap(seal, date)
    assert not _overlap(seal, qr)
