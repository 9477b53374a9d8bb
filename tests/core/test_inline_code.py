"""No inline script or style anywhere (control 5): the Content-Security-Policy forbids
them, so a page that had one would silently break in the browser. Every template is read,
and every page is rendered, and both fail on an inline <script>, a <style> element, a
style="" or on*="" attribute, htmx's hx-on (code in an attribute) or a javascript: URL.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.core.test_url_access import all_samples, read_through, url_names

ROOT = Path(__file__).resolve().parents[2]
# Laid out by WeasyPrint into PDFs and never served as a page: the site's policy does not
# apply to them, and a PDF renderer takes its style from the document itself.
PDF_ONLY_TEMPLATES = {
    "designations/templates/designations/certificate_pdf.html",
    "inspections/templates/inspections/report_pdf.html",
    "reports/templates/reports/period_pdf.html",
}
TEMPLATE_PATTERNS = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on attribute": re.compile(r"\shx-on\b|\sdata-hx-on\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def project_templates() -> list[Path]:
    folders = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_inline_code_no_template_has_any():
    found = []
    for path in project_templates():
        name = str(path.relative_to(ROOT))
        if name in PDF_ONLY_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in TEMPLATE_PATTERNS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert found == []


def test_inline_code_scan_sees_every_template_folder():
    names = {str(path.relative_to(ROOT)) for path in project_templates()}
    assert "templates/base.html" in names
    assert "templates/503.html" in names
    assert names >= PDF_ONLY_TEMPLATES, "a PDF-only template was renamed: update PDF_ONLY_TEMPLATES"


@pytest.mark.parametrize(
    ("snippet", "what"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ('<script type="module">x()</script>', "inline script"),
        ("<style>p{}</style>", "style element"),
        ('<p style="color:red">', "style attribute"),
        ('<img src="x.png" onerror="x()">', "event handler attribute"),
        ('<button hx-on:click="x()">', "hx-on attribute"),
        ('<a href="javascript:x()">', "javascript: URL"),
    ],
)
def test_inline_code_scan_catches_each_kind(snippet, what):
    assert [name for name, pattern in TEMPLATE_PATTERNS.items() if pattern.search(snippet)] == [what]


def test_inline_code_scan_leaves_external_script_alone():
    snippet = '<script src="/static/js/platform.js" defer></script><p class="list-unstyled" data-style="x">'
    assert [name for name, pattern in TEMPLATE_PATTERNS.items() if pattern.search(snippet)] == []


class InlineCodeFinder(HTMLParser):
    """Collects what a rendered page would need 'unsafe-inline' for."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value or "" for name, value in attrs}
        # A data block (json_script's type="application/json") is never run, so the
        # policy has nothing against it; the charts read their figures from one.
        if tag == "script" and "src" not in names and names.get("type", "").lower() != "application/json":
            self.found.append("inline script")
        if tag == "style":
            self.found.append("style element")
        for name, value in names.items():
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"{name} attribute on <{tag}>")
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in <{tag}>")

    handle_startendtag = handle_starttag


def inline_code_in(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_inline_code_page_check_catches_each_kind():
    page = (
        '<script>x()</script><style>p{}</style><p style="x"></p><img src="a" onerror="x()">'
        '<a href=" JavaScript:x()"></a><div hx-on:click="x()"></div><script src="/ok.js"></script>'
        '<script id="figures" type="application/json">{"a": 1}</script>'
    )
    assert inline_code_in(page) == [
        "inline script",
        "style element",
        "style attribute on <p>",
        "onerror attribute on <img>",
        "javascript: URL in <a>",
        "hx-on:click attribute on <div>",
    ]


@pytest.mark.parametrize("role", [None, Role.PROVINCE_ADMIN, Role.UNIT, Role.SYSTEM_ADMIN])
def test_inline_code_no_rendered_page_has_any(world, role):
    samples = all_samples(world)
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(world.user_of(role))
    found = []
    for name, _view in url_names():
        response = client.get(reverse(name, kwargs=samples[name]))
        read_through(response)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue
        problems = inline_code_in(response.content.decode())
        if problems:
            found.append((name, problems))
    assert found == []


def test_inline_code_error_pages_have_none(db):
    from django.template.loader import render_to_string

    for template in ("500.html", "503.html"):
        assert (template, inline_code_in(render_to_string(template))) == (template, [])
    assert inline_code_in(Client().get("/no-such-page/").content.decode()) == []
