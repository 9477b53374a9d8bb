"""Render one page of a PDF read from stdin to PNG on stdout: run as a child process with
limits on its CPU time and memory (materials.pdf_pages), so that a hostile or broken PDF
can at worst fail its own preview. Imports no Django: the child starts in a fraction of
a second.

    python -m materials.pdf_render <page index> <width in pixels> < file.pdf > page.png
"""

import io
import sys


def main() -> int:
    import pypdfium2

    index, width = int(sys.argv[1]), int(sys.argv[2])
    document = pypdfium2.PdfDocument(sys.stdin.buffer.read())
    if not 0 <= index < len(document):
        return 2
    page = document[index]
    scale = width / page.get_width()
    image = page.render(scale=scale).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    sys.stdout.buffer.write(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
