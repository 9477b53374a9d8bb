"""A picture of a PDF's first page, so that a reviewer sees the evidence on the page it
reviews (the PDF itself is only ever shown by the browser in a sandbox, in a tab of its
own, never framed: core.files.INLINE_POLICY).

The page is rendered by PDFium (pypdfium2) in a child process limited to a few seconds
of CPU and 512 MB of memory, and the picture is stored beside the file, so that each
version is rendered once."""

import logging
import resource
import subprocess
import sys

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

WIDTH = 900
CPU_SECONDS = 10
MEMORY_BYTES = 512 * 1024 * 1024
TIMEOUT_SECONDS = 20


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def render_first_page(pdf: bytes) -> bytes | None:
    """The PNG of the first page of `pdf`, or None when it cannot be rendered in bounds."""
    try:
        done = subprocess.run(  # noqa: S603 (our own module, fixed arguments; the PDF on stdin)
            [sys.executable, "-m", "materials.pdf_render", "0", str(WIDTH)],
            input=pdf,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=_limits,
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("the preview of a PDF took longer than %s s", TIMEOUT_SECONDS)
        return None
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        logger.warning("could not render a PDF's first page (exit %s)", done.returncode)
        return None
    return done.stdout


def first_page_picture(version) -> str | None:
    """The stored name of the picture of `version`'s first page, made once."""
    name = f"{version.file.name}.page1.png"
    if default_storage.exists(name):
        return name
    try:
        with version.file.open("rb") as stored:
            content = stored.read()
    except OSError:
        return None  # a file missing from the storage has no picture either
    picture = render_first_page(content)
    if picture is None:
        return None
    return default_storage.save(name, ContentFile(picture))
