import pytest
from django.urls import reverse

from notices.rendering import render_markdown
from tests.notices.factories import make_notice

HOSTILE = """# 一、标题

正文<script>alert("xss")</script>

<img src="x" onerror="alert('xss')">

<a href="javascript:alert('xss')" onclick="alert('xss')">链接</a>

[另一个链接](javascript:alert('xss'))

<iframe src="https://example.com"></iframe><style>body{display:none}</style>

<p style="position:fixed">样式</p>
"""


@pytest.mark.parametrize(
    "fragment", ["<script", "alert(", "onerror", "onclick", "javascript:", "<iframe", "<style", "style="]
)
def test_sanitisation_hostile_markdown_never_reaches_the_page(world, client, fragment):
    notice = make_notice(author=world.province_staff, body=HOSTILE)
    response = client.get(reverse("notices:detail", kwargs={"pk": notice.pk}))
    body = response.content.decode().split('data-testid="notice-body">', 1)[1].split("</div>", 1)[0]
    assert fragment not in body


def test_sanitisation_keeps_the_harmless_markup():
    html = render_markdown("# 一、指导思想\n\n**重点**\n\n1. 第一\n2. 第二\n\n[平台](https://example.com)")
    assert html == (
        "<h2>一、指导思想</h2>\n<p><strong>重点</strong></p>\n<ol>\n<li>第一</li>\n<li>第二</li>\n</ol>\n"
        '<p><a href="https://example.com" rel="noopener noreferrer nofollow">平台</a></p>'
    )


def test_sanitisation_strips_script_with_its_content():
    assert render_markdown('甲<script>alert("xss")</script>乙') == "<p>甲乙</p>"


def test_sanitisation_strips_event_attributes():
    assert render_markdown('<b onmouseover="alert(1)">粗</b>') == "<p><b>粗</b></p>"


def test_sanitisation_preview_is_sanitised_too(world, client_for):
    response = client_for(world.province_staff).post(
        reverse("notices:create"), {"action": "preview", "body": HOSTILE}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith('<section id="notice-preview"')
    assert "<h2>一、标题</h2>" in content
    for fragment in ("<script", "onerror", "javascript:", "<iframe", "<style"):
        assert fragment not in content


def test_sanitisation_preview_without_javascript_renders_the_whole_form(world, client_for):
    response = client_for(world.province_staff).post(reverse("notices:create"), {"action": "preview", "body": "# 标题"})
    content = response.content.decode()
    assert 'data-testid="notice-form"' in content
    assert "<h2>标题</h2>" in content
