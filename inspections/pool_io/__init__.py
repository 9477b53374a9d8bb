"""The expert pool as an Excel workbook: layout, template and export (workbook), and the
checked import (importing)."""

from inspections.pool_io.importing import (
    check_upload,
    check_workbook,
    discard_stash,
    import_report,
    open_stash,
    stash_upload,
)
from inspections.pool_io.workbook import (
    COLUMNS,
    EXAMPLE_MARK,
    HEADERS,
    MAX_ROWS,
    STASH_FOLDER,
    STASH_HOURS,
    XLSX_CONTENT_TYPE,
    area_names,
    can_export_unmasked,
    export_workbook,
    template_workbook,
)

__all__ = [
    "COLUMNS",
    "EXAMPLE_MARK",
    "HEADERS",
    "MAX_ROWS",
    "STASH_FOLDER",
    "STASH_HOURS",
    "XLSX_CONTENT_TYPE",
    "area_names",
    "can_export_unmasked",
    "check_upload",
    "check_workbook",
    "discard_stash",
    "export_workbook",
    "import_report",
    "open_stash",
    "stash_upload",
    "template_workbook",
]
