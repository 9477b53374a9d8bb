"""Reviewing a resubmission shows, per indicator, what changed since the previous round
(score, text, evidence added or replaced) and the note made on it then; images preview
on the review page itself."""

from decimal import Decimal

from django.urls import reverse

from applications import services
from materials.models import Material
from materials.services import replace_material, upload_material
from tests.applications import factories
from tests.materials.factories import JPEG, pdf_upload, upload


def test_review_of_a_resubmission_shows_what_changed_and_the_previous_notes(world, client_for):
    application = factories.registered(world)
    rows = list(
        application.indicators.select_related("indicator").order_by("indicator__category__order", "indicator__order")
    )
    first, second, third, fourth = (row.indicator for row in rows[:4])
    services.review_application(
        actor=world.province_staff,
        application=application,
        decision="return",
        reason="佐证不全",
        notes={first.pk: "请补充领导小组成立文件"},
    )
    operator = world.sjz_operator
    services.save_indicator(
        actor=operator, application=application, indicator_id=first.pk, score=Decimal("5"), account="附成立文件"
    )
    services.save_indicator(
        actor=operator, application=application, indicator_id=second.pk, score=Decimal("4.5"), account="已落实"
    )
    material = Material.objects.get(unit=world.sjz_unit, indicator=third, removed_at__isnull=True)
    replace_material(actor=operator, material=material, file=pdf_upload("新的佐证.pdf"))
    upload_material(
        actor=operator,
        unit=world.sjz_unit,
        campaign=application.campaign,
        kind=Material.Kind.EVIDENCE,
        indicator=fourth,
        file=upload("心理咨询室.jpg", JPEG),
    )
    application.refresh_from_db()
    services.submit_application(actor=operator, application=application, confirm_below_threshold=True)

    response = client_for(world.province_staff).get(reverse("applications:review", args=[application.pk]))

    changes = response.context["changes"]
    assert set(changes) == {first.pk, second.pk, third.pk, fourth.pk}
    assert (changes[first.pk].previous_account, changes[first.pk].note) == ("已落实", "请补充领导小组成立文件")
    assert changes[first.pk].score is None
    assert changes[second.pk].score == ("5", "4.5")
    assert [(before["name"], after["name"]) for before, after in changes[third.pk].replaced] == [
        (f"佐证{third.pk}.pdf", "新的佐证.pdf")
    ]
    assert [file["name"] for file in changes[fourth.pk].added] == ["心理咨询室.jpg"]
    page = response.content.decode()
    assert page.count("data-change=") == 4
    assert 'data-testid="round-changes"' in page
    assert "上一轮" in page
    # The photo, and the first page of each PDF, show on the page itself.
    assert page.count("data-inline-preview") == 21
    assert page.count('src="/materials/versions/') == 21


def test_review_of_a_first_round_shows_no_changes(world, client_for):
    application = factories.registered(world)
    response = client_for(world.province_staff).get(reverse("applications:review", args=[application.pk]))
    assert response.context["changes"] == {}
    assert b"data-change=" not in response.content
