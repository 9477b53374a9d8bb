"""All reports of a period as one Excel workbook and one PDF: what they hold and who may
have them."""

from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from weasyprint.formatting_structure.boxes import TextBox

from audit.models import AuditRecord
from campaigns.selectors import current_campaign
from reports import documents, selectors
from reports.services import comment_on_report
from tests.reports.factories import current_period, make_report


def _urls(period):
    keys = {"campaign_pk": current_campaign().pk, "period": period.key}
    return reverse("reports:period-xlsx", kwargs=keys), reverse("reports:period-pdf", kwargs=keys)


def _reports(world, department=None):
    """This period: 石家庄 submitted (commented), 唐山 a draft; the previous period: 唐山 submitted."""
    campaign, period = current_period()
    previous = selectors.periods_of(campaign, period.start)[1]
    sjz = make_report(world, submit=True, narrative="=SUM(A1) 石家庄本期进展", practices="心理驿站")
    comment_on_report(actor=world.province_staff, report=sjz, text="很好")
    make_report(world, user=world.ts_association, narrative="唐山草稿")
    make_report(world, user=world.ts_association, period=previous, submit=True, narrative="唐山上期进展")
    return period, sjz


def test_export_workbook_holds_the_submitted_reports_of_the_period(world, area, client_for):
    period, sjz = _reports(world)
    xlsx_url, _pdf = _urls(period)
    response = client_for(world.province_staff).get(xlsx_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    summary, texts = workbook.worksheets
    assert summary.freeze_panes == "A2"
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    labels = [label for _k, label, _v in selectors.statistic_rows({})]
    assert [cell.value for cell in summary[1]][4:] == labels
    assert len(rows) == 1
    figures = [value for _k, _l, value in selectors.statistic_rows(sjz.statistics)]
    assert rows[0][0] == "石家庄市"
    assert list(rows[0][4:]) == figures
    assert figures[0] == 6
    # Dates in the Chinese way.
    day = timezone.localtime(sjz.submitted_at).date()
    assert rows[0][2] == f"{day.year}年{day.month}月{day.day}日"
    text_rows = list(texts.iter_rows(min_row=2, values_only=True))
    # Text that starts like a formula stays text behind a single quote (core.spreadsheets).
    assert [row[:3] for row in text_rows] == [("石家庄市", "'=SUM(A1) 石家庄本期进展", "心理驿站")]
    assert "很好" in text_rows[0][4]
    assert summary.column_dimensions["A"].width >= 10
    assert AuditRecord.objects.filter(action="reports.period_export").count() == 1


def test_export_pdf_holds_the_submitted_reports_of_the_period(world, client_for):
    period, _sjz = _reports(world)
    _xlsx, pdf_url = _urls(period)
    response = client_for(world.province_admin).get(pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    reports = list(selectors.reports_of_period(world.province_admin, campaign=current_campaign(), period=period))
    document = documents.render_period(current_campaign(), period, reports)
    text = "".join(
        box.text for page in document.pages for box in page._page_box.descendants() if isinstance(box, TextBox)
    )
    assert "石家庄本期进展" in text
    assert "唐山" not in text
    assert len(document.pages) == 2


def test_export_of_an_empty_period_opens(world, client_for):
    _campaign, period = current_period()
    xlsx_url, pdf_url = _urls(period)
    client = client_for(world.province_staff)
    workbook = load_workbook(BytesIO(b"".join(client.get(xlsx_url).streaming_content)))
    assert workbook.worksheets[0].max_row == 1
    assert b"".join(client.get(pdf_url).streaming_content).startswith(b"%PDF")


def test_export_is_refused_to_associations_and_units(world, client_for):
    _campaign, period = current_period()
    make_report(world, submit=True)
    for url in _urls(period):
        for user in (world.sjz_association, world.ts_association, world.sjz_operator):
            assert client_for(user).get(url).status_code == 403


def test_export_of_an_unknown_period_is_not_found(world, client_for):
    keys = {"campaign_pk": current_campaign().pk, "period": "1999-01-01"}
    assert client_for(world.province_staff).get(reverse("reports:period-xlsx", kwargs=keys)).status_code == 404
