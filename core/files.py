"""Every file the platform hands out goes through here: stored uploads (`stream_stored`)
and documents made on the fly (`attachment`).

Every stored file handed to a signed-in person leaves one audit record `file.download`: who, which object and file (and version), shown
or saved, and the organisation the file belongs to. Pictures shown inline on a page
(thumbnails, the first page of a PDF) are downloads too; each answer writes exactly one
record, and nothing for a file that is missing. A visitor without a login reaches only
public files (a published notice's attachment, a published article's photo) and leaves
no record: there is nobody to name, and anyone could fill the log with them.

An uploaded file is shown by the browser itself (inline) only when the caller asks for it
and its content really is a PDF, a JPEG or a PNG (core.filetypes): anything else, an HTML
page or an SVG named "photo.jpg" included, comes as a download, so that no upload ever
runs as a page of the platform's origin. The name a user gave a file is cleaned before
it reaches the Content-Disposition header (RFC 6266, with RFC 5987's filename* for
Chinese names).
"""

import mimetypes
import posixpath
import unicodedata
from io import BytesIO

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from core.filetypes import active_content, content_kinds

# What a browser may show by itself, by the kind its content really is.
INLINE_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
# Types a browser would run as a page or a script if it ever rendered them; a download
# of such a file is sent as plain bytes.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-shockwave-flash",
    }
)
OCTET_STREAM = "application/octet-stream"
# A shown file runs in an origin of its own without our cookies, and nobody frames it.
INLINE_POLICY = "sandbox; frame-ancestors 'none'"
MAX_NAME_CHARS = 120
FALLBACK_NAME = "download"
# Control and format characters (CR/LF, NUL, right-to-left overrides), surrogates,
# private-use characters and line or paragraph separators.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def safe_filename(name: str, *, default: str = FALLBACK_NAME) -> str:
    """`name` fit for a Content-Disposition header and a reader's disk: the last part of
    a path only, without control or format characters (CR/LF, NUL, right-to-left
    overrides), quotes, backslashes or leading dots, at most MAX_NAME_CHARS characters
    with the extension kept; `default` when nothing is left."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_clean_char(char) for char in name)
    name = " ".join(name.split()).lstrip(". ")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 10:
            name = f"{stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip()}.{extension}"
        else:
            name = name[:MAX_NAME_CHARS]
    return name or default


def _clean_char(char: str) -> str:
    if char in "\r\n\t":
        return " "
    if char in "\"'`" or unicodedata.category(char) in UNSAFE_CATEGORIES:
        return ""
    # Characters no desktop accepts in a file name.
    return "_" if char in "<>:|?*" else char


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition header for `filename`, cleaned by safe_filename."""
    return content_disposition_header(not inline, safe_filename(filename))


def download_type(content_type: str | None, filename: str = "") -> str:
    """The Content-Type of a download: the declared one (or the one its name suggests),
    except a type a browser would run, which goes as plain bytes."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or OCTET_STREAM
    if content_type.split(";")[0].strip().lower() in ACTIVE_TYPES:
        return OCTET_STREAM
    return content_type


def _private(response):
    # Nobody else's business: no shared or lasting cache keeps it, and the browser takes
    # the declared type at its word.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stream_stored(
    request,
    name: str,
    *,
    obj,
    scope,
    filename: str = "",
    content_type: str | None = None,
    inline: bool = False,
    part: str = "file",
    version: int | None = None,
) -> FileResponse:
    """Stream the stored file `name` (local disk or S3) to `request.user`, whom the caller
    already checked may read it, and audit it; 404 (and no record) when the file is
    missing.

    `obj` is what the file is of (a material version, a photo, an attachment), `scope`
    the organisation it belongs to (None for the provincial office's own files), `part`
    which picture of it this is ("file", "preview", "page", "thumbnail"), `version` its
    number when it has versions. One audit row `file.download` for a signed-in user;
    none for a visitor without a login (see the module's docstring).

    `inline=True` asks the browser to show it, which is granted only to a PDF, JPEG or
    PNG by content (then sent with the type its content has, in a sandbox); everything
    else is an attachment named `filename` (or the stored name)."""
    try:
        stream = default_storage.open(name, "rb")
    except OSError as error:
        raise Http404 from error
    shown_as = _inline_type(stream) if inline else None
    filename = filename or name
    if shown_as:
        response = FileResponse(stream, content_type=shown_as)
        response["Content-Security-Policy"] = INLINE_POLICY
    else:
        response = FileResponse(stream, content_type=download_type(content_type, filename))
    response["Content-Disposition"] = content_disposition(filename, inline=bool(shown_as))
    try:
        _record_download(
            request,
            obj=obj,
            scope=scope,
            name=name,
            filename=filename,
            part=part,
            version=version,
            shown=bool(shown_as),
        )
    except BaseException:
        stream.close()
        raise
    return _private(response)


def _record_download(request, *, obj, scope, name, filename, part, version, shown) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    from audit.services import record_event  # audit imports core: import it only when needed

    details = {
        "file": safe_filename(getattr(obj, "original_name", "") or filename or posixpath.basename(name)),
        "part": part,
        "shown": shown,
        "organisation": scope.pk if scope is not None else None,
        "organisation_name": str(scope) if scope is not None else "",
    }
    if version is not None:
        details["version"] = version
    record_event(actor=user, action="file.download", obj=obj, details=details)


def _inline_type(stream) -> str | None:
    kinds = content_kinds(stream) & INLINE_TYPES.keys()
    if len(kinds) != 1 or active_content(stream):
        return None
    return INLINE_TYPES[kinds.pop()]


def as_download(response: HttpResponse, *, filename: str) -> HttpResponse:
    """`response` (a document made for this request: a report, a certificate, a
    workbook) made a download named `filename`, kept by no cache."""
    response["Content-Type"] = download_type(response["Content-Type"], filename)
    response["Content-Disposition"] = content_disposition(filename)
    return _private(response)


def attachment(content: bytes, *, filename: str, content_type: str) -> FileResponse:
    """`content` streamed as a download named `filename` (see as_download)."""
    return as_download(FileResponse(BytesIO(content), content_type=content_type), filename=filename)
