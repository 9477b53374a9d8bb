"""Which files may be attached to a notice. What a file really is, is recognised by its
content in core.filetypes, shared with the other apps that accept files."""

from core.filetypes import FileType, content_kinds, extension_of, matches_content, types_for

__all__ = [
    "ALLOWED_EXTENSIONS",
    "FILE_TYPES",
    "FileType",
    "content_kinds",
    "extension_of",
    "file_type_for",
    "matches_content",
]

FILE_TYPES = types_for("pdf", "doc", "xls", "ppt", "docx", "xlsx", "pptx", "jpg", "jpeg", "png", "zip")
ALLOWED_EXTENSIONS = tuple(FILE_TYPES)


def file_type_for(name: str) -> FileType | None:
    """The accepted type that `name` claims to be, or None when its extension is not accepted."""
    return FILE_TYPES.get(extension_of(name))
