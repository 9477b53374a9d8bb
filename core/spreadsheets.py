"""What every Excel workbook of the platform shares: the checks of an upload (expert pool,
bulk imports), reading a cell as text, and the width text takes in a column."""

import unicodedata
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import filetypes


def unreadable_workbook() -> ValidationError:
    return ValidationError(
        _("This file cannot be read as an Excel workbook (.xlsx). Save it as .xlsx in Excel or WPS and try again."),
        code="unreadable",
    )


def check_xlsx_upload(upload, *, max_bytes: int, max_unpacked_bytes: int) -> None:
    """Refuse, with a message for the user, anything but a plausible .xlsx workbook of at
    most `max_bytes` whose content does not inflate past `max_unpacked_bytes` (a zip bomb
    would otherwise fill the memory of whoever opens it)."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(size)d MB. Split it into several files.")
            % {"size": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    if filetypes.extension_of(upload.name or "") != "xlsx":
        raise ValidationError(
            _("Only Excel workbooks (.xlsx) can be imported. Download the template and fill it in."),
            code="not_xlsx",
        )
    if "xlsx" not in filetypes.content_kinds(upload):
        raise unreadable_workbook()
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise unreadable_workbook() from error
    finally:
        upload.seek(0)
    if unpacked > max_unpacked_bytes:
        raise unreadable_workbook()


def cell_text(value) -> str:
    """A cell as text: numbers typed into a text column (a phone as 13812345678 or
    1.3812345678E10) come back as their digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def display_width(text: str) -> int:
    """Columns of Excel's default font the text takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
