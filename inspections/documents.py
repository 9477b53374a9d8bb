"""The report of a finalised inspection as documents: a PDF to print and sign, and an
Excel workbook with the same figures.

Both read only what the Result froze (`result.data`) and the inspection's own fields, so
that a report regenerates identically at any time, whatever happened since to the
standard, the pool or the sheets. Nothing here writes or checks access: the views do.
Words go through gettext; dates are formatted for the active language (2026年11月28日 in
Chinese).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from campaigns.models import AggregationMethod
from campaigns.scoring import show_score
from core.spreadsheets import display_width, put_cell, safe_text
from inspections.aggregation import format_icc
from inspections.results import reason_text

TEMPLATE = "inspections/report_pdf.html"
FLAG = "▲"


NO_FIGURE = show_score(None)


@dataclass(frozen=True)
class Row:
    """One indicator of the aggregate table."""

    category: str
    number: str
    text: str
    max: str
    scores: tuple[str, ...]
    comments: tuple[str, ...]
    value: str
    spread: str
    flagged: bool


@dataclass(frozen=True)
class Member:
    name: str
    employer: str
    leader: bool
    submitted_on: str
    # The inspector's own figures beside the team's (empty in results frozen before they were kept).
    total: str = NO_FIGURE
    subtotals: tuple[str, ...] = ()

    @property
    def role(self) -> str:
        return _("Team leader") if self.leader else _("Member")


@dataclass(frozen=True)
class SheetEntry:
    number: str
    text: str
    max: str
    score: str
    comment: str


@dataclass(frozen=True)
class Sheet:
    """One inspector's scoresheet as the report shows it."""

    member: Member
    entries: tuple[SheetEntry, ...]


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _iso_date(text) -> str:
    """A frozen ISO timestamp (submitted_at) as a local date."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return _date(moment.date())


def _category_names(data) -> dict[str, str]:
    # Indicators carry their category's code, categories their name "（code）name".
    names = {}
    for indicator in data["indicators"]:
        code = indicator["category"]
        prefix = f"（{code}）"
        names[code] = next((c["name"] for c in data["categories"] if c["name"].startswith(prefix)), code)
    return names


def _number(indicator) -> str:
    return f"{indicator['category']}.{indicator['order']}"


def report_content(inspection) -> dict:
    """Everything the two documents show, worded in the active language, from the frozen
    result of `inspection` (finalised, with `result` and `application__unit`/`campaign`)."""
    result = inspection.result
    data = result.data
    application = inspection.application
    categories = _category_names(data)
    team = [
        Member(
            name=member["name"],
            employer=member.get("employer") or "",
            leader=bool(member.get("leader")),
            submitted_on=_iso_date(member.get("submitted_at")),
            total=member.get("total") or NO_FIGURE,
            subtotals=tuple(member.get("subtotals") or [NO_FIGURE] * len(data["categories"])),
        )
        for member in data["team"]
    ]
    rows = [
        Row(
            category=categories[indicator["category"]],
            number=_number(indicator),
            text=indicator["text"],
            max=indicator["max"],
            scores=tuple(indicator["scores"]),
            comments=tuple(indicator["comments"]),
            value=indicator["value"],
            spread=indicator["spread"],
            flagged=bool(indicator["flagged"]),
        )
        for indicator in data["indicators"]
    ]
    sheets = [
        Sheet(
            member=member,
            entries=tuple(
                SheetEntry(number=row.number, text=row.text, max=row.max, score=row.scores[i], comment=row.comments[i])
                for row in rows
            ),
        )
        for i, member in enumerate(team)
    ]
    reasons = data.get("reasons", [])
    agreement = data.get("agreement") or {}
    leader = next((member for member in team if member.leader), None)
    return {
        "title": _("On-site inspection report"),
        "unit": application.unit.name,
        "registration_code": application.registration_code,
        "campaign": application.campaign.name,
        "visit_date": _date(inspection.visit_date),
        "place": inspection.place,
        "version": data["version"]["label"],
        "method": str(AggregationMethod(data["method"]).label),
        "spread_limit": data["spread_limit"],
        "finalised_on": _date(timezone.localtime(result.finalised_at).date()),
        "team": team,
        "leader": leader,
        "rows": rows,
        "flagged_count": sum(row.flagged for row in rows),
        "flag": FLAG,
        "flag_legend": _flag_legend(data["spread_limit"]),
        "categories": data["categories"],
        "total": data["total"],
        "max_total": data["max_total"],
        "threshold": data["threshold"],
        # Whether the total reached the threshold is decided once, in compute_result: the
        # "total" reason is there exactly when it did not.
        "reaches_total": not any(reason.get("code") == "total" for reason in reasons),
        "vetoes": data.get("vetoes", []),
        "meets_standard": bool(data["meets_standard"]),
        "recommendation": _recommendation(data),
        "reasons": [reason_text(reason) for reason in reasons],
        "icc_single": format_icc(agreement.get("single")),
        "icc_average": format_icc(agreement.get("average")),
        "icc_targets": agreement.get("targets"),
        "icc_raters": agreement.get("raters"),
        "sheets": sheets,
    }


def _recommendation(data) -> str:
    if data["meets_standard"]:
        return _("Recommended for naming")
    return _("Not recommended for naming")


# PDF


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string that is also safe inside <style>."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


def _page_footer_css() -> str:
    """The CSS `content` of the footer: the translated "Page N of M" with the page
    counters where the placeholders are, so each language keeps its own word order."""
    marker = "\x00"
    text = _("Page %(page)s of %(pages)s") % {"page": f"{marker}page{marker}", "pages": f"{marker}pages{marker}"}
    parts = text.split(marker)
    tokens = []
    for index, part in enumerate(parts):
        if index % 2:
            tokens.append(f"counter({part})")
        elif part:
            tokens.append(_css_string(part))
    return mark_safe(" ".join(tokens))  # noqa: S308 (built from quoted, escaped CSS strings only)


def report_html(inspection) -> str:
    """The HTML the PDF is printed from."""
    context = report_content(inspection)
    context["page_footer"] = _page_footer_css()
    context["page_header"] = mark_safe(_css_string(context["registration_code"]))  # noqa: S308 (escaped for CSS)
    return render_to_string(TEMPLATE, context)


def render_report(inspection):
    """The laid-out WeasyPrint document of the report (its pages hold the text boxes);
    `report_pdf` writes it. Nothing is fetched: the template has no external resource,
    and a fetcher that allows no protocol makes sure none slips in through the data."""
    # Imported here: WeasyPrint loads Pango and the fonts, which only the export needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=report_html(inspection), base_url=None, url_fetcher=URLFetcher(allowed_protocols=())).render()


def report_pdf(inspection) -> bytes:
    """The report of the finalised `inspection` as an A4 PDF with the CJK fonts embedded
    (subsets)."""
    return render_report(inspection).write_pdf()


# Excel

HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
FLAG_FILL = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
FAIL_FONT = Font(color="FF9C0006", bold=True)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="FF999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
WIDEST = 60
SHEET_TITLE_CHARACTERS = re.compile(r"[\\/*?:\[\]]")


def _put(ws, row: int, column: int, value, *, font=None, fill=None, alignment=None, border=None):
    """Write one cell through core.spreadsheets: text is always a string cell, never a
    formula, and text that looks like one starts with a single quote."""
    cell = put_cell(ws, row, column, value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if border is not None:
        cell.border = border
    return cell


def _figure(text: str):
    """A frozen score as a number cell, so that the sheet can be summed and sorted."""
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        return text
    return int(value) if value == value.to_integral_value() else value


def _fit_columns(ws, *, rows: range, minimum: int = 6) -> None:
    """Widen each column to its longest text in `rows` (a table: the title and the
    free text around it may run over into empty neighbours), at most WIDEST."""
    widths = {}
    for line in ws.iter_rows(min_row=rows.start, max_row=rows.stop - 1):
        for cell in line:
            if cell.value is None:
                continue
            longest = max(display_width(part) for part in str(cell.value).split("\n"))
            widths[cell.column] = max(widths.get(cell.column, minimum), longest + 2)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(width, WIDEST)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = SHEET_TITLE_CHARACTERS.sub("_", safe_text(name)).strip("'") or "-"
    base = base[:28]
    title, number = base, 2
    while title.casefold() in taken:
        title = f"{base}({number})"
        number += 1
    taken.add(title.casefold())
    return title


def _write_pairs(ws, row: int, pairs) -> int:
    """Label/value pairs, two to a line; returns the next free row."""
    for start in range(0, len(pairs), 2):
        column = 1
        for label, value in pairs[start : start + 2]:
            _put(ws, row, column, label, font=BOLD)
            _put(ws, row, column + 1, value)
            column += 3
        row += 1
    return row


def _team_line(team) -> str:
    return "、".join(_("%(name)s (leader)") % {"name": m.name} if m.leader else m.name for m in team)


def _write_summary(ws, content) -> None:
    team = content["team"]
    _put(ws, 1, 1, content["title"], font=TITLE_FONT)
    row = _write_pairs(
        ws,
        2,
        [
            (_("Unit"), content["unit"]),
            (_("Registration number"), content["registration_code"]),
            (_("Campaign"), content["campaign"]),
            (_("standard version"), content["version"]),
            (_("Date of the visit"), content["visit_date"]),
            (_("Place"), content["place"]),
            (_("Aggregation method"), content["method"]),
            (_("Finalised on"), content["finalised_on"]),
        ],
    )
    _put(ws, row, 1, _("Inspection team"), font=BOLD)
    _put(ws, row, 2, _team_line(team))
    row += 2

    # The aggregate table: one column per inspector, in the team's order.
    header_row = row
    headers = [_("category"), _("No."), _("Indicator"), _("maximum score")]
    headers += [member.name for member in team]
    headers += [_("Team's score"), _("Spread")]
    for column, header in enumerate(headers, start=1):
        _put(ws, row, column, header, font=BOLD, fill=HEADER_FILL, alignment=WRAP, border=BOX)
    first_score = 5
    value_column = first_score + len(team)
    spread_column = value_column + 1
    for item in content["rows"]:
        row += 1
        _put(ws, row, 1, item.category, alignment=TOP, border=BOX)
        _put(ws, row, 2, item.number, alignment=TOP, border=BOX)
        _put(ws, row, 3, item.text, alignment=WRAP, border=BOX)
        _put(ws, row, 4, _figure(item.max), alignment=TOP, border=BOX)
        fill = FLAG_FILL if item.flagged else None
        for offset, score in enumerate(item.scores):
            _put(ws, row, first_score + offset, _figure(score), fill=fill, alignment=TOP, border=BOX)
        _put(ws, row, value_column, _figure(item.value), font=BOLD, alignment=TOP, border=BOX)
        _put(ws, row, spread_column, _figure(item.spread), fill=fill, alignment=TOP, border=BOX)
    table_end = row
    # The header block and the table's headings stay in view while scrolling the table.
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    if content["flagged_count"]:
        row += 1
        # The fill of the flagged rows is the key of this line.
        _put(ws, row, 1, content["flag_legend"], fill=FLAG_FILL)

    row += 2
    for column, header in enumerate([_("category"), _("Subtotal"), _("maximum score"), _("Minimum")], start=1):
        _put(ws, row, column, header, font=BOLD, fill=HEADER_FILL, border=BOX)
    for category in content["categories"]:
        row += 1
        _put(ws, row, 1, category["name"], border=BOX)
        _put(ws, row, 2, _figure(category["subtotal"]), font=None if category["passed"] else FAIL_FONT, border=BOX)
        _put(ws, row, 3, _figure(category["max"]), border=BOX)
        _put(ws, row, 4, _figure(category["minimum"]), border=BOX)
    row += 1
    _put(ws, row, 1, _("Total"), font=BOLD, border=BOX)
    _put(ws, row, 2, _figure(content["total"]), font=BOLD if content["reaches_total"] else FAIL_FONT, border=BOX)
    _put(ws, row, 3, _figure(content["max_total"]), border=BOX)
    _put(ws, row, 4, "", border=BOX)
    row += 1
    _put(ws, row, 1, _("Naming threshold"), font=BOLD, border=BOX)
    _put(ws, row, 2, _figure(content["threshold"]), border=BOX)
    _put(ws, row, 3, "", border=BOX)
    _put(ws, row, 4, "", border=BOX)

    row = _write_inspector_totals(ws, row + 2, content)

    row += 2
    _put(ws, row, 1, _("Veto items"), font=BOLD)
    if not content["vetoes"]:
        _put(ws, row, 3, _("None found"))
    for index, veto in enumerate(content["vetoes"]):
        row += 1 if index else 0
        _put(ws, row, 3, veto["text"], alignment=WRAP)
        _put(ws, row, 4, "、".join(veto["inspectors"]), alignment=TOP)
        _put(ws, row, 5, "\n".join(veto["notes"]), alignment=TOP)

    row += 2
    _put(ws, row, 1, _("Recommendation"), font=BOLD)
    _put(ws, row, 3, content["recommendation"], font=BOLD if content["meets_standard"] else FAIL_FONT)
    for reason in content["reasons"]:
        row += 1
        _put(ws, row, 3, reason, alignment=WRAP)

    row += 2
    _put(ws, row, 1, _("Agreement of the team"), font=BOLD)
    _put(ws, row, 3, "ICC(2,1)")
    _put(ws, row, 4, content["icc_single"])
    row += 1
    _put(ws, row, 3, "ICC(2,k)")
    _put(ws, row, 4, content["icc_average"])

    _fit_columns(ws, rows=range(header_row, table_end + 1))
    # The indicator's text wraps in a wide column rather than making the table unreadable.
    ws.column_dimensions["C"].width = WIDEST


def _write_inspector_totals(ws, row: int, content) -> int:
    """Each inspector's own category subtotals and total, the team's below them; returns
    the last row written."""
    headers = [_("Inspector"), _("Role in the team")] + [c["name"] for c in content["categories"]] + [_("Total")]
    for column, header in enumerate(headers, start=1):
        _put(ws, row, column, header, font=BOLD, fill=HEADER_FILL, alignment=WRAP, border=BOX)
    for member in content["team"]:
        row += 1
        figures = [member.name, member.role, *member.subtotals, member.total]
        for column, value in enumerate(figures, start=1):
            _put(ws, row, column, _figure(value) if column > 2 else value, border=BOX)
    row += 1
    team = [_("Team"), "", *(c["subtotal"] for c in content["categories"]), content["total"]]
    for column, value in enumerate(team, start=1):
        _put(ws, row, column, _figure(value) if column > 2 else value, font=BOLD, border=BOX)
    return row


def _flag_legend(limit: str) -> str:
    return _("The scores of the inspectors differ by more than %(limit)s points.") % {"limit": limit}


def _write_sheet(ws, sheet: Sheet) -> None:
    member = sheet.member
    _put(ws, 1, 1, member.name, font=TITLE_FONT)
    _put(ws, 1, 2, member.role, font=BOLD)
    row = _write_pairs(ws, 2, [(_("Work unit"), member.employer), (_("Submitted on"), member.submitted_on)])
    row += 1
    header_row = row
    headers = [_("No."), _("Indicator"), _("maximum score"), _("Score"), _("comment")]
    for column, header in enumerate(headers, start=1):
        _put(ws, row, column, header, font=BOLD, fill=HEADER_FILL, border=BOX)
    for entry in sheet.entries:
        row += 1
        _put(ws, row, 1, entry.number, alignment=TOP, border=BOX)
        _put(ws, row, 2, entry.text, alignment=WRAP, border=BOX)
        _put(ws, row, 3, _figure(entry.max), alignment=TOP, border=BOX)
        _put(ws, row, 4, _figure(entry.score), alignment=TOP, border=BOX)
        _put(ws, row, 5, entry.comment, alignment=WRAP, border=BOX)
    row += 1
    _put(ws, row, 2, _("Total"), font=BOLD, border=BOX)
    _put(ws, row, 4, _figure(member.total), font=BOLD, border=BOX)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    _fit_columns(ws, rows=range(header_row, row + 1))


def report_xlsx(inspection) -> bytes:
    """The report of the finalised `inspection` as an Excel workbook: the summary first,
    then one worksheet per inspector with its scores and comments."""
    content = report_content(inspection)
    workbook = Workbook()
    summary = workbook.active
    taken = set()
    summary.title = _sheet_title(_("Summary"), taken)
    _write_summary(summary, content)
    for sheet in content["sheets"]:
        _write_sheet(workbook.create_sheet(_sheet_title(sheet.member.name, taken)), sheet)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
