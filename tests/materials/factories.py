"""Files and materials for the materials tests (and the applications tests, which need a
unit's evidence and work summary). Materials are made through the services."""

import io
import zipfile

from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import Indicator
from campaigns.selectors import current_campaign, current_version
from materials import services
from materials.models import Kind


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _image(image_format: str, size=(800, 600), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 40, 40) if mode == "RGB" else (200, 40, 40, 128)).save(buffer, format=image_format)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PDF_2 = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = _image("JPEG")
PNG = _image("PNG", size=(300, 900), mode="RGBA")
SMALL_PNG = _image("PNG", size=(40, 30))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
DOCX = _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "xl/workbook.xml": b"<workbook/>"})
PPTX = _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "ppt/presentation.xml": b"<presentation/>"})
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 64
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00\x00\x00\x08wide" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + (
    b"\x00" * 64
)
ZIP = _zip({"材料/说明.txt": "示范点申报材料".encode()})
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the signature, then nothing an image viewer could read


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def raw_upload(name: str, content: bytes) -> File:
    """A file whose name is passed on untouched: Django's own upload classes strip any
    folder from a name, which would hide what the service must refuse by itself."""
    return File(io.BytesIO(content), name=name)


def pdf_upload(name: str = "工作总结.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return upload(name, content)


def campaign():
    """The running campaign: the 2014 one that the data migration loads."""
    return current_campaign()


def first_indicator(campaign_=None) -> Indicator:
    version = current_version(campaign_ or campaign())
    return Indicator.objects.filter(category__version=version).order_by("category__order", "order").first()


def make_material(*, operator, kind=Kind.SUPPORTING, file=None, indicator=None, title="", campaign_=None):
    """A material of `operator`'s unit, returned with its first version as current."""
    campaign_ = campaign_ or campaign()
    if kind == Kind.EVIDENCE and indicator is None:
        indicator = first_indicator(campaign_)
    version = services.upload_material(
        actor=operator,
        unit=operator.organisation,
        campaign=campaign_,
        kind=kind,
        file=file or pdf_upload(),
        indicator=indicator,
        title=title,
    )
    return version.material
