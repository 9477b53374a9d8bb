"""Which files may be attached to a notice, recognised by their content.

The extension of a file's name says what it claims to be; the first bytes (and, for the
ZIP-based Office formats, the folders inside the container) say what it is. A file is
accepted only when both agree, so that a renamed executable or HTML page never reaches
a reader's computer as "a Word document".
"""

import zipfile
from dataclasses import dataclass

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Old binary Office files (.doc, .xls, .ppt) share the OLE2 compound-file container.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
HEAD_BYTES = 8


@dataclass(frozen=True)
class FileType:
    extension: str
    content_kind: str
    content_type: str


FILE_TYPES = {
    file_type.extension: file_type
    for file_type in (
        FileType("pdf", "pdf", "application/pdf"),
        FileType("doc", "ole", "application/msword"),
        FileType("xls", "ole", "application/vnd.ms-excel"),
        FileType("ppt", "ole", "application/vnd.ms-powerpoint"),
        FileType("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        FileType("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        FileType("pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        FileType("jpg", "jpeg", "image/jpeg"),
        FileType("jpeg", "jpeg", "image/jpeg"),
        FileType("png", "png", "image/png"),
        FileType("zip", "zip", "application/zip"),
    )
}
ALLOWED_EXTENSIONS = tuple(FILE_TYPES)

# The part folder that tells the three Office Open XML formats apart inside the ZIP.
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def extension_of(name: str) -> str:
    """The lower-case extension of `name` without the dot, or "" when it has none."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def file_type_for(name: str) -> FileType | None:
    """The accepted type that `name` claims to be, or None when its extension is not accepted."""
    return FILE_TYPES.get(extension_of(name))


def content_kinds(file) -> set[str]:
    """The kinds `file`'s content really is ("pdf", "ole", "docx", "zip", ...).

    `file` must be seekable (Django's uploaded files are); it is left at its start. A
    .docx is both "docx" and "zip"; an unknown or broken file is no kind at all."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    kinds = set()
    if head.startswith(PDF_MAGIC):
        kinds.add("pdf")
    elif head.startswith(JPEG_MAGIC):
        kinds.add("jpeg")
    elif head.startswith(PNG_MAGIC):
        kinds.add("png")
    elif head.startswith(OLE_MAGIC):
        kinds.add("ole")
    elif head.startswith(ZIP_MAGICS):
        kinds |= _zip_kinds(file)
    file.seek(0)
    return kinds


def _zip_kinds(file) -> set[str]:
    # Only the central directory is read: nothing is extracted, so a ZIP bomb costs nothing.
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return set()
    kinds = {"zip"}
    if "[Content_Types].xml" in names:
        for kind, folder in OOXML_FOLDERS.items():
            if any(name.startswith(folder) for name in names):
                kinds.add(kind)
    return kinds


def matches_content(file, file_type: FileType) -> bool:
    """Does `file`'s content really have the type its name claims?"""
    return file_type.content_kind in content_kinds(file)
