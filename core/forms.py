"""Bootstrap styling for every form of the project, Django's own included, in one place,
and the answers common to its forms."""

from django import forms
from django.contrib import messages
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext as _

from core.concurrency import TOKEN_FIELD, EditConflict

# The largest key a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
LARGEST_KEY = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but a number too large for the database is refused as an unknown
    choice: Django looks the keys up with IN (...), and SQLite raises OverflowError on
    such a number instead of finding nothing."""

    def _check_values(self, value):
        for key in value or ():
            text = str(key).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > LARGEST_KEY:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
                )
        return super()._check_values(value)


def widget_css_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return ""
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class StyledBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        classes = [attrs.get("class", ""), widget_css_class(widget or self.field.widget)]
        if self.form.is_bound and self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


WIDGETS = "django/forms/widgets/"
# Django's widget templates that are input.html and nothing else (Django 5.2).
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search",
        "tel", "color", "checkbox", "file",
    )
)  # fmt: skip


def _shown(value) -> str:
    # {{ value }}: localized, escaped unless marked safe.
    return conditional_escape(localize(value))


def _formatted(value) -> str:
    # {{ value|stringformat:'s' }}: the filter keeps a safe value safe and the output is escaped otherwise.
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                # select_option.html ends with a newline, which its include keeps.
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


FAST_WIDGETS = {f"{WIDGETS}textarea.html": _textarea, f"{WIDGETS}select.html": _select} | dict.fromkeys(
    INPUT_TEMPLATES, _input
)


class PlatformFormRenderer(DjangoTemplates):
    """Django's renderer, which writes the simplest widgets (inputs, text areas, select
    boxes) in Python: the same HTML as Django's widget templates, character for character
    (tests/core/test_widget_rendering.py), without a template render per widget, per
    attribute and per option, which was a good part of the self-assessment's 60 rows, the
    scoresheet's and every list's filter boxes."""

    bound_field_class = StyledBoundField

    def render(self, template_name, context, request=None):
        fast = FAST_WIDGETS.get(template_name)
        if fast is not None and request is None and "widget" in context:
            return mark_safe(fast(context["widget"]))  # noqa: S308 (every value in it is escaped above)
        return super().render(template_name, context, request)


def add_service_errors(form, error) -> None:
    """Put a service's ValidationError on the form: next to its field where the form has
    that field, at the top of the form otherwise (e.g. a rule about the parent organisation).
    An edit conflict also gives the form the saved values and the row's new edit token."""
    if isinstance(error, EditConflict) and hasattr(form, "show_edit_conflict"):
        form.show_edit_conflict(error)
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def report_error(request, error) -> None:
    """Tell the person why a service refused what it asked, at the top of the next page
    (a refusal that belongs to no form field: a step that no longer applies, a rule)."""
    messages.error(request, " ".join(error.messages))


def row_saved_response(request, *, form, saved: bool, partial: str, context: dict, row_url: str, render_page):
    """The answer to the autosave of one row of a long form (self-assessment, scoresheet):
    for htmx the row's status fragment `partial` (422 when refused; 409 when refused
    because the row changed meanwhile, which htmx treats as an error so that the page's
    script keeps the draft); without JavaScript a redirect back to the row once saved,
    or `render_page()`, the whole page with the errors next to the field. The fragment
    gets the row's edit token (`row_token`: swapped in out of band after a save; after a
    conflict only offered, next to the saved values `row_conflict`, until the person
    types again, static/js/autosave.js), so that no resend of the unmerged draft can
    carry the new one."""
    if request.htmx:
        errors = [error for errors in form.errors.values() for error in errors]
        conflict = getattr(form, "edit_conflict", None)
        token = form[TOKEN_FIELD] if TOKEN_FIELD in form.fields else None
        response = render(
            request,
            partial,
            {
                "saved": saved,
                "form_errors": errors,
                "row_token": token,
                "row_conflict": conflict,
                **context,
            },
        )
        response.status_code = 200 if saved else 409 if conflict else 422
        return response
    if saved:
        messages.success(request, _("Saved."))
        return redirect(row_url)
    return render_page()
