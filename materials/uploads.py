"""Checking and storing one uploaded file of a unit: the part of an upload that happens
before, and apart from, the database.

`check_file` refuses anything that is not what it claims to be, before a byte is
written. `store` streams the file to the default storage (local disk or S3) under a
random name, hashing it on the way, and makes a thumbnail of an image. If anything
fails, what was already stored is deleted again; the services do the same when the
database rows that would point at the files cannot be written.
"""

import hashlib
import io
import logging
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core import filetypes

logger = logging.getLogger(__name__)

FOLDER = "materials"
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
ACCEPTED_TYPES = filetypes.types_for(
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "mp4", "mov", "webm"
)
ACCEPTED_EXTENSIONS = tuple(ACCEPTED_TYPES)
IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
THUMBNAIL_PIXELS = 320
HASH_CHUNK_BYTES = 1024 * 1024
NAME_SHOWN_CHARS = 80


def max_bytes() -> int:
    """The largest file accepted; settings.MATERIAL_MAX_BYTES, 100 MB unless set."""
    return getattr(settings, "MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    file_type: filetypes.FileType
    original_name: str

    @property
    def stem(self) -> str:
        return self.original_name.rsplit(".", 1)[0]

    @property
    def is_image(self) -> bool:
        return self.file_type.content_kind in IMAGE_FORMATS


@dataclass(frozen=True)
class StoredFile:
    checked: CheckedFile
    name: str
    size: int
    sha256: str
    thumbnail: str = ""

    @property
    def names(self) -> list[str]:
        return [name for name in (self.name, self.thumbnail) if name]


def _printable(name: str) -> str:
    # Control and format characters (a right-to-left override that turns "exe.pdf"
    # around, a line break that would split a header) never reach a page or a header.
    return "".join(ch for ch in name if ch.isprintable()).strip()


def _shown(name: str) -> str:
    """The name as a message quotes it: printable, and not endless."""
    shown = _printable(name)
    return shown if len(shown) <= NAME_SHOWN_CHARS else f"{shown[: NAME_SHOWN_CHARS - 1]}…"


def display_name(name: str) -> str:
    """The uploader's own name, kept for display and download: printable characters
    only and at most 255 of them, the extension kept."""
    cleaned = _printable(name)
    if len(cleaned) <= 255:
        return cleaned
    stem, _dot, extension = cleaned.rpartition(".")
    return f"{stem[: 254 - len(extension)]}.{extension}"


def is_unsafe_name(name: str) -> bool:
    """A name that tries to point elsewhere: a path, a parent folder, a NUL byte.
    Browsers send bare names; anything else is an attempt or a broken client."""
    return any(sep in name for sep in ("/", "\\", "\x00")) or set(name.strip()) <= {"."}


def _refusal(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _is_readable_image(file, file_type: filetypes.FileType) -> bool:
    # Image.open reads the header only: a file whose first bytes say PNG but which
    # Pillow cannot parse is no image a reader could look at.
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                return image.format == IMAGE_FORMATS[file_type.content_kind]
    except Image.DecompressionBombError:
        # Too many pixels to draw a thumbnail, but an image all the same.
        return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
    finally:
        file.seek(0)


def check_file(upload) -> CheckedFile:
    """Refuse, with a ValidationError on the field "file" that names the file and the
    reason, a file that: has a path or NUL byte in its name, is empty, is larger than
    max_bytes(), is a program or markup that could run script (whatever its name), has
    an extension not in ACCEPTED_TYPES, or whose content is not what its extension
    says. Writes nothing; leaves `upload` at its start."""
    name = upload.name or ""
    shown = _shown(name)
    limit = max_bytes()
    if is_unsafe_name(name):
        error = _refusal(
            _("“%(name)s” cannot be uploaded: a file name may not contain a folder or special characters."),
            "unsafe_name",
            name=shown,
        )
    elif not upload.size:
        error = _refusal(_("“%(name)s” is empty: choose the file again."), "empty", name=shown)
    elif upload.size > limit:
        error = _refusal(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s."),
            "too_large",
            name=shown,
            size=filesizeformat(upload.size),
            limit=filesizeformat(limit),
        )
    else:
        active = filetypes.active_content(upload)
        file_type = ACCEPTED_TYPES.get(filetypes.extension_of(name))
        if active == "executable":
            error = _refusal(
                _("“%(name)s” is a program, not a document: programs cannot be uploaded."), "executable", name=shown
            )
        elif active:
            error = _refusal(
                _("“%(name)s” is a web page or an SVG drawing, which could run script: it cannot be uploaded."),
                "markup",
                name=shown,
            )
        elif file_type is None:
            error = _refusal(
                _(
                    "“%(name)s” cannot be uploaded: only PDF, Word, Excel, PowerPoint, JPEG and PNG images, "
                    "and MP4, MOV or WebM videos can."
                ),
                "type",
                name=shown,
            )
        elif not filetypes.matches_content(upload, file_type) or (
            file_type.content_kind in IMAGE_FORMATS and not _is_readable_image(upload, file_type)
        ):
            error = _refusal(
                _(
                    "The content of “%(name)s” is not a .%(extension)s file, whatever its name says. "
                    "Save it again in that format, or give it the right extension."
                ),
                "content",
                name=shown,
                extension=file_type.extension,
            )
        else:
            return CheckedFile(upload=upload, file_type=file_type, original_name=display_name(name))
    raise ValidationError({"file": [error]})


class HashingReader(File):
    """The upload as the storage reads it, hashed on the way: no second pass over a
    100 MB file. A storage that rewinds to the start (both of ours do, before they
    copy) starts the hash again; one that jumps elsewhere makes it incomplete, and
    `hexdigest()` then answers None so that the caller hashes on its own."""

    def __init__(self, upload, *, content_type: str):
        super().__init__(upload, name=upload.name)
        # S3 stores it as the object's Content-Type.
        self.content_type = content_type
        self._restart()

    def _restart(self):
        self._hash = hashlib.sha256()
        self._count = 0
        self._in_order = True

    def seek(self, offset, whence=io.SEEK_SET):
        position = self.file.seek(offset, whence)
        if position == 0:
            self._restart()
        elif position != self._count:
            self._in_order = False
        return position

    def read(self, size=-1):
        data = self.file.read(size)
        self._hash.update(data)
        self._count += len(data)
        return data

    def hexdigest(self) -> str | None:
        return self._hash.hexdigest() if self._in_order and self._count == self.size else None


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(HASH_CHUNK_BYTES), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def make_thumbnail(checked: CheckedFile) -> ContentFile | None:
    """A JPEG (PNG for a PNG, keeping transparency) of at most THUMBNAIL_PIXELS on its
    longer side, turned upright as the camera recorded it; None when the image cannot
    be drawn (broken data, too many pixels), which leaves the file without thumbnail."""
    upload = checked.upload
    output = io.BytesIO()
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # A decompression bomb is an error here: no thumbnail rather than a full decode.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                # JPEG only: decode at a fraction of the size, far less memory for a large photo.
                image.draft("RGB", (THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
                picture = ImageOps.exif_transpose(image)
                picture.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
                if image.format == "PNG":
                    picture.save(output, format="PNG", optimize=True)
                else:
                    picture.convert("RGB").save(output, format="JPEG", quality=85)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        logger.warning("no thumbnail could be made of %s", checked.original_name, exc_info=True)
        return None
    finally:
        upload.seek(0)
    return ContentFile(output.getvalue())


def store(checked: CheckedFile, *, under: str = FOLDER) -> StoredFile:
    """Stream the checked file, and the thumbnail of an image, into a folder of their
    own under random names (<under>/<uuid>/<uuid>.<ext>): nothing of the uploader's
    name reaches the storage, and nobody can guess where a file lies. If anything
    fails, whatever was written is deleted again and the error goes on. Other apps pass
    their own `under`: the sweep of orphan material files reads only materials/."""
    folder = f"{under}/{uuid.uuid4().hex}"
    written = []
    try:
        requested = f"{folder}/{uuid.uuid4().hex}.{checked.file_type.extension}"
        # Named before saving: a storage that fails half-way may leave a partial file there.
        written.append(requested)
        reader = HashingReader(checked.upload, content_type=checked.file_type.content_type)
        name = default_storage.save(requested, reader)
        written.append(name)
        sha256 = reader.hexdigest() or _sha256_of(checked.upload)
        thumbnail_name = ""
        thumbnail = make_thumbnail(checked) if checked.is_image else None
        if thumbnail is not None:
            extension = "png" if checked.file_type.content_kind == "png" else "jpg"
            requested = f"{folder}/{uuid.uuid4().hex}.{extension}"
            written.append(requested)
            thumbnail_name = default_storage.save(requested, thumbnail)
            written.append(thumbnail_name)
    except BaseException:
        discard(written)
        raise
    return StoredFile(checked=checked, name=name, size=checked.upload.size, sha256=sha256, thumbnail=thumbnail_name)


def discard(names: Iterable[str]) -> None:
    """Delete stored files that no row points at (or will); a failing delete is logged,
    not raised over the error that made them orphans."""
    for name in dict.fromkeys(names):
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("could not delete the stored file %s", name)
