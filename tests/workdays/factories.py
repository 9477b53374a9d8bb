import io

from openpyxl import Workbook


def holiday_workbook(rows, header=("日期", "类型", "节日")) -> bytes:
    """A filled-in holiday template: `rows` of (date, kind, name) cells as Excel reads them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
