"""Every view that takes files, given malformed and hostile ones, refuses them cleanly.

A truncated PDF or JPEG, a zip bomb dressed as .xlsx or .docx (1 GiB of zeros in about
1 MB), polyglots (GIF or JPEG header before HTML and script; a PDF that is also a zip),
empty files, files under another type's extension, and a valid file under a huge name
full of control characters: each must get an answer below 500, and all but the last
must change nothing. The bomb must not be unpacked: every upload answers within
SECONDS_PER_UPLOAD (unpacking the bomb alone takes longer). Views that read
request.FILES are found in the source; one missing from UPLOADS fails the test.
"""

import inspect
import time
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import AuditRecord
from core.roles import Role
from designations.models import YearlyReport
from materials.models import Kind
from showcase.models import ExperienceArticle
from tests.core import malformed_files
from tests.core.test_scope_walk import fingerprint
from tests.core.test_url_access import all_samples, read_through, url_names
from tests.factories import make_organisation, make_user
from tests.materials.factories import JPEG, PDF, first_indicator, make_material
from tests.showcase import factories as showcase_factories
from tests.workdays.factories import holiday_workbook

SECONDS_PER_UPLOAD = 4


def _report_target(world, samples):
    kwargs = samples["designations:review-report-file"]
    report = YearlyReport.objects.select_related("designation").get(pk=kwargs["pk"])
    return User.objects.get(organisation_id=report.designation.unit_id, role=Role.UNIT), kwargs


def _draft_article_target(world, samples):
    # The sample article is published, and a published article takes no new photos.
    article = ExperienceArticle.objects.select_related("designation").get(
        pk=samples["showcase:article-photo-add"]["pk"]
    )
    draft = showcase_factories.draft(article.designation)
    return showcase_factories.operator_of(article.designation), {"pk": draft.pk}


def _fresh_operator(world):
    # The world's unit has an application under review, which freezes its materials.
    return make_user(role=Role.UNIT, organisation=make_organisation(name="上传样例单位", parent=world.changan))


def _materials_target(world, samples):
    return _fresh_operator(world), {}


def _material_target(world, samples):
    operator = _fresh_operator(world)
    return operator, {"pk": make_material(operator=operator).pk}


@dataclass
class Upload:
    """How a view takes a file: the field, the other fields a valid post carries, who
    posts, a file it accepts, and whether accepting it writes to the database."""

    field: str
    role: str
    good: tuple[str, bytes]
    data: object = field(default=lambda world, samples: {})
    target: object = None  # (user, URL kwargs) when not the role's user on the in-scope sample
    persists: bool = True


def _notice_fields(world, samples) -> dict:
    return {
        "title": "关于开展心理疏导工作的通知",
        "doc_number": "",
        "issuer": "河北省思想政治工作研究会",
        "issued_on": "2026-01-05",
        "visibility": "public",
        "body": "正文。",
    }


UPLOADS = {
    "materials:upload": Upload(
        "file",
        Role.UNIT,
        ("材料.pdf", PDF),
        lambda world, samples: {"kind": Kind.SUPPORTING, "title": "佐证材料"},
        target=_materials_target,
    ),
    "materials:replace": Upload("file", Role.UNIT, ("材料.pdf", PDF), target=_material_target),
    "materials:evidence-upload": Upload(
        "file",
        Role.UNIT,
        ("佐证.pdf", PDF),
        lambda world, samples: {"indicator": first_indicator().pk},
        target=_materials_target,
    ),
    "imports:upload": Upload("file", Role.PROVINCE_STAFF, ("名单.xlsx", "imports:template")),
    "inspections:expert-import": Upload(
        "file", Role.PROVINCE_STAFF, ("专家.xlsx", "inspections:expert-template"), persists=False
    ),
    "inspections:photo-upload": Upload(
        "photo",
        Role.INSPECTOR,
        ("现场.jpg", JPEG),
        lambda world, samples: {"indicator": samples["inspections:score-save"]["indicator_pk"]},
    ),
    "designations:review-report-file": Upload("file", Role.UNIT, ("年度报告.pdf", PDF), target=_report_target),
    "notices:create": Upload(
        "attachments",
        Role.PROVINCE_STAFF,
        ("附件.pdf", PDF),
        _notice_fields,
    ),
    "notices:edit": Upload(
        "attachments",
        Role.PROVINCE_STAFF,
        ("附件.pdf", PDF),
        _notice_fields,
    ),
    "showcase:article-photo-add": Upload(
        "file",
        Role.UNIT,
        ("咨询室.jpg", JPEG),
        lambda world, samples: {"alt_text": "心理咨询室内景", "caption": "咨询室"},
        target=_draft_article_target,
    ),
    "workdays:year-upload": Upload(
        "file",
        Role.PROVINCE_ADMIN,
        ("2050年节假日.xlsx", holiday_workbook([("2050-01-03", "放假", "元旦")])),
        lambda world, samples: {"doc_number": "国办发明电〔2049〕1号"},
    ),
}


@pytest.fixture(autouse=True)
def _no_upload_allowance(settings):
    # The hourly allowance would refuse these uploads before they are looked at.
    settings.UPLOAD_RATE_LIMIT = 100_000


@pytest.fixture(scope="module")
def hostile_files():
    return malformed_files.malformed(
        malformed_files.zip_bomb("xl/worksheets/sheet1.xml"), malformed_files.zip_bomb("word/document.xml")
    )


def reads_files(view) -> bool:
    return "request.FILES" in inspect.getsource(inspect.unwrap(view))


def poster(world, samples, name):
    upload = UPLOADS[name]
    if upload.target:
        user, kwargs = upload.target(world, samples)
    else:
        user, kwargs = world.user_of(upload.role), samples[name]
    client = Client()
    client.force_login(user)
    return client, reverse(name, kwargs=kwargs)


def good_file(client, samples, upload) -> tuple[str, bytes]:
    """The accepted file; an import's is its own template, downloaded."""
    name, content = upload.good
    if isinstance(content, str):
        response = client.get(reverse(content, kwargs=samples.get(content) or {}))
        content = b"".join(response.streaming_content) if response.streaming else response.content
    return name, content


def send(client, url, upload, world, samples, file_name, content):
    started = time.monotonic()
    response = client.post(url, {**upload.data(world, samples), upload.field: SimpleUploadedFile(file_name, content)})
    read_through(response)
    return response, time.monotonic() - started


def successes():
    return AuditRecord.objects.filter(result=AuditRecord.Result.SUCCESS).count()


def test_every_view_that_reads_files_is_fuzzed():
    readers = {name for name, view in url_names() if reads_files(view)}
    assert readers - set(UPLOADS) == set(), "add these views to UPLOADS"


def test_every_upload_view_accepts_a_good_file(world):
    """The control: with the data of UPLOADS a good file gets through, so the refusals
    below are the files' doing."""
    samples = all_samples(world)
    refused = []
    for name, upload in UPLOADS.items():
        client, url = poster(world, samples, name)
        before = fingerprint()
        response, _seconds = send(client, url, upload, world, samples, *good_file(client, samples, upload))
        stored = fingerprint() != before
        if response.status_code >= 400 or (upload.persists and not stored):
            refused.append((name, response.status_code))
    assert refused == [], "\n".join(map(repr, refused))


def test_every_upload_view_refuses_malformed_files_cleanly(world, hostile_files):
    samples = all_samples(world)
    wrong = []
    for name, upload in UPLOADS.items():
        client, url = poster(world, samples, name)
        for case, file_name, content in hostile_files:
            before, audited = fingerprint(), successes()
            response, seconds = send(client, url, upload, world, samples, file_name, content)
            if response.status_code >= 500:
                wrong.append((name, case, response.status_code))
            if seconds > SECONDS_PER_UPLOAD:
                wrong.append((name, case, f"{seconds:.1f} s"))
            changed = [table for table, digest in fingerprint().items() if before.get(table) != digest]
            if changed or successes() != audited:
                wrong.append((name, case, "stored", changed))
    assert wrong == [], "\n".join(map(repr, wrong))


def test_every_upload_view_survives_a_hostile_file_name(world):
    """A good file under a 300-character name with NUL, line breaks and a right-to-left
    mark: refused or stored, never a server error."""
    samples = all_samples(world)
    wrong = []
    for name, upload in UPLOADS.items():
        client, url = poster(world, samples, name)
        good_name, content = good_file(client, samples, upload)
        hostile_name = malformed_files.LONG_NAME.removesuffix("fdp.pdf") + "." + good_name.rsplit(".", 1)[1]
        response, _seconds = send(client, url, upload, world, samples, hostile_name, content)
        if response.status_code >= 500:
            wrong.append((name, response.status_code))
    assert wrong == [], "\n".join(map(repr, wrong))
