"""All submitted progress reports of one period as documents: an Excel workbook and a PDF.

Both read only what the reports froze (statistics, texts, submission time) and their
comments, so a period's documents say the same thing whenever they are made. Nothing
here checks access: the views hand in the reports the user may read. Dates are written
for the active language (2026年11月28日 in Chinese).
"""

from io import BytesIO

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.spreadsheets import display_width, write_cell
from reports.selectors import statistic_rows

PDF_TEMPLATE = "reports/period_pdf.html"
WIDEST = 60
# The summary table of the PDF: the figures that fit across an A4 page.
PDF_SUMMARY_KEYS = ("units", "with_plan", "not_started", "units_with_overdue", "applications_total", "named")


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _moment(value) -> str:
    return _date(timezone.localtime(value).date()) if value else ""


def _period_text(period) -> str:
    return _("%(start)s to %(end)s") % {"start": _date(period.start), "end": _date(period.end)}


class _Sheet:
    """A worksheet that remembers the widest text of each column, so that the widths fit."""

    def __init__(self, workbook, title, header_format, text_format):
        self.sheet = workbook.add_worksheet(title)
        self.header_format = header_format
        self.text_format = text_format
        self.widths = {}

    def _remember(self, column, text):
        longest = max((display_width(line) for line in str(text).split("\n")), default=0)
        self.widths[column] = max(self.widths.get(column, 6), min(longest + 2, WIDEST))

    def header(self, headers):
        for column, text in enumerate(headers):
            write_cell(self.sheet, 0, column, str(text), self.header_format)
            self._remember(column, text)
        # The headings stay in view while scrolling.
        self.sheet.freeze_panes(1, 0)

    def row(self, number, values):
        for column, value in enumerate(values):
            if isinstance(value, int):
                write_cell(self.sheet, number, column, value)
            else:
                # A text that starts with "=" stays text, never a formula.
                write_cell(self.sheet, number, column, str(value), self.text_format)
            self._remember(column, value)

    def fit(self):
        for column, width in self.widths.items():
            self.sheet.set_column(column, column, width)


def period_xlsx(campaign, period, reports) -> bytes:
    """The workbook of `reports` (submitted, of `period`): a summary sheet with one row
    per association and its frozen statistics, then a sheet with the texts."""
    output = BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    header_format = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    text_format = workbook.add_format({"text_wrap": True, "valign": "top"})

    summary = _Sheet(workbook, _("Summary"), header_format, text_format)
    labels = [label for _key, label, _value in statistic_rows({})]
    summary.header([_("Association"), _("Period"), _("Submitted on"), _("Statistics as of"), *labels])
    for number, report in enumerate(reports, start=1):
        figures = [value for _key, _label, value in statistic_rows(report.statistics)]
        summary.row(
            number,
            [
                report.association.name,
                _period_text(period),
                _moment(report.submitted_at),
                _date(report.statistics_as_of),
                *figures,
            ],
        )
    summary.fit()

    texts = _Sheet(workbook, _("Texts"), header_format, text_format)
    texts.header(
        [
            _("Association"),
            _("Progress of the work"),
            _("Typical practices"),
            _("Problems and next steps"),
            _("Comments"),
        ]
    )
    for number, report in enumerate(reports, start=1):
        comments = "\n".join(
            f"{_moment(comment.created_at)} {comment.author}：{comment.text}" for comment in report.comments.all()
        )
        texts.row(number, [report.association.name, report.narrative, report.practices, report.problems, comments])
    texts.fit()
    workbook.close()
    return output.getvalue()


def period_html(campaign, period, reports) -> str:
    entries = []
    for report in reports:
        rows = statistic_rows(report.statistics)
        entries.append(
            {
                "report": report,
                "submitted_on": _moment(report.submitted_at),
                "as_of": _date(report.statistics_as_of),
                "rows": rows,
                "summary": [value for key, _label, value in rows if key in PDF_SUMMARY_KEYS],
                "comments": [
                    {"on": _moment(comment.created_at), "author": str(comment.author), "text": comment.text}
                    for comment in report.comments.all()
                ],
            }
        )
    headings = [label for key, label, _value in statistic_rows({}) if key in PDF_SUMMARY_KEYS]
    return render_to_string(
        PDF_TEMPLATE,
        {
            "campaign": campaign,
            "period_text": _period_text(period),
            "due": _date(period.due),
            "made_on": _date(timezone.localdate()),
            "entries": entries,
            "headings": headings,
        },
    )


def render_period(campaign, period, reports):
    """The laid-out WeasyPrint document of `reports`; `period_pdf` writes it. Nothing is
    fetched: the template has no external resource and the fetcher allows no protocol."""
    # Imported here: WeasyPrint loads Pango and the fonts, which only the export needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = period_html(campaign, period, reports)
    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=())).render()


def period_pdf(campaign, period, reports) -> bytes:
    """The same reports as an A4 PDF with the CJK fonts embedded (subsets)."""
    return render_period(campaign, period, reports).write_pdf()
