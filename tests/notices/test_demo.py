import re
from datetime import date

import pytest
from django.urls import reverse

from demo.notices import seed_contact, seed_notices
from notices.models import ContactInfo, ContactPerson, Notice, State, Visibility
from notices.services import update_contact

MOBILE = re.compile(r"1[3-9]\d{9}")
SEED_MOBILES = ("18803118666", "18631901091")


@pytest.fixture
def seeded(world):
    seed_notices(author=world.province_staff)
    seed_contact()
    return world


def test_demo_first_notice_is_the_2014_notice(seeded):
    first = Notice.objects.order_by("pk").first()
    assert (first.title, first.doc_number, first.issuer, first.issued_on) == (
        "关于开展河北省人文关怀心理疏导示范点创建活动的通知",
        "冀研发【2014】1号",
        "河北省思想政治工作研究会",
        date(2014, 3, 14),
    )
    assert (first.state, first.visibility) == (State.PUBLISHED, Visibility.PUBLIC)
    assert Notice.objects.order_by("issued_on", "pk").first() == first


def test_demo_seed_notice_keeps_the_whole_text_as_markdown(seeded, client):
    first = Notice.objects.order_by("pk").first()
    for heading in ("一、指导思想", "二、创建范围", "三、建设标准", "四、评价细则", "五、实施步骤", "六、有关具体事项"):
        assert f"# {heading}\n" in first.body
    for text in ("不搞集中申报", "整合资源、协同合作", "hebeirwgh@163.com", "报：中国思想政治工作研究会"):
        assert text in first.body
    content = client.get(reverse("notices:detail", kwargs={"pk": first.pk})).content.decode()
    assert "<h2>一、指导思想</h2>" in content
    assert "<h3>（一）组织管理工作</h3>" in content


def test_demo_no_mobile_number_anywhere(seeded, client):
    for notice in Notice.objects.all():
        assert MOBILE.findall(f"{notice.title} {notice.doc_number} {notice.body}") == []
    contact = ContactInfo.objects.get()
    contact_text = " ".join(
        [contact.phone, contact.fax, contact.email, contact.address, contact.postcode, contact.note]
    )
    assert MOBILE.findall(contact_text) == []
    pages = [reverse("notices:contact"), reverse("notices:list"), reverse("home:index")]
    pages += [
        reverse("notices:detail", kwargs={"pk": pk})
        for pk in Notice.objects.filter(visibility=Visibility.PUBLIC, state=State.PUBLISHED).values_list(
            "pk", flat=True
        )
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert [mobile for mobile in SEED_MOBILES if mobile in content] == []


def test_demo_contact_has_no_personal_names_or_mobiles(seeded, client):
    content = client.get(reverse("notices:contact")).content.decode()
    assert ContactPerson.objects.count() == 0
    assert [name for name in ("邵玉", "王博") if name in content] == []
    assert MOBILE.findall(content) == []


def test_demo_contact_uses_the_office_details(seeded):
    contact = ContactInfo.objects.get()
    assert (contact.phone, contact.fax, contact.email, contact.address, contact.postcode) == (
        "0311-87904020、0311-87807697",
        "0311-87904020",
        "hebeirwgh@163.com",
        "石家庄市维明南大街46号省委宣传部政研会",
        "050052",
    )


def test_demo_further_notices_cover_public_internal_and_draft(seeded):
    kinds = sorted(Notice.objects.exclude(doc_number="冀研发【2014】1号").values_list("state", "visibility"))
    assert kinds == [("draft", "public"), ("published", "internal"), ("published", "public")]


def test_demo_seeding_twice_changes_nothing(seeded):
    before = list(Notice.objects.order_by("pk").values_list("pk", "title", "state"))
    seed_notices(author=seeded.province_staff)
    seed_contact()
    assert list(Notice.objects.order_by("pk").values_list("pk", "title", "state")) == before
    assert ContactInfo.objects.count() == 1


def test_demo_contact_seed_keeps_what_the_office_wrote(world):
    update_contact(actor=world.province_staff, phone="0311-12345678")
    seed_contact()
    assert ContactInfo.objects.get().phone == "0311-12345678"
