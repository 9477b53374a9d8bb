"""Every stored file handed out leaves one audit record (issue 18, item 8): who, which
object and file (and version), and the organisation the file belongs to. Pictures shown
inline on a page are downloads too, one record per request; a missing file or a file
outside the reader's scope leaves none, nor does a visitor without a login reading a
public file."""

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from designations.services import review
from inspections.services import scoring
from jobs.models import Job
from jobs.services import start_job
from jobs.testing import run_queued_jobs
from materials.models import Material
from materials.services import upload_material
from tests.designations.test_yearly_review import NAMED_ON, named, open_round
from tests.inspections import factories as inspection_factories
from tests.jobs import kinds  # noqa: F401 -- registers the test kinds
from tests.materials.factories import JPEG, campaign, first_indicator, make_material, pdf_upload, upload
from tests.materials.test_pdf_first_page import ONE_PAGE
from tests.notices.factories import make_notice
from tests.showcase import factories as showcase_factories

ACTION = "file.download"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def fetch(client, url):
    """GET `url`, the streamed file read to its end (which closes it)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def download_records():
    return list(AuditRecord.objects.filter(action=ACTION).order_by("pk"))


def only_new_record(client, url, before):
    """The one record the GET of `url` wrote (the test fails when it wrote none or more)."""
    response = fetch(client, url)
    assert response.status_code == 200
    new = [record for record in download_records() if record.pk not in before]
    assert len(new) == 1
    return new[0]


def expected(record, *, actor, obj, file, part, organisation, version=None):
    """The record's who/what/scope next to what the test expects of it."""
    details = {
        "file": file,
        "part": part,
        "organisation": organisation.pk if organisation is not None else None,
        "organisation_name": organisation.name if organisation is not None else "",
    }
    if version is not None:
        details["version"] = version
    got = (
        record.actor_id,
        record.actor_name,
        record.object_type,
        record.object_id,
        {key: record.details.get(key) for key in details},
        record.result,
    )
    want = (actor.pk, actor.username, obj._meta.label_lower, str(obj.pk), details, AuditRecord.Result.SUCCESS)
    return got, want


def test_downloads_audited_material_file_preview_first_page_and_thumbnail(world, client_for):
    pdf = upload_material(
        actor=world.sjz_operator,
        unit=world.sjz_unit,
        campaign=campaign(),
        kind=Material.Kind.EVIDENCE,
        indicator=first_indicator(),
        file=pdf_upload("佐证.pdf", ONE_PAGE),
    )
    image = make_material(operator=world.sjz_operator, file=upload("现场照片.jpg", JPEG)).current_version
    reader = world.sjz_association
    client = client_for(reader)
    cases = [
        ("materials:version-download", pdf, "file"),
        ("materials:version-preview", pdf, "preview"),
        ("materials:version-page", pdf, "page"),
        ("materials:version-thumbnail", image, "thumbnail"),
    ]
    for url_name, version, part in cases:
        record = only_new_record(client, reverse(url_name, args=[version.pk]), {r.pk for r in download_records()})
        got, want = expected(
            record,
            actor=reader,
            obj=version,
            file=version.original_name,
            part=part,
            organisation=world.sjz_unit,
            version=version.number,
        )
        assert got == want, url_name
    assert record.details["shown"] is True


def test_downloads_audited_yearly_report_file(world, client_for):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    operator = designation.unit.users.get()
    item = review.add_report_file(actor=operator, report=report, upload=pdf_upload("年度报告.pdf"))
    url = reverse("designations:review-file", args=[item.pk])
    record = only_new_record(client_for(world.province_staff), url, set())
    got, want = expected(
        record, actor=world.province_staff, obj=item, file="年度报告.pdf", part="file", organisation=designation.unit
    )
    assert got == want
    assert record.details["shown"] is False


def test_downloads_audited_notice_attachment_for_a_signed_in_reader_only(world, client, client_for):
    notice = make_notice(author=world.province_staff, files=[upload("细则.pdf", b"%PDF-1.4\n%%EOF\n")])
    attachment = notice.attachments.get()
    url = reverse("notices:attachment-download", args=[attachment.pk])
    record = only_new_record(client_for(world.ts_operator), url, set())
    got, want = expected(
        record, actor=world.ts_operator, obj=attachment, file="细则.pdf", part="file", organisation=world.province
    )
    assert got == want
    # A public notice's attachment read without a login names nobody: no record.
    assert fetch(client, url).status_code == 200
    assert len(download_records()) == 1


def test_downloads_audited_inspection_photo_and_its_thumbnail(world, client_for):
    inspection = inspection_factories.planned(world)
    sheet = inspection.sheets.get(inspector__user=world.inspector)
    indicator = inspection.application.version.categories.first().indicators.first()
    photo = scoring.add_photo(
        actor=world.inspector, sheet=sheet, indicator_id=indicator.pk, upload=upload("现场.jpg", JPEG)
    )
    unit = inspection.application.unit
    client = client_for(world.province_staff)
    for url_name, part in [("inspections:photo", "file"), ("inspections:photo-thumbnail", "thumbnail")]:
        before = {r.pk for r in download_records()}
        record = only_new_record(client, reverse(url_name, args=[photo.pk]), before)
        got, want = expected(
            record, actor=world.province_staff, obj=photo, file="现场.jpg", part=part, organisation=unit
        )
        assert got == want, url_name


def test_downloads_audited_article_photo_for_a_signed_in_reader_only(world, client, client_for):
    unit, operator = showcase_factories.new_unit(world, name="照片社区")
    site = showcase_factories.site_of(world, operator)
    article = showcase_factories.published(site, staff=world.province_staff, photos=1)
    photo = article.photos.get()
    for url_name, part in [("showcase:photo", "file"), ("showcase:photo-thumbnail", "thumbnail")]:
        url = reverse(url_name, args=[photo.pk])
        before = {r.pk for r in download_records()}
        record = only_new_record(client_for(world.ts_association), url, before)
        got, want = expected(
            record, actor=world.ts_association, obj=photo, file=photo.original_name, part=part, organisation=unit
        )
        assert got == want, url_name
        assert fetch(client, url).status_code == 200
    assert len(download_records()) == 2


def test_downloads_audited_job_result(world, client_for):
    job = start_job(kind="tests.count", owner=world.province_staff, params={"n": 2})
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    record = only_new_record(client_for(world.province_staff), reverse("jobs:download", args=[job.pk]), set())
    got, want = expected(
        record,
        actor=world.province_staff,
        obj=job,
        file=job.result_name or "result",
        part="file",
        organisation=world.province,
    )
    assert got == want


def test_downloads_missing_or_out_of_scope_file_leaves_no_record(world, client_for, media_root):
    version = make_material(operator=world.sjz_operator, file=pdf_upload("总结.pdf")).current_version
    url = reverse("materials:version-download", args=[version.pk])
    assert fetch(client_for(world.ts_operator), url).status_code == 404
    (media_root / version.file.name).unlink()
    assert fetch(client_for(world.sjz_operator), url).status_code == 404
    assert download_records() == []
