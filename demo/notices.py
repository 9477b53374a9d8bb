"""Demo data of the notices app, for `manage.py seed_demo`.

The first notice is the user's own document (shared/seed/notice-2014.txt) in Markdown,
with the personal mobile numbers taken out. The contact page carries the office's
numbers only: no personal names, no mobile numbers.
"""

from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from notices import services
from notices.models import ContactInfo, Notice, Visibility

TEXTS = Path(__file__).resolve().parent / "demo_texts"
ISSUER = "河北省思想政治工作研究会"

SEED_NOTICE = {
    "title": "关于开展河北省人文关怀心理疏导示范点创建活动的通知",
    "doc_number": "冀研发【2014】1号",
    "issuer": ISSUER,
    "issued_on": date(2014, 3, 14),
    "visibility": Visibility.PUBLIC,
}


def _further_notices(today: date) -> list[tuple[dict, bool]]:
    """The demo notices after the seed notice: (fields, publish?)."""
    maintenance_day = today + timedelta(days=7)
    return [
        (
            {
                "title": "关于使用示范点创建管理平台开展创建申报工作的通知",
                "doc_number": "",
                "issuer": ISSUER,
                "issued_on": today - timedelta(days=20),
                "visibility": Visibility.PUBLIC,
                "body": _text("platform.md"),
            },
            True,
        ),
        (
            {
                "title": "关于按季度报送示范点创建活动进展情况的通知",
                "doc_number": "",
                "issuer": ISSUER,
                "issued_on": today - timedelta(days=6),
                "visibility": Visibility.INTERNAL,
                "body": _text("progress.md"),
            },
            True,
        ),
        (
            {
                "title": "平台系统维护公告",
                "doc_number": "",
                "issuer": ISSUER,
                "issued_on": today,
                "visibility": Visibility.PUBLIC,
                "body": _text("maintenance.md").format(day=f"{maintenance_day.month}月{maintenance_day.day}日"),
            },
            False,  # a draft, so that the demo shows the provincial office one
        ),
    ]


def _text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


def seed_notice_body() -> str:
    """The 2014 notice in Markdown, without the personal mobile numbers."""
    return _text("notice_2014.md")


@transaction.atomic
def seed_notices(*, author) -> None:
    """Create the demo notices, written and published by `author` (a provincial office
    user) through the services, so that they are audited like any other. The first one
    is the 2014 notice. Idempotent: a notice whose title is already there is skipped."""
    existing = set(Notice.objects.values_list("title", flat=True))
    wanted = [({**SEED_NOTICE, "body": seed_notice_body()}, True), *_further_notices(timezone.localdate())]
    for fields, publish in wanted:
        if fields["title"] in existing:
            continue
        notice = services.create_notice(actor=author, **fields)
        if publish:
            services.publish_notice(actor=author, notice=notice)


def seed_contact() -> None:
    """Fill the contact page with the office's numbers from the 2014 notice. Idempotent:
    does nothing once the page has been filled in (by the seed or by the office)."""
    if ContactInfo.objects.exists():
        return
    services.update_contact(
        actor=None,
        phone="0311-87904020、0311-87807697",
        fax="0311-87904020",
        email="hebeirwgh@163.com",
        address="石家庄市维明南大街46号省委宣传部政研会",
        postcode="050052",
        note="",
    )
