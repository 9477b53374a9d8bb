"""What an uploaded file really is, recognised by its content. Shared by every app that
accepts files (notices' attachments, a unit's materials).

The extension of a file's name says what it claims to be; the first bytes (and, for the
ZIP-based Office formats, the folders inside the container) say what it is. An app
accepts a file only when both agree, so that a renamed executable or HTML page never
reaches a reader's computer as "a Word document". Each app keeps its own table of
accepted types (`types_for`); the recognition below is the same for all.
"""

import re
import zipfile
from dataclasses import dataclass

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Old binary Office files (.doc, .xls, .ppt) share the OLE2 compound-file container.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# Matroska/WebM files start with an EBML header that names the document type.
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
# The ISO base media file format (MP4, QuickTime) opens with a box "ftyp" at offset 4
# whose first four bytes name the major brand.
FTYP = b"ftyp"
QUICKTIME_BRAND = b"qt  "
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VP", b"dash", b"mmp4"}
)
# Enough for every signature above, and for the EBML header's DocType.
HEAD_BYTES = 64
# How far into a file to look for markup that a browser would run.
MARKUP_SNIFF_BYTES = 1024
# A complete file ends with its format's closing marker: a PDF with "%%EOF" within its
# last 1024 bytes (where readers look for it), a JPEG with its end-of-image marker, a PNG
# with its IEND chunk. A file cut short in transfer, or a header glued before a web page,
# has none and is no file of that type.
PDF_END = b"%%EOF"
PDF_TAIL_BYTES = 1024
JPEG_END = b"\xff\xd9"
PNG_END = b"IEND"
SCAN_CHUNK = 1024 * 1024
# A ZIP (or Office file) whose members would unpack to more than this, or a member to
# more than ZIP_MAX_RATIO times its packed size, is a zip bomb: refused unopened.
ZIP_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM_BYTES = 10 * 1024 * 1024

EXECUTABLE_MAGICS = (
    b"MZ",  # Windows PE/DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O 32 and 64 bit, both byte orders, and fat binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # a script with an interpreter line
)
HTML_START = re.compile(rb"^<(!doctype\s+html|html|head|body|script|iframe|meta|title|style|!--)", re.IGNORECASE)
SVG_TAG = re.compile(rb"<svg[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class FileType:
    extension: str
    content_kind: str
    content_type: str


KNOWN_TYPES = {
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
        FileType("mp4", "mp4", "video/mp4"),
        FileType("mov", "mov", "video/quicktime"),
        FileType("webm", "webm", "video/webm"),
    )
}

# The part folder that tells the three Office Open XML formats apart inside the ZIP.
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def types_for(*extensions: str) -> dict[str, FileType]:
    """The known types of `extensions`, as an app's table of accepted types."""
    return {extension: KNOWN_TYPES[extension] for extension in extensions}


def extension_of(name: str) -> str:
    """The lower-case extension of `name` without the dot, or "" when it has none."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def content_kinds(file) -> set[str]:
    """The kinds `file`'s content really is ("pdf", "ole", "docx", "zip", "mp4", ...).

    `file` must be seekable (Django's uploaded files are); it is left at its start. A
    .docx is both "docx" and "zip"; an unknown or broken file is no kind at all."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    kinds = set()
    if head.startswith(PDF_MAGIC):
        # A PDF that is also a ZIP (a polyglot) is neither to us.
        if PDF_END in _tail(file, PDF_TAIL_BYTES) and not zipfile.is_zipfile(file):
            kinds.add("pdf")
    elif head.startswith(JPEG_MAGIC):
        if _contains(file, JPEG_END, start=len(JPEG_MAGIC)):
            kinds.add("jpeg")
    elif head.startswith(PNG_MAGIC):
        if _contains(file, PNG_END, start=len(PNG_MAGIC)):
            kinds.add("png")
    elif head.startswith(OLE_MAGIC):
        kinds.add("ole")
    elif head.startswith(ZIP_MAGICS):
        kinds |= _zip_kinds(file)
    elif head[4:8] == FTYP:
        brand = head[8:12]
        if brand == QUICKTIME_BRAND:
            kinds.add("mov")
        elif brand in MP4_BRANDS:
            kinds.add("mp4")
    elif head.startswith(EBML_MAGIC) and b"webm" in head:
        kinds.add("webm")
    file.seek(0)
    return kinds


def _tail(file, size: int) -> bytes:
    file.seek(0, 2)
    file.seek(max(0, file.tell() - size))
    return file.read()


def _contains(file, marker: bytes, *, start: int) -> bool:
    """Does `file` hold `marker` past `start`? Read in chunks, never whole."""
    file.seek(start)
    carry = b""
    while chunk := file.read(SCAN_CHUNK):
        if marker in carry + chunk:
            return True
        carry = chunk[-(len(marker) - 1) :]
    return False


def _is_bomb(infos) -> bool:
    if sum(info.file_size for info in infos) > ZIP_MAX_UNPACKED_BYTES:
        return True
    return any(
        info.file_size > ZIP_RATIO_FROM_BYTES and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )


def _zip_kinds(file) -> set[str]:
    # Only the central directory is read: nothing is extracted, so a ZIP bomb costs
    # nothing, and the sizes it declares are enough to refuse one.
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return set()
    if _is_bomb(infos):
        return set()
    names = [info.filename for info in infos]
    kinds = {"zip"}
    if "[Content_Types].xml" in names:
        for kind, folder in OOXML_FOLDERS.items():
            if any(name.startswith(folder) for name in names):
                kinds.add(kind)
    return kinds


def active_content(file) -> str:
    """ "executable", "html" or "svg" when `file` is a program or markup that a browser
    or an operating system would run, whatever its name; "" otherwise.

    Such a file never matches an accepted type anyway; telling it apart lets the
    uploader read why it was refused. `file` is left at its start."""
    file.seek(0)
    head = file.read(MARKUP_SNIFF_BYTES)
    file.seek(0)
    if head.startswith(EXECUTABLE_MAGICS):
        return "executable"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    # Only a file that starts as markup is read as markup: a PDF or a photo may well
    # carry "<svg" in its metadata and is served as what it is.
    if not text.startswith(b"<"):
        return ""
    if SVG_TAG.search(text):
        return "svg"
    if HTML_START.match(text):
        return "html"
    return ""


def matches_content(file, file_type: FileType) -> bool:
    """Does `file`'s content really have the type its name claims?"""
    return file_type.content_kind in content_kinds(file)
