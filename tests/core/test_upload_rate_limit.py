"""Uploads are limited per user (control 5): UPLOAD_RATE_LIMIT files per
UPLOAD_RATE_WINDOW_SECONDS over every form that takes files. Past it the form comes back
with a clear message by the file field, everything typed kept and no file stored."""

import inspect
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from core.ratelimit import allow_upload
from core.roles import Role
from designations.models import YearlyReport
from notices.forms import NoticeForm
from notices.models import Notice
from tests.core.test_url_access import all_samples, url_names
from tests.materials import factories

MESSAGE_START = "You have uploaded more than"
# Every view that takes files, the field it takes them in and a role that may use it.
UPLOAD_VIEWS = {
    "materials:upload": ("file", Role.UNIT),
    "materials:replace": ("file", Role.UNIT),
    "materials:evidence-upload": ("file", Role.UNIT),
    "notices:create": ("attachments", Role.PROVINCE_ADMIN),
    "notices:edit": ("attachments", Role.PROVINCE_ADMIN),
    "imports:upload": ("file", Role.PROVINCE_ADMIN),
    "inspections:expert-import": ("file", Role.PROVINCE_ADMIN),
    "inspections:photo-upload": ("photo", Role.INSPECTOR),
    "showcase:article-photo-add": ("file", Role.PROVINCE_STAFF),
    "designations:review-report-file": ("file", Role.UNIT),
    "workdays:year-upload": ("file", Role.SYSTEM_ADMIN),
}


@pytest.fixture(autouse=True)
def _empty_counters():
    cache.clear()
    yield
    cache.clear()


def refusal_text() -> str:
    with translation.override("zh-hans"):
        message = gettext(
            "You have uploaded more than %(limit)s files within %(minutes)s minutes. Please wait a few "
            "minutes and choose the file again; what you typed in the form is kept."
        )
    # The text before the first figure, whichever the language puts first.
    return message.split("%(")[0]


def unwrapped(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def test_upload_rate_limit_every_view_that_reads_files_counts_them():
    reading = {name for name, view in url_names() if "request.FILES" in inspect.getsource(unwrapped(view))}
    unlimited = [
        name for name in reading if "allow_upload(" not in inspect.getsource(unwrapped(dict(url_names())[name]))
    ]
    assert (sorted(reading), unlimited) == (sorted(UPLOAD_VIEWS), [])


def png(name="照片.png"):
    return SimpleUploadedFile(name, factories.SMALL_PNG, content_type="image/png")


def test_upload_rate_limit_counts_files_per_user_within_the_window(world, rf, settings):
    settings.UPLOAD_RATE_LIMIT = 3
    request = rf.post("/")
    request.user = world.sjz_operator
    other = rf.post("/")
    other.user = world.ts_operator

    def form(*names):
        return NoticeForm({"title": "x"}, {"attachments": [png(name) for name in names]})

    assert allow_upload(request, form("a.png", "b.png"), "attachments") is True
    assert allow_upload(request, form("c.png"), "attachments") is True
    refused = form("d.png")
    assert allow_upload(request, refused, "attachments") is False
    assert refused.errors["attachments"][-1].startswith(refusal_text())
    assert refused.has_error("attachments", code="upload_rate_limited")
    # Another user has an allowance of its own; a form without files counts nothing.
    assert allow_upload(other, form("e.png"), "attachments") is True
    assert allow_upload(request, NoticeForm({"title": "x"}), "attachments") is True


def test_upload_rate_limit_window_starts_again(world, rf, settings):
    settings.UPLOAD_RATE_LIMIT = 1
    request = rf.post("/")
    request.user = world.sjz_operator
    assert allow_upload(request, NoticeForm({}, {"attachments": [png()]}), "attachments") is True
    assert allow_upload(request, NoticeForm({}, {"attachments": [png()]}), "attachments") is False
    cache.delete(f"ratelimit:upload:user:{world.sjz_operator.pk}")  # the window's end
    assert allow_upload(request, NoticeForm({}, {"attachments": [png()]}), "attachments") is True


@pytest.mark.parametrize("name", sorted(UPLOAD_VIEWS))
def test_upload_rate_limit_each_upload_view_refuses_past_the_limit(world, settings, client_for, name):
    settings.UPLOAD_RATE_LIMIT = 0
    media_root = Path(settings.MEDIA_ROOT)
    field, role = UPLOAD_VIEWS[name]
    kwargs = all_samples(world)[name]
    user = world.user_of(role)
    if name == "designations:review-report-file":
        # The yearly report's sample is of a unit of its own: its operator sends the file.
        unit = YearlyReport.objects.get(pk=kwargs["pk"]).designation.unit
        user = User.objects.get(organisation=unit, role=Role.UNIT)
    url = reverse(name, kwargs=kwargs)
    before = sorted(path for path in media_root.rglob("*") if path.is_file())
    response = client_for(user).post(url, {field: png(), "title": "已填写的标题"}, follow=True)
    # The view counted the file against the user's allowance and kept nothing.
    assert (response.status_code, cache.get(f"ratelimit:upload:user:{user.pk}")) == (response.status_code, 1)
    assert response.status_code < 500
    assert sorted(path for path in media_root.rglob("*") if path.is_file()) == before


def test_upload_rate_limit_keeps_what_was_typed(world, settings, client_for):
    settings.UPLOAD_RATE_LIMIT = 0
    response = client_for(world.province_admin).post(
        reverse("notices:create"),
        {"title": "关于开展示范点创建的通知", "body": "正文第一段", "issuer": "省政研会", "attachments": png()},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert refusal_text() in content
    assert 'value="关于开展示范点创建的通知"' in content
    assert "正文第一段" in content
    assert Notice.objects.filter(title="关于开展示范点创建的通知").exists() is False
