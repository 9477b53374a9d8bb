"""The platform's form renderer writes inputs, text areas and select boxes in Python
(core.forms.PlatformFormRenderer): the HTML must be Django's own, character for
character, whatever the values, attributes, options and escaping."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.forms import FAST_WIDGETS, WIDGETS, PlatformFormRenderer

DJANGOS_OWN = DjangoTemplates()
ATTRS = {"class": "form-control is-invalid", "required": True, "disabled": False, "maxlength": 8, "data-x": 'a"<b>&'}
CHOICES = [
    ("", "---------"),
    (1, "石家庄市"),
    ("<&>", mark_safe("<b>safe</b>")),
    ("lazy", gettext_lazy("Search")),
    ("Cities", [(2, "唐山市"), (3, 'A "quoted" & <tagged> name')]),
    (2027, 2027),
]
CASES = [
    (forms.TextInput(attrs=ATTRS), "score", "4.5"),
    (forms.TextInput(), "score", None),
    (forms.TextInput(), "score", '<script>alert("x")</script>'),
    (forms.TextInput(), "score", mark_safe("<i>kept</i>")),
    (forms.NumberInput(attrs={"step": "0.5", "min": 0}), "n", 3),
    (forms.EmailInput(), "email", "a@b.cn"),
    (forms.URLInput(), "url", "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "password", "s3cret&"),
    (forms.HiddenInput(), "edit_token", "abc:123"),
    (forms.DateInput(attrs={"type": "date"}), "day", datetime.date(2026, 11, 29)),
    (forms.DateTimeInput(), "at", datetime.datetime(2026, 11, 29, 8, 30)),
    (forms.TimeInput(), "time", datetime.time(8, 30)),
    (forms.CheckboxInput(), "agree", True),
    (forms.CheckboxInput(), "agree", False),
    (forms.FileInput(), "file", None),
    (forms.Textarea(attrs={"rows": 3}), "account", "第一行\n<第二行> & more"),
    (forms.Textarea(), "account", ""),
    (forms.Textarea(), "account", None),
    (forms.Select(choices=CHOICES, attrs=ATTRS), "area", "2"),
    (forms.Select(choices=CHOICES), "area", None),
    (forms.Select(choices=CHOICES), "area", "<&>"),
    (forms.SelectMultiple(choices=CHOICES), "areas", ["1", "3"]),
    (forms.NullBooleanSelect(), "flag", True),
]


@pytest.mark.parametrize(
    ("widget", "name", "value"), CASES, ids=[f"{type(c[0]).__name__}-{i}" for i, c in enumerate(CASES)]
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_widget_rendering_is_djangos_own_html(widget, name, value, language):
    from django.utils import translation

    with translation.override(language):
        ours = widget.render(name, value, attrs={"id": f"id_{name}"}, renderer=PlatformFormRenderer())
        djangos = widget.render(name, value, attrs={"id": f"id_{name}"}, renderer=DJANGOS_OWN)
    assert ours == djangos


def test_widget_rendering_writes_only_templates_that_are_plain_inputs_in_this_django():
    # A Django upgrade that changes one of these templates must be noticed here.
    from pathlib import Path

    folder = Path(forms.__file__).parent / "templates" / WIDGETS
    for template in FAST_WIDGETS:
        text = (folder / Path(template).name).read_text()
        if Path(template).name not in ("input.html", "textarea.html", "select.html"):
            assert text.strip() == '{% include "django/forms/widgets/input.html" %}', template
