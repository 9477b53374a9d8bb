import io

import pytest

from notices import filetypes
from tests.notices import factories


@pytest.mark.parametrize(
    ("content", "kinds"),
    [
        (factories.PDF, {"pdf"}),
        (factories.PNG, {"png"}),
        (factories.JPEG, {"jpeg"}),
        (factories.OLE, {"ole"}),
        (factories.DOCX, {"docx", "zip"}),
        (factories.XLSX, {"xlsx", "zip"}),
        (factories.PPTX, {"pptx", "zip"}),
        (factories.ZIP, {"zip"}),
        (factories.HTML, set()),
        (factories.EXE, set()),
        (b"PK\x03\x04 not really a zip", set()),
        (b"", set()),
    ],
)
def test_filetypes_content_kinds(content, kinds):
    file = io.BytesIO(content)
    assert filetypes.content_kinds(file) == kinds
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("name", "extension"),
    [("通知.PDF", "pdf"), ("a.b.docx", "docx"), ("noextension", ""), (".pdf", ""), ("评价细则.", "")],
)
def test_filetypes_extension_of(name, extension):
    assert filetypes.extension_of(name) == extension
