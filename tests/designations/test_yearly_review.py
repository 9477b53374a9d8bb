"""The yearly review (动态管理): which sites a round asks, the unit's report, the
province's decision (keep, rectify, revoke), revocation through the workflow, and who
may see and do what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications import services as application_services
from applications.models import State
from applications.workflow import TransitionError
from audit.models import AuditRecord
from campaigns import selectors as campaign_selectors
from core.roles import Role
from designations.models import (
    Designation,
    DesignationStatus,
    Outcome,
    ReportStatus,
    ReviewRound,
    RoundStatus,
    YearlyReport,
    YearlyReportFile,
)
from designations.services import review
from notifications.models import Notification
from tests.designations.factories import announce, named, scored
from tests.factories import make_organisation, make_user
from tests.inspections.factories import awaiting
from tests.materials.factories import EXE, PDF, pdf_upload, upload

NAMED_ON = datetime.date(2025, 6, 1)
OPENED_ON = datetime.date(2026, 6, 1)
DUE = datetime.date(2026, 7, 1)
# Session, user, the viewer's organisation and the unread-notifications badge of the top
# bar, the round, its status counts, the page's count and its rows (unit, area, site and
# application joined, files counted).
MAX_ROUND_QUERIES = 8


def site_of(world, operator, *, issued_on=NAMED_ON) -> Designation:
    """A named site of `operator`'s unit, named on `issued_on`."""
    application = scored(world, application=awaiting(world, operator=operator))
    return announce(world, [application], issued_on=issued_on).designations.get()


def new_operator(world, name):
    return make_user(role=Role.UNIT, organisation=make_organisation(name=name, parent=world.changan))


def open_round(world, *, opened_on=OPENED_ON, actor=None, **changes):
    fields = {
        "title": "2026年度示范点复核",
        "opened_on": opened_on,
        "deadline": DUE,
        "instructions": "写明一年来的工作",
    }
    return review.open_round(actor=actor or world.province_staff, **(fields | changes))


def submitted_report(world, designation=None, *, operator=None) -> YearlyReport:
    designation = designation or named(world, issued_on=NAMED_ON)
    current = open_round(world)
    report = current.reports.get(designation=designation)
    operator = operator or world.sjz_operator
    review.save_report(actor=operator, report=report, text="开展心理疏导活动12次，服务职工300人次。")
    return review.submit_report(actor=operator, report=report)


def later(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


def revoke(world, report, **changes):
    decision = {
        "outcome": Outcome.REVOKE,
        "reason": "示范作用发挥不明显，整改不到位",
        "doc_number": "冀研字〔2027〕3号",
    }
    return review.decide_report(actor=world.province_admin, report=report, **(decision | changes))


def zh(message, **params):
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


# --- Eligibility --------------------------------------------------------------------


def test_one_year_before_keeps_the_day_and_turns_29_february_into_28():
    assert review.one_year_before(datetime.date(2026, 6, 1)) == datetime.date(2025, 6, 1)
    assert review.one_year_before(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)
    assert review.one_year_before(datetime.date(2028, 3, 1)) == datetime.date(2027, 3, 1)


def test_open_round_asks_a_site_named_exactly_one_year_before(world):
    designation = named(world, issued_on=NAMED_ON)
    current = open_round(world, opened_on=OPENED_ON)
    reports = list(current.reports.values_list("designation_id", "status"))
    assert reports == [(designation.pk, ReportStatus.DRAFT)]
    assert current.status == RoundStatus.OPEN


def test_open_round_leaves_out_a_site_named_less_than_a_year_before(world):
    old = named(world, issued_on=NAMED_ON)
    site_of(world, world.ts_operator, issued_on=datetime.date(2025, 6, 2))
    current = open_round(world, opened_on=OPENED_ON)
    assert list(current.reports.values_list("designation_id", flat=True)) == [old.pk]


def test_open_round_with_no_site_named_a_year_before_is_refused(world):
    named(world, issued_on=datetime.date(2025, 6, 2))
    with pytest.raises(ValidationError) as caught:
        open_round(world, opened_on=OPENED_ON)
    assert list(caught.value.error_dict) == ["opened_on"]
    assert ReviewRound.objects.count() == 0


def test_open_round_leaves_out_revoked_sites(world):
    report = submitted_report(world)
    revoke(world, report)
    other = site_of(world, world.ts_operator)
    later_round = open_round(world, title="2027年度复核", opened_on=OPENED_ON + datetime.timedelta(days=1))
    assert list(later_round.reports.values_list("designation_id", flat=True)) == [other.pk]


def test_open_round_notifies_the_units_and_is_audited(world):
    named(world, issued_on=NAMED_ON)
    current = open_round(world)
    notes = Notification.objects.filter(kind="designation.review_open")
    assert [n.recipient for n in notes] == [world.sjz_operator]
    assert notes.get().url == reverse("designations:review-mine")
    record = AuditRecord.objects.get(action="designation.review_open")
    assert (record.object_id, record.details["reports"]) == (str(current.pk), 1)


@pytest.mark.parametrize("who", ["sjz_association", "sjz_operator", "inspector"])
def test_open_round_is_for_the_province_only(world, who):
    named(world, issued_on=NAMED_ON)
    with pytest.raises(PermissionDenied):
        open_round(world, actor=getattr(world, who))


def test_open_round_refuses_a_deadline_before_the_opening_and_an_opening_in_the_future(world):
    named(world, issued_on=NAMED_ON)
    with pytest.raises(ValidationError) as caught:
        open_round(world, deadline=OPENED_ON - datetime.timedelta(days=1))
    assert list(caught.value.error_dict) == ["deadline"]
    with pytest.raises(ValidationError) as caught:
        open_round(world, opened_on=later(1), deadline=later(30))
    assert list(caught.value.error_dict) == ["opened_on"]


# --- The unit's report --------------------------------------------------------------


def test_the_unit_writes_attaches_and_submits_its_report(world):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    review.save_report(actor=world.sjz_operator, report=report, text="开展团体辅导8次")
    item = review.add_report_file(actor=world.sjz_operator, report=report, upload=pdf_upload("年度报告.pdf"))
    submitted = review.submit_report(actor=world.sjz_operator, report=report)
    report.refresh_from_db()
    assert (report.status, report.text, report.submitted_at is not None) == (
        ReportStatus.SUBMITTED,
        "开展团体辅导8次",
        True,
    )
    assert submitted.pk == report.pk
    assert (item.original_name, item.content_type, item.size, item.uploaded_by) == (
        "年度报告.pdf",
        "application/pdf",
        len(PDF),
        world.sjz_operator,
    )
    assert AuditRecord.objects.filter(action="designation.report_submit", object_id=str(report.pk)).count() == 1
    assert AuditRecord.objects.filter(action="designation.report_file").count() == 1
    recipients = set(
        Notification.objects.filter(kind="designation.report_submit").values_list("recipient__username", flat=True)
    )
    assert recipients == {world.province_admin.username, world.province_staff.username}


def test_submit_needs_the_text(world):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    review.save_report(actor=world.sjz_operator, report=report, text="   ")
    with pytest.raises(ValidationError) as caught:
        review.submit_report(actor=world.sjz_operator, report=report)
    assert list(caught.value.error_dict) == ["text"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_submitted_report_and_a_closed_round_no_longer_change(world):
    other = site_of(world, world.ts_operator)
    report = submitted_report(world)
    with pytest.raises(ValidationError) as caught:
        review.save_report(actor=world.sjz_operator, report=report, text="改")
    assert caught.value.code == "submitted"
    draft = YearlyReport.objects.get(designation=other)
    review.close_round(actor=world.province_staff, review=draft.round)
    with pytest.raises(ValidationError) as caught:
        review.save_report(actor=world.ts_operator, report=draft, text="晚了")
    assert caught.value.code == "closed"
    with pytest.raises(ValidationError):
        review.add_report_file(actor=world.ts_operator, report=draft, upload=pdf_upload())
    assert YearlyReportFile.objects.filter(report=draft).count() == 0


def test_another_unit_may_not_write_the_report(world):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    with pytest.raises(PermissionDenied):
        review.save_report(actor=world.ts_operator, report=report, text="不是我的")
    with pytest.raises(PermissionDenied):
        review.submit_report(actor=world.province_staff, report=report)


def test_a_program_is_refused_and_nothing_is_kept(world, settings):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    with pytest.raises(ValidationError) as caught:
        review.add_report_file(actor=world.sjz_operator, report=report, upload=upload("报告.pdf", EXE))
    assert list(caught.value.error_dict) == ["file"]
    assert YearlyReportFile.objects.count() == 0


def test_a_file_is_deleted_again_when_its_row_cannot_be_written(world, settings):
    report = submitted_report(world)
    folder = settings.MEDIA_ROOT / "materials"
    before = sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    with pytest.raises(ValidationError):
        review.add_report_file(actor=world.sjz_operator, report=report, upload=pdf_upload())
    after = sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    assert after == before


# --- Decisions ----------------------------------------------------------------------


def test_staff_keep_the_title_and_the_unit_is_told(world):
    report = submitted_report(world)
    review.decide_report(actor=world.province_staff, report=report, outcome=Outcome.KEEP, reason="工作扎实")
    report.refresh_from_db()
    assert (report.status, report.outcome, report.decided_by, report.decision_reason) == (
        ReportStatus.DECIDED,
        Outcome.KEEP,
        world.province_staff,
        "工作扎实",
    )
    assert report.designation.status == DesignationStatus.ACTIVE
    note = Notification.objects.get(kind="designation.review_keep")
    assert (note.recipient, note.url) == (
        world.sjz_operator,
        reverse("designations:review-report", kwargs={"pk": report.pk}),
    )
    assert AuditRecord.objects.filter(action="designation.review_keep", to_state="keep").count() == 1


def test_rectify_needs_what_to_fix_and_a_deadline_after_today(world):
    report = submitted_report(world)
    with pytest.raises(ValidationError) as caught:
        review.decide_report(actor=world.province_staff, report=report, outcome=Outcome.RECTIFY)
    assert sorted(caught.value.error_dict) == ["rectification", "rectify_by"]
    with pytest.raises(ValidationError) as caught:
        review.decide_report(
            actor=world.province_staff,
            report=report,
            outcome=Outcome.RECTIFY,
            rectification="补充心理咨询室设备",
            rectify_by=timezone.localdate(),
        )
    assert list(caught.value.error_dict) == ["rectify_by"]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    review.decide_report(
        actor=world.province_staff,
        report=report,
        outcome=Outcome.RECTIFY,
        rectification="补充心理咨询室设备",
        rectify_by=later(90),
    )
    report.refresh_from_db()
    assert (report.outcome, report.rectify_by, report.rectification) == (
        Outcome.RECTIFY,
        later(90),
        "补充心理咨询室设备",
    )
    assert Notification.objects.get(kind="designation.review_rectify").body == "补充心理咨询室设备"


def test_staff_may_not_revoke(world):
    report = submitted_report(world)
    with pytest.raises(ValidationError) as caught:
        review.decide_report(
            actor=world.province_staff,
            report=report,
            outcome=Outcome.REVOKE,
            reason="不达标",
            doc_number="冀研字〔2027〕3号",
        )
    assert caught.value.error_dict["outcome"][0].messages == [
        zh("Only the provincial administrator may revoke a title.")
    ]
    report.refresh_from_db()
    assert (report.status, report.designation.status) == (ReportStatus.SUBMITTED, DesignationStatus.ACTIVE)


def test_revoke_needs_reasons_and_a_document_number(world):
    report = submitted_report(world)
    with pytest.raises(ValidationError) as caught:
        revoke(world, report, reason=" ", doc_number="")
    assert sorted(caught.value.error_dict) == ["doc_number", "reason"]
    report.designation.refresh_from_db()
    assert report.designation.status == DesignationStatus.ACTIVE


def test_revoking_takes_the_site_off_the_public_list_and_the_unit_may_apply_again(world):
    report = submitted_report(world)
    designation = report.designation
    revoke(world, report)
    designation.refresh_from_db()
    report.refresh_from_db()
    assert (designation.status, designation.revoked_on, designation.revoke_doc_number, designation.revoke_reason) == (
        DesignationStatus.REVOKED,
        timezone.localdate(),
        "冀研字〔2027〕3号",
        "示范作用发挥不明显，整改不到位",
    )
    assert (report.status, report.outcome) == (ReportStatus.DECIDED, Outcome.REVOKE)
    designation.application.refresh_from_db()
    assert designation.application.state == State.REVOKED
    assert list(Designation.objects.public()) == []
    transition = AuditRecord.objects.get(action="application.revoke")
    assert (transition.from_state, transition.to_state, transition.actor) == (
        State.NAMED,
        State.REVOKED,
        world.province_admin,
    )
    assert AuditRecord.objects.get(action="designation.review_revoke").details["doc_number"] == "冀研字〔2027〕3号"
    assert Notification.objects.filter(kind="application.revoke", recipient=world.sjz_operator).count() == 1
    again = application_services.start_application(
        actor=world.sjz_operator, unit=world.sjz_unit, campaign=campaign_selectors.current_campaign()
    )
    assert (again.state, again.pk != designation.application_id) == (State.DRAFT, True)


def test_only_a_submitted_report_is_decided_and_only_once(world):
    designation = named(world, issued_on=NAMED_ON)
    draft = open_round(world).reports.get(designation=designation)
    with pytest.raises(ValidationError) as caught:
        review.decide_report(actor=world.province_staff, report=draft, outcome=Outcome.KEEP)
    assert caught.value.code == "state"
    review.save_report(actor=world.sjz_operator, report=draft, text="工作总结")
    review.submit_report(actor=world.sjz_operator, report=draft)
    review.decide_report(actor=world.province_staff, report=draft, outcome=Outcome.KEEP)
    with pytest.raises(ValidationError) as caught:
        revoke(world, draft)
    assert caught.value.code == "state"
    draft.designation.refresh_from_db()
    assert draft.designation.status == DesignationStatus.ACTIVE


def test_a_site_revoked_in_one_round_is_not_decided_again_in_another(world):
    designation = named(world, issued_on=NAMED_ON)
    first = open_round(world).reports.get(designation=designation)
    second = open_round(world, title="补充复核", opened_on=OPENED_ON + datetime.timedelta(days=1)).reports.get(
        designation=designation
    )
    for report in (first, second):
        review.save_report(actor=world.sjz_operator, report=report, text="年度工作")
        review.submit_report(actor=world.sjz_operator, report=report)
    revoke(world, first)
    with pytest.raises(TransitionError) as caught:
        revoke(world, second, doc_number="冀研字〔2027〕4号")
    assert caught.value.code == "state"
    with pytest.raises(ValidationError) as caught:
        review.decide_report(actor=world.province_staff, report=second, outcome=Outcome.KEEP)
    assert caught.value.code == "revoked"
    second.refresh_from_db()
    assert second.status == ReportStatus.SUBMITTED
    assert AuditRecord.objects.filter(action="application.revoke").count() == 1


def test_deciding_is_for_the_province_only(world):
    report = submitted_report(world)
    with pytest.raises(PermissionDenied):
        review.decide_report(actor=world.sjz_association, report=report, outcome=Outcome.KEEP)


# --- Pages --------------------------------------------------------------------------


def test_staff_open_a_round_from_the_page(world, client_for):
    named(world, issued_on=NAMED_ON)
    client = client_for(world.province_staff)
    form = client.get(reverse("designations:review-round-create"))
    assert form.status_code == 200
    response = client.post(
        reverse("designations:review-round-create"),
        {"title": "年度复核", "opened_on": timezone.localdate().isoformat(), "deadline": later().isoformat()},
    )
    current = ReviewRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("designations:review-round", kwargs={"pk": current.pk})
    assert current.reports.count() == 1


def test_a_round_with_no_site_to_ask_answers_422_with_the_reason_by_the_field(world, client_for):
    named(world, issued_on=later(-10))
    response = client_for(world.province_staff).post(
        reverse("designations:review-round-create"),
        {"title": "年度复核", "opened_on": timezone.localdate().isoformat(), "deadline": later().isoformat()},
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["opened_on"]
    assert ReviewRound.objects.count() == 0


def test_the_unit_saves_and_submits_from_its_page(world, client_for):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    client = client_for(world.sjz_operator)
    assert client.get(reverse("designations:review-mine")).context["open_reports"] == [report]
    page = client.get(reverse("designations:review-report", kwargs={"pk": report.pk}))
    assert (page.status_code, page.context["editable"]) == (200, True)
    empty = client.post(reverse("designations:review-report-submit", kwargs={"pk": report.pk}), {"text": ""})
    assert empty.status_code == 422
    assert empty.context["form"].errors["text"] == [zh("Write what the site did this year before you submit.")]
    uploaded = client.post(
        reverse("designations:review-report-file", kwargs={"pk": report.pk}), {"file": pdf_upload("活动照片.pdf")}
    )
    assert uploaded.status_code == 302
    done = client.post(reverse("designations:review-report-submit", kwargs={"pk": report.pk}), {"text": "年度工作"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.text, report.files.count()) == (ReportStatus.SUBMITTED, "年度工作", 1)
    after = client.post(reverse("designations:review-report", kwargs={"pk": report.pk}), {"text": "再改"})
    assert after.status_code == 422
    report.refresh_from_db()
    assert report.text == "年度工作"


def test_a_refused_file_answers_422_with_the_reason_by_the_field(world, client_for):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    response = client_for(world.sjz_operator).post(
        reverse("designations:review-report-file", kwargs={"pk": report.pk}), {"file": upload("病毒.pdf", EXE)}
    )
    assert response.status_code == 422
    assert list(response.context["file_form"].errors) == ["file"]


def test_staff_cannot_revoke_from_the_page_and_are_told_why(world, client_for):
    report = submitted_report(world)
    client = client_for(world.province_staff)
    page = client.get(reverse("designations:review-report", kwargs={"pk": report.pk}))
    assert b'data-testid="revoke-admin-only"' in page.content
    assert [value for value, _label in page.context["decision_form"].fields["outcome"].choices] == ["keep", "rectify"]
    response = client.post(
        reverse("designations:review-decide", kwargs={"pk": report.pk}),
        {"outcome": "revoke", "reason": "不达标", "doc_number": "冀研字〔2027〕3号"},
    )
    assert response.status_code == 422
    assert list(response.context["decision_form"].errors) == ["outcome"]
    report.designation.refresh_from_db()
    assert report.designation.status == DesignationStatus.ACTIVE


def test_the_admin_revokes_from_the_page(world, client_for):
    report = submitted_report(world)
    client = client_for(world.province_admin)
    url = reverse("designations:review-decide", kwargs={"pk": report.pk})
    missing = client.post(url, {"outcome": "revoke", "reason": "不达标", "doc_number": ""})
    assert missing.status_code == 422
    assert missing.context["decision_form"].errors["doc_number"] == [zh("Give the document number of the revocation.")]
    response = client.post(url, {"outcome": "revoke", "reason": "不达标", "doc_number": "冀研字〔2027〕3号"})
    assert response.status_code == 302
    report.designation.refresh_from_db()
    assert report.designation.status == DesignationStatus.REVOKED
    shown = client.get(reverse("designations:review-report", kwargs={"pk": report.pk}))
    assert b'data-testid="report-site-status" data-status="revoked"' in shown.content


def test_rectify_from_the_page_without_a_deadline_answers_422(world, client_for):
    report = submitted_report(world)
    response = client_for(world.province_staff).post(
        reverse("designations:review-decide", kwargs={"pk": report.pk}),
        {"outcome": "rectify", "rectification": "补充台账"},
    )
    assert response.status_code == 422
    assert list(response.context["decision_form"].errors) == ["rectify_by"]


def test_staff_close_the_round_and_the_unit_can_no_longer_write(world, client_for):
    designation = named(world, issued_on=NAMED_ON)
    current = open_round(world)
    report = current.reports.get(designation=designation)
    response = client_for(world.province_staff).post(
        reverse("designations:review-round", kwargs={"pk": current.pk}), {"action": "close"}
    )
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.status == RoundStatus.CLOSED
    assert AuditRecord.objects.filter(action="designation.review_close").count() == 1
    page = client_for(world.sjz_operator).get(reverse("designations:review-report", kwargs={"pk": report.pk}))
    assert page.context["editable"] is False


def test_the_round_page_filters_by_status_and_decision(world, client_for):
    other = site_of(world, world.ts_operator)
    report = submitted_report(world)
    review.decide_report(actor=world.province_staff, report=report, outcome=Outcome.KEEP)
    client = client_for(world.province_staff)
    url = reverse("designations:review-round", kwargs={"pk": report.round_id})

    def rows(**query):
        return [r.designation_id for r in client.get(url, query).context["page_obj"]]

    assert sorted(rows()) == sorted([report.designation_id, other.pk])
    assert rows(status="draft") == [other.pk]
    assert rows(outcome="keep") == [report.designation_id]
    assert rows(outcome="revoke") == []


# --- Scope --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("sjz_operator", 200),
        ("sjz_association", 200),
        ("province_staff", 200),
        ("ts_operator", 404),
        ("ts_association", 404),
        ("inspector", 403),
    ],
)
def test_a_report_and_its_files_answer_only_inside_the_scope(world, client_for, who, status):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    item = review.add_report_file(actor=world.sjz_operator, report=report, upload=pdf_upload("年度报告.pdf"))
    client = client_for(getattr(world, who))
    assert client.get(reverse("designations:review-report", kwargs={"pk": report.pk})).status_code == status
    download = client.get(reverse("designations:review-file", kwargs={"pk": item.pk}))
    assert download.status_code == status
    if status == 200:
        assert b"".join(download.streaming_content) == PDF


def test_another_unit_cannot_write_submit_or_upload_by_url(world, client_for):
    designation = named(world, issued_on=NAMED_ON)
    report = open_round(world).reports.get(designation=designation)
    client = client_for(world.ts_operator)
    for name, data in [
        ("designations:review-report", {"text": "x"}),
        ("designations:review-report-submit", {"text": "x"}),
        ("designations:review-report-file", {"file": pdf_upload()}),
    ]:
        assert client.post(reverse(name, kwargs={"pk": report.pk}), data).status_code == 404
    report.refresh_from_db()
    assert (report.text, report.status, report.files.count()) == ("", ReportStatus.DRAFT, 0)


@pytest.mark.parametrize("who", ["sjz_association", "sjz_operator"])
def test_round_pages_and_decisions_are_for_the_province(world, client_for, who):
    report = submitted_report(world)
    client = client_for(getattr(world, who))
    assert client.get(reverse("designations:review-rounds")).status_code == 403
    assert client.get(reverse("designations:review-round", kwargs={"pk": report.round_id})).status_code == 403
    decided = client.post(reverse("designations:review-decide", kwargs={"pk": report.pk}), {"outcome": "keep"})
    assert decided.status_code == 403


# --- Queries ------------------------------------------------------------------------


def count_queries(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(MAX_ROUND_QUERIES), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_round_page_does_not_grow_with_reports(world, client_for, django_assert_max_num_queries):
    client = client_for(world.province_staff)
    site_of(world, world.sjz_operator)
    small = open_round(world)
    for report in small.reports.all():
        review.add_report_file(actor=world.sjz_operator, report=report, upload=pdf_upload())
    one = count_queries(
        client, reverse("designations:review-round", kwargs={"pk": small.pk}), django_assert_max_num_queries
    )
    operators = [world.ts_operator, new_operator(world, "石家庄第二中学")]
    for operator in operators:
        site_of(world, operator, issued_on=NAMED_ON + datetime.timedelta(days=30))
    large = open_round(world, title="第二轮", opened_on=OPENED_ON + datetime.timedelta(days=30))
    by_unit = {op.organisation_id: op for op in [world.sjz_operator, *operators]}
    for report in large.reports.select_related("designation"):
        review.add_report_file(actor=by_unit[report.designation.unit_id], report=report, upload=pdf_upload())
    url = reverse("designations:review-round", kwargs={"pk": large.pk})
    three = count_queries(client, url, django_assert_max_num_queries)
    assert one == three
    rows = client.get(url).context["page_obj"].object_list
    assert [row.file_count for row in rows] == [1, 1, 1]
