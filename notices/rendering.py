"""Markdown source of a notice to HTML that is safe to put on a page.

Markdown passes raw HTML through, so whatever it produces is cleaned by nh3 with an
allow-list: nothing that runs script, loads from elsewhere or changes the layout
(no script, style, img, iframe, form; no event or style attributes; links only to
http, https, mailto and tel).
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "sup",
    "sub",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    set_tag_attribute_values={"table": {"class": "table table-bordered table-sm"}},
)


class _DemoteHeadings(Treeprocessor):
    """The page's title is its only <h1>: `#` in the source becomes <h2>, and so on."""

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5"}:
                element.tag = f"h{int(element.tag[1]) + 1}"


class _DemoteHeadingsExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


def render_markdown(source: str) -> SafeString:
    """Render Markdown `source` to sanitised HTML. The only function that marks a
    notice's text as safe: templates must never use |safe on anything else."""
    html = markdown.markdown(source, extensions=["tables", "sane_lists", _DemoteHeadingsExtension()])
    return mark_safe(_cleaner.clean(html))  # noqa: S308 (cleaned by nh3 just above)
