"""The provincial-scale data set of `make bench`, built at a small size: every state,
named sites and articles, and the pages of seeded objects answer."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from applications.models import Application, ApplicationIndicator, State
from designations.models import Designation, DesignationStatus
from inspections.models import Inspection, InspectionStatus, Result, Scoresheet
from showcase.models import ArticleStatus, ExperienceArticle


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command(
        "seed_demo",
        "--units",
        "100",
        "--applications",
        "100",
        "--inspections",
        "40",
        "--spread-states",
        "--named-sites",
        "20",
        "--articles",
        "60",
        stdout=out,
    )
    return out.getvalue()


def test_synthetic_data_spreads_applications_over_every_state(seeded):
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Application.objects.count() == 106
    # 40 inspected: 8 awaiting, 24 scored (20 of them named, 1 revoked), 8 not named.
    assert Application.objects.filter(state=State.NAMED).count() == 19 + 6
    assert Application.objects.filter(state=State.REVOKED).count() == 1
    assert Application.objects.filter(state=State.NOT_NAMED).count() == 8
    assert not Application.objects.filter(state=State.DRAFT, submitted_at__isnull=False).exists()
    past_submission = Application.objects.exclude(state__in=[State.DRAFT, State.SUBMITTED])
    assert not past_submission.filter(registration_code="").exists()
    codes = list(past_submission.values_list("registration_code", flat=True))
    assert len(codes) == len(set(codes))


def test_synthetic_data_fills_in_every_self_assessment_within_the_maxima(seeded):
    # --applications 100 made the 100 newest.
    synthetic = list(Application.objects.order_by("-pk").values_list("pk", flat=True)[:100])
    rows = ApplicationIndicator.objects.filter(application__in=synthetic).select_related("indicator")
    assert rows.count() == 100 * 20
    assert all(0 <= row.score <= row.indicator.max_score and row.score * 2 % 1 == 0 for row in rows)


def test_synthetic_data_finalises_the_decided_inspections_only(seeded):
    decided = Inspection.objects.exclude(application__state=State.AWAITING_INSPECTION)
    assert decided.count() == 32
    assert set(decided.values_list("status", flat=True)) == {InspectionStatus.FINALISED}
    assert Result.objects.count() == 32
    awaiting = Inspection.objects.filter(application__state=State.AWAITING_INSPECTION)
    assert set(awaiting.values_list("status", flat=True)) == {InspectionStatus.PLANNED}
    assert not Scoresheet.objects.filter(inspection__in=awaiting, submitted_at__isnull=False).exists()


def test_synthetic_data_names_sites_and_writes_articles(seeded):
    synthetic = Designation.objects.filter(announcement__title__contains="合成数据")
    assert synthetic.count() == 20
    assert synthetic.filter(status=DesignationStatus.REVOKED).count() == 1
    assert len(set(Designation.objects.values_list("certificate_number", flat=True))) == 26
    assert ExperienceArticle.objects.count() == 60
    assert ExperienceArticle.objects.filter(status=ArticleStatus.PUBLISHED).count() == 48
    assert not ExperienceArticle.objects.filter(designation__status=DesignationStatus.REVOKED).exists()


def test_synthetic_data_pages_answer(seeded, client, client_for):
    staff = client_for(User.objects.get(username="sheng_staff"))
    # The provincial office does not see drafts: the unit's own pages are asked below.
    for state in set(State.values) - {State.DRAFT}:
        application = Application.objects.filter(state=state).order_by("pk").last()
        assert staff.get(f"/applications/{application.pk}/").status_code == 200, state
    assert staff.get("/applications/inbox/").status_code == 200
    assert staff.get("/dashboard/").status_code == 200
    draft = Application.objects.filter(state=State.DRAFT).order_by("pk").last()
    operator = client_for(User.objects.get(organisation=draft.unit, role="unit"))
    assert operator.get("/").status_code == 200
    assert operator.get(f"/applications/{draft.pk}/").status_code == 200
    assert operator.get(f"/applications/{draft.pk}/assessment/").status_code == 200
    sheet = Scoresheet.objects.filter(inspection__application__state=State.AWAITING_INSPECTION).last()
    inspector = client_for(sheet.inspector.user)
    assert inspector.get(f"/inspections/sheets/{sheet.pk}/").status_code == 200
    site = Designation.objects.filter(status=DesignationStatus.ACTIVE).order_by("pk").last()
    assert client.get("/showcase/sites/").status_code == 200
    assert client.get(f"/showcase/sites/{site.pk}/").status_code == 200
    article = ExperienceArticle.objects.filter(status=ArticleStatus.PUBLISHED).order_by("pk").last()
    assert client.get(f"/showcase/articles/{article.pk}/").status_code == 200


def test_synthetic_data_freezes_the_submitted_round_of_every_application_past_submission(seeded, client_for):
    past_submission = Application.objects.exclude(state=State.DRAFT)
    assert not past_submission.filter(snapshots__isnull=True).exists()
    assert not Application.objects.filter(state=State.DRAFT, snapshots__isnull=False).exists()
    registered = Application.objects.filter(state=State.REGISTERED).order_by("pk").last()
    snapshot = registered.snapshots.get()
    assert (snapshot.round, len(snapshot.data["indicators"])) == (registered.round, 20)
    assert all(row["score"] is not None and row["account"] for row in snapshot.data["indicators"])

    # The preliminary review reads that round: it returns the application like a real one.
    staff = client_for(User.objects.get(username="sheng_staff"))
    response = staff.post(f"/applications/{registered.pk}/review/", {"decision": "return", "reason": "请补充材料"})
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.state == State.RETURNED
