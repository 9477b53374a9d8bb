"""Two tabs (or two people of the unit) writing the yearly report of a named site."""

from django.urls import reverse

from audit.models import AuditRecord
from designations.models import YearlyReport
from tests.concurrency import assert_refused, edit_token
from tests.designations.factories import named
from tests.designations.test_yearly_review import NAMED_ON, open_round


def _report(world):
    designation = named(world, issued_on=NAMED_ON)
    return open_round(world).reports.get(designation=designation)


def test_concurrent_edits_of_a_yearly_report_refuse_the_second_save(world, client_for):
    report = _report(world)
    url = reverse("designations:review-report", kwargs={"pk": report.pk})
    first, second = client_for(world.sjz_operator), client_for(world.sjz_operator)
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    assert second.post(url, {"text": "另一个标签页写的年度工作", "edit_token": token_second}).status_code == 302
    before = AuditRecord.objects.count()

    refused = first.post(url, {"text": "这个标签页写的年度工作", "edit_token": token_first})

    assert_refused(refused, typed="这个标签页写的年度工作", status=(422,))
    assert "另一个标签页写的年度工作" in refused.content.decode()
    assert YearlyReport.objects.get(pk=report.pk).text == "另一个标签页写的年度工作"
    assert AuditRecord.objects.count() == before


def test_concurrent_edits_of_a_yearly_report_refuse_a_submission_over_newer_text(world, client_for):
    report = _report(world)
    url = reverse("designations:review-report", kwargs={"pk": report.pk})
    first, second = client_for(world.sjz_operator), client_for(world.sjz_operator)
    token_first, token_second = edit_token(first.get(url)), edit_token(second.get(url))
    second.post(url, {"text": "较新的文字", "edit_token": token_second})

    submit = reverse("designations:review-report-submit", kwargs={"pk": report.pk})
    refused = first.post(submit, {"text": "较旧的文字", "edit_token": token_first})

    assert_refused(refused, typed="较旧的文字", status=(422,))
    report.refresh_from_db()
    assert (report.text, report.status) == ("较新的文字", "draft")


def test_concurrent_edits_of_a_yearly_report_single_save_works(world, client_for):
    report = _report(world)
    url = reverse("designations:review-report", kwargs={"pk": report.pk})
    client = client_for(world.sjz_operator)
    token = edit_token(client.get(url))

    assert client.post(url, {"text": "年度工作", "edit_token": token}).status_code == 302

    assert YearlyReport.objects.get(pk=report.pk).text == "年度工作"
