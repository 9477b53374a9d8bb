"""Shape only: which files are accepted, and who may upload, are the services' rules
(materials.uploads.check_file, materials.permissions)."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from campaigns.models import Indicator
from materials.models import Kind
from materials.uploads import ACCEPTED_EXTENSIONS, max_bytes

ACCEPT = ",".join(f".{extension}" for extension in ACCEPTED_EXTENSIONS)


def file_field() -> forms.FileField:
    # Empty files pass the form: the service refuses them with a message naming the file.
    return forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose a file to upload.")},
    )


class FileHelpMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_bytes()
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, JPEG or PNG images, MP4, MOV or WebM videos; at most %(limit)s."
        ) % {"limit": filesizeformat(limit)}
        # Lets the browser refuse an oversized file before sending 100 MB for nothing.
        self.fields["file"].widget.attrs["data-max-bytes"] = str(limit)


class UploadForm(FileHelpMixin, forms.Form):
    """A new work summary or supporting material."""

    kind = forms.ChoiceField(
        choices=[(Kind.WORK_SUMMARY, Kind.WORK_SUMMARY.label), (Kind.SUPPORTING, Kind.SUPPORTING.label)],
        widget=forms.HiddenInput,
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Optional: the file's name is used when left empty."),
    )
    file = file_field()


class ReplaceForm(FileHelpMixin, forms.Form):
    """A new version of an existing material."""

    file = file_field()


class NextMixin:
    """A `next` address to come back to, kept only when it points into this site."""

    def safe_next(self, request) -> str:
        value = self.data.get("next", "") if self.is_bound else ""
        # A path only: the views redirect() to it, which takes any other word for a view name.
        if value.startswith("/") and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return value
        return ""


class EvidenceUploadForm(NextMixin, FileHelpMixin, forms.Form):
    """An evidence file for one indicator of the campaign's standard."""

    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This indicator is not part of the campaign's standard.")},
    )
    file = file_field()
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a posted form looks the indicator up; the self-assessment shows twenty empty
        # ones, which need no queryset built (a third of each one's cost).
        if self.is_bound:
            self.fields["indicator"].queryset = Indicator.objects.filter(category__version__campaign=campaign)


class RemoveForm(NextMixin, forms.Form):
    next = forms.CharField(required=False, widget=forms.HiddenInput)
