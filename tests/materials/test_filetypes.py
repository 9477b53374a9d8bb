"""core.filetypes, as the materials app relies on it (the notices tests cover the rest)."""

import io

import pytest

from core import filetypes
from tests.materials import factories


@pytest.mark.parametrize(
    ("content", "kinds"),
    [
        (factories.MP4, {"mp4"}),
        (factories.MOV, {"mov"}),
        (factories.WEBM, {"webm"}),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", set()),  # a HEIC photo is no video
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", set()),
        (factories.JPEG, {"jpeg"}),
        (factories.SVG, set()),
    ],
)
def test_filetypes_content_kinds_of_videos(content, kinds):
    file = io.BytesIO(content)
    assert filetypes.content_kinds(file) == kinds
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("content", "active"),
    [
        (factories.EXE, "executable"),
        (factories.ELF, "executable"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "executable"),
        (b"#!/bin/sh\nrm -rf /\n", "executable"),
        (factories.HTML, "html"),
        (b"\xef\xbb\xbf  \n<HTML><body>hi</body></HTML>", "html"),
        (b"<script>alert(1)</script>", "html"),
        (factories.SVG, "svg"),
        (b"<svg onload=alert(1)>", "svg"),
        (factories.PDF, ""),
        (factories.PDF + b"<svg onload=alert(1)>", ""),
        (factories.JPEG, ""),
        (b"<?xml version='1.0'?><note/>", ""),
        (b"", ""),
    ],
)
def test_filetypes_active_content(content, active):
    file = io.BytesIO(content)
    assert filetypes.active_content(file) == active
    assert file.tell() == 0


def test_filetypes_each_app_keeps_its_own_table():
    from materials.uploads import ACCEPTED_TYPES
    from notices.filetypes import FILE_TYPES

    assert "zip" in FILE_TYPES
    assert "zip" not in ACCEPTED_TYPES
    assert {"mp4", "mov", "webm"} <= set(ACCEPTED_TYPES) - set(FILE_TYPES)
