"""Malformed and hostile files for tests/core/test_fuzz_uploads.py.

The zip bomb is made without ever holding its content: a 1 GiB member of zeros whose
deflate stream is one compressed megabyte repeated (after a full flush every further
megabyte of zeros compresses to the same bytes), about 1 MB on the wire.
"""

import struct
import zlib

from tests.materials.factories import CONTENT_TYPES_XML, JPEG, PDF, XLSX

BOMB_SIZE = 1 << 30
_MB = 1 << 20


def _deflated_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(_MB)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + again * (size // _MB - 1) + compressor.flush()


def _crc_of_zeros(size: int) -> int:
    crc, zeros = 0, bytes(_MB)
    for _ in range(size // _MB):
        crc = zlib.crc32(zeros, crc)
    return crc


def _zip(members) -> bytes:
    """A zip of (name, method, crc, stored bytes, size) members, written by hand so that a
    member can be given as already-compressed bytes."""
    local, central, offset = b"", b"", 0
    for name, method, crc, stored, size in members:
        encoded = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(stored), size, len(encoded), 0
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(stored),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
        local += header + encoded + stored
        offset += len(header) + len(encoded) + len(stored)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), offset, 0)
    return local + central + end


def zip_bomb(member: str) -> bytes:
    """An Office Open XML look-alike whose `member` unpacks to 1 GiB of zeros."""
    types = ("[Content_Types].xml", 0, zlib.crc32(CONTENT_TYPES_XML), CONTENT_TYPES_XML, len(CONTENT_TYPES_XML))
    return _zip([types, (member, 8, _crc_of_zeros(BOMB_SIZE), _deflated_zeros(BOMB_SIZE), BOMB_SIZE)])


SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
GIF_HTML = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00," + SCRIPT
JPEG_HTML = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + SCRIPT
PDF_ZIP = PDF + XLSX  # a PDF that is also a zip (its directory is found from the end)
TRUNCATED_PDF = PDF[: len(PDF) // 2]
TRUNCATED_JPEG = JPEG[: len(JPEG) // 3]
LONG_NAME = "报告" * 150 + "\x00\r\n\t<script>\u202e" + "fdp.pdf"


def malformed(bomb_xlsx: bytes, bomb_docx: bytes) -> list[tuple[str, str, bytes]]:
    """(case, file name, content) of every hostile file."""
    return [
        ("truncated pdf", "总结.pdf", TRUNCATED_PDF),
        ("truncated jpeg", "现场.jpg", TRUNCATED_JPEG),
        ("zip bomb as xlsx", "名单.xlsx", bomb_xlsx),
        ("zip bomb as docx", "报告.docx", bomb_docx),
        ("gif and html", "现场.gif", GIF_HTML),
        ("gif and html as jpg", "现场.jpg", GIF_HTML),
        ("jpeg and html", "现场.jpg", JPEG_HTML),
        ("pdf and zip", "总结.pdf", PDF_ZIP),
        ("html as pdf", "总结.pdf", SCRIPT),
        ("empty pdf", "总结.pdf", b""),
        ("empty xlsx", "名单.xlsx", b""),
        ("empty jpg", "现场.jpg", b""),
        ("jpeg named pdf", "总结.pdf", JPEG),
        ("pdf named jpg", "现场.jpg", PDF),
        ("pdf named xlsx", "名单.xlsx", PDF),
        ("program named pdf", "总结.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
    ]
